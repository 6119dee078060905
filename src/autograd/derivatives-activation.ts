// Derivatives of the torch.nn activations (after derivatives.yaml; our own code): leaky_relu elu
// celu softplus hardtanh hardsigmoid hardswish mish log_sigmoid_forward glu softshrink hardshrink
// threshold, through their backward ops, and smooth_l1_loss / huber_loss; the in-place rows (LeakyReluBackward1, EluBackward1,
// CeluBackward1 read the result; hardtanh_/hardsigmoid_/hardswish_/mish_/threshold_ get the
// original self, cloned before the op); and the double-backward rows of the backward ops.

import { callOp } from "../dispatcher/call-op.js";
import type { Derivative, Saved } from "./formula.js";
import { isGradEnabled } from "./engine.js";
import {
  type Scalar,
  T,
  type Tensor,
  div,
  divScalar,
  formula,
  mul,
  mulScalar,
  op,
  scalarMinus,
  subclassLike,
  toDtype,
  where,
  zerosLike,
} from "./derivatives-util.js";

const num = (s: unknown): number => (typeof s === "boolean" ? (s ? 1 : 0) : Number(s as Scalar));
/** `(x < 0).type_as(like)` and friends: a comparison mask in like's dtype. */
const maskAs = (m: Tensor, like: Tensor): Tensor => toDtype(m, like.dtype);
/** at::zeros({}, like.options()) */
const zeros0 = (like: Tensor): Tensor => op("aten::zeros", [], like.dtype, null, like.device, null);

/** A one-input row whose rule reads self and the scalar arguments. */
function onSelfArgs(opName: string, name: string, argNames: readonly string[], rule: (g: Tensor, s: Saved) => Tensor): Derivative {
  return formula({
    op: opName,
    name,
    inputs: { self: 0 },
    save: (args) => {
      const s: Record<string, unknown> = { self: args[0] };
      argNames.forEach((n, i) => (s[n] = args[i + 1]));
      return s;
    },
    grads: { self: (g, s) => rule(g, s) },
  });
}

/** A one-input row reading the result (in-place forms whose yaml row uses `result`). */
function onResultArgs(opName: string, name: string, argNames: readonly string[], rule: (g: Tensor, s: Saved) => Tensor): Derivative {
  return formula({
    op: opName,
    name,
    inputs: { self: 0 },
    save: (args, out) => {
      const s: Record<string, unknown> = { result: out };
      argNames.forEach((n, i) => (s[n] = args[i + 1]));
      return s;
    },
    grads: { self: (g, s) => rule(g, s) },
  });
}

/** The in-place form of a row reading self: self is cloned before the op runs. */
function inplaceOf(d: Derivative, inplaceOp: string): Derivative {
  return {
    ...d,
    op: inplaceOp,
    saveBefore: (args) => ({ original: callOp("aten::clone", [args[0], null]) as Tensor }),
    save: (args, result, before) => d.save([before.original, ...args.slice(1)], result, {}),
  };
}

/** Double backward of the masked backward ops: grad_output gets the op again, self zeros. */
function maskedBackwardRow(opName: string, name: string, rest: number): Derivative {
  return formula({
    op: opName,
    name,
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ self: args[1], rest: args.slice(2) }),
    grads: {
      grad_output: (g, s) => op(opName, g, T(s.self), ...(s.rest as unknown[]).slice(0, rest)),
      self: (g) => zerosLike(g),
    },
  });
}

/** PyTorch's elu_double_backward. */
function eluDoubleBackward(g: Tensor, gOut: Tensor, alpha: Scalar, scale: Scalar, inputScale: Scalar, isResult: boolean, sor: Tensor): Tensor {
  const negative = maskAs(op("aten::lt.Scalar", sor, 0), g);
  if (isResult) return mul(mulScalar(mul(g, gOut), inputScale), negative);
  return mul(op("aten::elu_backward", mulScalar(mul(g, gOut), inputScale), alpha, scale, inputScale, isResult, sor), negative);
}

/** PyTorch's infinitely_differentiable_mish_backward. */
function mishDoubleBackwardable(g: Tensor, x: Tensor): Tensor {
  const sigmoid = op("aten::sigmoid", x);
  const softplus = op("aten::log1p", op("aten::exp", x));
  const ts = op("aten::tanh", softplus);
  // grad_output * (tanh_softplus + input * sigmoid * (1.0 - tanh_softplus * tanh_softplus))
  const oneMinus = scalarMinus(1.0, mul(ts, ts));
  const inner = op("aten::add.Tensor", ts, mul(mul(x, sigmoid), oneMinus), 1);
  return mul(g, inner);
}

const leakyRelu = onSelfArgs("aten::leaky_relu", "LeakyReluBackward0", ["slope"], (g, s) => op("aten::leaky_relu_backward", g, T(s.self), s.slope, false));
const elu = onSelfArgs("aten::elu", "EluBackward0", ["alpha", "scale", "inputScale"], (g, s) =>
  op("aten::elu_backward", g, s.alpha, s.scale, s.inputScale, false, T(s.self)),
);
/** celu's input_scale: 1.0 / alpha.toFloat() (alpha rounded to float first). */
const celuInputScale = (alpha: unknown): number => 1.0 / Math.fround(num(alpha));
const hardtanh = onSelfArgs("aten::hardtanh", "HardtanhBackward0", ["min", "max"], (g, s) => op("aten::hardtanh_backward", g, T(s.self), s.min, s.max));
const hardsigmoid = onSelfArgs("aten::hardsigmoid", "HardsigmoidBackward0", [], (g, s) => op("aten::hardsigmoid_backward", g, T(s.self)));
const hardswish = onSelfArgs("aten::hardswish", "HardswishBackward0", [], (g, s) => op("aten::hardswish_backward", g, T(s.self)));
const mish = onSelfArgs("aten::mish", "MishBackward0", [], (g, s) =>
  isGradEnabled() ? mishDoubleBackwardable(g, T(s.self)) : op("aten::mish_backward", g, T(s.self)),
);
const threshold = onSelfArgs("aten::threshold", "ThresholdBackward0", ["threshold"], (g, s) => op("aten::threshold_backward", g, T(s.self), s.threshold));

/** smooth_l1_loss / huber_loss: self and target through the backward op (target with the two swapped). */
function regressionLoss(opName: string, name: string, backward: string): Derivative {
  return formula({
    op: opName,
    name,
    inputs: { self: 0, target: 1 },
    save: (args) => ({ self: args[0], target: args[1], reduction: args[2], param: args[3] }),
    grads: {
      self: (g, s) => op(backward, g, T(s.self), T(s.target), s.reduction, s.param),
      target: (g, s) => op(backward, g, T(s.target), T(s.self), s.reduction, s.param),
    },
  });
}

/** PyTorch's infinitely_differentiable_logit_backward (C++ evaluates arguments right to left). */
function logitDoubleBackwardable(g: Tensor, self: Tensor, eps: number | null): Tensor {
  const other = eps !== null ? zeros0(self) : op("aten::fill_.Scalar", op("aten::empty.memory_format", [], self.dtype, null, self.device, null, null), NaN);
  const value = div(g, mul(self, scalarMinus(1.0, self)));
  const [lo, hi] = eps !== null ? [eps, 1.0 - eps] : [0.0, 1.0];
  const below = op("aten::le.Scalar", self, hi);
  const cond = op("aten::logical_and", op("aten::ge.Scalar", self, lo), below);
  return where(cond, value, other);
}

/** PyTorch's binary_cross_entropy_target_backward. */
function bceTargetBackward(g: Tensor, self: Tensor, target: Tensor, weight: Tensor | null, reduction: number): Tensor {
  let gt = op("aten::neg_", op("aten::logit", self, null));
  gt = subclassLike(g) ? mul(gt, g) : op("aten::mul_.Tensor", gt, g);
  if (weight) gt = subclassLike(weight) ? mul(gt, weight) : op("aten::mul_.Tensor", gt, weight);
  if (reduction === 1) gt = op("aten::div_.Scalar", gt, target.numel());
  return gt;
}

const logit = onSelfArgs("aten::logit", "LogitBackward0", ["eps"], (g, s) => {
  const eps = (s.eps ?? null) as number | null;
  return isGradEnabled() ? logitDoubleBackwardable(g, T(s.self), eps) : op("aten::logit_backward", g, T(s.self), eps);
});

/** The activation rows (and those of the regression losses). */
export const ACTIVATION_DERIVATIVES: readonly Derivative[] = [
  leakyRelu,
  onResultArgs("aten::leaky_relu_", "LeakyReluBackward1", ["slope"], (g, s) => op("aten::leaky_relu_backward", g, T(s.result), s.slope, true)),
  elu,
  onResultArgs("aten::elu_", "EluBackward1", ["alpha", "scale", "inputScale"], (g, s) =>
    op("aten::elu_backward", g, s.alpha, s.scale, s.inputScale, true, T(s.result)),
  ),
  onSelfArgs("aten::celu", "CeluBackward0", ["alpha"], (g, s) => op("aten::elu_backward", g, s.alpha, 1, celuInputScale(s.alpha), false, T(s.self))),
  onResultArgs("aten::celu_", "CeluBackward1", ["alpha"], (g, s) => op("aten::elu_backward", g, s.alpha, 1, celuInputScale(s.alpha), true, T(s.result))),
  onSelfArgs("aten::softplus", "SoftplusBackward0", ["beta", "threshold"], (g, s) => op("aten::softplus_backward", g, T(s.self), s.beta, s.threshold)),
  hardtanh,
  inplaceOf(hardtanh, "aten::hardtanh_"),
  hardsigmoid,
  inplaceOf(hardsigmoid, "aten::hardsigmoid_"),
  hardswish,
  inplaceOf(hardswish, "aten::hardswish_"),
  mish,
  inplaceOf(mish, "aten::mish_"),
  formula({
    op: "aten::log_sigmoid_forward",
    name: "LogSigmoidBackward0",
    inputs: { self: 0 },
    differentiableOutputs: [0],
    save: (args, out) => ({ self: args[0], buffer: (out as Tensor[])[1] }),
    grads: { self: (g, s) => op("aten::log_sigmoid_backward", g, T(s.self), T(s.buffer)) },
  }),
  onSelfArgs("aten::glu", "GluBackward0", ["dim"], (g, s) => op("aten::glu_backward", g, T(s.self), s.dim)),
  onSelfArgs("aten::softshrink", "SoftshrinkBackward0", ["lambd"], (g, s) => op("aten::softshrink_backward", g, T(s.self), s.lambd)),
  onSelfArgs("aten::hardshrink", "HardshrinkBackward0", ["lambd"], (g, s) => op("aten::hardshrink_backward", g, T(s.self), s.lambd)),
  threshold,
  { ...inplaceOf(threshold, "aten::threshold_"), name: "ThresholdBackward1" },
  logit,
  inplaceOf(logit, "aten::logit_"),
  formula({
    op: "aten::binary_cross_entropy",
    name: "BinaryCrossEntropyBackward0",
    inputs: { self: 0, target: 1 },
    save: (args) => ({ self: args[0], target: args[1], weight: args[2] ?? null, reduction: args[3] }),
    grads: {
      self: (g, s) => op("aten::binary_cross_entropy_backward", g, T(s.self), T(s.target), s.weight, s.reduction),
      target: (g, s) => bceTargetBackward(g, T(s.self), T(s.target), (s.weight ?? null) as Tensor | null, s.reduction as number),
    },
  }),
  regressionLoss("aten::smooth_l1_loss", "SmoothL1LossBackward0", "aten::smooth_l1_loss_backward"),
  regressionLoss("aten::huber_loss", "HuberLossBackward0", "aten::huber_loss_backward"),
  // double backward of the backward ops
  maskedBackwardRow("aten::hardtanh_backward", "HardtanhBackwardBackward0", 2),
  maskedBackwardRow("aten::softshrink_backward", "SoftshrinkBackwardBackward0", 1),
  maskedBackwardRow("aten::hardshrink_backward", "HardshrinkBackwardBackward0", 1),
  formula({
    op: "aten::leaky_relu_backward",
    name: "LeakyReluBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ self: args[1], slope: args[2] }),
    grads: {
      grad_output: (g, s) => op("aten::leaky_relu_backward", g, T(s.self), s.slope, false),
      self: (g) => zerosLike(g),
    },
  }),
  formula({
    op: "aten::elu_backward",
    name: "EluBackwardBackward0",
    inputs: { grad_output: 0, self_or_result: 5 },
    save: (args) => ({ grad_output: args[0], alpha: args[1], scale: args[2], inputScale: args[3], isResult: args[4], sor: args[5] }),
    grads: {
      grad_output: (g, s) => op("aten::elu_backward", g, s.alpha, s.scale, s.inputScale, s.isResult, T(s.sor)),
      self_or_result: (g, s) =>
        eluDoubleBackward(g, T(s.grad_output), s.alpha as Scalar, s.scale as Scalar, s.inputScale as Scalar, s.isResult as boolean, T(s.sor)),
    },
  }),
  formula({
    op: "aten::softplus_backward",
    name: "SoftplusBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ grad_output: args[0], self: args[1], beta: args[2], threshold: args[3] }),
    grads: {
      grad_output: (g, s) => op("aten::softplus_backward", g, T(s.self), s.beta, s.threshold),
      // softplus_double_backward(grad * grad_output, self, beta, threshold):
      // sigmoid_backward(grad, x.sigmoid()) * (x < threshold).type_as(grad) * beta, x = self * beta
      self: (g, s) => {
        const gg = mul(g, T(s.grad_output));
        const x = mulScalar(T(s.self), s.beta as Scalar);
        const below = maskAs(op("aten::lt.Scalar", x, s.threshold), gg);
        const sb = op("aten::sigmoid_backward", gg, op("aten::sigmoid", x));
        return mulScalar(mul(sb, below), s.beta as Scalar);
      },
    },
  }),
  formula({
    op: "aten::log_sigmoid_backward",
    name: "LogSigmoidBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ grad_output: args[0], self: args[1], buffer: args[2] }),
    grads: {
      grad_output: (g, s) => op("aten::log_sigmoid_backward", g, T(s.self), T(s.buffer)),
      // log_sigmoid_double_backward(grad * grad_output, self): z = sigmoid(self); grad * (z - 1) * z
      self: (g, s) => {
        const gg = mul(g, T(s.grad_output));
        const z = op("aten::sigmoid", T(s.self));
        return mul(mul(gg, op("aten::sub.Scalar", z, 1, 1)), z);
      },
    },
  }),
  formula({
    op: "aten::hardswish_backward",
    name: "HardswishBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ grad_output: args[0], self: args[1] }),
    grads: {
      grad_output: (g, s) => op("aten::hardswish_backward", g, T(s.self)),
      // where(logical_and(-3.0 < self, self < 3.0), grad * grad_output / 3.0, zeros({}))
      self: (g, s) => {
        const zero = zeros0(T(s.self));
        const v = divScalar(mul(g, T(s.grad_output)), 3.0);
        // C++ evaluates the arguments right to left
        const below = op("aten::lt.Scalar", T(s.self), 3.0);
        const cond = op("aten::logical_and", op("aten::gt.Scalar", T(s.self), -3.0), below);
        return where(cond, v, zero);
      },
    },
  }),
];
