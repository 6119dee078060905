// Printing: schemas print exactly as PyTorch 2.14.1 prints them. The tables below were
// recorded from PyTorch (`str(torch._C.parse_schema(text))`); each input must print as PyTorch
// printed it. Then the helpers (doubles, quoted strings, types, alias annotations) and the few
// places where aten-ts prints differently from PyTorch, on purpose.
import { describe, expect, it } from "vitest";
import {
  aliasToString,
  formatDouble,
  parseSchema,
  quoteString,
  typeToString,
} from "../../../src/dispatcher/schema/index.js";

/** [schema as written, as PyTorch 2.14.1 prints it]. */
const NORMALISED: readonly (readonly [string, string])[] = [
  ["foo(DeviceIndex x) -> Tensor", "foo(int x) -> Tensor"],
  ["foo(ConstQuantizerPtr x) -> Tensor", "foo(int x) -> Tensor"],
  ["foo(None x, NoneType y) -> None", "foo(NoneType x, NoneType y) -> NoneType"],
  ["foo(float x=1) -> Tensor", "foo(float x=1.) -> Tensor"],
  ["foo(complex x=1j, complex y=-2.5j, complex z=12, Scalar w=3j) -> Tensor", "foo(complex x=0.+1.j, complex y=0.-2.5j, complex z=0.+1.j, Scalar w=0.+3.j) -> Tensor"],
  ["foo(Device d=\"cpu\", Device? e=\"cuda:1\", Device f=\"cuda\") -> Tensor", "foo(Device d=cpu, Device? e=cuda:1, Device f=cuda) -> Tensor"],
  ["foo(ScalarType d=float, ScalarType? e=int32, ScalarType f=long, ScalarType g=complex, int h=Mean, Layout l=strided, MemoryFormat m=contiguous_format) -> Tensor", "foo(ScalarType d=6, ScalarType? e=3, ScalarType f=4, ScalarType g=9, int h=1, Layout l=0, MemoryFormat m=0) -> Tensor"],
  ["foo(ScalarType d=bfloat16, ScalarType e=float64, ScalarType f=cfloat, ScalarType g=half, ScalarType h=double, ScalarType i=bool, ScalarType j=uint8, ScalarType k=float8_e4m3fn) -> Tensor", "foo(ScalarType d=15, ScalarType e=7, ScalarType f=9, ScalarType g=5, ScalarType h=7, ScalarType i=11, ScalarType j=0, ScalarType k=24) -> Tensor"],
  ["foo(int[2] x=1, int[2] y=[1, 2], int[1] z=3, int[] w=[], SymInt[2] v=1, int[2] u=[], float[2] t=1, bool[2] s=True, float[] r=[1, 2.5]) -> Tensor", "foo(int[2] x=1, int[2] y=[1, 2], int[1] z=[3], int[] w=[], SymInt[2] v=[1, 1], int[2] u=[], float[2] t=[1., 1.], bool[2] s=[True, True], float[] r=[1., 2.5]) -> Tensor"],
  ["foo(int x=0x10, float y=0x1p3) -> Tensor", "foo(int x=0, float y=8.) -> Tensor"],
  ["foo(Tensor! x) -> Tensor", "foo(Tensor($0! -> ) x) -> Tensor"],
  ["foo(Tensor(a|a) x) -> Tensor", "foo(Tensor(a) x) -> Tensor"],
  ["foo((Tensor(a), Tensor) x, Dict(str, Tensor(a)) y, Future(Tensor(a)) z, Union(int, Tensor(a)) w) -> Tensor", "foo((Tensor, Tensor) x, Dict(str, Tensor) y, Future(Tensor) z, Union(Tensor, int) w) -> Tensor"],
  ["foo(Tensor x) -> (Tensor)", "foo(Tensor x) -> Tensor"],
  ["foo(Tensor x, *) -> ()", "foo(Tensor x) -> ()"],
  ["foo(...) -> (...)", "foo(...) -> ..."],
  ["foo(Tensor x) -> Tensor # comment", "foo(Tensor x) -> Tensor"],
  ["  foo(Tensor x) -> Tensor", "foo(Tensor x) -> Tensor"],
  ["foo(Tensor x,\n    Tensor y) -> Tensor", "foo(Tensor x, Tensor y) -> Tensor"],
  ["foo(int x=- 1, float y=-.5, float z=.5e-3, float w=5., float v=1.5E3) -> Tensor", "foo(int x=-1, float y=-0.5, float z=0.00050000000000000001, float w=5., float v=1500.) -> Tensor"],
  ["foo(float x=1e5j) -> Tensor", "foo(float x=0.+100000.j) -> Tensor"],
  ["foo(bool x=1, int y=True, int z=\"s\", int w=None, str v=None, str? u=None) -> Tensor", "foo(bool x=1, int y=True, int z=s, int w=None, str v=None, str? u=None) -> Tensor"],
  ["foo(int[3] x=[1, 1, 1], int[2] y=[-1, -1]) -> Tensor", "foo(int[3] x=1, int[2] y=-1) -> Tensor"],
  ["foo(float x=0.1, float y=100.25, float z=1e-05, float w=3.14159265358979, float v=123456789012.5, float u=2e-7) -> Tensor", "foo(float x=0.10000000000000001, float y=100.25, float z=1.0000000000000001e-05, float w=3.14159265358979, float v=123456789012.5, float u=1.9999999999999999e-07) -> Tensor"],
  ["foo(Union(int, None) x) -> Tensor", "foo(int? x) -> Tensor"],
  ["foo(Union(None, int) x) -> Tensor", "foo(int? x) -> Tensor"],
  ["foo(Union(int, Union(str, float)) x) -> Tensor", "foo(Union(float, int, str) x) -> Tensor"],
  ["foo(Union(int, int, str) x) -> Tensor", "foo(Union(int, str) x) -> Tensor"],
  ["foo(Union(str, int, Tensor, float, bool) x) -> Tensor", "foo(Union(Tensor, float, int, str, bool) x) -> Tensor"],
  ["foo(Union(int, str, None) x) -> Tensor", "foo(Union(int, NoneType, str) x) -> Tensor"],
  ["foo(Union(int?, str) x) -> Tensor", "foo(Union(int, NoneType, str) x) -> Tensor"],
  ["foo(Union(int, float)? x) -> Tensor", "foo(Union(float, int)? x) -> Tensor"],
  ["foo(Union(t, int) x) -> Tensor", "foo(Union(int, t) x) -> Tensor"],
  ["foo(Union(Tensor, Scalar) x) -> Tensor", "foo(Union(TensorScalar) x) -> Tensor"],
  ["foo(Union(int, Scalar) x) -> Tensor", "foo(Union(Scalar) x) -> Tensor"],
  ["foo(Union(int[], Tensor[], str?) x) -> Tensor", "foo(Union(Tensor[], int[], NoneType, str) x) -> Tensor"],
  ["foo(str x=\"a\\\"b'c\\\\d\\n\\t\\a\\b\\f\\v\", str? y='single', str z=\"\\101\\0123\", Scalar w=\"raw\", str v=\"\", str u='\"') -> Tensor", "foo(str x=\"a\\\"b\\'c\\\\d\\n\\t\\a\\b\\f\\v\", str? y=\"single\", str z=\"A\\n3\", Scalar w=raw, str v=\"\", str u=\"\\\"\") -> Tensor"],
  ["foo(str x=\"\\\n\") -> Tensor", "foo(str x=\"\\n\") -> Tensor"],
  ["foo(str x=\"\"\"tri\"ple\"\"\") -> Tensor", "foo(str x=\"tri\\\"ple\") -> Tensor"],
  ["foo(Scalar z=1e3, float w=1e10, float v=1e17, float u=-0., float s=1e18, float r=9.2233720368547758e18, float q=-9.2233720368547758e18, float p=1e300, float o=123456789.125, float n=1e16) -> Tensor", "foo(Scalar z=1000., float w=10000000000., float v=100000000000000000., float u=0., float s=1000000000000000000., float r=9.2233720368547758e+18, float q=-9223372036854775808., float p=1.0000000000000001e+300, float o=123456789.125, float n=10000000000000000.) -> Tensor"],
  ["foo(int x=1.5, int y=1e2, int z=-0) -> Tensor", "foo(int x=1.5, int y=100., int z=0) -> Tensor"],
  ["foo(Scalar x=-3, float y=-1, float? z=-1) -> Tensor", "foo(Scalar x=-3, float y=-1., float? z=-1) -> Tensor"],
  ["foo(float x=1.e5) -> Tensor", "foo(float x=100000.) -> Tensor"],
  ["foo(float[] x=[1e-5, 2], complex[] y=[1j, 2.5j], bool[] z=[True, False], int[] w=[1, -2], int[3] v=[1, 1, 2]) -> Tensor", "foo(float[] x=[1.0000000000000001e-05, 2.], complex[] y=[0.+1.j, 0.+2.5j], bool[] z=[True, False], int[] w=[1, -2], int[3] v=[1, 1, 2]) -> Tensor"],
  ["foo(complex[2] x=1j) -> Tensor", "foo(complex[2] x=[0.+1.j, 0.+1.j]) -> Tensor"],
  ["foo(Tensor! x, Tensor! y) -> Tensor!", "foo(Tensor($0! -> ) x, Tensor($1! -> ) y) -> Tensor($2! -> )"],
  ["foo(Tensor(a)?? x) -> Tensor", "foo(Tensor(a)? x) -> Tensor"],
  ["foo(int[1.5] x) -> Tensor", "foo(int[1] x) -> Tensor"],
  ["foo(int[0x3] x) -> Tensor", "foo(int[0] x) -> Tensor"],
  ["foo(int[99999999999] x) -> Tensor", "foo(int[1215752191] x) -> Tensor"],
  ["foo(Tensor x) -> (int[2] a)", "foo(Tensor x) -> int[2] a"],
  ["foo(Tensor x, *, *, Tensor y) -> Tensor", "foo(Tensor x, *, Tensor y) -> Tensor"],
  ["foo(*) -> Tensor", "foo() -> Tensor"],
  ["foo(*, ...) -> Tensor", "foo(...) -> Tensor"],
  ["foo(Tensor x) -> Tensor   ", "foo(Tensor x) -> Tensor"],
  ["foo ( Tensor  x ) ->  Tensor", "foo(Tensor x) -> Tensor"],
  ["foo(Tensor\tx)\t->\tTensor", "foo(Tensor x) -> Tensor"],
  ["foo(Tensor x)->Tensor", "foo(Tensor x) -> Tensor"],
  ["aten :: foo . bar(Tensor x) -> Tensor", "aten::foo.bar(Tensor x) -> Tensor"],
  ["foo(Tensor x # c\n) -> Tensor", "foo(Tensor x) -> Tensor"],
  ["foo(Device c=\"cpu:1\") -> Tensor", "foo(Device c=cpu:1) -> Tensor"],
  ["foo(Device c=\"cuda:200\") -> Tensor", "foo(Device c=cuda:-56) -> Tensor"],
  ["foo(Union(Any, AnyEnumType, Tensor, Storage, (int, int), int[], Dict(str, int), Scalar, Future(int), Await(int), RRef(int), None, str, Generator, Quantizer, bool, t, Device, Stream, __torch__.torch.classes.rnn.CellParamsBase, Capsule, QScheme, ScalarType, Layout, MemoryFormat, AnyClassType, SymInt, SymBool) x) -> Tensor", "foo(Any? x) -> Tensor"],
  ["foo(Union(Storage, Tensor, ScalarType, Layout, str) x) -> Tensor", "foo(Union(Tensor, Storage, int, str) x) -> Tensor"],
  ["foo((ScalarType, Layout, MemoryFormat, SymInt, DeviceIndex) x, Dict(SymInt, ScalarType) y, Future(ScalarType) z, ScalarType[] w, SymInt[]? v, (SymInt[], ScalarType?) u) -> (ScalarType, SymInt)", "foo((int, int, int, int, int) x, Dict(int, int) y, Future(int) z, ScalarType[] w, SymInt[]? v, (int[], int?) u) -> (ScalarType, SymInt)"],
  ["foo(Union(int, float, complex) x) -> Tensor", "foo(Union(Scalar) x) -> Tensor"],
  ["foo(Union(int, float, complex, None) x) -> Tensor", "foo(Scalar? x) -> Tensor"],
  ["foo(Union(int, float, complex, str) x) -> Tensor", "foo(Union(, str, Scalar) x) -> Tensor"],
  ["foo(Union(str, int, float, complex) x) -> Tensor", "foo(Union(, str, Scalar) x) -> Tensor"],
  ["foo(Union(Scalar, None) x) -> Tensor", "foo(Scalar? x) -> Tensor"],
  ["foo(Union(int, str, None)? x) -> Tensor", "foo(Union(int, str)? x) -> Tensor"],
  ["foo(Union(int, None)? x) -> Tensor", "foo(int? x) -> Tensor"],
  ["foo(Union(int[], float[]) x) -> Tensor", "foo(Union(float[], int[]) x) -> Tensor"],
  ["foo(Union(int, None, None) x) -> Tensor", "foo(int? x) -> Tensor"],
  ["foo(Union(Tensor, Tensor?) x) -> Tensor", "foo(Tensor? x) -> Tensor"],
  ["foo(Union(Union(int, str), Union(str, int)) x) -> Tensor", "foo(Union(int, str) x) -> Tensor"],
  ["foo(Scalar?? x) -> Tensor", "foo(Union(Scalar)? x) -> Tensor"],
  ["foo(Tensor x) -> (Tensor(a) y)", "foo(Tensor x) -> Tensor(a) y"],
  ["foo(Tensor x) -> (Tensor(a))", "foo(Tensor x) -> Tensor(a)"],
  ["foo(Future(Tensor(a!)) x) -> Tensor", "foo(Future(Tensor) x) -> Tensor"],
  ["foo(ScalarType[] s=[float, int32, long]) -> Tensor", "foo(ScalarType[] s=[6, 3, 4]) -> Tensor"],
  ["foo(ScalarType? s=quint8, ScalarType t=qint32, ScalarType u=chalf, ScalarType v=cdouble, ScalarType w=short, ScalarType x=int, ScalarType y=float32, ScalarType z=uint16, ScalarType a=float8_e5m2, ScalarType b=bits8, ScalarType c=int1, ScalarType d=uint1, ScalarType e=float4_e2m1fn_x2, ScalarType f=complex32, ScalarType g=float16, ScalarType h=int16, ScalarType i=int64, ScalarType j=complex128, ScalarType k=complex64) -> Tensor", "foo(ScalarType? s=13, ScalarType t=14, ScalarType u=8, ScalarType v=10, ScalarType w=2, ScalarType x=3, ScalarType y=6, ScalarType z=27, ScalarType a=23, ScalarType b=21, ScalarType c=37, ScalarType d=30, ScalarType e=45, ScalarType f=8, ScalarType g=5, ScalarType h=2, ScalarType i=4, ScalarType j=10, ScalarType k=9) -> Tensor"],
  ["foo(SymInt x=float, int y=long, int z=complex, int w=strided, int v=Mean, int u=contiguous_format, float t=float) -> Tensor", "foo(SymInt x=6, int y=4, int z=9, int w=0, int v=1, int u=0, float t=6) -> Tensor"],
  ["foo(int x=\"s\\n\") -> Tensor", "foo(int x=s\n) -> Tensor"],
  ["foo(int x=1E3, Scalar y=1E3, float z=1E3) -> Tensor", "foo(int x=1, Scalar y=1, float z=1000.) -> Tensor"],
  ["foo(str x=\"\\303\\251\") -> Tensor", "foo(str x=\"\\0)+\\/.)\") -> Tensor"],
];

/** Schemas PyTorch 2.14.1 prints back unchanged. */
const UNCHANGED: readonly string[] = [
  "foo(SymBool x) -> Tensor",
  "foo(double x) -> Tensor",
  "foo(int64_t x) -> Tensor",
  "foo(float? x=1) -> Tensor",
  "foo(Tensor? x=1) -> Tensor",
  "foo(Tensor x) -> ((Tensor, Tensor))",
  "foo(Tensor x) -> ...",
  "foo(Tensor x) -> (Tensor, ...)",
  "foo(*, Tensor x) -> ()",
  "foo(Tensor x) -> Tensor",
  "foo(Tensor x) -> Tensor bar",
  "foo(__torch__.torch.classes.rnn.CellParamsBase x) -> Tensor",
  "foo(t x, t1 y, Dict(str, tVal) z) -> t(a)",
  "myns::foo(t x) -> t",
  "foo(Await(int) x, RRef(int) y, Future(int) z) -> Tensor",
  "foo(Generator g=None, Quantizer q=None) -> Tensor",
  "foo(Tensor x) -> Tensor(a!)[]",
  "foo(Union(int, str) x) -> Tensor",
  "foo(Union(int, str)(a) x) -> Tensor",
  "foo(Dict(str, t)(a!) x) -> Tensor",
  "foo(float x=2.2250738585072014e-308) -> Tensor",
  "foo(float x=1.0000000000000001e-05, float y=0.33333333333333331, float z=9.9999999999999995e-07, float w=1e-08, float v=1.0000000000000001e-15) -> Tensor",
  "foo(Tensor(a) x) -> Tensor(a!) y",
  "foo(Tensor(a! -> *) x) -> Tensor",
  "foo(Tensor(* -> a) x) -> Tensor",
  "foo(int(a)? x) -> Tensor",
  "foo(int[2](a)? x) -> Tensor",
  "foo(Tensor(a)[2](b!)? x) -> Tensor",
  "foo(int[] x, int y=1, int[] z, *, int w) -> Tensor",
  "foo(Tensor x) -> Tensor[]",
  "foo(Tensor x) -> (Tensor a, Tensor b)",
  "foo(Tensor x) -> Tensor[2]",
  "foo() -> ()",
  "foo._default(Tensor x) -> Tensor",
  "foo.Default(Tensor x) -> Tensor",
  "foo._(Tensor x) -> Tensor",
  "_foo9.o_1(Tensor x) -> Tensor",
  "foo(Union(int, str)? x) -> Tensor",
  "foo(Any? x, Any[] y) -> Tensor",
  "foo(() x) -> ()",
  "foo((int) x) -> ((int))",
  "foo(Tensor x) -> (())",
  "foo(Tensor x) -> ((int, int)[] a)",
  "foo(Tensor x) -> ((int, int) a, int b)",
  "foo(Tensor x) -> (int, (int, int))",
  "foo(__torch__.torch.classes.rnn.CellParamsBase? x=None, __torch__.torch.classes.rnn.CellParamsBase[] y) -> Tensor",
  "foo(__torch__.torch.classes.dist_rpc.WorkerInfo x, __torch__.torch.classes.quantized.Conv2dPackedParamsBase y, __torch__.torch.classes.quantized.LinearPackedParamsBase z) -> Tensor",
  "foo(int x=True, bool y=False, Scalar z=None) -> Tensor",
  "foo(str x=1) -> Tensor",
  "foo(str? x=1) -> Tensor",
];

describe("printing as PyTorch prints", () => {
  it.each(NORMALISED)("given %j, when parsed and printed, then PyTorch's text", (text, printed) => {
    expect(String(parseSchema(text))).toBe(printed);
  });

  it.each(UNCHANGED)("given %j, when parsed and printed, then the same text", (text) => {
    expect(String(parseSchema(text))).toBe(text);
  });

  it("given an aten schema, when printed twice, then the same (cached) string", () => {
    const s = parseSchema("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor");
    expect(String(s)).toBe(s.toString());
    expect(String(s.arguments[2])).toBe("Scalar alpha=1");
  });
});

describe("formatDouble", () => {
  it("given integral values, when printed, then a trailing dot (and -0 as 0.)", () => {
    expect([1, -3, 0, -0, 1e18, -(2 ** 63)].map(formatDouble)).toEqual([
      "1.", "-3.", "0.", "0.", "1000000000000000000.", "-9223372036854775808.",
    ]);
  });

  it("given other values, when printed, then 17 significant digits like %.17g", () => {
    expect([1e-5, 0.1, 0.5, 100.25, 1 / 3, 1e-8, 2 ** 63, 1e300, 5e-7].map(formatDouble)).toEqual([
      "1.0000000000000001e-05", "0.10000000000000001", "0.5", "100.25", "0.33333333333333331", "1e-08",
      "9.2233720368547758e+18", "1.0000000000000001e+300", "4.9999999999999998e-07",
    ]);
  });

  it("given a value exactly halfway at the 17th digit, when printed, then rounded to even like glibc", () => {
    expect(formatDouble(100000000000000.125)).toBe("100000000000000.12");
    expect(formatDouble(100000000000000.375)).toBe("100000000000000.38");
  });

  it("given non-finite values, when printed, then C's spelling", () => {
    expect([NaN, Infinity, -Infinity].map(formatDouble)).toEqual(["nan", "inf", "-inf"]);
  });
});

describe("quoteString", () => {
  it("given quotes, backslashes and control characters, when quoted, then C escapes", () => {
    expect(quoteString(` \n\t\f\v`)).toBe(`" \\n\\t\\f\\v"`);
    expect(quoteString(" \n\t\f\v\r\x07\b")).toBe(String.raw`" \n\t\f\v\r\a\b"`);
    expect(quoteString(`"'\\`)).toBe(String.raw`"\"\'\\"`);
  });

  it("given other unprintable bytes, when quoted, then octal escapes, computed from signed chars as PyTorch does", () => {
    expect(quoteString("\x01\x7f")).toBe(String.raw`"\001\177"`);
    expect(quoteString("é")).toBe(String.raw`"\0)+\/.)"`);
  });
});

describe("typeToString and aliasToString", () => {
  it("given types with annotations, when printed, then schema syntax, with or without the annotations", () => {
    const t = parseSchema("f(Tensor(a!)[]? x) -> ()").arguments[0]!.type;
    expect(typeToString(t)).toBe("Tensor(a!)[]?");
    expect(typeToString(t, { withAlias: false })).toBe("Tensor[]?");
    expect(typeToString(parseSchema("f(Dict(str, t) x) -> ()").arguments[0]!.type)).toBe("Dict(str, t)");
  });

  it("given alias infos, when printed, then the after-sets only when they differ as sets", () => {
    const a = (beforeSets: string[], afterSets: string[], isWrite = false) => aliasToString({ beforeSets, afterSets, isWrite, containedTypes: [] });
    expect(a(["a"], ["a"], true)).toBe("(a!)");
    expect(a(["a", "b"], ["b", "a"])).toBe("(a|b)");
    expect(a(["a"], ["*"])).toBe("(a -> *)");
  });
});

describe("where aten-ts prints differently from PyTorch, on purpose", () => {
  it("given alias sets in a written order, when printed, then that order (PyTorch uses hash order)", () => {
    // PyTorch's own parse_schema prints the six `-> Tensor(b|a)` aten returns as (a|b); its
    // registered schemas print (b|a). Keeping the written order round-trips both catalogues.
    expect(String(parseSchema("foo(Tensor x, Tensor(b|a) y) -> Tensor(b|a)"))).toBe("foo(Tensor x, Tensor(b|a) y) -> Tensor(b|a)");
  });

  it("given annotations PyTorch prints in an unparseable place, when printed, then where they were written", () => {
    // PyTorch: Tensor[]()[] x, Tensor?(a)[] y
    expect(String(parseSchema("foo(Tensor(a)[][] x, Tensor(a)?[] y) -> ()"))).toBe("foo(Tensor(a)[][] x, Tensor(a)?[] y) -> ()");
  });

  it("given a custom class, when parsed, then accepted without a registry (PyTorch needs it registered)", () => {
    expect(String(parseSchema("foo(__torch__.torch.classes.foo.Bar x) -> ()"))).toBe("foo(__torch__.torch.classes.foo.Bar x) -> ()");
  });
});
