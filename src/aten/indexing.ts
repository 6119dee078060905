// Joining and indexing: cat stack index_select gather scatter index index_put_ masked_select nonzero repeat tril triu flip.
// Each op is declared once as data (see op-decl.ts and docs/adding-ops.md); the declarations live
// in indexing-join.ts, indexing-gather.ts and indexing-advanced.ts.

import { advancedIndexOps } from "./indexing-advanced.js";
import { gatherOps } from "./indexing-gather.js";
import { joinOps } from "./indexing-join.js";
import type { OpDecl } from "./op-decl.js";

/** The indexing operators. */
export const indexingOps: readonly OpDecl[] = [...joinOps, ...gatherOps, ...advancedIndexOps];
