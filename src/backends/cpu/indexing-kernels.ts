// CPU loops of the joining and indexing family: copies into slices (cat), gathers and scatters
// along one dimension, triangle masks, masked selection and nonzero. Plain loops over
// (shape, strides, offset) that handle any layout; stores convert to the output's dtype.

import { RuntimeError } from "../../core/errors.js";
import type { DType } from "../../tensor/dtype.js";
import { numelOf } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { broadcastStrides, copyInto, forEachOffset3 } from "./strided-loops.js";

/**
 * Another window on t's storage (internal: no view base, same version counter).
 * @example
 * const row1 = restrided(x, [4], [1], x._offset + 4); // row 1 of a contiguous [3, 4] tensor
 */
export function restrided(t: Tensor, shape: number[], strides: number[], offset: number): Tensor {
  return new Tensor(t._storage, shape, strides, offset, t.dtype, t.device, t.keySet, t._version);
}

/**
 * Storage offsets of a (shape, strides) walk in row-major order, starting from `base`.
 * @example
 * offsetsOf([2, 2], [1, 2], 0) // [0, 2, 1, 3]
 */
export function offsetsOf(shape: readonly number[], strides: readonly number[], base = 0): number[] {
  const out: number[] = [];
  forEachOffset3(shape, strides, base, strides, 0, strides, 0, (o) => void out.push(o));
  return out;
}

/**
 * The elements of t (broadcast to `shape` when given) in row-major order.
 * @example
 * valuesOf(torch.tensor([1, 2]), [2, 2]) // [1, 2, 1, 2]
 */
export function valuesOf(t: Tensor, shape: readonly number[] = t._shape): number[] {
  const d = t.data();
  const strides = shape === t._shape ? t._strides : broadcastStrides(t, shape);
  const out: number[] = [];
  forEachOffset3(shape, strides, t._offset, strides, 0, strides, 0, (o) => void out.push(d[o]!));
  return out;
}

/**
 * How a computed value is stored in a dtype (C++'s conversion): bool is nonzero-ness, integers
 * truncate toward zero, floats stay (typed arrays round float32).
 * @example
 * castTo("int64", 2.7) // 2
 */
export function castTo(dtype: DType, v: number): number {
  if (dtype === "bool") return v !== 0 ? 1 : 0;
  if (dtype === "float32" || dtype === "float64") return v;
  return Number.isFinite(v) ? Math.trunc(v) : 0;
}

/**
 * Copies each non-skipped input into its slice of `out` along `dim` (the body of cat).
 * @example
 * catInto(out, [a, b], 0, (t) => false)
 */
export function catInto(out: Tensor, inputs: readonly Tensor[], dim: number, skip: (t: Tensor) => boolean): void {
  let pos = 0;
  for (const t of inputs) {
    if (skip(t)) continue;
    const n = t._shape[dim]!;
    const shape = out._shape.slice();
    shape[dim] = n;
    if (numelOf(shape) > 0) copyInto(restrided(out, shape, out._strides, out._offset + pos * out._strides[dim]!), t);
    pos += n;
  }
}

/** Shape and strides with 0-dim tensors seen as [1] (PyTorch's ensure_nonempty_dim/size). */
function nonempty(t: Tensor): { shape: number[]; strides: number[] } {
  return t._shape.length === 0 ? { shape: [1], strides: [1] } : { shape: t._shape, strides: t._strides };
}

/** Checks every index of a gather/scatter against the indexed size (before anything is written). */
function checkIndexRange(index: Tensor, dim: number, size: number): void {
  for (const v of valuesOf(index)) {
    if (v < 0 || v >= size) throw new RuntimeError(`index ${v} is out of bounds for dimension ${dim} with size ${size}`);
  }
}

/**
 * out[p] = self[p with p[dim] replaced by index[p]] for every position p of index (gather).
 * @example
 * gatherInto(out, x, 1, idx)
 */
export function gatherInto(out: Tensor, self: Tensor, dim: number, index: Tensor): void {
  const s = nonempty(self);
  const ix = nonempty(index);
  const o = nonempty(out);
  checkIndexRange(index, dim, s.shape[dim]!);
  const sd = self.data();
  const od = out.data();
  const id = index.data();
  const strideDim = s.strides[dim]!;
  const walk = s.strides.slice();
  walk[dim] = 0;
  forEachOffset3(ix.shape, o.strides, out._offset, ix.strides, index._offset, walk, self._offset, (io, ii, is) => {
    od[io] = sd[is + id[ii]! * strideDim]!;
  });
}

/**
 * Scatters src (a tensor read at index's positions, or one value) into `out` along `dim`, with an
 * optional reduction; every index is checked before anything is written.
 * @example
 * scatterInto(out, 0, idx, src, null)      // out[idx[p]][...] = src[p]
 * scatterInto(out, 1, idx, 2.5, "add")     // out[...][idx[p]] += 2.5
 */
export function scatterInto(out: Tensor, dim: number, index: Tensor, src: Tensor | number, reduce: "add" | "multiply" | null): void {
  const o = nonempty(out);
  const ix = nonempty(index);
  checkIndexRange(index, dim, o.shape[dim]!);
  const od = out.data();
  const id = index.data();
  const strideDim = o.strides[dim]!;
  const walk = o.strides.slice();
  walk[dim] = 0;
  const dtype = out.dtype;
  const value = typeof src === "number" ? castTo(dtype, src) : 0;
  const sd = typeof src === "number" ? null : src.data();
  const ss = typeof src === "number" ? ix.strides.map(() => 0) : nonempty(src).strides;
  const so = typeof src === "number" ? 0 : src._offset;
  forEachOffset3(ix.shape, walk, out._offset, ix.strides, index._offset, ss, so, (io, ii, is) => {
    const at = io + id[ii]! * strideDim;
    const v = sd === null ? value : sd[is]!;
    if (reduce === "add") od[at] = castTo(dtype, od[at]! + v);
    else if (reduce === "multiply") od[at] = castTo(dtype, od[at]! * v);
    else od[at] = v;
  });
}

/**
 * Keeps the lower (tril) or upper (triu) triangle of the last two dims relative to diagonal k and
 * zeroes the rest; `out` may be `self` (in place).
 * @example
 * triangleInto(out, x, 0, true) // tril
 */
export function triangleInto(out: Tensor, self: Tensor, k: number, lower: boolean): void {
  const nd = out._shape.length;
  const rows = out._shape[nd - 2]!;
  const cols = out._shape[nd - 1]!;
  const od = out.data();
  const sd = self.data();
  const same = out === self;
  let lin = 0;
  forEachOffset3(out._shape, out._strides, out._offset, self._strides, self._offset, self._strides, 0, (io, is) => {
    const j = lin % cols;
    const i = Math.floor(lin / cols) % rows;
    lin++;
    const keep = lower ? j - i <= k : j - i >= k;
    if (!keep) od[io] = 0;
    else if (!same) od[io] = sd[is]!;
  });
}

/**
 * The elements of self where mask is true, both broadcast to `shape`, in row-major order.
 * @example
 * maskedValues(x, m, [3, 4]) // [x[0][0], x[1][2], ...]
 */
export function maskedValues(self: Tensor, mask: Tensor, shape: readonly number[]): number[] {
  const m = valuesOf(mask, shape);
  const v = valuesOf(self, shape);
  const out: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) out.push(v[i]!);
  return out;
}

/**
 * The coordinates of the nonzero elements of t (NaN counts as nonzero), row-major.
 * @example
 * nonzeroCoords(torch.tensor([0, 3, 4])) // [[1], [2]]
 */
export function nonzeroCoords(t: Tensor): number[][] {
  const shape = t._shape;
  const nd = shape.length;
  const vals = valuesOf(t);
  const out: number[][] = [];
  const coord = new Array<number>(nd).fill(0);
  for (let i = 0; i < vals.length; i++) {
    if (vals[i] !== 0) out.push(coord.slice());
    for (let d = nd - 1; d >= 0; d--) {
      if (++coord[d]! < shape[d]!) break;
      coord[d] = 0;
    }
  }
  return out;
}
