// nn.functional for the layers of conv.ts, normalization.ts and sparse.ts: conv1d / conv2d,
// embedding and batchNorm, after torch/nn/functional.py (argument checks and the aten op each
// calls).

import { AssertionError, ValueError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import type { Tensor } from "../tensor/tensor.js";
import { sizeString } from "./util.js";
import { type BatchNormOptions, batchNorm as torchBatchNorm } from "../tensor/methods/nn.js";

export type { BatchNormOptions };

/** An int or one int per spatial dim. */
export type IntOrTuple = number | readonly number[];

/** Options of conv1d / conv2d. */
export interface ConvOptions {
  stride?: IntOrTuple;
  /** Zero padding per side, or "same" / "valid". */
  padding?: IntOrTuple | "same" | "valid";
  dilation?: IntOrTuple;
  groups?: number;
}

/** PyTorch's _single / _pair: an int repeated n times, a sequence as given. */
export function ntuple(v: IntOrTuple, n: number): number[] {
  return typeof v === "number" ? new Array<number>(n).fill(v) : v.slice();
}

function conv(n: 1 | 2, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvOptions): Tensor {
  const name = n === 1 ? "aten::conv1d" : "aten::conv2d";
  const stride = ntuple(opts.stride ?? 1, n);
  const dilation = ntuple(opts.dilation ?? 1, n);
  const groups = opts.groups ?? 1;
  const padding = opts.padding ?? 0;
  if (typeof padding === "string") return callOp(`${name}.padding`, [input, weight, bias ?? null, stride, padding, dilation, groups]) as Tensor;
  return callOp(name, [input, weight, bias ?? null, stride, ntuple(padding, n), dilation, groups]) as Tensor;
}

/**
 * 1-d convolution of [N, C, L] (or [C, L]) by a weight [out, C / groups, k] (`aten::conv1d`).
 * @example
 * F.conv1d(x, w, b, { stride: 2, padding: 1 })
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  return conv(1, input, weight, bias, opts);
}

/**
 * 2-d convolution of [N, C, H, W] (or [C, H, W]) by a weight [out, C / groups, kH, kW] (`aten::conv2d`).
 * @example
 * F.conv2d(x, w, b, { padding: "same" })
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  return conv(2, input, weight, bias, opts);
}

/** Options of embedding. */
export interface EmbeddingOptions {
  /** Rows at this index get no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Scales gradients by the inverse frequency of the words in the batch. */
  scaleGradByFreq?: boolean;
}

/**
 * Rows of `weight` picked by integer `input` (`aten::embedding`).
 * @example
 * F.embedding(torch.tensor([1n, 3n]), weight) // [2, D]
 */
export function embedding(input: Tensor, weight: Tensor, opts: EmbeddingOptions = {}): Tensor {
  let paddingIdx = opts.paddingIdx ?? null;
  const rows = weight.shape[0]!;
  if (paddingIdx !== null) {
    if (paddingIdx > 0 && !(paddingIdx < rows)) throw new AssertionError("Padding_idx must be within num_embeddings");
    if (paddingIdx < 0) {
      if (!(paddingIdx >= -rows)) throw new AssertionError("Padding_idx must be within num_embeddings");
      paddingIdx = rows + paddingIdx;
    }
  }
  return callOp("aten::embedding", [weight, input, paddingIdx ?? -1, opts.scaleGradByFreq ?? false, false]) as Tensor;
}

/** PyTorch's _verify_batch_size: training needs more than one value per channel. */
function verifyBatchSize(shape: readonly number[]): void {
  let n = shape[0]!;
  for (let i = 2; i < shape.length; i++) n *= shape[i]!;
  if (n === 1) throw new ValueError(`Expected more than 1 value per channel when training, got input size ${sizeString(shape)}`);
}

/**
 * Batch normalisation over the channel dim 1 (`aten::batch_norm`); in training mode the running
 * statistics (when given) are updated in place with `momentum`.
 * @example
 * F.batchNorm(x, runningMean, runningVar, { training: true })
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts: BatchNormOptions = {}): Tensor {
  if (opts.training) verifyBatchSize(input.shape);
  return torchBatchNorm(input, runningMean, runningVar, opts);
}

/** Options of pad. */
export interface PadOptions {
  /** "constant" (default), "reflect", "replicate" or "circular". */
  mode?: "constant" | "reflect" | "replicate" | "circular";
  /** The fill value of constant padding (default 0). */
  value?: number | null;
}

/**
 * Pads the last dims: `pad = [left, right]` for the last dim, then `[top, bottom]` for the one
 * before, ... (`aten::pad`; constant padding runs `aten::constant_pad_nd`).
 * @example
 * F.pad(x, [1, 2], { value: 3.5 }) // the last dim grows by 3
 */
export function pad(input: Tensor, padding: readonly number[], opts: PadOptions = {}): Tensor {
  return callOp("aten::pad", [input, padding.slice(), opts.mode ?? "constant", opts.value ?? null]) as Tensor;
}
