// Tensor methods of the pointwise family (x.add(y), x.clamp(0, 1), x.maskedFill(m, 0), x.relu_()),
// mapped onto aten overloads the way PyTorch's Python bindings pick them: a JS number given for
// another operand of add/sub/mul/div/floor_divide becomes a wrapped 0-dim tensor; comparisons,
// pow, remainder, clamp and lerp use their Scalar overloads. Top-level functions: pointwise-functions.ts.

import { callOp, opHandle } from "../../dispatcher/call-op.js";
import { dispatcher } from "../../dispatcher/dispatcher.js";
import type { OperatorHandle } from "../../dispatcher/operator-entry.js";
import { Tensor } from "../tensor.js";
import { type TensorOrScalar, toTensorArg } from "../tensor-methods.js";

type Scalar = number | boolean | bigint;
/** Options of add/sub: `self + alpha * other`. */
export interface AlphaOptions {
  alpha?: Scalar;
}
/** Options of addcmul/addcdiv: the factor `value` of the product or quotient. */
export interface ValueOptions {
  value?: Scalar;
}
/** Options of div: rounding of the quotient (null: true division). */
export interface DivOptions {
  roundingMode?: "trunc" | "floor" | null;
}
/** Options of round: round to a number of decimal places. */
export interface RoundOptions {
  decimals?: number;
}
/** Options of gelu: the erf form ("none", default) or the tanh approximation. */
export interface GeluOptions {
  approximate?: "none" | "tanh";
}
/** A clamp bound: absent, a JS scalar, or a tensor. */
export type ClampBound = TensorOrScalar | null | undefined;

declare module "../tensor.js" {
  interface Tensor {
    /** `self + alpha * other` (`aten::add.Tensor`; a JS number is wrapped as a 0-dim tensor). */
    add(other: TensorOrScalar, opts?: AlphaOptions): Tensor;
    add_(other: TensorOrScalar, opts?: AlphaOptions): Tensor;
    /** `self - alpha * other` (`aten::sub.Tensor`). */
    sub(other: TensorOrScalar, opts?: AlphaOptions): Tensor;
    sub_(other: TensorOrScalar, opts?: AlphaOptions): Tensor;
    /** `self * other` (`aten::mul.Tensor`). */
    mul(other: TensorOrScalar): Tensor;
    mul_(other: TensorOrScalar): Tensor;
    /** `self / other`: true division (ints give float32), or rounded with `roundingMode` (`div.Tensor_mode`). */
    div(other: TensorOrScalar, opts?: DivOptions): Tensor;
    div_(other: TensorOrScalar, opts?: DivOptions): Tensor;
    /** Python's `%`: the result has the divisor's sign (`remainder.Tensor` / `remainder.Scalar`). */
    remainder(other: TensorOrScalar): Tensor;
    remainder_(other: TensorOrScalar): Tensor;
    /** Python's `//` (rounds toward -inf). */
    floorDivide(other: TensorOrScalar): Tensor;
    floorDivide_(other: TensorOrScalar): Tensor;
    /** `self ** exponent` (`pow.Tensor_Tensor` / `pow.Tensor_Scalar`). */
    pow(exponent: TensorOrScalar): Tensor;
    pow_(exponent: TensorOrScalar): Tensor;
    neg(): Tensor;
    neg_(): Tensor;
    abs(): Tensor;
    abs_(): Tensor;
    sign(): Tensor;
    sign_(): Tensor;
    exp(): Tensor;
    exp_(): Tensor;
    log(): Tensor;
    log_(): Tensor;
    log1p(): Tensor;
    log1p_(): Tensor;
    sqrt(): Tensor;
    sqrt_(): Tensor;
    rsqrt(): Tensor;
    rsqrt_(): Tensor;
    sin(): Tensor;
    sin_(): Tensor;
    cos(): Tensor;
    cos_(): Tensor;
    tanh(): Tensor;
    tanh_(): Tensor;
    tan(): Tensor;
    tan_(): Tensor;
    asin(): Tensor;
    asin_(): Tensor;
    acos(): Tensor;
    acos_(): Tensor;
    atan(): Tensor;
    atan_(): Tensor;
    sinh(): Tensor;
    sinh_(): Tensor;
    cosh(): Tensor;
    cosh_(): Tensor;
    asinh(): Tensor;
    asinh_(): Tensor;
    acosh(): Tensor;
    acosh_(): Tensor;
    atanh(): Tensor;
    atanh_(): Tensor;
    expm1(): Tensor;
    expm1_(): Tensor;
    exp2(): Tensor;
    exp2_(): Tensor;
    log2(): Tensor;
    log2_(): Tensor;
    log10(): Tensor;
    log10_(): Tensor;
    erf(): Tensor;
    erf_(): Tensor;
    trunc(): Tensor;
    trunc_(): Tensor;
    sigmoid(): Tensor;
    sigmoid_(): Tensor;
    reciprocal(): Tensor;
    reciprocal_(): Tensor;
    relu(): Tensor;
    relu_(): Tensor;
    /** GELU, exact (erf) or with `{ approximate: "tanh" }`. */
    gelu(opts?: GeluOptions): Tensor;
    gelu_(opts?: GeluOptions): Tensor;
    silu(): Tensor;
    silu_(): Tensor;
    floor(): Tensor;
    floor_(): Tensor;
    ceil(): Tensor;
    ceil_(): Tensor;
    /** Round half to even, or to `decimals` places (`round.decimals`). */
    round(opts?: RoundOptions): Tensor;
    round_(opts?: RoundOptions): Tensor;
    isnan(): Tensor;
    isinf(): Tensor;
    logicalNot(): Tensor;
    logicalNot_(): Tensor;
    logicalAnd(other: Tensor): Tensor;
    logicalAnd_(other: Tensor): Tensor;
    logicalOr(other: Tensor): Tensor;
    logicalOr_(other: Tensor): Tensor;
    /** Elementwise comparisons (bool results; the in-place forms write 0/1 in self's dtype). */
    eq(other: TensorOrScalar): Tensor;
    eq_(other: TensorOrScalar): Tensor;
    ne(other: TensorOrScalar): Tensor;
    ne_(other: TensorOrScalar): Tensor;
    lt(other: TensorOrScalar): Tensor;
    lt_(other: TensorOrScalar): Tensor;
    le(other: TensorOrScalar): Tensor;
    le_(other: TensorOrScalar): Tensor;
    gt(other: TensorOrScalar): Tensor;
    gt_(other: TensorOrScalar): Tensor;
    ge(other: TensorOrScalar): Tensor;
    ge_(other: TensorOrScalar): Tensor;
    /** NaN-propagating elementwise max/min. */
    maximum(other: Tensor): Tensor;
    minimum(other: Tensor): Tensor;
    /** Limits to [min, max] (either may be null); tensor bounds broadcast (`clamp.Tensor`). */
    clamp(min?: ClampBound, max?: ClampBound): Tensor;
    clamp_(min?: ClampBound, max?: ClampBound): Tensor;
    clampMin(min: TensorOrScalar): Tensor;
    clampMin_(min: TensorOrScalar): Tensor;
    clampMax(max: TensorOrScalar): Tensor;
    clampMax_(max: TensorOrScalar): Tensor;
    /** `condition ? self : other` (`where.self` / `where.ScalarOther`). */
    where(condition: Tensor, other: TensorOrScalar): Tensor;
    /** Writes `value` where `mask` is true (a copy; `maskedFill_` writes in place). */
    maskedFill(mask: Tensor, value: TensorOrScalar): Tensor;
    maskedFill_(mask: Tensor, value: TensorOrScalar): Tensor;
    /** `self + weight * (end - self)`. */
    lerp(end: Tensor, weight: TensorOrScalar): Tensor;
    lerp_(end: Tensor, weight: TensorOrScalar): Tensor;
    /** `self + value * tensor1 * tensor2` (`aten::addcmul`). */
    addcmul(tensor1: Tensor, tensor2: Tensor, opts?: ValueOptions): Tensor;
    addcmul_(tensor1: Tensor, tensor2: Tensor, opts?: ValueOptions): Tensor;
    /** `self + value * tensor1 / tensor2` (`aten::addcdiv`; two integer tensors are refused). */
    addcdiv(tensor1: Tensor, tensor2: Tensor, opts?: ValueOptions): Tensor;
    addcdiv_(tensor1: Tensor, tensor2: Tensor, opts?: ValueOptions): Tensor;
  }
}

const P = Tensor.prototype;
const isT = (v: unknown): v is Tensor => v instanceof Tensor;

/** A call of one operator with its handle kept (refetched if the operator was redefined): the hot methods skip the name lookup. */
function cachedCall(name: string): (args: unknown[]) => Tensor {
  let h: OperatorHandle | undefined;
  return (args) => {
    if (h === undefined || h.schema === null) h = opHandle(name);
    return dispatcher.call(h, args) as Tensor;
  };
}
const addTensor = cachedCall("aten::add.Tensor");
const subTensor = cachedCall("aten::sub.Tensor");
const mulTensor = cachedCall("aten::mul.Tensor");
const divTensor = cachedCall("aten::div.Tensor");

function define(name: string, fn: (this: Tensor, ...args: never[]) => unknown): void {
  Object.defineProperty(P, name, { value: fn, writable: true, configurable: true });
}

P.add = function (this: Tensor, other: TensorOrScalar, opts?: AlphaOptions) {
  // the benchmarked path: a tensor and no options go straight to add.Tensor
  if (opts === undefined && other instanceof Tensor) return addTensor([this, other, 1]);
  return addTensor([this, toTensorArg(other), opts?.alpha ?? 1]);
};
P.add_ = function (this: Tensor, other: TensorOrScalar, opts?: AlphaOptions) {
  return callOp("aten::add_.Tensor", [this, toTensorArg(other), opts?.alpha ?? 1]) as Tensor;
};
P.sub = function (this: Tensor, other: TensorOrScalar, opts?: AlphaOptions) {
  return subTensor([this, toTensorArg(other), opts?.alpha ?? 1]);
};
P.sub_ = function (this: Tensor, other: TensorOrScalar, opts?: AlphaOptions) {
  return callOp("aten::sub_.Tensor", [this, toTensorArg(other), opts?.alpha ?? 1]) as Tensor;
};
P.mul = function (this: Tensor, other: TensorOrScalar) {
  return mulTensor([this, toTensorArg(other)]);
};
P.mul_ = function (this: Tensor, other: TensorOrScalar) {
  return callOp("aten::mul_.Tensor", [this, toTensorArg(other)]) as Tensor;
};
function divide(op: "div" | "div_", self: Tensor, other: TensorOrScalar, opts?: DivOptions): Tensor {
  const o = toTensorArg(other);
  if (opts?.roundingMode === undefined) return op === "div" ? divTensor([self, o]) : (callOp("aten::div_.Tensor", [self, o]) as Tensor);
  return callOp(`aten::${op}.Tensor_mode`, [self, o, opts.roundingMode]) as Tensor;
}
P.div = function (this: Tensor, other: TensorOrScalar, opts?: DivOptions) {
  return divide("div", this, other, opts);
};
P.div_ = function (this: Tensor, other: TensorOrScalar, opts?: DivOptions) {
  return divide("div_", this, other, opts);
};
P.floorDivide = function (this: Tensor, other: TensorOrScalar) {
  return callOp("aten::floor_divide", [this, toTensorArg(other)]) as Tensor;
};
P.floorDivide_ = function (this: Tensor, other: TensorOrScalar) {
  return callOp("aten::floor_divide_.Tensor", [this, toTensorArg(other)]) as Tensor;
};

/** Methods whose other operand picks the `.Tensor` or `.Scalar` overload (eq, remainder...). */
const TENSOR_OR_SCALAR: ReadonlyArray<readonly [string, string, string, string]> = [
  ["remainder", "remainder.Tensor", "remainder.Scalar", "remainder_"],
  ["eq", "eq.Tensor", "eq.Scalar", "eq_"],
  ["ne", "ne.Tensor", "ne.Scalar", "ne_"],
  ["lt", "lt.Tensor", "lt.Scalar", "lt_"],
  ["le", "le.Tensor", "le.Scalar", "le_"],
  ["gt", "gt.Tensor", "gt.Scalar", "gt_"],
  ["ge", "ge.Tensor", "ge.Scalar", "ge_"],
  ["pow", "pow.Tensor_Tensor", "pow.Tensor_Scalar", "pow_"],
  ["clampMin", "clamp_min.Tensor", "clamp_min", "clamp_min_"],
  ["clampMax", "clamp_max.Tensor", "clamp_max", "clamp_max_"],
];
for (const [method, tensorOp, scalarOp, inplace] of TENSOR_OR_SCALAR) {
  define(method, function (this: Tensor, other: TensorOrScalar) {
    return isT(other) ? callOp(`aten::${tensorOp}`, [this, other]) : callOp(`aten::${scalarOp}`, [this, other]);
  });
  // in-place overload names: eq_.Tensor / eq_.Scalar, pow_.Tensor / pow_.Scalar, clamp_min_.Tensor / clamp_min_
  const scalarInplace = scalarOp.includes(".") ? `${inplace}.Scalar` : inplace;
  define(`${method}_`, function (this: Tensor, other: TensorOrScalar) {
    return isT(other) ? callOp(`aten::${inplace}.Tensor`, [this, other]) : callOp(`aten::${scalarInplace}`, [this, other]);
  });
}

/** Unary methods (and their in-place forms): method name -> aten name. */
const UNARY: Readonly<Record<string, string>> = {
  neg: "neg",
  abs: "abs",
  sign: "sign",
  exp: "exp",
  log: "log",
  log1p: "log1p",
  sqrt: "sqrt",
  rsqrt: "rsqrt",
  sin: "sin",
  cos: "cos",
  tanh: "tanh",
  sigmoid: "sigmoid",
  reciprocal: "reciprocal",
  relu: "relu",
  silu: "silu",
  floor: "floor",
  tan: "tan",
  asin: "asin",
  acos: "acos",
  atan: "atan",
  sinh: "sinh",
  cosh: "cosh",
  asinh: "asinh",
  acosh: "acosh",
  atanh: "atanh",
  expm1: "expm1",
  exp2: "exp2",
  log2: "log2",
  log10: "log10",
  erf: "erf",
  trunc: "trunc",
  ceil: "ceil",
  logicalNot: "logical_not",
};
for (const [method, op] of Object.entries(UNARY)) {
  define(method, function (this: Tensor) {
    return callOp(`aten::${op}`, [this]);
  });
  define(`${method}_`, function (this: Tensor) {
    return callOp(`aten::${op}_`, [this]);
  });
}
define("isnan", function (this: Tensor) {
  return callOp("aten::isnan", [this]);
});
define("isinf", function (this: Tensor) {
  return callOp("aten::isinf", [this]);
});
P.round = function (this: Tensor, opts?: RoundOptions) {
  return (opts?.decimals === undefined ? callOp("aten::round", [this]) : callOp("aten::round.decimals", [this, opts.decimals])) as Tensor;
};
P.round_ = function (this: Tensor, opts?: RoundOptions) {
  return (opts?.decimals === undefined ? callOp("aten::round_", [this]) : callOp("aten::round_.decimals", [this, opts.decimals])) as Tensor;
};
P.gelu = function (this: Tensor, opts?: GeluOptions) {
  return callOp("aten::gelu", [this, opts?.approximate ?? "none"]) as Tensor;
};
P.gelu_ = function (this: Tensor, opts?: GeluOptions) {
  return callOp("aten::gelu_", [this, opts?.approximate ?? "none"]) as Tensor;
};
for (const [method, op] of [
  ["logicalAnd", "logical_and"],
  ["logicalOr", "logical_or"],
  ["maximum", "maximum"],
  ["minimum", "minimum"],
] as const) {
  define(method, function (this: Tensor, other: Tensor) {
    return callOp(`aten::${op}`, [this, other]);
  });
}
define("logicalAnd_", function (this: Tensor, other: Tensor) {
  return callOp("aten::logical_and_", [this, other]);
});
define("logicalOr_", function (this: Tensor, other: Tensor) {
  return callOp("aten::logical_or_", [this, other]);
});

/** clamp picks `clamp.Tensor` when a bound is a tensor (a scalar bound is then wrapped), else `clamp`. */
function clampArgs(min: ClampBound, max: ClampBound): [string, unknown, unknown] {
  const lo = min ?? null;
  const hi = max ?? null;
  if (isT(lo) || isT(hi)) return [".Tensor", lo === null ? null : toTensorArg(lo), hi === null ? null : toTensorArg(hi)];
  return ["", lo, hi];
}
P.clamp = function (this: Tensor, min?: ClampBound, max?: ClampBound) {
  const [overload, lo, hi] = clampArgs(min, max);
  return callOp(`aten::clamp${overload}`, [this, lo, hi]) as Tensor;
};
P.clamp_ = function (this: Tensor, min?: ClampBound, max?: ClampBound) {
  const [overload, lo, hi] = clampArgs(min, max);
  return callOp(`aten::clamp_${overload}`, [this, lo, hi]) as Tensor;
};
P.where = function (this: Tensor, condition: Tensor, other: TensorOrScalar) {
  return (isT(other) ? callOp("aten::where.self", [condition, this, other]) : callOp("aten::where.ScalarOther", [condition, this, other])) as Tensor;
};
P.maskedFill = function (this: Tensor, mask: Tensor, value: TensorOrScalar) {
  return callOp(isT(value) ? "aten::masked_fill.Tensor" : "aten::masked_fill.Scalar", [this, mask, value]) as Tensor;
};
P.maskedFill_ = function (this: Tensor, mask: Tensor, value: TensorOrScalar) {
  return callOp(isT(value) ? "aten::masked_fill_.Tensor" : "aten::masked_fill_.Scalar", [this, mask, value]) as Tensor;
};
P.lerp = function (this: Tensor, end: Tensor, weight: TensorOrScalar) {
  return callOp(isT(weight) ? "aten::lerp.Tensor" : "aten::lerp.Scalar", [this, end, weight]) as Tensor;
};
P.lerp_ = function (this: Tensor, end: Tensor, weight: TensorOrScalar) {
  return callOp(isT(weight) ? "aten::lerp_.Tensor" : "aten::lerp_.Scalar", [this, end, weight]) as Tensor;
};

P.addcmul = function (this: Tensor, tensor1: Tensor, tensor2: Tensor, opts?: ValueOptions) {
  return callOp("aten::addcmul", [this, tensor1, tensor2, opts?.value ?? 1]) as Tensor;
};
P.addcmul_ = function (this: Tensor, tensor1: Tensor, tensor2: Tensor, opts?: ValueOptions) {
  return callOp("aten::addcmul_", [this, tensor1, tensor2, opts?.value ?? 1]) as Tensor;
};
P.addcdiv = function (this: Tensor, tensor1: Tensor, tensor2: Tensor, opts?: ValueOptions) {
  return callOp("aten::addcdiv", [this, tensor1, tensor2, opts?.value ?? 1]) as Tensor;
};
P.addcdiv_ = function (this: Tensor, tensor1: Tensor, tensor2: Tensor, opts?: ValueOptions) {
  return callOp("aten::addcdiv_", [this, tensor1, tensor2, opts?.value ?? 1]) as Tensor;
};

export * from "./pointwise-functions.js";
