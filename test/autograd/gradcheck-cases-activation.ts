// Gradcheck cases of the activation formulas (src/autograd/derivatives-activation.ts): the ops,
// the in-place forms whose rows read the result, and the backward ops' double-backward rows.
// Inputs stay away from the kinks (hardtanh at ±1, hardsigmoid/hardswish at ±3, shrink at ±λ).
import * as torch from "../../src/index.js";
import { type Case, c, f, x } from "./gradcheck-harness.js";

const A = "aten::";
const ops = torch.ops.aten;

export const ACTIVATION_CASES: Case[] = [
  c("leaky_relu", A + "leaky_relu", [x([2, 3]), 0.2]),
  c("leaky_relu default slope", A + "leaky_relu", [x([2, 3])]),
  c("elu", A + "elu", [x([2, 3], { scale: 2 })]),
  c("elu with scales", A + "elu", [x([2, 3], { scale: 2 }), 0.5, 2, 1.5]),
  c("celu", A + "celu", [x([2, 3], { scale: 2 }), 0.7]),
  c("softplus", A + "softplus", [x([2, 3], { scale: 3 })]),
  c("softplus beta", A + "softplus", [x([2, 3], { scale: 3 }), 2, 4]),
  c("hardtanh", A + "hardtanh", [x([2, 3], { scale: 2 })]),
  c("hardsigmoid", A + "hardsigmoid", [x([2, 3], { scale: 4 })]),
  c("hardswish", A + "hardswish", [x([2, 3], { scale: 4 })]),
  c("mish", A + "mish", [x([2, 3], { scale: 2 })]),
  c("log_sigmoid_forward", A + "log_sigmoid_forward", [x([2, 3], { scale: 3 })], undefined, 0),
  c("glu", A + "glu", [x([2, 4]), 1]),
  c("glu dim 0", A + "glu", [x([4, 3]), 0]),
  c("softshrink", A + "softshrink", [x([2, 3], { scale: 2 }), 0.5]),
  c("hardshrink", A + "hardshrink", [x([2, 3], { scale: 2 }), 0.5]),
  c("threshold", A + "threshold", [x([2, 3]), 0.1, 2]),
  f("leaky_relu_", (a) => ops.leaky_relu_.default(a.mul(1), 0.2), [x([2, 3])]),
  f("elu_", (a) => ops.elu_.default(a.mul(1), 0.5, 2, 1.5), [x([2, 3], { scale: 2 })]),
  f("celu_", (a) => ops.celu_.default(a.mul(1), 0.7), [x([2, 3], { scale: 2 })]),
  ...[0, 1, 2].map((r) => c(`smooth_l1_loss reduction ${r}`, A + "smooth_l1_loss", [x([2, 3], { scale: 2 }), x([2, 3]), r, 0.5])),
  ...[0, 1, 2].map((r) => c(`huber_loss reduction ${r}`, A + "huber_loss", [x([2, 3], { scale: 2 }), x([2, 3]), r, 0.7])),
  c("l1_loss", A + "l1_loss", [x([2, 3], { scale: 2 }), x([2, 3])]),
  c("logit", A + "logit", [x([2, 3], { scale: 0.4, offset: 0.5 })]),
  c("logit eps", A + "logit", [x([2, 3], { scale: 0.45, offset: 0.5 }), 0.2]),
  ...[0, 1, 2].map((r) =>
    c(`binary_cross_entropy reduction ${r}`, A + "binary_cross_entropy", [x([2, 3], { scale: 0.4, offset: 0.5 }), x([2, 3], { scale: 0.4, offset: 0.5 }), null, r]),
  ),
  c("binary_cross_entropy weighted", A + "binary_cross_entropy", [
    x([2, 3], { scale: 0.4, offset: 0.5 }),
    x([2, 3], { scale: 0.4, offset: 0.5 }),
    x([3], { offset: 1.5, constant: true }),
    1,
  ]),
  ...[0, 1, 2].map((r) =>
    c(`binary_cross_entropy_with_logits reduction ${r}`, A + "binary_cross_entropy_with_logits", [x([2, 3], { scale: 3 }), x([2, 3], { scale: 0.4, offset: 0.5 }), null, null, r]),
  ),
  c("binary_cross_entropy_with_logits weight and pos_weight", A + "binary_cross_entropy_with_logits", [
    x([2, 3], { scale: 3 }),
    x([2, 3], { scale: 0.4, offset: 0.5 }),
    x([2, 3], { offset: 1.5, constant: true }),
    x([3], { offset: 1.2, constant: true }),
    1,
  ]),
  // backward ops as functions of their own inputs
  c("hardtanh_backward", A + "hardtanh_backward", [x([2, 3]), x([2, 3], { scale: 2, constant: true }), -1, 1]),
  c("softshrink_backward", A + "softshrink_backward", [x([2, 3]), x([2, 3], { scale: 2, constant: true }), 0.5]),
  c("hardshrink_backward", A + "hardshrink_backward", [x([2, 3]), x([2, 3], { scale: 2, constant: true }), 0.5]),
  c("leaky_relu_backward", A + "leaky_relu_backward", [x([2, 3]), x([2, 3], { constant: true }), 0.2, false]),
  c("elu_backward", A + "elu_backward", [x([2, 3]), 0.5, 2, 1.5, false, x([2, 3], { scale: 2 })]),
  c("elu_backward of a result", A + "elu_backward", [x([2, 3]), 1, 1, 1, true, x([2, 3], { scale: 0.9 })]),
  c("softplus_backward", A + "softplus_backward", [x([2, 3]), x([2, 3], { scale: 3 }), 2, 4]),
  c("hardswish_backward", A + "hardswish_backward", [x([2, 3]), x([2, 3], { scale: 4 })]),
  // the buffer is exp(-|x|) of the forward: only grad_output is perturbed here (the self row is
  // checked by gradgradcheck through log_sigmoid, where the buffer follows self)
  f(
    "log_sigmoid_backward",
    (g, s) => ops.log_sigmoid_backward.default(g, s, (ops.log_sigmoid_forward.default(s) as torch.Tensor[])[1]!),
    [x([2, 3]), x([2, 3], { scale: 3, constant: true })],
  ),
];

/** In-place forms whose rows read the original self (run by gradcheck-inplace.test.ts). */
export const ACTIVATION_INPLACE_CASES: Case[] = [
  f("hardtanh_", (a) => ops.hardtanh_.default(a.mul(1), -0.5, 0.5), [x([2, 3])]),
  f("hardsigmoid_", (a) => ops.hardsigmoid_.default(a.mul(1)), [x([2, 3], { scale: 4 })]),
  f("hardswish_", (a) => ops.hardswish_.default(a.mul(1)), [x([2, 3], { scale: 4 })]),
  f("mish_", (a) => ops.mish_.default(a.mul(1)), [x([2, 3], { scale: 2 })]),
  f("threshold_", (a) => ops.threshold_.default(a.mul(1), 0.1, 2), [x([2, 3])]),
  f("logit_", (a) => ops.logit_.default(a.mul(1)), [x([2, 3], { scale: 0.4, offset: 0.5 })]),
];
