// Element formulas of PyTorch's pointwise CPU kernels, as plain scalar functions: floor division
// and remainder with Python's sign rules, integer powers with wrap-around, round-half-even with
// decimals, erf (for gelu), and the conversion of values and Scalars to a dtype (c10's checked
// conversion raises "value cannot be converted to type int8_t without overflow").

import { RuntimeError } from "../../core/errors.js";
import type { DType } from "../../tensor/dtype.js";

type Scalar = number | boolean | bigint;
const fround = Math.fround;

/**
 * A value as the dtype stores it: float32 rounds, small ints wrap (two's complement), int64
 * truncates (non-finite gives 0, like the copy kernels), bool is 0/1.
 * @example
 * castValue("int8", 200) // -56
 */
export function castValue(d: DType, v: number): number {
  switch (d) {
    case "float64":
      return v;
    case "float32":
      return fround(v);
    case "int64":
      return Number.isFinite(v) ? Math.trunc(v) + 0 : 0;
    case "int32":
      return v | 0;
    case "int16":
      return (v << 16) >> 16;
    case "int8":
      return (v << 24) >> 24;
    case "uint8":
      return v & 255;
    case "bool":
      return v !== 0 ? 1 : 0;
  }
}

/** The C++ type name c10 prints in conversion errors. */
const CPP_TYPE: Record<DType, string> = {
  uint8: "uint8_t",
  int8: "int8_t",
  int16: "int16_t",
  int32: "int",
  int64: "int64_t",
  float32: "float",
  float64: "double",
  bool: "bool",
};

const INT_RANGE: Partial<Record<DType, readonly [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  // int64's max is 2^63 - 1, which rounds to 2^63 as a double (as C++'s comparison converts it)
  int64: [-(2 ** 63), 2 ** 63],
};
const FLT_MAX = 3.4028234663852886e38;

/**
 * c10's `Scalar::to<T>()`: converts a Scalar to a dtype's value, raising PyTorch's overflow error
 * when it does not fit. Integer-valued numbers behave like Python ints (negative values wrap into
 * unsigned types down to -255), other numbers like Python floats (NaN and infinities only fit
 * floating types). Conversions to bool never fail.
 * @example
 * checkedScalar("int8", 1000) // throws RuntimeError "value cannot be converted to type int8_t without overflow"
 */
export function checkedScalar(d: DType, s: Scalar): number {
  const v = typeof s === "boolean" ? (s ? 1 : 0) : Number(s);
  // an integer-valued number beyond int64's range can only have been a Python float
  const integral = typeof s === "bigint" || (Number.isInteger(v) && Math.abs(v) < 9223372036854775808);
  if (typeof s !== "boolean" && d !== "bool" && overflows(d, v, integral)) {
    throw new RuntimeError(`value cannot be converted to type ${CPP_TYPE[d]} without overflow`);
  }
  return castValue(d, v);
}

function overflows(d: DType, v: number, integral: boolean): boolean {
  if (d === "float64") return false;
  if (d === "float32") return !integral && Number.isFinite(v) && (v < -FLT_MAX || v > FLT_MAX);
  const [lo, hi] = INT_RANGE[d]!;
  if (!integral) return Number.isNaN(v) || v < lo || v > hi;
  if (d === "uint8") return v > hi || (v < 0 && -v > hi);
  return v < lo || v > hi;
}

/**
 * nearbyint with the default rounding mode: halves go to the even neighbour; -0.5 gives -0.
 * @example
 * roundHalfEven(2.5) // 2
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/**
 * PyTorch's `div_floor_floating` (Python's `//` on floats); `f` rounds to the compute dtype.
 * @example
 * divFloorFloat(-5, 2, Math.fround) // -3
 */
export function divFloorFloat(a: number, b: number, f: (v: number) => number): number {
  if (b === 0) return f(a / b);
  const mod = a % b;
  let div = f(f(a - mod) / b);
  if (mod !== 0 && b < 0 !== mod < 0) div = f(div - 1);
  if (div === 0) {
    const q = a / b;
    return q < 0 || Object.is(q, -0) ? -0 : 0;
  }
  let fl = Math.floor(div);
  if (f(div - fl) > 0.5) fl += 1;
  return fl;
}

/**
 * Floor division of integers (the caller rejects b = 0 first).
 * @example
 * divFloorInt(-7, 2) // -4
 */
export function divFloorInt(a: number, b: number): number {
  const q = Math.trunc(a / b);
  return a % b !== 0 && a < 0 !== b < 0 ? q - 1 : q;
}

/**
 * Python's remainder on floats: the result has the divisor's sign.
 * @example
 * remainderFloat(-5, 3, (v) => v) // 1
 */
export function remainderFloat(a: number, b: number, f: (v: number) => number): number {
  const mod = a % b;
  return mod !== 0 && b < 0 !== mod < 0 ? f(mod + b) : mod;
}

/**
 * Python's remainder on integers (the caller rejects b = 0 first).
 * @example
 * remainderInt(7, -3) // -2
 */
export function remainderInt(a: number, b: number): number {
  const mod = a % b;
  return mod !== 0 && b < 0 !== mod < 0 ? mod + b : mod + 0;
}

const EXACT = 9007199254740992; // 2^53
const TWO63 = 9223372036854775808;

/**
 * int64 arithmetic on values stored as doubles: exact below 2^53, and wrapping past 2^63 like
 * C++ int64 does (computed in BigInt, then rounded to the nearest double).
 * @example
 * mulInt64(2 ** 62, 4) // 0
 */
export function mulInt64(a: number, b: number): number {
  const p = a * b;
  if (p <= EXACT && p >= -EXACT) return p + 0;
  return Number(BigInt.asIntN(64, BigInt(a) * BigInt(b)));
}

/**
 * `x + a * y` in int64 with wrap-around past 2^63.
 * @example
 * addInt64(2 ** 62, 2, 2 ** 62) // -(2 ** 62): wrapped past 2^63
 */
export function addInt64(x: number, a: number, y: number): number {
  const v = x + a * y;
  if (v < TWO63 && v >= -TWO63 && Math.abs(a * y) <= EXACT) return v;
  return Number(BigInt.asIntN(64, BigInt(x) + BigInt(a) * BigInt(y)));
}

/**
 * Wrapped integer product in a dtype (int32 exactly via Math.imul; int64 via mulInt64).
 * @example
 * intMul("int8", 100, 3) // 44
 */
export function intMul(d: DType, a: number, b: number): number {
  return d === "int32" ? Math.imul(a, b) : d === "int64" ? mulInt64(a, b) : castValue(d, a * b);
}

/**
 * PyTorch's `powi`: integer power by squaring with the dtype's wrap-around; negative exponents
 * give 1 for base 1, +-1 for base -1 and 0 otherwise.
 * @example
 * powInt("int8", 3, 5) // -13
 */
export function powInt(d: DType, a: number, b: number): number {
  if (b < 0) {
    if (a === 1) return 1;
    if (a === -1) return -b % 2 !== 0 ? -1 : 1;
    return 0;
  }
  if (d === "int64" && Math.pow(Math.abs(a), b) > EXACT) return powInt64(a, b);
  let result = 1;
  let base = a;
  let e = b;
  while (e > 0) {
    if (e % 2 === 1) result = intMul(d, result, base);
    e = Math.floor(e / 2);
    if (e > 0) base = intMul(d, base, base);
  }
  return castValue(d, result);
}

function powInt64(a: number, b: number): number {
  let result = 1n;
  let base = BigInt(a);
  let e = b;
  while (e > 0) {
    if (e % 2 === 1) result = BigInt.asIntN(64, result * base);
    e = Math.floor(e / 2);
    if (e > 0) base = BigInt.asIntN(64, base * base);
  }
  return Number(result);
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The error function in double precision: a positive series for |x| < 3 (no cancellation) and a
 * continued fraction for the tail.
 * @example
 * erf(1) // 0.8427007929497149
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 3) {
    // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n (2x^2)^n x / (1*3*...*(2n+1))
    const x2 = 2 * ax * ax;
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    const v = TWO_OVER_SQRT_PI * Math.exp(-ax * ax) * sum;
    return x < 0 ? -v : v;
  }
  if (ax > 6) return x < 0 ? -1 : 1;
  const v = 1 - erfcTail(ax);
  return x < 0 ? -v : v;
}

/** erfc(x) for x >= 3 by the continued fraction x + 1/2 / (x + 1 / (x + 3/2 / ...)) (Lentz). */
function erfcTail(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}

/**
 * gelu with approximate 'none': x/2 (1 + erf(x/sqrt 2)).
 * @example
 * geluErf(1) // 0.8413447460685429
 */
export function geluErf(x: number): number {
  return x * 0.5 * (1 + erf(x * Math.SQRT1_2));
}

const GELU_BETA = Math.SQRT2 * TWO_OVER_SQRT_PI * 0.5;
/**
 * gelu with approximate 'tanh': x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
 * @example
 * geluTanh(1) // 0.8411919906082768
 */
export function geluTanh(x: number): number {
  const inner = GELU_BETA * (x + 0.044715 * x * x * x);
  return 0.5 * x * (1 + Math.tanh(inner));
}
