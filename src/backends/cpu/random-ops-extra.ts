// The CPU sampling kernels the random family needs beyond src/backends/cpu/random-kernels.ts:
// `random_()` (uniform_int_distribution per dtype), `random_(from, None)` up to the dtype's
// maximum, the full 64-bit range, and `exponential_` (at::exponential_distribution<double>).
// Each consumes the generator exactly as PyTorch's serial CPU kernels do, one element at a time.

import { NotImplementedError, RuntimeError } from "../../core/errors.js";
import type { DType, TypedArray } from "../../tensor/dtype.js";
import type { Generator } from "../../tensor/generator.js";
import { uniformFill } from "./random-kernels.js";

const TWO_POW_32 = 4294967296;
const TWO_POW_63 = 1n << 63n;
const TWO_POW_64 = 1n << 64n;


/** static_cast<float or double>(int64 v): round to `digits` significant bits, ties to even. */
function int64ToFloating(v: bigint, digits: number): number {
  const a = v < 0n ? -v : v;
  const bits = a.toString(2).length;
  if (bits <= digits) return Number(v);
  const shift = BigInt(bits - digits);
  let q = a >> shift;
  const rem = a - (q << shift);
  const half = 1n << (shift - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  const r = Number(q << shift);
  return v < 0n ? -r : r;
}

/** Stores the int64 `v` as static_cast<T>(v) would (int64 storage is a double: nearest value). */
function storeInt64(out: TypedArray, i: number, v: bigint, dtype: DType): void {
  if (dtype === "float32") out[i] = int64ToFloating(v, 24);
  else if (dtype === "bool") out[i] = v !== 0n ? 1 : 0;
  else if (dtype === "float64" || dtype === "int64") out[i] = int64ToFloating(v, 53);
  else out[i] = Number(BigInt.asIntN(32, v)); // the typed array narrows further, as the C++ cast does
}

function random64(gen: Generator): bigint {
  const hi = gen.random();
  const lo = gen.random();
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * `Tensor.random_()` on CPU: each element from `uniform_int_distribution<T>`: a 32-bit draw
 * modulo 2^bits of the type's maximum + 1 (bool: the low bit; float: 2^24 + 1), or a 64-bit draw
 * for int64 (modulo 2^63) and float64 (modulo 2^53 + 1). int64 values above 2^53 are stored as the
 * nearest double (aten-ts keeps int64 in a Float64Array).
 * @example
 * manualSeed(0); randomFillDefault(defaultGenerator(), new Int32Array(2), "int32");
 */
export function randomFillDefault(gen: Generator, out: TypedArray, dtype: DType): void {
  const n = out.length;
  if (dtype === "int64") {
    // (hi mod 2^31) * 2^32 + lo is the exact draw mod 2^63; one rounding to the nearest double
    for (let i = 0; i < n; i++) {
      const hi = gen.random();
      const lo = gen.random();
      out[i] = (hi & 0x7fffffff) * TWO_POW_32 + lo;
    }
    return;
  }
  if (dtype === "float64") {
    const m = (1n << 53n) + 1n;
    for (let i = 0; i < n; i++) out[i] = Number(random64(gen) % m);
    return;
  }
  const mod: Record<Exclude<DType, "int64" | "float64">, number> = {
    bool: 2,
    uint8: 256,
    int8: 128,
    int16: 32768,
    int32: 2147483648,
    float32: 16777217,
  };
  const m = mod[dtype];
  for (let i = 0; i < n; i++) out[i] = gen.random() % m;
}

/** PyTorch's update_from: `from` moved right until it survives the cast to a floating dtype. */
function updateFrom(from: bigint, digits: number): bigint {
  const fromPlus1 = BigInt(int64ToFloating(from + 1n, digits));
  if (fromPlus1 >= from) return from;
  const n = (from + 1n < 0n ? -(from + 1n) : from + 1n).toString(2).length - 1;
  return fromPlus1 + (1n << BigInt(n - digits + 1));
}

/** PyTorch's update_to: `to` moved left until `to - 1` survives the cast to a floating dtype. */
function updateTo(to: bigint, digits: number): bigint {
  const toMinus1 = BigInt(int64ToFloating(to - 1n, digits));
  if (toMinus1 < to) return to;
  const n = (to - 1n < 0n ? -(to - 1n) : to - 1n).toString(2).length - 1;
  return toMinus1 - (1n << BigInt(n - digits + 1));
}

const WIDE_RANGE = 1n << 28n;

/**
 * The draws of `random_(from, to)` / `torch.randint` on CPU, for arguments already validated (the
 * callers run randintFill on an empty array first for PyTorch's checks and messages): each element
 * is `draw % range + from` (for floating dtypes after update_from / update_to), with a 64-bit draw
 * whenever the range is at least 2^28, for every dtype, as uniform_int_from_to_distribution does
 * in PyTorch 2.x builds outside fbcode; then cast to the dtype.
 * @example
 * manualSeed(0); randintDraw(defaultGenerator(), new Int32Array(1), "int32", 7n, 1n << 31n); // [1186414606]
 */
export function randintDraw(gen: Generator, out: TypedArray, dtype: DType, low: bigint, high: bigint): void {
  let [from, to] = [low, high];
  if (dtype === "float32" || dtype === "float64") {
    const digits = dtype === "float32" ? 24 : 53;
    [from, to] = [updateFrom(from, digits), updateTo(to, digits)];
  }
  const range = BigInt.asUintN(64, to - from);
  const n = out.length;
  if (range < WIDE_RANGE && from > -(1n << 52n) && from < 1n << 52n) {
    // draw % range + from stays exact in doubles; typed-array stores narrow as static_cast does
    const [r, base] = [Number(range), Number(from)];
    if (dtype === "bool") for (let i = 0; i < n; i++) out[i] = (gen.random() % r) + base !== 0 ? 1 : 0;
    else for (let i = 0; i < n; i++) out[i] = (gen.random() % r) + base;
    return;
  }
  for (let i = 0; i < n; i++) {
    const draw = range >= WIDE_RANGE ? random64(gen) : BigInt(gen.random());
    storeInt64(out, i, BigInt.asIntN(64, (draw % range) + from), dtype);
  }
}

/**
 * `random_(from, None)` for int64 on CPU: integers uniform in [from, 2^63 - 1], i.e.
 * `draw % (2^63 - from) + from` with a 64-bit draw when that range is at least 2^28 (PyTorch's
 * uniform_int_from_to_distribution). Other dtypes go through {@link randintDraw}.
 * @example
 * randomFillInt64ToMax(gen, new Float64Array(3), 0n);
 */
export function randomFillInt64ToMax(gen: Generator, out: TypedArray, from: bigint): void {
  const range = TWO_POW_63 - from;
  const wide = range >= WIDE_RANGE;
  for (let i = 0; i < out.length; i++) {
    const draw = wide ? random64(gen) : BigInt(gen.random());
    storeInt64(out, i, BigInt.asIntN(64, (draw % range) + from), "int64");
  }
}

/**
 * `random_(-2^63, None)` on CPU: the whole int64 range, each element a 64-bit draw read as a
 * signed integer and cast to the dtype (int64, float32 or float64 only, like PyTorch).
 * @example
 * randomFillFull64(gen, new Float64Array(2), "float64");
 */
export function randomFillFull64(gen: Generator, out: TypedArray, dtype: DType): void {
  if (dtype === "bool") {
    throw new NotImplementedError(`"random_full_64_bits_range_kernel_cpu" not implemented for 'Bool'`);
  }
  if (dtype !== "int64" && dtype !== "float32" && dtype !== "float64") {
    throw new RuntimeError("random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16");
  }
  for (let i = 0; i < out.length; i++) {
    const v = random64(gen);
    storeInt64(out, i, v >= TWO_POW_63 ? v - TWO_POW_64 : v, dtype);
  }
}

/**
 * `Tensor.exponential_(lambd)` on CPU: a double uniform u in [0, 1) per element (two 32-bit
 * draws) turned into `(-1 / lambd) * log1p(-u)` in double, then cast to the dtype. The log1p is
 * JavaScript's (fdlibm), which differs from glibc's in the last bit for about 0.06% of inputs:
 * float64 results can then differ by one ulp; float32 results practically never.
 * @example
 * manualSeed(0); exponentialFill(defaultGenerator(), new Float32Array(2), 0.5); // [7.0167, 2.4608]
 */
export function exponentialFill(gen: Generator, out: Float32Array | Float64Array, lambda: number): void {
  const u = uniformFill(gen, new Float64Array(out.length), "float64");
  const scale = -1 / lambda;
  for (let i = 0; i < out.length; i++) out[i] = scale * Math.log1p(-u[i]!);
}
