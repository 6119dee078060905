// Tensor methods and top-level functions of the nn family (see tensor-methods.ts for the pattern).
export {};
