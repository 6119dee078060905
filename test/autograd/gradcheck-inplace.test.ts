// Finite-difference gradcheck of the in-place ops whose derivative needs the original self
// (src/autograd/derivatives-inplace.ts), each applied to an intermediate (a leaf cannot be
// modified in place).
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { type Case, f, gradcheck, pos, x } from "./gradcheck-harness.js";
import { DERIVATIVES } from "../../src/autograd/derivatives.js";
import { ACTIVATION_INPLACE_CASES } from "./gradcheck-cases-activation.js";
import { MATH_INPLACE_CASES } from "./gradcheck-cases-math.js";

const A = torch.ops.aten;
export const INPLACE_CASES: Case[] = [
  ...ACTIVATION_INPLACE_CASES,
  f("sin_", (a) => A.sin_.default(a.mul(1)), [x([2, 3])]),
  f("cos_", (a) => A.cos_.default(a.mul(1)), [x([2, 3])]),
  f("asin_", (a) => A.asin_.default(a.mul(1)), [x([2, 3], { scale: 0.5 })]),
  f("acos_", (a) => A.acos_.default(a.mul(1)), [x([2, 3], { scale: 0.5 })]),
  f("atan_", (a) => A.atan_.default(a.mul(1)), [x([2, 3])]),
  f("sinh_", (a) => A.sinh_.default(a.mul(1)), [x([2, 3])]),
  f("cosh_", (a) => A.cosh_.default(a.mul(1)), [x([2, 3])]),
  f("log2_", (a) => A.log2_.default(a.mul(1)), [pos([2, 3])]),
  f("log10_", (a) => A.log10_.default(a.mul(1)), [pos([2, 3])]),
  f("erf_", (a) => A.erf_.default(a.mul(1)), [x([2, 3])]),
  f("log_", (a) => A.log_.default(a.mul(1)), [pos([2, 3])]),
  f("log1p_", (a) => A.log1p_.default(a.mul(1)), [pos([2, 3])]),
  f("abs_", (a) => A.abs_.default(a.mul(1)), [x([2, 3], { offset: 0.05 })]),
  f("pow_.Scalar", (a) => A.pow_.Scalar(a.mul(1), 3), [x([2, 3])]),
  f("pow_.Tensor", (a, b) => A.pow_.Tensor(a.mul(1), b), [pos([2, 3]), x([2, 3])]),
  f("clamp_", (a) => A.clamp_.default(a.mul(1), -0.2, 0.3), [x([2, 3])]),
  f("clamp_.Tensor", (a, lo, hi) => A.clamp_.Tensor(a.mul(1), lo, hi), [x([2, 3]), x([2, 3], { offset: -0.4 }), x([2, 3], { offset: 0.4 })]),
  f("clamp_min_", (a) => A.clamp_min_.default(a.mul(1), 0.1), [x([2, 3])]),
  f("clamp_max_", (a) => A.clamp_max_.default(a.mul(1), 0.1), [x([2, 3])]),
  f("clamp_min_.Tensor", (a, m) => A.clamp_min_.Tensor(a.mul(1), m), [x([2, 3]), x([2, 3], { offset: 0.05 })]),
  f("clamp_max_.Tensor", (a, m) => A.clamp_max_.Tensor(a.mul(1), m), [x([2, 3]), x([2, 3], { offset: 0.05 })]),
  f("sgn_", (a) => A.sgn_.default(a.mul(1)), [x([2, 3], { offset: 0.05 })]),
  f("gelu_", (a) => A.gelu_.default(a.mul(1)), [x([2, 3])]),
  f("silu_", (a) => A.silu_.default(a.mul(1)), [x([2, 3])]),
  f("lerp_.Tensor", (a, b, w) => A.lerp_.Tensor(a.mul(1), b, w), [x([2, 3]), x([2, 3], { offset: 1 }), x([2, 3], { scale: 0.3 })]),
  f("remainder_.Tensor", (a, b) => A.remainder_.Tensor(a.mul(1), b), [x([2, 3], { offset: 0.13 }), pos([2, 3])]),
  f("squeeze_", (a) => A.squeeze_.default(a.mul(1)), [x([2, 1, 3])]),
  f("squeeze_.dim", (a) => A.squeeze_.dim(a.mul(1), 1), [x([2, 1, 3])]),
  f("squeeze_.dims", (a) => A.squeeze_.dims(a.mul(1), [1]), [x([2, 1, 3])]),
  f("cumprod_", (a) => A.cumprod_.default(a.mul(1), 1), [x([2, 3], { values: [0.5, 0, 1.5, -1, 2, 0.7] })]),
  f("mul_.Tensor", (a, b) => A.mul_.Tensor(a.mul(1), b), [x([2, 3]), x([2, 3], { offset: 0.5 })]),
  f("div_.Tensor", (a, b) => A.div_.Tensor(a.mul(1), b), [x([2, 3]), pos([2, 3])]),
  f("div_.Tensor_mode", (a, b) => A.div_.Tensor_mode(a.mul(1), b, { rounding_mode: "floor" }), [x([2, 3], { scale: 5, offset: 0.13 }), pos([2, 3])]),
  f("as_strided", (a) => a.asStrided([2, 2], [1, 2], 1), [x([6])]),
  f("as_strided_", (a) => A.as_strided_.default(a.mul(1), [2, 2], [1, 2], 1), [x([6])]),
  ...MATH_INPLACE_CASES,
];

/** In-place ops on views of intermediates: the base's history is rebased (CopySlices). */
const VIEW_CASES: Case[] = [
  f("select then mul_ by a tensor", (a, b) => {
    const y = a.mul(1);
    y.select(0, 1).mul_(b);
    return y;
  }, [x([2, 3]), x([3], { offset: 0.5 })]),
  f("transposed slice then addcmul_", (a, b, c) => {
    const y = a.mul(1);
    y.t().slice(0, 1, 3).addcmul_(b, c);
    return y;
  }, [x([2, 3]), x([2, 2]), x([2, 2], { offset: 1 })]),
  f("base modified, then its view used", (a) => {
    const y = a.mul(1);
    const v = y.select(1, 2);
    y.exp_();
    return v.mul(y.select(1, 0));
  }, [x([2, 3])]),
  f("diagonal of a copy written from another tensor", (a, b) => {
    const y = a.mul(2);
    y.diagonal().copy_(b.sin());
    return y;
  }, [x([3, 3]), x([3])]),
  f("as_strided with overlapping output and input", (a) => a.expand([2, 3]).asStrided([2, 2], [1, 1]), [x([3])]),
];

describe("gradcheck of in-place ops on views", () => {
  for (const cs of VIEW_CASES) it(cs.label, () => gradcheck(cs));
});

describe("gradcheck of in-place ops that need the original self", () => {
  for (const cs of INPLACE_CASES) it(cs.label, () => gradcheck(cs));

  it("every derived in-place row has a case", () => {
    const derived = DERIVATIVES.filter((d) => d.saveBefore !== undefined && torch.lookupOp(d.op) !== undefined).map((d) => d.op.replace("aten::", ""));
    const labels = new Set(INPLACE_CASES.map((c) => c.label));
    expect(derived.filter((d) => !labels.has(d.replace(/\.default$/, "")))).toEqual([]);
  });
});
