// The PythonDispatcher (pyImpl, per-hop resolution), pre-dispatch modes, and the record-function
// ranges the Python fallback opens (dispatch-semantics.md §8, §9, §10; §13 49-53).
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload } from "../../src/index.js";
import { DispatchKey } from "../../src/core/dispatch-key.js";
import { DispatchKeySet } from "../../src/core/dispatch-key-set.js";
import { addGlobalCallback } from "../../src/dispatcher/record-function.js";
import * as pd from "../../src/torch-dispatch/python-dispatcher.js";

type Args = readonly unknown[];
type Kw = Readonly<Record<string, unknown>>;
const K = DispatchKey;

describe("the PythonDispatcher", () => {
  it("given pyImpl(CPU) on an op, then it runs only while the PythonDispatcher is enabled (scenario 49)", () => {
    const lib = new torch.Library("pyd", "DEF");
    lib.define("f(Tensor x, int k=2) -> Tensor");
    lib.impl("f", (x: torch.Tensor) => x, "CPU");
    const seen: string[] = [];
    const h = torch.ops.pyd.f.default.pyImpl("CPU", (ks: DispatchKeySet, x: torch.Tensor, k: number) => {
      seen.push(`${String(ks)} k=${k}`);
      return x.mul(k);
    });
    const x = torch.tensor([1, 2]);
    expect((torch.ops.pyd.f(x) as torch.Tensor).tolist()).toEqual([1, 2]);
    const y = torch.enablePythonDispatcher(() => torch.ops.pyd.f(x)) as torch.Tensor;
    expect(y.tolist()).toEqual([2, 4]);
    expect(seen).toEqual(["DispatchKeySet(CPU) k=2"]);
    expect(String(torch.dispatcher.tlsLocalIncludeSet())).toBe("DispatchKeySet(BackendSelect, ADInplaceOrView)");
    h.dispose();
    lib.dispose();
  });

  it("refuses a second pyImpl for a key and pyImpl(Python) (scenario 50)", () => {
    const op = torch.ops.aten.neg.default;
    const h = op.pyImpl("Meta", (_ks: DispatchKeySet, x: torch.Tensor) => x);
    expect(() => op.pyImpl("Meta", (_ks: DispatchKeySet, x: torch.Tensor) => x)).toThrow(
      "Trying to override a python impl for DispatchKey.Meta on operator aten::neg",
    );
    expect(() => op.pyImpl("Python", (_ks: DispatchKeySet, x: torch.Tensor) => x)).toThrow("Please register a mode for the DispatchKey.Python key instead.");
    h.dispose();
  });

  it("with no overrides, is consulted once per hop: AutogradCPU then CPU, with the same result (scenario 51)", () => {
    const x = torch.tensor([1, 2]);
    const before = x.add(x).tolist();
    const hops: string[] = [];
    pd.observePythonDispatcherHops((op, k) => void hops.push(`${op.qualifiedName}@${torch.dispatchKeyName(k)}`));
    const result = torch.enablePythonDispatcher(() => x.add(x).tolist());
    pd.observePythonDispatcherHops(null);
    expect(hops).toEqual(["aten::add.Tensor@AutogradCPU", "aten::add.Tensor@CPU"]);
    expect(result).toEqual(before);
  });

  it("runs a pre-dispatch mode before autograd, with the pre-dispatch stack empty meanwhile (scenario 52)", () => {
    const seen: string[] = [];
    class Pre extends torch.TorchDispatchMode {
      override readonly dispatchKey = "PreDispatch" as const;
      override torchDispatch(func: OpOverload, _t: Args, args: Args, kwargs: Kw) {
        seen.push(`${String(func)} inc=${torch.dispatcher.tlsLocalIncludeSet().has(K.PreDispatch)}`);
        return func(...args, { ...kwargs });
      }
    }
    const x = torch.tensor([1, 2]);
    const y = torch.enablePythonDispatcher(() => new Pre().run(() => x.add(x))) as torch.Tensor;
    expect(seen).toEqual(["aten.add.Tensor inc=false"]);
    expect(y.tolist()).toEqual([2, 4]);
    // without a pre-dispatch mode, PreDispatch is a silent hop
    expect(torch.enablePythonDispatcher(() => x.add(x).tolist())).toEqual([2, 4]);
  });
});

describe("record-function ranges of the Python fallback", () => {
  it("under a logging mode, aten::add encloses PythonDispatchMode which encloses the handler's aten::add (scenario 53)", () => {
    class M extends torch.TorchDispatchMode {}
    const x = torch.tensor([1]);
    const events: string[] = [];
    const cb = addGlobalCallback({ start: (ev) => void events.push(`${"  ".repeat(ev.depth)}${ev.name}`) });
    new M().run(() => x.add(x));
    cb.remove();
    expect(events).toEqual(["aten::add", "  PythonDispatchMode", "    aten::add"]);
  });

  it("a wrapper subclass call opens a PythonSubclass range", () => {
    class W extends torch.Tensor {
      inner!: torch.Tensor;
      static override torchDispatch(func: OpOverload, _t: Args, args: Args, kwargs: Kw): unknown {
        return func(...args.map((a) => (a instanceof W ? a.inner : a)), { ...kwargs });
      }
    }
    const w = torch.Tensor.makeWrapperSubclass(W, [1]);
    w.inner = torch.tensor([2]);
    const events: string[] = [];
    const cb = addGlobalCallback({ start: (ev) => void events.push(`${"  ".repeat(ev.depth)}${ev.name}`) });
    w.neg();
    cb.remove();
    expect(events).toEqual(["aten::neg", "  PythonSubclass", "    aten::neg"]);
  });
});
