// nn.Module against PyTorch 2.14: registration by assignment, dotted names, traversal,
// train/eval, zeroGrad, apply, hooks, reprs, and state dicts with PyTorch's error texts.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import * as nn from "../../src/nn/index.js";
import { fx, flat, thrown } from "./fixture.js";

function mlp(): nn.Sequential {
  torch.manualSeed(0);
  return new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 3));
}

class Block extends nn.Module {
  fc = new nn.Linear(4, 3);
  scale = new nn.Parameter(torch.ones([3]));
  note = "plain values stay plain";
  constructor() {
    super();
    this.registerBuffer("count", torch.zeros([1]));
    this.registerBuffer("scratch", torch.zeros([2]), false);
  }
  override forward(x: Tensor): Tensor {
    return this.fc.call(x).mul(this.scale);
  }
}
class Net extends nn.Module {
  block = new Block();
  head = new nn.Sequential(new nn.ReLU(), new nn.Linear(3, 2));
  override forward(x: Tensor): Tensor {
    return this.head.call(this.block.call(x));
  }
}

describe("nn.Module names and traversal (PyTorch's)", () => {
  it("names a Sequential's parameters, state dict keys, modules and children as PyTorch does", () => {
    const net = mlp();
    expect(net.namedParameters().map(([n]) => n)).toEqual(fx.mlp.named_parameters);
    expect([...net.stateDict().keys()]).toEqual(fx.mlp.state_dict_keys);
    expect(net.namedModules().map(([n]) => n)).toEqual(fx.mlp.named_modules);
    expect(net.namedChildren().map(([n]) => n)).toEqual(fx.mlp.named_children);
    expect(net.children().length).toBe(3);
    expect(net.modules()[0]).toBe(net);
  });

  it("registers Parameters and Modules assigned as class fields, in assignment order", () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual(["block.scale", "block.fc.weight", "block.fc.bias", "head.1.weight", "head.1.bias"]);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(["block.count", "block.scratch"]);
    expect([...net.stateDict().keys()]).toEqual(["block.scale", "block.count", "block.fc.weight", "block.fc.bias", "head.1.weight", "head.1.bias"]);
    expect(net.block.note).toBe("plain values stay plain");
    expect(net.call(torch.ones([5, 4])).shape).toEqual([5, 2]);
  });

  it("parameters are leaves that require grad and alias the module's tensors", () => {
    const net = mlp();
    const ps = net.parameters();
    expect(ps.length).toBe(4);
    for (const p of ps) {
      expect(p.isLeaf).toBe(true);
      expect(p.requiresGrad).toBe(true);
      expect(p).toBeInstanceOf(nn.Parameter);
    }
    expect(ps[0]).toBe((net.at(0) as nn.Linear).weight);
    expect(net.parameters(false)).toEqual([]);
  });

  it("lists a shared parameter once, and reassigning or deleting a property updates the registry", () => {
    const net = new Net();
    const shared = new nn.Linear(3, 3);
    net.addModule("a", shared);
    net.addModule("b", shared);
    expect(net.namedParameters().filter(([n]) => n.startsWith("a.") || n.startsWith("b.")).map(([n]) => n)).toEqual(["a.weight", "a.bias"]);
    net.block.scale = new nn.Parameter(torch.zeros([3]));
    expect(flat(net.block.parameters()[0]!)).toEqual([0, 0, 0]);
    delete (net as Partial<Net>).head;
    expect(net.namedChildren().map(([n]) => n)).toEqual(["block", "a"]); // b is a again: listed once, as in PyTorch
    expect([...net.stateDict().keys()].filter((k) => /^[ab]\./.test(k))).toEqual(["a.weight", "a.bias", "b.weight", "b.bias"]);
  });

  it("rejects a plain tensor assigned to a parameter slot and bad names, with PyTorch's texts", () => {
    const lin = new nn.Linear(2, 2);
    const e = thrown(() => {
      (lin as unknown as { weight: Tensor }).weight = torch.zeros([2, 2]);
    });
    expect(e?.message).toBe("cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)");
    expect(thrown(() => lin.registerParameter("a.b", null))?.message).toBe('parameter name can\'t contain "."');
    expect(thrown(() => lin.registerParameter("forward", null))?.message).toBe("attribute 'forward' already exists");
    expect(thrown(() => lin.registerParameter("w2", torch.zeros([1]) as nn.Parameter))?.name).toBe("TypeError");
    expect(thrown(() => lin.addModule("", new nn.ReLU()))?.name).toBe("KeyError");
  });

  it("a module without forward raises PyTorch's NotImplementedError", () => {
    const e = thrown(() => new nn.Module().call());
    expect(e?.name).toBe("NotImplementedError");
    expect(e?.message).toBe('Module [Module] is missing the required "forward" function');
  });
});

describe("nn.Module modes, gradients, hooks and printing", () => {
  it("train() / eval() set training on every submodule", () => {
    const net = new Net();
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.head.training).toBe(true);
  });

  it("zeroGrad() sets grads to null by default, or zeros them with setToNone false", () => {
    const net = mlp();
    net.call(torch.ones([2, 8])).sum().backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad(false);
    expect(net.parameters().every((p) => p.grad !== null && flat(p.grad).every((v) => v === 0))).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it("apply() visits children before the parent; requiresGrad_ freezes parameters", () => {
    const seen: string[] = [];
    mlp().apply((m) => void seen.push(m.constructor.name));
    expect(seen).toEqual(["Linear", "ReLU", "Linear", "Sequential"]);
    const net = mlp().requiresGrad_(false);
    expect(net.parameters().some((p) => p.requiresGrad)).toBe(false);
  });

  it("forward hooks can replace the arguments and the output, and be removed", () => {
    const lin = new nn.Linear(2, 2);
    const pre = lin.registerForwardPreHook(() => [torch.zeros([1, 2])]);
    const post = lin.registerForwardHook((_m, _a, out) => (out as Tensor).mul(0));
    expect(flat(lin.call(torch.ones([1, 2]))).every((v) => v === 0)).toBe(true);
    pre.remove();
    post.remove();
    expect(lin.call(torch.ones([3, 2])).shape).toEqual([3, 2]);
  });

  it("prints like PyTorch's repr", () => {
    expect(String(mlp())).toBe(fx.mlp.repr);
    expect(String(new nn.Linear(2, 3, { bias: false }))).toBe(fx.module_reprs.linear_nobias);
    expect(String(new nn.CrossEntropyLoss())).toBe(fx.module_reprs.cross_entropy);
    expect(String(new nn.MSELoss())).toBe(fx.module_reprs.mse);
    expect(String(new nn.Sequential(new nn.Sequential(new nn.Linear(1, 2)), new nn.Dropout(0.25), new nn.ReLU()))).toBe(fx.module_reprs.nested);
    expect(String(new nn.Parameter(torch.tensor([1, 2.5])))).toBe(fx.parameter_repr);
  });
});

describe("state dicts", () => {
  it("round-trips parameters through stateDict / loadStateDict (Map or object)", () => {
    const a = mlp();
    torch.manualSeed(1);
    const b = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 3));
    expect(flat(b.parameters()[0]!)).not.toEqual(flat(a.parameters()[0]!));
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    b.parameters().forEach((p, i) => expect(flat(p)).toEqual(flat(a.parameters()[i]!)));
    expect(b.parameters()[0]!.requiresGrad).toBe(true);
    expect(b.parameters()[0]).not.toBe(a.parameters()[0]);
    b.loadStateDict(Object.fromEntries(a.stateDict()));
  });

  it("state dict entries are detached and share storage with the parameters", () => {
    const net = mlp();
    const w = net.stateDict().get("0.weight")!;
    expect(w.requiresGrad).toBe(false);
    torch.noGrad(() => net.parameters()[0]!.fill_(3));
    expect(flat(w)[0]).toBe(3);
  });

  for (const name of ["missing", "unexpected", "both", "size"]) {
    it(`strict loading raises PyTorch's text: ${name}`, () => {
      const net = mlp();
      const sd = net.stateDict();
      const z = (shape: number[]) => torch.zeros(shape);
      const cases: Record<string, Map<string, Tensor>> = {
        missing: new Map([...sd].filter(([k]) => k !== "2.bias")),
        unexpected: new Map([...sd, ["2.gamma", z([1])], ["5.weight", z([1])], ["extra", z([1])]]),
        both: new Map([...[...sd].filter(([k]) => !k.startsWith("0.")), ["1.weight", z([1])]]),
        size: new Map([...sd, ["0.weight", z([2, 8])], ["2.bias", z([4])]]),
      };
      const e = thrown(() => net.loadStateDict(cases[name]!));
      expect(e?.name).toBe(fx.load_errors[name]!.error);
      expect(e?.message).toBe(fx.load_errors[name]!.message);
    });
  }

  it("names a non-tensor entry as PyTorch does", () => {
    const e = thrown(() => mlp().loadStateDict({ ...Object.fromEntries(mlp().stateDict()), "0.bias": 3 }));
    expect(e?.message).toBe(fx.load_errors.not_tensor!.message);
  });

  it("non-strict loading returns the missing and unexpected keys", () => {
    const net = mlp();
    const sd = new Map([...net.stateDict()].filter(([k]) => k !== "0.bias"));
    sd.set("extra", torch.zeros([1]));
    const r = net.loadStateDict(sd, { strict: false });
    expect(r).toEqual({ missingKeys: fx.load_non_strict.missing_keys, unexpectedKeys: fx.load_non_strict.unexpected_keys });
  });

  it("assign replaces the parameters with Parameters wrapping the given tensors", () => {
    const net = mlp();
    const w = torch.ones([3, 16]);
    const sd = new Map(net.stateDict());
    sd.set("2.weight", w);
    net.loadStateDict(sd, { assign: true });
    const got = (net.at(2) as nn.Linear).weight;
    expect(got).toBeInstanceOf(nn.Parameter);
    expect(got.requiresGrad).toBe(true);
    expect(net.parameters()[2]).toBe(got);
    expect(flat(got).every((v) => v === 1)).toBe(true);
  });
});
