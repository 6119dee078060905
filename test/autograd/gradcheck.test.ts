// Gradcheck of the arithmetic, elementwise, selection and reduction formulas: each case's
// autograd gradients against central differences in float64 (eps 1e-6, atol 1e-5, rtol 1e-3),
// including broadcasting and in-place forms. The other families are in gradcheck-2.test.ts.
import { describe, it } from "vitest";
import { ARITH_CASES, POINTWISE_CASES, REDUCE_CASES, SELECT_CASES } from "./gradcheck-cases.js";
import { type Case, gradcheck } from "./gradcheck-harness.js";

const tables: Record<string, Case[]> = { arith: ARITH_CASES, pointwise: POINTWISE_CASES, select: SELECT_CASES, reduce: REDUCE_CASES };
for (const [family, cases] of Object.entries(tables)) {
  describe(`gradcheck: ${family} formulas agree with finite differences`, () => {
    for (const cs of cases) it(cs.label, () => gradcheck(cs));
  });
}
