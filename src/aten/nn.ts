// Neural-network ops: softmax log_softmax layer_norm embedding nll_loss cross_entropy mse_loss dropout batch_norm conv2d.
// Each op is declared once as data (see op-decl.ts and docs/adding-ops.md); the declarations
// live in nn-*.ts by topic and are gathered here for registerAten().

import type { OpDecl } from "./op-decl.js";
import { convOps } from "./nn-conv.js";
import { crossEntropyOps } from "./nn-cross-entropy.js";
import { dropoutOps } from "./nn-dropout.js";
import { lossOps } from "./nn-loss.js";
import { normOps } from "./nn-norm.js";
import { padOps } from "./nn-pad.js";
import { poolOps } from "./nn-pool.js";
import { softmaxOps } from "./nn-softmax.js";

/** The nn operators. */
export const nnOps: readonly OpDecl[] = [...padOps, ...convOps, ...dropoutOps, ...normOps, ...softmaxOps, ...lossOps, ...crossEntropyOps, ...poolOps];
