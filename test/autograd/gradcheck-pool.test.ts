// Gradcheck of the pooling formulas (cases in gradcheck-cases-pool.ts, also run by the nn table
// of gradcheck-2.test.ts for the coverage census) and of the composites (max_pool2d,
// adaptive_avg_pool2d, the 1-d forms), and gradgradcheck through the pooling ops' backward ops
// (their double-backward rows).
import { describe, it } from "vitest";
import { type Case, c, gradcheck, gradgradcheck, x } from "./gradcheck-harness.js";
import { POOL_CASES } from "./gradcheck-cases-pool.js";

const A = "aten::";

const COMPOSITE: Case[] = [
  c("max_pool2d", A + "max_pool2d", [x([2, 2, 4, 5]), [2, 2], [1, 2], [1, 1]]),
  c("adaptive_avg_pool2d", A + "adaptive_avg_pool2d", [x([2, 2, 5, 4]), [2, 3]]),
  c("adaptive_avg_pool2d 1x1 (mean)", A + "adaptive_avg_pool2d", [x([2, 3, 4]), [1, 1]]),
  c("max_pool1d", A + "max_pool1d", [x([2, 3, 7]), [3], [2], [1], [1], true]),
  c("max_pool1d_with_indices", A + "max_pool1d_with_indices", [x([3, 6]), [2]]),
  c("avg_pool1d", A + "avg_pool1d", [x([2, 3, 7]), [3], [2], [1], true, false]),
  c("adaptive_avg_pool1d", A + "adaptive_avg_pool1d", [x([2, 3, 7]), [4]]),
  c("adaptive_max_pool1d", A + "adaptive_max_pool1d", [x([3, 7]), [3]]),
];

const SECOND: Case[] = [
  c("max_pool2d_with_indices", A + "max_pool2d_with_indices", [x([1, 2, 4, 4]), [2, 2], [1, 1]]),
  c("max_pool2d", A + "max_pool2d", [x([2, 5, 6]), [3, 2], [2, 1], [1, 1], [1, 2], true]),
  c("avg_pool2d", A + "avg_pool2d", [x([2, 2, 4, 4]), [3, 3], [2, 2], [1, 1], true, false]),
  c("avg_pool2d divisor_override", A + "avg_pool2d", [x([2, 4, 5]), [2, 2], [1, 2], [0, 1], false, true, 3]),
  c("_adaptive_avg_pool2d", A + "_adaptive_avg_pool2d", [x([2, 2, 5, 7]), [3, 4]]),
  c("adaptive_avg_pool2d", A + "adaptive_avg_pool2d", [x([2, 3, 2]), [4, 3]]),
  c("adaptive_max_pool2d", A + "adaptive_max_pool2d", [x([1, 2, 5, 4]), [2, 3]]),
  c("max_pool1d", A + "max_pool1d", [x([2, 7]), [2], [1]]),
];

describe("gradcheck: pooling formulas agree with finite differences", () => {
  for (const cs of [...POOL_CASES, ...COMPOSITE]) it(cs.label, () => gradcheck(cs));
});
describe("gradgradcheck: pooling through its backward ops", () => {
  for (const cs of SECOND) it(cs.label, () => gradgradcheck(cs));
});
