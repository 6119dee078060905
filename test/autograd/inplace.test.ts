// In-place ops whose derivative needs the original `self` (sin_, pow_, clamp_, log_): PyTorch
// clones self before the op; the gradients and the ops a mode sees, forward and backward, equal
// PyTorch 2.14's (test/fixtures/autograd-inplace.json, from scripts/fixtures/autograd_inplace.py).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { OpLogMode } from "../aten/op-log.js";
import type { Tensor } from "../../src/index.js";

const fx = JSON.parse(readFileSync(new URL("../fixtures/autograd-inplace.json", import.meta.url), "utf8")) as Record<
  string,
  { grad: number[]; forward: string[]; backward: string[]; grad_fn: string }
>;


const programs: Record<string, (y: Tensor) => unknown> = {
  sin_: (y) => torch.ops.aten.sin_.default(y),
  pow_: (y) => torch.ops.aten.pow_.Scalar(y, 3),
  clamp_: (y) => torch.ops.aten.clamp_.default(y, 0.2, 0.6),
  log_: (y) => torch.ops.aten.log_.default(y),
};

describe("in-place ops that need the original self", () => {
  for (const [name, f] of Object.entries(programs)) {
    it(`${name}: gradient, node, and the ops seen forward and backward equal PyTorch's`, () => {
      const want = fx[name]!;
      const x = torch.tensor([0.1, 0.4, 0.7], { requiresGrad: true });
      const fw = new OpLogMode();
      let y: Tensor | null = null;
      fw.run(() => {
        y = x.mul(1);
        f(y);
      });
      expect(y!.gradFn?.name()).toBe(want.grad_fn);
      const bw = new OpLogMode();
      bw.run(() => y!.sum().backward());
      (x.grad!.tolist() as number[]).forEach((g, i) => expect(g).toBeCloseTo(want.grad[i]!, 5));
      expect(fw.ops).toEqual(want.forward);
      expect(bw.ops).toEqual(want.backward);
    });
  }
});
