// Tensor methods and top-level functions of the linalg family (see tensor-methods.ts for the pattern).
export {};
