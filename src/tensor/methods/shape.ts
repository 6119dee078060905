// Tensor methods and top-level functions of the shape family (see tensor-methods.ts for the pattern).
export {};
