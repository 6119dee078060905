// Tensor methods and torch.* functions of the pointwise math ops (atan2 hypot fmod frac square
// trueDivide xlogy floatPower fmax fmin, isfinite nanToNum isclose allclose equal, the bitwise
// and/or/xor family, logicalXor, erfinv lgamma digamma polygamma), mapped onto aten overloads as PyTorch's
// Python bindings pick them: a JS scalar operand of fmod/xlogy/floatPower/bitwise* picks the
// Scalar overload; trueDivide wraps it (as div does).

import { callOp } from "../../dispatcher/call-op.js";
import { Tensor } from "../tensor.js";
import { type TensorOrScalar, toTensorArg } from "../tensor-methods.js";

type Scalar = number | boolean | bigint;
const isT = (v: unknown): v is Tensor => v instanceof Tensor;
const P = Tensor.prototype;

/** Options of nanToNum: replacements of NaN, +inf and -inf (defaults 0 and the dtype's extremes). */
export interface NanToNumOptions {
  nan?: number | null;
  posinf?: number | null;
  neginf?: number | null;
}
/** Options of isclose/allclose: `|self - other| <= atol + rtol * |other|`, NaNs equal with `equalNan`. */
export interface IsCloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

declare module "../tensor.js" {
  interface Tensor {
    /** Four-quadrant arctangent of self / other (`aten::atan2`; ints give float32). */
    atan2(other: Tensor): Tensor;
    atan2_(other: Tensor): Tensor;
    /** sqrt(self^2 + other^2) (`aten::hypot`, float tensors only). */
    hypot(other: Tensor): Tensor;
    hypot_(other: Tensor): Tensor;
    /** C's fmod: the remainder has self's sign (`fmod.Tensor` / `fmod.Scalar`). */
    fmod(other: TensorOrScalar): Tensor;
    fmod_(other: TensorOrScalar): Tensor;
    /** self - trunc(self) (float tensors only). */
    frac(): Tensor;
    frac_(): Tensor;
    /** self ** 2 (`aten::square`, which calls pow: bool gives int64). */
    square(): Tensor;
    square_(): Tensor;
    /** True division, an alias of div (a JS number is wrapped). */
    trueDivide(other: TensorOrScalar): Tensor;
    trueDivide_(other: TensorOrScalar): Tensor;
    /** self * log(other), 0 where self is 0 (`xlogy.Tensor` / `xlogy.Scalar_Other`). */
    xlogy(other: TensorOrScalar): Tensor;
    xlogy_(other: TensorOrScalar): Tensor;
    /** pow in float64. */
    floatPower(exponent: TensorOrScalar): Tensor;
    /** In-place pow in float64: self must be float64. */
    floatPower_(exponent: TensorOrScalar): Tensor;
    /** Elementwise maximum ignoring NaN (a NaN operand gives the other). */
    fmax(other: Tensor): Tensor;
    /** Elementwise minimum ignoring NaN. */
    fmin(other: Tensor): Tensor;
    /** Is each element finite (not NaN nor +-inf)? */
    isfinite(): Tensor;
    /** NaN, +inf and -inf replaced (by 0 and the dtype's largest/lowest values unless given). */
    nanToNum(opts?: NanToNumOptions): Tensor;
    nanToNum_(opts?: NanToNumOptions): Tensor;
    /** Elementwise `|self - other| <= atol + rtol * |other|` (or equal), as bool. */
    isclose(other: Tensor, opts?: IsCloseOptions): Tensor;
    /** Are all elements close? */
    allclose(other: Tensor, opts?: IsCloseOptions): boolean;
    /** Same shape and equal elements? */
    equal(other: Tensor): boolean;
    /** Bitwise AND of integers, logical AND of bools (Python's `&`). */
    bitwiseAnd(other: TensorOrScalar): Tensor;
    bitwiseAnd_(other: TensorOrScalar): Tensor;
    /** Bitwise OR (Python's `|`). */
    bitwiseOr(other: TensorOrScalar): Tensor;
    bitwiseOr_(other: TensorOrScalar): Tensor;
    /** Bitwise XOR (Python's `^`). */
    bitwiseXor(other: TensorOrScalar): Tensor;
    bitwiseXor_(other: TensorOrScalar): Tensor;
    /** Exactly one of self and other is nonzero (bool; in place, written in self's dtype). */
    logicalXor(other: Tensor): Tensor;
    logicalXor_(other: Tensor): Tensor;
    /** The inverse error function. */
    erfinv(): Tensor;
    erfinv_(): Tensor;
    /** log|Gamma(self)|. */
    lgamma(): Tensor;
    lgamma_(): Tensor;
    /** The digamma function Gamma'(self) / Gamma(self). */
    digamma(): Tensor;
    digamma_(): Tensor;
    /** The n-th derivative of digamma (`aten::polygamma`). */
    polygamma(n: number): Tensor;
    polygamma_(n: number): Tensor;
  }
}

function define(name: string, fn: (this: Tensor, ...args: never[]) => unknown): void {
  Object.defineProperty(P, name, { value: fn, writable: true, configurable: true });
}

for (const name of ["atan2", "hypot"] as const) {
  define(name, function (this: Tensor, other: Tensor) {
    return callOp(`aten::${name}`, [this, other]);
  });
  define(`${name}_`, function (this: Tensor, other: Tensor) {
    return callOp(`aten::${name}_`, [this, other]);
  });
}
for (const name of ["fmax", "fmin", "logical_xor"] as const) {
  const method = name === "logical_xor" ? "logicalXor" : name;
  define(method, function (this: Tensor, other: Tensor) {
    return callOp(`aten::${name}`, [this, other]);
  });
}
define("logicalXor_", function (this: Tensor, other: Tensor) {
  return callOp("aten::logical_xor_", [this, other]);
});
for (const name of ["frac", "square", "erfinv", "lgamma", "digamma"] as const) {
  define(name, function (this: Tensor) {
    return callOp(`aten::${name}`, [this]);
  });
  define(`${name}_`, function (this: Tensor) {
    return callOp(`aten::${name}_`, [this]);
  });
}

/** Methods whose other operand picks the `.Tensor` or a Scalar overload: [method, aten name, Scalar overload, in-place Scalar overload]. */
const TENSOR_OR_SCALAR: ReadonlyArray<readonly [string, string, string, string]> = [
  ["fmod", "fmod", "Scalar", "Scalar"],
  ["xlogy", "xlogy", "Scalar_Other", "Scalar_Other"],
  ["bitwiseAnd", "bitwise_and", "Scalar", "Scalar"],
  ["bitwiseOr", "bitwise_or", "Scalar", "Scalar"],
  ["bitwiseXor", "bitwise_xor", "Scalar", "Scalar"],
];
for (const [method, name, scalar, inplaceScalar] of TENSOR_OR_SCALAR) {
  define(method, function (this: Tensor, other: TensorOrScalar) {
    return callOp(`aten::${name}.${isT(other) ? "Tensor" : scalar}`, [this, other]);
  });
  define(`${method}_`, function (this: Tensor, other: TensorOrScalar) {
    return callOp(`aten::${name}_.${isT(other) ? "Tensor" : inplaceScalar}`, [this, other]);
  });
}

P.polygamma = function (this: Tensor, n: number) {
  return callOp("aten::polygamma", [n, this]) as Tensor;
};
P.polygamma_ = function (this: Tensor, n: number) {
  return callOp("aten::polygamma_", [this, n]) as Tensor;
};
P.trueDivide = function (this: Tensor, other: TensorOrScalar) {
  return callOp("aten::true_divide.Tensor", [this, toTensorArg(other)]) as Tensor;
};
P.trueDivide_ = function (this: Tensor, other: TensorOrScalar) {
  return callOp("aten::true_divide_.Tensor", [this, toTensorArg(other)]) as Tensor;
};
P.floatPower = function (this: Tensor, exponent: TensorOrScalar) {
  return callOp(isT(exponent) ? "aten::float_power.Tensor_Tensor" : "aten::float_power.Tensor_Scalar", [this, exponent]) as Tensor;
};
P.floatPower_ = function (this: Tensor, exponent: TensorOrScalar) {
  return callOp(isT(exponent) ? "aten::float_power_.Tensor" : "aten::float_power_.Scalar", [this, exponent]) as Tensor;
};
P.isfinite = function (this: Tensor) {
  return callOp("aten::isfinite", [this]) as Tensor;
};
P.nanToNum = function (this: Tensor, opts?: NanToNumOptions) {
  return callOp("aten::nan_to_num", [this, opts?.nan ?? null, opts?.posinf ?? null, opts?.neginf ?? null]) as Tensor;
};
P.nanToNum_ = function (this: Tensor, opts?: NanToNumOptions) {
  return callOp("aten::nan_to_num_", [this, opts?.nan ?? null, opts?.posinf ?? null, opts?.neginf ?? null]) as Tensor;
};
const closeArgs = (opts?: IsCloseOptions): [number, number, boolean] => [opts?.rtol ?? 1e-5, opts?.atol ?? 1e-8, opts?.equalNan ?? false];
P.isclose = function (this: Tensor, other: Tensor, opts?: IsCloseOptions) {
  return callOp("aten::isclose", [this, other, ...closeArgs(opts)]) as Tensor;
};
P.allclose = function (this: Tensor, other: Tensor, opts?: IsCloseOptions) {
  return callOp("aten::allclose", [this, other, ...closeArgs(opts)]) as boolean;
};
P.equal = function (this: Tensor, other: Tensor) {
  return callOp("aten::equal", [this, other]) as boolean;
};

/**
 * Four-quadrant arctangent of input / other.
 * @example
 * torch.atan2(torch.tensor([1, -1]), torch.tensor([-1, -1])) // tensor([ 2.3562, -2.3562])
 */
export function atan2(input: Tensor, other: Tensor): Tensor {
  return input.atan2(other);
}
/**
 * sqrt(input^2 + other^2).
 * @example
 * torch.hypot(torch.tensor([3.0]), torch.tensor([4.0])) // tensor([5.])
 */
export function hypot(input: Tensor, other: Tensor): Tensor {
  return input.hypot(other);
}
/**
 * C's fmod: the remainder takes the dividend's sign.
 * @example
 * torch.fmod(torch.tensor([-3, 3]), 2) // tensor([-1,  1])
 */
export function fmod(input: Tensor, other: TensorOrScalar): Tensor {
  return input.fmod(other);
}
/**
 * The fractional part, input - trunc(input).
 * @example
 * torch.frac(torch.tensor([1.5, -2.25])) // tensor([ 0.5000, -0.2500])
 */
export function frac(input: Tensor): Tensor {
  return input.frac();
}
/**
 * input ** 2.
 * @example
 * torch.square(torch.tensor([2, -3])) // tensor([4, 9])
 */
export function square(input: Tensor): Tensor {
  return input.square();
}
/**
 * True division (an alias of div).
 * @example
 * torch.trueDivide(torch.tensor([3, 4]), 2) // tensor([1.5000, 2.0000])
 */
export function trueDivide(input: Tensor, other: TensorOrScalar): Tensor {
  return input.trueDivide(other);
}
/**
 * input * log(other), 0 where input is 0 (NaN where other is NaN); either operand may be a scalar.
 * @example
 * torch.xlogy(torch.tensor([0, 2]), torch.tensor([0, Math.E])) // tensor([0., 2.])
 */
export function xlogy(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  if (!isT(input)) return callOp("aten::xlogy.Scalar_Self", [input, other]) as Tensor;
  return input.xlogy(other);
}
/**
 * pow computed in float64; the base may be a scalar.
 * @example
 * torch.floatPower(torch.tensor([2, 3]), 2) // tensor([4., 9.], dtype=torch.float64)
 */
export function floatPower(input: TensorOrScalar, exponent: TensorOrScalar): Tensor {
  if (!isT(input)) return callOp("aten::float_power.Scalar", [input, exponent]) as Tensor;
  return input.floatPower(exponent);
}
/**
 * Elementwise maximum ignoring NaN.
 * @example
 * torch.fmax(torch.tensor([1, NaN]), torch.tensor([NaN, 2])) // tensor([1., 2.])
 */
export function fmax(input: Tensor, other: Tensor): Tensor {
  return input.fmax(other);
}
/**
 * Elementwise minimum ignoring NaN.
 * @example
 * torch.fmin(torch.tensor([1, NaN]), torch.tensor([NaN, 2])) // tensor([1., 2.])
 */
export function fmin(input: Tensor, other: Tensor): Tensor {
  return input.fmin(other);
}
/**
 * Is each element finite?
 * @example
 * torch.isfinite(torch.tensor([1, Infinity, NaN])) // tensor([ True, False, False])
 */
export function isfinite(input: Tensor): Tensor {
  return input.isfinite();
}
/**
 * Replaces NaN, +inf and -inf.
 * @example
 * torch.nanToNum(torch.tensor([NaN, Infinity]), { posinf: 1 }) // tensor([0., 1.])
 */
export function nanToNum(input: Tensor, opts?: NanToNumOptions): Tensor {
  return input.nanToNum(opts);
}
/**
 * Elementwise closeness: |input - other| <= atol + rtol * |other|.
 * @example
 * torch.isclose(torch.tensor([1, 2]), torch.tensor([1.000001, 3])) // tensor([ True, False])
 */
export function isclose(input: Tensor, other: Tensor, opts?: IsCloseOptions): Tensor {
  return input.isclose(other, opts);
}
/**
 * Are all elements close?
 * @example
 * torch.allclose(torch.tensor([1, 2]), torch.tensor([1, 2.0000001])) // true
 */
export function allclose(input: Tensor, other: Tensor, opts?: IsCloseOptions): boolean {
  return input.allclose(other, opts);
}
/**
 * Same shape and elements?
 * @example
 * torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2])) // true
 */
export function equal(input: Tensor, other: Tensor): boolean {
  return input.equal(other);
}

function bitwise(name: "bitwise_and" | "bitwise_or" | "bitwise_xor", input: TensorOrScalar, other: TensorOrScalar): Tensor {
  if (!isT(input)) return callOp(`aten::${name}.Scalar_Tensor`, [input as Scalar, other]) as Tensor;
  return callOp(`aten::${name}.${isT(other) ? "Tensor" : "Scalar"}`, [input, other]) as Tensor;
}
/**
 * Bitwise AND (logical for bools); either operand may be a scalar.
 * @example
 * torch.bitwiseAnd(torch.tensor([12, 10]), 6) // tensor([4, 2])
 */
export function bitwiseAnd(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  return bitwise("bitwise_and", input, other);
}
/**
 * Bitwise OR.
 * @example
 * torch.bitwiseOr(torch.tensor([12, 10]), 6) // tensor([14, 14])
 */
export function bitwiseOr(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  return bitwise("bitwise_or", input, other);
}
/**
 * Bitwise XOR.
 * @example
 * torch.bitwiseXor(torch.tensor([12, 10]), 6) // tensor([10, 12])
 */
export function bitwiseXor(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  return bitwise("bitwise_xor", input, other);
}
/**
 * Exactly one operand nonzero, as bool.
 * @example
 * torch.logicalXor(torch.tensor([true, false]), torch.tensor([true, true])) // tensor([False,  True])
 */
export function logicalXor(input: Tensor, other: Tensor): Tensor {
  return input.logicalXor(other);
}
/**
 * The inverse error function.
 * @example
 * torch.erfinv(torch.tensor([0, 0.5])) // tensor([0.0000, 0.4769])
 */
export function erfinv(input: Tensor): Tensor {
  return input.erfinv();
}
/**
 * log|Gamma(input)|.
 * @example
 * torch.lgamma(torch.tensor([0.5, 3])) // tensor([0.5724, 0.6931])
 */
export function lgamma(input: Tensor): Tensor {
  return input.lgamma();
}
/**
 * The digamma function.
 * @example
 * torch.digamma(torch.tensor([1, 0.5])) // tensor([-0.5772, -1.9635])
 */
export function digamma(input: Tensor): Tensor {
  return input.digamma();
}
/**
 * The n-th derivative of the digamma function (n = 0: digamma, 1: trigamma).
 * @example
 * torch.polygamma(1, torch.tensor([1, 0.5])) // tensor([1.6449, 4.9348])
 */
export function polygamma(n: number, input: Tensor): Tensor {
  return input.polygamma(n);
}
