// PyTorch's make_info for advanced indexing (`index.Tensor`, `_index_put_impl_`): checks the
// index dtypes, replaces boolean masks by their nonzero coordinates, broadcasts the index
// tensors, moves non-adjacent indexed dims to the front, and computes the result shape.

import { IndexError, RuntimeError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import type { IndexPlan } from "../backends/cpu/indexing-advanced.js";
import { restrided } from "../backends/cpu/indexing-kernels.js";
import { callOp } from "../dispatcher/call-op.js";
import { broadcastAll } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { fmtShape } from "./indexing-common.js";

/** An entry of a `Tensor?[] indices` argument. */
export type OptTensor = Tensor | null;

/**
 * Is the entry a mask (bool, or the deprecated uint8)?
 * @example
 * isMask(torch.tensor([true, false])) // true
 */
export function isMask(t: Tensor): boolean {
  return t.dtype === "bool" || t.dtype === "uint8";
}

/**
 * The size of self at srcIdx, as `self.size(srcIdx)` (IndexError past the last dim).
 * @example
 * sizeAt(torch.zeros([3, 4]), 1) // 4
 */
export function sizeAt(self: Tensor, srcIdx: number): number {
  if (srcIdx >= self._shape.length) {
    const n = Math.max(self._shape.length, 1);
    throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${srcIdx})`);
  }
  return self._shape[srcIdx]!;
}

/**
 * The error of a mask whose size does not match the indexed dims of self (PyTorch's invalid_mask).
 * @example
 * throw invalidMask(self, 1, mask, 0)
 */
export function invalidMask(self: Tensor, srcIdx: number, mask: Tensor, maskIdx: number): IndexError {
  return new IndexError(
    `The shape of the mask ${fmtShape(mask._shape)} at index ${maskIdx} does not match the shape of the indexed tensor ${fmtShape(self._shape)} at index ${srcIdx}`,
  );
}

function checkIndexTensorTypes(indices: readonly OptTensor[]): void {
  for (const t of indices) {
    if (t !== null && t.dtype !== "int64" && t.dtype !== "int32" && !isMask(t)) {
      throw new IndexError("tensors used as indices must be long, int, byte or bool tensors");
    }
  }
}

/** PyTorch's expandTensors: each mask becomes one long index per mask dim (its nonzero coordinates). */
function expandMasks(self: Tensor, indices: readonly OptTensor[]): OptTensor[] {
  const result: OptTensor[] = [];
  for (const index of indices) {
    if (index === null || !isMask(index)) {
      result.push(index);
      continue;
    }
    if (index.dtype === "uint8") warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead.");
    for (let j = 0; j < index._shape.length; j++) {
      const srcIdx = result.length + j;
      if (index._shape[j] !== sizeAt(self, srcIdx)) throw invalidMask(self, srcIdx, index, j);
    }
    const nz = callOp("aten::nonzero", [index]) as Tensor;
    const n = nz._shape[0]!;
    for (let j = 0; j < index._shape.length; j++) {
      result.push(restrided(nz, [n], [nz._strides[0]!], nz._offset + j * nz._strides[1]!));
    }
  }
  return result;
}

/** Are the non-null entries adjacent? */
function hasContiguousSubspace(list: readonly OptTensor[]): boolean {
  const first = list.findIndex((t) => t !== null);
  let last = list.length - 1;
  while (last >= 0 && list[last] === null) last--;
  for (let i = first; i <= last; i++) if (list[i] === null) return false;
  return true;
}

/**
 * Prepares an advanced-indexing read or write of self (PyTorch's make_info + AdvancedIndex).
 * @throws IndexError for bad index dtypes, mismatched masks and unbroadcastable indices
 * @example
 * makeIndexPlan(x, [idx0, null, idx1]).resultShape
 */
export function makeIndexPlan(self: Tensor, indices: readonly OptTensor[]): IndexPlan {
  checkIndexTensorTypes(indices);
  const list = expandMasks(self, indices);
  const defined = list.filter((t): t is Tensor => t !== null);
  let repShape: number[];
  try {
    repShape = broadcastAll(defined.map((t) => t._shape));
  } catch {
    const shapes = defined.map((t) => fmtShape(t._shape)).join(", ");
    throw new IndexError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${shapes}`);
  }
  const nd = self._shape.length;
  if (list.length > nd) throw new IndexError(`too many indices for tensor of dimension ${nd} (got ${list.length})`);
  if (defined.length === 0) {
    // PyTorch fails here too (an internal assert in its kernel): nothing is left to index with.
    throw new RuntimeError("advanced indexing needs at least one index tensor (every entry is None or a 0-dim mask)");
  }
  while (list.length < nd) list.push(null);
  let src = self;
  let order = list;
  if (!hasContiguousSubspace(list)) {
    // transpose the indexed dims to the front, in order
    const dims = [...list.keys()].filter((i) => list[i] !== null).concat([...list.keys()].filter((i) => list[i] === null));
    src = restrided(self, dims.map((d) => self._shape[d]!), dims.map((d) => self._strides[d]!), self._offset);
    order = dims.map((d) => list[d] ?? null);
  }
  const before = order.findIndex((t) => t !== null);
  const k = defined.length;
  const indexedSizes = src._shape.slice(before, before + k);
  if (indexedSizes.includes(0) && !repShape.includes(0)) throw new IndexError("index is out of bounds for dimension with size 0");
  const resultShape = [...src._shape.slice(0, before), ...repShape, ...src._shape.slice(before + k)];
  return { src, before, indices: defined, repShape, resultShape };
}
