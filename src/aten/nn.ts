// Neural-network ops: softmax log_softmax layer_norm embedding nll_loss cross_entropy mse_loss dropout batch_norm conv2d.
// Each op is declared once as data (see op-decl.ts and docs/adding-ops.md).

import type { OpDecl } from "./op-decl.js";

/** The nn operators, in native_functions.yaml order within each name. */
export const nnOps: readonly OpDecl[] = [];
