// Tensor methods and top-level functions of the random family (see tensor-methods.ts for the pattern).
export {};
