// Default values of schema parameters, read as PyTorch reads them: what is accepted depends
// on the parameter's runtime ("fake") type (Tensor only `None`, Device a string, lists only of
// int/float/bool/complex, `int[2] x=1` repeats the number), and numbers are int or float by how
// they are written (or by a float/complex type), not checked against the type.

import type { Token } from "./schema-lexer.js";
import { CODE_IDENTIFIERS, DTYPE_CODES, LiteralError, parseDevice, parseStringLiteral, stod, stoll } from "./schema-literals.js";
import type { SchemaParser } from "./schema-parser.js";
import type { ComplexValue, DefaultKind, DefaultValue, SchemaType } from "./schema-types.js";

/** A parsed default: the value and what it was parsed as. */
export interface ParsedDefault {
  value: DefaultValue;
  kind: DefaultKind;
}

type Scalar = { value: number | boolean | string | null | ComplexValue; kind: DefaultKind; tok: Token };

// The kind of the runtime type as PyTorch's default parsing distinguishes it: Generator and
// Quantizer take defaults like Tensor; ScalarType, Layout, MemoryFormat and SymInt are ints.
function kindOf(t: SchemaType): string {
  if (t.kind === "optional" || t.kind === "list") return t.kind;
  if (t.kind !== "base") return "other";
  switch (t.name) {
    case "Tensor":
    case "Generator":
    case "Quantizer":
      return "Tensor";
    case "int":
    case "SymInt":
    case "ScalarType":
    case "Layout":
    case "MemoryFormat":
      return "int";
    case "str":
    case "bool":
    case "float":
    case "complex":
    case "Device":
    case "Scalar":
      return t.name;
    default:
      return "other";
  }
}

/**
 * Parses the default after `=` for a parameter of this type (N: its fixed list size).
 * @throws SchemaParseError with PyTorch's wording (`expected None but found 'number' here`,
 *   `invalid numeric default value`, `lists are only supported for float, int and complex types`...)
 * @example
 * parseDefaultValue(parser, intListOfSize2, 2) // at "1": { value: [1, 1], kind: "int-list" }
 */
export function parseDefaultValue(p: SchemaParser, type: SchemaType, N: number | undefined): ParsedDefault {
  const L = p.L;
  const first = L.cur;
  const kind = kindOf(type);
  switch (kind) {
    case "Tensor":
      L.expect("None");
      return { value: null, kind: "none" };
    case "str":
    case "optional":
    case "Scalar":
    case "int":
    case "bool":
    case "float":
    case "complex":
      return parseSingleConstant(p, kind, type);
    case "Device": {
      const t = L.expect("string_literal");
      try {
        return { value: parseDevice(parseStringLiteral(L.text(t))), kind: "device" };
      } catch (e) {
        return p.literalFailure(e, t, "a device string");
      }
    }
    case "list": {
      const elem = (type as { elem: SchemaType }).elem;
      const elemKind = kindOf(elem);
      if (L.cur.kind === "ident") L.expect("None");
      if (N !== undefined && L.cur.kind !== "[") {
        const v = parseSingleConstant(p, elemKind, elem);
        if (N < 0) L.fail("invalid list size", first.start, first.end, "a list size of at least 0");
        return toList(p, elemKind, new Array<Scalar>(N).fill(v), first);
      }
      const open = L.expect("[");
      const items: Scalar[] = [];
      if (L.cur.kind !== "]") {
        do items.push(parseSingleConstant(p, elemKind, elem));
        while (L.nextIf(","));
      }
      L.expect("]");
      return toList(p, elemKind, items, open);
    }
    default:
      return L.fail("unexpected type, file a bug report", first.start, first.end, "a parameter type that takes defaults");
  }
}

const LIST_KINDS: Record<string, DefaultKind> = { int: "int-list", float: "float-list", bool: "bool-list", complex: "complex-list" };

function toList(p: SchemaParser, elemKind: string, items: readonly Scalar[], at: Token): ParsedDefault {
  const kind = LIST_KINDS[elemKind];
  if (kind === undefined) p.L.fail("lists are only supported for float, int and complex types", at.start, at.end, "a list of numbers");
  for (const it of items) {
    if (it.kind !== elemKind) {
      p.L.fail(`expected ${elemKind} list elements but found ${it.kind === "none" ? "None" : it.kind}`, it.tok.start, it.tok.end, elemKind);
    }
  }
  return { value: items.map((it) => it.value) as DefaultValue, kind };
}

function isPossiblyOptionalScalarType(t: SchemaType): boolean {
  const u = t.kind === "optional" ? t.elem : t;
  return u.kind === "base" && u.name === "ScalarType";
}

// One constant: True/False/None, a string, a code identifier, or a number that is complex if
// the type is complex or it has a `j`, float if the type is float or it has `.` or `e`, else int.
function parseSingleConstant(p: SchemaParser, kind: string, realType: SchemaType): Scalar {
  const L = p.L;
  const tok = L.cur;
  switch (tok.kind) {
    case "True":
    case "False":
      L.next();
      return { value: tok.kind === "True", kind: "bool", tok };
    case "None":
      L.next();
      return { value: null, kind: "none", tok };
    case "string_literal":
      L.next();
      try {
        return { value: parseStringLiteral(L.text(tok)), kind: "str", tok };
      } catch (e) {
        return p.literalFailure(e, tok, "a string literal");
      }
    case "ident": {
      L.next();
      const text = L.text(tok);
      const code = CODE_IDENTIFIERS.get(text) ?? (isPossiblyOptionalScalarType(realType) ? DTYPE_CODES.get(text) : undefined);
      if (code === undefined) return L.fail("invalid numeric default value", tok.start, tok.end, "a number or a known identifier");
      return { value: code, kind: "int", tok };
    }
    default: {
      const negative = L.nextIf("-");
      const numTok = L.expect("number");
      const n = (negative ? "-" : "") + L.text(numTok);
      const range: Token = { kind: "number", start: tok.start, end: numTok.end };
      try {
        // PyTorch reads a complex literal as the number before its last character (the `j`,
        // or a digit when the `j` is missing: `complex c=12` is 1j there, and here)
        if (kind === "complex" || n.includes("j")) return { value: { re: 0, im: complexPart(n) }, kind: "complex", tok: range };
        if (kind === "float" || n.includes(".") || n.includes("e")) return { value: stod(n), kind: "float", tok: range };
        return { value: stoll(n), kind: "int", tok: range };
      } catch (e) {
        return p.literalFailure(e, range, "a number");
      }
    }
  }
}

function complexPart(n: string): number {
  try {
    return stod(n.slice(0, -1));
  } catch (e) {
    if (e instanceof LiteralError && !n.endsWith("j")) throw new LiteralError(`invalid complex default value '${n}': write it with a j, as in 1j`);
    throw e;
  }
}
