// Autograd against real PyTorch 2.14 (test/fixtures/autograd.json from
// scripts/fixtures/autograd_fixtures.py): losses, gradients, the ops a logging mode sees during
// backward(), double backward, and the error texts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, Tensor } from "../../src/index.js";

interface Program {
  loss: number;
  grads: Record<string, number[] | null>;
  backward_ops: string[];
  grad_fn: string;
}
const fx = JSON.parse(readFileSync(new URL("../fixtures/autograd.json", import.meta.url), "utf8")) as Record<string, unknown>;

function ar(shape: number[], scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return torch.tensor(Array.from({ length: n }, (_, i) => (i / n - 0.3) * scale), { dtype: "float64" }).to("float32").reshape(shape);
}
const leaf = (t: Tensor) => t.clone().requiresGrad_(true);
const aten = torch.ops.aten;

class Log extends torch.TorchDispatchMode {
  calls: string[] = [];
  override torchDispatch(func: OpOverload, _t: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    this.calls.push(String(func));
    return func(...args, { ...kwargs });
  }
}

type Case = [() => Tensor[], (...ts: Tensor[]) => Tensor, Record<string, number>];
const programs: Record<string, Case> = {
  mlp_mse: [
    () => [ar([4, 3]), leaf(ar([5, 3])), leaf(ar([5])), leaf(ar([2, 5])), leaf(ar([2]))],
    (x, w1, b1, w2, b2) => (aten.linear((aten.linear(x, w1, b1) as Tensor).relu(), w2, b2) as Tensor).pow(2).mean(),
    { w1: 1, b1: 2, w2: 3, b2: 4 },
  ],
  softmax_cross_entropy: [() => [leaf(ar([3, 4], 3)), torch.tensor([1n, 0n, 3n])], (x, t) => aten.cross_entropy_loss(x, t) as Tensor, { x: 0 }],
  matmul_broadcast_add: [() => [leaf(ar([2, 3])), leaf(ar([3, 4])), leaf(ar([4]))], (a, b, c) => a.matmul(b).add(c).sum(), { a: 0, b: 1, c: 2 }],
  exp_mul_div: [() => [leaf(ar([3])), leaf(ar([3], -2).add(2))], (a, b) => a.exp().mul(b).div(b.add(1)).sum(), { a: 0, b: 1 }],
  sigmoid_tanh_mean: [() => [leaf(ar([2, 3]))], (a) => a.sigmoid().add(a.tanh()).mean(), { a: 0 }],
  view_transpose_expand: [() => [leaf(ar([2, 3]))], (a) => a.view([3, 2]).t().unsqueeze(0).expand([2, 2, 3]).mul(2).sum(), { a: 0 }],
  log_softmax_nll: [() => [leaf(ar([2, 5])), torch.tensor([4n, 1n])], (x, t) => aten.nll_loss(x.logSoftmax(-1), t) as Tensor, { x: 0 }],
};

function close(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(want[i]!)));
}

describe("autograd matches PyTorch 2.14", () => {
  for (const [name, [make, fn, params]] of Object.entries(programs)) {
    const want = fx[name] as Program;
    it(`${name}: loss, grad_fn, gradients, and the ops seen during backward`, () => {
      const ts = make();
      const loss = fn(...ts);
      expect(loss.gradFn?.name()).toBe(want.grad_fn);
      close([loss.item() as number], [want.loss]);
      const log = new Log();
      log.run(() => loss.backward());
      for (const [k, i] of Object.entries(params)) close((ts[i]!.grad!.reshape([-1]).tolist() as number[]), want.grads[k]!);
      expect(log.calls).toEqual(want.backward_ops);
    });
  }

  it("double backward through createGraph", () => {
    const want = fx.double_backward as { g: number[]; gg: number[]; g_grad_fn: string };
    const x = leaf(ar([3]));
    const [g] = torch.autograd.grad([x.mul(x).mul(x).sum()], [x], { createGraph: true });
    expect(g!.gradFn?.name()).toBe(want.g_grad_fn);
    close(g!.tolist() as number[], want.g);
    const [gg] = torch.autograd.grad([g!.sum()], [x]);
    close(gg!.tolist() as number[], want.gg);
  });

  const errors = fx.errors as Record<string, [string, string]>;
  const errorCases: Record<string, () => void> = {
    leaf_view_inplace: () => leaf(ar([2, 2])).view([4]).mul_(2),
    leaf_inplace: () => leaf(ar([2])).add_(1),
    modified_saved: () => {
      const y = leaf(ar([3])).exp();
      y.add_(1);
      y.sum().backward();
    },
    backward_twice: () => {
      const a = leaf(ar([3]));
      const y = a.mul(a).sum();
      y.backward();
      y.backward();
    },
    nonscalar: () => leaf(ar([3])).mul(2).backward(),
    no_requires_grad: () => ar([3]).sum().backward(),
  };
  for (const [name, run] of Object.entries(errorCases)) {
    it(`raises PyTorch's error: ${name}`, () => {
      const [type, message] = errors[name]!;
      let thrown: Error | null = null;
      try {
        run();
      } catch (e) {
        thrown = e as Error;
      }
      expect(thrown?.name).toBe(type);
      expect(thrown?.message).toBe(message);
    });
  }
});
