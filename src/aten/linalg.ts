// Linear algebra: mm bmm addmm matmul dot mv linear baddbmm einsum.
// Each op is declared once as data (see op-decl.ts and docs/adding-ops.md); the declarations live
// in linalg-blas.ts (kernels), linalg-matmul.ts and linalg-einsum.ts (decompositions).

import type { OpDecl } from "./op-decl.js";
import { blasOps } from "./linalg-blas.js";
import { einsumOps } from "./linalg-einsum.js";
import { matmulOps } from "./linalg-matmul.js";

/** The linalg operators, in native_functions.yaml order within each name. */
export const linalgOps: readonly OpDecl[] = [...blasOps, ...einsumOps, ...matmulOps];
