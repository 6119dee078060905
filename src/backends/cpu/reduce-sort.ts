// CPU kernels of the ops that rewrite whole lines along one dim: sort (std::sort or a stable sort
// with PyTorch's NaN-last / NaN-first comparators), topk (partial_sort or nth_element as PyTorch's
// TopKImpl.h chooses) and cumsum (float64 running sum, stored in the output dtype at each step).

import type { Tensor } from "../../tensor/tensor.js";
import { castFn, forEachLine } from "./reduce-loops.js";
import { type Less, type Pairs, stlNthElement, stlPartialSort, stlSort } from "./reduce-stl-sort.js";
import { copyInto } from "./strided-loops.js";

/** PyTorch's ascending order: NaN after every number. */
const ascending: Less = (a, b) => (a === a && b !== b) || a < b;
/** PyTorch's descending order: NaN before every number. */
const descendingOrder: Less = (a, b) => (a !== a && b === b) || a > b;

function pairs(n: number): Pairs {
  return { v: new Float64Array(n), ix: new Float64Array(n) };
}

function stableSort(p: Pairs, n: number, less: Less): void {
  const order = Array.from({ length: n }, (_, i) => i);
  const v = p.v.slice(0, n);
  order.sort((i, j) => (less(v[i]!, v[j]!) ? -1 : less(v[j]!, v[i]!) ? 1 : i - j));
  const ix = p.ix.slice(0, n);
  for (let j = 0; j < n; j++) {
    p.v[j] = v[order[j]!]!;
    p.ix[j] = ix[order[j]!]!;
  }
}

/**
 * Fills `values` and `indices` (already shaped like self) with self sorted along `dim`. Equal
 * keys keep their order when `stable`; otherwise they end in std::sort's order, as in PyTorch.
 * Like PyTorch, an expanded dim (stride 0) is left unsorted with indices 0, 1, 2...
 * @example
 * sortInto(values, indices, x, 0, false, true);
 */
export function sortInto(values: Tensor, indices: Tensor, self: Tensor, dim: number, descending: boolean, stable: boolean): void {
  copyInto(values, self);
  const ixd = indices.data();
  if (self._shape.length === 0) {
    ixd[indices._offset] = 0;
    return;
  }
  const n = self._shape[dim]!;
  const vd = values.data();
  const vs = values._strides[dim]!;
  const is = indices._strides[dim]!;
  const skip = self._strides[dim] === 0;
  const less = descending ? descendingOrder : ascending;
  const p = pairs(n);
  forEachLine(self._shape, dim, values, indices, null, (iv, ii) => {
    if (skip) {
      for (let j = 0; j < n; j++) ixd[ii + j * is] = j;
      return;
    }
    for (let j = 0; j < n; j++) {
      p.v[j] = vd[iv + j * vs]!;
      p.ix[j] = j;
    }
    if (stable) stableSort(p, n, less);
    else stlSort(p, 0, n, less);
    for (let j = 0; j < n; j++) {
      vd[iv + j * vs] = p.v[j]!;
      ixd[ii + j * is] = p.ix[j]!;
    }
  });
}

/**
 * Fills `values` and `indices` (self's shape with `k` along `dim`) with the k largest (or
 * smallest) values along `dim`: std::partial_sort when k * 64 <= the dim's size, else
 * std::nth_element (then std::sort of the first k - 1 when `sorted`), as PyTorch's CPU topk.
 * @example
 * topkInto(values, indices, x, 2, 0, true, true);
 */
export function topkInto(values: Tensor, indices: Tensor, self: Tensor, k: number, dim: number, largest: boolean, sorted: boolean): void {
  const vd = values.data();
  const ixd = indices.data();
  if (self._shape.length === 0) {
    vd[values._offset] = self.data()[self._offset]!;
    ixd[indices._offset] = 0;
    return;
  }
  if (k === 0) return;
  const n = self._shape[dim]!;
  const sd = self.data();
  const ss = self._strides[dim]!;
  const vs = values._strides[dim]!;
  const is = indices._strides[dim]!;
  const less = largest ? descendingOrder : ascending;
  const p = pairs(n);
  forEachLine(self._shape, dim, self, values, indices, (isrc, iv, ii) => {
    for (let j = 0; j < n; j++) {
      p.v[j] = sd[isrc + j * ss]!;
      p.ix[j] = j;
    }
    if (k * 64 <= n) {
      stlPartialSort(p, 0, k, n, less);
    } else {
      stlNthElement(p, 0, k - 1, n, less);
      if (sorted) stlSort(p, 0, k - 1, less);
    }
    for (let j = 0; j < k; j++) {
      vd[iv + j * vs] = p.v[j]!;
      ixd[ii + j * is] = p.ix[j]!;
    }
  });
}

/**
 * out = cumulative sum of self along `dim`, self first converted to out's dtype, summed in
 * float64 and stored (rounded or wrapped) in out's dtype at each step, as PyTorch's CPU kernel.
 * @example
 * cumsumInto(out, x, 0); // out[i] = x[0] + ... + x[i]
 */
export function cumsumInto(out: Tensor, self: Tensor, dim: number): void {
  const cast = castFn(self.dtype, out.dtype);
  const od = out.data();
  const sd = self.data();
  if (self._shape.length === 0) {
    const x = sd[self._offset]!;
    od[out._offset] = cast ? cast(x) : x;
    return;
  }
  const n = self._shape[dim]!;
  const ss = self._strides[dim]!;
  const os = out._strides[dim]!;
  forEachLine(self._shape, dim, self, out, null, (is, io) => {
    let acc = 0;
    for (let j = 0; j < n; j++) {
      const x = sd[is + j * ss]!;
      acc += cast ? cast(x) : x;
      od[io + j * os] = acc;
    }
  });
}
