// Elementwise loops of the pointwise CPU kernels: one to three inputs broadcast to the output.
// Fast paths: a flat loop when every operand is contiguous with the output's shape, a scalar loop
// when an input has one element, a storage-order loop when all operands share one dense layout;
// otherwise an odometer over the output's dimensions. Element functions receive values already
// in the compute dtype (see `asCompute`); the typed-array store narrows to the output dtype.

import type { DType, TypedArray } from "../../tensor/dtype.js";
import { contiguousStrides, numelOf } from "../../tensor/shape.js";
import { Storage, Tensor } from "../../tensor/tensor.js";
import { castValue } from "./pointwise-math.js";
import { broadcastStrides, forEachOffset3 } from "./strided-loops.js";

/** An element function of one input. */
export type Fn1 = (x: number) => number;
/** An element function of two inputs. */
export type Fn2 = (x: number, y: number) => number;
/** An element function of three inputs. */
export type Fn3 = (x: number, y: number, z: number) => number;

/** Can every value of `from` be read as a `to` value unchanged? */
function lossless(from: DType, to: DType): boolean {
  if (from === to || from === "bool" || to === "float64") return true;
  switch (to) {
    case "float32":
    case "int32":
      return from === "uint8" || from === "int8" || from === "int16";
    case "int64":
      return from !== "float32";
    case "int16":
      return from === "uint8" || from === "int8";
    default:
      return false;
  }
}

/**
 * `t` read in the compute dtype `d`: t itself when its values are exact in `d`, else a
 * contiguous converted copy (an int64 read as float32 is rounded first, as PyTorch casts inputs).
 * @example
 * asCompute(int64Tensor, "float32") // a float32 copy
 */
export function asCompute(t: Tensor, d: DType): Tensor {
  if (lossless(t.dtype, d)) return t;
  const shape = t._shape.slice();
  const out = new Tensor(Storage.allocate("cpu", d, numelOf(shape)), shape, contiguousStrides(shape), 0, d, "cpu");
  map1(out, t, (v) => castValue(d, v));
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Contiguous and of exactly `shape`: element i lives at offset + i. */
function isFlat(t: Tensor, shape: readonly number[]): boolean {
  return sameShape(t._shape, shape) && t.isContiguous();
}

/** Same shape and strides as `out` (so one storage-order walk visits matching elements). */
function sameLayout(out: Tensor, t: Tensor): boolean {
  return sameShape(out._shape, t._shape) && sameShape(out._strides, t._strides);
}

/** Is a layout dense without overlap, i.e. its elements fill [offset, offset + numel)? */
function isDense(t: Tensor): boolean {
  const dims = t._shape.map((s, i) => [s, t._strides[i]!] as const).filter(([s]) => s !== 1);
  dims.sort((x, y) => x[1] - y[1]);
  let expected = 1;
  for (const [s, st] of dims) {
    if (st !== expected) return false;
    expected *= s;
  }
  return true;
}

/**
 * out = f(a) elementwise (a broadcast to out's shape).
 * @example
 * map1(out, x, Math.exp)
 */
export function map1(out: Tensor, a: Tensor, f: Fn1): void {
  const shape = out._shape;
  const n = numelOf(shape);
  if (n === 0) return;
  const od = out.data();
  const ad = a.data();
  const oo = out._offset;
  const ao = a._offset;
  if ((isFlat(out, shape) && isFlat(a, shape)) || (sameLayout(out, a) && isDense(out))) {
    for (let i = 0; i < n; i++) od[oo + i] = f(ad[ao + i]!);
    return;
  }
  const z = new Array<number>(shape.length).fill(0);
  forEachOffset3(shape, out._strides, oo, broadcastStrides(a, shape), ao, z, 0, (io, ia) => {
    od[io] = f(ad[ia]!);
  });
}

/**
 * out = f(a, b) elementwise with broadcasting.
 * @example
 * map2(out, x, y, (a, b) => a + b)
 */
export function map2(out: Tensor, a: Tensor, b: Tensor, f: Fn2): void {
  const shape = out._shape;
  const n = numelOf(shape);
  if (n === 0) return;
  const od = out.data();
  const ad = a.data();
  const bd = b.data();
  const oo = out._offset;
  const ao = a._offset;
  const bo = b._offset;
  if (isFlat(out, shape)) {
    const af = isFlat(a, shape);
    const bf = isFlat(b, shape);
    if (af && bf) {
      for (let i = 0; i < n; i++) od[oo + i] = f(ad[ao + i]!, bd[bo + i]!);
      return;
    }
    if (af && b.numel() === 1) {
      const s = bd[bo]!;
      for (let i = 0; i < n; i++) od[oo + i] = f(ad[ao + i]!, s);
      return;
    }
    if (bf && a.numel() === 1) {
      const s = ad[ao]!;
      for (let i = 0; i < n; i++) od[oo + i] = f(s, bd[bo + i]!);
      return;
    }
  } else if (sameLayout(out, a) && sameLayout(out, b) && isDense(out)) {
    for (let i = 0; i < n; i++) od[oo + i] = f(ad[ao + i]!, bd[bo + i]!);
    return;
  }
  // odometer over the outer dimensions, stride walk over the last (one call per element)
  const so = out._strides;
  const sa = broadcastStrides(a, shape);
  const sb = broadcastStrides(b, shape);
  const nd = shape.length;
  if (nd === 0) {
    od[oo] = f(ad[ao]!, bd[bo]!);
    return;
  }
  const last = nd - 1;
  const inner = shape[last]!;
  const [dO, dA, dB] = [so[last]!, sa[last]!, sb[last]!];
  const idx = new Array<number>(nd).fill(0);
  let [po, pa, pb] = [oo, ao, bo];
  for (let done = 0; done < n; done += inner) {
    let [io, ia, ib] = [po, pa, pb];
    for (let j = 0; j < inner; j++) {
      od[io] = f(ad[ia]!, bd[ib]!);
      io += dO;
      ia += dA;
      ib += dB;
    }
    for (let d = last - 1; d >= 0; d--) {
      po += so[d]!;
      pa += sa[d]!;
      pb += sb[d]!;
      if (++idx[d]! < shape[d]!) break;
      po -= so[d]! * shape[d]!;
      pa -= sa[d]! * shape[d]!;
      pb -= sb[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * out = f(a, b, c) elementwise with broadcasting.
 * @example
 * map3(out, cond, x, y, (c, a, b) => (c ? a : b))
 */
export function map3(out: Tensor, a: Tensor, b: Tensor, c: Tensor, f: Fn3): void {
  const shape = out._shape;
  const n = numelOf(shape);
  if (n === 0) return;
  const od = out.data();
  const ad = a.data();
  const bd = b.data();
  const cd: TypedArray = c.data();
  const [oo, ao, bo, co] = [out._offset, a._offset, b._offset, c._offset];
  if (isFlat(out, shape) && isFlat(a, shape) && isFlat(b, shape) && isFlat(c, shape)) {
    for (let i = 0; i < n; i++) od[oo + i] = f(ad[ao + i]!, bd[bo + i]!, cd[co + i]!);
    return;
  }
  // walk out/a/b, and c through a second walk of its own offsets (precomputed once)
  const cOff = new Float64Array(n);
  let k = 0;
  const z = new Array<number>(shape.length).fill(0);
  forEachOffset3(shape, broadcastStrides(c, shape), co, z, 0, z, 0, (ic) => {
    cOff[k++] = ic;
  });
  k = 0;
  forEachOffset3(shape, out._strides, oo, broadcastStrides(a, shape), ao, broadcastStrides(b, shape), bo, (io, ia, ib) => {
    od[io] = f(ad[ia]!, bd[ib]!, cd[cOff[k++]!]!);
  });
}


/**
 * Does some element of t satisfy pred? (Used by kernels that must raise before writing.)
 * @example
 * anyElement(divisor, (v) => v === 0)
 */
export function anyElement(t: Tensor, pred: (x: number) => boolean): boolean {
  const d = t.data();
  let found = false;
  const z = new Array<number>(t._shape.length).fill(0);
  if (numelOf(t._shape) === 0) return false;
  forEachOffset3(t._shape, t._strides, t._offset, z, 0, z, 0, (i) => {
    if (!found && pred(d[i]!)) found = true;
  });
  return found;
}
