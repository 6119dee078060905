// Parses operator schemas and names, following PyTorch's function_schema_parser.cpp and
// schema_type_parser.cpp rule for rule (the same grammar, defaults, normalisations and error
// texts), so that a schema parsed here prints back as PyTorch prints it.
// Grammar and semantics: dispatch-semantics.md §4.1.

import { Lexer, type Token } from "./schema-lexer.js";
import { parseDefaultValue } from "./schema-defaults.js";
import { LiteralError, stoll } from "./schema-literals.js";
import { SchemaParseError } from "./schema-parse-error.js";
import { schemaToString } from "./schema-printer.js";
import { baseType, makeOptional, makeUnion, memberType } from "./schema-type-ops.js";
import {
  Argument,
  FunctionSchema,
  nonDefaultAfterDefault,
  nonDefaultAfterDefaultMessage,
  type AliasInfo,
  type DefaultKind,
  type DefaultValue,
  type SchemaType,
} from "./schema-types.js";
/** An operator name: `aten::add` and overload `Tensor` (or "" for the default overload). */
export interface OperatorName {
  name: string;
  overloadName: string;
}

/** Base type names and how they print (`DeviceIndex` and `ConstQuantizerPtr` are ints, `None` is NoneType). */
const BASE_TYPES: ReadonlyMap<string, string> = new Map(
  [
    "Generator", "ScalarType", "Layout", "MemoryFormat", "Storage", "QScheme", "Quantizer", "Device", "Stream", "Scalar",
    "str", "float", "complex", "int", "SymInt", "bool", "SymBool", "NoneType", "Capsule", "Any", "AnyClassType", "AnyEnumType",
  ]
    .map((n): [string, string] => [n, n])
    .concat([["ConstQuantizerPtr", "int"], ["DeviceIndex", "int"], ["None", "NoneType"]]),
);

const UNKNOWN_TYPE =
  "unknown type specifier. Common valid schema types include Tensor, SymInt, int, float, bool, Scalar; for a full list, " +
  "please see https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/README.md#func ";

/**
 * The parser state of one schema: the lexer, and the counter of `Tensor!` fresh alias sets.
 * Internal to the schema module (default values are parsed in schema-defaults.ts).
 * @example
 * new SchemaParser("aten::relu(Tensor self) -> Tensor").parseExactlyOneDeclaration() // a FunctionSchema
 */
export class SchemaParser {
  readonly L: Lexer;
  private freshAliasId = 0;

  constructor(text: string) {
    this.L = new Lexer(text);
  }

  /** Reports a LiteralError (or PyTorch's wording for it) at the token t. */
  literalFailure(e: unknown, t: Token, expected: string): never {
    if (!(e instanceof LiteralError)) throw e;
    return this.L.fail(e.message, t.start, t.end, expected);
  }

  /** A name, or a full schema when a `(` follows; then an optional newline and the end. */
  parseExactlyOneDeclaration(): FunctionSchema | OperatorName {
    const result = this.parseDeclaration();
    this.L.nextIf("newline");
    this.L.expect("eof");
    return result;
  }

  private parseDeclaration(): FunctionSchema | OperatorName {
    const L = this.L;
    const name = this.parseName();
    if (L.cur.kind !== "(") return name;
    const args: Argument[] = [];
    const starts: number[] = [];
    const defaults: (Token | undefined)[] = [];
    let kwargOnly = false;
    let isVararg = false;
    this.parseList("(", ",", ")", () => {
      if (isVararg) L.fail("... must be the last element of the argument list", L.cur.start, L.cur.end, ")");
      if (L.nextIf("*")) kwargOnly = true;
      else if (L.nextIf("...")) isVararg = true;
      else {
        starts.push(L.cur.start);
        args.push(this.parseArgument(false, kwargOnly, defaults));
      }
    });
    if (isVararg) {
      const d = defaults.find((t) => t !== undefined);
      if (d !== undefined) L.fail("schemas with vararg (...) can't have default value args", d.start, d.end, "no default value");
    }
    L.expect("->");
    const returns: Argument[] = [];
    let isVarret = false;
    if (L.nextIf("...")) isVarret = true;
    else if (L.cur.kind === "(") {
      this.parseList("(", ",", ")", () => {
        if (isVarret) L.fail("... must be the last element of the return list", L.cur.start, L.cur.end, ")");
        if (L.nextIf("...")) isVarret = true;
        else returns.push(this.parseArgument(true, false, []));
      });
    } else {
      returns.push(this.parseArgument(true, false, []));
    }
    const bad = nonDefaultAfterDefault(args);
    if (bad >= 0) {
      const printed = schemaToString({ ...name, arguments: args, returns, isVararg, isVarret });
      throw new SchemaParseError(nonDefaultAfterDefaultMessage(printed, args[bad]!), starts[bad]!, "a default value", L.src);
    }
    return new FunctionSchema(name.name, name.overloadName, args, returns, isVararg, isVarret);
  }

  private parseName(): OperatorName {
    const L = this.L;
    let name = L.text(L.expect("ident"));
    if (L.nextIf(":")) {
      L.expect(":");
      name = `${name}::${L.text(L.expect("ident"))}`;
    }
    let overloadName = "";
    if (L.nextIf(".")) {
      const t = L.expect("ident");
      overloadName = L.text(t);
      if (overloadName === "default" || overloadName.startsWith("__")) {
        throw new SchemaParseError(`${overloadName} is not a legal overload name for aten operators`, t.start, "an overload name", L.src);
      }
    }
    return { name, overloadName };
  }

  // Records in `defaults` the first token of the argument's default (undefined without one).
  private parseArgument(isReturn: boolean, kwargOnly: boolean, defaults: (Token | undefined)[]): Argument {
    const L = this.L;
    let type = this.parseType();
    let N: number | undefined;
    if (L.nextIf("[")) {
      const t = L.expect("number");
      let n: number;
      try {
        n = stoll(L.text(t));
      } catch (e) {
        return this.literalFailure(e, t, "a list size");
      }
      N = Number(BigInt.asIntN(32, BigInt(n)));
      L.expect("]");
      const alias = this.parseAliasAnnotation();
      type = alias === undefined ? { kind: "list", elem: type, size: N } : { kind: "list", elem: type, size: N, alias };
      if (L.nextIf("?")) type = this.optional(type, t);
    }
    let name = "";
    let defaultValue: DefaultValue | undefined;
    let defaultKind: DefaultKind | undefined;
    if (isReturn) {
      if (L.cur.kind === "ident") name = L.text(L.next());
    } else {
      name = L.text(L.expect("ident"));
      if (L.nextIf("=")) {
        defaults.push(L.cur);
        ({ value: defaultValue, kind: defaultKind } = parseDefaultValue(this, type, N));
      } else defaults.push(undefined);
    }
    return new Argument({ name, type, N, defaultValue, defaultKind, kwargOnly: !isReturn && kwargOnly });
  }

  private optional(t: SchemaType, at: Token): SchemaType {
    return makeOptional(t, (m) => {
      throw new SchemaParseError(m, at.start, "a type that can be optional", this.L.src);
    });
  }

  /** A type with its annotations, followed by any number of `[]` and `?`. */
  private parseType(): SchemaType {
    const L = this.L;
    const tok = L.cur;
    const word = tok.kind === "ident" ? L.text(tok) : "";
    let t: SchemaType;
    if (tok.kind === "(") {
      const elems: SchemaType[] = [];
      this.parseList("(", ",", ")", () => elems.push(memberType(this.parseType())));
      t = { kind: "tuple", elems };
    } else if (word === "Future" || word === "RRef" || word === "Await") {
      L.next();
      L.expect("(");
      const elem = memberType(this.parseType());
      L.expect(")");
      t = { kind: word === "Future" ? "future" : word === "RRef" ? "rref" : "await", elem };
    } else if (word === "Tensor") {
      L.next();
      t = this.annotated(baseType("Tensor"));
    } else if (word === "Dict") {
      L.next();
      L.expect("(");
      const key = memberType(this.parseType());
      L.expect(",");
      const value = memberType(this.parseType());
      L.expect(")");
      t = this.annotated({ kind: "dict", key, value });
    } else if (word === "Union") {
      L.next();
      L.expect("(");
      const elems = [memberType(this.parseType())];
      while (L.cur.kind !== ")") {
        L.expect(",");
        elems.push(memberType(this.parseType()));
      }
      L.expect(")");
      t = makeUnion(elems, this.parseAliasAnnotation(), (m) => {
        throw new SchemaParseError(m, tok.start, "a union of several types", L.src);
      });
    } else if (word === "__torch__") {
      t = this.parseClassType();
    } else {
      t = this.annotated(this.parseBaseType());
    }
    for (;;) {
      if (L.cur.kind === "[" && L.lookahead().kind === "]") {
        L.next();
        L.next();
        const alias = this.parseAliasAnnotation();
        t = alias === undefined ? { kind: "list", elem: t } : { kind: "list", elem: t, alias };
      } else if (L.cur.kind === "?") {
        t = this.optional(t, L.next());
      } else return t;
    }
  }

  private annotated(t: Extract<SchemaType, { kind: "base" | "var" | "dict" }>): SchemaType {
    const alias = this.parseAliasAnnotation();
    return alias === undefined ? t : { ...t, alias };
  }

  private parseBaseType(): Extract<SchemaType, { kind: "base" | "var" }> {
    const L = this.L;
    const tok = L.cur;
    if (!L.nextIf("None") && !L.nextIf("NoneType")) L.expect("ident");
    const text = L.text(tok);
    const name = BASE_TYPES.get(text);
    if (name !== undefined) return baseType(name);
    // lower-case identifiers that are not types are type variables (PyTorch allows them everywhere)
    if (/^[a-z]/.test(text)) return { kind: "var", name: text };
    return L.fail(UNKNOWN_TYPE, tok.start, tok.end, "a type");
  }

  private parseClassType(): SchemaType {
    const L = this.L;
    L.next();
    L.expect(".");
    for (const ns of ["torch", "classes"]) {
      const t = L.expect("ident");
      if (L.text(t) !== ns) L.fail(`Expected classes namespace but got ${L.text(t)}`, t.start, t.end, ns);
      L.expect(".");
    }
    const lib = L.text(L.expect("ident"));
    L.expect(".");
    const cls = L.text(L.expect("ident"));
    return { kind: "class", name: `__torch__.torch.classes.${lib}.${cls}` };
  }

  /** `(a)`, `(a!)`, `(a|b -> c)`, `(*)`, or `!` (a fresh set, written); undefined when none. */
  private parseAliasAnnotation(): AliasInfo | undefined {
    const L = this.L;
    if (L.nextIf("(")) {
      const beforeSets = this.parseAliasSets();
      const isWrite = L.nextIf("!");
      const afterSets = L.nextIf("->") ? this.parseAliasSets() : beforeSets.slice();
      L.expect(")");
      return { beforeSets, afterSets, isWrite, containedTypes: [] };
    }
    if (L.nextIf("!")) return { beforeSets: [`$${this.freshAliasId++}`], afterSets: [], isWrite: true, containedTypes: [] };
    return undefined;
  }

  // Set names separated by `|`; after the wildcard `*`, PyTorch reads no more names (so
  // `(*|a)` fails at `a`, while `(a|*)` is the sets a and *).
  private parseAliasSets(): string[] {
    const L = this.L;
    const sets: string[] = [];
    const add = (s: string): void => {
      if (!sets.includes(s)) sets.push(s);
    };
    do {
      if (L.nextIf("*")) add("*");
      else if (!sets.includes("*")) add(L.text(L.expect("ident")));
    } while (L.nextIf("|"));
    return sets;
  }

  /** `begin item (sep item)* end`, where an empty list is `begin end`. */
  private parseList(begin: string, sep: string, end: string, item: () => void): void {
    const L = this.L;
    L.expect(begin);
    if (L.cur.kind !== end) {
      do item();
      while (L.nextIf(sep));
    }
    L.expect(end);
  }
}

/**
 * Parses a full schema.
 * @throws SchemaParseError on malformed text, or when only a name is given
 * @example
 * const s = parseSchema("foo(Tensor(a!) self, int[2] k=1, *, Tensor? out=None) -> (Tensor(a!), Tensor)");
 * s.arguments[1].defaultValue // [1, 1]
 */
export function parseSchema(text: string): FunctionSchema {
  const r = new SchemaParser(text).parseExactlyOneDeclaration();
  if (r instanceof FunctionSchema) return r;
  throw new SchemaParseError("Tried to parse a function schema but only the operator name was given", text.length, "(", text);
}

/**
 * Parses `ns::op.overload` alone as a name, or a full schema (PyTorch's parseSchemaOrName).
 * @example
 * parseSchemaOrName("aten::add.Tensor") // { name: "aten::add", overloadName: "Tensor" }
 */
export function parseSchemaOrName(text: string): FunctionSchema | OperatorName {
  return new SchemaParser(text).parseExactlyOneDeclaration();
}

/**
 * Parses an operator name (`aten::add.Tensor`, `myop`).
 * @throws SchemaParseError when the text is a full schema or malformed
 * @example
 * parseOperatorName("aten::add") // { name: "aten::add", overloadName: "" }
 */
export function parseOperatorName(text: string): OperatorName {
  const r = new SchemaParser(text).parseExactlyOneDeclaration();
  if (!(r instanceof FunctionSchema)) return r;
  const paren = text.indexOf("(");
  throw new SchemaParseError("Tried to parse an operator name but function schema was given", paren, "end of name", text);
}
