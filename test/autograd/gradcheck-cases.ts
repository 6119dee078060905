// The gradcheck tables of the arithmetic, elementwise, selection and reduction formulas (run by
// gradcheck.test.ts): inputs chosen away from kinks and ties, with broadcasting and in-place
// forms. The shape, indexing, matrix and nn tables are in gradcheck-cases-2.ts.
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { type Case, bools, c, f, pos, x } from "./gradcheck-harness.js";

/** An in-place aten op applied to a copy of the first argument (`a * 1`), with the others. */
function inplace(label: string, op: string, args: unknown[], kwargs?: Record<string, unknown>): Case {
  return f(label, (a, ...rest) => {
    const fn = torch.lookupOp(op)!;
    return kwargs ? fn(a!.mul(1), ...rest, kwargs) : fn(a!.mul(1), ...rest);
  }, args);
}
export type { Tensor };

const A = "aten::";
const TIES_FREE = [-1.3, -0.6, 0.1, 0.35, 0.8, 1.7];

/** Arithmetic, in every overload that reaches a kernel, with broadcasting. */
export const ARITH_CASES: Case[] = [
  c("add broadcast alpha", A + "add.Tensor", [x([2, 3]), x([3])], { alpha: 2 }),
  c("add.Scalar", A + "add.Scalar", [x([2, 3]), 2]),
  c("sub broadcast", A + "sub.Tensor", [x([2, 1]), x([3])]),
  c("sub alpha", A + "sub.Tensor", [x([2, 3]), x([2, 3])], { alpha: 3 }),
  c("sub.Scalar", A + "sub.Scalar", [x([2, 3]), 2, 3]),
  c("rsub.Tensor", A + "rsub.Tensor", [x([2, 3]), x([3])], { alpha: 2 }),
  c("rsub.Scalar", A + "rsub.Scalar", [x([2, 3]), 2, 3]),
  c("mul broadcast", A + "mul.Tensor", [x([2, 3]), x([2, 1])]),
  c("mul.Scalar", A + "mul.Scalar", [x([2, 3]), 3]),
  c("div broadcast", A + "div.Tensor", [x([2, 3]), pos([3])]),
  c("div.Scalar", A + "div.Scalar", [x([2, 3]), 4]),
  c("div.Tensor_mode none", A + "div.Tensor_mode", [x([2, 3]), pos([3])], { rounding_mode: null }),
  c("div.Tensor_mode floor", A + "div.Tensor_mode", [x([2, 3], { scale: 3 }), pos([3])], { rounding_mode: "floor" }),
  c("div.Scalar_mode trunc", A + "div.Scalar_mode", [x([2, 3], { scale: 3 }), 2], { rounding_mode: "trunc" }),
  c("neg", A + "neg", [x([2, 3])]),
  c("remainder.Tensor", A + "remainder.Tensor", [x([2, 3], { scale: 2 }), pos([3], 2.2)]),
  c("remainder.Scalar", A + "remainder.Scalar", [x([2, 3], { scale: 2 }), 0.7]),
  c("lerp.Scalar broadcast", A + "lerp.Scalar", [x([2, 3]), x([3]), 0.7]),
  c("lerp.Scalar weight", A + "lerp.Scalar", [x([2, 3]), x([2, 3]), 0.3]),
  c("lerp.Tensor broadcast", A + "lerp.Tensor", [x([2, 3]), x([3]), x([2, 1], { scale: 0.5, offset: 0.5 })]),
  c("addcmul broadcast value", A + "addcmul", [x([2, 3]), x([3]), x([2, 1])], { value: 0.5 }),
  c("addcdiv broadcast value", A + "addcdiv", [x([2, 3]), x([3]), x([2, 1], { scale: 0.5, offset: 2 })], { value: -2 }),
  f("add_.Tensor", (a, b) => a.mul(1).add_(b, { alpha: 2 }), [x([2, 3]), x([3])]),
  f("sub_.Tensor", (a, b) => a.mul(1).sub_(b), [x([2, 3]), x([2, 3])]),
  f("mul_.Scalar", (a) => a.mul(1).mul_(3), [x([2, 3])]),
  f("mul_.Tensor (constant other)", (a, b) => a.mul(1).mul_(b), [x([2, 3]), x([3], { constant: true })]),
  f("div_.Tensor (constant other)", (a, b) => a.mul(1).div_(b), [x([2, 3]), x([3], { scale: 0.5, offset: 2, constant: true })]),
  f("div_.Scalar", (a) => a.mul(1).div_(4), [x([2, 3])]),
  f("neg_", (a) => a.mul(1).neg_(), [x([2, 3])]),
  inplace("add_.Scalar", A + "add_.Scalar", [x([2, 3]), 2, 1]),
  inplace("sub_.Scalar", A + "sub_.Scalar", [x([2, 3]), 2, 3]),
  inplace("mul_.Scalar", A + "mul_.Scalar", [x([2, 3]), 3]),
  inplace("div_.Scalar", A + "div_.Scalar", [x([2, 3]), 4]),
  inplace("div_.Tensor_mode floor", A + "div_.Tensor_mode", [x([2, 3], { scale: 3 }), x([3], { scale: 0.5, offset: 2, constant: true })], { rounding_mode: "floor" }),
  inplace("div_.Scalar_mode", A + "div_.Scalar_mode", [x([2, 3], { scale: 3 }), 2], { rounding_mode: "trunc" }),
  inplace("remainder_.Scalar", A + "remainder_.Scalar", [x([2, 3], { scale: 2 }), 0.7]),
  inplace("lerp_.Scalar", A + "lerp_.Scalar", [x([2, 3]), x([3]), 0.3]),
  inplace("addcmul_", A + "addcmul_", [x([2, 3]), x([3]), x([2, 3])], { value: 2 }),
  inplace("addcdiv_", A + "addcdiv_", [x([2, 3]), x([3]), x([2, 3], { scale: 0.5, offset: 2 })], { value: 0.5 }),
];

/** Elementwise math, away from kinks. */
export const POINTWISE_CASES: Case[] = [
  ...["exp", "sin", "cos", "tanh", "sigmoid", "silu", "relu", "abs", "sign", "sgn", "ceil", "floor", "round"].map((n) => c(n, A + n, [x([2, 3], { scale: 2 })])),
  ...["log", "log1p", "sqrt", "rsqrt", "reciprocal"].map((n) => c(n, A + n, [pos([2, 3])])),
  c("round.decimals", A + "round.decimals", [x([2, 3])], { decimals: 1 }),
  ...["tan", "atan", "sinh", "cosh", "asinh", "expm1", "exp2", "erf"].map((n) => c(n, A + n, [x([2, 3], { scale: 1.2 })])),
  ...["asin", "acos", "atanh"].map((n) => c(n, A + n, [x([2, 3], { scale: 0.5 })])),
  ...["acosh", "log2", "log10"].map((n) => c(n, A + n, [pos([2, 3])])),
  c("trunc", A + "trunc", [x([2, 3], { scale: 3 })]),
  ...["tan_", "expm1_", "exp2_", "trunc_"].map((n) => inplace(n, A + n, [x([2, 3], { scale: 1.2 })])),
  c("gelu", A + "gelu", [x([2, 3], { scale: 2 })]),
  c("gelu tanh", A + "gelu", [x([2, 3], { scale: 2 })], { approximate: "tanh" }),
  c("pow.Tensor_Scalar 2 (any sign)", A + "pow.Tensor_Scalar", [x([2, 3]), 2]),
  ...[3, 0.5, 0, -1.5].map((e) => c(`pow.Tensor_Scalar ${e}`, A + "pow.Tensor_Scalar", [pos([2, 3]), e])),
  c("pow.Tensor_Tensor broadcast", A + "pow.Tensor_Tensor", [pos([2, 3]), x([3])]),
  c("pow.Scalar", A + "pow.Scalar", [2.5, x([2, 3])]),
  f("exp_", (a) => a.mul(1).exp_(), [x([2, 3])]),
  f("sqrt_", (a) => a.mul(1).sqrt_(), [pos([2, 3])]),
  f("rsqrt_", (a) => a.mul(1).rsqrt_(), [pos([2, 3])]),
  f("reciprocal_", (a) => a.mul(1).reciprocal_(), [pos([2, 3])]),
  f("sigmoid_", (a) => a.mul(1).sigmoid_(), [x([2, 3])]),
  f("tanh_", (a) => a.mul(1).tanh_(), [x([2, 3])]),
  f("relu_", (a) => a.mul(1).relu_(), [x([2, 3])]),
  ...["sign_", "ceil_", "floor_", "round_"].map((n) => inplace(n, A + n, [x([2, 3], { scale: 2 })])),
  inplace("round_.decimals", A + "round_.decimals", [x([2, 3], { scale: 2 })], { decimals: 1 }),
];

/** Selection between values: bounds and operands away from ties. */
export const SELECT_CASES: Case[] = [
  c("clamp", A + "clamp", [x([6], { values: TIES_FREE }), -0.5, 0.5]),
  c("clamp min", A + "clamp", [x([6], { values: TIES_FREE }), 0.2]),
  c("clamp max", A + "clamp", [x([6], { values: TIES_FREE }), null, 0.2]),
  c("clamp.Tensor", A + "clamp.Tensor", [x([2, 3], { values: TIES_FREE }), x([3], { values: [-1, 0, 0.5] }), x([2, 3], { values: [1, 0.2, 2, -2, 1, 1.5] })]),
  c("clamp.Tensor min", A + "clamp.Tensor", [x([2, 3], { values: TIES_FREE }), x([3], { values: [-1, 0, 0.5] })]),
  c("clamp.Tensor max", A + "clamp.Tensor", [x([2, 3], { values: TIES_FREE }), null, x([3], { values: [-1, 0, 0.5] })]),
  c("clamp_min", A + "clamp_min", [x([6], { values: TIES_FREE }), 0.2]),
  c("clamp_max", A + "clamp_max", [x([6], { values: TIES_FREE }), 0.2]),
  c("clamp_min.Tensor", A + "clamp_min.Tensor", [x([2, 3], { values: TIES_FREE }), x([3], { values: [-1, 0, 0.5] })]),
  c("clamp_max.Tensor", A + "clamp_max.Tensor", [x([2, 3], { values: TIES_FREE }), x([3], { values: [-1, 0, 0.5] })]),
  c("maximum broadcast", A + "maximum", [x([2, 3], { values: TIES_FREE }), x([3], { values: [-1, 0, 0.5] })]),
  c("minimum broadcast", A + "minimum", [x([2, 3], { values: TIES_FREE }), x([2, 1], { values: [0.2, 0.6] })]),
  c("where broadcast", A + "where.self", [bools([true, false, true, false, false, true], [2, 3]), x([2, 3]), x([3])]),
  c("masked_fill.Scalar", A + "masked_fill.Scalar", [x([2, 3]), bools([true, false, true]), 2]),
  c("masked_fill.Tensor", A + "masked_fill.Tensor", [x([2, 3]), bools([true, false, true]), x([])]),
  f("masked_fill_.Scalar", (a, m) => a.mul(1).maskedFill_(m, 2), [x([2, 3]), bools([false, true, true])]),
  f("copy_", (a, b) => a.mul(1).copy_(b), [x([2, 3]), x([3])]),
  inplace("masked_fill_.Tensor", A + "masked_fill_.Tensor", [x([2, 3]), bools([true, false, true]), x([])]),
];

/** Reductions: distinct values (no ties at the extremes). */
export const REDUCE_CASES: Case[] = [
  c("sum", A + "sum", [x([2, 3])]),
  c("sum.dim_IntList", A + "sum.dim_IntList", [x([2, 3, 2]), [0, 2]]),
  c("sum.dim_IntList keepdim", A + "sum.dim_IntList", [x([2, 3]), [1], true]),
  c("mean", A + "mean", [x([2, 3])]),
  c("mean.dim", A + "mean.dim", [x([2, 3, 2]), [-1]]),
  c("amax", A + "amax", [x([2, 3]), [1]]),
  c("amax all", A + "amax", [x([2, 3])]),
  c("amin keepdim", A + "amin", [x([2, 3, 2]), [0, 2], true]),
  c("max.dim", A + "max.dim", [x([2, 3]), 1], undefined, 0),
  c("min.dim keepdim", A + "min.dim", [x([3, 2]), 0, true], undefined, 0),
  c("max", A + "max", [x([2, 3])]),
  c("min", A + "min", [x([2, 3])]),
  c("prod", A + "prod", [x([2, 3], { offset: 0.2 })]),
  c("prod with a zero", A + "prod", [x([2, 3], { values: [0.5, 0, 1.5, -1, 2, 0.7] })]),
  c("prod.dim_int", A + "prod.dim_int", [x([2, 3]), 1]),
  c("prod.dim_int zero keepdim", A + "prod.dim_int", [x([2, 3], { values: [0.5, 0, 1.5, -1, 2, 0.7] }), 0, true]),
  c("var", A + "var.correction", [x([2, 3])]),
  c("var dim", A + "var.correction", [x([2, 3]), [1]]),
  c("var dims keepdim correction 0", A + "var.correction", [x([2, 3, 2]), [0, 2]], { correction: 0, keepdim: true }),
  c("std", A + "std.correction", [x([2, 3])]),
  c("std dim", A + "std.correction", [x([2, 3]), [0]]),
  c("logsumexp", A + "logsumexp", [x([2, 3]), [1]]),
  c("logsumexp keepdim", A + "logsumexp", [x([2, 3]), [0], true]),
  c("cumsum", A + "cumsum", [x([2, 3]), 1]),
  f("cumsum_", (a) => a.mul(1).cumsum_(0), [x([2, 3])]),
  c("cumprod", A + "cumprod", [x([2, 3]), 1]),
  c("cumprod dim 0", A + "cumprod", [x([3, 2]), 0]),
  c("cumprod one zero per line", A + "cumprod", [x([2, 4], { values: [0.5, 0, 1.5, -1, 2, 0.7, 0, 1.2] }), -1]),
  c("cumprod two zeros", A + "cumprod", [x([6], { values: [1.5, 0, 0.8, 0, -1.2, 0.6] }), 0]),
  c("cumprod leading zero", A + "cumprod", [x([3], { values: [0, 0.8, -1.2] }), 0]),
  c("cumprod 0-dim", A + "cumprod", [x([], { values: [0.7] }), 0]),
  ...[2, 1, Infinity, 3, 0.5, 1.5].map((p) => c(`linalg_vector_norm ${p}`, A + "linalg_vector_norm", [x([2, 3]), p, [1]])),
  c("linalg_vector_norm all", A + "linalg_vector_norm", [x([2, 3])]),
  c("norm.Scalar", A + "norm.Scalar", [x([2, 3])]),
  c("norm.ScalarOpt_dim", A + "norm.ScalarOpt_dim", [x([2, 3]), 3, [1]]),
  c("sort", A + "sort", [x([2, 3])], undefined, 0),
  c("sort.stable descending", A + "sort.stable", [x([2, 3])], { stable: true, dim: 0, descending: true }, 0),
  c("topk", A + "topk", [x([2, 4]), 2], undefined, 0),
];

