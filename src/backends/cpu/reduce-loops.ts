// Iteration for reductions and scans over strided CPU tensors: the slices a reduction covers
// (handed to a kernel as a run of numbers: read in place when the slice is contiguous, else
// gathered into a scratch buffer), the lines along one dim that sort, topk and cumsum rewrite,
// and the value conversions of casting an input to a reduction's dtype first.

import type { DType, TypedArray } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { forEachOffset3 } from "./strided-loops.js";

/** A run of values: float storage or a scratch buffer (see floatData). */
export type Values = Float32Array | Float64Array;

/**
 * Receives one reduction slice: `src[start .. start + n)` holds its values in row-major order of
 * the reduced dims; `k` is the flat index of the output element (outputs are contiguous).
 */
export type SliceVisitor = (src: Values, start: number, n: number, k: number) => void;

/** A conversion applied to every input value before reducing (PyTorch casts the input first). */
export type Cast = (x: number) => number;

const SCRATCH_LIMIT = 1 << 20;
/** Elements of a block of gathered lanes (2 MB of float64). */
const LANE_BUFFER = 1 << 18;
let scratchBuf = new Float64Array(1024);

/** A Float64Array of at least n elements (shared for small n; fresh for large n, so it is not kept). */
function scratch(n: number): Float64Array {
  if (n > SCRATCH_LIMIT) return new Float64Array(n);
  if (scratchBuf.length < n) scratchBuf = new Float64Array(Math.max(n, scratchBuf.length * 2));
  return scratchBuf;
}

/** Merges neighbouring dims that are laid out as one (same element order, fewer loops). */
function coalesce(shape: number[], strides: number[]): void {
  for (let i = shape.length - 2; i >= 0; i--) {
    if (strides[i] === shape[i + 1]! * strides[i + 1]!) {
      shape[i] = shape[i]! * shape[i + 1]!;
      strides[i] = strides[i + 1]!;
      shape.splice(i + 1, 1);
      strides.splice(i + 1, 1);
    }
  }
}

/**
 * Copies `lanes` slices into buf: slice b starts at base + b * laneStride and lands at
 * buf[b * n .. (b + 1) * n). Reading the lanes side by side turns a column-wise reduction (lanes
 * contiguous in memory, reduced dim strided) into sequential reads.
 */
function gather(data: Values, base: number, shape: readonly number[], strides: readonly number[], buf: Float64Array, n: number, lanes: number, laneStride: number, cast: Cast | null): void {
  const nd = shape.length;
  const m = nd === 0 ? 1 : shape[nd - 1]!;
  const st = nd === 0 ? 0 : strides[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let off = base;
  let j = 0;
  while (j < n) {
    let o = off;
    if (cast) {
      for (let i = 0; i < m; i++, o += st, j++) for (let b = 0, q = o, w = j; b < lanes; b++, q += laneStride, w += n) buf[w] = cast(data[q]!);
    } else {
      for (let i = 0; i < m; i++, o += st, j++) for (let b = 0, q = o, w = j; b < lanes; b++, q += laneStride, w += n) buf[w] = data[q]!;
    }
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** Lanes per block: enough to read whole cache lines, with the block buffer kept small. */
function laneCount(n: number, runLength: number, laneStride: number, innerStrides: readonly number[]): number {
  if (runLength < 2 || innerStrides.some((s) => Math.abs(s) <= Math.abs(laneStride))) return 1;
  return Math.max(1, Math.min(64, runLength, Math.floor(LANE_BUFFER / Math.max(n, 1))));
}

/**
 * Calls `visit` once per output element of a reduction of `input` over the dims flagged in
 * `mask`, in row-major order of the kept dims. Slices of a reduced size 0 arrive with n = 0.
 * @example
 * forEachReduction(x, [false, true], (src, start, n, k) => { out[k] = sumOf(src, start, n) });
 */
export function forEachReduction(input: Tensor, mask: readonly boolean[], visit: SliceVisitor, cast: Cast | null = null): void {
  const outerShape: number[] = [];
  const outerStrides: number[] = [];
  const innerShape: number[] = [];
  const innerStrides: number[] = [];
  input._shape.forEach((s, d) => {
    if (!mask[d]) {
      outerShape.push(s);
      outerStrides.push(input._strides[d]!);
    } else if (s !== 1) {
      innerShape.push(s);
      innerStrides.push(input._strides[d]!);
    }
  });
  coalesce(innerShape, innerStrides);
  let n = 1;
  for (const s of innerShape) n *= s;
  let count = 1;
  for (const s of outerShape) count *= s;
  if (count === 0) return;
  const [data, offset] = floatData(input);
  if (cast === null && (innerShape.length === 0 || (innerShape.length === 1 && innerStrides[0] === 1))) {
    forEachBase(outerShape, outerStrides, offset, 1, (base, k) => visit(data, base, n, k));
    return;
  }
  // Other slices are gathered, `lanes` neighbouring outputs at a time along the last kept dim.
  const no = outerShape.length;
  const run = no === 0 ? 1 : outerShape[no - 1]!;
  const laneStride = no === 0 ? 0 : outerStrides[no - 1]!;
  const lanes = laneCount(n, run, laneStride, innerStrides);
  const buf = scratch(n * lanes);
  forEachBase(outerShape, outerStrides, offset, lanes, (base, k, width) => {
    gather(data, base, innerShape, innerStrides, buf, n, width, laneStride, cast);
    for (let b = 0; b < width; b++) visit(buf, b * n, n, k + b);
  });
}

/**
 * The elements t can reach as a Float32Array or Float64Array, and t's offset in it. Integer and
 * bool storage is converted (natively) first: loops that only ever see these two array kinds keep
 * V8's fast element loads, where six kinds would make every load slow.
 * @example
 * const [data, offset] = floatData(int32Tensor); // a Float64Array copy of the reachable range, 0
 */
export function floatData(t: Tensor): [Float32Array | Float64Array, number] {
  const d = t.data();
  if (d instanceof Float32Array || d instanceof Float64Array) return [d, t._offset];
  let hi = t._offset;
  for (let i = 0; i < t._shape.length; i++) hi += Math.max(t._shape[i]! - 1, 0) * t._strides[i]!;
  const out = new Float64Array(hi - t._offset + 1);
  out.set(d.subarray(t._offset, hi + 1));
  return [out, 0];
}

/**
 * Walks the kept dims in row-major order, `block` elements of the last one at a time; `body`
 * gets the storage offset, the flat output index and the block's width.
 */
function forEachBase(shape: readonly number[], strides: readonly number[], offset: number, block: number, body: (base: number, k: number, width: number) => void): void {
  const no = shape.length;
  if (no === 0) {
    body(offset, 0, 1);
    return;
  }
  const last = no - 1;
  const run = shape[last]!;
  const st = strides[last]!;
  const idx = new Array<number>(no).fill(0);
  let base = offset;
  let k = 0;
  let count = 1;
  for (const s of shape) count *= s;
  while (k < count) {
    for (let i = 0; i < run; i += block) {
      const width = Math.min(block, run - i);
      body(base + i * st, k, width);
      k += width;
    }
    for (let d = last - 1; d >= 0; d--) {
      idx[d]!++;
      base += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * Calls `body` with the storage offsets where each line along `dim` starts, for tensors `a`, `b`
 * (and `c`) of the same shape (each with its own strides). Lines are visited in row-major order
 * of the other dims; `shape` must have at least one dim.
 * @example
 * forEachLine(x.shape, 1, x, out, null, (ix, io) => { for (let j = 0; j < n; j++) od[io + j * os] = xd[ix + j * xs] });
 */
export function forEachLine(shape: readonly number[], dim: number, a: Tensor, b: Tensor, c: Tensor | null, body: (ia: number, ib: number, ic: number) => void): void {
  const lineShape = shape.slice();
  lineShape[dim] = 1;
  const cs = c ? c._strides : a._strides;
  forEachOffset3(lineShape, a._strides, a._offset, b._strides, b._offset, cs, c ? c._offset : 0, body);
}

const INT64_MIN = -9223372036854775808;

function truncate(x: number): number {
  return Math.trunc(x);
}

/**
 * The conversion of a value of dtype `from` to dtype `to` (C++ static_cast: floats truncate toward
 * zero, narrower integers wrap, bool is `x != 0`), or null when every value converts exactly.
 * @example
 * castFn("float32", "int64")!(-2.7) // -2
 */
export function castFn(from: DType, to: DType): Cast | null {
  if (from === to || to === "float64") return null;
  const small = from === "bool" || from === "uint8" || from === "int8";
  switch (to) {
    case "bool":
      return (x) => (x !== 0 ? 1 : 0);
    case "float32":
      return small || from === "int16" ? null : Math.fround;
    case "int64":
      return from === "float32" || from === "float64" ? (x) => (Number.isFinite(x) ? truncate(x) : INT64_MIN) : null;
    case "int32":
      return small || from === "int16" ? null : (x) => truncate(x) | 0;
    case "int16":
      return small ? null : (x) => (truncate(x) << 16) >> 16;
    case "int8":
      return from === "bool" ? null : (x) => (truncate(x) << 24) >> 24;
    case "uint8":
      return from === "bool" ? null : (x) => truncate(x) & 255;
  }
}

/**
 * Stores v into element i of an output array, as a store of that dtype would (bool: v != 0;
 * int64, kept in a Float64Array, truncates).
 * @example
 * storeAs("bool")(out.data(), 0, 2) // stores 1
 */
export function storeAs(dtype: DType): (out: TypedArray, i: number, v: number) => void {
  if (dtype === "bool") return (out, i, v) => void (out[i] = v !== 0 ? 1 : 0);
  // int64 lives in a Float64Array: truncate, and never store -0 (0 * -1 in integer arithmetic is 0)
  if (dtype === "int64") return (out, i, v) => void (out[i] = Number.isFinite(v) ? Math.trunc(v) + 0 : INT64_MIN);
  return (out, i, v) => void (out[i] = v);
}
