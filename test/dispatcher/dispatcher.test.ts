// The registry and the hot path with stand-in tensors: table computation and its priority rules,
// fallthrough masking, key-set extraction, errors, and registration order
// (dispatch-semantics.md §4, §5; scenarios 14-28 of §13).
import { beforeAll, describe, expect, it } from "vitest";
import { DispatchKey } from "../../src/core/dispatch-key.js";
import { DispatchKeySet, FULL, fullAfter } from "../../src/core/dispatch-key-set.js";
import { ExcludeDispatchKeyGuard, IncludeDispatchKeyGuard, withBelowAutograd } from "../../src/core/dispatch-context.js";
import { catchWarnings } from "../../src/core/warnings.js";
import { dispatcher } from "../../src/dispatcher/dispatcher.js";
import { KernelFunction } from "../../src/dispatcher/kernel-function.js";
import { Library, fallthrough } from "../../src/dispatcher/library.js";
import { ops } from "../../src/dispatcher/op-overload.js";
import type { OperatorHandle } from "../../src/dispatcher/operator-entry.js";
import { ensureStandardFallbacks } from "../../src/dispatcher/standard-fallbacks.js";
import { cpu, freshNs, meta, pu1, tensorWith } from "./helpers.js";

const K = DispatchKey;
beforeAll(() => ensureStandardFallbacks());

function defineFoo(ns: string, schema = "foo(Tensor x) -> Tensor"): Library {
  const lib = new Library(ns, "DEF", undefined, { debug: "registered at def" });
  lib.define(schema);
  return lib;
}
const tableLines = (name: string) => dispatcher.dumpTable(name).trimEnd().split("\n");
const entry = (name: string, key: string) => tableLines(name).find((l) => l.startsWith(key + ": "));

describe("defining operators", () => {
  it("given foo defined, when defined again in a FRAGMENT, then the duplicate-registration error (scenario 14)", () => {
    const ns = freshNs();
    const lib = defineFoo(ns);
    const frag = new Library(ns, "FRAGMENT");
    expect(() => frag.define("foo(Tensor x) -> Tensor")).toThrow(
      `Tried to register an operator (${ns}::foo(Tensor x) -> Tensor) with the same name and overload name multiple times.`,
    );
    lib.dispose();
    frag.dispose();
  });

  it("given a DEF library for a namespace, when a second DEF is created, then PyTorch's error (scenario 15)", () => {
    const ns = freshNs();
    const lib = new Library(ns, "DEF");
    expect(() => new Library(ns, "DEF")).toThrow(`Only a single TORCH_LIBRARY can be used to register the namespace ${ns}`);
    lib.dispose();
    expect(() => new Library(ns, "DEF").dispose()).not.toThrow();
  });

  it("rejects bad kinds, the prim namespace, defs in IMPL blocks and foreign namespaces", () => {
    expect(() => new Library("x", "XYZ" as "DEF")).toThrow("Unsupported kind: XYZ");
    expect(() => new Library("prim", "DEF")).toThrow("prim is a reserved namespace.");
    expect(() => new Library("_", "FRAGMENT")).toThrow("cannot define TORCH_LIBRARY_FRAGMENT with the wildcard namespace _");
    const ns = freshNs();
    const impl = new Library(ns, "IMPL");
    expect(() => impl.define("bar(Tensor x) -> Tensor")).toThrow(`def("bar"): Cannot define an operator inside of a TORCH_LIBRARY_IMPL block.`);
    const frag = new Library(ns, "FRAGMENT");
    expect(() => frag.define("otherns::bar(Tensor x) -> Tensor")).toThrow(
      `Explicitly provided namespace (otherns) in schema string does not match namespace of enclosing TORCH_LIBRARY_FRAGMENT block (${ns}).`,
    );
    expect(() => impl.impl("otherns::foo", (x: unknown) => x, "CPU")).toThrow(`Explicitly provided namespace (otherns) in operator name`);
    const keyed = new Library(ns, "IMPL", "CPU");
    expect(() => keyed.impl("foo", (x: unknown) => x, "Meta")).toThrow(
      `impl("foo", ...): Explicitly provided dispatch key (Meta) is inconsistent with the dispatch key of the enclosing TORCH_LIBRARY_IMPL block (CPU).`,
    );
    expect(() => impl.impl("foo", 3 as unknown as () => unknown, "CPU")).toThrow("Input function is required to be a callable but found type number");
    expect(() => impl.fallback(() => null, "PrivateUse1")).toThrow(`Fallback can only be registered using library fragment on the global namespace "_" but it is ${ns}`);
    for (const l of [impl, frag, keyed]) l.dispose();
  });

  it("finds schemas and explains impl-before-def", () => {
    const ns = freshNs();
    const impl = new Library(ns, "IMPL");
    impl.impl("zz", (x: unknown) => x, "CPU");
    expect(dispatcher.findSchema(`${ns}::zz`, "")).toBeUndefined();
    expect(() => dispatcher.findSchemaOrThrow(`${ns}::zz`, "")).toThrow(
      `Could not find schema for ${ns}::zz. but we found an implementation; did you forget to def() the operator?`,
    );
    expect(() => dispatcher.findSchemaOrThrow(`${ns}::nope`, "x")).toThrow(`Could not find schema for ${ns}::nope.x.`);
    const lib = defineFoo(ns, "zz(Tensor x) -> Tensor");
    expect(ops[ns]!.zz!(cpu())).toMatchObject({ label: "x" });
    lib.dispose();
    impl.dispose();
    expect(dispatcher.findOp(`${ns}::zz`)).toBeUndefined();
  });
});

describe("kernels and overrides", () => {
  it("given CPU kernels k1 then k2, then k2 runs with a one-time warning, and disposing k2 restores k1 (scenario 16)", () => {
    const ns = freshNs();
    const def = defineFoo(ns);
    const l1 = new Library(ns, "IMPL");
    l1.impl("foo", () => "k1", "CPU");
    const l2 = new Library(ns, "IMPL");
    const { warnings } = catchWarnings(() => l2.impl("foo", () => "k2", "CPU"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain("Warning only once for all operators,  other operators may also be overridden.");
    expect(warnings[0]!.message).toContain(`operator: ${ns}::foo(Tensor x) -> Tensor`);
    expect(warnings[0]!.message).toContain("dispatch key: CPU");
    expect(ops[ns]!.foo!(cpu())).toBe("k2");
    expect(dispatcher.dumpState(`${ns}::foo`)).toMatch(/CPU: .*\nCPU \(inactive\): /);
    l2.dispose();
    expect(ops[ns]!.foo!(cpu())).toBe("k1");
    const again = catchWarnings(() => new Library(ns, "IMPL").impl("foo", () => "k3", "CPU"));
    expect(again.warnings).toHaveLength(0);
    def.dispose();
  });

  it("refuses a second host kernel with allowOverride=false", () => {
    const ns = freshNs();
    const def = defineFoo(ns);
    const l1 = new Library(ns, "IMPL");
    l1.impl("foo", () => 1, "CPU");
    expect(() => new Library(ns, "IMPL").impl("foo", () => 2, "CPU", { allowOverride: false })).toThrow(
      "This is not allowed since there's already a kernel registered from python overriding",
    );
    l1.dispose();
    def.dispose();
  });
});

describe("backend fallbacks", () => {
  it("given a PrivateUse1 fallback, when a second is registered, then PyTorch's error (scenario 17)", () => {
    const a = new Library("_", "IMPL");
    a.fallback(() => "fb", "PrivateUse1");
    const b = new Library("_", "IMPL");
    expect(() => b.fallback(() => "fb2", "PrivateUse1")).toThrow(
      "Tried to register multiple backend fallbacks for the same dispatch key PrivateUse1; previous registration",
    );
    expect(() => b.fallback(() => "fb2", "BackendSelect")).toThrow("Tried to register multiple backend fallbacks for the same dispatch key BackendSelect");
    const ns = freshNs();
    const def = defineFoo(ns);
    expect(ops[ns]!.foo!(pu1())).toBe("fb");
    a.dispose();
    expect(() => ops[ns]!.foo!(pu1())).toThrow("Could not run");
    def.dispose();
  });

  it("a user fallback sees the OpOverload, the key set and the arguments, and can redispatch", () => {
    const ns = freshNs();
    const def = new Library(ns, "DEF");
    def.define("foo(Tensor x, int n=3) -> Tensor");
    const impl = new Library(ns, "IMPL");
    impl.impl("foo", (_x: unknown, n: number) => `cpu${n}`, "CPU");
    const seen: string[] = [];
    const fb = new Library("_", "IMPL");
    fb.fallback((op, ks, args) => {
      seen.push(`${String(op)} ${String(ks)} ${args.length}`);
      return op.redispatch(ks.remove(K.PrivateUse1).removeBackend(2).add(K.CPU), ...args);
    }, "PrivateUse1");
    expect(ops[ns]!.foo!(tensorWith("p", K.PrivateUse1))).toBe("cpu3");
    expect(seen).toEqual([`${ns}.foo.default DispatchKeySet(PrivateUse1) 2`]);
    fb.dispose();
    def.dispose();
    impl.dispose();
  });
});

describe("dispatch-table computation", () => {
  it("given only a key-less impl, then it is the math kernel everywhere and runs for CPU and meta (scenario 18)", () => {
    const ns = freshNs();
    const def = defineFoo(ns);
    const impl = new Library(ns, "IMPL");
    impl.impl("foo", () => "math");
    for (const k of ["Undefined", "CPU", "Meta", "AutogradCPU", "AutogradMeta"]) expect(entry(`${ns}::foo`, k)).toMatch(/\[math kernel\]$/);
    expect(ops[ns]!.foo!(cpu())).toBe("math");
    expect(ops[ns]!.foo!(meta())).toBe("math");
    def.dispose();
    impl.dispose();
  });

  it("given CPU and CIA kernels, then AutogradCPU takes the autograd fallback and Meta the math kernel (scenario 19)", () => {
    const ns = freshNs();
    const def = defineFoo(ns);
    const impl = new Library(ns, "IMPL");
    impl.impl("foo", () => "cpu", "CPU");
    impl.impl("foo", () => "math", "CompositeImplicitAutograd");
    const n = `${ns}::foo`;
    expect(entry(n, "CPU")).toMatch(/\[kernel\]$/);
    expect(entry(n, "AutogradCPU")).toMatch(/\[backend fallback\]$/);
    expect(entry(n, "Meta")).toMatch(/\[math kernel\]$/);
    expect(entry(n, "AutogradMeta")).toMatch(/\[math kernel\]$/);
    expect(ops[ns]!.foo!(cpu())).toBe("cpu");
    expect(ops[ns]!.foo!(meta())).toBe("math");
    def.dispose();
    impl.dispose();
  });

  it("given CEA and Autograd kernels, then backends take CEA and autograd keys the Autograd kernel; CIA changes nothing (scenario 20)", () => {
    const ns = freshNs();
    const def = defineFoo(ns);
    const impl = new Library(ns, "IMPL");
    impl.impl("foo", () => "cea", "CompositeExplicitAutograd");
    impl.impl("foo", () => "ag", "Autograd");
    const n = `${ns}::foo`;
    const snapshot = () => ["CPU", "Meta", "Undefined", "AutogradCPU", "AutogradMeta"].map((k) => entry(n, k));
    const before = snapshot();
    expect(before[0]).toMatch(/\[default backend kernel\]$/);
    expect(before[2]).toMatch(/\[default backend kernel\]$/);
    expect(before[3]).toMatch(/\[autograd kernel\]$/);
    impl.impl("foo", () => "math", "CompositeImplicitAutograd");
    expect(snapshot()).toEqual(before);
    expect(ops[ns]!.foo!(cpu())).toBe("ag");
    def.dispose();
    impl.dispose();
  });

  for (const backend of ["FPGA", "SparseCPU"]) {
    it(`given kernels at ${backend} and CIA, then AutogradOther is ambiguous and calling it is an internal assert (scenario 21)`, () => {
      const ns = freshNs();
      const def = defineFoo(ns);
      const impl = new Library(ns, "IMPL");
      impl.impl("foo", () => "b", backend);
      impl.impl("foo", () => "math", "CompositeImplicitAutograd");
      expect(entry(`${ns}::foo`, "AutogradOther")).toBe("AutogradOther: ambiguous_autogradother [ambiguous autogradother]");
      using _ex = new ExcludeDispatchKeyGuard(DispatchKeySet.of(K.AutogradFunctionality));
      using _in = new IncludeDispatchKeyGuard(K.AutogradOther);
      expect(() => ops[ns]!.foo!(cpu())).toThrow(
        `${ns}::foo has kernels registered to both CompositeImplicitAutograd and a backend mapped to AutogradOther.`,
      );
      def.dispose();
      impl.dispose();
    });
  }

  it("reproduces PyTorch's stale autograd entry when CIA is registered before CEA (§4.3 note iv)", () => {
    const run = (order: string[]) => {
      const ns = freshNs();
      const def = defineFoo(ns);
      const impl = new Library(ns, "IMPL");
      for (const k of order) impl.impl("foo", () => k, k);
      const r = ops[ns]!.foo!(cpu());
      const dump = entry(`${ns}::foo`, "AutogradCPU");
      def.dispose();
      impl.dispose();
      return [r, dump];
    };
    const [ciaFirst, dumpCia] = run(["CompositeImplicitAutograd", "CompositeExplicitAutograd"]);
    const [ceaFirst, dumpCea] = run(["CompositeExplicitAutograd", "CompositeImplicitAutograd"]);
    expect(ciaFirst).toBe("CompositeImplicitAutograd");
    expect(ceaFirst).toBe("CompositeExplicitAutograd");
    expect(dumpCia).toMatch(/\[backend fallback\]$/);
    expect(dumpCea).toMatch(/\[backend fallback\]$/);
  });

  it("gives the same table for every registration order (3 registrations, 6 orders)", () => {
    const regs: Array<[string, string]> = [
      ["CPU", "cpu"],
      ["CompositeImplicitAutograd", "math"],
      ["AutogradMeta", "agmeta"],
      ["Python", "py"],
    ];
    const perms = (xs: number[]): number[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
    const dumps = new Set<string>();
    const results = new Set<string>();
    for (const order of perms([0, 1, 2, 3])) {
      const ns = "perm";
      const def = new Library(ns, "DEF", undefined, { debug: "registered at def" });
      def.define("foo(Tensor x) -> Tensor");
      const impl = new Library(ns, "IMPL", undefined, { debug: "registered at impl" });
      for (const i of order) impl.impl("foo", () => regs[i]![1], regs[i]![0]);
      dumps.add(dispatcher.dumpTable("perm::foo"));
      results.add(`${String(ops.perm!.foo!(cpu()))}/${String(ops.perm!.foo!(meta()))}`);
      impl.dispose();
      def.dispose();
    }
    expect(dumps.size).toBe(1);
    expect(results).toEqual(new Set(["cpu/agmeta"]));
  });
});

describe("errors for missing kernels", () => {
  it("given only a CPU kernel, when called with a meta tensor, then the Meta fallback's error (scenario 22)", () => {
    const ns = freshNs();
    const def = defineFoo(ns);
    const impl = new Library(ns, "IMPL");
    impl.impl("foo", () => "cpu", "CPU");
    expect(() => ops[ns]!.foo!(meta())).toThrow(
      `${ns}::foo: attempted to run this operator with Meta tensors, but there was no fake impl or Meta kernel registered.`,
    );
    def.dispose();
    impl.dispose();
  });

  it("given only a CPU kernel, when called with a PrivateUse1 tensor, then 'Could not run' with the available keys (scenario 23)", () => {
    const ns = freshNs();
    const def = defineFoo(ns);
    const impl = new Library(ns, "IMPL");
    impl.impl("foo", () => "cpu", "CPU");
    let msg = "";
    try {
      ops[ns]!.foo!(pu1());
    } catch (e) {
      expect((e as Error).name).toBe("NotImplementedError");
      msg = (e as Error).message;
    }
    expect(msg.startsWith(`Could not run '${ns}::foo' with arguments from the 'PrivateUse1' backend.`)).toBe(true);
    const list = /only available for these backends: \[(.*?)\]/.exec(msg)![1]!.split(", ");
    for (const k of ["CPU", "Meta", "BackendSelect", "ADInplaceOrView", "AutogradCPU"]) expect(list).toContain(k);
    expect(list).not.toContain("PrivateUse1");
    expect(msg).toContain("\n\nCPU: registered at");
    // the same through the TLS include set
    using _g = new IncludeDispatchKeyGuard(K.PrivateUse1);
    expect(() => ops[ns]!.foo!(cpu())).toThrow(`with arguments from the 'PrivateUse1' backend`);
    def.dispose();
    impl.dispose();
  });

  it("given a Tensor[] op called with [], then the no-tensor-arguments error; with a CIA kernel it runs (scenario 24)", () => {
    const ns = freshNs();
    const def = defineFoo(ns, "bar(Tensor[] xs) -> Tensor");
    const impl = new Library(ns, "IMPL");
    impl.impl("bar", () => "cpu", "CPU");
    expect(() => ops[ns]!.bar!([])).toThrow(
      `There were no tensor arguments to this function (e.g., you passed an empty list of Tensors), but no fallback function is registered for schema ${ns}::bar.`,
    );
    impl.impl("bar", () => "math", "CompositeImplicitAutograd");
    expect(ops[ns]!.bar!([])).toBe("math");
    expect(ops[ns]!.bar!([cpu()])).toBe("cpu");
    def.dispose();
    impl.dispose();
  });
});

describe("key sets seen by kernels", () => {
  it("an AutogradCPU kernel sees AutogradCPU and CPU but not the masked fallthroughs nor TLS-excluded keys (scenario 25)", () => {
    const ns = freshNs();
    const def = defineFoo(ns);
    const impl = new Library(ns, "IMPL");
    let seen: DispatchKeySet | null = null;
    impl.impl("foo", (ks: DispatchKeySet) => ((seen = ks), "ag"), "AutogradCPU", { withKeyset: true });
    ops[ns]!.foo!(cpu());
    const s = seen as unknown as DispatchKeySet;
    expect(s.has(K.AutogradCPU) && s.has(K.CPU)).toBe(true);
    for (const k of [K.BackendSelect, K.ADInplaceOrView, K.AutocastCPU]) expect(s.has(k)).toBe(false);
    expect(String(s)).toBe("DispatchKeySet(CPU, AutogradCPU)");
    def.dispose();
    impl.dispose();
  });

  it("a per-op fallthrough at AutogradCPU skips autograd for CPU but not for meta (scenario 26)", () => {
    const ns = freshNs();
    const def = defineFoo(ns);
    const impl = new Library(ns, "IMPL");
    const log: string[] = [];
    impl.impl("foo", fallthrough, "AutogradCPU");
    impl.impl("foo", (ks: DispatchKeySet, x: unknown) => {
      log.push("AutogradMeta");
      return ops[ns]!.foo!.default!.redispatch(ks.and(DispatchKeySet.fullAfter(K.AutogradOther)), x);
    }, "AutogradMeta", { withKeyset: true });
    impl.impl("foo", () => "cpu", "CPU");
    impl.impl("foo", () => "meta", "Meta");
    expect(entry(`${ns}::foo`, "AutogradCPU")).toMatch(/^AutogradCPU: fallthrough registered at .* \[kernel\]$/);
    expect(ops[ns]!.foo!(cpu())).toBe("cpu");
    expect(log).toEqual([]);
    expect(ops[ns]!.foo!(meta())).toBe("meta");
    expect(log).toEqual(["AutogradMeta"]);
    def.dispose();
    impl.dispose();
  });

  it("redispatch does not re-read TLS, a fresh call does (scenario 27)", () => {
    const ns = freshNs();
    const def = defineFoo(ns);
    const impl = new Library(ns, "IMPL");
    const fake = new Library("_", "IMPL");
    const log: string[] = [];
    fake.fallback((op, ks, args) => {
      log.push("Fake");
      return op.redispatch(ks.remove(K.Fake), ...args);
    }, "Fake");
    impl.impl("foo", () => "cpu", "CPU");
    let fresh = false;
    const handle = dispatcher.findOp(`${ns}::foo`)!;
    const ag = dispatcher.registerImpl(`${ns}::foo`, "", K.AutogradCPU, KernelFunction.fromBoxed<OperatorHandle>((op, ks, stack) => {
      using _g = new IncludeDispatchKeyGuard(K.Fake);
      if (fresh) {
        const args = stack.splice(0);
        stack.push(withBelowAutograd(() => dispatcher.call(op, args)));
      } else {
        dispatcher.redispatchBoxed(op, ks & fullAfter(K.AutogradOther), stack);
      }
    }), "registered at test");
    expect(dispatcher.call(handle, [cpu()])).toBe("cpu");
    expect(log).toEqual([]);
    fresh = true;
    expect(dispatcher.call(handle, [cpu()])).toBe("cpu");
    expect(log).toEqual(["Fake"]);
    ag.dispose();
    fake.dispose();
    def.dispose();
    impl.dispose();
  });

  it("extracts keys from Tensor?, Tensor?[] and skips None (scenario 28)", () => {
    const ns = freshNs();
    const def = defineFoo(ns, "baz(Tensor? a, Tensor?[] l, int n) -> Tensor");
    const x = cpu();
    const h = dispatcher.findOp(`${ns}::baz`)!;
    expect(dispatcher.extractKeySet(h, [null, [null, x], 3])).toBe(x.keySet);
    expect(dispatcher.extractKeySet(h, [null, [], 3])).toBe(0);
    def.dispose();
  });

  it("boxed and unboxed calls agree, with adapters both ways", () => {
    const ns = freshNs();
    const def = new Library(ns, "DEF");
    def.define("two(Tensor x, int k=2) -> (Tensor, int)");
    def.define("none(Tensor x) -> ()");
    const h = dispatcher.findOp(`${ns}::two`)!;
    const unboxed = dispatcher.registerImpl(`${ns}::two`, "", K.CPU, KernelFunction.fromUnboxed(((x: unknown, k: number) => [x, k * 10]) as never), "u");
    const stack: unknown[] = [cpu(), 4];
    dispatcher.callBoxed(h, stack);
    expect(stack.map((v) => (typeof v === "number" ? v : "t"))).toEqual(["t", 40]);
    unboxed.dispose();
    const boxed = dispatcher.registerImpl(`${ns}::two`, "", K.CPU, KernelFunction.fromBoxed((_op, _ks, st) => {
      const k = st.pop() as number;
      const x = st.pop();
      st.push(x, k + 1);
    }), "b");
    expect((ops[ns]!.two!(cpu()) as unknown[])[1]).toBe(3);
    boxed.dispose();
    const n = new Library(ns, "IMPL");
    n.impl("none", () => "ignored", "CPU");
    expect(ops[ns]!.none!(cpu())).toBeUndefined();
    n.dispose();
    def.dispose();
  });

  it("FULL is the initial fallthrough mask of a fresh operator", () => {
    const ns = freshNs();
    const def = defineFoo(ns);
    const h = dispatcher.findOp(`${ns}::foo`)!;
    expect(h.nonFallthroughKeys & ~FULL).toBe(0);
    def.dispose();
  });
});
