// The Python-key layer with real tensors: the Python fallback, the mode stack, the handler
// protocol, wrapper subclasses, TLS seen by handlers (dispatch-semantics.md §6, §7; §13 29-47, 56).
import { afterEach, describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload } from "../../src/index.js";
import { DispatchKey } from "../../src/core/dispatch-key.js";
import { DispatchKeySet, PYTHON_KS } from "../../src/core/dispatch-key-set.js";
import { tlsSnapshot, withIncludedRaw } from "../../src/core/dispatch-context.js";
import { KernelFunction } from "../../src/dispatcher/kernel-function.js";
import { dispatcher } from "../../src/dispatcher/dispatcher.js";
import type { OperatorHandle } from "../../src/dispatcher/operator-entry.js";
import { popMode, pushMode } from "../../src/torch-dispatch/mode-stack.js";
import { tlsOnEntry } from "../../src/torch-dispatch/tls-on-entry.js";

type Args = readonly unknown[];
type Kw = Readonly<Record<string, unknown>>;
const K = DispatchKey;

afterEach(() => {
  expect(torch.dispatchModeStack()).toHaveLength(0);
  expect(String(torch.dispatcher.tlsLocalIncludeSet())).toBe("DispatchKeySet(BackendSelect, ADInplaceOrView)");
});

class Recorder extends torch.TorchDispatchMode {
  seen: string[] = [];
  constructor(readonly tag = "") {
    super();
  }
  override torchDispatch(func: OpOverload, _types: Args, args: Args, kwargs: Kw) {
    this.seen.push(`${this.tag}${String(func)}`);
    return func(...args, { ...kwargs });
  }
  override toString() {
    return `Recorder(${this.tag})`;
  }
}

class Wrapped extends torch.Tensor {
  inner!: torch.Tensor;
  static calls: string[] = [];
  static wrap(inner: torch.Tensor): Wrapped {
    const w = torch.Tensor.makeWrapperSubclass(Wrapped, inner.shape, { dtype: inner.dtype });
    w.inner = inner;
    return w;
  }
  static override torchDispatch(func: OpOverload, types: Args, args: Args, kwargs: Kw): unknown {
    Wrapped.calls.push(`${String(func)} [${types.map((t) => (t as { name: string }).name).join(", ")}]`);
    const un = (a: unknown): unknown => (a instanceof Wrapped ? a.inner : Array.isArray(a) ? a.map(un) : a);
    const out = func(...args.map(un), { ...kwargs });
    return out instanceof torch.Tensor ? Wrapped.wrap(out) : out;
  }
}

describe("dispatch modes", () => {
  it("given a logging mode, when x.add(x), then it sees aten.add.Tensor once and not its own calls; inside, no mode and no Python in TLS (scenario 31)", () => {
    const x = torch.tensor([1, 2]);
    const inside: string[] = [];
    class M extends torch.TorchDispatchMode {
      seen: string[] = [];
      override torchDispatch(func: OpOverload, _t: Args, args: Args, kwargs: Kw) {
        this.seen.push(String(func));
        inside.push(`${torch.getCurrentDispatchMode()} ${torch.dispatcher.tlsLocalIncludeSet().has(K.Python)}`);
        const r = func(...args, { ...kwargs }) as torch.Tensor;
        r.mul(1); // an op issued by the handler: not seen by this mode
        return r;
      }
    }
    const m = new M();
    const y = m.run(() => x.add(x));
    expect(m.seen).toEqual(["aten.add.Tensor"]);
    expect(inside).toEqual(["null false"]);
    expect(y.tolist()).toEqual([2, 4]);
  });

  it("given modes A (outer) and B (inner), then B handles first, then A, then the kernel; the stack stays [A, B] (scenario 32)", () => {
    const order: string[] = [];
    class M extends torch.TorchDispatchMode {
      constructor(readonly name: string) {
        super();
      }
      override torchDispatch(func: OpOverload, _t: Args, args: Args, kwargs: Kw) {
        order.push(`${this.name}:${torch.dispatchModeStack().length}`);
        return func(...args, { ...kwargs });
      }
    }
    const [a, b] = [new M("A"), new M("B")];
    const x = torch.tensor([1]);
    a.run(() =>
      b.run(() => {
        x.add(x);
        expect(torch.dispatchModeStack()).toEqual([a, b]);
      }),
    );
    expect(order).toEqual(["B:1", "A:0"]);
  });

  it("given one mode object entered twice, then a factory is logged twice (scenario 33)", () => {
    const m = new Recorder();
    m.run(() => m.run(() => torch.empty([])));
    expect(m.seen).toEqual(["aten.empty.memory_format", "aten.empty.memory_format"]);
  });

  it("a factory under a mode reaches it with types = [] and kwargs device/pin_memory as PyTorch passes them (scenario 40)", () => {
    let got: unknown = null;
    class M extends torch.TorchDispatchMode {
      override torchDispatch(func: OpOverload, types: Args, args: Args, kwargs: Kw) {
        got = { func: String(func), types: types.length, args, kwargs };
        return func(...args, { ...kwargs });
      }
    }
    new M().run(() => torch.zeros([2]));
    expect(got).toEqual({ func: "aten.zeros.default", types: 0, args: [[2]], kwargs: { device: "cpu", pin_memory: false } });
    expect(torch.zeros([2]).tolist()).toEqual([0, 0]);
  });

  it("normalises arguments: trailing defaults dropped, keyword-only arguments only when not default", () => {
    const seen: Array<[Args, Kw]> = [];
    class M extends torch.TorchDispatchMode {
      override torchDispatch(func: OpOverload, _t: Args, args: Args, kwargs: Kw) {
        seen.push([args.map((a) => (a instanceof torch.Tensor ? "T" : a)), kwargs]);
        return func(...args, { ...kwargs });
      }
    }
    const x = torch.tensor([1, 2]);
    new M().run(() => {
      x.add(x);
      x.add(x, { alpha: 2 });
      torch.ops.aten.add.Tensor(x, 3);
    });
    expect(seen).toEqual([
      [["T", "T"], {}],
      [["T", "T"], { alpha: 2 }],
      [["T", 3], {}],
    ]);
  });

  it("given a mode whose handler throws, then the error propagates and the stack and TLS are as before (scenario 39)", () => {
    class Bad extends torch.TorchDispatchMode {
      override torchDispatch(): unknown {
        throw new Error("handler failed");
      }
    }
    const m = new Bad();
    const before = tlsSnapshot();
    const x = torch.tensor([1]);
    const h = m.enter();
    expect(() => x.add(x)).toThrow("handler failed");
    expect(torch.dispatchModeStack()).toEqual([m]);
    expect(torch.dispatcher.tlsLocalIncludeSet().has(K.Python)).toBe(true);
    h.exit();
    expect(tlsSnapshot()).toEqual(before);
  });

  it("given a mode with a static handler, then PyTorch's error (scenario 38)", () => {
    class Static extends torch.TorchDispatchMode {
      static torchDispatch() {
        return null;
      }
    }
    Object.defineProperty(Static.prototype, "torchDispatch", { value: undefined });
    expect(() => new Static().run(() => torch.tensor([1]).neg())).toThrow(
      "Defining your mode's `torchDispatch` as a static method is not supported, please make it a plain method",
    );
  });

  it("noDispatch turns modes off for a scope (scenario 45)", () => {
    const m = new Recorder();
    const x = torch.tensor([1]);
    m.run(() => torch.noDispatch(() => x.neg()));
    expect(m.seen).toEqual([]);
  });

  it("infra modes stay below user modes and refuse a second occupant (scenarios 46, 47)", () => {
    const order: string[] = [];
    class Infra extends torch.TorchDispatchMode {
      override readonly modeKey = "FAKE" as const;
      override torchDispatch(func: OpOverload, _t: Args, args: Args, kwargs: Kw) {
        order.push("infra");
        return func(...args, { ...kwargs });
      }
    }
    class User extends torch.TorchDispatchMode {
      override torchDispatch(func: OpOverload, _t: Args, args: Args, kwargs: Kw) {
        order.push("user");
        return func(...args, { ...kwargs });
      }
    }
    const u = new User();
    const f = new Infra();
    const t = torch.tensor([1]);
    u.run(() => f.run(() => t.neg()));
    expect(order).toEqual(["user", "infra"]);
    f.run(() => {
      expect(() => pushMode(new Infra())).toThrow("trying to set the current FakeTensorMode, but one already exists");
    });
    expect(() => popMode()).toThrow("trying to pop from empty mode stack");
    expect(() => popMode("PROXY")).toThrow("Attempted to unset ProxyTorchDispatchMode, but there wasn't one active.");
  });

  it("exiting modes out of order pops the top one, as PyTorch does (scenario 56)", () => {
    const [a, b] = [new Recorder("a"), new Recorder("b")];
    const ha = a.enter();
    b.enter();
    ha.exit(); // pops b, the top
    expect(torch.dispatchModeStack()).toEqual([a]);
    popMode();
  });
});

describe("tensor subclasses", () => {
  it("a wrapper subclass has metadata, no data, and the Python keys (scenario 44)", () => {
    const w = torch.Tensor.makeWrapperSubclass(Wrapped, [2, 3], { dtype: "float64" });
    expect([...w.shape]).toEqual([2, 3]);
    expect(w.stride()).toEqual([3, 1]);
    expect(w.dtype).toBe("float64");
    const ks = DispatchKeySet.fromRaw(w.keySet);
    for (const k of [K.Python, K.PythonTLSSnapshot, K.CPU, K.AutogradCPU]) expect(ks.has(k)).toBe(true);
    expect(() => w.data()).toThrow("a wrapper subclass holds metadata only");
    class Plain extends torch.Tensor {}
    expect(() => torch.Tensor.makeWrapperSubclass(Plain, [2])).toThrow("Plain must define torchDispatch");
    expect(() => torch.Tensor.makeWrapperSubclass(Wrapped, [2], { storageOffset: 1 })).toThrow("setting storage offset without stride not supported");
  });

  it("a handler sees the op once with its types and runs below autograd: its exclude set (scenario 30)", () => {
    let exc = "";
    let inc = "";
    class S extends Wrapped {
      static override torchDispatch(func: OpOverload, types: Args, args: Args, kwargs: Kw): unknown {
        exc = String(torch.dispatcher.tlsLocalExcludeSet());
        inc = String(torch.dispatcher.tlsLocalIncludeSet());
        return Wrapped.torchDispatch(func, types, args, kwargs);
      }
    }
    const s = torch.Tensor.makeWrapperSubclass(S, [2]);
    s.inner = torch.tensor([1, 2]);
    s.mul(2);
    const set = exc.slice("DispatchKeySet(".length, -1).split(", ");
    for (const k of ["ADInplaceOrView", "Functionalize", "PythonTLSSnapshot", "PreDispatch", "AutogradOther"]) expect(set).toContain(k);
    expect(set).not.toContain("Python");
    expect(set).not.toContain("PythonDispatcher");
    expect(inc).toBe("DispatchKeySet(BackendSelect, ADInplaceOrView)");
    expect(String(torch.dispatcher.tlsLocalExcludeSet())).toBe("DispatchKeySet(AutocastCPU)");
  });

  it("orders handlers: subclass before its parent, else first appearance (scenarios 36, 37)", () => {
    const calls: string[] = [];
    class A extends torch.Tensor {
      static override torchDispatch(func: OpOverload, types: Args): unknown {
        calls.push(`A ${types.map((t) => (t as { name: string }).name).join(",")}`);
        return torch.NotImplemented;
      }
    }
    class B extends A {
      static override torchDispatch(func: OpOverload, types: Args): unknown {
        calls.push(`B ${types.map((t) => (t as { name: string }).name).join(",")}`);
        return torch.NotImplemented;
      }
    }
    const a = torch.Tensor.makeWrapperSubclass(A, [1]);
    const b = torch.Tensor.makeWrapperSubclass(B, [1]);
    expect(() => torch.ops.aten.add.Tensor(a, b)).toThrow(TypeError);
    expect(calls).toEqual(["B B,A", "A B,A"]);
    class X extends Wrapped {}
    class Y extends Wrapped {}
    const order: string[] = [];
    for (const C of [X, Y]) {
      (C as unknown as { torchDispatch: unknown }).torchDispatch = (_f: OpOverload, types: Args) => {
        order.push(types.map((t) => (t as { name: string }).name).join(","));
        return torch.NotImplemented;
      };
    }
    const [x, y] = [torch.Tensor.makeWrapperSubclass(X, [1]), torch.Tensor.makeWrapperSubclass(Y, [1])];
    const lib = new torch.Library("order", "DEF");
    lib.define("three(Tensor a, Tensor b, Tensor c) -> Tensor");
    lib.define("many(Tensor[] xs) -> Tensor");
    expect(() => torch.ops.order.three(y, x, y)).toThrow(TypeError);
    expect(() => torch.ops.order.many([x, y, x])).toThrow(TypeError);
    expect(order).toEqual(["Y,X", "Y,X", "X,Y", "X,Y"]);
    lib.dispose();
  });

  it("when a mode and a subclass both return NotImplemented, then PyTorch's TypeError (scenario 35)", () => {
    class Pass extends torch.TorchDispatchMode {
      override torchDispatch(): unknown {
        return torch.NotImplemented;
      }
      override toString() {
        return "<Pass object>";
      }
    }
    class N extends torch.Tensor {
      static override torchDispatch(): unknown {
        return torch.NotImplemented;
      }
    }
    const n = torch.Tensor.makeWrapperSubclass(N, [1]);
    let msg = "";
    new Pass().run(() => {
      try {
        torch.ops.aten.add.Tensor(n, n);
      } catch (e) {
        expect(e).toBeInstanceOf(TypeError);
        msg = (e as Error).message;
      }
    });
    expect(msg).toBe(
      "Multiple dispatch failed for 'torch._ops.aten.add.Tensor'; all __torch_dispatch__ handlers returned NotImplemented:\n\n" +
        "  - mode object <Pass object>\n  - tensor subclass <class 'N'>\n\nFor more information, try re-running with TORCH_LOGS=not_implemented",
    );
  });

  it("PoliteMode passes on subclasses, which are then handled by the subclass with the mode back on (scenario 34)", () => {
    let pre = 0;
    let post = 0;
    class Polite extends torch.TorchDispatchMode {
      override torchDispatch(func: OpOverload, types: Args, args: Args, kwargs: Kw) {
        pre++;
        if (types.some((t) => t !== torch.Tensor)) return torch.NotImplemented;
        post++;
        return func(...args, { ...kwargs });
      }
    }
    Wrapped.calls = [];
    const w = Wrapped.wrap(torch.tensor([-1, 2]));
    new Polite().run(() => new Polite().run(() => w.neg()));
    expect(Wrapped.calls).toHaveLength(1);
    expect(pre).toBeGreaterThanOrEqual(2);
    expect(post).toBeGreaterThanOrEqual(1);
  });

  it("modes and subclasses mix in one call: the mode first, then the subclass", () => {
    const m = new Recorder();
    Wrapped.calls = [];
    const w = Wrapped.wrap(torch.tensor([1, 2]));
    const out = m.run(() => w.mul(w)) as Wrapped;
    expect(m.seen[0]).toBe("aten.mul.Tensor");
    expect(Wrapped.calls).toEqual(["aten.mul.Tensor [Wrapped]"]);
    expect(m.seen).toContain("aten.mul.Tensor");
    expect(out.inner.tolist()).toEqual([1, 4]);
  });

  it("a handler that returns the wrong type for a Tensor return gets PyTorch's error", () => {
    class Odd extends torch.Tensor {
      static override torchDispatch(): unknown {
        return 42;
      }
    }
    const o = torch.Tensor.makeWrapperSubclass(Odd, [1]);
    expect(() => o.neg()).toThrow("Unable to cast 42 to Tensor");
  });
});

describe("the Python fallback's corner cases", () => {
  it("a stale Python key with plain tensors redispatches below it, with Python out of TLS (scenario 41)", () => {
    const lib = new torch.Library("stale", "DEF");
    lib.define("f(Tensor x) -> Tensor");
    let cpuSaw = "";
    lib.impl("f", (x: torch.Tensor) => {
      cpuSaw = String(torch.dispatcher.tlsLocalIncludeSet().has(K.Python));
      return x;
    }, "CPU");
    const h = dispatcher.findOp("stale::f") as OperatorHandle;
    const reg = dispatcher.registerImpl("stale::f", "", K.AutogradCPU, KernelFunction.fromArgs<OperatorHandle>((op, ks, args) => {
      const popped = [popMode()];
      try {
        return dispatcher.redispatch(op, ks & ~DispatchKeySet.of(K.AutogradCPU).raw, args);
      } finally {
        pushMode(popped[0]!);
      }
    }), "registered at test");
    const m = new Recorder();
    let r: unknown;
    withIncludedRaw(0, () => {
      m.enter();
      try {
        r = dispatcher.call(h, [torch.tensor([1])]);
      } finally {
        popMode();
      }
    });
    expect(r).toBeInstanceOf(torch.Tensor);
    expect(cpuSaw).toBe("false");
    reg.dispose();
    lib.dispose();
  });

  it("tls_on_entry is set inside a handler and empty at top level; enableReentrantDispatch needs it (scenarios 42, 43)", () => {
    let inside: unknown = null;
    let reentrantExcluded: unknown = null;
    class S extends Wrapped {
      static override torchDispatch(func: OpOverload, types: Args, args: Args, kwargs: Kw): unknown {
        inside = tlsOnEntry();
        reentrantExcluded = torch.enableReentrantDispatch(() => torch.dispatcher.tlsLocalExcludeSet().has(K.ADInplaceOrView));
        return Wrapped.torchDispatch(func, types, args, kwargs);
      }
    }
    const s = torch.Tensor.makeWrapperSubclass(S, [1]);
    s.inner = torch.tensor([3]);
    s.neg();
    expect(inside).not.toBeNull();
    expect(reentrantExcluded).toBe(false);
    expect(tlsOnEntry()).toBeNull();
    expect(() => torch.enableReentrantDispatch(() => 1)).toThrow("Accessing torch dispatch state outside of '__torch_dispatch__' is not allowed.");
  });

  it("a subclass instance carries exactly the Python keys on top of its device keys", () => {
    const w = Wrapped.wrap(torch.tensor([1]));
    expect(w.keySet & PYTHON_KS).toBe(PYTHON_KS);
  });
});

describe("metadata queries of wrapper subclasses (§7.6)", () => {
  function make(answer: (func: OpOverload) => unknown, policy: "sizes" | "strides" = "sizes") {
    class P extends torch.Tensor {
      static override torchDispatch(func: OpOverload): unknown {
        return answer(func);
      }
    }
    return torch.Tensor.makeWrapperSubclass(P, [2, 3], { dispatchSizesStridesPolicy: policy });
  }

  it("given policy sizes and a handler answering sym_size with [5], then the shape is [5] (scenario 48)", () => {
    const seen: string[] = [];
    const t = make((f) => (seen.push(String(f)), String(f) === "aten.sym_size.default" ? [5] : null));
    expect([...t.shape]).toEqual([5]);
    expect(t.size(0)).toBe(5);
    expect(t.stride()).toEqual([3, 1]); // null: the stored value
    expect(seen).toContain("aten.sym_size.default");
    expect(seen).toContain("aten.sym_stride.default");
  });

  it("when the handler returns null, the stored sizes are used; NotImplemented raises the TypeError naming the query", () => {
    expect([...make(() => null).shape]).toEqual([2, 3]);
    expect(() => make(() => torch.NotImplemented).shape).toThrow(
      "Multiple dispatch failed for 'torch.ops.aten.sym_size'; all __torch_dispatch__ handlers returned NotImplemented:",
    );
  });

  it("policy strides sends only stride and contiguity queries; without a policy nothing is asked", () => {
    const seen: string[] = [];
    const t = make((f) => (seen.push(String(f)), null), "strides");
    void t.shape;
    t.stride();
    expect(seen).toEqual(["aten.sym_stride.default"]);
    const plain = torch.Tensor.makeWrapperSubclass(Wrapped, [2]);
    expect([...plain.shape]).toEqual([2]);
  });

  it("a mode sees the metadata queries too", () => {
    const t = make(() => null);
    const m = new Recorder();
    m.run(() => void t.shape);
    expect(m.seen).toEqual(["aten.sym_size.default"]);
  });
});

describe("argument values handlers see", () => {
  it("memory formats arrive as torch.preserve_format-like objects and go back to the kernels as codes", () => {
    const seen: unknown[] = [];
    class M extends torch.TorchDispatchMode {
      override torchDispatch(func: OpOverload, _t: Args, args: Args, kwargs: Kw) {
        if (kwargs.memory_format !== undefined) seen.push(String(kwargs.memory_format));
        return func(...args, { ...kwargs });
      }
    }
    const x = torch.tensor([[1, 2], [3, 4]]);
    const y = new M().run(() => torch.ops.aten.clone(x.t(), { memory_format: torch.contiguousFormat }) as torch.Tensor);
    expect(seen).toEqual(["torch.contiguous_format"]);
    expect(y.isContiguous()).toBe(true);
    expect(y.tolist()).toEqual([[1, 3], [2, 4]]);
    expect(JSON.stringify({ f: torch.preserveFormat })).toBe('{"f":"torch.preserve_format"}');
  });
});
