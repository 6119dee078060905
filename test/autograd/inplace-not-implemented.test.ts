// In-place ops for which PyTorch has no derivative (asinh_, acosh_, atanh_): the forward records
// a node, and backward through it raises PyTorch's error instead of passing the gradient on.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";

describe("in-place inverse hyperbolic functions under autograd", () => {
  for (const [op, node] of [
    ["asinh_", "AsinhBackward1"],
    ["acosh_", "AcoshBackward1"],
    ["atanh_", "AtanhBackward1"],
  ] as const) {
    it(`given x requiring grad, when ${op} runs on x * 1 and backward is called, then PyTorch's error is raised`, () => {
      const x = torch.tensor([1.1, 1.2], { requiresGrad: true });
      const y = x.mul(op === "atanh_" ? 0.5 : 1);
      y[op]();
      expect(y.gradFn?.name()).toBe(node);
      expect(() => y.sum().backward()).toThrow(`the derivative for 'inplace version of ${op.slice(0, -1)}' is not implemented.`);
      expect(x.grad).toBeNull();
    });
  }
});
