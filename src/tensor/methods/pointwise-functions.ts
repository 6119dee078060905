// Top-level functions of the pointwise family (torch.add, torch.where, torch.clamp,
// torch.maximum...), choosing aten overloads as PyTorch's torch.* functions do: a JS scalar first
// operand picks pow.Scalar / remainder.Scalar_Tensor / rsub-style overloads, scalars in where pick
// its Scalar overloads.

import { callOp } from "../../dispatcher/call-op.js";
import { Tensor } from "../tensor.js";
import { type TensorOrScalar, toTensorArg } from "../tensor-methods.js";
import type { AlphaOptions, ClampBound, DivOptions, GeluOptions, RoundOptions, ValueOptions } from "./pointwise.js";

const isT = (v: unknown): v is Tensor => v instanceof Tensor;

/**
 * `input + alpha * other`.
 * @example
 * torch.add(x, y, { alpha: 2 })
 */
export function add(input: Tensor, other: TensorOrScalar, opts?: AlphaOptions): Tensor {
  return input.add(other, opts);
}
/**
 * `input - alpha * other`.
 * @example
 * torch.sub(x, 1)
 */
export function sub(input: Tensor, other: TensorOrScalar, opts?: AlphaOptions): Tensor {
  return input.sub(other, opts);
}
/**
 * `other - alpha * input` (`aten::rsub.Tensor` / `rsub.Scalar`).
 * @example
 * torch.rsub(x, 1) // 1 - x
 */
export function rsub(input: Tensor, other: TensorOrScalar, opts?: AlphaOptions): Tensor {
  const alpha = opts?.alpha ?? 1;
  return (isT(other) ? callOp("aten::rsub.Tensor", [input, other, alpha]) : callOp("aten::rsub.Scalar", [input, other, alpha])) as Tensor;
}
/**
 * `input * other`.
 * @example
 * torch.mul(x, 2)
 */
export function mul(input: Tensor, other: TensorOrScalar): Tensor {
  return input.mul(other);
}
/**
 * `input / other`, optionally rounded.
 * @example
 * torch.div(x, 2, { roundingMode: "floor" })
 */
export function div(input: Tensor, other: TensorOrScalar, opts?: DivOptions): Tensor {
  return input.div(other, opts);
}
/**
 * Python's `%` (the result takes the divisor's sign); either operand may be a scalar.
 * @example
 * torch.remainder(x, 3); torch.remainder(5, y)
 */
export function remainder(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  if (!isT(input)) return callOp("aten::remainder.Scalar_Tensor", [input, other]) as Tensor;
  return input.remainder(other);
}
/**
 * Python's `//`.
 * @example
 * torch.floorDivide(x, 2)
 */
export function floorDivide(input: Tensor, other: TensorOrScalar): Tensor {
  return input.floorDivide(other);
}
/**
 * `input ** exponent`; the base may be a scalar (`pow.Scalar`).
 * @example
 * torch.pow(x, 2); torch.pow(2, x)
 */
export function pow(input: TensorOrScalar, exponent: TensorOrScalar): Tensor {
  if (!isT(input)) return callOp("aten::pow.Scalar", [input, toTensorArg(exponent)]) as Tensor;
  return input.pow(exponent);
}

type Unary = (input: Tensor) => Tensor;

/** `-input`. @example torch.neg(x) */
export const neg: Unary = (input) => input.neg();
/** `|input|`. @example torch.abs(x) */
export const abs: Unary = (input) => input.abs();
/** -1, 0 or 1 (0 for NaN). @example torch.sign(x) */
export const sign: Unary = (input) => input.sign();
/** `e^input` (ints give float32). @example torch.exp(x) */
export const exp: Unary = (input) => input.exp();
/** Natural logarithm. @example torch.log(x) */
export const log: Unary = (input) => input.log();
/** `log(1 + input)`, accurate near 0. @example torch.log1p(x) */
export const log1p: Unary = (input) => input.log1p();
/** Square root. @example torch.sqrt(x) */
export const sqrt: Unary = (input) => input.sqrt();
/** `1 / sqrt(input)`. @example torch.rsqrt(x) */
export const rsqrt: Unary = (input) => input.rsqrt();
/** Sine. @example torch.sin(x) */
export const sin: Unary = (input) => input.sin();
/** Cosine. @example torch.cos(x) */
export const cos: Unary = (input) => input.cos();
/** Hyperbolic tangent. @example torch.tanh(x) */
export const tanh: Unary = (input) => input.tanh();
/** Tangent. @example torch.tan(x) */
export const tan: Unary = (input) => input.tan();
/** Arcsine. @example torch.asin(x) */
export const asin: Unary = (input) => input.asin();
/** Arccosine. @example torch.acos(x) */
export const acos: Unary = (input) => input.acos();
/** Arctangent. @example torch.atan(x) */
export const atan: Unary = (input) => input.atan();
/** Hyperbolic sine. @example torch.sinh(x) */
export const sinh: Unary = (input) => input.sinh();
/** Hyperbolic cosine. @example torch.cosh(x) */
export const cosh: Unary = (input) => input.cosh();
/** Inverse hyperbolic sine. @example torch.asinh(x) */
export const asinh: Unary = (input) => input.asinh();
/** Inverse hyperbolic cosine. @example torch.acosh(x) */
export const acosh: Unary = (input) => input.acosh();
/** Inverse hyperbolic tangent. @example torch.atanh(x) */
export const atanh: Unary = (input) => input.atanh();
/** `e^input - 1`. @example torch.expm1(x) */
export const expm1: Unary = (input) => input.expm1();
/** `2^input`. @example torch.exp2(x) */
export const exp2: Unary = (input) => input.exp2();
/** Base-2 logarithm. @example torch.log2(x) */
export const log2: Unary = (input) => input.log2();
/** Base-10 logarithm. @example torch.log10(x) */
export const log10: Unary = (input) => input.log10();
/** The error function. @example torch.erf(x) */
export const erf: Unary = (input) => input.erf();
/** Rounds toward zero (integers unchanged). @example torch.trunc(x) */
export const trunc: Unary = (input) => input.trunc();
/** `1 / (1 + e^-input)`. @example torch.sigmoid(x) */
export const sigmoid: Unary = (input) => input.sigmoid();
/** `1 / input`. @example torch.reciprocal(x) */
export const reciprocal: Unary = (input) => input.reciprocal();
/** `max(input, 0)`. @example torch.relu(x) */
export const relu: Unary = (input) => input.relu();
/** `input * sigmoid(input)`. @example torch.silu(x) */
export const silu: Unary = (input) => input.silu();
/** Round down. @example torch.floor(x) */
export const floor: Unary = (input) => input.floor();
/** Round up. @example torch.ceil(x) */
export const ceil: Unary = (input) => input.ceil();
/** Is each element NaN? @example torch.isnan(x) */
export const isnan: Unary = (input) => input.isnan();
/** Is each element +-inf? @example torch.isinf(x) */
export const isinf: Unary = (input) => input.isinf();
/** `input == 0` as bool. @example torch.logicalNot(mask) */
export const logicalNot: Unary = (input) => input.logicalNot();

/**
 * Round half to even, or to `decimals` places.
 * @example
 * torch.round(x, { decimals: 2 })
 */
export function round(input: Tensor, opts?: RoundOptions): Tensor {
  return input.round(opts);
}
/**
 * GELU (exact, or the tanh approximation).
 * @example
 * torch.gelu(x, { approximate: "tanh" })
 */
export function gelu(input: Tensor, opts?: GeluOptions): Tensor {
  return input.gelu(opts);
}

type Binary = (input: Tensor, other: TensorOrScalar) => Tensor;

/** `input == other`. @example torch.eq(x, 0) */
export const eq: Binary = (input, other) => input.eq(other);
/** `input != other`. @example torch.ne(x, y) */
export const ne: Binary = (input, other) => input.ne(other);
/** `input < other`. @example torch.lt(x, 0) */
export const lt: Binary = (input, other) => input.lt(other);
/** `input <= other`. @example torch.le(x, y) */
export const le: Binary = (input, other) => input.le(other);
/** `input > other`. @example torch.gt(x, 0) */
export const gt: Binary = (input, other) => input.gt(other);
/** `input >= other`. @example torch.ge(x, y) */
export const ge: Binary = (input, other) => input.ge(other);

/**
 * NaN-propagating elementwise maximum.
 * @example
 * torch.maximum(x, y)
 */
export function maximum(input: Tensor, other: Tensor): Tensor {
  return input.maximum(other);
}
/**
 * NaN-propagating elementwise minimum.
 * @example
 * torch.minimum(x, y)
 */
export function minimum(input: Tensor, other: Tensor): Tensor {
  return input.minimum(other);
}
/**
 * Elementwise logical and (bool result).
 * @example
 * torch.logicalAnd(a, b)
 */
export function logicalAnd(input: Tensor, other: Tensor): Tensor {
  return input.logicalAnd(other);
}
/**
 * Elementwise logical or (bool result).
 * @example
 * torch.logicalOr(a, b)
 */
export function logicalOr(input: Tensor, other: Tensor): Tensor {
  return input.logicalOr(other);
}
/**
 * Limits input to [min, max]; a bound may be null, a scalar or a tensor.
 * @example
 * torch.clamp(x, 0, 1); torch.clamp(x, null, limits)
 */
export function clamp(input: Tensor, min?: ClampBound, max?: ClampBound): Tensor {
  return input.clamp(min, max);
}
/**
 * `max(input, min)`.
 * @example
 * torch.clampMin(x, 0)
 */
export function clampMin(input: Tensor, min: TensorOrScalar): Tensor {
  return input.clampMin(min);
}
/**
 * `min(input, max)`.
 * @example
 * torch.clampMax(x, 1)
 */
export function clampMax(input: Tensor, max: TensorOrScalar): Tensor {
  return input.clampMax(max);
}
/**
 * `condition ? input : other`, broadcasting all three; either value may be a scalar.
 * @example
 * torch.where(x.gt(0), x, 0)
 */
export function where(condition: Tensor, input: TensorOrScalar, other: TensorOrScalar): Tensor {
  if (isT(input)) return input.where(condition, other);
  if (isT(other)) return callOp("aten::where.ScalarSelf", [condition, input, other]) as Tensor;
  return callOp("aten::where.Scalar", [condition, input, other]) as Tensor;
}
/**
 * A copy of input with `value` where mask is true.
 * @example
 * torch.maskedFill(x, x.lt(0), 0)
 */
export function maskedFill(input: Tensor, mask: Tensor, value: TensorOrScalar): Tensor {
  return input.maskedFill(mask, value);
}
/**
 * `input + weight * (end - input)`.
 * @example
 * torch.lerp(a, b, 0.5)
 */
export function lerp(input: Tensor, end: Tensor, weight: TensorOrScalar): Tensor {
  return input.lerp(end, weight);
}
/**
 * `input + value * tensor1 * tensor2`.
 * @example
 * torch.addcmul(x, a, b, { value: 0.5 })
 */
export function addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, opts?: ValueOptions): Tensor {
  return input.addcmul(tensor1, tensor2, opts);
}
/**
 * `input + value * tensor1 / tensor2` (true division; two integer tensors are refused).
 * @example
 * torch.addcdiv(x, a, b, { value: -0.1 })
 */
export function addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, opts?: ValueOptions): Tensor {
  return input.addcdiv(tensor1, tensor2, opts);
}
