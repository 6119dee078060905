// Tensor methods and top-level functions of the reduce family (see tensor-methods.ts for the pattern).
export {};
