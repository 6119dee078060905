// The schema grammar of dispatch-semantics.md §4.1: names, types, alias annotations, defaults,
// keyword-only parameters, varargs and returns, read as PyTorch 2.14.1 reads them.
import { describe, expect, it } from "vitest";
import {
  FunctionSchema,
  parseOperatorName,
  parseSchema,
  parseSchemaOrName,
  type Argument,
} from "../../../src/dispatcher/schema/index.js";

/** The only argument of `f(<param>) -> ()`. */
function param(text: string): Argument {
  return parseSchema(`f(${text}) -> ()`).arguments[0]!;
}

describe("scenario 54", () => {
  const s = parseSchema("foo(Tensor(a!) self, int[2] k=1, *, Tensor? out=None) -> (Tensor(a!), Tensor)");

  it("given a write-annotated self, when parsed, then self is written in set a", () => {
    expect(s.arguments[0]!.aliasInfo).toEqual({ beforeSets: ["a"], afterSets: ["a"], isWrite: true, containedTypes: [] });
    expect(s.isMutable).toBe(true);
  });

  it("given `int[2] k=1`, when parsed, then k's default is the list [1, 1] and N is 2", () => {
    const k = s.arguments[1]!;
    expect(k.N).toBe(2);
    expect(k.defaultValue).toEqual([1, 1]);
    expect(k.type).toEqual({ kind: "list", elem: { kind: "base", name: "int" }, size: 2 });
  });

  it("given `*, Tensor? out=None`, when parsed, then out is keyword-only with the default None", () => {
    const out = s.arguments[2]!;
    expect(out.kwargOnly).toBe(true);
    expect(out.defaultValue).toBeNull();
    expect(out.hasDefault).toBe(true);
    expect(out.type).toEqual({ kind: "optional", elem: { kind: "base", name: "Tensor" } });
  });

  it("given the tuple return, when parsed and printed, then two returns and the same text", () => {
    expect(s.returns.map((r) => r.aliasInfo?.isWrite ?? false)).toEqual([true, false]);
    expect(String(s)).toBe("foo(Tensor(a!) self, int[2] k=1, *, Tensor? out=None) -> (Tensor(a!), Tensor)");
  });
});

describe("names", () => {
  it("given a namespace and an overload, when parsed, then name and overloadName split at the dot", () => {
    const s = parseSchema("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor");
    expect([s.name, s.overloadName, s.namespace, s.baseName]).toEqual(["aten::add", "Tensor", "aten", "add"]);
  });

  it("given no overload, when parsed, then the overload name is empty", () => {
    expect(parseSchema("myns::foo(Tensor x) -> Tensor").overloadName).toBe("");
  });

  it("given a name without parentheses, when parsed as schema or name, then it is a name", () => {
    expect(parseSchemaOrName("aten::add.Tensor")).toEqual({ name: "aten::add", overloadName: "Tensor" });
    expect(parseSchemaOrName("foo(Tensor x) -> Tensor")).toBeInstanceOf(FunctionSchema);
  });

  it("given an operator name, when parsed as a name, then name and overload", () => {
    expect(parseOperatorName("aten::add")).toEqual({ name: "aten::add", overloadName: "" });
    expect(parseOperatorName("relu.out")).toEqual({ name: "relu", overloadName: "out" });
  });

  it("given overload names that merely resemble the forbidden ones, when parsed, then they are accepted", () => {
    for (const o of ["_default", "Default", "_"]) expect(parseSchema(`foo.${o}(Tensor x) -> Tensor`).overloadName).toBe(o);
  });
});

describe("types", () => {
  it("given the base types, when parsed, then base nodes; DeviceIndex and ConstQuantizerPtr are int, None is NoneType", () => {
    expect(param("SymInt x").type).toEqual({ kind: "base", name: "SymInt" });
    expect(param("SymBool x").type).toEqual({ kind: "base", name: "SymBool" });
    expect(param("DeviceIndex x").type).toEqual({ kind: "base", name: "int" });
    expect(param("ConstQuantizerPtr x").type).toEqual({ kind: "base", name: "int" });
    expect(param("None x").type).toEqual({ kind: "base", name: "NoneType" });
    expect(param("ScalarType x").type).toEqual({ kind: "base", name: "ScalarType" });
  });

  it("given lower-case unknown names, when parsed, then type variables, in any namespace", () => {
    const s = parseSchema("myns::foo(t x, Dict(str, tVal) d, t1[] l) -> t");
    expect(s.arguments.map((a) => a.type)).toEqual([
      { kind: "var", name: "t" },
      { kind: "dict", key: { kind: "base", name: "str" }, value: { kind: "var", name: "tVal" } },
      { kind: "list", elem: { kind: "var", name: "t1" } },
    ]);
  });

  it("given containers, when parsed, then tuple, Future, RRef, Await, Union and class nodes", () => {
    expect(param("(int, str) x").type).toEqual({ kind: "tuple", elems: [{ kind: "base", name: "int" }, { kind: "base", name: "str" }] });
    expect(param("Future(t) x").type).toEqual({ kind: "future", elem: { kind: "var", name: "t" } });
    expect(param("RRef(t) x").type).toEqual({ kind: "rref", elem: { kind: "var", name: "t" } });
    expect(param("Await(int) x").type).toEqual({ kind: "await", elem: { kind: "base", name: "int" } });
    expect(param("Union(str, int) x").type).toEqual({ kind: "union", elems: [{ kind: "base", name: "int" }, { kind: "base", name: "str" }] });
    expect(param("__torch__.torch.classes.rnn.CellParamsBase x").type).toEqual({
      kind: "class",
      name: "__torch__.torch.classes.rnn.CellParamsBase",
    });
  });

  it("given members of containers, when parsed, then stored as PyTorch stores them: ints for ScalarType/SymInt, no annotations", () => {
    expect(param("(ScalarType, SymInt[]) x").type).toEqual({
      kind: "tuple",
      elems: [{ kind: "base", name: "int" }, { kind: "list", elem: { kind: "base", name: "int" } }],
    });
    expect(param("Dict(str, Tensor(a)) x").type).toEqual({ kind: "dict", key: { kind: "base", name: "str" }, value: { kind: "base", name: "Tensor" } });
  });

  it("given `?` and `[]` suffixes, when parsed, then they nest left to right and `??` collapses", () => {
    expect(param("Tensor?[] x").type).toEqual({ kind: "list", elem: { kind: "optional", elem: { kind: "base", name: "Tensor" } } });
    expect(param("int[]? x").type).toEqual({ kind: "optional", elem: { kind: "list", elem: { kind: "base", name: "int" } } });
    expect(param("int?? x").type).toEqual({ kind: "optional", elem: { kind: "base", name: "int" } });
  });

  it("given fixed-size lists, when parsed, then N and the list size agree, also under `?`", () => {
    expect(param("SymInt[3] x").N).toBe(3);
    const a = param("int[1]? dim=None");
    expect(a.N).toBe(1);
    expect(a.type).toEqual({ kind: "optional", elem: { kind: "list", elem: { kind: "base", name: "int" }, size: 1 } });
  });
});

describe("alias annotations", () => {
  const alias = (text: string) => param(text).aliasInfo;

  it("given (a|b) and (a -> *), when parsed, then before and after sets in written order", () => {
    expect(alias("Tensor(b|a) x")).toEqual({ beforeSets: ["b", "a"], afterSets: ["b", "a"], isWrite: false, containedTypes: [] });
    expect(alias("Tensor(a! -> a|b) x")).toEqual({ beforeSets: ["a"], afterSets: ["a", "b"], isWrite: true, containedTypes: [] });
    expect(alias("Tensor(b -> *) x")?.afterSets).toEqual(["*"]);
  });

  it("given a wildcard, when later names follow it, then PyTorch ignores them after `*` but not before", () => {
    expect(alias("Tensor(a|*) x")?.beforeSets).toEqual(["a", "*"]);
    expect(() => param("Tensor(*|a) x")).toThrow("expected ) but found 'ident' here");
  });

  it("given Tensor(a!)[], when parsed, then a written container holds the elements' annotation", () => {
    const a = param("Tensor(a!)[] out");
    expect(a.aliasInfo).toEqual({
      beforeSets: [],
      afterSets: [],
      isWrite: true,
      containedTypes: [{ beforeSets: ["a"], afterSets: ["a"], isWrite: true, containedTypes: [] }],
    });
    expect(a.type).toEqual({ kind: "list", elem: { kind: "base", name: "Tensor", alias: a.aliasInfo!.containedTypes[0] } });
  });

  it("given annotations on t, Dict and optional types, when parsed, then they are kept on the annotated node", () => {
    expect(param("t(a)? x").aliasInfo?.beforeSets).toEqual(["a"]);
    expect(param("Dict(str, t)(a!) self").aliasInfo?.isWrite).toBe(true);
    expect(param("Generator(a!)? g").type).toEqual({
      kind: "optional",
      elem: { kind: "base", name: "Generator", alias: { beforeSets: ["a"], afterSets: ["a"], isWrite: true, containedTypes: [] } },
    });
  });

  it("given `Tensor!`, when parsed, then a fresh written set per occurrence, as PyTorch's $N", () => {
    const s = parseSchema("foo(Tensor! x, Tensor! y) -> Tensor!");
    expect(s.arguments.map((a) => a.aliasInfo?.beforeSets[0])).toEqual(["$0", "$1"]);
    expect(s.returns[0]!.aliasInfo).toEqual({ beforeSets: ["$2"], afterSets: [], isWrite: true, containedTypes: [] });
  });
});

describe("defaults", () => {
  const d = (text: string) => {
    const a = param(text);
    return [a.defaultValue, a.defaultKind];
  };

  it("given True/False/None, when parsed, then booleans and null", () => {
    expect(d("bool b=True")).toEqual([true, "bool"]);
    expect(d("bool b=False")).toEqual([false, "bool"]);
    expect(d("Tensor? t=None")).toEqual([null, "none"]);
    expect(d("Generator? g=None")).toEqual([null, "none"]);
  });

  it("given numbers, when parsed, then int or float by how they are written, or float for a float parameter", () => {
    expect(d("int i=-1")).toEqual([-1, "int"]);
    expect(d("Scalar s=1")).toEqual([1, "int"]);
    expect(d("Scalar s=1.")).toEqual([1, "float"]);
    expect(d("float f=1")).toEqual([1, "float"]);
    expect(d("float? f=1")).toEqual([1, "int"]);
    expect(d("float eps=1e-05")).toEqual([1e-5, "float"]);
    expect(d("int x=1.5")).toEqual([1.5, "float"]);
    expect(d("float x=-.5")).toEqual([-0.5, "float"]);
    expect(d("int x=0x10")).toEqual([0, "int"]);
    expect(d("float x=0x1p3")).toEqual([8, "float"]);
  });

  it("given imaginary literals, when parsed, then complex values", () => {
    expect(d("complex c=1j")).toEqual([{ re: 0, im: 1 }, "complex"]);
    expect(d("Scalar c=-2.5j")).toEqual([{ re: 0, im: -2.5 }, "complex"]);
    expect(d("complex[] c=[1j, 2.5j]")).toEqual([[{ re: 0, im: 1 }, { re: 0, im: 2.5 }], "complex-list"]);
  });

  it("given string literals, when parsed, then their escapes are decoded", () => {
    expect(d(`str s="nearest"`)).toEqual(["nearest", "str"]);
    expect(d(`str s=" \\n\\t\\f\\v"`)).toEqual([" \n\t\f\v", "str"]);
    expect(d(`str s="\\"\\'\\\\"`)).toEqual([`"'\\`, "str"]);
    expect(d(`str? s='single'`)).toEqual(["single", "str"]);
    expect(d(`str s="\\101\\012"`)).toEqual(["A\n", "str"]);
    expect(d(`str s="""tri"ple"""`)).toEqual(['tri"ple', "str"]);
    expect(d(`str s="\\303\\251"`)).toEqual(["é", "str"]);
  });

  it("given dtype, layout, memory-format and reduction identifiers, when parsed, then their integer codes", () => {
    expect(d("ScalarType? dtype=float")).toEqual([6, "int"]);
    expect(d("ScalarType dtype=long")).toEqual([4, "int"]);
    expect(d("ScalarType dtype=int32")).toEqual([3, "int"]);
    expect(d("ScalarType? dtype=bfloat16")).toEqual([15, "int"]);
    expect(d("Layout layout=strided")).toEqual([0, "int"]);
    expect(d("MemoryFormat m=contiguous_format")).toEqual([0, "int"]);
    expect(d("int reduction=Mean")).toEqual([1, "int"]);
    expect(d("ScalarType[] s=[float, int32]")).toEqual([[6, 3], "int-list"]);
  });

  it("given lists, when parsed, then arrays; a number for a sized list is repeated N times", () => {
    expect(d("int[] dims=[]")).toEqual([[], "int-list"]);
    expect(d("int[2] padding=0")).toEqual([[0, 0], "int-list"]);
    expect(d("SymInt[3] s=[1, 2, 3]")).toEqual([[1, 2, 3], "int-list"]);
    expect(d("float[2] f=1")).toEqual([[1, 1], "float-list"]);
    expect(d("bool[3] m=[True, False, True]")).toEqual([[true, false, true], "bool-list"]);
    expect(d("int[1] dim=[-2]")).toEqual([[-2], "int-list"]);
  });

  it("given Device defaults, when parsed, then normalised device strings", () => {
    expect(d(`Device d="cpu"`)).toEqual(["cpu", "device"]);
    expect(d(`Device d="cuda:1"`)).toEqual(["cuda:1", "device"]);
    expect(d(`Device? d="cuda:1"`)).toEqual(["cuda:1", "str"]);
  });

  it("given values of the wrong type, when parsed, then accepted as PyTorch accepts them", () => {
    expect(d("bool x=1")).toEqual([1, "int"]);
    expect(d("int y=True")).toEqual([true, "bool"]);
    expect(d(`int z="s"`)).toEqual(["s", "str"]);
    expect(d("str v=None")).toEqual([null, "none"]);
    expect(d("Tensor? t=1")).toEqual([1, "int"]);
  });
});

describe("parameter and return lists", () => {
  it("given `*`, when parsed, then the parameters after it are keyword-only", () => {
    const s = parseSchema("foo(Tensor x, *, Tensor y, int z=1) -> Tensor");
    expect(s.arguments.map((a) => a.kwargOnly)).toEqual([false, true, true]);
  });

  it("given `...`, when parsed, then a vararg (or varret) schema", () => {
    const s = parseSchema("aten::format(str self, ...) -> str");
    expect([s.isVararg, s.isVarret]).toEqual([true, false]);
    expect(parseSchema("prim::Print(...) -> ...").isVarret).toBe(true);
    expect(parseSchema("foo(Tensor x) -> (Tensor, ...)").returns).toHaveLength(1);
  });

  it("given named and unnamed returns, when parsed, then returns are Arguments with names or ''", () => {
    const s = parseSchema("aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)");
    expect(s.returns.map((r) => r.name)).toEqual(["values", "indices"]);
    expect(parseSchema("foo(Tensor x) -> Tensor").returns[0]!.name).toBe("");
    expect(parseSchema("foo(Tensor x) -> ()").returns).toEqual([]);
  });

  it("given a single parenthesised tuple return, when parsed, then one tuple-typed return", () => {
    const s = parseSchema("aten::items.str(Dict(str, t) self) -> ((str, t)[])");
    expect(s.returns).toHaveLength(1);
    expect(s.returns[0]!.type).toEqual({ kind: "list", elem: { kind: "tuple", elems: [{ kind: "base", name: "str" }, { kind: "var", name: "t" }] } });
  });

  it("given a list parameter without default after defaults, when parsed, then accepted (PyTorch's exemption)", () => {
    expect(parseSchema("foo(int[] x, int y=1, int[] z, *, int w) -> Tensor").arguments).toHaveLength(4);
  });
});

describe("layout of the text", () => {
  it("given spaces, tabs, comments, a newline inside the parentheses and a trailing newline, when parsed, then ignored", () => {
    for (const text of [
      "  foo(Tensor x) -> Tensor",
      "foo ( Tensor  x ) ->  Tensor",
      "foo(Tensor\tx)\t->\tTensor",
      "foo(Tensor x)->Tensor",
      "foo(Tensor x) -> Tensor # comment",
      "foo(Tensor x # c\n) -> Tensor",
      "foo(Tensor x) -> Tensor\n",
    ]) {
      expect(String(parseSchema(text))).toBe("foo(Tensor x) -> Tensor");
    }
  });
});
