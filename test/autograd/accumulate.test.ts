// How .grad takes its first gradient, against PyTorch 2.14 (test/fixtures/autograd-accumulate.json,
// from scripts/fixtures/autograd_accumulate.py): a gradient the caller still holds (the ones it
// passed to backward, or backward's default ones) is copied; one made inside the pass is stolen.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { OpLogMode } from "../aten/op-log.js";

const fx = JSON.parse(readFileSync(new URL("../fixtures/autograd-accumulate.json", import.meta.url), "utf8")) as Record<
  string,
  { ops: string[]; aliases_grad: boolean; grad: number[] | number }
>;

const leaf = () => torch.ones([3]).requiresGrad_();
const grad = () => torch.full([3], 2.5);
const programs: Record<string, () => [Tensor, Tensor, Tensor | undefined]> = {
  leaf_itself: () => {
    const x = leaf();
    return [x, x, grad()];
  },
  through_identity_add: () => {
    const x = leaf();
    return [x, x.add(0), grad()];
  },
  through_mul: () => {
    const x = leaf();
    return [x, x.mul(3), grad()];
  },
  scalar_default: () => {
    const x = torch.tensor(1).requiresGrad_();
    return [x, x, undefined];
  },
  sum_default: () => {
    const x = leaf();
    return [x, x.sum(), undefined];
  },
};

describe("AccumulateGrad", () => {
  it("every fixture program has one here", () => expect(Object.keys(programs).sort()).toEqual(Object.keys(fx).sort()));
  for (const [name, make] of Object.entries(programs)) {
    it(`${name}: copies a gradient the caller holds and steals one made in the pass, as PyTorch`, () => {
      const want = fx[name]!;
      const [x, out, g] = make();
      const log = new OpLogMode();
      log.run(() => out.backward(g));
      expect(log.ops).toEqual(want.ops);
      expect(g !== undefined && x.grad!._storage === g._storage).toBe(want.aliases_grad);
      expect(x.grad!.tolist()).toEqual(want.grad);
    });
  }
});
