// cumprod_backward (a CompositeImplicitAutograd aten op) against PyTorch 2.14
// (test/fixtures/autograd.json, "cumprod_backward" and the cumprod "ops" programs): its values and
// the ops a logging mode sees in and out of grad mode, and the paths a mode never takes (the
// data-dependent zero check, the writes into a buffer): the ops PyTorch's profiler shows inside
// it, gradients of cumprod computed without a mode, and second derivatives through the grad-mode
// decomposition.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, Tensor } from "../../src/index.js";

interface DirectCase {
  input: number[];
  shape: number[];
  dim: number;
  grad: number[];
  grad_mode: number[];
  grad_mode_ops: string[];
  no_grad: number[];
  no_grad_ops: string[];
  grad_mode_profiled: string[];
  no_grad_profiled: string[];
  first: number[];
  second: number[];
}
interface Program {
  inputs: Array<{ shape: number[]; values?: number[]; grad: boolean }>;
  calls: Array<[string, unknown[], Record<string, unknown>]>;
  grads: Record<string, number[]>;
}

const fixtures = JSON.parse(readFileSync(new URL("../fixtures/autograd.json", import.meta.url), "utf8")) as {
  cumprod_backward: Record<string, DirectCase>;
  ops: Record<string, Program>;
};

class Log extends torch.TorchDispatchMode {
  calls: string[] = [];
  override torchDispatch(func: OpOverload, _t: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    this.calls.push(String(func));
    return func(...args, { ...kwargs });
  }
}

const cumprodBackward = torch.lookupOp("aten::cumprod_backward")!;
const cumprod = (x: Tensor, dim: number): Tensor => torch.lookupOp("aten::cumprod")!(x, dim) as Tensor;
const flat = (t: Tensor): number[] => t.detach().reshape([-1]).tolist() as number[];

function close(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `${what}[${i}]: ${g} vs ${want[i]}`).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(want[i]!)));
}

describe("cumprod_backward called directly matches PyTorch 2.14", () => {
  for (const [name, cs] of Object.entries(fixtures.cumprod_backward)) {
    const x = () => torch.tensor(cs.input).reshape(cs.shape);
    const g = () => torch.tensor(cs.grad).reshape(cs.shape);
    for (const gradMode of [true, false]) {
      const key = gradMode ? "grad_mode" : "no_grad";
      it(`given ${name}, when it runs ${gradMode ? "in grad mode" : "under no_grad"}, then its values match with and without a logging mode, and the mode sees PyTorch's ops`, () => {
        const input = x();
        const output = cumprod(input, cs.dim);
        const grad = g();
        const run = () => (gradMode ? cumprodBackward(grad, input, cs.dim, output) : torch.noGrad(() => cumprodBackward(grad, input, cs.dim, output))) as Tensor;
        close(flat(run()), cs[key], "without a mode");
        const log = new Log();
        const logged = log.run(run);
        close(flat(logged), cs[key], "under the mode");
        expect(log.calls).toEqual(cs[`${key}_ops`]);
      });
      it(`given ${name}, when it runs ${gradMode ? "in grad mode" : "under no_grad"} without a mode, then the profiler shows PyTorch's ops inside it`, () => {
        const input = x();
        const output = cumprod(input, cs.dim);
        const grad = g();
        const run = () => (gradMode ? cumprodBackward(grad, input, cs.dim, output) : torch.noGrad(() => cumprodBackward(grad, input, cs.dim, output)));
        const events = torch.profile(run).events;
        const root = events.find((e) => e.name === "aten::cumprod_backward")!;
        expect(events.filter((e) => e.depth === root.depth + 1).map((e) => e.name)).toEqual(cs[`${key}_profiled`]);
      });
    }
    it(`given ${name}, when cumprod is differentiated twice without a mode, then both derivatives match PyTorch's`, () => {
      const input = x().requiresGrad_(true);
      const [g1] = torch.autograd.grad([cumprod(input, cs.dim).mul(g()).sum()], [input], { createGraph: true });
      close(flat(g1!), cs.first, "first derivative");
      const [g2] = torch.autograd.grad([g1!.mul(g1!).sum()], [input]);
      close(flat(g2!), cs.second, "second derivative");
    });
  }
});

describe("cumprod's gradient without a mode matches PyTorch 2.14 (the fixture programs)", () => {
  for (const [name, p] of Object.entries(fixtures.ops).filter(([n]) => n.startsWith("cumprod"))) {
    it(`given ${name}, when backward runs without a logging mode, then the gradient is PyTorch's`, () => {
      const [spec] = p.inputs;
      if (!spec?.values) return; // arange-based inputs have no zeros: the fixture test covers them
      const input = torch.tensor(spec.values).reshape(spec.shape).requiresGrad_(true);
      let y: Tensor = input;
      for (const [op, args, kwargs] of p.calls) {
        const rest = args.slice(1);
        y = (Object.keys(kwargs).length ? torch.lookupOp(op)!(y, ...rest, kwargs) : torch.lookupOp(op)!(y, ...rest)) as Tensor;
      }
      const n = y.numel();
      const w = torch.tensor(Array.from({ length: n }, (_, i) => ((i % 5) + 1) / 5)).reshape([...y.shape]);
      y.mul(w).sum().backward();
      close(flat(input.grad!), p.grads["0"]!, "gradient");
    });
  }
});
