// Pooling, after torch/nn/functional.py and torch/nn/modules/pooling.py: the functional forms
// (maxPool2d -> aten::max_pool2d or max_pool2d_with_indices, avgPool2d -> aten::avg_pool2d,
// adaptiveAvgPool2d / adaptiveMaxPool2d -> aten::adaptive_avg_pool2d / adaptive_max_pool2d, whose
// None sizes keep the input's, and the 1-d forms -> aten::max_pool1d, avg_pool1d,
// adaptive_avg_pool1d, adaptive_max_pool1d) and the modules with PyTorch's defaults and reprs.

import { ValueError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/** An int or a pair (kernel sizes, strides, paddings, dilations). */
export type Size2 = number | readonly number[];
/** An output size: an int, or a pair whose nulls keep the input's size. */
export type OptSize2 = number | readonly (number | null)[];

/** An int becomes [n, n], as PyTorch's int[2] argument parser does. */
const pair = (v: Size2): number[] => (typeof v === "number" ? [v, v] : v.slice());
/** Python's repr of an int or a tuple. */
const repr = (v: Size2 | OptSize2): string =>
  typeof v === "number" ? String(v) : `(${v.map((e) => (e === null ? "None" : String(e))).join(", ")}${v.length === 1 ? "," : ""})`;
const py = (b: boolean): string => (b ? "True" : "False");

/** Options of maxPool2d. */
export interface MaxPool2dOptions {
  /** Window step (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit -inf padding on both sides (default 0). */
  padding?: Size2;
  /** Spacing between window elements (default 1). */
  dilation?: Size2;
  /** Round the output size up (a last window must still start inside the input or left padding). */
  ceilMode?: boolean;
  /** Also return the argmax indices (flat positions in each input plane). */
  returnIndices?: boolean;
}

/**
 * 2-d max pooling over a [C, H, W] or [N, C, H, W] input (`aten::max_pool2d`, which runs
 * `aten::max_pool2d_with_indices`); with `returnIndices` the indices too.
 * @example
 * F.maxPool2d(x, 2)                                          // [N, C, H/2, W/2]
 * const [y, idx] = F.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true });
 */
export function maxPool2d(input: Tensor, kernelSize: Size2, opts: MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: Size2, opts?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, kernelSize: Size2, opts?: MaxPool2dOptions): Tensor | [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: Size2, opts: MaxPool2dOptions = {}): Tensor | [Tensor, Tensor] {
  const args = [input, pair(kernelSize), opts.stride === undefined || opts.stride === null ? [] : pair(opts.stride), pair(opts.padding ?? 0), pair(opts.dilation ?? 1), opts.ceilMode ?? false];
  if (opts.returnIndices) return callOp("aten::max_pool2d_with_indices", args) as [Tensor, Tensor];
  return callOp("aten::max_pool2d", args) as Tensor;
}

/** Options of avgPool2d. */
export interface AvgPool2dOptions {
  /** Window step (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit zero padding on both sides (default 0). */
  padding?: Size2;
  /** Round the output size up (a last window must still start inside the input or left padding). */
  ceilMode?: boolean;
  /** Count padded zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window sum by this instead. */
  divisorOverride?: number | null;
}

/**
 * 2-d average pooling over a [C, H, W] or [N, C, H, W] input (`aten::avg_pool2d`).
 * @example
 * F.avgPool2d(x, 2)
 * F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false })
 */
export function avgPool2d(input: Tensor, kernelSize: Size2, opts: AvgPool2dOptions = {}): Tensor {
  return callOp("aten::avg_pool2d", [
    input,
    pair(kernelSize),
    opts.stride === undefined || opts.stride === null ? [] : pair(opts.stride),
    pair(opts.padding ?? 0),
    opts.ceilMode ?? false,
    opts.countIncludePad ?? true,
    opts.divisorOverride ?? null,
  ]) as Tensor;
}

/**
 * 2-d adaptive average pooling to `outputSize` (`aten::adaptive_avg_pool2d`: a mean for 1x1, else
 * `aten::_adaptive_avg_pool2d`); a null size keeps the input's.
 * @example
 * F.adaptiveAvgPool2d(x, 1)          // global average pooling: [N, C, 1, 1]
 * F.adaptiveAvgPool2d(x, [4, null])  // [N, C, 4, W]
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: OptSize2): Tensor {
  return callOp("aten::adaptive_avg_pool2d", [input, listWithDefault(outputSize, input.shape)]) as Tensor;
}

/** torch.nn.functional's _list_with_default (an int becomes [n, n]). */
function listWithDefault(outputSize: OptSize2, defaults: readonly number[]): number[] {
  if (typeof outputSize === "number") return [outputSize, outputSize];
  if (defaults.length <= outputSize.length) throw new ValueError(`Input dimension should be at least ${outputSize.length + 1}`);
  const tail = defaults.slice(-outputSize.length);
  return outputSize.map((v, i) => (v === null ? tail[i]! : v));
}

/**
 * 2-d adaptive max pooling to `outputSize` (`aten::adaptive_max_pool2d`); a null size keeps the
 * input's; with `returnIndices` the indices too.
 * @example
 * F.adaptiveMaxPool2d(x, 3)
 * const [y, idx] = F.adaptiveMaxPool2d(x, [null, 4], { returnIndices: true });
 */
export function adaptiveMaxPool2d(input: Tensor, outputSize: OptSize2, opts: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: OptSize2, opts?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool2d(input: Tensor, outputSize: OptSize2, opts?: { returnIndices?: boolean }): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: OptSize2, opts: { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  const r = callOp("aten::adaptive_max_pool2d", [input, listWithDefault(outputSize, input.shape)]) as [Tensor, Tensor];
  return opts.returnIndices ? r : r[0];
}

/** An int or a one-element list (1-d kernel sizes, strides, paddings, dilations). */
export type Size1 = number | readonly number[];
const single = (v: Size1): number[] => (typeof v === "number" ? [v] : v.slice());

/** Options of maxPool1d. */
export interface MaxPool1dOptions {
  stride?: Size1 | null;
  padding?: Size1;
  dilation?: Size1;
  ceilMode?: boolean;
  returnIndices?: boolean;
}

/**
 * 1-d max pooling over a [C, L] or [N, C, L] input (`aten::max_pool1d`, or
 * `aten::max_pool1d_with_indices` with `returnIndices`).
 * @example
 * F.maxPool1d(x, 2)
 * const [y, idx] = F.maxPool1d(x, 3, { stride: 2, padding: 1, returnIndices: true });
 */
export function maxPool1d(input: Tensor, kernelSize: Size1, opts: MaxPool1dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: Size1, opts?: MaxPool1dOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(input: Tensor, kernelSize: Size1, opts?: MaxPool1dOptions): Tensor | [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: Size1, opts: MaxPool1dOptions = {}): Tensor | [Tensor, Tensor] {
  const args = [input, single(kernelSize), opts.stride === undefined || opts.stride === null ? [] : single(opts.stride), single(opts.padding ?? 0), single(opts.dilation ?? 1), opts.ceilMode ?? false];
  if (opts.returnIndices) return callOp("aten::max_pool1d_with_indices", args) as [Tensor, Tensor];
  return callOp("aten::max_pool1d", args) as Tensor;
}

/** Options of avgPool1d. */
export interface AvgPool1dOptions {
  stride?: Size1 | null;
  padding?: Size1;
  ceilMode?: boolean;
  countIncludePad?: boolean;
}

/**
 * 1-d average pooling over a [C, L] or [N, C, L] input (`aten::avg_pool1d`).
 * @example
 * F.avgPool1d(x, 3, { stride: 1, padding: 1, countIncludePad: false })
 */
export function avgPool1d(input: Tensor, kernelSize: Size1, opts: AvgPool1dOptions = {}): Tensor {
  return callOp("aten::avg_pool1d", [
    input,
    single(kernelSize),
    opts.stride === undefined || opts.stride === null ? [] : single(opts.stride),
    single(opts.padding ?? 0),
    opts.ceilMode ?? false,
    opts.countIncludePad ?? true,
  ]) as Tensor;
}

/**
 * 1-d adaptive average pooling to `outputSize` (`aten::adaptive_avg_pool1d`).
 * @example
 * F.adaptiveAvgPool1d(x, 4) // [N, C, 4]
 */
export function adaptiveAvgPool1d(input: Tensor, outputSize: Size1): Tensor {
  return callOp("aten::adaptive_avg_pool1d", [input, single(outputSize)]) as Tensor;
}

/**
 * 1-d adaptive max pooling to `outputSize` (`aten::adaptive_max_pool1d`); with `returnIndices`
 * the indices too.
 * @example
 * F.adaptiveMaxPool1d(x, 4)
 */
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size1, opts: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size1, opts?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size1, opts?: { returnIndices?: boolean }): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size1, opts: { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  const r = callOp("aten::adaptive_max_pool1d", [input, single(outputSize)]) as [Tensor, Tensor];
  return opts.returnIndices ? r : r[0];
}

/** Options of nn.MaxPool2d. */
export type MaxPool2dModuleOptions = MaxPool2dOptions;

/**
 * 2-d max pooling (PyTorch's nn.MaxPool2d; the stride defaults to the kernel size).
 * @example
 * const pool = new nn.MaxPool2d(2);
 * pool.call(torch.randn([1, 3, 8, 8])).shape // [1, 3, 4, 4]
 * String(pool) // "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
 */
export class MaxPool2d extends Module {
  readonly kernelSize: Size2;
  readonly stride: Size2;
  readonly padding: Size2;
  readonly dilation: Size2;
  readonly returnIndices: boolean;
  readonly ceilMode: boolean;
  constructor(kernelSize: Size2, opts: MaxPool2dModuleOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.returnIndices = opts.returnIndices ?? false;
    this.ceilMode = opts.ceilMode ?? false;
  }
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return maxPool2d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
      returnIndices: this.returnIndices,
    });
  }
  override extraRepr(): string {
    return `kernel_size=${repr(this.kernelSize)}, stride=${repr(this.stride)}, padding=${repr(this.padding)}, dilation=${repr(this.dilation)}, ceil_mode=${py(this.ceilMode)}`;
  }
}

/**
 * 2-d average pooling (PyTorch's nn.AvgPool2d; the stride defaults to the kernel size).
 * @example
 * const pool = new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
 * pool.call(torch.randn([1, 3, 8, 8])).shape // [1, 3, 4, 4]
 */
export class AvgPool2d extends Module {
  readonly kernelSize: Size2;
  readonly stride: Size2;
  readonly padding: Size2;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  constructor(kernelSize: Size2, opts: AvgPool2dOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }
  override forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }
  override extraRepr(): string {
    return `kernel_size=${repr(this.kernelSize)}, stride=${repr(this.stride)}, padding=${repr(this.padding)}`;
  }
}

/**
 * 2-d adaptive average pooling to a fixed output size (PyTorch's nn.AdaptiveAvgPool2d); a null
 * size keeps the input's.
 * @example
 * new nn.AdaptiveAvgPool2d(1).call(torch.randn([2, 8, 7, 7])).shape      // [2, 8, 1, 1]
 * new nn.AdaptiveAvgPool2d([5, null]).call(torch.randn([2, 8, 7, 9])).shape // [2, 8, 5, 9]
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: OptSize2;
  constructor(outputSize: OptSize2) {
    super();
    this.outputSize = outputSize;
  }
  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${repr(this.outputSize)}`;
  }
}

/**
 * 2-d adaptive max pooling to a fixed output size (PyTorch's nn.AdaptiveMaxPool2d); a null size
 * keeps the input's.
 * @example
 * new nn.AdaptiveMaxPool2d([2, 3]).call(torch.randn([1, 4, 7, 7])).shape // [1, 4, 2, 3]
 */
export class AdaptiveMaxPool2d extends Module {
  readonly outputSize: OptSize2;
  readonly returnIndices: boolean;
  constructor(outputSize: OptSize2, opts: { returnIndices?: boolean } = {}) {
    super();
    this.outputSize = outputSize;
    this.returnIndices = opts.returnIndices ?? false;
  }
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return adaptiveMaxPool2d(input, this.outputSize, { returnIndices: this.returnIndices });
  }
  override extraRepr(): string {
    return `output_size=${repr(this.outputSize)}`;
  }
}

/**
 * 1-d max pooling (PyTorch's nn.MaxPool1d; the stride defaults to the kernel size).
 * @example
 * new nn.MaxPool1d(2).call(torch.randn([2, 3, 8])).shape // [2, 3, 4]
 */
export class MaxPool1d extends Module {
  readonly kernelSize: Size1;
  readonly stride: Size1;
  readonly padding: Size1;
  readonly dilation: Size1;
  readonly returnIndices: boolean;
  readonly ceilMode: boolean;
  constructor(kernelSize: Size1, opts: MaxPool1dOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.returnIndices = opts.returnIndices ?? false;
    this.ceilMode = opts.ceilMode ?? false;
  }
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return maxPool1d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
      returnIndices: this.returnIndices,
    });
  }
  override extraRepr(): string {
    return `kernel_size=${repr(this.kernelSize)}, stride=${repr(this.stride)}, padding=${repr(this.padding)}, dilation=${repr(this.dilation)}, ceil_mode=${py(this.ceilMode)}`;
  }
}

/**
 * 1-d average pooling (PyTorch's nn.AvgPool1d: sizes are kept as 1-tuples, the stride defaults
 * to the kernel size).
 * @example
 * String(new nn.AvgPool1d(3)) // "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))"
 */
export class AvgPool1d extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  constructor(kernelSize: Size1, opts: AvgPool1dOptions = {}) {
    super();
    this.kernelSize = single(kernelSize);
    this.stride = single(opts.stride ?? kernelSize);
    this.padding = single(opts.padding ?? 0);
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
  }
  override forward(input: Tensor): Tensor {
    return avgPool1d(input, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad });
  }
  override extraRepr(): string {
    return `kernel_size=${repr(this.kernelSize)}, stride=${repr(this.stride)}, padding=${repr(this.padding)}`;
  }
}

/**
 * 1-d adaptive average pooling to a fixed length (PyTorch's nn.AdaptiveAvgPool1d).
 * @example
 * new nn.AdaptiveAvgPool1d(3).call(torch.randn([2, 4, 10])).shape // [2, 4, 3]
 */
export class AdaptiveAvgPool1d extends Module {
  readonly outputSize: Size1;
  constructor(outputSize: Size1) {
    super();
    this.outputSize = outputSize;
  }
  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool1d(input, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${repr(this.outputSize)}`;
  }
}

/**
 * 1-d adaptive max pooling to a fixed length (PyTorch's nn.AdaptiveMaxPool1d).
 * @example
 * new nn.AdaptiveMaxPool1d(3).call(torch.randn([2, 4, 10])).shape // [2, 4, 3]
 */
export class AdaptiveMaxPool1d extends Module {
  readonly outputSize: Size1;
  readonly returnIndices: boolean;
  constructor(outputSize: Size1, opts: { returnIndices?: boolean } = {}) {
    super();
    this.outputSize = outputSize;
    this.returnIndices = opts.returnIndices ?? false;
  }
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return adaptiveMaxPool1d(input, this.outputSize, { returnIndices: this.returnIndices });
  }
  override extraRepr(): string {
    return `output_size=${repr(this.outputSize)}`;
  }
}
