// Fast paths of the hottest pointwise kernels (add, sub, mul, div on float32/float64 and the
// float clamp behind relu): loops with the arithmetic written inline, so no element function is
// called, for contiguous operands of one shape or a contiguous tensor with a one-element operand.
// Anything else returns false/null and the caller takes the generic loops in pointwise-loops.ts,
// which these must agree with (test/aten/pointwise.test.ts compares them).

import { Storage, Tensor, defaultKeySet } from "../../tensor/tensor.js";

/** The arithmetic a fast loop performs. */
export type FastOp = "add" | "sub" | "mul" | "div";

type FloatArray = Float32Array | Float64Array;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major contiguous (size-1 dims ignored), without allocating. */
function contiguous(t: Tensor): boolean {
  const shape = t._shape;
  const strides = t._strides;
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const s = shape[i]!;
    if (s === 0) return true;
    if (s !== 1) {
      if (strides[i] !== expected) return false;
      expected *= s;
    }
  }
  return true;
}

/** Contiguous with exactly `shape` (element i at offset + i). */
function flat(t: Tensor, shape: readonly number[]): boolean {
  return sameShape(t._shape, shape) && contiguous(t);
}

function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

function loop(op: FastOp, od: FloatArray, oo: number, ad: FloatArray, ao: number, bd: FloatArray, bo: number, n: number): void {
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) od[oo + i] = ad[ao + i]! + bd[bo + i]!;
      return;
    case "sub":
      for (let i = 0; i < n; i++) od[oo + i] = ad[ao + i]! - bd[bo + i]!;
      return;
    case "mul":
      for (let i = 0; i < n; i++) od[oo + i] = ad[ao + i]! * bd[bo + i]!;
      return;
    case "div":
      for (let i = 0; i < n; i++) od[oo + i] = ad[ao + i]! / bd[bo + i]!;
      return;
  }
}

function loopScalar(op: FastOp, od: FloatArray, oo: number, ad: FloatArray, ao: number, s: number, n: number): void {
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) od[oo + i] = ad[ao + i]! + s;
      return;
    case "sub":
      for (let i = 0; i < n; i++) od[oo + i] = ad[ao + i]! - s;
      return;
    case "mul":
      for (let i = 0; i < n; i++) od[oo + i] = ad[ao + i]! * s;
      return;
    case "div":
      for (let i = 0; i < n; i++) od[oo + i] = ad[ao + i]! / s;
      return;
  }
}

/**
 * `out = a op b` for a float output whose input `a` already holds the output's dtype. Handles an
 * all-contiguous `b` of that dtype, and a one-element `b` of any dtype (its value rounded to the
 * output's dtype first, as the generic path casts it); returns false otherwise.
 * @example
 * fastFloatBinary("add", out, x, y) // true when x, y, out are contiguous float tensors of one shape
 */
export function fastFloatBinary(op: FastOp, out: Tensor, a: Tensor, b: Tensor): boolean {
  const d = out.dtype;
  if ((d !== "float32" && d !== "float64") || a.dtype !== d) return false;
  const shape = out._shape;
  if (!flat(out, shape) || !flat(a, shape)) return false;
  const n = numel(shape);
  const od = out.data() as FloatArray;
  const ad = a.data() as FloatArray;
  if (b.dtype === d && flat(b, shape)) {
    loop(op, od, out._offset, ad, a._offset, b.data() as FloatArray, b._offset, n);
    return true;
  }
  if (numel(b._shape) !== 1) return false;
  const v = b.data()[b._offset]!;
  loopScalar(op, od, out._offset, ad, a._offset, d === "float32" ? Math.fround(v) : v, n);
  return true;
}


/**
 * The whole out-of-place kernel when nothing needs planning: two contiguous CPU float tensors
 * of one dtype and shape (so promotion, broadcasting and layout are trivial). Returns the new
 * contiguous result, or null to take the general path.
 * @example
 * tryFastFloatBinary("add", x, y) // x + y, or null
 */
export function tryFastFloatBinary(op: FastOp, a: Tensor, b: Tensor): Tensor | null {
  const d = a.dtype;
  if ((d !== "float32" && d !== "float64") || b.dtype !== d || a.device !== "cpu" || b.device !== "cpu") return null;
  const shape = a._shape;
  if (!sameShape(shape, b._shape) || !contiguous(a) || !contiguous(b)) return null;
  const n = numel(shape);
  const od = d === "float32" ? new Float32Array(n) : new Float64Array(n);
  loop(op, od, 0, a.data() as FloatArray, a._offset, b.data() as FloatArray, b._offset, n);
  const s = shape.slice();
  const strides = new Array<number>(s.length);
  for (let i = s.length - 1, st = 1; i >= 0; i--) {
    strides[i] = st;
    st *= Math.max(s[i]!, 1);
  }
  return new Tensor(new Storage("cpu", od, od.byteLength), s, strides, 0, d, "cpu", defaultKeySet("cpu"));
}

/**
 * `out = min(max(a, lo), hi)` (NaN stays NaN) for contiguous float tensors of out's dtype;
 * false when the layout or dtype needs the generic loop.
 * @example
 * fastFloatClamp(out, x, 0, Infinity) // relu
 */
export function fastFloatClamp(out: Tensor, a: Tensor, lo: number, hi: number): boolean {
  const d = out.dtype;
  if ((d !== "float32" && d !== "float64") || a.dtype !== d) return false;
  const shape = out._shape;
  if (!flat(out, shape) || !flat(a, shape)) return false;
  const n = numel(shape);
  const od = out.data() as FloatArray;
  const ad = a.data() as FloatArray;
  const [oo, ao] = [out._offset, a._offset];
  for (let i = 0; i < n; i++) {
    const x = ad[ao + i]!;
    const v = x < lo ? lo : x;
    od[oo + i] = hi < v ? hi : v;
  }
  return true;
}
