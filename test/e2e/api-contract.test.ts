// The names and shapes of api.md (the public contract), used as a user would use them.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, Tensor } from "../../src/index.js";

describe("api.md's contract", () => {
  it("tensors and their methods", () => {
    const x = torch.tensor([[1, 2], [3, 4]]);
    expect(x.dtype).toBe("float32");
    expect(torch.tensor([true, false]).dtype).toBe("bool");
    expect(torch.tensor([1n, 2n]).dtype).toBe("int64");
    expect(torch.tensor([1.5, 2], { dtype: "float64" }).dtype).toBe("float64");
    expect([...x.shape]).toEqual([2, 2]);
    expect(x.size()).toEqual([2, 2]);
    expect(x.size(1)).toBe(2);
    expect(x.device).toBe("cpu");
    expect([x.stride(), x.storageOffset(), x.isContiguous(), x.numel(), x.dim()]).toEqual([[2, 1], 0, true, 4, 2]);
    expect((x.sum(1, true) as Tensor).tolist()).toEqual([[3], [7]]);
    expect(x.view([4]).tolist()).toEqual([1, 2, 3, 4]);
    expect(x.reshape([-1]).shape).toEqual([4]);
    expect(x.transpose(0, 1).tolist()).toEqual(x.permute([1, 0]).tolist());
    expect(x.t().tolist()).toEqual([[1, 3], [2, 4]]);
    expect(torch.tensor([1, 2]).expand([2, 2]).tolist()).toEqual([[1, 2], [1, 2]]);
    expect(torch.tensor([3]).item()).toBe(3);
    expect(String(torch.empty([2, 3], { device: "meta" }))).toBe("tensor(..., device='meta', size=(2, 3))");
    expect(torch.ones([2], { dtype: "int64" }).dtype).toBe("int64");
    torch.manualSeed(0);
    expect(torch.rand([3]).shape).toEqual([3]);
    expect(x.logSoftmax(-1).shape).toEqual([2, 2]);
  });

  it("operators, their names, packets and schemas", () => {
    expect(String(torch.ops.aten.add.Tensor)).toBe("aten.add.Tensor");
    expect(torch.ops.aten.add.Tensor.name).toBe("aten::add.Tensor");
    expect(String(torch.ops.aten.zeros.default)).toBe("aten.zeros.default");
    expect(torch.ops.aten.zeros.default.name).toBe("aten::zeros");
    expect(String(torch.parseSchema("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor"))).toBe(
      "aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor",
    );
    const [values, indices] = torch.ops.aten.max.dim(torch.tensor([[1, 5], [7, 2]]), 1) as Tensor[];
    expect([values!.tolist(), indices!.tolist()]).toEqual([[5, 7], [1, 0]]);
    expect(torch.dispatcher.listOperators()).toContain("aten::add.Tensor");
    expect(String(torch.dispatcher.tlsLocalIncludeSet())).toBe("DispatchKeySet(BackendSelect, ADInplaceOrView)");
    expect(torch.dispatcher.dumpTable("aten::add.Tensor")).toContain("CPU: registered at");
  });

  it("libraries, fallthroughs, modes entered with using, pyImpl", () => {
    const lib = new torch.Library("apic", "DEF");
    lib.define("twice(Tensor x) -> Tensor");
    lib.impl("twice", (x: Tensor) => x.mul(2), "CPU");
    lib.impl("twice", torch.fallthrough, "Python");
    const x = torch.tensor([1, 2]);
    expect((torch.ops.apic.twice(x) as Tensor).tolist()).toEqual([2, 4]);
    const seen: string[] = [];
    class LogMode extends torch.TorchDispatchMode {
      override torchDispatch(func: OpOverload, _types: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
        seen.push(String(func));
        return func(...args, { ...kwargs });
      }
    }
    {
      using _ = new LogMode().enter();
      expect(torch.getCurrentDispatchMode()).toBeInstanceOf(LogMode);
      expect(torch.dispatchModeStack()).toHaveLength(1);
      x.add(x);
    }
    expect(seen).toEqual(["aten.add.Tensor"]);
    const h = torch.ops.apic.twice.default.pyImpl("CPU", (_ks: torch.DispatchKeySet, t: Tensor) => t.mul(3));
    expect((torch.enablePythonDispatcher(() => torch.ops.apic.twice(x)) as Tensor).tolist()).toEqual([3, 6]);
    h.dispose();
    lib.dispose();
  });

  it("autograd, custom Functions, nn and optim", () => {
    const w = torch.randn([3, 4], { requiresGrad: true });
    const x = torch.randn([2, 3]);
    const loss = x.matmul(w).relu().pow(2).mean();
    expect(loss.gradFn?.name()).toBe("MeanBackward0");
    const [g] = torch.autograd.grad([loss], [w], { retainGraph: true, createGraph: false });
    loss.backward();
    expect((w.grad!.tolist() as number[][]).flat()).toEqual((g!.tolist() as number[][]).flat());
    expect(torch.noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(x.detach().requiresGrad).toBe(false);
    class Square extends torch.autograd.Function {
      static override forward(ctx: torch.FunctionCtx, t: Tensor) {
        ctx.saveForBackward(t);
        return t.mul(t);
      }
      static override backward(ctx: torch.FunctionCtx, gr: Tensor) {
        return gr.mul(ctx.savedTensors[0]!).mul(2);
      }
    }
    const v = torch.tensor([1, 2], { requiresGrad: true });
    (Square.apply(v) as Tensor).sum().backward();
    expect(v.grad!.tolist()).toEqual([2, 4]);
    const net = new torch.nn.Sequential(new torch.nn.Linear(784, 256), new torch.nn.ReLU(), new torch.nn.Linear(256, 10));
    const opt = new torch.optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
    const logits = net.forward(torch.randn([4, 784])) as Tensor;
    const l = torch.nn.functional.crossEntropy(logits, torch.tensor([1n, 2n, 3n, 4n]));
    opt.zeroGrad();
    l.backward();
    opt.step();
    expect(torch.nn.functional.linear(torch.ones([1, 2]), torch.ones([3, 2]), torch.zeros([3])).tolist()).toEqual([[2, 2, 2]]);
  });
});
