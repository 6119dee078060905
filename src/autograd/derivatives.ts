// Derivative formulas, after PyTorch's tools/autograd/derivatives.yaml (our own code): each row
// names the op, the node (`MulBackward0`), what to save and how to compute input gradients, in
// dispatched ops (so modes see the backward ops and createGraph gives higher-order gradients).
// The rows live in derivatives-<family>.ts; this file gathers them.

import type { Tensor } from "../tensor/tensor.js";
import type { Derivative } from "./formula.js";
import { ARITH_DERIVATIVES } from "./derivatives-arith.js";
import { ATTENTION_DERIVATIVES } from "./derivatives-attention.js";
import { BACKWARD_OP_DERIVATIVES } from "./derivatives-backward.js";
import { INDEX_DERIVATIVES } from "./derivatives-index.js";
import { LINALG_DERIVATIVES } from "./derivatives-linalg.js";
import { MATH_DERIVATIVES } from "./derivatives-math.js";
import { LOSS_DERIVATIVES } from "./derivatives-loss.js";
import { NN_DERIVATIVES } from "./derivatives-nn.js";
import { ACTIVATION_DERIVATIVES } from "./derivatives-activation.js";
import { NORM_DERIVATIVES } from "./derivatives-norm.js";
import { POOL_DERIVATIVES } from "./derivatives-pool.js";
import { POINTWISE_DERIVATIVES } from "./derivatives-pointwise.js";
import { REDUCE_DERIVATIVES } from "./derivatives-reduce.js";
import { SELECT_DERIVATIVES } from "./derivatives-select.js";
import { SHAPE_DERIVATIVES } from "./derivatives-shape.js";
import { SHAPE_MORE_DERIVATIVES } from "./derivatives-shape-more.js";
import { inplaceDerivatives } from "./derivatives-inplace.js";

/**
 * The formulas aten-ts registers at the Autograd key (rows for ops another layer has not defined
 * are skipped at registration; a row takes precedence over formula.ts's non-differentiable list).
 * @example
 * DERIVATIVES.find((d) => d.op === "aten::mul.Tensor")?.name // "MulBackward0"
 */
const ROWS: readonly Derivative[] = [
  ...ARITH_DERIVATIVES,
  ...POINTWISE_DERIVATIVES,
  ...MATH_DERIVATIVES,
  ...SELECT_DERIVATIVES,
  ...REDUCE_DERIVATIVES,
  ...NORM_DERIVATIVES,
  ...SHAPE_DERIVATIVES,
  ...SHAPE_MORE_DERIVATIVES,
  ...INDEX_DERIVATIVES,
  ...LINALG_DERIVATIVES,
  ...NN_DERIVATIVES,
  ...ACTIVATION_DERIVATIVES,
  ...POOL_DERIVATIVES,
  ...LOSS_DERIVATIVES,
  ...BACKWARD_OP_DERIVATIVES,
  ...ATTENTION_DERIVATIVES,
];
export const DERIVATIVES: readonly Derivative[] = [...ROWS, ...inplaceDerivatives(ROWS)];

/** The gradient inputs a node receives, for formulas written over several outputs. */
export type Grads = ReadonlyArray<Tensor | null>;
