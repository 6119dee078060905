// Tensor methods and top-level functions of the indexing family (see tensor-methods.ts for the pattern).
export {};
