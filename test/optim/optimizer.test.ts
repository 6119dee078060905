// optim.SGD and optim.Adam against PyTorch 2.14 on fixed gradients (every option: momentum,
// dampening, weight decay, Nesterov, maximize, betas, eps, AMSGrad, decoupled weight decay),
// plus parameter groups, zeroGrad, state dicts and PyTorch's error texts.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import * as optim from "../../src/optim/index.js";
import { close, flat, fx, thrown } from "../nn/fixture.js";

const camel = (k: string) => k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const options = <O>(o: Record<string, unknown>): Partial<O> => Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v])) as Partial<O>;
const p0 = () => torch.tensor(fx.fixed.p0).reshape([2, 3]).requiresGrad_(true);

function run(opt: optim.Optimizer<object, object>, p: Tensor): number[][] {
  return fx.fixed.grads.map((g) => {
    p.grad = torch.tensor(g).reshape([2, 3]);
    opt.step();
    return flat(p);
  });
}

describe("updates on fixed gradients equal PyTorch's", () => {
  for (const [name, c] of Object.entries(fx.fixed.sgd)) {
    it(`SGD ${name}: ${JSON.stringify(c.opts)}`, () => {
      const p = p0();
      const got = run(new optim.SGD([p], options<optim.SGDOptions>(c.opts)), p);
      got.forEach((step, i) => close(step, c.params[i]!, 1e-6, 1e-7));
    });
  }
  for (const [name, c] of Object.entries(fx.fixed.adam)) {
    it(`Adam ${name}: ${JSON.stringify(c.opts)}`, () => {
      const p = p0();
      const got = run(new optim.Adam([p], options<optim.AdamOptions>(c.opts)), p);
      got.forEach((step, i) => close(step, c.params[i]!, 1e-5, 1e-7));
    });
  }

  it("parameters without a gradient are skipped and get no state", () => {
    const a = p0();
    const b = p0();
    const opt = new optim.Adam([a, b]);
    a.grad = torch.ones([2, 3]);
    opt.step();
    expect(flat(b)).toEqual(fx.fixed.p0);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.get(a)?.step.item()).toBe(1);
  });
});

describe("Optimizer groups, zeroGrad and state dicts", () => {
  it("zeroGrad sets grads to null by default, or to zeros", () => {
    const p = p0();
    const opt = new optim.SGD([p], { lr: 0.1 });
    p.grad = torch.ones([2, 3]);
    opt.zeroGrad(false);
    expect(flat(p.grad)).toEqual([0, 0, 0, 0, 0, 0]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it("parameter groups take their own options over the defaults", () => {
    const a = p0();
    const b = p0();
    const opt = new optim.SGD([{ params: [a] }, { params: b, lr: 1 }], { lr: 0.1, momentum: 0.5 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([[0.1, 0.5], [1, 0.5]]);
    a.grad = torch.ones([2, 3]);
    b.grad = torch.ones([2, 3]);
    opt.step();
    close(flat(a), fx.fixed.p0.map((v) => v - 0.1));
    close(flat(b), fx.fixed.p0.map((v) => v - 1));
    opt.addParamGroup({ params: [p0()], lr: 0.01 });
    expect(opt.paramGroups[2]!.momentum).toBe(0.5);
  });

  it("stateDict / loadStateDict carry the momentum buffers to a fresh optimizer", () => {
    const a = p0();
    const b = p0();
    const oa = new optim.SGD([a], { lr: 0.1, momentum: 0.9 });
    const ob = new optim.SGD([b], { lr: 0.1, momentum: 0.9 });
    a.grad = torch.ones([2, 3]);
    oa.step();
    b.grad = torch.ones([2, 3]);
    ob.step();
    const sd = oa.stateDict();
    expect([...sd.state.keys()]).toEqual([0]);
    expect(sd.paramGroups[0]!.params).toEqual([0]);
    const c = torch.tensor(flat(a)).reshape([2, 3]).requiresGrad_(true);
    const oc = new optim.SGD([c], { lr: 0.5 });
    oc.loadStateDict(sd);
    expect(oc.paramGroups[0]!.lr).toBe(0.1);
    for (const [p, o] of [[a, oa], [c, oc]] as const) {
      p.grad = torch.ones([2, 3]).mul(2);
      o.step();
    }
    expect(flat(c)).toEqual(flat(a));
    expect(oc.state.get(c)!.momentumBuffer).not.toBe(oa.state.get(a)!.momentumBuffer);
  });
});

describe("PyTorch's error texts", () => {
  const pp = () => torch.zeros([2], { requiresGrad: true });
  const cases: Record<string, () => unknown> = {
    empty: () => new optim.SGD([], { lr: 0.1 }),
    lr: () => new optim.SGD([pp()], { lr: -1 }),
    momentum: () => new optim.SGD([pp()], { lr: 0.1, momentum: -0.5 }),
    nesterov: () => new optim.SGD([pp()], { lr: 0.1, nesterov: true }),
    beta: () => new optim.Adam([pp()], { betas: [0.9, 1.0] }),
    eps: () => new optim.Adam([pp()], { eps: -1 }),
    non_leaf: () => new optim.SGD([pp().mul(2)], { lr: 0.1 }),
    duplicate_group: () => {
      const p = pp();
      return new optim.SGD([{ params: [p] }, { params: [p] }], { lr: 0.1 });
    },
  };
  for (const [name, fn] of Object.entries(cases)) {
    it(name, () => {
      const e = thrown(fn);
      expect(e?.name).toBe(fx.optim_errors[name]!.error);
      expect(e?.message).toBe(fx.optim_errors[name]!.message);
    });
  }
  it("a tensor instead of a list of parameters", () => {
    expect(thrown(() => new optim.SGD(pp() as unknown as Tensor[]))?.message).toBe(
      "params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor",
    );
  });
});
