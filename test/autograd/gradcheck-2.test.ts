// Gradcheck of the view, indexing, matrix-product and nn formulas and of the double-backward
// formulas of backward ops (float64 central differences, eps 1e-6, atol 1e-5, rtol 1e-3), and a
// check that every registered derivative row is exercised by some gradcheck case.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, Tensor } from "../../src/index.js";
import { DERIVATIVES } from "../../src/autograd/index.js";
import { ARITH_CASES, POINTWISE_CASES, REDUCE_CASES, SELECT_CASES } from "./gradcheck-cases.js";
import { BACKWARD_CASES, INDEX_CASES, LINALG_CASES, LIST_CASES, NN_CASES, NOT_GRADCHECKED, SHAPE_CASES } from "./gradcheck-cases-2.js";
import { DOUBLE_BACKWARD_CASES, NOT_GRADCHECKED_BACKWARD } from "./gradcheck-cases-backward.js";
import { type Case, gradcheck } from "./gradcheck-harness.js";
import { MATH_CASES } from "./gradcheck-cases-math.js";

/** Does the autograd kernel give a TensorList input (cat, stack) one edge per element? */
const listInputs = (() => {
  const a = torch.tensor([1, 2], { dtype: "float64" }).requiresGrad_(true);
  return (torch.ops.aten.cat as unknown as (ts: Tensor[]) => Tensor)([a]).gradFn?.name() === "CatBackward0";
})();

const tables: Record<string, Case[]> = {
  shape: SHAPE_CASES,
  index: INDEX_CASES,
  linalg: LINALG_CASES,
  nn: NN_CASES,
  "backward ops": BACKWARD_CASES,
  "double-backward rows": DOUBLE_BACKWARD_CASES,
};
for (const [family, cases] of Object.entries(tables)) {
  describe(`gradcheck: ${family} formulas agree with finite differences`, () => {
    for (const cs of cases) it(cs.label, () => gradcheck(cs));
  });
}
describe("gradcheck: TensorList inputs (cat, stack)", () => {
  for (const cs of LIST_CASES) it.skipIf(!listInputs)(cs.label, () => gradcheck(cs));
});

class Seen extends torch.TorchDispatchMode {
  ops = new Set<string>();
  override torchDispatch(func: OpOverload, _t: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    this.ops.add(`aten::${String(func).replace(/^aten\./, "").replace(/\.default$/, "")}`);
    return func(...args, { ...kwargs });
  }
}

describe("gradcheck coverage", () => {
  it("exercises every registered differentiable formula in the forward pass of some case", () => {
    const all = [...ARITH_CASES, ...POINTWISE_CASES, ...MATH_CASES, ...SELECT_CASES, ...REDUCE_CASES, ...SHAPE_CASES, ...INDEX_CASES, ...LINALG_CASES, ...NN_CASES, ...BACKWARD_CASES, ...DOUBLE_BACKWARD_CASES];
    const seen = new Seen();
    for (const cs of listInputs ? [...all, ...LIST_CASES] : all) {
      try {
        seen.run(() => gradcheckForward(cs));
      } catch {
        // a failing case is reported by its own test
      }
    }
    const zeroRows = /^aten::(eq|ne|gt|ge|lt|le)_\.|^aten::(uniform_|normal_|bernoulli_|random_|zero_|fill_\.Scalar)/;
    // rows derived for in-place ops (saveBefore) have their own gradcheck file
    const missing = DERIVATIVES.filter((d) => d.inputs.length > 0 && d.saveBefore === undefined && torch.lookupOp(d.op) !== undefined)
      .map((d) => d.op)
      .filter((o) => !seen.ops.has(o) && !NOT_GRADCHECKED.includes(o) && !NOT_GRADCHECKED_BACKWARD.includes(o) && !zeroRows.test(o) && (listInputs || !["aten::cat", "aten::stack"].includes(o)));
    expect(missing).toEqual([]);
  });
});

/** Runs a case's forward only (for the coverage census). */
function gradcheckForward(cs: Case): void {
  gradcheck(cs, 1e-6, Infinity, 0);
}
