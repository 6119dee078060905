// Plain, correct strided loops that every CPU kernel is built on: element iteration over
// (shape, strides, offset) for one to three operands with broadcasting, plus fast paths for the
// contiguous case. Values are JS numbers; typed-array stores do the narrowing (bool stores 0/1).

import type { TypedArray } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { numelOf } from "../../tensor/shape.js";

/** Strides of `t` seen with `shape` (broadcast dims get stride 0; missing leading dims too). */
export function broadcastStrides(t: Tensor, shape: readonly number[]): number[] {
  const n = shape.length;
  const k = t._shape.length;
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < k; i++) {
    const d = n - k + i;
    out[d] = t._shape[i] === 1 && shape[d] !== 1 ? 0 : t._strides[i]!;
  }
  return out;
}

/**
 * Calls `body(i0, i1, i2)` with the storage offsets of up to three operands for each element of
 * `shape`, in row-major order.
 */
export function forEachOffset3(
  shape: readonly number[],
  s0: readonly number[],
  o0: number,
  s1: readonly number[],
  o1: number,
  s2: readonly number[],
  o2: number,
  body: (i0: number, i1: number, i2: number) => void,
): void {
  const nd = shape.length;
  const total = numelOf(shape);
  if (total === 0) return;
  if (nd === 0) {
    body(o0, o1, o2);
    return;
  }
  const last = nd - 1;
  const n = shape[last]!;
  const a0 = s0[last]!;
  const a1 = s1[last]!;
  const a2 = s2[last]!;
  const idx = new Array<number>(nd).fill(0);
  let b0 = o0;
  let b1 = o1;
  let b2 = o2;
  for (let done = 0; done < total; done += n) {
    let i0 = b0;
    let i1 = b1;
    let i2 = b2;
    for (let j = 0; j < n; j++) {
      body(i0, i1, i2);
      i0 += a0;
      i1 += a1;
      i2 += a2;
    }
    // advance the outer index
    for (let d = last - 1; d >= 0; d--) {
      idx[d]!++;
      b0 += s0[d]!;
      b1 += s1[d]!;
      b2 += s2[d]!;
      if (idx[d]! < shape[d]!) break;
      b0 -= s0[d]! * shape[d]!;
      b1 -= s1[d]! * shape[d]!;
      b2 -= s2[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}


/** Is t contiguous with offset-free, broadcast-free layout for `shape`? */
function flat(t: Tensor, shape: readonly number[]): boolean {
  if (t._shape.length !== shape.length) return false;
  for (let i = 0; i < shape.length; i++) if (t._shape[i] !== shape[i]) return false;
  return t.isContiguous();
}

/** out[i] = f(a[i]) elementwise; `out` has a's shape. */
export function unaryLoop(out: Tensor, a: Tensor, f: (x: number) => number, boolOut = out.dtype === "bool"): void {
  const od = out.data();
  const ad = a.data();
  const shape = out._shape;
  if (flat(out, shape) && flat(a, shape)) {
    const n = numelOf(shape);
    const oo = out._offset;
    const ao = a._offset;
    if (boolOut) for (let i = 0; i < n; i++) od[oo + i] = f(ad[ao + i]!) ? 1 : 0;
    else for (let i = 0; i < n; i++) od[oo + i] = f(ad[ao + i]!);
    return;
  }
  const sa = broadcastStrides(a, shape);
  forEachOffset3(shape, out._strides, out._offset, sa, a._offset, sa, 0, (io, ia) => {
    od[io] = boolOut ? (f(ad[ia]!) ? 1 : 0) : f(ad[ia]!);
  });
}

/** out = f(a, b) elementwise with broadcasting of a and b to out's shape. */
export function binaryLoop(out: Tensor, a: Tensor, b: Tensor, f: (x: number, y: number) => number, boolOut = out.dtype === "bool"): void {
  const od = out.data();
  const ad = a.data();
  const bd = b.data();
  const shape = out._shape;
  if (flat(out, shape) && flat(a, shape) && flat(b, shape)) {
    const n = numelOf(shape);
    const oo = out._offset;
    const ao = a._offset;
    const bo = b._offset;
    if (boolOut) for (let i = 0; i < n; i++) od[oo + i] = f(ad[ao + i]!, bd[bo + i]!) ? 1 : 0;
    else for (let i = 0; i < n; i++) od[oo + i] = f(ad[ao + i]!, bd[bo + i]!);
    return;
  }
  forEachOffset3(shape, out._strides, out._offset, broadcastStrides(a, shape), a._offset, broadcastStrides(b, shape), b._offset, (io, ia, ib) => {
    od[io] = boolOut ? (f(ad[ia]!, bd[ib]!) ? 1 : 0) : f(ad[ia]!, bd[ib]!);
  });
}

/** out = f(a, b, c) elementwise with broadcasting (where, lerp, addcmul...). */
export function ternaryLoop(out: Tensor, a: Tensor, b: Tensor, c: Tensor, f: (x: number, y: number, z: number) => number): void {
  const od = out.data();
  const ad = a.data();
  const bd = b.data();
  const cd = c.data();
  const boolOut = out.dtype === "bool";
  const shape = out._shape;
  const sa = broadcastStrides(a, shape);
  const sb = broadcastStrides(b, shape);
  const sc = broadcastStrides(c, shape);
  // iterate out/a/b with the generic loop and track c alongside through a flat counter
  const cOffsets: number[] = [];
  forEachOffset3(shape, sc, c._offset, sc, 0, sc, 0, (ic) => void cOffsets.push(ic));
  let k = 0;
  forEachOffset3(shape, out._strides, out._offset, sa, a._offset, sb, b._offset, (io, ia, ib) => {
    const v = f(ad[ia]!, bd[ib]!, cd[cOffsets[k++]!]!);
    od[io] = boolOut ? (v ? 1 : 0) : v;
  });
}

/** The elements of t in row-major logical order, as a plain number array. */
export function toFlatArray(t: Tensor): number[] {
  const d = t.data();
  const out: number[] = [];
  forEachOffset3(t._shape, t._strides, t._offset, t._strides, 0, t._strides, 0, (i) => void out.push(d[i]!));
  return out;
}

/** Copies src (broadcast to dst's shape) into dst, converting dtypes. */
export function copyInto(dst: Tensor, src: Tensor): void {
  const boolOut = dst.dtype === "bool";
  unaryLoop(dst, src, boolOut ? (x) => (x !== 0 ? 1 : 0) : dst.dtype === "float32" || dst.dtype === "float64" ? (x) => x : truncToInt, boolOut);
}

function truncToInt(x: number): number {
  return Number.isFinite(x) ? Math.trunc(x) : 0;
}

/** Fills every element of t with v. */
export function fillTensor(t: Tensor, v: number): void {
  const d: TypedArray = t.data();
  const val = t.dtype === "bool" ? (v ? 1 : 0) : v;
  if (t.isContiguous()) {
    d.fill(val, t._offset, t._offset + t.numel());
    return;
  }
  forEachOffset3(t._shape, t._strides, t._offset, t._strides, 0, t._strides, 0, (i) => {
    d[i] = val;
  });
}
