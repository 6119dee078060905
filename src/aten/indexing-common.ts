// Small helpers shared by the joining and indexing operators: PyTorch's way of printing sizes in
// messages, the index dtype checks, and the meta-kernel error of data-dependent operators.

import { NotImplementedError } from "../core/errors.js";
import type { Tensor } from "../tensor/tensor.js";

/** A JS scalar where a schema says `Scalar`. */
export type Scalar = number | boolean | bigint;

/**
 * Sizes as PyTorch prints an IntArrayRef in messages.
 * @example
 * fmtShape([3, 4]) // "[3, 4]"
 */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * Is t an integer index tensor (int32 or int64)?
 * @example
 * isIndexDType(torch.tensor([1, 2])) // true
 */
export function isIndexDType(t: Tensor): boolean {
  return t.dtype === "int64" || t.dtype === "int32";
}

/**
 * PyTorch's ensure_nonempty_size: the size of dim d, 1 for 0-dim tensors.
 * @example
 * nonemptySize(torch.tensor(3), 0) // 1
 */
export function nonemptySize(t: Tensor, d: number): number {
  return t._shape.length === 0 ? 1 : t._shape[d]!;
}

/**
 * The error the meta kernel of an operator with a data-dependent output shape raises.
 * @example
 * throw dataDependentOnMeta("aten::masked_select")
 */
export function dataDependentOnMeta(op: string): NotImplementedError {
  return new NotImplementedError(
    `${op}: attempted to run this operator with Meta tensors, but there was no fake impl or Meta kernel registered (its output shape depends on the data).`,
  );
}

/**
 * Is the tensor's memory self-overlapping (a dimension of size > 1 with stride 0, as after expand)?
 * PyTorch's has_internal_overlap == MemOverlap::Yes.
 * @example
 * hasInternalOverlap(torch.zeros(1).expand(3)) // true
 */
export function hasInternalOverlap(t: Tensor): boolean {
  return t._shape.some((s, i) => s > 1 && t._strides[i] === 0);
}
