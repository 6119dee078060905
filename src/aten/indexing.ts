// Joining and indexing: cat stack index_select gather scatter index index_put_ masked_select nonzero repeat tril triu flip.
// Each op is declared once as data (see op-decl.ts and docs/adding-ops.md).

import type { OpDecl } from "./op-decl.js";

/** The indexing operators, in native_functions.yaml order within each name. */
export const indexingOps: readonly OpDecl[] = [];
