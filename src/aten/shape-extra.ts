// More of TensorShape.cpp: diagonal, movedim / moveaxis, swapaxes / swapdims, and the in-place
// metadata ops (as_strided_, squeeze_, unsqueeze_, transpose_, t_) which restride self itself.
// As in ATen, the in-place ones reach as_strided_, and the tensor's version counter moves once
// per user-level call (what PyTorch's ADInplaceOrView kernel does).

import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { itemsize } from "../tensor/dtype.js";
import { wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkAsStrided, dimListToMask, fmtList, inferSqueezeGeometry, inferUnsqueezeGeometry } from "./shape-geometry.js";

/**
 * `aten::diagonal`: the (offset) diagonal of the dim1 x dim2 planes, as a new last dim (a view).
 * @example
 * diagonalKernel(torch.eye(3), 0, 0, 1).tolist() // [1, 1, 1]
 */
export function diagonalKernel(self: Tensor, offset: number, dim1: number, dim2: number): Tensor {
  const n = self._shape.length;
  const d1 = wrapDim(dim1, n);
  const d2 = wrapDim(dim2, n);
  if (d1 === d2) throw new RuntimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const [s1, s2] = [self._shape[d1]!, self._shape[d2]!];
  const size = Math.max(offset >= 0 ? Math.min(s1, s2 - offset) : Math.min(s1 + offset, s2), 0);
  let start = self._offset;
  // an offset past the end gives an empty diagonal at self's own offset
  if (size > 0) start += offset >= 0 ? offset * self._strides[d2]! : -offset * self._strides[d1]!;
  const sizes = self._shape.filter((_, d) => d !== d1 && d !== d2);
  const strides = self._strides.filter((_, d) => d !== d1 && d !== d2);
  sizes.push(size);
  strides.push(self._strides[d1]! + self._strides[d2]!);
  return callOp("aten::as_strided", [self, sizes, strides, start]) as Tensor;
}

/** The permutation of ATen's movedim: listed dims go to their destinations, the rest keep their order. */
function movedimOrder(self: Tensor, source: readonly number[], destination: readonly number[]): number[] | null {
  if (source.length !== destination.length) {
    throw new RuntimeError(
      `movedim: Invalid source or destination dims: source (${fmtList(source)} dims) should contain the same number of dims as destination (${fmtList(destination)} dims)`,
    );
  }
  const n = self._shape.length;
  const src = source.map((d) => wrapDim(d, n));
  const dst = destination.map((d) => wrapDim(d, n));
  if (new Set(src).size !== src.length) throw new RuntimeError(`movedim: repeated dim in \`source\` (${fmtList(source)})`);
  if (new Set(dst).size !== dst.length) throw new RuntimeError(`movedim: repeated dim in \`destination\` (${fmtList(destination)})`);
  if (n === 0) return null;
  const order = new Array<number>(n).fill(-1);
  src.forEach((s, i) => (order[dst[i]!] = s));
  const restSrc = [...Array(n).keys()].filter((d) => !src.includes(d));
  const restDst = [...Array(n).keys()].filter((d) => !dst.includes(d));
  restDst.forEach((d, i) => (order[d] = restSrc[i]!));
  return order;
}

/**
 * `aten::movedim.intlist`: moves the dims in `source` to `destination` (a permute; alias for 0-dim).
 * @example
 * movedimKernel(torch.zeros([2, 3, 4]), [0, 1], [2, 0]).shape // [3, 4, 2]
 */
export function movedimKernel(self: Tensor, source: number[], destination: number[]): Tensor {
  const order = movedimOrder(self, source, destination);
  return (order === null ? callOp("aten::alias", [self]) : callOp("aten::permute", [self, order])) as Tensor;
}

/**
 * `aten::movedim.int`: ATen runs the list form directly (no second dispatch).
 * @example
 * movedimIntKernel(torch.zeros([2, 3, 4]), 0, -1).shape // [3, 4, 2]
 */
export function movedimIntKernel(self: Tensor, source: number, destination: number): Tensor {
  return movedimKernel(self, [source], [destination]);
}

/**
 * `aten::moveaxis.*`: NumPy's name for movedim.
 * @example
 * moveaxisKernel(torch.zeros([2, 3]), 0, 1).shape // [3, 2]
 */
export function moveaxisKernel(self: Tensor, source: number | number[], destination: number | number[]): Tensor {
  return (
    typeof source === "number"
      ? callOp("aten::movedim.int", [self, source, destination])
      : callOp("aten::movedim.intlist", [self, source, destination])
  ) as Tensor;
}

/**
 * `aten::swapaxes` / `aten::swapdims`: NumPy's names for transpose.
 * @example
 * swapKernel(torch.zeros([2, 3]), 0, 1).shape // [3, 2]
 */
export function swapKernel(self: Tensor, dim0: number, dim1: number): Tensor {
  return callOp("aten::transpose.int", [self, dim0, dim1]) as Tensor;
}

/**
 * `aten::as_strided_`: gives self new geometry in place (same storage).
 * @example
 * asStridedInplaceKernel(x, [2], [1], 0) === x // true; x.shape is now [2]
 */
export function asStridedInplaceKernel(self: Tensor, size: number[], stride: number[], storageOffset: number | null): Tensor {
  const offset = storageOffset ?? self._offset;
  checkAsStrided(size, stride, offset, itemsize(self.dtype), self._storage ? self._storage.nbytes : null);
  self._shape = size.slice();
  self._strides = stride.slice();
  self._offset = offset;
  return self;
}

const restride = (self: Tensor, sizes: number[], strides: number[]) => callOp("aten::as_strided_", [self, sizes, strides, null]) as Tensor;

/**
 * `aten::squeeze_`: squeeze in place.
 * @example
 * squeezeInplaceKernel(torch.zeros([1, 3, 1])).shape // [3]
 */
export function squeezeInplaceKernel(self: Tensor): Tensor {
  const g = inferSqueezeGeometry(self);
  return restride(self, g.sizes, g.strides);
}

/**
 * `aten::squeeze_.dim`: squeeze(dim) in place.
 * @example
 * squeezeDimInplaceKernel(torch.zeros([1, 3, 1]), 0).shape // [3, 1]
 */
export function squeezeDimInplaceKernel(self: Tensor, dim: number): Tensor {
  const n = self._shape.length;
  const d = wrapDim(dim, n);
  if (n === 0 || self._shape[d] !== 1) return restride(self, self._shape.slice(), self._strides.slice());
  const mask = new Array<boolean>(n).fill(false);
  mask[d] = true;
  const g = inferSqueezeGeometry(self, mask);
  return restride(self, g.sizes, g.strides);
}

/**
 * `aten::squeeze_.dims`: squeeze(dims) in place.
 * @example
 * squeezeDimsInplaceKernel(torch.zeros([1, 3, 1]), [0, 2]).shape // [3]
 */
export function squeezeDimsInplaceKernel(self: Tensor, dims: number[]): Tensor {
  const g = inferSqueezeGeometry(self, dimListToMask(dims, self._shape.length));
  return restride(self, g.sizes, g.strides);
}

/**
 * `aten::unsqueeze_`: unsqueeze in place.
 * @example
 * unsqueezeInplaceKernel(torch.zeros([3]), 0).shape // [1, 3]
 */
export function unsqueezeInplaceKernel(self: Tensor, dim: number): Tensor {
  const g = inferUnsqueezeGeometry(self, wrapDim(dim, self._shape.length + 1));
  return restride(self, g.sizes, g.strides);
}

/**
 * `aten::transpose_`: transpose in place (nothing to restride for equal dims).
 * @example
 * transposeInplaceKernel(torch.zeros([2, 3]), 0, 1).stride() // [1, 3]
 */
export function transposeInplaceKernel(self: Tensor, dim0: number, dim1: number): Tensor {
  const n = self._shape.length;
  const d0 = wrapDim(dim0, n);
  const d1 = wrapDim(dim1, n);
  if (d0 === d1) return self;
  const sizes = self._shape.slice();
  const strides = self._strides.slice();
  [sizes[d0], sizes[d1]] = [sizes[d1]!, sizes[d0]!];
  [strides[d0], strides[d1]] = [strides[d1]!, strides[d0]!];
  return restride(self, sizes, strides);
}

/**
 * `aten::t_`: t in place.
 * @example
 * tInplaceKernel(torch.zeros([2, 3])).shape // [3, 2]
 */
export function tInplaceKernel(self: Tensor): Tensor {
  const n = self._shape.length;
  if (n > 2) throw new RuntimeError(`t_() expects a tensor with <= 2 dimensions, but self is ${n}D`);
  return callOp("aten::transpose_", [self, 0, n < 2 ? 0 : 1]) as Tensor;
}
