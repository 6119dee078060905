// Gradcheck (float64 central differences) of the pointwise math formulas (MATH_CASES of
// gradcheck-cases-math.ts; their in-place forms that clone the original self run with
// gradcheck-inplace.test.ts).
import { describe, it } from "vitest";
import { MATH_CASES } from "./gradcheck-cases-math.js";
import { gradcheck } from "./gradcheck-harness.js";

describe("gradcheck: math formulas agree with finite differences", () => {
  for (const cs of MATH_CASES) it(cs.label, () => gradcheck(cs));
});
