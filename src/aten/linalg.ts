// Linear algebra: mm bmm addmm matmul dot mv linear baddbmm einsum.
// Each op is declared once as data (see op-decl.ts and docs/adding-ops.md).

import type { OpDecl } from "./op-decl.js";

/** The linalg operators, in native_functions.yaml order within each name. */
export const linalgOps: readonly OpDecl[] = [];
