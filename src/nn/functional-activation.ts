// nn.functional activations and regression losses, after torch/nn/functional.py with camelCase
// names: each calls the aten operator PyTorch's version calls (leakyRelu -> aten::leaky_relu or
// leaky_relu_ in place, logsigmoid -> aten::log_sigmoid, l1Loss -> aten::l1_loss...), so a
// logging mode sees PyTorch's op sequence. Numeric parameters are positional (as in Python) or
// named in the trailing options object; `inplace` is an option.

import { RuntimeError, ValueError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { callOp } from "../dispatcher/call-op.js";
import type { Tensor } from "../tensor/tensor.js";
import { type Reduction, reductionEnum, sizeString } from "./util.js";

/** Options of the activations that can run in place. */
export interface InplaceOptions {
  inplace?: boolean;
}

/** A positional number or the options object in its place. */
function split<O extends object>(v: number | O | undefined, opts: O | undefined): [number | undefined, O] {
  if (typeof v === "object" && v !== null) return [undefined, v];
  return [v, opts ?? ({} as O)];
}
const run = (name: string, ...args: unknown[]): Tensor => callOp(name, args) as Tensor;

/** Options of leakyRelu. */
export interface LeakyReluOptions extends InplaceOptions {
  negativeSlope?: number;
}
/**
 * max(0, x) + negativeSlope * min(0, x) (`aten::leaky_relu`, `aten::leaky_relu_` in place).
 * @example
 * F.leakyRelu(x, 0.2); F.leakyRelu(x, 0.2, { inplace: true })
 */
export function leakyRelu(input: Tensor, negativeSlope?: number | LeakyReluOptions, opts?: LeakyReluOptions): Tensor {
  const [s, o] = split(negativeSlope, opts);
  return run(o.inplace ? "aten::leaky_relu_" : "aten::leaky_relu", input, s ?? o.negativeSlope ?? 0.01);
}

/** Options of elu / celu. */
export interface AlphaOptions extends InplaceOptions {
  alpha?: number;
}
/**
 * ELU: x > 0 ? x : alpha * (exp(x) - 1) (`aten::elu` / `aten::elu_`).
 * @example
 * F.elu(x); F.elu(x, { alpha: 0.5 }); F.elu(x, 1.0, { inplace: true })
 */
export function elu(input: Tensor, alpha?: number | AlphaOptions, opts?: AlphaOptions): Tensor {
  const [a, o] = split(alpha, opts);
  return run(o.inplace ? "aten::elu_" : "aten::elu", input, a ?? o.alpha ?? 1.0, 1, 1);
}

/**
 * SELU: scale * elu(x, alpha) with PyTorch's constants (`aten::selu` / `aten::selu_`).
 * @example
 * F.selu(x); F.selu(x, { inplace: true })
 */
export function selu(input: Tensor, opts: InplaceOptions = {}): Tensor {
  return run(opts.inplace ? "aten::selu_" : "aten::selu", input);
}

/**
 * CELU: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)) (`aten::celu` / `aten::celu_`).
 * @example
 * F.celu(x, 0.5)
 */
export function celu(input: Tensor, alpha?: number | AlphaOptions, opts?: AlphaOptions): Tensor {
  const [a, o] = split(alpha, opts);
  return run(o.inplace ? "aten::celu_" : "aten::celu", input, a ?? o.alpha ?? 1.0);
}

/** Options of softplus. */
export interface SoftplusOptions {
  beta?: number;
  threshold?: number;
}
/**
 * log(1 + exp(beta * x)) / beta, linear above `threshold` (`aten::softplus`).
 * @example
 * F.softplus(x); F.softplus(x, 2, 10); F.softplus(x, { beta: 2 })
 */
export function softplus(input: Tensor, beta?: number | SoftplusOptions, threshold?: number, opts?: SoftplusOptions): Tensor {
  const [b, o] = split(beta, opts);
  return run("aten::softplus", input, b ?? o.beta ?? 1, threshold ?? o.threshold ?? 20);
}

/** Options of hardtanh. */
export interface HardtanhOptions extends InplaceOptions {
  minVal?: number;
  maxVal?: number;
}
/**
 * Clamps to [minVal, maxVal] (`aten::hardtanh` / `aten::hardtanh_`).
 * @example
 * F.hardtanh(x); F.hardtanh(x, -2, 2, { inplace: true })
 */
export function hardtanh(input: Tensor, minVal?: number | HardtanhOptions, maxVal?: number, opts?: HardtanhOptions): Tensor {
  const [lo0, o] = split(minVal, opts);
  const lo = lo0 ?? o.minVal ?? -1.0;
  const hi = maxVal ?? o.maxVal ?? 1.0;
  if (lo > hi) throw new ValueError("min_val cannot be greater than max_val");
  return run(o.inplace ? "aten::hardtanh_" : "aten::hardtanh", input, lo, hi);
}

/**
 * min(max(0, x), 6) (`aten::relu6` / `aten::relu6_`, which run hardtanh).
 * @example
 * F.relu6(x)
 */
export function relu6(input: Tensor, opts: InplaceOptions = {}): Tensor {
  return run(opts.inplace ? "aten::relu6_" : "aten::relu6", input);
}

/**
 * relu6(x + 3) / 6 (`aten::hardsigmoid` / `aten::hardsigmoid_`).
 * @example
 * F.hardsigmoid(x)
 */
export function hardsigmoid(input: Tensor, opts: InplaceOptions = {}): Tensor {
  return run(opts.inplace ? "aten::hardsigmoid_" : "aten::hardsigmoid", input);
}

/**
 * x * relu6(x + 3) / 6 (`aten::hardswish` / `aten::hardswish_`).
 * @example
 * F.hardswish(x)
 */
export function hardswish(input: Tensor, opts: InplaceOptions = {}): Tensor {
  return run(opts.inplace ? "aten::hardswish_" : "aten::hardswish", input);
}

/**
 * x * tanh(softplus(x)) (`aten::mish` / `aten::mish_`).
 * @example
 * F.mish(x)
 */
export function mish(input: Tensor, opts: InplaceOptions = {}): Tensor {
  return run(opts.inplace ? "aten::mish_" : "aten::mish", input);
}

/**
 * log(sigmoid(x)) (`aten::log_sigmoid`, which runs log_sigmoid_forward).
 * @example
 * F.logsigmoid(x)
 */
export function logsigmoid(input: Tensor): Tensor {
  return run("aten::log_sigmoid", input);
}

/**
 * Gated linear unit: a * sigmoid(b) with input split in halves along `dim` (`aten::glu`).
 * @example
 * F.glu(torch.randn([4, 6])) // [4, 3]
 */
export function glu(input: Tensor, dim = -1): Tensor {
  if (input.dim() === 0) throw new RuntimeError("glu does not support scalars because halving size must be even");
  return run("aten::glu", input, dim);
}

/**
 * x - lambd above lambd, x + lambd below -lambd, 0 between (`aten::softshrink`).
 * @example
 * F.softshrink(x, 0.5)
 */
export function softshrink(input: Tensor, lambd = 0.5): Tensor {
  return run("aten::softshrink", input, lambd);
}

/**
 * x outside [-lambd, lambd], 0 inside (`aten::hardshrink`).
 * @example
 * F.hardshrink(x, 0.5)
 */
export function hardshrink(input: Tensor, lambd = 0.5): Tensor {
  return run("aten::hardshrink", input, lambd);
}

/**
 * x where x > threshold, else value (`aten::threshold` / `aten::threshold_`).
 * @example
 * F.threshold(x, 0.1, 20); F.threshold(x, 0.1, 20, { inplace: true })
 */
export function threshold(input: Tensor, thresholdValue: number, value: number, opts: InplaceOptions = {}): Tensor {
  return run(opts.inplace ? "aten::threshold_" : "aten::threshold", input, thresholdValue, value);
}

/** The input and target broadcast as torch.broadcast_tensors does, with PyTorch's size warning. */
function broadcastPair(input: Tensor, target: Tensor): [Tensor, Tensor] {
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((s, i) => s === b[i]);
  if (same(input.shape, target.shape)) return [input, target];
  warn(
    `Using a target size (${sizeString(target.shape)}) that is different to the input size (${sizeString(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
  );
  const n = Math.max(input.shape.length, target.shape.length);
  const shape: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = input.shape[input.shape.length - n + i] ?? 1;
    const y = target.shape[target.shape.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RuntimeError(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    }
    shape.push(x === 1 ? y : x);
  }
  return [same(input.shape, shape) ? input : input.expand(shape), same(target.shape, shape) ? target : target.expand(shape)];
}

function checkWeight(weight: Tensor, input: Tensor): void {
  if (weight.shape.length !== input.shape.length || weight.shape.some((s, i) => s !== input.shape[i])) {
    throw new ValueError("Weights and input must have the same size.");
  }
}

/** A weighted elementwise loss reduced as functional.py does: sum, or sum / sum(weight) for the mean. */
function weightedReduction(loss: Tensor, weight: Tensor, reduction: Reduction): Tensor {
  const weighted = run("aten::mul.Tensor", loss, weight);
  if (reduction === "none") return weighted;
  if (reduction === "sum") return run("aten::sum", weighted, null);
  if (reduction === "mean") return run("aten::div.Tensor", run("aten::sum", weighted, null), run("aten::sum", weight, null));
  throw new ValueError(`Invalid reduction mode: ${String(reduction)}. Expected one of 'none', 'mean', 'sum'.`);
}

/** Options of l1Loss / huberLoss. */
export interface WeightedRegressionOptions {
  reduction?: Reduction;
  /** Elementwise weights of input's shape. */
  weight?: Tensor | null;
}
/**
 * Mean (or sum, or elementwise) absolute error (`aten::l1_loss`); with a weight, the weighted
 * errors are summed (and divided by the weights' sum for the mean), as PyTorch does.
 * @example
 * F.l1Loss(pred, y); F.l1Loss(pred, y, { reduction: "sum" })
 */
export function l1Loss(input: Tensor, target: Tensor, opts: WeightedRegressionOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  const [a, b] = broadcastPair(input, target);
  if (opts.weight) {
    checkWeight(opts.weight, input);
    const errors = run("aten::abs", run("aten::sub.Tensor", a, b, 1));
    return weightedReduction(errors, opts.weight, reduction);
  }
  return run("aten::l1_loss", a, b, reductionEnum(reduction));
}

/** Options of smoothL1Loss. */
export interface SmoothL1Options {
  reduction?: Reduction;
  /** Where the loss turns from quadratic to linear (default 1; 0 gives l1Loss). */
  beta?: number;
}
/**
 * Smooth L1 loss (`aten::smooth_l1_loss`; `aten::l1_loss` when beta is 0).
 * @example
 * F.smoothL1Loss(pred, y, { beta: 0.5 })
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: SmoothL1Options = {}): Tensor {
  const [a, b] = broadcastPair(input, target);
  const reduction = reductionEnum(opts.reduction ?? "mean");
  const beta = opts.beta ?? 1.0;
  if (beta === 0) return run("aten::l1_loss", a, b, reduction);
  return run("aten::smooth_l1_loss", a, b, reduction, beta);
}

/** Options of huberLoss. */
export interface HuberOptions extends WeightedRegressionOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}
/**
 * Huber loss (`aten::huber_loss`); with a weight, the unreduced loss is weighted and reduced as
 * PyTorch does.
 * @example
 * F.huberLoss(pred, y, { delta: 2 })
 */
export function huberLoss(input: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  const [a, b] = broadcastPair(input, target);
  const reduction = opts.reduction ?? "mean";
  const delta = opts.delta ?? 1.0;
  if (!opts.weight) return run("aten::huber_loss", a, b, reductionEnum(reduction), delta);
  checkWeight(opts.weight, input);
  const unweighted = run("aten::huber_loss", a, b, reductionEnum("none"), delta);
  return weightedReduction(unweighted, opts.weight, reduction);
}

/** Options of klDiv. */
export interface KlDivOptions {
  /** "batchmean" sums and divides by the batch size (the KL divergence's definition). */
  reduction?: Reduction | "batchmean";
  /** The target holds log-probabilities. */
  logTarget?: boolean;
}
/**
 * KL divergence of log-probabilities `input` from `target` (`aten::kl_div`).
 * @example
 * F.klDiv(F.logSoftmax(logits, 1), probs, { reduction: "batchmean" })
 */
export function klDiv(input: Tensor, target: Tensor, opts: KlDivOptions = {}): Tensor {
  const reduction = opts.reduction ?? "mean";
  if (reduction === "mean") {
    warn(
      "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.",
    );
  }
  const e = reduction === "batchmean" ? reductionEnum("sum") : reductionEnum(reduction);
  const reduced = run("aten::kl_div", input, target, e, opts.logTarget ?? false);
  // Python's `reduced / input.size()[0]`: div.Tensor with a wrapped number
  if (reduction === "batchmean" && input.dim() !== 0) return run("aten::div.Tensor", reduced, input.shape[0]!);
  return reduced;
}

/** Options of binaryCrossEntropy. */
export interface BceOptions {
  /** Elementwise weights, broadcast to the target's shape. */
  weight?: Tensor | null;
  reduction?: Reduction;
}
/**
 * Binary cross entropy between probabilities `input` and `target` of the same shape
 * (`aten::binary_cross_entropy`).
 * @example
 * F.binaryCrossEntropy(torch.sigmoid(logits), labels)
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BceOptions = {}): Tensor {
  const reduction = reductionEnum(opts.reduction ?? "mean");
  if (target.shape.length !== input.shape.length || target.shape.some((s, i) => s !== input.shape[i])) {
    throw new ValueError(
      `Using a target size (${sizeString(target.shape)}) that is different to the input size (${sizeString(input.shape)}) is deprecated. Please ensure they have the same size.`,
    );
  }
  let weight = opts.weight ?? null;
  if (weight) weight = weight.expand(broadcastShapeOf(target.shape, weight.shape));
  return run("aten::binary_cross_entropy", input, target, weight, reduction);
}

/** Options of binaryCrossEntropyWithLogits. */
export interface BceWithLogitsOptions extends BceOptions {
  /** Weight of the positive class, broadcast over the classes (last dim). */
  posWeight?: Tensor | null;
}
/**
 * Binary cross entropy of logits `input` against `target` of the same shape, in one numerically
 * stable op (`aten::binary_cross_entropy_with_logits`).
 * @example
 * F.binaryCrossEntropyWithLogits(logits, labels, { posWeight: torch.tensor([3]) })
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BceWithLogitsOptions = {}): Tensor {
  if (target.shape.length !== input.shape.length || target.shape.some((s, i) => s !== input.shape[i])) {
    throw new ValueError(`Target size (${sizeString(target.shape)}) must be the same as input size (${sizeString(input.shape)})`);
  }
  return run("aten::binary_cross_entropy_with_logits", input, target, opts.weight ?? null, opts.posWeight ?? null, reductionEnum(opts.reduction ?? "mean"));
}

/** torch.broadcast_shapes of two shapes. */
function broadcastShapeOf(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RuntimeError(`Shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is at dim ${i} with sizes ${x} and ${y}`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}
