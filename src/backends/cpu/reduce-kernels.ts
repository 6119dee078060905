// The arithmetic of the CPU reductions over one run of values (see reduce-loops.ts): sums in
// float64 rounded once at the end (PyTorch's float32 cascade sum is within ~1e-7 of that),
// products as the output dtype multiplies them, NaN-propagating max/min with first-index ties,
// all/any, variance (two passes in float64) and vector norms.

import type { DType } from "../../tensor/dtype.js";
import type { Values } from "./reduce-loops.js";

/**
 * The float64 sum of `src[start .. start + n)` (the benchmarked path), in blocks of 2^15 so that
 * the block loop is called often and V8 optimizes it early (a single long loop stays in slower
 * on-stack-replaced code for the first calls).
 * @example
 * sumRun(new Float32Array([1, 2, 3]), 0, 3) // 6
 */
export function sumRun(src: Values, start: number, n: number): number {
  if (n <= BLOCK) return sumBlock(src, start, n);
  let s = 0;
  const end = start + n;
  for (let i = start; i < end; i += BLOCK) s += sumBlock(src, i, Math.min(BLOCK, end - i));
  return s;
}

const BLOCK = 1 << 15;

/** Four accumulators wide: the adds of neighbouring elements do not wait on each other. */
function sumBlock(src: Values, start: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = start + n;
  const end4 = start + (n & ~3);
  let i = start;
  for (; i < end4; i += 4) {
    s0 += src[i]!;
    s1 += src[i + 1]!;
    s2 += src[i + 2]!;
    s3 += src[i + 3]!;
  }
  for (; i < end; i++) s0 += src[i]!;
  return s0 + s1 + (s2 + s3);
}

const TWO53 = 2 ** 53;

/**
 * The product of a run as PyTorch's prod kernel computes it in `dtype`: float32 rounds each step,
 * narrow integers wrap (32-bit multiply), int64 wraps modulo 2^64 (BigInt when beyond 2^53).
 * @example
 * prodRun(new Float64Array([1e5, 1e5, 1e5, 1e5]), 0, 4, "int32") // 1e20 wrapped to 32 bits
 */
export function prodRun(src: Values, start: number, n: number, dtype: DType): number {
  const end = start + n;
  let p = 1;
  if (dtype === "float32") {
    for (let i = start; i < end; i++) p = Math.fround(p * src[i]!);
    return p;
  }
  if (dtype === "float64" || dtype === "bool") {
    for (let i = start; i < end; i++) p *= src[i]!;
    return p;
  }
  if (dtype !== "int64") {
    for (let i = start; i < end; i++) p = Math.imul(p, src[i]!);
    return p;
  }
  for (let i = start; i < end; i++) p *= src[i]!;
  if (Math.abs(p) <= TWO53) return p;
  let b = 1n;
  for (let i = start; i < end; i++) b = BigInt.asIntN(64, b * BigInt(src[i]!));
  return Number(b);
}

/**
 * The index (from 0) of the largest (`max`) or smallest value of a non-empty run: the first NaN if
 * there is one, else the first of equal extremes (PyTorch's argmax/max.dim rule).
 * @example
 * argExtremeRun(new Float64Array([1, 3, 3]), 0, 3, true) // 1
 */
export function argExtremeRun(src: Values, start: number, n: number, max: boolean): number {
  let best = src[start]!;
  if (best !== best) return 0;
  let at = 0;
  for (let j = 1; j < n; j++) {
    const x = src[start + j]!;
    if (x !== x) return j;
    if (max ? x > best : x < best) {
      best = x;
      at = j;
    }
  }
  return at;
}

/**
 * The largest (`max`) or smallest value of a non-empty run; NaN if any value is NaN.
 * @example
 * extremeRun(new Float64Array([1, NaN, 3]), 0, 3, true) // NaN
 */
export function extremeRun(src: Values, start: number, n: number, max: boolean): number {
  let best = src[start]!;
  const end = start + n;
  for (let i = start + 1; i < end && best === best; i++) {
    const x = src[i]!;
    if (x !== x || (max ? x > best : x < best)) best = x;
  }
  return best;
}

/**
 * all (every value nonzero; NaN counts as nonzero) or any (some value nonzero); empty: all = 1, any = 0.
 * @example
 * allAnyRun(new Float64Array([1, 0]), 0, 2, false) // 1
 */
export function allAnyRun(src: Values, start: number, n: number, all: boolean): number {
  const end = start + n;
  if (all) {
    for (let i = start; i < end; i++) if (src[i] === 0) return 0;
    return 1;
  }
  for (let i = start; i < end; i++) if (src[i] !== 0) return 1;
  return 0;
}

/**
 * The sum of squared deviations from `mean` over a run (float64), the second pass of var/std.
 * @example
 * sumSquaredDeviations(new Float64Array([1, 3]), 0, 2, 2) // 2
 */
export function sumSquaredDeviations(src: Values, start: number, n: number, mean: number): number {
  let s = 0;
  const end = start + n;
  for (let i = start; i < end; i++) {
    const d = src[i]! - mean;
    s += d * d;
  }
  return s;
}

/**
 * The variance (or standard deviation when `sqrt`) of a run with a correction (Bessel's = 1):
 * `sum((x - mean)^2) / max(0, n - correction)`, in float64. `mean` defaults to the exact mean;
 * PyTorch's all-reduce path passes the mean rounded to the input's dtype.
 * @example
 * varianceRun(new Float64Array([1, 2, 3, 4]), 0, 4, 1, false) // 1.666...
 */
export function varianceRun(src: Values, start: number, n: number, correction: number, sqrt: boolean, mean = sumRun(src, start, n) / n): number {
  const v = sumSquaredDeviations(src, start, n, mean) / Math.max(0, n - correction);
  return sqrt ? Math.sqrt(v) : v;
}

/**
 * The vector norm of a run: ord 0 counts nonzeros, inf / -inf take the largest / smallest |x|
 * (NaN propagates), 1 and 2 sum |x| and x^2, other ords `(sum |x|^p)^(1/p)`; a single value gives
 * |x| exactly (PyTorch's 1-element shortcut). Computed in float64; the caller rounds once.
 * @example
 * normRun(new Float64Array([3, -4]), 0, 2, 2) // 5
 */
export function normRun(src: Values, start: number, n: number, ord: number): number {
  const end = start + n;
  if (ord === 0) {
    let c = 0;
    for (let i = start; i < end; i++) if (src[i] !== 0) c++;
    return c;
  }
  if (n === 1) return Math.abs(src[start]!);
  if (ord === Infinity || ord === -Infinity) {
    if (n === 0) return 0;
    let best = Math.abs(src[start]!);
    for (let i = start + 1; i < end && best === best; i++) {
      const a = Math.abs(src[i]!);
      if (a !== a || (ord > 0 ? a > best : a < best)) best = a;
    }
    return best;
  }
  let s = 0;
  if (ord === 1) {
    for (let i = start; i < end; i++) s += Math.abs(src[i]!);
    return s;
  }
  if (ord === 2) {
    for (let i = start; i < end; i++) s += src[i]! * src[i]!;
    return Math.sqrt(s);
  }
  for (let i = start; i < end; i++) s += Math.pow(Math.abs(src[i]!), ord);
  return Math.pow(s, 1 / ord);
}
