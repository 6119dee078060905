// In-place ops whose derivative needs the original `self` (sin_, pow_, clamp_, log_): PyTorch
// clones self before the op; the gradients and the ops a mode sees, forward and backward, equal
// PyTorch 2.14's (test/fixtures/autograd-inplace.json, from scripts/fixtures/autograd_inplace.py).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, Tensor } from "../../src/index.js";

const fx = JSON.parse(readFileSync(new URL("../fixtures/autograd-inplace.json", import.meta.url), "utf8")) as Record<
  string,
  { grad: number[]; forward: string[]; backward: string[]; grad_fn: string }
>;

class Log extends torch.TorchDispatchMode {
  calls: string[] = [];
  override torchDispatch(func: OpOverload, _t: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    this.calls.push(String(func));
    return func(...args, { ...kwargs });
  }
}

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
      const fw = new Log();
      let y: Tensor | null = null;
      fw.run(() => {
        y = x.mul(1);
        f(y);
      });
      expect(y!.gradFn?.name()).toBe(want.grad_fn);
      const bw = new Log();
      bw.run(() => y!.sum().backward());
      (x.grad!.tolist() as number[]).forEach((g, i) => expect(g).toBeCloseTo(want.grad[i]!, 5));
      expect(fw.calls).toEqual(want.forward);
      expect(bw.calls).toEqual(want.backward);
    });
  }
});
