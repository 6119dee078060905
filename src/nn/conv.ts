// nn.Conv1d and nn.Conv2d, after torch/nn/modules/conv.py: PyTorch's argument checks, weight
// [out, in / groups, ...kernel] and bias initialised as reset_parameters does (kaiming_uniform_
// with a = sqrt(5), then U(-1/sqrt(fan_in), 1/sqrt(fan_in))), and its repr.

import { NotImplementedError, ValueError } from "../core/errors.js";
import { empty } from "../tensor/creation.js";
import type { DType } from "../tensor/dtype.js";
import type { Device, Tensor } from "../tensor/tensor.js";
import { type IntOrTuple, conv1d, conv2d, ntuple } from "./functional-layers.js";
import { resetWeightAndBias } from "./linear.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { pyTuple } from "./util.js";

/** Options of Conv1d / Conv2d (PyTorch's constructor arguments after kernel_size). */
export interface ConvLayerOptions {
  stride?: IntOrTuple;
  /** Zero padding per side, or "same" / "valid". */
  padding?: IntOrTuple | "same" | "valid";
  dilation?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  /** Only "zeros" (the other modes need F.pad). */
  paddingMode?: "zeros" | "reflect" | "replicate" | "circular";
  dtype?: DType;
  device?: Device;
}

/** What Conv1d and Conv2d share (PyTorch's _ConvNd). */
abstract class ConvNd extends Module {
  declare weight: Parameter;
  declare bias: Parameter | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | "same" | "valid";
  readonly dilation: number[];
  readonly groups: number;
  readonly paddingMode: string;

  constructor(n: 1 | 2, inChannels: number, outChannels: number, kernelSize: IntOrTuple, opts: ConvLayerOptions) {
    super();
    const stride = ntuple(opts.stride ?? 1, n);
    const padding = opts.padding ?? 0;
    const groups = opts.groups ?? 1;
    const paddingMode = opts.paddingMode ?? "zeros";
    if (groups <= 0) throw new ValueError("groups must be a positive integer");
    if (inChannels % groups !== 0) throw new ValueError("in_channels must be divisible by groups");
    if (outChannels % groups !== 0) throw new ValueError("out_channels must be divisible by groups");
    if (typeof padding === "string") {
      if (padding !== "same" && padding !== "valid") throw new ValueError(`Invalid padding string '${padding}', should be one of {'same', 'valid'}`);
      if (padding === "same" && stride.some((s) => s !== 1)) throw new ValueError("padding='same' is not supported for strided convolutions");
    }
    if (!["zeros", "reflect", "replicate", "circular"].includes(paddingMode)) {
      throw new ValueError(`padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${paddingMode}'`);
    }
    if (paddingMode !== "zeros") throw new NotImplementedError(`padding_mode='${paddingMode}' needs F.pad, which aten-ts does not implement yet; use padding_mode='zeros'`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = ntuple(kernelSize, n);
    this.stride = stride;
    this.padding = typeof padding === "string" ? padding : ntuple(padding, n);
    this.dilation = ntuple(opts.dilation ?? 1, n);
    this.groups = groups;
    this.paddingMode = paddingMode;
    const factory = { dtype: opts.dtype, device: opts.device };
    this.weight = new Parameter(empty([outChannels, inChannels / groups, ...this.kernelSize], factory));
    if (opts.bias ?? true) this.bias = new Parameter(empty([outChannels], factory));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }

  /** Re-draws weight and bias from the generator (PyTorch's reset_parameters). */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    const p = this.padding;
    if (typeof p === "string") s += `, padding=${p}`;
    else if (p.some((v) => v !== 0)) s += `, padding=${pyTuple(p)}`;
    if (this.dilation.some((v) => v !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    return s;
  }

  protected convOptions() {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
  }
}

/**
 * 1-d convolution over [N, C, L] (or [C, L]) inputs; initialised like PyTorch's.
 * @example
 * torch.manualSeed(0);
 * const conv = new nn.Conv1d(3, 4, 3, { stride: 2, padding: 1 });
 * conv.call(torch.randn([2, 3, 7])).shape // [2, 4, 4]
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, opts: ConvLayerOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, opts);
  }
  override forward(input: Tensor): Tensor {
    return conv1d(input, this.weight, this.bias, this.convOptions());
  }
}

/**
 * 2-d convolution over [N, C, H, W] (or [C, H, W]) inputs; initialised like PyTorch's.
 * @example
 * torch.manualSeed(0);
 * const conv = new nn.Conv2d(3, 4, [3, 2], { padding: 1 });
 * conv.call(torch.randn([2, 3, 5, 4])).shape // [2, 4, 5, 5]
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, opts: ConvLayerOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, opts);
  }
  override forward(input: Tensor): Tensor {
    return conv2d(input, this.weight, this.bias, this.convOptions());
  }
}
