// binary_cross_entropy_with_logits against PyTorch 2.14 (test/fixtures/bce-with-logits.json, from
// scripts/fixtures/bce_with_logits.py): values, the one op a mode sees forward, the backward ops
// with createGraph, gradients of the input and the target, second derivatives, the module.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { errorOf } from "../error-of.js";
import type { Tensor } from "../../src/index.js";
import { OpLogMode } from "../aten/op-log.js";

const { nn } = torch;
const F = nn.functional;
interface Case {
  config: { weight?: boolean; pos_weight?: boolean; target_grad?: boolean; reduction?: "none" | "mean" | "sum" };
  loss: number[];
  forward_ops: string[];
  backward_ops: string[];
  grad_fn: string;
  grads: number[][];
  second: number[];
}
const fx = JSON.parse(readFileSync(new URL("../fixtures/bce-with-logits.json", import.meta.url), "utf8")) as Record<string, Case> & {
  module: { repr: string; state_keys: string[]; loss: number };
  size_error: [string, string];
};

function ar(shape: number[], scale = 1, offset = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return torch.tensor(Array.from({ length: n }, (_, i) => Math.fround((i / n - 0.3) * scale + offset))).reshape(shape);
}
const flat = (t: Tensor) => t.detach().reshape([-1]).tolist() as number[];
const close = (got: number[], want: number[]) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 5));
};

describe("binary_cross_entropy_with_logits", () => {
  for (const [name, c] of Object.entries(fx).filter(([k]) => k !== "module" && k !== "size_error") as Array<[string, Case]>) {
    it(`${name}: loss, node, forward and backward ops, gradients and second derivatives equal PyTorch's`, () => {
      const x = ar([3, 4], 6).requiresGrad_();
      const t = ar([3, 4], 1, 0.3).mul(0.9).add(0.05);
      if (c.config.target_grad) t.requiresGrad_();
      const weight = c.config.weight ? ar([3, 4], 1, 0.8) : null;
      const posWeight = c.config.pos_weight ? ar([4], 2, 1.2) : null;
      const fw = new OpLogMode();
      const loss = fw.run(() => F.binaryCrossEntropyWithLogits(x, t, { weight, posWeight, reduction: c.config.reduction ?? "mean" }));
      expect(fw.ops).toEqual(c.forward_ops);
      expect(loss.gradFn?.name()).toBe(c.grad_fn);
      close(flat(loss), c.loss);
      const out = loss.dim() === 0 ? loss : loss.mul(ar([3, 4], 1, 0.5)).sum();
      const bw = new OpLogMode();
      const gs = bw.run(() => torch.autograd.grad([out], c.config.target_grad ? [x, t] : [x], { createGraph: true }));
      expect(bw.ops).toEqual(c.backward_ops);
      gs.forEach((g, i) => close(flat(g!), c.grads[i]!));
      close(flat(torch.autograd.grad([gs[0]!.sum()], [x])[0]!), c.second);
    });
  }

  it("nn.BCEWithLogitsLoss keeps pos_weight as a buffer and prints as PyTorch", () => {
    const m = new nn.BCEWithLogitsLoss({ posWeight: torch.tensor([2]) });
    expect(String(m)).toBe(fx.module.repr);
    expect([...m.stateDict().keys()]).toEqual(fx.module.state_keys);
    expect((m.call(ar([2, 3], 4), torch.ones([2, 3]).mul(0.5)) as Tensor).item()).toBeCloseTo(fx.module.loss, 5);
  });

  it("rejects a target of another size with PyTorch's ValueError", () => {
    expect(errorOf(() => F.binaryCrossEntropyWithLogits(torch.zeros([2, 3]), torch.zeros([3])))).toEqual(fx.size_error);
  });
});
