// Gradcheck cases of the double-backward rows in src/autograd/derivatives-backward.ts: each
// backward op as a function of its own inputs (run by gradcheck-2.test.ts, which also counts
// them in its coverage census). The norm layers' backward ops take the statistics their forward
// computed from the same input, as in a real double backward (their formulas differentiate
// through the statistics).
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { type Case, c, f, ints, x } from "./gradcheck-harness.js";

const A = "aten::";
const aten = (name: string) => torch.lookupOp(A + name)!;

/** native_layer_norm_backward(gO, x, [4], mean, rstd, w, b) with mean/rstd from native_layer_norm(x). */
function layerNormBackward(gO: Tensor, input: Tensor, w: Tensor, b: Tensor): Tensor[] {
  const [, mean, rstd] = aten("native_layer_norm")(input, [4], w, b, 1e-5) as Tensor[];
  return aten("native_layer_norm_backward")(gO, input, [4], mean, rstd, w, b, [true, true, true]) as Tensor[];
}

/** native_batch_norm_backward in training, with the batch statistics of native_batch_norm(x). */
function batchNormBackward(gO: Tensor, input: Tensor, w: Tensor): Tensor[] {
  const [, saveMean, saveInvstd] = aten("native_batch_norm")(input, w, null, null, null, true, 0.1, 1e-5) as Tensor[];
  return aten("native_batch_norm_backward")(gO, input, w, null, null, saveMean, saveInvstd, true, 1e-5, [true, true, true]) as Tensor[];
}

/** The backward ops with double-backward rows, as functions of their inputs. */
export const DOUBLE_BACKWARD_CASES: Case[] = [
  c("gelu_backward", A + "gelu_backward", [x([2, 3]), x([2, 3], { scale: 2 })]),
  c("gelu_backward tanh", A + "gelu_backward", [x([2, 3]), x([2, 3], { scale: 2 })], { approximate: "tanh" }),
  c("mse_loss_backward reduction 0", A + "mse_loss_backward", [x([2, 3]), x([2, 3]), x([2, 3], { scale: 2 }), 0]),
  c("mse_loss_backward reduction 1", A + "mse_loss_backward", [x([]), x([2, 3]), x([2, 3], { scale: 2 }), 1]),
  c("mse_loss_backward reduction 2", A + "mse_loss_backward", [x([]), x([2, 3]), x([2, 3], { scale: 2 }), 2]),
  c("_softmax_backward_data", A + "_softmax_backward_data", [x([2, 3]), x([2, 3], { scale: 0.4, offset: 0.4 }), 1, "float64"]),
  c("_softmax_backward_data dim 0", A + "_softmax_backward_data", [x([3, 2]), x([3, 2], { scale: 0.4, offset: 0.4 }), -2, "float64"]),
  c("_log_softmax_backward_data", A + "_log_softmax_backward_data", [x([2, 3]), x([2, 3], { offset: -1 }), 0, "float64"]),
  c("embedding_dense_backward", A + "embedding_dense_backward", [x([2, 2, 3]), ints([0, 2, 2, 3], [2, 2]), 4, -1, false]),
  c("embedding_dense_backward padding", A + "embedding_dense_backward", [x([5, 3]), ints([0, 2, 1, 3, 2]), 4, 2, false]),
  ...[0, 1, 2].map((k) =>
    f(`native_layer_norm_backward output ${k}`, layerNormBackward, [x([2, 4]), x([2, 4], { scale: 2 }), x([4], { offset: 1 }), x([4])], k),
  ),
  ...[0, 1, 2].map((k) => f(`native_batch_norm_backward train output ${k}`, batchNormBackward, [x([4, 2]), x([4, 2], { scale: 2 }), x([2], { offset: 1 })], k)),
  ...[0, 1, 2].map((k) =>
    c(
      `native_batch_norm_backward eval output ${k}`,
      A + "native_batch_norm_backward",
      [x([3, 2, 2]), x([3, 2, 2]), x([2], { offset: 1 }), x([2], { constant: true }), x([2], { scale: 0.5, offset: 1.5, constant: true }), null, null, false, 1e-5, [true, true, true]],
      undefined,
      k,
    ),
  ),
  ...[0, 1, 2].map((k) =>
    c(`convolution_backward output ${k}`, A + "convolution_backward", [x([2, 3, 3, 3]), x([2, 2, 4, 4]), x([3, 2, 2, 2]), [3], [1, 1], [0, 0], [1, 1], false, [0, 0], 1, [true, true, true]], undefined, k),
  ),
  ...[0, 1].map((k) =>
    c(
      `convolution_backward stride padding output ${k}`,
      A + "convolution_backward",
      [x([1, 2, 3, 3]), x([1, 2, 5, 5]), x([2, 2, 3, 3]), null, [2, 2], [1, 1], [1, 1], false, [0, 0], 1, [true, true, false]],
      undefined,
      k,
    ),
  ),
  ...[0, 1, 2].map((k) =>
    c(
      `convolution_backward groups dilation output ${k}`,
      A + "convolution_backward",
      [x([1, 4, 5, 4]), x([1, 4, 5, 5]), x([4, 2, 2, 2]), [4], [1, 1], [1, 0], [2, 1], false, [0, 0], 2, [true, true, true]],
      undefined,
      k,
    ),
  ),
  ...[0, 1, 2].map((k) =>
    c(
      `convolution_backward transposed output ${k}`,
      A + "convolution_backward",
      [x([1, 3, 7, 7]), x([1, 2, 3, 3]), x([2, 3, 2, 2]), [3], [2, 2], [0, 0], [1, 1], true, [1, 1], 1, [true, true, true]],
      undefined,
      k,
    ),
  ),
];

/** Rows kept out of the gradcheck: their backward raises, as PyTorch's does. */
export const NOT_GRADCHECKED_BACKWARD = [
  // no row in PyTorch: the autograd fallback's NotImplemented node raises at backward
  "aten::silu_backward",
];
