// nn.Linear and nn.Identity, after torch/nn/modules/linear.py. Linear's default initialisation
// draws from the generator exactly as PyTorch's reset_parameters does (kaiming_uniform_ with
// a = sqrt(5) on the weight, then U(-1/sqrt(fan_in), 1/sqrt(fan_in)) on the bias).

import { empty } from "../tensor/creation.js";
import type { DType } from "../tensor/dtype.js";
import type { Device, Tensor } from "../tensor/tensor.js";
import { linear } from "./functional.js";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "./init.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";

/** Options of Linear. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  dtype?: DType;
  device?: Device;
}

/**
 * The default initialisation of Linear and the convolutions (their reset_parameters): the weight
 * from kaiming_uniform_ with a = sqrt(5), the bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 */
export function resetWeightAndBias(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}

/**
 * `y = x W^T + b` with W of shape [outFeatures, inFeatures]; initialised like PyTorch (the same
 * numbers for the same seed).
 * @example
 * torch.manualSeed(0);
 * const fc = new nn.Linear(5, 3);      // fc.weight: [3, 5], fc.bias: [3], PyTorch's values
 * fc.call(torch.randn([2, 5])).shape   // [2, 3]
 */
export class Linear extends Module {
  declare weight: Parameter;
  declare bias: Parameter | null;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const factory = { dtype: opts.dtype, device: opts.device };
    this.weight = new Parameter(empty([outFeatures, inFeatures], factory));
    if (opts.bias ?? true) this.bias = new Parameter(empty([outFeatures], factory));
    else this.registerParameter("bias", null);
    this.resetParameters();
  }

  /** Re-draws weight and bias from the generator (PyTorch's reset_parameters). */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias);
  }

  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"}`;
  }
}

/**
 * Returns its input unchanged (a placeholder layer).
 * @example
 * new nn.Identity().call(x) === x // true
 */
export class Identity extends Module {
  override forward(input: Tensor): Tensor {
    return input;
  }
}
