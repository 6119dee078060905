// Shape ops that view when they can and copy when they must, written as ATen writes them so that
// a profiler or logging mode sees the same calls: reshape (view, _reshape_alias, or clone +
// _unsafe_view), flatten, unflatten, view_as, reshape_as, contiguous, and clone (empty_strided /
// empty_like + copy_).

import { DispatchKey } from "../core/dispatch-key.js";
import { ksHas } from "../core/dispatch-key-set.js";
import { dispatchContext } from "../core/dispatch-context.js";
import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { computeViewStrides, numelOf, wrapDim } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import {
  fmtList,
  inferDenseStrides,
  inferViewSize,
  isContiguousAs,
  isNonOverlappingAndDense,
  sizeAt,
  stridesForFormat,
  toMemoryFormat,
} from "./shape-geometry.js";

/**
 * ATen's isTensorSubclassLike: a dispatch mode is active, or the tensor is a subclass / functional
 * wrapper. reshape then calls `view` instead of the private `_reshape_alias`, as in PyTorch.
 */
function subclassLike(t: Tensor): boolean {
  const ctx = dispatchContext();
  const modes = ctx.modeStack.length + ctx.infraModes.size > 0 && !ksHas(ctx.excluded, DispatchKey.Python);
  return modes || ksHas(t.keySet, DispatchKey.Python) || ksHas(t.keySet, DispatchKey.Functionalize);
}

/**
 * ATen's `native::reshape_symint` (called directly by flatten): a view when the strides allow it,
 * else `_unsafe_view(clone(contiguous))`.
 * @example
 * reshapeKernel(x.t(), [-1]) // clone + _unsafe_view: the transpose is not viewable as 1-d
 */
export function reshapeKernel(self: Tensor, proposed: number[]): Tensor {
  if (self.isContiguous()) return callOp("aten::view", [self, proposed]) as Tensor;
  const shape = inferViewSize(proposed, numelOf(self._shape));
  const strides = computeViewStrides(self._shape, self._strides, shape);
  if (strides !== null) {
    return (subclassLike(self) ? callOp("aten::view", [self, shape]) : callOp("aten::_reshape_alias", [self, shape, strides])) as Tensor;
  }
  const copy = callOp("aten::clone", [self, "contiguous_format"]) as Tensor;
  return callOp("aten::_unsafe_view", [copy, shape]) as Tensor;
}

/**
 * `aten::flatten.using_ints`: merges dims start..end (a reshape, so a copy when not viewable).
 * @example
 * flattenKernel(torch.zeros([2, 3, 4]), 1, -1).shape // [2, 12]
 */
export function flattenKernel(self: Tensor, startDim: number, endDim: number): Tensor {
  const n = self._shape.length;
  const start = wrapDim(startDim, n);
  const end = wrapDim(endDim, n);
  if (start > end) throw new RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim");
  if (n === 0) return callOp("aten::reshape", [self, [1]]) as Tensor;
  if (start === end) return self;
  const merged = numelOf(self._shape.slice(start, end + 1));
  return reshapeKernel(self, [...self._shape.slice(0, start), merged, ...self._shape.slice(end + 1)]);
}

/**
 * `aten::unflatten.int`: splits dim into `sizes` (one may be -1), as a view.
 * @example
 * unflattenKernel(torch.zeros([2, 6]), 1, [3, -1]).shape // [2, 3, 2]
 */
export function unflattenKernel(self: Tensor, dim: number, sizes: number[]): Tensor {
  const d = wrapDim(dim, self._shape.length);
  if (sizes.length === 0) throw new RuntimeError("unflatten: sizes must be non-empty");
  let inferred: number[];
  try {
    inferred = inferViewSize(sizes, sizeAt(self, d));
  } catch (e) {
    const msg = (e as Error).message;
    if (!msg.includes("is invalid for input of size")) throw new RuntimeError(`unflatten got an unexpected error:\n${msg}`);
    throw new RuntimeError(
      `unflatten: Provided sizes ${fmtList(sizes)} don't multiply up to the size of dim ${d} (${self._shape[d]}) in the input tensor`,
    );
  }
  const shape = [...self._shape.slice(0, d), ...inferred, ...self._shape.slice(d + 1)];
  return callOp("aten::view", [self, shape]) as Tensor;
}

/**
 * `aten::view_as`: `view(other.size())`.
 * @example
 * viewAsKernel(torch.zeros([2, 3]), torch.zeros([6])).shape // [6]
 */
export function viewAsKernel(self: Tensor, other: Tensor): Tensor {
  return callOp("aten::view", [self, other._shape.slice()]) as Tensor;
}

/**
 * `aten::reshape_as`: `reshape(other.size())`.
 * @example
 * reshapeAsKernel(torch.zeros([2, 3]).t(), torch.zeros([6])).shape // [6] (a copy)
 */
export function reshapeAsKernel(self: Tensor, other: Tensor): Tensor {
  return callOp("aten::reshape", [self, other._shape.slice()]) as Tensor;
}

/**
 * `aten::contiguous`: self when already laid out in the format, else `clone(memory_format)`.
 * @example
 * contiguousKernel(x, "contiguous_format") === x // true when x is contiguous
 */
export function contiguousKernel(self: Tensor, memoryFormat: unknown): Tensor {
  const format = toMemoryFormat(memoryFormat) ?? "contiguous_format";
  if (isContiguousAs(self, format)) return self;
  if (format === "preserve_format") throw new RuntimeError("preserve memory format is unsupported by the contiguous operator");
  return callOp("aten::clone", [self, format]) as Tensor;
}

/**
 * Gives a freshly allocated dense tensor the strides PyTorch's allocation would have had, when the
 * allocator handed back another dense layout (aten-ts's empty_like does not read memory_format yet).
 * Metadata only: the storage holds every element of any dense layout.
 */
function withStrides(t: Tensor, strides: readonly number[]): Tensor {
  if (t._strides.every((s, i) => s === strides[i])) return t;
  return new Tensor(t._storage, t._shape.slice(), strides.slice(), t._offset, t.dtype, t.device, t.keySet, t._version);
}

/**
 * `aten::clone`: a copy in a memory format (default: preserve the input's layout when it is dense,
 * else its stride order).
 * @example
 * cloneKernel(x.t(), null).stride() // x.t()'s strides: dense layouts are kept
 */
export function cloneKernel(src: Tensor, memoryFormat: unknown): Tensor {
  const format = toMemoryFormat(memoryFormat) ?? "preserve_format";
  let out: Tensor;
  let strides: number[];
  if (format === "preserve_format") {
    if (isNonOverlappingAndDense(src._shape, src._strides)) {
      strides = src._strides.slice();
      out = callOp("aten::empty_strided", [src._shape.slice(), strides, src.dtype, null, src.device, null]) as Tensor;
    } else {
      strides = inferDenseStrides(src._shape, src._strides);
      out = callOp("aten::empty_like", [src, null, null, null, null, null]) as Tensor;
    }
  } else {
    strides = stridesForFormat(src._shape, format);
    out = callOp("aten::empty_like", [src, src.dtype, null, src.device, null, format]) as Tensor;
  }
  out = withStrides(out, strides);
  callOp("aten::copy_", [out, src, false]);
  return out;
}
