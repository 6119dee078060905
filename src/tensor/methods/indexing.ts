// Tensor methods and top-level functions of the joining and indexing family: cat, stack,
// indexSelect, gather, scatter, advanced indexing (index / indexPut_), maskedSelect, nonzero,
// repeat, tril/triu and flip. Each builds the full argument list and calls the aten operator.

import { callOp } from "../../dispatcher/call-op.js";
import { Tensor } from "../tensor.js";

type Scalar = number | boolean | bigint;
/** An entry of an advanced index: an int64/int32 index tensor, a bool mask, or null for `:`. */
export type IndexEntry = Tensor | null;

declare module "../tensor.js" {
  interface Tensor {
    /** Slices of self along dim at the given positions (`aten::index_select`). */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** `out[i][j] = self[index[i][j]][j]` for dim 0, and so on (`aten::gather`). */
    gather(dim: number, index: Tensor, opts?: { sparseGrad?: boolean }): Tensor;
    /** A copy of self with src (a tensor or one value) written at index along dim (`aten::scatter`). */
    scatter(dim: number, index: Tensor, src: Tensor | Scalar, opts?: { reduce?: "add" | "multiply" }): Tensor;
    /** In-place scatter (`aten::scatter_`). */
    scatter_(dim: number, index: Tensor, src: Tensor | Scalar, opts?: { reduce?: "add" | "multiply" }): Tensor;
    /** Advanced indexing, `x[idx0, :, idx1]` as `x.index([idx0, null, idx1])` (`aten::index.Tensor`). */
    index(indices: readonly IndexEntry[]): Tensor;
    /** `x[indices] = values` in place, or `+=` with accumulate (`aten::index_put_`). */
    indexPut_(indices: readonly IndexEntry[], values: Tensor | Scalar, accumulate?: boolean): Tensor;
    /** Out-of-place `index_put_` on a copy (`aten::index_put`). */
    indexPut(indices: readonly IndexEntry[], values: Tensor | Scalar, accumulate?: boolean): Tensor;
    /** The elements where the (broadcast) bool mask is true, as a 1-D tensor (`aten::masked_select`). */
    maskedSelect(mask: Tensor): Tensor;
    /** The coordinates of the nonzero elements, shape [n, ndim] (`aten::nonzero`). */
    nonzero(): Tensor;
    /** Tiles self: `x.repeat(2, 3)` or `x.repeat([2, 3])` (`aten::repeat`). */
    repeat(...repeats: number[] | [number[]]): Tensor;
    /** The lower triangle of the last two dims, relative to diagonal (`aten::tril`). */
    tril(diagonal?: number): Tensor;
    tril_(diagonal?: number): Tensor;
    /** The upper triangle of the last two dims, relative to diagonal (`aten::triu`). */
    triu(diagonal?: number): Tensor;
    triu_(diagonal?: number): Tensor;
    /** Reverses the order along the given dims: `x.flip(0)`, `x.flip([0, 1])` (`aten::flip`). */
    flip(...dims: number[] | [number[]]): Tensor;
  }
}

const P = Tensor.prototype;

function intList(args: number[] | [number[]]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? args[0].slice() : (args as number[]).slice();
}

/** A value for index_put_: tensors as given, scalars as a 0-dim tensor of self's dtype and device. */
function valuesFor(self: Tensor, v: Tensor | Scalar): Tensor {
  return v instanceof Tensor ? v : (callOp("aten::full", [[], v, self.dtype, null, self.device, null]) as Tensor);
}

function scatterCall(name: "scatter" | "scatter_", self: Tensor, dim: number, index: Tensor, src: Tensor | Scalar, reduce?: string): Tensor {
  const isTensor = src instanceof Tensor;
  if (reduce === undefined) return callOp(`aten::${name}.${isTensor ? "src" : "value"}`, [self, dim, index, src]) as Tensor;
  return callOp(`aten::${name}.${isTensor ? "reduce" : "value_reduce"}`, [self, dim, index, src, reduce]) as Tensor;
}

P.indexSelect = function (this: Tensor, dim: number, index: Tensor) {
  return callOp("aten::index_select", [this, dim, index]) as Tensor;
};
P.gather = function (this: Tensor, dim: number, index: Tensor, opts?: { sparseGrad?: boolean }) {
  return callOp("aten::gather", [this, dim, index, opts?.sparseGrad ?? false]) as Tensor;
};
P.scatter = function (this: Tensor, dim: number, index: Tensor, src: Tensor | Scalar, opts?: { reduce?: "add" | "multiply" }) {
  return scatterCall("scatter", this, dim, index, src, opts?.reduce);
};
P.scatter_ = function (this: Tensor, dim: number, index: Tensor, src: Tensor | Scalar, opts?: { reduce?: "add" | "multiply" }) {
  return scatterCall("scatter_", this, dim, index, src, opts?.reduce);
};
P.index = function (this: Tensor, indices: readonly IndexEntry[]) {
  return callOp("aten::index.Tensor", [this, indices.slice()]) as Tensor;
};
P.indexPut_ = function (this: Tensor, indices: readonly IndexEntry[], values: Tensor | Scalar, accumulate = false) {
  return callOp("aten::index_put_", [this, indices.slice(), valuesFor(this, values), accumulate]) as Tensor;
};
P.indexPut = function (this: Tensor, indices: readonly IndexEntry[], values: Tensor | Scalar, accumulate = false) {
  return callOp("aten::index_put", [this, indices.slice(), valuesFor(this, values), accumulate]) as Tensor;
};
P.maskedSelect = function (this: Tensor, mask: Tensor) {
  return callOp("aten::masked_select", [this, mask]) as Tensor;
};
P.nonzero = function (this: Tensor) {
  return callOp("aten::nonzero", [this]) as Tensor;
};
P.repeat = function (this: Tensor, ...repeats: number[] | [number[]]) {
  return callOp("aten::repeat", [this, intList(repeats)]) as Tensor;
};
P.tril = function (this: Tensor, diagonal = 0) {
  return callOp("aten::tril", [this, diagonal]) as Tensor;
};
P.tril_ = function (this: Tensor, diagonal = 0) {
  return callOp("aten::tril_", [this, diagonal]) as Tensor;
};
P.triu = function (this: Tensor, diagonal = 0) {
  return callOp("aten::triu", [this, diagonal]) as Tensor;
};
P.triu_ = function (this: Tensor, diagonal = 0) {
  return callOp("aten::triu_", [this, diagonal]) as Tensor;
};
P.flip = function (this: Tensor, ...dims: number[] | [number[]]) {
  return callOp("aten::flip", [this, intList(dims)]) as Tensor;
};

/**
 * Concatenates tensors along an existing dim (inputs promote to a common dtype; 1-D empty
 * tensors are skipped, as in PyTorch).
 * @example
 * torch.cat([torch.zeros([2, 3]), torch.ones([1, 3])]).shape // [3, 3]
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  return callOp("aten::cat", [tensors.slice(), dim]) as Tensor;
}

/**
 * Stacks equally shaped tensors along a new dim.
 * @example
 * torch.stack([a, b], 1) // a, b: [2, 3] -> [2, 2, 3]
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  return callOp("aten::stack", [tensors.slice(), dim]) as Tensor;
}

/**
 * Slices of input along dim at the positions in a 1-D int index.
 * @example
 * torch.indexSelect(x, 0, torch.tensor([2, 0])) // rows 2 and 0
 */
export function indexSelect(input: Tensor, dim: number, index: Tensor): Tensor {
  return input.indexSelect(dim, index);
}

/**
 * Gathers values along dim at the positions in index (the output has index's shape).
 * @example
 * torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[0, 0], [1, 0]])) // [[1, 1], [4, 3]]
 */
export function gather(input: Tensor, dim: number, index: Tensor, opts?: { sparseGrad?: boolean }): Tensor {
  return input.gather(dim, index, opts);
}

/**
 * A copy of input with src written at index along dim.
 * @example
 * torch.scatter(torch.zeros([3]), 0, torch.tensor([2]), 5) // [0, 0, 5]
 */
export function scatter(input: Tensor, dim: number, index: Tensor, src: Tensor | Scalar, opts?: { reduce?: "add" | "multiply" }): Tensor {
  return input.scatter(dim, index, src, opts);
}

/**
 * The coordinates of the nonzero elements of input, one row per element.
 * @example
 * torch.nonzero(torch.tensor([0, 3, 4])) // [[1], [2]]
 */
export function nonzero(input: Tensor): Tensor {
  return input.nonzero();
}

/**
 * The elements of input where mask (bool, broadcast) is true, as a 1-D tensor.
 * @example
 * torch.maskedSelect(x, x.gt(0))
 */
export function maskedSelect(input: Tensor, mask: Tensor): Tensor {
  return input.maskedSelect(mask);
}

/**
 * The lower triangle of a matrix (or a batch of them); diagonal > 0 keeps more, < 0 less.
 * @example
 * torch.tril(torch.ones([3, 3])) // ones on and below the diagonal
 */
export function tril(input: Tensor, diagonal = 0): Tensor {
  return input.tril(diagonal);
}

/**
 * The upper triangle of a matrix (or a batch of them).
 * @example
 * torch.triu(torch.ones([3, 3]), 1) // ones strictly above the diagonal
 */
export function triu(input: Tensor, diagonal = 0): Tensor {
  return input.triu(diagonal);
}

/**
 * Reverses the order of elements along the given dims.
 * @example
 * torch.flip(torch.tensor([1, 2, 3]), [0]) // [3, 2, 1]
 */
export function flip(input: Tensor, dims: readonly number[]): Tensor {
  return input.flip(dims.slice());
}
