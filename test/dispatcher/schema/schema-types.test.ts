// The schema data model as the dispatcher reads it: names, mutability, out arguments, the
// tensor-carrying parameters, and schemas built in code rather than parsed.
import { describe, expect, it } from "vitest";
import {
  Argument,
  FunctionSchema,
  isTensorLike,
  parseSchema,
  type SchemaType,
} from "../../../src/dispatcher/schema/index.js";

const int: SchemaType = { kind: "base", name: "int" };
const tensor: SchemaType = { kind: "base", name: "Tensor" };

describe("FunctionSchema", () => {
  it("given a namespaced overload, when asked, then namespace, base name and qualified name", () => {
    const s = parseSchema("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor");
    expect(s.namespace).toBe("aten");
    expect(s.baseName).toBe("add");
    expect(s.qualifiedName).toBe("aten::add.Tensor");
  });

  it("given the default overload without namespace, when asked, then no namespace and no dot", () => {
    const s = parseSchema("twice(Tensor x) -> Tensor");
    expect(s.namespace).toBeUndefined();
    expect(s.baseName).toBe("twice");
    expect(s.qualifiedName).toBe("twice");
  });

  it("given a schema without namespace, when given one, then a copy named ns::op; with one, itself", () => {
    const s = parseSchema("twice.out(Tensor x, *, Tensor(a!) out) -> Tensor(a!)");
    const t = s.withNamespace("myns");
    expect(t.qualifiedName).toBe("myns::twice.out");
    expect(String(t)).toBe("myns::twice.out(Tensor x, *, Tensor(a!) out) -> Tensor(a!)");
    expect(t.withNamespace("other")).toBe(t);
    expect(s.namespace).toBeUndefined();
  });

  it("given written arguments (directly or as list elements), when asked, then the schema is mutable", () => {
    expect(parseSchema("aten::add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)").isMutable).toBe(true);
    expect(parseSchema("aten::_foreach_add_.List(Tensor(a!)[] self, Tensor[] other, *, Scalar alpha=1) -> ()").isMutable).toBe(true);
    expect(parseSchema("aten::view(Tensor(a) self, SymInt[] size) -> Tensor(a)").isMutable).toBe(false);
    expect(parseSchema("foo(Tensor x) -> Tensor(a!)").isMutable).toBe(false);
  });

  it("given a keyword-only written argument, when asked, then it is an out argument", () => {
    const s = parseSchema("aten::abs.out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)");
    expect(s.arguments.map((a) => a.isOut)).toEqual([false, true]);
  });

  it("given arguments built in code, when printed, then as if parsed", () => {
    const s = new FunctionSchema(
      "myns::pad",
      "",
      [
        new Argument({ name: "x", type: tensor }),
        new Argument({ name: "p", type: { kind: "list", elem: int, size: 2 }, defaultValue: [0, 0] }),
        new Argument({ name: "eps", type: { kind: "base", name: "float" }, defaultValue: 1, kwargOnly: true }),
      ],
      [new Argument({ name: "", type: tensor })],
    );
    expect(s.arguments[1]!.N).toBe(2);
    expect(s.arguments[2]!.defaultKind).toBe("float");
    expect(String(s)).toBe("myns::pad(Tensor x, int[2] p=0, *, float eps=1.) -> Tensor");
  });

  it("given a positional argument without default after a default, when built in code, then PyTorch's error", () => {
    const args = [new Argument({ name: "a", type: int, defaultValue: 1 }), new Argument({ name: "b", type: int })];
    expect(() => new FunctionSchema("f", "", args, [])).toThrow(
      "Non-default positional argument follows default argument. Parameter b in f(int a=1, int b) -> ()",
    );
  });
});

describe("Argument", () => {
  it("given defaults, when asked, then hasDefault distinguishes None from no default", () => {
    const [a, b] = parseSchema("f(Tensor? a, Tensor? b=None) -> ()").arguments;
    expect([a!.hasDefault, a!.defaultValue, a!.defaultKind]).toEqual([false, undefined, undefined]);
    expect([b!.hasDefault, b!.defaultValue, b!.defaultKind]).toEqual([true, null, "none"]);
  });

  it("given default values without a kind, when built in code, then the kind is inferred from value and type", () => {
    const kind = (type: SchemaType, defaultValue: Argument["defaultValue"]) => new Argument({ name: "x", type, defaultValue }).defaultKind;
    expect(kind(int, 1)).toBe("int");
    expect(kind(int, 1.5)).toBe("float");
    expect(kind({ kind: "base", name: "Device" }, "cpu")).toBe("device");
    expect(kind({ kind: "base", name: "str" }, "mean")).toBe("str");
    expect(kind({ kind: "list", elem: { kind: "base", name: "float" } }, [1, 2])).toBe("float-list");
    expect(kind({ kind: "list", elem: int }, [])).toBe("int-list");
    expect(kind({ kind: "base", name: "complex" }, { re: 0, im: 1 })).toBe("complex");
  });
});

describe("isTensorLike", () => {
  it("given the four tensor-carrying shapes, when classified, then each is named, annotations ignored", () => {
    const s = parseSchema("f(Tensor(a!) a, Tensor? b, Tensor[] c, Tensor?[] d, Tensor(a)[2] e) -> ()");
    expect(s.arguments.map((a) => isTensorLike(a.type))).toEqual(["tensor", "optional-tensor", "tensor-list", "optional-tensor-list", "tensor-list"]);
  });

  it("given other types, when classified, then null", () => {
    const s = parseSchema("f(int a, Tensor[]? b, Scalar c, (Tensor, Tensor) d, Generator? g, t e) -> ()");
    expect(s.arguments.map((a) => isTensorLike(a.type))).toEqual([null, null, null, null, null, null]);
  });
});
