// Second derivatives through the formulas (createGraph): the backward graph of a formula is itself
// differentiated (through mul/div/..., and the double-backward rows of threshold_backward,
// sigmoid_backward, tanh_backward, select_backward, slice_backward...), against finite differences.
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
];

describe("gradgradcheck: second derivatives through the formulas agree with finite differences", () => {
  for (const cs of CASES) it(cs.label, () => gradgradcheck(cs));
});
