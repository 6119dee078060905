// The gradcheck tables of the pointwise math formulas (src/autograd/derivatives-math.ts): the
// out-of-place rows (MATH_CASES, in the coverage census of gradcheck-2.test.ts) and the in-place
// rows that clone the original self (MATH_INPLACE_CASES, labelled by op as gradcheck-inplace.test.ts
// requires). Run by gradcheck-math.test.ts.
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { type Case, c, f, pos, x } from "./gradcheck-harness.js";

const A = "aten::";
const aten = torch.ops.aten;

/** Out-of-place rows (inputs away from kinks, poles and ties). */
export const MATH_CASES: Case[] = [
  c("atan2", A + "atan2", [x([2, 3]), x([3], { offset: 0.3 })]),
  c("hypot", A + "hypot", [x([2, 3]), x([3], { offset: 0.3 })]),
  c("fmod.Tensor", A + "fmod.Tensor", [x([2, 3], { scale: 3, offset: 0.11 }), pos([3], 0.9)]),
  c("fmod.Scalar", A + "fmod.Scalar", [x([2, 3], { scale: 3, offset: 0.11 }), 0.7]),
  f("fmod_.Scalar", (a) => aten.fmod_.Scalar(a.mul(1), 0.7) as Tensor, [x([2, 3], { scale: 3, offset: 0.11 })]),
  c("xlogy.Tensor", A + "xlogy.Tensor", [x([2, 3]), pos([3])]),
  c("xlogy.Scalar_Self", A + "xlogy.Scalar_Self", [2.5, pos([2, 3])]),
  c("xlogy.Scalar_Other", A + "xlogy.Scalar_Other", [x([2, 3]), 2.5]),
  c("fmax", A + "fmax", [x([2, 3]), x([3], { offset: 0.05 })]),
  c("fmin", A + "fmin", [x([2, 3]), x([3], { offset: 0.05 })]),
  c("frac", A + "frac", [x([2, 3], { scale: 3, offset: 0.13 })]),
  f("frac_", (a) => aten.frac_.default(a.mul(1)) as Tensor, [x([2, 3], { scale: 3, offset: 0.13 })]),
  c("erfinv", A + "erfinv", [x([2, 3], { scale: 0.9 })]),
  c("lgamma", A + "lgamma", [x([2, 3], { scale: 2, offset: 2.6 })]),
  c("lgamma of negatives", A + "lgamma", [x([2, 3], { values: [-0.5, -1.3, -2.7, -3.2, -0.2, -4.6] })]),
  c("digamma", A + "digamma", [x([2, 3], { scale: 2, offset: 2.6 })]),
  c("digamma of negatives", A + "digamma", [x([2, 3], { values: [-0.5, -1.3, -2.7, -3.2, -0.2, -4.6] })]),
  c("polygamma n=1", A + "polygamma", [1, pos([2, 3])]),
  c("polygamma n=3", A + "polygamma", [3, pos([2, 3])]),
  c("nan_to_num", A + "nan_to_num", [x([2, 3])]),
];

/** In-place rows that need the original self, each on an intermediate (labels: the op names). */
export const MATH_INPLACE_CASES: Case[] = [
  f("atan2_", (a, b) => aten.atan2_.default(a.mul(1), b) as Tensor, [x([2, 3]), x([3], { offset: 0.3 })]),
  f("hypot_", (a, b) => aten.hypot_.default(a.mul(1), b) as Tensor, [x([2, 3]), x([3], { offset: 0.3 })]),
  f("fmod_.Tensor", (a, b) => aten.fmod_.Tensor(a.mul(1), b) as Tensor, [x([2, 3], { scale: 3, offset: 0.11 }), pos([3], 0.9)]),
  f("xlogy_.Tensor", (a, b) => aten.xlogy_.Tensor(a.mul(1), b) as Tensor, [x([2, 3]), pos([3])]),
  f("xlogy_.Scalar_Other", (a) => aten.xlogy_.Scalar_Other(a.mul(1), 2.5) as Tensor, [x([2, 3])]),
  f("erfinv_", (a) => aten.erfinv_.default(a.mul(1)) as Tensor, [x([2, 3], { scale: 0.9 })]),
  f("lgamma_", (a) => aten.lgamma_.default(a.mul(1)) as Tensor, [x([2, 3], { scale: 2, offset: 2.6 })]),
  f("digamma_", (a) => aten.digamma_.default(a.mul(1)) as Tensor, [x([2, 3], { scale: 2, offset: 2.6 })]),
  f("polygamma_", (a) => aten.polygamma_.default(a.mul(1), 2) as Tensor, [pos([2, 3])]),
  f("nan_to_num_", (a) => aten.nan_to_num_.default(a.mul(1)) as Tensor, [x([2, 3])]),
];
