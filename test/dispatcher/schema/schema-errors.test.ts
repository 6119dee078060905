// Malformed schemas: SchemaParseError with PyTorch 2.14.1's wording, the source line with a
// `~ <--- HERE` marker under the offending token, and `.position` at that token.
import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../../src/core/errors.js";
import { SchemaParseError, parseOperatorName, parseSchema } from "../../../src/dispatcher/schema/index.js";

/** The error parsing `text` raises (fails the test if it parses). */
function errorOf(text: string, parse: (t: string) => unknown = parseSchema): SchemaParseError {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaParseError);
    return e as SchemaParseError;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

/** The offset of the n-th (default first) occurrence of `needle` in `text`. */
function at(text: string, needle: string, n = 1): number {
  let i = -1;
  for (let k = 0; k < n; k++) i = text.indexOf(needle, i + 1);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
}

const UNKNOWN_TYPE =
  "unknown type specifier. Common valid schema types include Tensor, SymInt, int, float, bool, Scalar; for a full list, " +
  "please see https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/README.md#func :";

describe("SchemaParseError", () => {
  it("given a stray identifier, when parsed, then PyTorch's message with the line and a caret under it", () => {
    const text = "foo(Tensor x y) -> Tensor";
    const e = errorOf(text);
    expect(e.message).toBe("expected ) but found 'ident' here:\nfoo(Tensor x y) -> Tensor\n             ~ <--- HERE");
    expect(e.position).toBe(at(text, "y"));
    expect(e.expected).toBe(")");
    expect(e.source).toBe(text);
  });

  it("given any parse error, when caught, then a RuntimeError named SchemaParseError", () => {
    const e = errorOf("foo(");
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("SchemaParseError");
  });

  it("given a multi-character token, when it is the offending one, then the marker spans it", () => {
    const e = errorOf("foo(Tensor x) Tensor");
    expect(e.message).toBe("expected arrow but found 'ident' here:\nfoo(Tensor x) Tensor\n              ~~~~~~ <--- HERE");
    expect(e.position).toBe(14);
  });

  it("given text that ends early, when parsed, then 'eof' is found and the line is shown without marker", () => {
    const e = errorOf("foo(Tensor x");
    expect(e.message).toBe("expected ) but found 'eof' here:\nfoo(Tensor x");
    expect(e.position).toBe(12);
    expect(errorOf("foo(Tensor x)").message).toBe("expected arrow but found 'eof' here:\nfoo(Tensor x)");
  });
});

describe("errors in types", () => {
  it("given an unknown upper-case type, when parsed, then PyTorch's 'unknown type specifier' with the README link", () => {
    const e = errorOf("foo(Blah x) -> Tensor");
    expect(e.message).toBe(`${UNKNOWN_TYPE}\nfoo(Blah x) -> Tensor\n    ~~~~ <--- HERE`);
    expect(e.position).toBe(4);
  });

  it("given types PyTorch 2.14 refuses (Dimname, SymFloat, GraphModule), when parsed, then unknown type specifier", () => {
    for (const t of ["Dimname", "SymFloat", "GraphModule"]) expect(errorOf(`foo(${t} x) -> Tensor`).message).toContain("unknown type specifier");
  });

  it("given a malformed alias annotation, when parsed, then the expected token is named", () => {
    expect(errorOf("foo(Tensor() x) -> Tensor").message).toContain("expected ident but found ')' here");
    expect(errorOf("foo(Tensor?(a) x) -> Tensor").message).toContain("expected ident but found '(' here");
    expect(errorOf("foo(int[2][] x) -> Tensor").position).toBe(10);
  });

  it("given a custom-class path outside torch.classes, when parsed, then PyTorch's namespace error", () => {
    const text = "foo(__torch__.torch.Classes.rnn.CellParamsBase x) -> Tensor";
    const e = errorOf(text);
    expect(e.message).toMatch(/^Expected classes namespace but got Classes:\n/);
    expect(e.position).toBe(at(text, "Classes"));
  });

  it("given a Union that reduces to one type, when parsed, then PyTorch's unification message", () => {
    expect(errorOf("foo(Union(int, int) x) -> Tensor").message).toBe(
      "After type unification was performed, the Union with the original types {int int, } has the single type int. " +
        "Use the common supertype instead of creating a Uniontype",
    );
    expect(errorOf("foo(NoneType? x) -> Tensor").message).toContain("has the single type NoneType");
  });
});

describe("errors in parameter lists", () => {
  it("given `...` before a parameter, when parsed, then it must be last", () => {
    const text = "foo(..., int x) -> Tensor";
    const e = errorOf(text);
    expect(e.message).toBe("... must be the last element of the argument list:\nfoo(..., int x) -> Tensor\n         ~~~ <--- HERE");
    expect(e.position).toBe(at(text, "int"));
    expect(errorOf("foo(Tensor x) -> (..., Tensor)").message).toMatch(/^\.\.\. must be the last element of the return list:/);
  });

  it("given varargs and a default, when parsed, then the default is refused", () => {
    const text = "foo(int x=1, ...) -> Tensor";
    const e = errorOf(text);
    expect(e.message).toMatch(/^schemas with vararg \(\.\.\.\) can't have default value args:\n/);
    expect(e.position).toBe(at(text, "1"));
  });

  it("given a positional parameter without default after one with, when parsed, then PyTorch's message", () => {
    const text = "foo(int y=1, int z) -> Tensor";
    const e = errorOf(text);
    expect(e.message).toBe("Non-default positional argument follows default argument. Parameter z in foo(int y=1, int z) -> Tensor");
    expect(e.position).toBe(at(text, "int", 2));
  });

  it("given a keyword as a parameter name, when parsed, then the keyword is named", () => {
    const e = errorOf("foo(Tensor in) -> Tensor");
    expect(e.message).toBe("expected ident but found 'in' here:\nfoo(Tensor in) -> Tensor\n           ~~ <--- HERE");
    expect(errorOf("foo(Tensor x) -> Tensor True").message).toContain("expected eof but found 'True' here");
  });

  it("given a trailing comma, when parsed, then an identifier was expected", () => {
    expect(errorOf("foo(Tensor x,) -> ()").message).toContain("expected ident but found ')' here");
  });
});

describe("errors in defaults", () => {
  it("given a number for a Tensor, when parsed, then only None is allowed", () => {
    const e = errorOf("foo(Tensor x=1) -> Tensor");
    expect(e.message).toBe("expected None but found 'number' here:\nfoo(Tensor x=1) -> Tensor\n             ~ <--- HERE");
    expect(e.position).toBe(13);
    expect(e.expected).toBe("None");
  });

  it("given an unknown identifier, when parsed, then 'invalid numeric default value' at that identifier", () => {
    const text = "foo(int x=bogus) -> Tensor";
    const e = errorOf(text);
    expect(e.message).toBe("invalid numeric default value:\nfoo(int x=bogus) -> Tensor\n          ~~~~~ <--- HERE");
    expect(e.position).toBe(at(text, "bogus"));
    expect(errorOf("foo(int d=int32) -> Tensor").message).toMatch(/^invalid numeric default value:/);
    expect(errorOf("foo(float x=inf) -> Tensor").message).toMatch(/^invalid numeric default value:/);
  });

  it("given a malformed number, when parsed, then the lexer splits it and the parser finds an identifier", () => {
    const text = "foo(float x=1e, float y=1) -> Tensor";
    const e = errorOf(text);
    expect(e.message).toContain("expected ) but found 'ident' here");
    expect(e.position).toBe(at(text, "e,"));
    expect(errorOf("foo(int x=1_000) -> Tensor").message).toContain("expected ) but found 'ident' here");
  });

  it("given numbers outside int64 or double, when parsed, then a range error at the number", () => {
    const text = "foo(int x=9223372036854775808) -> Tensor";
    expect(errorOf(text).message).toMatch(/^integer out of range: '9223372036854775808':\n/);
    expect(errorOf("foo(float x=1e400) -> Tensor").message).toMatch(/^numeric default value out of range/);
    expect(errorOf("foo(float x=1e-320) -> Tensor").position).toBe(12);
  });

  it("given a complex default without j, when parsed, then refused (PyTorch cannot read it either)", () => {
    expect(errorOf("foo(complex x=1) -> Tensor").message).toMatch(/^invalid complex default value '1'/);
  });

  it("given lists PyTorch does not take, when parsed, then its errors", () => {
    expect(errorOf("foo(Scalar[] x=[1]) -> Tensor").message).toMatch(/^lists are only supported for float, int and complex types:\n/);
    expect(errorOf("foo(int[] x=None) -> Tensor").message).toContain("expected [ but found 'None' here");
    expect(errorOf("foo(int[] x=foo) -> Tensor").message).toContain("expected None but found 'ident' here");
    expect(errorOf("foo(int[]? x=[1]) -> Tensor").message).toContain("expected number but found '[' here");
    expect(errorOf("foo(int[] x=[1.5]) -> Tensor").message).toMatch(/^expected int list elements but found float:/);
    expect(errorOf("foo(int[2] x=None) -> Tensor").message).toMatch(/^expected int list elements but found None:/);
  });

  it("given a default for a type without defaults, when parsed, then PyTorch's 'unexpected type'", () => {
    const text = "foo(Dict(str, int) y=None) -> Tensor";
    const e = errorOf(text);
    expect(e.message).toMatch(/^unexpected type, file a bug report:\n/);
    expect(e.position).toBe(at(text, "None"));
  });

  it("given bad escapes in a string, when parsed, then PyTorch's messages over the whole literal", () => {
    expect(errorOf(`foo(str x="\\x41") -> Tensor`).message).toBe(`unsupported hex specifier:\nfoo(str x="\\x41") -> Tensor\n          ~~~~~~ <--- HERE`);
    expect(errorOf(`foo(str x="\\u0041") -> Tensor`).message).toMatch(/^unsupported unicode specifier:/);
    expect(errorOf(`foo(str x="\\r") -> Tensor`).message).toMatch(/^ ill formed octal specifier:/);
  });

  it("given bad device strings, when parsed, then c10::Device's messages", () => {
    expect(errorOf(`foo(Device d="bogus") -> Tensor`).message).toMatch(
      /^Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: bogus:/,
    );
    expect(errorOf(`foo(Device d="cuda:01") -> Tensor`).message).toMatch(/^Invalid device string: 'cuda:01':/);
    expect(errorOf(`foo(Device d="") -> Tensor`).message).toMatch(/^Device string must not be empty:/);
    expect(errorOf(`foo(Device d=cpu) -> Tensor`).message).toContain("expected string_literal but found 'ident' here");
  });
});

describe("errors in names and layout", () => {
  it("given the overload `default`, when parsed, then it is not a legal overload name (scenario 54)", () => {
    const text = "myns::foo.default(Tensor x) -> Tensor";
    const e = errorOf(text);
    expect(e.message).toBe("default is not a legal overload name for aten operators");
    expect(e.position).toBe(at(text, "default"));
  });

  it("given a dunder overload, when parsed as a schema or a name, then refused too", () => {
    expect(errorOf("myns::foo.__x(Tensor x) -> Tensor").message).toBe("__x is not a legal overload name for aten operators");
    expect(errorOf("foo.__", parseOperatorName).message).toBe("__ is not a legal overload name for aten operators");
  });

  it("given only a name, when parsed as a schema, then PyTorch's message; and the converse", () => {
    expect(errorOf("aten::foo.bar").message).toBe("Tried to parse a function schema but only the operator name was given");
    expect(errorOf("foo(Tensor x) -> Tensor", parseOperatorName).message).toBe("Tried to parse an operator name but function schema was given");
  });

  it("given a second namespace or overload, when parsed, then the end was expected", () => {
    expect(errorOf("a::b::c(Tensor x) -> Tensor").message).toBe("expected eof but found ':' here:\na::b::c(Tensor x) -> Tensor\n    ~ <--- HERE");
    expect(errorOf("foo.bar.baz(Tensor x) -> Tensor").position).toBe(7);
  });

  it("given a second declaration or a newline before the return type, when parsed, then refused", () => {
    expect(errorOf("foo(Tensor x) -> Tensor\n  bar(Tensor y) -> Tensor").message).toBe(
      "expected eof but found 'indent' here:\nfoo(Tensor x) -> Tensor\n  bar(Tensor y) -> Tensor",
    );
    expect(errorOf("foo(Tensor x) ->\nTensor").message).toBe("expected ident but found 'newline' here:\nfoo(Tensor x) ->\nTensor");
  });

  it("given a character that is no token, when lexed, then 'expected a valid token' at it", () => {
    const e = errorOf("foo(Tensor x) -> Tensor;");
    expect(e.message).toBe("expected a valid token but found ';' here:\nfoo(Tensor x) -> Tensor;\n                       ~ <--- HERE");
    expect(e.position).toBe(23);
  });
});
