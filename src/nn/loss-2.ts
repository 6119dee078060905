// Loss modules after torch/nn/modules/loss.py: L1Loss, SmoothL1Loss, HuberLoss, KLDivLoss and
// BCELoss hold their options and call nn.functional in forward (reprs "L1Loss()").

import type { Tensor } from "../tensor/tensor.js";
import * as F from "./functional-activation.js";
import { Module } from "./module.js";
import type { Reduction } from "./util.js";

/**
 * Mean (or sum, or elementwise) absolute error.
 * @example
 * new nn.L1Loss().call(pred, y)
 */
export class L1Loss extends Module {
  readonly reduction: Reduction;
  constructor(opts: { reduction?: Reduction } = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

/**
 * Smooth L1 loss: quadratic below beta, linear above.
 * @example
 * new nn.SmoothL1Loss({ beta: 0.5 }).call(pred, y)
 */
export class SmoothL1Loss extends Module {
  readonly reduction: Reduction;
  readonly beta: number;
  constructor(opts: F.SmoothL1Options = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
    this.beta = opts.beta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/**
 * Huber loss: quadratic below delta, delta-scaled linear above.
 * @example
 * new nn.HuberLoss({ delta: 2 }).call(pred, y)
 */
export class HuberLoss extends Module {
  readonly reduction: Reduction;
  readonly delta: number;
  constructor(opts: { reduction?: Reduction; delta?: number } = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
    this.delta = opts.delta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/**
 * KL divergence of log-probabilities from a target distribution.
 * @example
 * new nn.KLDivLoss({ reduction: "batchmean" }).call(F.logSoftmax(logits, 1), probs)
 */
export class KLDivLoss extends Module {
  readonly reduction: Reduction | "batchmean";
  readonly logTarget: boolean;
  constructor(opts: F.KlDivOptions = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
    this.logTarget = opts.logTarget ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}

/**
 * Binary cross entropy of probabilities; an elementwise weight is registered as the buffer "weight".
 * @example
 * new nn.BCELoss().call(torch.sigmoid(logits), labels)
 */
export class BCELoss extends Module {
  declare weight: Tensor | null;
  readonly reduction: Reduction;
  constructor(opts: F.BceOptions = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
    this.registerBuffer("weight", opts.weight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * Binary cross entropy on logits (sigmoid and BCE in one stable op), with optional per-element
 * weight and positive-class weight buffers.
 * @example
 * new nn.BCEWithLogitsLoss({ posWeight: torch.tensor([2]) }).call(logits, labels)
 */
export class BCEWithLogitsLoss extends Module {
  declare weight: Tensor | null;
  declare pos_weight: Tensor | null;
  readonly reduction: Reduction;
  constructor(opts: F.BceWithLogitsOptions = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
    this.registerBuffer("weight", opts.weight ?? null);
    this.registerBuffer("pos_weight", opts.posWeight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.pos_weight, reduction: this.reduction });
  }
}
