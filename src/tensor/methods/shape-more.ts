// Tensor methods and top-level functions of the shape-more family: roll, tile, broadcastTo,
// broadcastTensors, meshgrid, atleast1d/2d/3d, hstack/vstack/dstack, outer/ger, argsort,
// takeAlongDim, newFull/newOnes/newEmpty/newZeros/newEmptyStrided, oneHot, countNonzero, aminmax,
// nansum/nanmean, varMean/stdMean, kron, logspace, diagEmbed, diag, trace, indexFill.
// Positional arguments, then one optional options object for PyTorch's keyword arguments.

import { callOp } from "../../dispatcher/call-op.js";
import { isKwargs } from "../../dispatcher/argument-parser.js";
import { type DType, toDType } from "../dtype.js";
import { type Device, Tensor } from "../tensor.js";

/** Keyword arguments of the `new_*` factories. */
export interface NewTensorOptions {
  dtype?: DType;
  device?: Device;
}
/** Keyword arguments of argsort. */
export interface ArgsortOptions {
  dim?: number;
  descending?: boolean;
  /** Keep equal elements in their order (`argsort.stable`). */
  stable?: boolean;
}
/** Keyword arguments of meshgrid. */
export interface MeshgridOptions {
  /** "ij" (matrix) or "xy" (Cartesian) indexing; without it, `aten::meshgrid` ("ij", with PyTorch's warning). */
  indexing?: "ij" | "xy";
}
/** Keyword arguments of var_mean / std_mean: PyTorch's correction (default 1) or unbiased, and keepdim. */
export interface VarMeanOptions {
  correction?: number;
  unbiased?: boolean;
  keepdim?: boolean;
}
/** Keyword arguments of nansum / nanmean. */
export interface NanReduceOptions {
  dtype?: DType;
}
/** Keyword arguments of logspace. */
export interface LogspaceOptions {
  dtype?: DType;
  device?: Device;
}
/** Keyword arguments of aminmax. */
export interface AminmaxOptions {
  dim?: number | null;
  keepdim?: boolean;
}

declare module "../tensor.js" {
  interface Tensor {
    /** Rolls the elements along `dims` by `shifts` (the flattened tensor when no dims). */
    roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor;
    /** Repeats the tensor `dims` times along each dim (reps right-aligned, NumPy's tile). */
    tile(dims: readonly number[]): Tensor;
    /** Broadcasts to `size` (a view; -1 keeps a size). */
    broadcastTo(size: readonly number[]): Tensor;
    /** Outer product of two 1-D tensors. */
    outer(vec2: Tensor): Tensor;
    /** Alias of outer. */
    ger(vec2: Tensor): Tensor;
    /** The indices that sort the tensor along `dim` (default -1). */
    argsort(dim?: number | ArgsortOptions, descending?: boolean, opts?: ArgsortOptions): Tensor;
    /** Values at `indices` along `dim` (indices broadcast against self), or from the flattened tensor when dim is null. */
    takeAlongDim(indices: Tensor, dim?: number | null): Tensor;
    /** A new tensor of `size` filled with `fillValue`, with self's dtype and device unless given. */
    newFull(size: readonly number[], fillValue: number | boolean, opts?: NewTensorOptions): Tensor;
    /** A new tensor of ones, with self's dtype and device unless given. */
    newOnes(size: readonly number[], opts?: NewTensorOptions): Tensor;
    /** A new tensor of zeros, with self's dtype and device unless given. */
    newZeros(size: readonly number[], opts?: NewTensorOptions): Tensor;
    /** A new uninitialized tensor, with self's dtype and device unless given. */
    newEmpty(size: readonly number[], opts?: NewTensorOptions): Tensor;
    /** A new uninitialized tensor with explicit strides. */
    newEmptyStrided(size: readonly number[], stride: readonly number[], opts?: NewTensorOptions): Tensor;
    /** The number of nonzero elements, over `dim` (all when omitted). */
    countNonzero(dim?: number | readonly number[] | null): Tensor;
    /** [min, max] over `dim` (everything when omitted). */
    aminmax(opts?: AminmaxOptions): [Tensor, Tensor];
    /** Sum over `dim` (all when omitted) treating NaN as zero. */
    nansum(dim?: number | readonly number[] | null, keepdim?: boolean, opts?: NanReduceOptions): Tensor;
    /** Mean over `dim` (all when omitted) of the non-NaN elements. */
    nanmean(dim?: number | readonly number[] | null, keepdim?: boolean, opts?: NanReduceOptions): Tensor;
    /** Kronecker product. */
    kron(other: Tensor): Tensor;
    /** A tensor whose (offset) diagonals in dims dim1 x dim2 are self's last dim. */
    diagEmbed(offset?: number, dim1?: number, dim2?: number): Tensor;
    /** A 1-D tensor as a diagonal matrix, or a 2-D tensor's (offset) diagonal as a copy. */
    diag(diagonal?: number): Tensor;
    /** The sum of a matrix's main diagonal (int64 for integer inputs). */
    trace(): Tensor;
    /** A copy with the slices at `index` along `dim` set to `value` (a number or a 0-dim tensor). */
    indexFill(dim: number, index: Tensor, value: number | boolean | Tensor): Tensor;
    /** indexFill in place. */
    indexFill_(dim: number, index: Tensor, value: number | boolean | Tensor): Tensor;
  }
}

const P = Tensor.prototype;
const op = (name: string, args: unknown[]) => callOp(name, args) as Tensor;
const list = (v: number | readonly number[]): number[] => (typeof v === "number" ? [v] : v.slice());
const optDType = (o?: NewTensorOptions): DType | null => (o?.dtype === undefined ? null : toDType(o.dtype));

P.roll = function (this: Tensor, shifts: number | readonly number[], dims: number | readonly number[] = []) {
  return op("aten::roll", [this, list(shifts), list(dims)]);
};
P.tile = function (this: Tensor, dims: readonly number[]) {
  return op("aten::tile", [this, dims.slice()]);
};
P.broadcastTo = function (this: Tensor, size: readonly number[]) {
  return op("aten::broadcast_to", [this, size.slice()]);
};
P.outer = function (this: Tensor, vec2: Tensor) {
  return op("aten::outer", [this, vec2]);
};
P.ger = function (this: Tensor, vec2: Tensor) {
  return op("aten::ger", [this, vec2]);
};
P.argsort = function (this: Tensor, a?: number | ArgsortOptions, b?: boolean, c?: ArgsortOptions) {
  const opts: ArgsortOptions = isKwargs(a) ? (a as ArgsortOptions) : (c ?? {});
  const dim = typeof a === "number" ? a : (opts.dim ?? -1);
  const descending = b ?? opts.descending ?? false;
  if (opts.stable === undefined) return op("aten::argsort", [this, dim, descending]);
  return op("aten::argsort.stable", [this, opts.stable, dim, descending]);
};
P.takeAlongDim = function (this: Tensor, indices: Tensor, dim: number | null = null) {
  return op("aten::take_along_dim", [this, indices, dim]);
};
P.newFull = function (this: Tensor, size: readonly number[], fillValue: number | boolean, opts?: NewTensorOptions) {
  return op("aten::new_full", [this, size.slice(), fillValue, optDType(opts), null, opts?.device ?? null, null]);
};
P.newOnes = function (this: Tensor, size: readonly number[], opts?: NewTensorOptions) {
  return op("aten::new_ones", [this, size.slice(), optDType(opts), null, opts?.device ?? null, null]);
};
P.newZeros = function (this: Tensor, size: readonly number[], opts?: NewTensorOptions) {
  return op("aten::new_zeros", [this, size.slice(), optDType(opts), null, opts?.device ?? null, null]);
};
P.newEmpty = function (this: Tensor, size: readonly number[], opts?: NewTensorOptions) {
  return op("aten::new_empty", [this, size.slice(), optDType(opts), null, opts?.device ?? null, null]);
};
P.newEmptyStrided = function (this: Tensor, size: readonly number[], stride: readonly number[], opts?: NewTensorOptions) {
  return op("aten::new_empty_strided", [this, size.slice(), stride.slice(), optDType(opts), null, opts?.device ?? null, null]);
};
P.countNonzero = function (this: Tensor, dim: number | readonly number[] | null = null) {
  if (dim === null || typeof dim === "number") return op("aten::count_nonzero", [this, dim]);
  return op("aten::count_nonzero.dim_IntList", [this, dim.slice()]);
};
P.aminmax = function (this: Tensor, opts?: AminmaxOptions) {
  return callOp("aten::aminmax", [this, opts?.dim ?? null, opts?.keepdim ?? false]) as [Tensor, Tensor];
};

const dimsOf = (d: number | readonly number[] | null | undefined): number[] | null => (d === null || d === undefined ? null : list(d));

P.nansum = function (this: Tensor, dim?: number | readonly number[] | null, keepdim = false, opts?: NanReduceOptions) {
  return op("aten::nansum", [this, dimsOf(dim), keepdim, opts?.dtype === undefined ? null : toDType(opts.dtype)]);
};
P.nanmean = function (this: Tensor, dim?: number | readonly number[] | null, keepdim = false, opts?: NanReduceOptions) {
  return op("aten::nanmean", [this, dimsOf(dim), keepdim, opts?.dtype === undefined ? null : toDType(opts.dtype)]);
};
P.kron = function (this: Tensor, other: Tensor) {
  return op("aten::kron", [this, other]);
};
P.diagEmbed = function (this: Tensor, offset = 0, dim1 = -2, dim2 = -1) {
  return op("aten::diag_embed", [this, offset, dim1, dim2]);
};
P.diag = function (this: Tensor, diagonal = 0) {
  return op("aten::diag", [this, diagonal]);
};
P.trace = function (this: Tensor) {
  return op("aten::trace", [this]);
};
P.indexFill = function (this: Tensor, dim: number, index: Tensor, value: number | boolean | Tensor) {
  return op(value instanceof Tensor ? "aten::index_fill.int_Tensor" : "aten::index_fill.int_Scalar", [this, dim, index, value]);
};
P.indexFill_ = function (this: Tensor, dim: number, index: Tensor, value: number | boolean | Tensor) {
  return op(value instanceof Tensor ? "aten::index_fill_.int_Tensor" : "aten::index_fill_.int_Scalar", [this, dim, index, value]);
};

/**
 * `torch.roll`: elements shifted cyclically along dims (the flattened tensor when no dims).
 * @example
 * torch.roll(torch.arange(5), 2).tolist() // [3, 4, 0, 1, 2]
 */
export function roll(input: Tensor, shifts: number | readonly number[], dims: number | readonly number[] = []): Tensor {
  return input.roll(shifts, dims);
}

/**
 * `torch.tile`: the tensor repeated `dims` times along each dim.
 * @example
 * torch.tile(torch.tensor([1, 2]), [2]).tolist() // [1, 2, 1, 2]
 */
export function tile(input: Tensor, dims: readonly number[]): Tensor {
  return input.tile(dims);
}

/**
 * `torch.broadcast_to`: a broadcast view of `size`.
 * @example
 * torch.broadcastTo(torch.tensor([1, 2, 3]), [2, 3]).shape // [2, 3]
 */
export function broadcastTo(input: Tensor, size: readonly number[]): Tensor {
  return input.broadcastTo(size);
}

/**
 * `torch.broadcast_tensors`: the tensors expanded to their common shape.
 * @example
 * const [a, b] = torch.broadcastTensors(torch.zeros([3]), torch.zeros([2, 1])); // both [2, 3]
 */
export function broadcastTensors(...tensors: Tensor[]): Tensor[] {
  return callOp("aten::broadcast_tensors", [tensors]) as Tensor[];
}

/**
 * `torch.meshgrid`: coordinate grids from 0-D/1-D tensors.
 * @example
 * const [gx, gy] = torch.meshgrid([torch.arange(3), torch.arange(2)], { indexing: "xy" }); // both [2, 3]
 */
export function meshgrid(tensors: readonly Tensor[], opts?: MeshgridOptions): Tensor[] {
  if (opts?.indexing === undefined) return callOp("aten::meshgrid", [tensors.slice()]) as Tensor[];
  return callOp("aten::meshgrid.indexing", [tensors.slice(), opts.indexing]) as Tensor[];
}

/**
 * `torch.atleast_1d`: 0-D tensors as [1]; several tensors give a list.
 * @example
 * torch.atleast1d(torch.tensor(3)).shape // [1]
 */
export function atleast1d(input: Tensor): Tensor;
export function atleast1d(...tensors: Tensor[]): Tensor[];
export function atleast1d(...tensors: Tensor[]): Tensor | Tensor[] {
  return tensors.length === 1 ? op("aten::atleast_1d", [tensors[0]]) : (callOp("aten::atleast_1d.Sequence", [tensors]) as Tensor[]);
}

/**
 * `torch.atleast_2d`: tensors with fewer dims get leading size-1 dims.
 * @example
 * torch.atleast2d(torch.tensor([1, 2])).shape // [1, 2]
 */
export function atleast2d(input: Tensor): Tensor;
export function atleast2d(...tensors: Tensor[]): Tensor[];
export function atleast2d(...tensors: Tensor[]): Tensor | Tensor[] {
  return tensors.length === 1 ? op("aten::atleast_2d", [tensors[0]]) : (callOp("aten::atleast_2d.Sequence", [tensors]) as Tensor[]);
}

/**
 * `torch.atleast_3d`: 1-D [n] becomes [1, n, 1], 2-D [m, n] becomes [m, n, 1].
 * @example
 * torch.atleast3d(torch.tensor([1, 2])).shape // [1, 2, 1]
 */
export function atleast3d(input: Tensor): Tensor;
export function atleast3d(...tensors: Tensor[]): Tensor[];
export function atleast3d(...tensors: Tensor[]): Tensor | Tensor[] {
  return tensors.length === 1 ? op("aten::atleast_3d", [tensors[0]]) : (callOp("aten::atleast_3d.Sequence", [tensors]) as Tensor[]);
}

/**
 * `torch.hstack`: concatenation along dim 1 (dim 0 for 1-D tensors).
 * @example
 * torch.hstack([torch.tensor([1, 2]), torch.tensor([3])]).tolist() // [1, 2, 3]
 */
export function hstack(tensors: readonly Tensor[]): Tensor {
  return op("aten::hstack", [tensors.slice()]);
}

/**
 * `torch.vstack`: concatenation along dim 0 of the tensors made at least 2-D.
 * @example
 * torch.vstack([torch.tensor([1, 2]), torch.tensor([3, 4])]).shape // [2, 2]
 */
export function vstack(tensors: readonly Tensor[]): Tensor {
  return op("aten::vstack", [tensors.slice()]);
}

/**
 * `torch.dstack`: concatenation along dim 2 of the tensors made at least 3-D.
 * @example
 * torch.dstack([torch.tensor([1, 2]), torch.tensor([3, 4])]).shape // [1, 2, 2]
 */
export function dstack(tensors: readonly Tensor[]): Tensor {
  return op("aten::dstack", [tensors.slice()]);
}

/**
 * `torch.outer`: the outer product of two 1-D tensors.
 * @example
 * torch.outer(torch.tensor([1, 2]), torch.tensor([3, 4])).tolist() // [[3, 4], [6, 8]]
 */
export function outer(input: Tensor, vec2: Tensor): Tensor {
  return input.outer(vec2);
}

/**
 * `torch.ger`: alias of outer.
 * @example
 * torch.ger(torch.tensor([1, 2]), torch.tensor([3])).tolist() // [[3], [6]]
 */
export function ger(input: Tensor, vec2: Tensor): Tensor {
  return input.ger(vec2);
}

/**
 * `torch.argsort`: the indices that sort along `dim`.
 * @example
 * torch.argsort(torch.tensor([3, 1, 2])).tolist() // [1, 2, 0]
 */
export function argsort(input: Tensor, dim?: number | ArgsortOptions, descending?: boolean, opts?: ArgsortOptions): Tensor {
  return input.argsort(dim, descending, opts);
}

/**
 * `torch.take_along_dim`: values at `indices` along `dim`.
 * @example
 * torch.takeAlongDim(torch.tensor([[10, 30, 20]]), torch.tensor([[1]]), 1).tolist() // [[30]]
 */
export function takeAlongDim(input: Tensor, indices: Tensor, dim: number | null = null): Tensor {
  return input.takeAlongDim(indices, dim);
}

/**
 * `torch.count_nonzero`: how many elements are nonzero, over `dim` (all when omitted).
 * @example
 * torch.countNonzero(torch.tensor([[0, 1], [2, 0]]), 0).tolist() // [1, 1]
 */
export function countNonzero(input: Tensor, dim: number | readonly number[] | null = null): Tensor {
  return input.countNonzero(dim);
}

/**
 * `torch.aminmax`: [min, max] over `dim` (everything when omitted).
 * @example
 * const [lo, hi] = torch.aminmax(torch.tensor([3, 1, 2])); // 1, 3
 */
export function aminmax(input: Tensor, opts?: AminmaxOptions): [Tensor, Tensor] {
  return input.aminmax(opts);
}

/**
 * `torch.nn.functional.one_hot`: int64 indices as one-hot rows of `numClasses` (max + 1 when -1).
 * @example
 * torch.oneHot(torch.tensor([0, 2]), 3).tolist() // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(input: Tensor, numClasses = -1): Tensor {
  return op("aten::one_hot", [input, numClasses]);
}

/**
 * `torch.nansum`: the sum with NaNs treated as zero.
 * @example
 * torch.nansum(torch.tensor([1, NaN, 2])).item() // 3
 */
export function nansum(input: Tensor, dim?: number | readonly number[] | null, keepdim = false, opts?: NanReduceOptions): Tensor {
  return input.nansum(dim, keepdim, opts);
}

/**
 * `torch.nanmean`: the mean of the non-NaN elements.
 * @example
 * torch.nanmean(torch.tensor([1, NaN, 2])).item() // 1.5
 */
export function nanmean(input: Tensor, dim?: number | readonly number[] | null, keepdim = false, opts?: NanReduceOptions): Tensor {
  return input.nanmean(dim, keepdim, opts);
}

function varMeanCall(fname: "var_mean" | "std_mean", input: Tensor, a?: number | readonly number[] | null | VarMeanOptions, b?: VarMeanOptions): [Tensor, Tensor] {
  const opts: VarMeanOptions = isKwargs(a) ? (a as VarMeanOptions) : (b ?? {});
  const dim = isKwargs(a) || a === undefined ? null : dimsOf(a as number | readonly number[] | null);
  const correction = opts.correction ?? (opts.unbiased === false ? 0 : null);
  return callOp(`aten::${fname}.correction`, [input, dim, correction, opts.keepdim ?? false]) as [Tensor, Tensor];
}

/**
 * `torch.var_mean`: [variance, mean] over `dim` (all when omitted), with Bessel's correction unless told.
 * @example
 * const [v, m] = torch.varMean(torch.tensor([1, 2, 3, 4]), { correction: 0 }); // 1.25, 2.5
 */
export function varMean(input: Tensor, dim?: number | readonly number[] | null | VarMeanOptions, opts?: VarMeanOptions): [Tensor, Tensor] {
  return varMeanCall("var_mean", input, dim, opts);
}

/**
 * `torch.std_mean`: [standard deviation, mean] over `dim` (all when omitted).
 * @example
 * const [s, m] = torch.stdMean(torch.tensor([[1, 3], [2, 6]]), 1); // [sqrt(2), sqrt(8)], [2, 4]
 */
export function stdMean(input: Tensor, dim?: number | readonly number[] | null | VarMeanOptions, opts?: VarMeanOptions): [Tensor, Tensor] {
  return varMeanCall("std_mean", input, dim, opts);
}

/**
 * `torch.kron`: the Kronecker product.
 * @example
 * torch.kron(torch.eye(2), torch.ones([2, 2])).shape // [4, 4]
 */
export function kron(input: Tensor, other: Tensor): Tensor {
  return input.kron(other);
}

/**
 * `torch.logspace`: `steps` values from base ** start to base ** end, evenly spaced in the exponent.
 * @example
 * torch.logspace(0, 2, 3).tolist() // [1, 10, 100]
 */
export function logspace(start: number, end: number, steps: number, base = 10, opts?: LogspaceOptions): Tensor {
  return op("aten::logspace", [start, end, steps, base, opts?.dtype === undefined ? null : toDType(opts.dtype), null, opts?.device ?? null, null]);
}

/**
 * `torch.diag_embed`: self's last dim placed on the (offset) diagonal of new dims dim1 x dim2.
 * @example
 * torch.diagEmbed(torch.tensor([1, 2])).tolist() // [[1, 0], [0, 2]]
 */
export function diagEmbed(input: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  return input.diagEmbed(offset, dim1, dim2);
}

/**
 * `torch.diag`: a vector as a diagonal matrix, or a matrix's (offset) diagonal as a vector.
 * @example
 * torch.diag(torch.tensor([[1, 2], [3, 4]])).tolist() // [1, 4]
 */
export function diag(input: Tensor, diagonal = 0): Tensor {
  return input.diag(diagonal);
}

/**
 * `torch.trace`: the sum of a matrix's main diagonal.
 * @example
 * torch.trace(torch.tensor([[1, 2], [3, 4]])).item() // 5
 */
export function trace(input: Tensor): Tensor {
  return input.trace();
}

/**
 * `torch.index_fill`: a copy with the slices at `index` along `dim` set to `value`.
 * @example
 * torch.indexFill(torch.zeros([2, 3]), 1, torch.tensor([0, 2], { dtype: "int64" }), 1).tolist() // [[1, 0, 1], [1, 0, 1]]
 */
export function indexFill(input: Tensor, dim: number, index: Tensor, value: number | boolean | Tensor): Tensor {
  return input.indexFill(dim, index, value);
}
