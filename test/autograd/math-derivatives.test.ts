// Derivatives of the pointwise math ops against real PyTorch 2.14 (test/fixtures/autograd-math.json
// from scripts/fixtures/autograd_math.py): the node name, the input gradients for a fixed
// grad_output, and the ops a logging mode sees during backward() of (out * grad_output).sum().
// In-place cases run on a clone of the leaf.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { Tensor } from "../../src/tensor/tensor.js";
import { OpLogMode } from "../aten/op-log.js";
import { type Encoded, decode, expectMatches } from "../opinfo/fixture-codec.js";

interface GradCase {
  op: string;
  args: Encoded;
  kwargs: Record<string, Encoded>;
  grad_idx: number[];
  inplace: boolean;
  grad_fn: string;
  grad_out: Encoded;
  grads: Encoded[];
  backward_ops: string[];
}
const cases = JSON.parse(readFileSync(new URL("../fixtures/autograd-math.json", import.meta.url), "utf8")) as GradCase[];

describe("math derivatives match PyTorch 2.14", () => {
  cases.forEach((c, i) => {
    it(`${c.op} #${i}: ${c.grad_fn}, its gradients and the ops seen during backward`, () => {
      const args = decode(c.args) as unknown[];
      const leaves = args.map((a, k) => (c.grad_idx.includes(k) ? (a as Tensor).clone().requiresGrad_(true) : a));
      const call = leaves.slice();
      if (c.inplace) call[0] = (leaves[0] as Tensor).clone();
      const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, decode(v)]));
      const fn = torch.lookupOp(c.op)!;
      const out = (Object.keys(kwargs).length ? fn(...call, kwargs) : fn(...call)) as Tensor;
      expect(out.gradFn?.name()).toBe(c.grad_fn);
      const mode = new OpLogMode(true);
      const loss = out.mul(decode(c.grad_out) as Tensor).sum();
      mode.run(() => loss.backward());
      expect(mode.ops).toEqual(c.backward_ops);
      c.grad_idx.forEach((k, j) => expectMatches((leaves[k] as Tensor).grad, c.grads[j], `${c.op} grad of input ${k}`, 1e-7, 1e-9));
    });
  });
});
