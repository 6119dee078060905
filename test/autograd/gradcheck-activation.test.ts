// Gradcheck of the composite in-place activations (relu6_, selu_), and gradgradcheck through the
// activations' backward ops (their double-backward rows); the out-of-place cases are in
// gradcheck-cases-activation.ts (run with the nn table of gradcheck-2.test.ts).
import { describe, it } from "vitest";
import * as torch from "../../src/index.js";
import { type Case, c, f, gradcheck, gradgradcheck, x } from "./gradcheck-harness.js";

const ops = torch.ops.aten;
const A = "aten::";

// the rows' own in-place cases (ACTIVATION_INPLACE_CASES) run in gradcheck-inplace.test.ts
const INPLACE: Case[] = [
  f("relu6_", (a) => ops.relu6_.default(a.mul(1)), [x([2, 3], { scale: 8 })]),
  f("selu_", (a) => ops.selu_.default(a.mul(1)), [x([2, 3], { scale: 2 })]),
];

const SECOND: Case[] = [
  c("elu", A + "elu", [x([2, 3], { scale: 2 }), 0.5, 2, 1.5]),
  c("selu", A + "selu", [x([2, 3], { scale: 2 })]),
  c("celu", A + "celu", [x([2, 3], { scale: 2 }), 0.7]),
  f("elu_ (is_result)", (a) => ops.elu_.default(a.mul(1), 1, 1, 1), [x([2, 3], { scale: 2 })]),
  c("softplus", A + "softplus", [x([2, 3], { scale: 3 }), 2, 4]),
  c("log_sigmoid", A + "log_sigmoid", [x([2, 3], { scale: 3 })]),
  c("hardswish", A + "hardswish", [x([2, 3], { scale: 4 })]),
  c("mish", A + "mish", [x([2, 3], { scale: 2 })]),
  c("leaky_relu", A + "leaky_relu", [x([2, 3]), 0.2]),
  c("hardtanh", A + "hardtanh", [x([2, 3], { scale: 2 })]),
  c("softshrink", A + "softshrink", [x([2, 3], { scale: 2 })]),
  c("hardshrink", A + "hardshrink", [x([2, 3], { scale: 2 })]),
  c("logit", A + "logit", [x([2, 3], { scale: 0.4, offset: 0.5 })]),
  c("logit eps", A + "logit", [x([2, 3], { scale: 0.45, offset: 0.5 }), 0.2]),
];

describe("gradcheck: in-place activations (original self cloned)", () => {
  for (const cs of INPLACE) it(cs.label, () => gradcheck(cs));
});
describe("gradgradcheck: activations through their backward ops", () => {
  for (const cs of SECOND) it(cs.label, () => gradgradcheck(cs));
});
