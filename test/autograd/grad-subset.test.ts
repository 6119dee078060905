// autograd.grad for some of the inputs against PyTorch 2.14 (test/fixtures/autograd-grad-subset.json,
// from scripts/fixtures/autograd_grad_subset.py): only the nodes on a path to a requested gradient
// run, and only the gradients that lead to one are computed, as the ops a mode sees show.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { OpLogMode } from "../aten/op-log.js";

const fx = JSON.parse(readFileSync(new URL("../fixtures/autograd-grad-subset.json", import.meta.url), "utf8")) as Record<
  string,
  { ops: string[]; grads: Array<number[] | null> }
>;

function ar(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return torch.tensor(Array.from({ length: n }, (_, i) => Math.fround(i / n - 0.3))).reshape(shape).requiresGrad_();
}
const programs: Record<string, () => [Tensor, Tensor[]]> = {
  mul_other_only: () => {
    const [x, w] = [ar([2, 3]), ar([2, 3])];
    return [x.mul(w).sum(), [w]];
  },
  mm_weight_only: () => {
    const [x, w] = [ar([2, 3]), ar([3, 4])];
    return [x.mm(w).relu().sum(), [w]];
  },
  branch_not_needed: () => {
    const [x, w] = [ar([3]), ar([3])];
    return [x.exp().mul(w).sum().add(x.sin().sum()), [w]];
  },
  interior_input: () => {
    const h = ar([3]).mul(ar([3]));
    return [h.mul(2).sum(), [h]];
  },
  interior_and_leaf: () => {
    const [x, w] = [ar([3]), ar([3])];
    const h = x.mul(w);
    return [h.tanh().mul(2).sum(), [h, x]];
  },
  unused: () => {
    const [x, w] = [ar([3]), ar([3])];
    return [x.mul(2).sum(), [w]];
  },
};

describe("autograd.grad for some of the inputs", () => {
  it("every fixture program has one here", () => expect(Object.keys(programs).sort()).toEqual(Object.keys(fx).sort()));
  for (const [name, make] of Object.entries(programs)) {
    it(`${name}: runs only what leads to the requested gradients, as PyTorch`, () => {
      const want = fx[name]!;
      const [out, inputs] = make();
      const log = new OpLogMode();
      const gs = log.run(() => torch.autograd.grad([out], inputs, { allowUnused: true }));
      expect(log.ops).toEqual(want.ops);
      gs.forEach((g, i) => {
        const w = want.grads[i]!;
        if (w === null) expect(g).toBeNull();
        else (g!.reshape([-1]).tolist() as number[]).forEach((v, j) => expect(v).toBeCloseTo(w[j]!, 5));
      });
    });
  }
});
