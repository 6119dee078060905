// torch.ops: OpOverload and OpOverloadPacket objects, the calling convention (positional, then one
// trailing keyword object), argument checking with PyTorch's texts, and overload matching.
import { beforeAll, describe, expect, it } from "vitest";
import { DispatchKey } from "../../src/core/dispatch-key.js";
import { DispatchKeySet } from "../../src/core/dispatch-key-set.js";
import { Library } from "../../src/dispatcher/library.js";
import { isOpOverload, isOpOverloadPacket, lookupOp, ops } from "../../src/dispatcher/op-overload.js";
import { ensureStandardFallbacks } from "../../src/dispatcher/standard-fallbacks.js";
import { setValueHooks } from "../../src/dispatcher/argument-parser.js";
import { FakeT, cpu, freshNs } from "./helpers.js";

beforeAll(() => ensureStandardFallbacks());

function setup() {
  const ns = freshNs();
  const lib = new Library(ns, "DEF");
  lib.define("add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor");
  lib.define("add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor");
  lib.define("zeros(int[] size, *, ScalarType? dtype=None) -> Tensor");
  lib.define("pool(Tensor x, int[2] kernel, int[2] stride=1, bool ceil=False) -> Tensor");
  const calls: string[] = [];
  lib.impl("add.Tensor", (_a: unknown, b: FakeT, alpha: number) => (calls.push(`Tensor ${b.label} ${alpha}`), "T"), "CPU");
  lib.impl("add.Scalar", (_a: unknown, b: number, alpha: number) => (calls.push(`Scalar ${b} ${alpha}`), "S"), "CPU");
  lib.impl("zeros", (size: number[], dtype: unknown) => (calls.push(`zeros ${JSON.stringify(size)} ${String(dtype)}`), "Z"), "CompositeExplicitAutograd");
  lib.impl("pool", (_x: unknown, k: number[], s: number[], c: boolean) => (calls.push(`pool ${k} ${s} ${c}`), "P"), "CPU");
  return { ns, lib, calls };
}

describe("OpOverload", () => {
  it("is one callable object per operator, printing like PyTorch", () => {
    const { ns, lib } = setup();
    const op = ops[ns]!.add!.Tensor!;
    expect(op).toBe(ops[ns]!.add!.Tensor);
    expect(String(op)).toBe(`${ns}.add.Tensor`);
    expect(op.name).toBe(`${ns}::add.Tensor`);
    expect(op.overloadName).toBe("Tensor");
    expect(String(op.schema)).toBe(`${ns}::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor`);
    expect(op.overloadPacket).toBe(ops[ns]!.add);
    expect(isOpOverload(op)).toBe(true);
    expect(lookupOp(`${ns}::add.Tensor`)).toBe(op);
    const z = ops[ns]!.zeros!.default!;
    expect(String(z)).toBe(`${ns}.zeros.default`);
    expect(z.name).toBe(`${ns}::zeros`);
    lib.dispose();
  });

  it("fills defaults and takes keyword arguments from one trailing object", () => {
    const { ns, lib, calls } = setup();
    ops[ns]!.add!.Tensor!(cpu("x"), cpu("y"));
    ops[ns]!.add!.Tensor!(cpu("x"), cpu("y"), { alpha: 2 });
    ops[ns]!.zeros!.default!([2, 3], { dtype: "float64" });
    ops[ns]!.pool!.default!(cpu(), 2);
    expect(calls).toEqual(["Tensor y 1", "Tensor y 2", 'zeros [2,3] float64', "pool 2,2 1,1 false"]);
    lib.dispose();
  });

  it("reports bad calls with PyTorch's texts", () => {
    const { ns, lib } = setup();
    const op = ops[ns]!.add!.Tensor!;
    const decl = `Declaration: ${ns}::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor`;
    expect(() => op(cpu(), cpu(), 1, 2)).toThrow(`${ns}::add() expected at most 3 argument(s) but received 4 argument(s). ${decl}`);
    expect(() => op(cpu())).toThrow(`${ns}::add() is missing value for argument 'other'. ${decl}`);
    expect(() => op(cpu(), "a")).toThrow(`${ns}::add() Expected a value of type 'Tensor' for argument 'other' but instead found type 'string'.\nPosition: 1\nValue: 'a'`);
    expect(() => op(cpu(), cpu(), { beta: 2 })).toThrow(`Unknown keyword argument 'beta' for operator '${ns}::add'.`);
    expect(() => op(cpu(), cpu(), { other: cpu() })).toThrow(`Argument 'other' specified both as positional and keyword argument.`);
    expect(() => op(cpu(), cpu(), 2)).toThrow(`${ns}::add() takes 2 positional argument(s) but 3 was/were given.`);
    expect(() => op(cpu(), null)).toThrow("Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #1 'other'");
    expect(() => ops[ns]!.zeros!.default!([0.5])).toThrow("Expected a value of type 'List[int]' for argument 'size'");
    lib.dispose();
  });
});

describe("OpOverloadPacket", () => {
  it("resolves the overload from the argument types: Tensor vs Scalar", () => {
    const { ns, lib, calls } = setup();
    const p = ops[ns]!.add!;
    expect(isOpOverloadPacket(p)).toBe(true);
    expect(String(p)).toBe(`${ns}.add`);
    expect(p.overloads()).toEqual(["Tensor", "Scalar"]);
    expect(p(cpu("x"), cpu("y"))).toBe("T");
    expect(p(cpu("x"), 2)).toBe("S");
    expect(p(cpu("x"), 2, 3)).toBe("S");
    expect(calls).toEqual(["Tensor y 1", "Scalar 2 1", "Scalar 2 3"]);
    expect(() => p(cpu(), "a")).toThrow("Overloaded torch operator invoked from Python failed to match any schema:");
    lib.dispose();
  });

  it("accepts numbers for a Tensor argument when no other overload takes them (second pass)", () => {
    const ns = freshNs();
    const lib = new Library(ns, "DEF");
    lib.define("mul.Tensor(Tensor self, Tensor other) -> Tensor");
    lib.impl("mul.Tensor", (_a: unknown, b: FakeT) => b.label, "CPU");
    setValueHooks({
      isTensor: (v) => v instanceof FakeT,
      scalarToTensor: (v) => new FakeT(cpu().keySet, `wrapped ${String(v)}`),
    });
    expect(ops[ns]!.mul!(cpu(), 3)).toBe("wrapped 3");
    expect(ops[ns]!.mul!.Tensor!(cpu(), 4)).toBe("wrapped 4");
    lib.dispose();
  });

  it("raises PyTorch's AttributeErrors for unknown overloads and operators (scenario 55)", () => {
    const { ns, lib } = setup();
    expect(() => ops[ns]!.add!.bar).toThrow(`The underlying op of '${ns}.add' has no overload name 'bar'`);
    expect(() => ops[ns]!.nope).toThrow(`'_OpNamespace' '${ns}' object has no attribute 'nope'`);
    expect(Object.keys(ops[ns]!).sort()).toEqual(["add", "pool", "zeros"]);
    lib.dispose();
    expect(() => ops[ns]!.add).toThrow("object has no attribute 'add'");
  });

  it("redispatch uses the key set as given: no TLS, no fallthrough mask", () => {
    const { ns, lib } = setup();
    const op = ops[ns]!.add!.Tensor!;
    expect(op.redispatch(DispatchKeySet.of(DispatchKey.CPU), cpu(), cpu("z"))).toBe("T");
    // the tensor's own set has AutocastCPU on top, whose fallthrough is reached directly
    expect(() => op.redispatch(DispatchKeySet.fromRaw(cpu().keySet), cpu(), cpu("z"))).toThrow(
      "fallthrough_kernel was executed but it should have been short-circuited by the dispatcher.",
    );
    lib.dispose();
  });
});
