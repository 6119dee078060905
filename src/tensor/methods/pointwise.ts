// Tensor methods and top-level functions of the pointwise family (see tensor-methods.ts for the pattern).
export {};
