// Derivatives of the 2-d NLL loss: nll_loss2d_forward through its backward op
// nll_loss2d_backward, and that op's own row (grad_output: the loss of the incoming gradient,
// self: zeros), so createGraph reaches second derivatives, after PyTorch's derivatives.yaml; and of
// binary_cross_entropy_with_logits, in dispatched ops (out of place under a mode or for
// subclasses, in place otherwise, as PyTorch's helpers).

import type { Derivative } from "./formula.js";
import { T, type Tensor, formula, neg, op, subclassLike, zerosLike } from "./derivatives-util.js";

const opt = (v: unknown): Tensor | null => (v === undefined || v === null ? null : T(v));

/** PyTorch's binary_cross_entropy_with_logits_backward: the input's gradient. */
function bceLogitsSelf(g: Tensor, input: Tensor, target: Tensor, weight: Tensor | null, posWeight: Tensor | null, reduction: number): Tensor {
  const outOfPlace = subclassLike(g, input, target, weight, posWeight);
  const step = (a: Tensor, name: string, b: Tensor): Tensor => op(`aten::${name}${outOfPlace ? "" : "_"}.Tensor`, a, b, ...(name === "sub" ? [1] : []));
  let gi: Tensor;
  if (posWeight) {
    const t = op("aten::mul.Tensor", posWeight, target);
    const a = step(op("aten::add.Scalar", t, 1, 1), "sub", target);
    gi = step(step(step(a, "mul", op("aten::sigmoid", input)), "sub", t), "mul", g);
  } else {
    gi = step(op("aten::sub.Tensor", op("aten::sigmoid", input), target, 1), "mul", g);
  }
  if (weight) gi = step(gi, "mul", weight);
  if (reduction === 1) op("aten::div_.Scalar", gi, input.numel());
  return gi;
}

/** PyTorch's binary_cross_entropy_with_logits_target_backward: the target's gradient. */
function bceLogitsTarget(g: Tensor, input: Tensor, target: Tensor, weight: Tensor | null, posWeight: Tensor | null, reduction: number): Tensor {
  let gt: Tensor;
  if (posWeight) {
    const outOfPlace = subclassLike(posWeight, g);
    const a = op("aten::log_sigmoid", neg(input));
    const b = op(outOfPlace ? "aten::mul.Tensor" : "aten::mul_.Tensor", op("aten::log_sigmoid", input), posWeight);
    gt = op(outOfPlace ? "aten::mul.Tensor" : "aten::mul_.Tensor", op(outOfPlace ? "aten::sub.Tensor" : "aten::sub_.Tensor", a, b, 1), g);
  } else {
    gt = op("aten::mul.Tensor", neg(input), g);
  }
  if (weight) gt = subclassLike(weight) ? op("aten::mul.Tensor", gt, weight) : op("aten::mul_.Tensor", gt, weight);
  if (reduction === 1) op("aten::div_.Scalar", gt, target.numel());
  return gt;
}

/** The nll_loss2d and binary_cross_entropy_with_logits rows. */
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
  formula({
    op: "aten::binary_cross_entropy_with_logits",
    name: "BinaryCrossEntropyWithLogitsBackward0",
    inputs: { self: 0, target: 1 },
    save: (args) => ({ self: args[0], target: args[1], weight: opt(args[2]), posWeight: opt(args[3]), reduction: args[4] }),
    grads: {
      self: (g, s) => bceLogitsSelf(g, T(s.self), T(s.target), s.weight as Tensor | null, s.posWeight as Tensor | null, s.reduction as number),
      target: (g, s) => bceLogitsTarget(g, T(s.self), T(s.target), s.weight as Tensor | null, s.posWeight as Tensor | null, s.reduction as number),
    },
  }),
];
