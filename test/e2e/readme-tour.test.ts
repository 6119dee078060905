// The README's tour, run as written (in TypeScript): what it claims must hold.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, Tensor } from "../../src/index.js";

type Args = readonly unknown[];
type Kw = Readonly<Record<string, unknown>>;

describe("the README tour", () => {
  it("tensors, operators, a mode, a subclass, fake tensors, makeFx, profile, custom ops, autograd", () => {
    const x = torch.tensor([[1, 2], [3, 4]]);
    expect(String(x.add(x, { alpha: 2 }))).toBe("tensor([[ 3.,  6.],\n        [ 9., 12.]])");
    expect(x.t().isContiguous()).toBe(false);
    expect(String(torch.ops.aten.add.Tensor.schema)).toBe("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor");

    const seen: string[] = [];
    class LogMode extends torch.TorchDispatchMode {
      override torchDispatch(func: OpOverload, _t: Args, args: Args, kwargs: Kw) {
        seen.push(String(func));
        return func(...args, { ...kwargs });
      }
    }
    const bias = torch.ones([2]);
    new LogMode().run(() => torch.ops.aten.linear(x, x, bias));
    expect(seen).toEqual(["aten.t.default", "aten.addmm.default"]);
    seen.length = 0;
    new LogMode().run(() => torch.ops.aten.add(x, 2));
    expect(seen).toEqual(["aten.add.Tensor"]);

    class Wrapped extends torch.Tensor {
      inner!: Tensor;
      static override torchDispatch(func: OpOverload, _t: Args, args: Args, kwargs: Kw): unknown {
        const out = func(...args.map((a) => (a instanceof Wrapped ? a.inner : a)), { ...kwargs });
        return out instanceof torch.Tensor ? Wrapped.wrap(out) : out;
      }
      static wrap(inner: Tensor): Wrapped {
        const w = torch.Tensor.makeWrapperSubclass(Wrapped, inner.shape, { dtype: inner.dtype });
        w.inner = inner;
        return w;
      }
    }
    expect((Wrapped.wrap(x).mul(2) as Wrapped).inner.tolist()).toEqual([[2, 4], [6, 8]]);

    const fake = new torch.FakeTensorMode();
    expect([...fake.run(() => torch.randn([64, 784]).matmul(torch.randn([784, 256]))).shape]).toEqual([64, 256]);

    const gm = torch.makeFx((a: Tensor, b: Tensor) => a.matmul(b).relu())(x, x);
    expect(String(gm.graph)).toContain("torch.ops.aten.mm.default");
    expect((gm.forward(x, x) as Tensor).tolist()).toEqual(x.matmul(x).relu().tolist());

    const p = torch.profile(() => x.matmul(x).softmax(-1));
    expect(p.table()).toContain("aten::matmul");

    const lib = new torch.Library("readme", "DEF");
    lib.define("twice(Tensor x) -> Tensor");
    lib.impl("twice", (t: Tensor) => t.mul(2), "CPU");
    lib.impl("twice", (t: Tensor) => torch.emptyLike(t), "Meta");
    expect((torch.ops.readme.twice(x) as Tensor).tolist()).toEqual([[2, 4], [6, 8]]);
    expect([...(torch.ops.readme.twice(torch.empty([3], { device: "meta" })) as Tensor).shape]).toEqual([3]);
    lib.dispose();

    const w = torch.randn([2, 2], { requiresGrad: true });
    x.matmul(w).relu().sum().backward();
    expect([...w.grad!.shape]).toEqual([2, 2]);

    torch.manualSeed(0);
    const net = new torch.nn.Sequential(new torch.nn.Linear(8, 16), new torch.nn.ReLU(), new torch.nn.Linear(16, 3));
    const opt = new torch.optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
    const inputs = torch.randn([32, 8]);
    const targets = torch.randint(0, 3, [32]);
    const losses: number[] = [];
    for (let step = 0; step < 20; step++) {
      opt.zeroGrad();
      const loss = torch.nn.functional.crossEntropy(net.forward(inputs) as Tensor, targets);
      loss.backward();
      opt.step();
      losses.push(loss.item() as number);
    }
    expect(losses[19]!).toBeLessThan(losses[0]!);
  });
});
