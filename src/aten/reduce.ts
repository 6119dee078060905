// Reductions: sum mean amax amin max min argmax argmin prod var std all any logsumexp cumsum norm sort topk.
// Each op is declared once as data (see op-decl.ts and docs/adding-ops.md).

import type { OpDecl } from "./op-decl.js";

/** The reduce operators, in native_functions.yaml order within each name. */
export const reduceOps: readonly OpDecl[] = [];
