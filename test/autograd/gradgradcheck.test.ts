// Second derivatives through the formulas (createGraph): the backward graph of a formula is itself
// differentiated (through mul/div/..., and the double-backward rows of threshold_backward,
// sigmoid_backward, tanh_backward, select_backward, slice_backward, gelu_backward,
// mse_loss_backward, the softmax backward ops, embedding_dense_backward, convolution_backward and
// the norm layers' backward ops), against finite differences.
import { describe, it } from "vitest";
import { c, gradgradcheck, ints, pos, x } from "./gradcheck-harness.js";

const A = "aten::";
const CASES = [
  ...["sin", "cos", "exp", "tanh", "sigmoid", "relu", "neg", "abs"].map((n) => c(n, A + n, [x([2, 3], { scale: 2 })])),
  ...["log", "sqrt", "rsqrt", "reciprocal", "log1p"].map((n) => c(n, A + n, [pos([2, 3])])),
  c("mul broadcast", A + "mul.Tensor", [x([2, 3]), x([3])]),
  c("div", A + "div.Tensor", [x([2, 3]), pos([3])]),
  c("pow.Tensor_Scalar", A + "pow.Tensor_Scalar", [pos([2, 3]), 2.5]),
  c("pow.Tensor_Tensor", A + "pow.Tensor_Tensor", [pos([2, 3]), x([3])]),
  c("select", A + "select.int", [x([2, 3]), 1, 1]),
  c("slice", A + "slice.Tensor", [x([2, 5]), 1, 1, 4]),
  c("diagonal", A + "diagonal", [x([3, 3])]),
  c("index_select", A + "index_select", [x([2, 3]), 1, ints([2, 0, 2])]),
  c("gather", A + "gather", [x([2, 3]), 1, ints([2, 0, 1, 1], [2, 2])]),
  c("mm", A + "mm", [x([2, 3]), x([3, 2])]),
  c("var", A + "var.correction", [x([2, 3]), [1]]),
  c("std", A + "std.correction", [x([2, 3])]),
  c("logsumexp", A + "logsumexp", [x([2, 3]), [1]]),
  c("linalg_vector_norm", A + "linalg_vector_norm", [x([2, 3]), 2, [1]]),
  c("prod", A + "prod.dim_int", [x([2, 3]), 1]),
  c("native_dropout eval", A + "native_dropout", [x([2, 3]), 0.5, false], undefined, 0),
  c("cumsum", A + "cumsum", [x([2, 3]), 1]),
  // through the double-backward rows of the backward ops (derivatives-backward.ts)
  c("gelu", A + "gelu", [x([2, 3], { scale: 2 })]),
  c("gelu tanh", A + "gelu", [x([2, 3], { scale: 2 })], { approximate: "tanh" }),
  ...[0, 1, 2].map((r) => c(`mse_loss reduction ${r}`, A + "mse_loss", [x([2, 3]), x([2, 3], { scale: 2 }), r])),
  c("_softmax", A + "_softmax", [x([2, 3]), 1, false]),
  c("_log_softmax", A + "_log_softmax", [x([2, 3]), 0, false]),
  c("embedding", A + "embedding", [x([4, 3]), ints([0, 2, 2, 3], [2, 2])]),
  c("embedding padding", A + "embedding", [x([4, 3]), ints([0, 2, 1, 2]), 2]),
  c("native_layer_norm", A + "native_layer_norm", [x([2, 4]), [4], x([4], { offset: 1 }), x([4]), 1e-5], undefined, 0),
  c("native_layer_norm without affine", A + "native_layer_norm", [x([2, 3]), [3], null, null, 1e-5], undefined, 0),
  c("native_batch_norm train", A + "native_batch_norm", [x([4, 2]), x([2], { offset: 1 }), x([2]), null, null, true, 0.1, 1e-5], undefined, 0),
  c("native_batch_norm train 3d", A + "native_batch_norm", [x([3, 2, 2]), x([2], { offset: 1 }), x([2]), null, null, true, 0.1, 1e-5], undefined, 0),
  c(
    "native_batch_norm eval",
    A + "native_batch_norm",
    [x([3, 2]), x([2], { offset: 1 }), x([2]), x([2], { constant: true }), x([2], { scale: 0.5, offset: 1.5, constant: true }), false, 0.1, 1e-5],
    undefined,
    0,
  ),
  c("convolution", A + "convolution", [x([1, 2, 4, 4]), x([2, 2, 2, 2]), x([2]), [1, 1], [0, 0], [1, 1], false, [0, 0], 1]),
  c("convolution stride groups", A + "convolution", [x([1, 4, 5]), x([2, 2, 3]), null, [2], [1], [1], false, [0], 2]),
  c("convolution transposed", A + "convolution", [x([1, 2, 3]), x([2, 2, 2]), x([2]), [2], [0], [1], true, [1], 1]),
];

describe("gradgradcheck: second derivatives through the formulas agree with finite differences", () => {
  for (const cs of CASES) it(cs.label, () => gradgradcheck(cs));
});
