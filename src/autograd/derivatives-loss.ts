// Derivatives of the 2-d NLL loss: nll_loss2d_forward through its backward op
// nll_loss2d_backward, and that op's own row (grad_output: the loss of the incoming gradient,
// self: zeros), so createGraph reaches second derivatives, after PyTorch's derivatives.yaml.

import type { Derivative } from "./formula.js";
import { T, type Tensor, formula, op, zerosLike } from "./derivatives-util.js";

const opt = (v: unknown): Tensor | null => (v === undefined || v === null ? null : T(v));

/** The nll_loss2d rows. */
export const LOSS_DERIVATIVES: readonly Derivative[] = [
  formula({
    op: "aten::nll_loss2d_forward",
    name: "NllLoss2DBackward0",
    inputs: { self: 0 },
    differentiableOutputs: [0],
    save: (args, out) => ({ self: args[0], target: args[1], weight: opt(args[2]), reduction: args[3], ignore: args[4], total: (out as Tensor[])[1] }),
    grads: {
      self: (g, s) => op("aten::nll_loss2d_backward", g, T(s.self), T(s.target), s.weight, s.reduction, s.ignore, T(s.total)),
    },
  }),
  formula({
    op: "aten::nll_loss2d_backward",
    name: "NllLoss2DBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ target: args[2], weight: opt(args[3]), reduction: args[4], ignore: args[5] }),
    grads: {
      grad_output: (g, s) => op("aten::nll_loss2d", g, T(s.target), s.weight, s.reduction, s.ignore),
      self: (g) => zerosLike(g),
    },
  }),
];
