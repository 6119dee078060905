// nn.LayerNorm, nn.BatchNorm1d and nn.BatchNorm2d, after torch/nn/modules/normalization.py and
// batchnorm.py: parameters (ones / zeros), running-statistics buffers and num_batches_tracked,
// the training/eval behaviour of _BatchNorm.forward, PyTorch's input checks and reprs.

import { ValueError } from "../core/errors.js";
import { empty, ones, tensor, zeros } from "../tensor/creation.js";
import type { DType } from "../tensor/dtype.js";
import type { Device, Tensor } from "../tensor/tensor.js";
import { layerNorm } from "./functional.js";
import { batchNorm } from "./functional-layers.js";
import { ones_, zeros_ } from "./init.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { pyBool, pyFloat, pyTuple } from "./util.js";
import { noGrad } from "../autograd/api.js";

/** Options of LayerNorm. */
export interface LayerNormLayerOptions {
  eps?: number;
  /** Learn a per-element scale (and bias); default true. */
  elementwiseAffine?: boolean;
  /** Learn a bias too (with elementwiseAffine); default true. */
  bias?: boolean;
  dtype?: DType;
  device?: Device;
}

/**
 * Layer normalisation over the trailing `normalizedShape` dims (`aten::layer_norm`).
 * @example
 * const ln = new nn.LayerNorm(4);
 * ln.call(torch.randn([2, 3, 4])).shape // [2, 3, 4]
 */
export class LayerNorm extends Module {
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormLayerOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape.slice();
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    const factory = { dtype: opts.dtype, device: opts.device };
    if (this.elementwiseAffine) {
      this.weight = new Parameter(empty(this.normalizedShape, factory));
      if (opts.bias ?? true) this.bias = new Parameter(empty(this.normalizedShape, factory));
      else this.registerParameter("bias", null);
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
    this.resetParameters();
  }

  /** weight = 1, bias = 0 (PyTorch's reset_parameters). */
  resetParameters(): void {
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  override forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** Options of BatchNorm1d / BatchNorm2d. */
export interface BatchNormLayerOptions {
  eps?: number;
  /** Running-average factor; null: a cumulative average over the batches seen. Default 0.1. */
  momentum?: number | null;
  /** Learn a per-channel scale (and bias); default true. */
  affine?: boolean;
  /** Keep running mean/variance buffers (used in eval mode); default true. */
  trackRunningStats?: boolean;
  /** Learn a bias too (with affine); default true. */
  bias?: boolean;
  dtype?: DType;
  device?: Device;
}

/** What BatchNorm1d and BatchNorm2d share (PyTorch's _NormBase and _BatchNorm). */
abstract class BatchNormBase extends Module {
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(numFeatures: number, opts: BatchNormLayerOptions) {
    super();
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    const factory = { dtype: opts.dtype, device: opts.device };
    if (this.affine) {
      this.weight = new Parameter(empty([numFeatures], factory));
      if (opts.bias ?? true) this.bias = new Parameter(empty([numFeatures], factory));
      else this.registerParameter("bias", null);
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
    }
    if (this.trackRunningStats) {
      this.registerBuffer("running_mean", zeros([numFeatures], factory));
      this.registerBuffer("running_var", ones([numFeatures], factory));
      this.registerBuffer("num_batches_tracked", tensor(0n, { dtype: "int64", device: opts.device }));
    } else {
      this.registerBuffer("running_mean", null);
      this.registerBuffer("running_var", null);
      this.registerBuffer("num_batches_tracked", null);
    }
    this.resetParameters();
  }

  /** The buffers keep PyTorch's snake_case names (state dict keys, `bn.running_mean`). */
  private buffer(name: string): Tensor | null {
    return this._buffers.get(name) ?? null;
  }
  /** The running mean buffer (`running_mean`), null without running statistics. */
  get runningMean(): Tensor | null {
    return this.buffer("running_mean");
  }
  /** The running variance buffer (`running_var`). */
  get runningVar(): Tensor | null {
    return this.buffer("running_var");
  }
  /** How many training batches updated the statistics (`num_batches_tracked`, int64). */
  get numBatchesTracked(): Tensor | null {
    return this.buffer("num_batches_tracked");
  }

  /** running_mean = 0, running_var = 1, num_batches_tracked = 0 (PyTorch's reset_running_stats). */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.buffer("running_mean")!.zero_();
      this.buffer("running_var")!.fill_(1);
      this.buffer("num_batches_tracked")!.zero_();
    });
  }

  /** Running statistics reset, weight = 1, bias = 0 (PyTorch's reset_parameters). */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  protected abstract checkInputDim(input: Tensor): void;

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    let factor = this.momentum ?? 0.0;
    const tracked = this.buffer("num_batches_tracked");
    if (this.training && this.trackRunningStats && tracked !== null) {
      tracked.add_(1);
      factor = this.momentum === null ? 1.0 / Number(tracked.item()) : this.momentum;
    }
    const mean = this.buffer("running_mean");
    const variance = this.buffer("running_var");
    const bnTraining = this.training ? true : mean === null && variance === null;
    const useStats = !this.training || this.trackRunningStats;
    return batchNorm(input, useStats ? mean : null, useStats ? variance : null, {
      weight: this.weight,
      bias: this.bias,
      training: bnTraining,
      momentum: factor,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? "None" : pyFloat(this.momentum);
    return (
      `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${momentum}, affine=${pyBool(this.affine)}, ` +
      `bias=${pyBool(this.bias !== null)}, track_running_stats=${pyBool(this.trackRunningStats)}`
    );
  }
}

/**
 * Batch normalisation of [N, C] or [N, C, L] inputs over the channel dim.
 * @example
 * const bn = new nn.BatchNorm1d(4);
 * bn.call(torch.randn([5, 4])); // updates bn's running_mean / running_var
 */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, opts: BatchNormLayerOptions = {}) {
    super(numFeatures, opts);
  }
  protected checkInputDim(input: Tensor): void {
    const d = input.dim();
    if (d !== 2 && d !== 3) throw new ValueError(`expected 2D or 3D input (got ${d}D input)`);
  }
}

/**
 * Batch normalisation of [N, C, H, W] inputs over the channel dim.
 * @example
 * const bn = new nn.BatchNorm2d(3);
 * bn.eval(); bn.call(x); // normalises with the running statistics
 */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, opts: BatchNormLayerOptions = {}) {
    super(numFeatures, opts);
  }
  protected checkInputDim(input: Tensor): void {
    const d = input.dim();
    if (d !== 4) throw new ValueError(`expected 4D input (got ${d}D input)`);
  }
}
