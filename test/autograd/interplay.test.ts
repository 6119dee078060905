// Autograd and the Python key: autograd runs above the Python key, so a wrapper subclass with
// requiresGrad gets a grad_fn and its handler sees the op once (scenario 29); modes see backward
// ops as plain aten calls; backward opens backward_function ranges named after the nodes.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, Tensor } from "../../src/index.js";
import { addGlobalCallback } from "../../src/dispatcher/record-function.js";

type Args = readonly unknown[];
type Kw = Readonly<Record<string, unknown>>;

class W extends torch.Tensor {
  inner!: Tensor;
  static seen: Array<[string, string[]]> = [];
  static wrap(t: Tensor, requiresGrad = false): W {
    const w = torch.Tensor.makeWrapperSubclass(W, t.shape, { dtype: t.dtype, requiresGrad });
    w.inner = t;
    return w;
  }
  static override torchDispatch(func: OpOverload, types: Args, args: Args, kwargs: Kw): unknown {
    W.seen.push([String(func), types.map((c) => (c as { name: string }).name)]);
    const un = (a: unknown): unknown => (a instanceof W ? a.inner : Array.isArray(a) ? a.map(un) : a);
    const out = func(...args.map(un), Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, un(v)])));
    return out instanceof torch.Tensor ? W.wrap(out) : Array.isArray(out) ? out.map((o) => (o instanceof torch.Tensor ? W.wrap(o) : o)) : out;
  }
}

describe("autograd with modes and subclasses", () => {
  it("given a wrapper subclass with requiresGrad, when w.mul(2), then autograd records MulBackward0 above the handler, which sees aten.mul.Tensor once (scenario 29)", () => {
    W.seen = [];
    const w = W.wrap(torch.tensor([1, 2]), true);
    const y = w.mul(w);
    expect(y.gradFn?.name()).toBe("MulBackward0");
    expect(W.seen).toEqual([["aten.mul.Tensor", ["W"]]]);
  });

  it("a mode active during backward sees the backward ops as aten calls", () => {
    const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const w = torch.tensor([[0.5, 1], [1, 0.5]], { requiresGrad: true });
    const loss = x.matmul(w).sum();
    const { log } = torch.LoggingMode.record(() => loss.backward());
    expect(log.map((c) => c.op)).toContain("aten.mm.default");
    expect(log[0]!.op).toBe("aten.ones_like.default");
    expect(x.grad!.tolist()).toEqual([[1.5, 1.5], [1.5, 1.5]]);
  });

  it("backward opens an evaluate_function range per node with the node's own backward_function range inside, as PyTorch's profiler shows", () => {
    const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const loss = x.matmul(x).sum();
    const ranges: string[] = [];
    const h = addGlobalCallback({ scopes: ["function", "backward_function"], start: (ev) => void ranges.push(`${ev.scope} ${ev.name}`) });
    loss.backward();
    h.remove();
    const nodes = ranges.filter((r) => !r.startsWith("function aten::"));
    // PyTorch 2.14's profiler events for this program (torch.profiler, cpu_parent chain)
    expect(nodes).toEqual([
      "function autograd::engine::evaluate_function: SumBackward0",
      "backward_function SumBackward0",
      "function autograd::engine::evaluate_function: MmBackward0",
      "backward_function MmBackward0",
      "function autograd::engine::evaluate_function: torch::autograd::AccumulateGrad",
      "backward_function torch::autograd::AccumulateGrad",
    ]);
  });

  it("noGrad and enableGrad switch recording; detach cuts the graph; isLeaf and requiresGrad_ behave as PyTorch", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    expect(torch.noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(torch.noGrad(() => torch.enableGrad(() => x.mul(2))).requiresGrad).toBe(true);
    const y = x.mul(2);
    expect(y.isLeaf).toBe(false);
    expect(() => y.requiresGrad_(false)).toThrow("you can only change requires_grad flags of leaf variables.");
    expect(torch.tensor([1]).requiresGrad_().requiresGrad).toBe(true);
    expect(() => torch.tensor([1], { dtype: "int64" }).requiresGrad_()).toThrow("only Tensors of floating point dtype can require gradients");
  });

  it("custom autograd.Function: forward without recording, backward with ctx.savedTensors", () => {
    class Square extends torch.AutogradFunction {
      static override forward(ctx: torch.FunctionCtx, x: Tensor) {
        ctx.saveForBackward(x);
        return x.mul(x);
      }
      static override backward(ctx: torch.FunctionCtx, g: Tensor) {
        const [x] = ctx.savedTensors;
        return g.mul(x!).mul(2);
      }
    }
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const y = Square.apply(x) as Tensor;
    expect(y.gradFn?.name()).toBe("SquareBackward");
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 4, 6]);
  });

  it("hooks can replace a gradient; retainGrad keeps a non-leaf's grad", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    y.retainGrad();
    x.registerHook((g) => g.mul(10));
    y.sum().backward();
    expect(y.grad!.tolist()).toEqual([1, 1]);
    expect(x.grad!.tolist()).toEqual([30, 30]);
  });
});
