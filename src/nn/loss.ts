// Loss modules, after torch/nn/modules/loss.py: CrossEntropyLoss, NLLLoss and MSELoss hold their
// options (a class weight is a buffer, as in _WeightedLoss) and call nn.functional in forward.

import type { Tensor } from "../tensor/tensor.js";
import * as F from "./functional.js";
import { Module } from "./module.js";
import type { Reduction } from "./util.js";

/** Options of the class-index losses. */
export interface WeightedLossOptions {
  /** Per-class weights ([C]); registered as the buffer "weight". */
  weight?: Tensor | null;
  /** Targets equal to this index contribute nothing (default -100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

abstract class WeightedLoss extends Module {
  declare weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly reduction: Reduction;
  constructor(opts: WeightedLossOptions) {
    super();
    this.reduction = opts.reduction ?? "mean";
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.registerBuffer("weight", opts.weight ?? null);
  }
}

/**
 * Cross entropy of logits [N, C] against class indices (int64) or class probabilities.
 * @example
 * const lossFn = new nn.CrossEntropyLoss();
 * const loss = lossFn.call(net.call(x), target);
 */
export class CrossEntropyLoss extends WeightedLoss {
  readonly labelSmoothing: number;
  constructor(opts: WeightedLossOptions & { labelSmoothing?: number } = {}) {
    super(opts);
    this.labelSmoothing = opts.labelSmoothing ?? 0.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing });
  }
}

/**
 * Negative log likelihood of log-probabilities [N, C] at class indices.
 * @example
 * new nn.NLLLoss().call(F.logSoftmax(logits, 1), target)
 */
export class NLLLoss extends WeightedLoss {
  constructor(opts: WeightedLossOptions = {}) {
    super(opts);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/**
 * Mean squared error (or its sum, or elementwise with reduction "none").
 * @example
 * new nn.MSELoss().call(pred, y)
 */
export class MSELoss extends Module {
  readonly reduction: Reduction;
  constructor(opts: { reduction?: Reduction } = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}
