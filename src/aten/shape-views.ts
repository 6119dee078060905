// The view kernels of the shape family, as ATen's TensorShape.cpp writes them: metadata-only
// results sharing storage and version counter with their base. As in ATen, most of them compute
// sizes and strides and call `as_strided` (so a profiler sees e.g. transpose -> as_strided);
// view, _unsafe_view, _reshape_alias and alias build their result directly.

import { IndexError, RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { itemsize } from "../tensor/dtype.js";
import { computeViewStrides, numelOf, wrapDim } from "../tensor/shape.js";
import { Tensor, makeView } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import {
  checkAsStrided,
  dimListToMask,
  fmtList,
  inferExpandGeometry,
  inferSqueezeGeometry,
  inferUnsqueezeGeometry,
  inferViewSize,
  sizeAt,
} from "./shape-geometry.js";

type Opt<T> = T | null;

/** `self.as_strided(sizes, strides[, offset])` through the dispatcher, as ATen's view kernels do. */
function asStrided(self: Tensor, sizes: number[], strides: number[], offset: Opt<number> = null): Tensor {
  return callOp("aten::as_strided", [self, sizes, strides, offset]) as Tensor;
}

/** A tensor over self's storage that is not a view of it (`_base` null). */
function sharingStorage(self: Tensor, sizes: number[], strides: number[], freshVersion: boolean): Tensor {
  return new Tensor(self._storage, sizes, strides, self._offset, self.dtype, self.device, self.keySet, freshVersion ? undefined : self._version);
}

/** The `view size is not compatible...` check of ATen's view_impl; returns the view geometry. */
function viewGeometry(self: Tensor, size: readonly number[]): { sizes: number[]; strides: number[] } {
  const sizes = inferViewSize(size, numelOf(self._shape));
  const strides = computeViewStrides(self._shape, self._strides, sizes);
  if (strides === null) {
    throw new RuntimeError(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  return { sizes, strides };
}

/**
 * `aten::as_strided`: a view with explicit geometry; the offset defaults to self's.
 * @example
 * asStridedKernel(x, [2, 2], [1, 2], null) // x's storage read column-wise
 */
export function asStridedKernel(self: Tensor, size: number[], stride: number[], storageOffset: Opt<number>): Tensor {
  const offset = storageOffset ?? self._offset;
  checkAsStrided(size, stride, offset, itemsize(self.dtype), self._storage ? self._storage.nbytes : null);
  return makeView(self, size.slice(), stride.slice(), offset);
}

/**
 * `aten::view`: the same elements with another shape, when the strides allow it.
 * @example
 * viewKernel(torch.zeros([2, 3]), [3, -1]).shape // [3, 2]
 */
export function viewKernel(self: Tensor, size: number[]): Tensor {
  const g = viewGeometry(self, size);
  return makeView(self, g.sizes, g.strides, self._offset);
}

/**
 * `aten::_unsafe_view`: view's geometry, but not a view (fresh version counter, no base).
 * @example
 * unsafeViewKernel(torch.zeros([2, 3]), [6]).isView // false
 */
export function unsafeViewKernel(self: Tensor, size: number[]): Tensor {
  const g = viewGeometry(self, size);
  return sharingStorage(self, g.sizes, g.strides, true);
}

/**
 * `aten::_reshape_alias`: reshape's view once the strides are known (no checks, as in ATen).
 * @example
 * reshapeAliasKernel(x.t(), [4, 3, 1], [1, 4, 1]) // what x.t().reshape(4, 3, 1) returns
 */
export function reshapeAliasKernel(self: Tensor, size: number[], stride: number[]): Tensor {
  return makeView(self, size.slice(), stride.slice(), self._offset);
}

/**
 * `aten::alias`: a view with the same geometry.
 * @example
 * aliasKernel(x)._base === x // true
 */
export function aliasKernel(self: Tensor): Tensor {
  return makeView(self, self._shape.slice(), self._strides.slice(), self._offset);
}

/**
 * `aten::detach`: same storage and version counter, not a view, no autograd history.
 * @example
 * detachKernel(x).isView // false, but x's data and version counter
 */
export function detachKernel(self: Tensor): Tensor {
  return sharingStorage(self, self._shape.slice(), self._strides.slice(), false);
}

/**
 * `aten::transpose.int`: swaps two dims (an alias when they are the same).
 * @example
 * transposeKernel(torch.zeros([2, 3]), 0, 1).stride() // [1, 3]
 */
export function transposeKernel(self: Tensor, dim0: number, dim1: number): Tensor {
  const n = self._shape.length;
  const d0 = wrapDim(dim0, n);
  const d1 = wrapDim(dim1, n);
  if (d0 === d1) return callOp("aten::alias", [self]) as Tensor;
  const sizes = self._shape.slice();
  const strides = self._strides.slice();
  [sizes[d0], sizes[d1]] = [sizes[d1]!, sizes[d0]!];
  [strides[d0], strides[d1]] = [strides[d1]!, strides[d0]!];
  return asStrided(self, sizes, strides);
}

/**
 * `aten::permute`: reorders the dims.
 * @example
 * permuteKernel(torch.zeros([2, 3, 4]), [2, 0, 1]).shape // [4, 2, 3]
 */
export function permuteKernel(self: Tensor, dims: number[]): Tensor {
  const n = self._shape.length;
  if (dims.length !== n) {
    throw new RuntimeError(
      "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions " +
        `i.e. input.dim() = ${n} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const seen = new Array<boolean>(n).fill(false);
  const sizes = new Array<number>(n);
  const strides = new Array<number>(n);
  dims.forEach((d, i) => {
    const w = wrapDim(d, n);
    if (seen[w]) throw new RuntimeError("permute(): duplicate dims are not allowed.");
    seen[w] = true;
    sizes[i] = self._shape[w]!;
    strides[i] = self._strides[w]!;
  });
  return asStrided(self, sizes, strides);
}

/**
 * `aten::t`: transpose of a tensor with at most 2 dims.
 * @example
 * tKernel(torch.zeros([2, 3])).shape // [3, 2]
 */
export function tKernel(self: Tensor): Tensor {
  const n = self._shape.length;
  if (n > 2) throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${n}D`);
  return callOp("aten::transpose.int", [self, 0, n < 2 ? 0 : 1]) as Tensor;
}

/** c10's `Tensor::toString()` as Python shows it in messages (`torch.FloatTensor`, `CPUBoolType`). */
function typeString(t: Tensor): string {
  if (t.device === "cpu" && t.dtype !== "bool") return `torch.${cppName(t.dtype)}Tensor`;
  return `${t.device === "meta" ? "Meta" : "CPU"}${cppName(t.dtype)}Type`;
}

/**
 * `aten::expand`: size-1 dims (and new leading dims) repeat with stride 0; -1 keeps a size.
 * @example
 * expandKernel(torch.zeros([3, 1]), [2, -1, 4], false).stride() // [0, 1, 0]
 */
export function expandKernel(self: Tensor, size: number[], _implicit: boolean): Tensor {
  const n = self._shape.length;
  if (size.length < n) {
    throw new RuntimeError(
      `expand(${typeString(self)}{${fmtList(self._shape)}}, size=${fmtList(size)}): the number of sizes provided (${size.length}) ` +
        `must be greater or equal to the number of dimensions in the tensor (${n})`,
    );
  }
  const g = inferExpandGeometry(self._shape, self._strides, size);
  return asStrided(self, g.sizes, g.strides);
}

/**
 * `aten::slice.Tensor`: elements start, start+step, ... before end along dim (bounds clamped).
 * Called directly by split_with_sizes, as ATen's `native::slice`.
 * @example
 * sliceKernel(torch.arange(10), 0, 1, null, 3).tolist() // [1, 4, 7]
 */
export function sliceKernel(self: Tensor, dim: number, start: Opt<number>, end: Opt<number>, step: number): Tensor {
  const n = self._shape.length;
  if (n === 0) throw new IndexError("slice() cannot be applied to a 0-dim tensor.");
  const d = wrapDim(dim, n);
  if (step <= 0) throw new RuntimeError("slice step must be positive");
  const size = self._shape[d]!;
  let s = start ?? 0;
  let e = end ?? Number.MAX_SAFE_INTEGER;
  if (s < 0) s += size;
  if (e < 0) e += size;
  if (s < 0) s = 0;
  else if (s >= size) s = size;
  if (e < s) e = s;
  else if (e >= size) e = size;
  const sizes = self._shape.slice();
  const strides = self._strides.slice();
  sizes[d] = Math.floor((e - s + step - 1) / step);
  strides[d] = strides[d]! * step;
  return asStrided(self, sizes, strides, self._offset + s * self._strides[d]!);
}

/**
 * `aten::select.int`: the slice at `index` along dim, without that dim.
 * @example
 * selectKernel(torch.arange(6).view(2, 3), 1, -1).tolist() // [2, 5]
 */
export function selectKernel(self: Tensor, dim: number, index: number): Tensor {
  const n = self._shape.length;
  if (n === 0) throw new IndexError("select() cannot be applied to a 0-dim tensor.");
  const d = wrapDim(dim, n);
  const size = self._shape[d]!;
  if (size <= -1 - index || size <= index) {
    throw new IndexError(`select(): index ${index} out of range for tensor of size ${fmtList(self._shape)} at dimension ${d}`);
  }
  const i = index < 0 ? index + size : index;
  const sizes = self._shape.slice();
  const strides = self._strides.slice();
  sizes.splice(d, 1);
  strides.splice(d, 1);
  return asStrided(self, sizes, strides, self._offset + i * self._strides[d]!);
}

/**
 * `aten::unsqueeze`: inserts a size-1 dim.
 * @example
 * unsqueezeKernel(torch.zeros([2, 3]), -1).shape // [2, 3, 1]
 */
export function unsqueezeKernel(self: Tensor, dim: number): Tensor {
  const g = inferUnsqueezeGeometry(self, wrapDim(dim, self._shape.length + 1));
  return asStrided(self, g.sizes, g.strides);
}

/**
 * `aten::squeeze`: removes every size-1 dim.
 * @example
 * squeezeKernel(torch.zeros([1, 3, 1])).shape // [3]
 */
export function squeezeKernel(self: Tensor): Tensor {
  const g = inferSqueezeGeometry(self);
  return asStrided(self, g.sizes, g.strides);
}

/**
 * `aten::squeeze.dim`: removes dim if its size is 1 (else the same geometry).
 * @example
 * squeezeDimKernel(torch.zeros([1, 3, 1]), -1).shape // [1, 3]
 */
export function squeezeDimKernel(self: Tensor, dim: number): Tensor {
  const n = self._shape.length;
  const d = wrapDim(dim, n);
  if (n === 0 || self._shape[d] !== 1) return asStrided(self, self._shape.slice(), self._strides.slice());
  const mask = new Array<boolean>(n).fill(false);
  mask[d] = true;
  const g = inferSqueezeGeometry(self, mask);
  return asStrided(self, g.sizes, g.strides);
}

/**
 * `aten::squeeze.dims`: removes the listed dims that have size 1.
 * @example
 * squeezeDimsKernel(torch.zeros([1, 3, 1]), [0, 1]).shape // [3, 1]
 */
export function squeezeDimsKernel(self: Tensor, dims: number[]): Tensor {
  const g = inferSqueezeGeometry(self, dimListToMask(dims, self._shape.length));
  return asStrided(self, g.sizes, g.strides);
}

/**
 * `aten::narrow` (CompositeImplicitAutograd): `slice(dim, start, start + length)` with narrow's checks.
 * @example
 * narrowKernel(torch.arange(5), 0, -3, 2).tolist() // [2, 3]
 */
export function narrowKernel(self: Tensor, dim: number, start: number, length: number): Tensor {
  if (self._shape.length === 0) throw new RuntimeError("narrow() cannot be applied to a 0-dim tensor.");
  if (length < 0) throw new RuntimeError("narrow(): length must be non-negative.");
  const cur = sizeAt(self, dim);
  if (start < -cur || start > cur) throw new IndexError(`start out of range (expected to be in range of [${-cur}, ${cur}], but got ${start})`);
  const s = start < 0 ? start + cur : start;
  if (s > cur - length) throw new RuntimeError(`start (${s}) + length (${length}) exceeds dimension size (${cur}).`);
  return callOp("aten::slice.Tensor", [self, dim, s, s + length, 1]) as Tensor;
}

/**
 * `aten::narrow.Tensor`: narrow with the start in a 0-dim integral tensor (read with `item`).
 * @example
 * narrowTensorKernel(torch.arange(5), 0, torch.tensor(1n), 2).tolist() // [1, 2]
 */
export function narrowTensorKernel(self: Tensor, dim: number, start: Tensor, length: number): Tensor {
  if (start._shape.length !== 0 || start.dtype === "bool" || start.dtype === "float32" || start.dtype === "float64") {
    throw new RuntimeError("start must be an 0-dim integral Tensor.");
  }
  const st = Number(callOp("aten::item", [start]));
  return callOp("aten::narrow", [self, dim, st, length]) as Tensor;
}

/**
 * `aten::expand_as` (CompositeImplicitAutograd): `expand(other.size())`.
 * @example
 * expandAsKernel(torch.zeros([3, 1]), torch.zeros([2, 3, 4])).shape // [2, 3, 4]
 */
export function expandAsKernel(self: Tensor, other: Tensor): Tensor {
  return callOp("aten::expand", [self, other._shape.slice(), false]) as Tensor;
}

/**
 * `aten::split.Tensor`: pieces of `splitSize` along dim (the last may be smaller), via narrow.
 * @example
 * splitKernel(torch.arange(5), 2, 0).map((p) => p.shape[0]) // [2, 2, 1]
 */
export function splitKernel(self: Tensor, splitSize: number, dim: number): Tensor[] {
  if (self._shape.length === 0) throw new RuntimeError("split expects at least a 1-dimensional tensor");
  if (splitSize < 0) throw new RuntimeError(`split expects split_size be non-negative, but got split_size=${splitSize}`);
  const dimSize = sizeAt(self, dim);
  if (splitSize === 0 && dimSize !== 0) {
    throw new RuntimeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${dimSize}`);
  }
  const numSplits = splitSize === 0 ? 1 : Math.max(Math.floor((dimSize + splitSize - 1) / splitSize), 1);
  const last = splitSize - (splitSize * numSplits - dimSize);
  const out: Tensor[] = [];
  for (let i = 0; i < numSplits; i++) {
    out.push(callOp("aten::narrow", [self, dim, i * splitSize, i < numSplits - 1 ? splitSize : last]) as Tensor);
  }
  return out;
}

/**
 * `aten::split_with_sizes`: consecutive pieces of the given sizes along dim (they must add up).
 * @example
 * splitWithSizesKernel(torch.arange(5), [1, 4], 0).map((p) => p.shape[0]) // [1, 4]
 */
export function splitWithSizesKernel(self: Tensor, sizes: number[], dim: number): Tensor[] {
  if (self._shape.length === 0) throw new RuntimeError("split expects at least a 1-dimensional tensor");
  const dimSize = sizeAt(self, dim);
  const out: Tensor[] = [];
  let start = 0;
  for (const length of sizes) {
    if (length < 0) {
      throw new RuntimeError(`split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=${fmtList(sizes)}`);
    }
    out.push(sliceKernel(self, dim, start, start + length, 1));
    start += length;
  }
  if (start !== dimSize) {
    throw new RuntimeError(
      `split_with_sizes expects split_sizes to sum exactly to ${dimSize} (input tensor's size at dimension ${wrapDim(dim, self._shape.length)}), ` +
        `but got split_sizes=${fmtList(sizes)}`,
    );
  }
  return out;
}

/**
 * `aten::split.sizes` (CompositeImplicitAutograd): `split_with_sizes`.
 * @example
 * splitSizesKernel(torch.arange(5), [3, 2], 0).length // 2
 */
export function splitSizesKernel(self: Tensor, sizes: number[], dim: number): Tensor[] {
  return callOp("aten::split_with_sizes", [self, sizes, dim]) as Tensor[];
}

/**
 * `aten::chunk` (CompositeImplicitAutograd): `chunks` near-equal pieces via split / split_with_sizes.
 * @example
 * chunkKernel(torch.arange(5), 3, 0).map((p) => p.shape[0]) // [2, 2, 1]
 */
export function chunkKernel(self: Tensor, chunks: number, dim: number): Tensor[] {
  if (self._shape.length === 0) throw new RuntimeError("chunk expects at least a 1-dimensional tensor");
  if (chunks <= 0) throw new RuntimeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const dimSize = sizeAt(self, dim);
  const splitSize = Math.floor((dimSize + chunks - 1) / chunks);
  if (splitSize === 0 && dimSize === 0) {
    // split would lose the number of chunks: ask for `chunks` empty pieces explicitly
    return callOp("aten::split_with_sizes", [self, new Array<number>(chunks).fill(0), dim]) as Tensor[];
  }
  return callOp("aten::split.Tensor", [self, splitSize, dim]) as Tensor[];
}

/**
 * `aten::unbind.int`: every index along dim, via select.
 * @example
 * unbindKernel(torch.zeros([2, 3]), 1).length // 3
 */
export function unbindKernel(self: Tensor, dim: number): Tensor[] {
  const d = wrapDim(dim, self._shape.length);
  const size = sizeAt(self, d);
  const out: Tensor[] = [];
  for (let i = 0; i < size; i++) out.push(callOp("aten::select.int", [self, d, i]) as Tensor);
  return out;
}
