// Tensor methods and top-level functions of the shape family (see tensor-methods.ts for the
// pattern): views (`x.view(2, 2)`, `x.transpose(0, 1)`, `x.slice(1, 0, 4, 2)`...), reshaping,
// splitting and copies. Sizes are given as varargs or one array, as in PyTorch.

import { callOp } from "../../dispatcher/call-op.js";
import { isContiguousAs, toMemoryFormat, type MemoryFormat } from "../../aten/shape-geometry.js";
import { type DType, toDType } from "../dtype.js";
import { Tensor } from "../tensor.js";

export type { MemoryFormat } from "../../aten/shape-geometry.js";
/** Sizes as varargs (`2, 3`) or one array (`[2, 3]`). */
export type SizeArgs = number[] | [readonly number[]];
/** `{ memoryFormat }` of clone / contiguous. */
export interface MemoryFormatOptions {
  memoryFormat?: MemoryFormat;
}

declare module "../tensor.js" {
  interface Tensor {
    /** The same data with another shape (`aten::view`); one size may be -1. `x.view("int32")` reinterprets the bytes (`view.dtype`). */
    view(...size: SizeArgs): Tensor;
    view(dtype: DType): Tensor;
    /** `view(other.shape)`. */
    viewAs(other: Tensor): Tensor;
    /** A view when the strides allow it, else a copy (`aten::reshape`). */
    reshape(...shape: SizeArgs): Tensor;
    /** `reshape(other.shape)`. */
    reshapeAs(other: Tensor): Tensor;
    /** Swaps two dims (a view). */
    transpose(dim0: number, dim1: number): Tensor;
    /** Reorders the dims (a view). */
    permute(...dims: SizeArgs): Tensor;
    /** Transpose of a tensor with at most 2 dims. */
    t(): Tensor;
    /** Repeats size-1 dims without copying; -1 keeps a size. */
    expand(...size: SizeArgs): Tensor;
    /** `expand(other.shape)`. */
    expandAs(other: Tensor): Tensor;
    /** `x[start:end:step]` along dim (`aten::slice.Tensor`); null bounds mean the whole dim. */
    slice(dim?: number, start?: number | null, end?: number | null, step?: number): Tensor;
    /** The sub-tensor at `index` along dim, without that dim. */
    select(dim: number, index: number): Tensor;
    /** Inserts a size-1 dim at `dim`. */
    unsqueeze(dim: number): Tensor;
    /** Removes size-1 dims: all of them, or those among `dim`. */
    squeeze(dim?: number | readonly number[]): Tensor;
    /** Merges dims startDim..endDim into one (a view when possible). */
    flatten(startDim?: number, endDim?: number): Tensor;
    /** Splits dim into `sizes` (a view). */
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    /** `length` elements from `start` along dim (a view). */
    narrow(dim: number, start: number | Tensor, length: number): Tensor;
    /** A view with explicit sizes, strides and storage offset. */
    asStrided(size: readonly number[], stride: readonly number[], storageOffset?: number | null): Tensor;
    /** Self when already contiguous in the format, else a contiguous copy. */
    contiguous(opts?: MemoryFormatOptions): Tensor;
    /** A copy (by default keeping a dense input's strides). */
    clone(opts?: MemoryFormatOptions): Tensor;
    /** Same data, no autograd history. */
    detach(): Tensor;
    /** Pieces of `splitSize` along dim, or of the listed sizes (views). */
    split(splitSize: number | readonly number[], dim?: number): Tensor[];
    /** `chunks` near-equal pieces along dim (views). */
    chunk(chunks: number, dim?: number): Tensor[];
    /** Every index along dim, as views without that dim. */
    unbind(dim?: number): Tensor[];
    /** The (offset) diagonal of the dim1 x dim2 planes, as a last dim (a view). */
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    /** Moves dims `source` to positions `destination` (a view). */
    movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor;
    /** NumPy's name for movedim. */
    moveaxis(source: number | readonly number[], destination: number | readonly number[]): Tensor;
    /** NumPy's name for transpose. */
    swapaxes(axis0: number, axis1: number): Tensor;
    /** NumPy's name for transpose. */
    swapdims(dim0: number, dim1: number): Tensor;
    /** squeeze in place (changes self's sizes and strides). */
    squeeze_(dim?: number | readonly number[]): Tensor;
    /** unsqueeze in place. */
    unsqueeze_(dim: number): Tensor;
    /** transpose in place. */
    transpose_(dim0: number, dim1: number): Tensor;
    /** t in place. */
    t_(): Tensor;
    /** Gives self new sizes, strides and offset over the same storage. */
    asStrided_(size: readonly number[], stride: readonly number[], storageOffset?: number | null): Tensor;
  }
}

/** Sizes from varargs or one array. */
function sizesOf(args: ReadonlyArray<number | readonly number[]>): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return (args[0] as readonly number[]).slice();
  if (args.some((a) => typeof a !== "number")) throw new TypeError("sizes must be numbers or one array of numbers");
  return (args as readonly number[]).slice();
}

const P = Tensor.prototype;
const op = (name: string, args: unknown[]) => callOp(name, args) as Tensor;
const ops = (name: string, args: unknown[]) => callOp(name, args) as Tensor[];

P.view = function (this: Tensor, ...args: Array<number | readonly number[] | DType>) {
  if (args.length === 1 && typeof args[0] === "string") return op("aten::view.dtype", [this, toDType(args[0])]);
  return op("aten::view", [this, sizesOf(args as Array<number | readonly number[]>)]);
};
P.viewAs = function (this: Tensor, other: Tensor) {
  return op("aten::view_as", [this, other]);
};
P.reshape = function (this: Tensor, ...shape: SizeArgs) {
  return op("aten::reshape", [this, sizesOf(shape)]);
};
P.reshapeAs = function (this: Tensor, other: Tensor) {
  return op("aten::reshape_as", [this, other]);
};
P.transpose = function (this: Tensor, dim0: number, dim1: number) {
  return op("aten::transpose.int", [this, dim0, dim1]);
};
P.permute = function (this: Tensor, ...dims: SizeArgs) {
  return op("aten::permute", [this, sizesOf(dims)]);
};
P.t = function (this: Tensor) {
  return op("aten::t", [this]);
};
P.expand = function (this: Tensor, ...size: SizeArgs) {
  return op("aten::expand", [this, sizesOf(size), false]);
};
P.expandAs = function (this: Tensor, other: Tensor) {
  return op("aten::expand_as", [this, other]);
};
P.slice = function (this: Tensor, dim = 0, start: number | null = null, end: number | null = null, step = 1) {
  return op("aten::slice.Tensor", [this, dim, start, end, step]);
};
P.select = function (this: Tensor, dim: number, index: number) {
  return op("aten::select.int", [this, dim, index]);
};
P.unsqueeze = function (this: Tensor, dim: number) {
  return op("aten::unsqueeze", [this, dim]);
};
P.squeeze = function (this: Tensor, dim?: number | readonly number[]) {
  if (dim === undefined) return op("aten::squeeze", [this]);
  return typeof dim === "number" ? op("aten::squeeze.dim", [this, dim]) : op("aten::squeeze.dims", [this, dim.slice()]);
};
P.flatten = function (this: Tensor, startDim = 0, endDim = -1) {
  return op("aten::flatten.using_ints", [this, startDim, endDim]);
};
P.unflatten = function (this: Tensor, dim: number, sizes: readonly number[]) {
  return op("aten::unflatten.int", [this, dim, sizes.slice()]);
};
P.narrow = function (this: Tensor, dim: number, start: number | Tensor, length: number) {
  return start instanceof Tensor ? op("aten::narrow.Tensor", [this, dim, start, length]) : op("aten::narrow", [this, dim, start, length]);
};
P.asStrided = function (this: Tensor, size: readonly number[], stride: readonly number[], storageOffset: number | null = null) {
  return op("aten::as_strided", [this, size.slice(), stride.slice(), storageOffset]);
};
P.contiguous = function (this: Tensor, opts?: MemoryFormatOptions) {
  const format = toMemoryFormat(opts?.memoryFormat) ?? "contiguous_format";
  // like ATen's Tensor::contiguous(): no operator call when already laid out so
  if (isContiguousAs(this, format)) return this;
  return op("aten::contiguous", [this, format]);
};
P.clone = function (this: Tensor, opts?: MemoryFormatOptions) {
  return op("aten::clone", [this, opts?.memoryFormat ?? null]);
};
P.detach = function (this: Tensor) {
  return op("aten::detach", [this]);
};
P.split = function (this: Tensor, splitSize: number | readonly number[], dim = 0) {
  return typeof splitSize === "number"
    ? ops("aten::split.Tensor", [this, splitSize, dim])
    : ops("aten::split_with_sizes", [this, splitSize.slice(), dim]);
};
P.chunk = function (this: Tensor, chunks: number, dim = 0) {
  return ops("aten::chunk", [this, chunks, dim]);
};
P.unbind = function (this: Tensor, dim = 0) {
  return ops("aten::unbind.int", [this, dim]);
};
P.diagonal = function (this: Tensor, offset = 0, dim1 = 0, dim2 = 1) {
  return op("aten::diagonal", [this, offset, dim1, dim2]);
};
/** `movedim` / `moveaxis` with one dim each (`.int`) or lists (`.intlist`). */
function moveOp(name: string) {
  return function (this: Tensor, source: number | readonly number[], destination: number | readonly number[]) {
    if (typeof source === "number" && typeof destination === "number") return op(`aten::${name}.int`, [this, source, destination]);
    const list = (d: number | readonly number[]) => (typeof d === "number" ? [d] : d.slice());
    return op(`aten::${name}.intlist`, [this, list(source), list(destination)]);
  };
}
P.movedim = moveOp("movedim");
P.moveaxis = moveOp("moveaxis");
P.swapaxes = function (this: Tensor, axis0: number, axis1: number) {
  return op("aten::swapaxes", [this, axis0, axis1]);
};
P.swapdims = function (this: Tensor, dim0: number, dim1: number) {
  return op("aten::swapdims", [this, dim0, dim1]);
};
P.squeeze_ = function (this: Tensor, dim?: number | readonly number[]) {
  if (dim === undefined) return op("aten::squeeze_", [this]);
  return typeof dim === "number" ? op("aten::squeeze_.dim", [this, dim]) : op("aten::squeeze_.dims", [this, dim.slice()]);
};
P.unsqueeze_ = function (this: Tensor, dim: number) {
  return op("aten::unsqueeze_", [this, dim]);
};
P.transpose_ = function (this: Tensor, dim0: number, dim1: number) {
  return op("aten::transpose_", [this, dim0, dim1]);
};
P.t_ = function (this: Tensor) {
  return op("aten::t_", [this]);
};
P.asStrided_ = function (this: Tensor, size: readonly number[], stride: readonly number[], storageOffset: number | null = null) {
  return op("aten::as_strided_", [this, size.slice(), stride.slice(), storageOffset]);
};

export * from "./shape-functions.js";
