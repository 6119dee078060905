// Views and shape ops: view reshape transpose permute t expand slice select unsqueeze squeeze flatten narrow as_strided contiguous clone detach alias split chunk unbind.
// Each op is declared once as data (see op-decl.ts and docs/adding-ops.md).

import type { OpDecl } from "./op-decl.js";

/** The shape operators, in native_functions.yaml order within each name. */
export const shapeOps: readonly OpDecl[] = [];
