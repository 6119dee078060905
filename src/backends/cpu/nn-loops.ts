// Strided iteration helpers of the nn CPU kernels: the lanes along one dimension (softmax) and
// the storage offsets of every element in logical order (norms, losses).

import type { Tensor } from "../../tensor/tensor.js";

/**
 * Calls `body(aBase, bBase)` for every position of a's shape with dimension `dim` removed, with
 * the storage offsets of `a` and `b` there (the loops of reductions along one dimension).
 * @example
 * forEachLane(x, out, 1, (xb, ob) => { ...x[xb + k * x.stride(1)]... })
 */
export function forEachLane(a: Tensor, b: Tensor, dim: number, body: (aBase: number, bBase: number) => void): void {
  const shape = a._shape.filter((_, i) => i !== dim);
  const sa = a._strides.filter((_, i) => i !== dim);
  const sb = b._strides.filter((_, i) => i !== dim);
  const n = shape.reduce((x, y) => x * y, 1);
  if (n === 0) return;
  const idx = new Array<number>(shape.length).fill(0);
  let oa = a._offset;
  let ob = b._offset;
  for (let k = 0; k < n; k++) {
    body(oa, ob);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]!++;
      oa += sa[d]!;
      ob += sb[d]!;
      if (idx[d]! < shape[d]!) break;
      oa -= sa[d]! * shape[d]!;
      ob -= sb[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * Storage offsets of every element of t, in row-major logical order.
 * @example
 * offsetsOf(torch.zeros([2, 3]).t()) // [0, 3, 1, 4, 2, 5]
 */
export function offsetsOf(t: Tensor): Int32Array | number[] {
  const n = t._shape.reduce((x, y) => x * y, 1);
  const out = n < 2 ** 31 ? new Int32Array(n) : new Array<number>(n);
  const nd = t._shape.length;
  const idx = new Array<number>(nd).fill(0);
  let o = t._offset;
  for (let k = 0; k < n; k++) {
    out[k] = o;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      o += t._strides[d]!;
      if (idx[d]! < t._shape[d]!) break;
      o -= t._strides[d]! * t._shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}
