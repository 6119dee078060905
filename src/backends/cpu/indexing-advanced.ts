// CPU loops of advanced indexing (`x[idx0, :, idx1]` reads and writes): every output element is
// src[before..., idx_0[r], ..., idx_k[r], after...] for a position r of the broadcast index shape.
// Indices are bounds-checked (negative ones wrap) before anything is written.

import { IndexError } from "../../core/errors.js";
import { numelOf } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { castTo, offsetsOf, valuesOf } from "./indexing-kernels.js";

/**
 * A prepared advanced-indexing operation (PyTorch's AdvancedIndex): `src` is self, with the
 * indexed dims moved to the front when they were not adjacent; dims [before, before + k) are
 * indexed by `indices` (int tensors broadcastable to `repShape`).
 */
export interface IndexPlan {
  readonly src: Tensor;
  readonly before: number;
  readonly indices: readonly Tensor[];
  readonly repShape: readonly number[];
  /** src's shape with the indexed dims replaced by repShape. */
  readonly resultShape: readonly number[];
}

/** Per position of the broadcast index shape: the storage offset the indices select (checked, wrapped). */
function replacementOffsets(plan: IndexPlan): number[] {
  const { src, before, indices, repShape } = plan;
  const n = numelOf(repShape);
  const values = indices.map((t) => valuesOf(t, repShape));
  const out = new Array<number>(n).fill(0);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < values.length; j++) {
      const size = src._shape[before + j]!;
      let v = values[j]![r]!;
      if (v < -size || v >= size) throw new IndexError(`index ${v} is out of bounds for dimension ${j} with size ${size}`);
      if (v < 0) v += size;
      out[r]! += v * src._strides[before + j]!;
    }
  }
  return out;
}

/** Calls body(srcOffset, k) for the k-th element (row-major) of the indexing result. */
function forEachIndexed(plan: IndexPlan, body: (srcOffset: number, k: number) => void): void {
  if (numelOf(plan.resultShape) === 0) return;
  const { src, before, indices } = plan;
  const after = before + indices.length;
  const rep = replacementOffsets(plan);
  const outer = offsetsOf(src._shape.slice(0, before), src._strides.slice(0, before), src._offset);
  const inner = offsetsOf(src._shape.slice(after), src._strides.slice(after));
  let k = 0;
  for (const b of outer) for (const r of rep) for (const a of inner) body(b + r + a, k++);
}

/**
 * Fills `out` (shaped like plan.resultShape) with the indexed elements of plan.src.
 * @example
 * indexGatherInto(out, plan) // out = x[idx]
 */
export function indexGatherInto(out: Tensor, plan: IndexPlan): void {
  const sd = plan.src.data();
  const od = out.data();
  const dst = offsetsOf(out._shape, out._strides, out._offset);
  forEachIndexed(plan, (s, k) => (od[dst[k]!] = sd[s]!));
}

/**
 * Writes `values` (broadcast to plan.resultShape) into the indexed elements of plan.src,
 * adding instead when `accumulate` (duplicates then add up; otherwise the last one wins).
 * @example
 * indexPutInto(plan, values, false) // x[idx] = values
 */
export function indexPutInto(plan: IndexPlan, values: Tensor, accumulate: boolean): void {
  if (numelOf(plan.resultShape) === 0) return;
  const dtype = plan.src.dtype;
  const d = plan.src.data();
  const v = valuesOf(values, plan.resultShape);
  // forEachIndexed checks every index before the first call of the body
  if (accumulate) forEachIndexed(plan, (s, k) => (d[s] = castTo(dtype, d[s]! + v[k]!)));
  else forEachIndexed(plan, (s, k) => (d[s] = v[k]!));
}
