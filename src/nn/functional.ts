// nn.functional, after torch/nn/functional.py with camelCase names: each function calls the aten
// operator PyTorch's version calls (linear -> aten::linear, crossEntropy -> aten::cross_entropy_loss,
// mseLoss -> aten::mse_loss), so a logging mode sees PyTorch's op sequence.

import { RuntimeError, ValueError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { callOp } from "../dispatcher/call-op.js";
import type { DType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { type Reduction, reductionEnum, sizeString } from "./util.js";

export {
  maxPool2d, avgPool2d, adaptiveAvgPool2d, adaptiveMaxPool2d, maxPool1d, avgPool1d, adaptiveAvgPool1d, adaptiveMaxPool1d,
  type MaxPool2dOptions, type AvgPool2dOptions, type MaxPool1dOptions, type AvgPool1dOptions,
} from "./pooling.js";

/**
 * `y = x W^T + b` (`aten::linear`); weight is [out, in].
 * @example
 * F.linear(x, w, b) // x: [N, in], w: [out, in], b: [out] -> [N, out]
 */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return callOp("aten::linear", [input, weight, bias ?? null]) as Tensor;
}

/**
 * max(x, 0) (`aten::relu`, or `aten::relu_` in place).
 * @example
 * F.relu(x); F.relu(x, { inplace: true })
 */
export function relu(input: Tensor, opts: { inplace?: boolean } = {}): Tensor {
  return callOp(opts.inplace ? "aten::relu_" : "aten::relu", [input]) as Tensor;
}

/** Options of gelu: the erf form ("none") or the tanh approximation. */
export interface GeluOptions {
  approximate?: "none" | "tanh";
}
/**
 * GELU (`aten::gelu`).
 * @example
 * F.gelu(x, { approximate: "tanh" })
 */
export function gelu(input: Tensor, opts: GeluOptions = {}): Tensor {
  return callOp("aten::gelu", [input, opts.approximate ?? "none"]) as Tensor;
}

/**
 * The logistic sigmoid (`aten::sigmoid`).
 * @example
 * F.sigmoid(x)
 */
export function sigmoid(input: Tensor): Tensor {
  return callOp("aten::sigmoid", [input]) as Tensor;
}

/**
 * tanh (`aten::tanh`).
 * @example
 * F.tanh(x)
 */
export function tanh(input: Tensor): Tensor {
  return callOp("aten::tanh", [input]) as Tensor;
}

/** Options of softmax / logSoftmax: the dtype the input is cast to first. */
export interface SoftmaxOptions {
  dtype?: DType;
}
/**
 * Softmax along `dim` (`aten::softmax.int`).
 * @example
 * F.softmax(logits, -1)
 */
export function softmax(input: Tensor, dim: number, opts: SoftmaxOptions = {}): Tensor {
  return callOp("aten::softmax.int", [input, dim, opts.dtype ?? null]) as Tensor;
}
/**
 * Log-softmax along `dim` (`aten::log_softmax.int`).
 * @example
 * F.logSoftmax(logits, 1)
 */
export function logSoftmax(input: Tensor, dim: number, opts: SoftmaxOptions = {}): Tensor {
  return callOp("aten::log_softmax.int", [input, dim, opts.dtype ?? null]) as Tensor;
}

/** Options of dropout. */
export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Drop only when training (default true). */
  training?: boolean;
  inplace?: boolean;
}
/**
 * Zeroes elements with probability p and scales the rest by 1/(1-p) when training
 * (`aten::dropout` / `aten::dropout_`).
 * @example
 * F.dropout(x, { p: 0.1, training: net.training })
 */
export function dropout(input: Tensor, opts: DropoutOptions = {}): Tensor {
  const p = opts.p ?? 0.5;
  if (p < 0 || p > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
  return callOp(opts.inplace ? "aten::dropout_" : "aten::dropout", [input, p, opts.training ?? true]) as Tensor;
}

/** Options of layerNorm. */
export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}
/**
 * Normalizes over the trailing `normalizedShape` dims (`aten::layer_norm`).
 * @example
 * F.layerNorm(x, [x.size(-1)], { weight: gamma, bias: beta })
 */
export function layerNorm(input: Tensor, normalizedShape: readonly number[], opts: LayerNormOptions = {}): Tensor {
  return callOp("aten::layer_norm", [input, normalizedShape.slice(), opts.weight ?? null, opts.bias ?? null, opts.eps ?? 1e-5, true]) as Tensor;
}

/** Options of crossEntropy / nllLoss. */
export interface NllOptions {
  /** Per-class weights ([C]). */
  weight?: Tensor | null;
  /** Targets equal to this index contribute nothing (default -100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}
/** Options of crossEntropy. */
export interface CrossEntropyOptions extends NllOptions {
  /** Mixes the target with the uniform distribution (0 to 1, default 0). */
  labelSmoothing?: number;
}

/**
 * Cross entropy between logits [N, C] (or [N, C, ...]) and class indices or probabilities
 * (`aten::cross_entropy_loss`: log_softmax then nll_loss).
 * @example
 * F.crossEntropy(logits, torch.tensor([2n, 0n, 1n]))
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  return callOp("aten::cross_entropy_loss", [
    input, target, opts.weight ?? null, reductionEnum(opts.reduction ?? "mean"), opts.ignoreIndex ?? -100, opts.labelSmoothing ?? 0.0,
  ]) as Tensor;
}

/**
 * Negative log likelihood of log-probabilities [N, C] at class indices (`aten::nll_loss_nd`).
 * @example
 * F.nllLoss(F.logSoftmax(logits, 1), target)
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NllOptions = {}): Tensor {
  return callOp("aten::nll_loss_nd", [input, target, opts.weight ?? null, reductionEnum(opts.reduction ?? "mean"), opts.ignoreIndex ?? -100]) as Tensor;
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RuntimeError(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * Mean (or sum, or elementwise) squared error (`aten::mse_loss`); a target of another shape is
 * broadcast with a warning, as PyTorch does.
 * @example
 * F.mseLoss(pred, y); F.mseLoss(pred, y, { reduction: "sum" })
 */
export function mseLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  let a = input;
  let b = target;
  if (!sameShape(a.shape, b.shape)) {
    warn(`Using a target size (${sizeString(b.shape)}) that is different to the input size (${sizeString(a.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`);
    const shape = broadcastShape(a.shape, b.shape);
    if (!sameShape(a.shape, shape)) a = a.expand(shape);
    if (!sameShape(b.shape, shape)) b = b.expand(shape);
  }
  return callOp("aten::mse_loss", [a, b, reductionEnum(opts.reduction ?? "mean")]) as Tensor;
}

export { conv1d, conv2d, embedding, batchNorm, pad, type ConvOptions, type EmbeddingOptions, type BatchNormOptions, type PadOptions } from "./functional-layers.js";

export * from "./functional-activation.js";

export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from "./functional-attention.js";
