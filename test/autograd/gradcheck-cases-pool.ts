// Gradcheck cases of the 2-d pooling formulas (src/autograd/derivatives-pool.ts): the forward ops
// (3-d and 4-d inputs, stride/padding/dilation/ceil_mode, count_include_pad, divisor_override,
// adaptive sizes that do not divide the input) and the backward ops as functions of their own
// inputs (their double-backward rows). The harness's inputs are distinct, so no max-pool ties.
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { type Case, c, f, x } from "./gradcheck-harness.js";

const A = "aten::";
const ops = torch.ops.aten;

/** The indices of max_pool2d_with_indices (no gradient) for a backward-op case. */
const indicesOf = (s: Tensor, k: number[], st: number[], p: number[], d: number[], ceil: boolean): Tensor =>
  torch.noGrad(() => (ops.max_pool2d_with_indices.default(s.detach(), k, st, p, d, ceil) as Tensor[])[1]!);

export const POOL_CASES: Case[] = [
  c("max_pool2d_with_indices", A + "max_pool2d_with_indices", [x([2, 2, 4, 4]), [2, 2]]),
  c("max_pool2d_with_indices padded, dilated, ceil", A + "max_pool2d_with_indices", [x([2, 5, 6]), [3, 2], [2, 1], [1, 1], [1, 2], true]),
  c("max_pool2d_with_indices overlapping windows", A + "max_pool2d_with_indices", [x([1, 2, 5, 4]), [3, 3], [1, 1], [1, 1]]),
  c("avg_pool2d", A + "avg_pool2d", [x([2, 2, 4, 4]), [2, 2]]),
  c("avg_pool2d padded, ceil, exclude pad", A + "avg_pool2d", [x([2, 5, 6]), [3, 3], [2, 2], [1, 1], true, false]),
  c("avg_pool2d divisor_override", A + "avg_pool2d", [x([1, 2, 5, 5]), [2, 3], [1, 2], [1, 1], false, true, 3]),
  c("_adaptive_avg_pool2d", A + "_adaptive_avg_pool2d", [x([2, 2, 5, 7]), [3, 4]]),
  c("_adaptive_avg_pool2d unbatched, upsampling", A + "_adaptive_avg_pool2d", [x([2, 3, 2]), [4, 3]]),
  f(
    "max_pool2d_with_indices_backward",
    (g, s) => ops.max_pool2d_with_indices_backward.default(g, s, [3, 2], [2, 1], [1, 1], [1, 1], true, indicesOf(s, [3, 2], [2, 1], [1, 1], [1, 1], true)),
    [x([2, 3, 5]), x([2, 5, 4], { constant: true })],
  ),
  c("adaptive_max_pool2d", A + "adaptive_max_pool2d", [x([2, 2, 5, 7]), [3, 4]]),
  c("adaptive_max_pool2d unbatched", A + "adaptive_max_pool2d", [x([2, 4, 3]), [3, 2]]),
  f(
    "adaptive_max_pool2d_backward",
    (g, s) => ops.adaptive_max_pool2d_backward.default(g, s, torch.noGrad(() => (ops.adaptive_max_pool2d.default(s.detach(), [2, 3]) as Tensor[])[1]!)),
    [x([2, 2, 3]), x([2, 5, 4], { constant: true })],
  ),
  c("avg_pool2d_backward", A + "avg_pool2d_backward", [x([2, 2, 3, 3]), x([2, 2, 5, 5], { constant: true }), [3, 3], [2, 2], [1, 1], true, false, null]),
  c("avg_pool2d_backward divisor_override", A + "avg_pool2d_backward", [x([1, 2, 2]), x([1, 4, 5], { constant: true }), [2, 2], [2, 2], [0, 0], false, true, 3]),
  c("_adaptive_avg_pool2d_backward", A + "_adaptive_avg_pool2d_backward", [x([2, 2, 3, 4]), x([2, 2, 5, 7], { constant: true })]),
];
