// Top-level functions of the shape family (`torch.reshape(x, [2, -1])`, `torch.split(x, 2)`...),
// re-exported by methods/shape.ts: each is the Tensor method of the same name.

import type { Tensor } from "../tensor.js";
import type { MemoryFormatOptions } from "./shape.js";

/**
 * `torch.reshape`: a view when possible, else a copy.
 * @example
 * torch.reshape(torch.arange(6), [2, -1]).shape // [2, 3]
 */
export function reshape(input: Tensor, shape: readonly number[]): Tensor {
  return input.reshape(shape);
}

/**
 * `torch.transpose`: swaps two dims.
 * @example
 * torch.transpose(torch.zeros(2, 3), 0, 1).shape // [3, 2]
 */
export function transpose(input: Tensor, dim0: number, dim1: number): Tensor {
  return input.transpose(dim0, dim1);
}

/**
 * `torch.permute`: reorders the dims.
 * @example
 * torch.permute(torch.zeros(2, 3, 4), [2, 0, 1]).shape // [4, 2, 3]
 */
export function permute(input: Tensor, dims: readonly number[]): Tensor {
  return input.permute(dims);
}

/**
 * `torch.t`: transpose of a tensor with at most 2 dims.
 * @example
 * torch.t(torch.zeros(2, 3)).shape // [3, 2]
 */
export function t(input: Tensor): Tensor {
  return input.t();
}

/**
 * `torch.flatten`: merges dims startDim..endDim.
 * @example
 * torch.flatten(torch.zeros(2, 3, 4), 1).shape // [2, 12]
 */
export function flatten(input: Tensor, startDim = 0, endDim = -1): Tensor {
  return input.flatten(startDim, endDim);
}

/**
 * `torch.unflatten`: splits one dim into several.
 * @example
 * torch.unflatten(torch.zeros(2, 6), 1, [2, 3]).shape // [2, 2, 3]
 */
export function unflatten(input: Tensor, dim: number, sizes: readonly number[]): Tensor {
  return input.unflatten(dim, sizes);
}

/**
 * `torch.squeeze`: removes size-1 dims (all, or among `dim`).
 * @example
 * torch.squeeze(torch.zeros(1, 3, 1)).shape // [3]
 */
export function squeeze(input: Tensor, dim?: number | readonly number[]): Tensor {
  return input.squeeze(dim);
}

/**
 * `torch.unsqueeze`: inserts a size-1 dim.
 * @example
 * torch.unsqueeze(torch.zeros(3), 0).shape // [1, 3]
 */
export function unsqueeze(input: Tensor, dim: number): Tensor {
  return input.unsqueeze(dim);
}

/**
 * `torch.split`: pieces of `splitSize` (or of the listed sizes) along dim.
 * @example
 * torch.split(torch.arange(5), 2).map((p) => p.shape[0]) // [2, 2, 1]
 */
export function split(input: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  return input.split(splitSize, dim);
}

/**
 * `torch.chunk`: `chunks` near-equal pieces along dim.
 * @example
 * torch.chunk(torch.arange(5), 3).map((p) => p.shape[0]) // [2, 2, 1]
 */
export function chunk(input: Tensor, chunks: number, dim = 0): Tensor[] {
  return input.chunk(chunks, dim);
}

/**
 * `torch.unbind`: every index along dim.
 * @example
 * torch.unbind(torch.zeros(2, 3)).length // 2
 */
export function unbind(input: Tensor, dim = 0): Tensor[] {
  return input.unbind(dim);
}

/**
 * `torch.narrow`: `length` elements from `start` along dim.
 * @example
 * torch.narrow(torch.arange(5), 0, 1, 3).tolist() // [1, 2, 3]
 */
export function narrow(input: Tensor, dim: number, start: number | Tensor, length: number): Tensor {
  return input.narrow(dim, start, length);
}

/**
 * `torch.select`: the sub-tensor at `index` along dim.
 * @example
 * torch.select(torch.arange(6).view(2, 3), 1, 0).tolist() // [0, 3]
 */
export function select(input: Tensor, dim: number, index: number): Tensor {
  return input.select(dim, index);
}

/**
 * `torch.as_strided`: a view with explicit geometry.
 * @example
 * torch.asStrided(torch.arange(4), [2, 2], [1, 1]).tolist() // [[0, 1], [1, 2]]
 */
export function asStrided(input: Tensor, size: readonly number[], stride: readonly number[], storageOffset: number | null = null): Tensor {
  return input.asStrided(size, stride, storageOffset);
}

/**
 * `torch.clone`: a copy.
 * @example
 * torch.clone(x, { memoryFormat: "contiguous_format" }).isContiguous() // true
 */
export function clone(input: Tensor, opts?: MemoryFormatOptions): Tensor {
  return input.clone(opts);
}

/**
 * `torch.detach`: same data, no autograd history.
 * @example
 * torch.detach(x).requiresGrad // false
 */
export function detach(input: Tensor): Tensor {
  return input.detach();
}

/**
 * `torch.diagonal`: the (offset) diagonal of the dim1 x dim2 planes.
 * @example
 * torch.diagonal(torch.eye(3)).tolist() // [1, 1, 1]
 */
export function diagonal(input: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  return input.diagonal(offset, dim1, dim2);
}

/**
 * `torch.movedim`: moves dims `source` to positions `destination`.
 * @example
 * torch.movedim(torch.zeros(2, 3, 4), 0, -1).shape // [3, 4, 2]
 */
export function movedim(input: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  return input.movedim(source, destination);
}

/**
 * `torch.moveaxis`: NumPy's name for movedim.
 * @example
 * torch.moveaxis(torch.zeros(2, 3, 4), [0, 1], [2, 0]).shape // [3, 4, 2]
 */
export function moveaxis(input: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  return input.moveaxis(source, destination);
}

/**
 * `torch.swapaxes`: NumPy's name for transpose.
 * @example
 * torch.swapaxes(torch.zeros(2, 3), 0, 1).shape // [3, 2]
 */
export function swapaxes(input: Tensor, axis0: number, axis1: number): Tensor {
  return input.swapaxes(axis0, axis1);
}

/**
 * `torch.swapdims`: NumPy's name for transpose.
 * @example
 * torch.swapdims(torch.zeros(2, 3), 0, 1).shape // [3, 2]
 */
export function swapdims(input: Tensor, dim0: number, dim1: number): Tensor {
  return input.swapdims(dim0, dim1);
}
