// Tensor methods and top-level functions of the nn family (x.softmax(-1), torch.conv2d(x, w)),
// named as PyTorch's torch.* functions in camelCase; each builds the operator's full argument
// list and calls it through the dispatcher. (nn.functional-style losses come later.)

import { callOp } from "../../dispatcher/call-op.js";
import type { DType } from "../dtype.js";
import { Tensor } from "../tensor.js";

/** Options of softmax / logSoftmax: the dtype the input is converted to first. */
export interface SoftmaxOptions {
  dtype?: DType;
}

declare module "../tensor.js" {
  interface Tensor {
    /** Softmax along `dim` (`aten::softmax.int`). */
    softmax(dim: number, opts?: SoftmaxOptions): Tensor;
    /** Log-softmax along `dim` (`aten::log_softmax.int`), computed stably. */
    logSoftmax(dim: number, opts?: SoftmaxOptions): Tensor;
  }
}

const P = Tensor.prototype;
P.softmax = function (this: Tensor, dim: number, opts?: SoftmaxOptions) {
  return softmax(this, dim, opts);
};
P.logSoftmax = function (this: Tensor, dim: number, opts?: SoftmaxOptions) {
  return logSoftmax(this, dim, opts);
};

/**
 * `torch.softmax`: exp(x) / sum(exp(x)) along `dim`.
 * @example
 * torch.softmax(torch.tensor([1, 2, 3]), 0, { dtype: "float64" })
 */
export function softmax(input: Tensor, dim: number, opts?: SoftmaxOptions): Tensor {
  return callOp("aten::softmax.int", [input, dim, opts?.dtype ?? null]) as Tensor;
}

/**
 * `torch.log_softmax`: x - log(sum(exp(x))) along `dim`.
 * @example
 * torch.logSoftmax(logits, -1)
 */
export function logSoftmax(input: Tensor, dim: number, opts?: SoftmaxOptions): Tensor {
  return callOp("aten::log_softmax.int", [input, dim, opts?.dtype ?? null]) as Tensor;
}

/** Options of layerNorm. */
export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

/**
 * `torch.layer_norm`: normalizes over the trailing `normalizedShape` dims (`aten::layer_norm`).
 * @example
 * torch.layerNorm(x, [x.size(-1)], { weight: gamma, bias: beta })
 */
export function layerNorm(input: Tensor, normalizedShape: readonly number[], opts?: LayerNormOptions): Tensor {
  return callOp("aten::layer_norm", [input, normalizedShape.slice(), opts?.weight ?? null, opts?.bias ?? null, opts?.eps ?? 1e-5, true]) as Tensor;
}

/** Options of batchNorm (F.batch_norm's keywords). */
export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * `torch.batch_norm`: normalizes each channel (dim 1) with batch statistics (training, which
 * also updates the running stats in place) or the running stats (evaluation).
 * @example
 * torch.batchNorm(x, runningMean, runningVar, { training: true })
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts?: BatchNormOptions): Tensor {
  return callOp("aten::batch_norm", [
    input, opts?.weight ?? null, opts?.bias ?? null, runningMean, runningVar,
    opts?.training ?? false, opts?.momentum ?? 0.1, opts?.eps ?? 1e-5, true,
  ]) as Tensor;
}

/** Options of embedding. */
export interface EmbeddingOptions {
  paddingIdx?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
}

/**
 * `torch.embedding`: the rows of `weight` picked by integer `indices` (shape indices.shape + [D]).
 * @example
 * torch.embedding(table, torch.tensor([[0, 2], [1, 1]]))
 */
export function embedding(weight: Tensor, indices: Tensor, opts?: EmbeddingOptions): Tensor {
  return callOp("aten::embedding", [weight, indices, opts?.paddingIdx ?? -1, opts?.scaleGradByFreq ?? false, opts?.sparse ?? false]) as Tensor;
}

/**
 * `torch.dropout`: zeroes elements with probability p and scales the rest by 1/(1-p) when
 * training; returns the input itself otherwise.
 * @example
 * torch.dropout(x, 0.1, false) === x
 */
export function dropout(input: Tensor, p: number, train: boolean): Tensor {
  return callOp("aten::dropout", [input, p, train]) as Tensor;
}

/** Options of the convolutions: per-dim lists or one number for all dims; padding may be "same" / "valid". */
export interface ConvOptions {
  stride?: number | readonly number[];
  padding?: number | readonly number[] | "same" | "valid";
  dilation?: number | readonly number[];
  groups?: number;
}

function conv(spatial: number, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts?: ConvOptions): Tensor {
  const list = (v: number | readonly number[] | undefined, dflt: number): number[] =>
    v === undefined ? new Array<number>(spatial).fill(dflt) : typeof v === "number" ? new Array<number>(spatial).fill(v) : v.slice();
  const pad = opts?.padding;
  const common = [input, weight, bias ?? null, list(opts?.stride, 1)];
  const tail = [list(opts?.dilation, 1), opts?.groups ?? 1];
  if (typeof pad === "string") return callOp(`aten::conv${spatial}d.padding`, [...common, pad, ...tail]) as Tensor;
  return callOp(`aten::conv${spatial}d`, [...common, list(pad, 0), ...tail]) as Tensor;
}

/**
 * `torch.conv1d` over [N, C, L] (or unbatched [C, L]) inputs.
 * @example
 * torch.conv1d(x, w, b, { padding: "same" })
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvOptions): Tensor {
  return conv(1, input, weight, bias, opts);
}

/**
 * `torch.conv2d` over [N, C, H, W] (or unbatched [C, H, W]) inputs.
 * @example
 * torch.conv2d(x, w, null, { stride: 2, padding: 1, groups: 2 })
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvOptions): Tensor {
  return conv(2, input, weight, bias, opts);
}

/**
 * `torch.conv3d` over [N, C, D, H, W] (or unbatched [C, D, H, W]) inputs.
 * @example
 * torch.conv3d(x, w)
 */
export function conv3d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvOptions): Tensor {
  return conv(3, input, weight, bias, opts);
}

/**
 * `torch.constant_pad_nd`: pads the last dims (pairs given last dim first) with `value`.
 * @example
 * torch.constantPadNd(x, [1, 1], 0)
 */
export function constantPadNd(input: Tensor, pad: readonly number[], value = 0): Tensor {
  return callOp("aten::constant_pad_nd", [input, pad.slice(), value]) as Tensor;
}
