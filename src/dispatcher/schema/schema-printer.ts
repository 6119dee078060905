// Prints schemas, arguments, types and default values exactly as PyTorch does
// (FunctionSchema's operator<<, IValue's operator<< for defaults, printQuotedString), so that
// every registered aten schema prints back to the text it was parsed from.

import type { AliasInfo, Argument, ComplexValue, DefaultKind, DefaultValue, FunctionSchema, SchemaType } from "./schema-types.js";

/**
 * Prints an alias annotation: `(a!)`, `(a|b)`, `(a -> *)`. The after-sets are printed only
 * when they differ (as sets) from the before-sets.
 * @example
 * aliasToString({ beforeSets: ["a"], afterSets: ["*"], isWrite: false, containedTypes: [] }) // "(a -> *)"
 */
export function aliasToString(a: AliasInfo): string {
  let s = `(${a.beforeSets.join("|")}${a.isWrite ? "!" : ""}`;
  if (!sameSets(a.beforeSets, a.afterSets)) s += ` -> ${a.afterSets.join("|")}`;
  return `${s})`;
}

function sameSets(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * Prints a type in schema syntax, with its alias annotations (`withAlias: false` drops them).
 * @example
 * typeToString({ kind: "list", elem: { kind: "base", name: "int" }, size: 2 }) // "int[2]"
 */
export function typeToString(t: SchemaType, options: { withAlias?: boolean } = {}): string {
  const withAlias = options.withAlias ?? true;
  const print = (u: SchemaType): string => typeToString(u, options);
  const annot = (a: AliasInfo | undefined): string => (withAlias && a !== undefined ? aliasToString(a) : "");
  switch (t.kind) {
    case "base":
    case "var":
      return t.name + annot(t.alias);
    case "class":
      return t.name;
    case "list":
      return `${print(t.elem)}[${t.size ?? ""}]${annot(t.alias)}`;
    case "optional":
      return `${print(t.elem)}?`;
    case "tuple":
      return `(${t.elems.map(print).join(", ")})`;
    case "dict":
      return `Dict(${print(t.key)}, ${print(t.value)})${annot(t.alias)}`;
    case "union":
      return unionToString(t.elems, print) + annot(t.alias);
    case "future":
      return `Future(${print(t.elem)})`;
    case "rref":
      return `RRef(${print(t.elem)})`;
    case "await":
      return `Await(${print(t.elem)})`;
  }
}

// PyTorch's UnionType::unionStr: int, float and complex together print as one trailing
// `Scalar`, and the separator before it depends on a flag PyTorch sets only after index 0
// (hence its `Union(TensorScalar)` and `Union(, str, Scalar)`; we print what PyTorch prints).
function unionToString(elems: readonly SchemaType[], print: (t: SchemaType) => string): string {
  const isNumber = (t: SchemaType): boolean => t.kind === "base" && (t.name === "int" || t.name === "float" || t.name === "complex");
  const holdsNumbers = elems.filter(isNumber).length === 3;
  let s = "Union(";
  let printed = false;
  elems.forEach((e, i) => {
    if (holdsNumbers && isNumber(e)) return;
    if (i > 0) {
      s += ", ";
      printed = true;
    }
    s += print(e);
  });
  if (holdsNumbers) s += printed ? ", Scalar" : "Scalar";
  return `${s})`;
}

/**
 * Prints an argument as PyTorch does: type, name, `=default`. An `int[N]` default whose
 * elements are all equal prints as one number (`int[2] stride=1`).
 * @example
 * argumentToString(parseSchema("f(float eps=1e-05) -> ()").arguments[0]) // "float eps=1.0000000000000001e-05"
 */
export function argumentToString(arg: Argument): string {
  let s = typeToString(arg.type);
  if (arg.name !== "") s += ` ${arg.name}`;
  if (arg.defaultValue !== undefined) s += `=${defaultToString(arg.type, arg.defaultValue, arg.defaultKind ?? "none")}`;
  return s;
}

function defaultToString(type: SchemaType, v: DefaultValue, kind: DefaultKind): string {
  const unopt = type.kind === "optional" ? type.elem : type;
  if (kind === "str" && (isBase(type, "str") || isBase(unopt, "str"))) return quoteString(v as string);
  if (kind === "int-list" && type.kind === "list" && isBase(type.elem, "int")) {
    const list = v as readonly number[];
    if (list.length > 1 && list.every((x) => x === list[0])) return formatInt(list[0]!);
  }
  return valueToString(v, kind);
}

function isBase(t: SchemaType, name: string): boolean {
  return t.kind === "base" && t.name === name;
}

/** A default value as PyTorch's IValue operator<< prints it (strings unquoted). */
function valueToString(v: DefaultValue, kind: DefaultKind): string {
  switch (kind) {
    case "none":
      return "None";
    case "bool":
      return v ? "True" : "False";
    case "int":
      return formatInt(v as number);
    case "float":
      return formatDouble(v as number);
    case "complex":
      return formatComplex(v as ComplexValue);
    case "str":
    case "device":
      return v as string;
    case "int-list":
      return `[${(v as readonly number[]).map(formatInt).join(", ")}]`;
    case "float-list":
      return `[${(v as readonly number[]).map(formatDouble).join(", ")}]`;
    case "bool-list":
      return `[${(v as readonly boolean[]).map((b) => (b ? "True" : "False")).join(", ")}]`;
    case "complex-list":
      return `[${(v as readonly ComplexValue[]).map(formatComplex).join(", ")}]`;
  }
}

function formatInt(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
}

function formatComplex(c: ComplexValue): string {
  return `${formatDouble(c.re)}${c.im >= 0 ? "+" : "-"}${formatDouble(Math.abs(c.im))}j`;
}

const TWO_63 = 2 ** 63;

/**
 * A double as PyTorch prints it: integral values in int64 range as `1.` / `-3.` (so -0 prints
 * `0.`), anything else with 17 significant digits like C's `%.17g`.
 * @example
 * formatDouble(1e-5) // "1.0000000000000001e-05"
 */
export function formatDouble(d: number): string {
  if (Number.isInteger(d) && d >= -TWO_63 && d < TWO_63) return `${d === 0 ? "0" : BigInt(d).toString()}.`;
  if (Number.isNaN(d)) return "nan";
  if (!Number.isFinite(d)) return d > 0 ? "inf" : "-inf";
  const { digits, exp } = roundTo17(exactDigits(Math.abs(d)));
  let s: string;
  if (exp < -4 || exp >= 17) {
    const frac = digits.slice(1).replace(/0+$/, "");
    s = `${digits[0]}${frac ? `.${frac}` : ""}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  } else if (exp >= 0) {
    const frac = digits.slice(exp + 1).replace(/0+$/, "");
    s = digits.slice(0, exp + 1) + (frac ? `.${frac}` : "");
  } else {
    s = `0.${"0".repeat(-exp - 1)}${digits.replace(/0+$/, "")}`;
  }
  return d < 0 ? `-${s}` : s;
}

/** The exact decimal expansion of a positive finite double: digits, and the exponent of the first. */
function exactDigits(d: number): { digits: string; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e2 = -1074;
  if (biased !== 0) {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  if (e2 >= 0) {
    const digits = (mant << BigInt(e2)).toString();
    return { digits, exp: digits.length - 1 };
  }
  // mant * 2^e2 = mant * 5^-e2 / 10^-e2
  const digits = (mant * 5n ** BigInt(-e2)).toString();
  return { digits, exp: digits.length - 1 + e2 };
}

/** Rounds to 17 significant digits, ties to even (as glibc's printf). */
function roundTo17({ digits, exp }: { digits: string; exp: number }): { digits: string; exp: number } {
  if (digits.length <= 17) return { digits: digits.padEnd(17, "0"), exp };
  const head = digits.slice(0, 17);
  const rest = digits.slice(17);
  const tail = rest.slice(1);
  const up = rest[0]! > "5" || (rest[0] === "5" && (/[1-9]/.test(tail) || Number(head[16]) % 2 === 1));
  if (!up) return { digits: head, exp };
  const bumped = (BigInt(head) + 1n).toString();
  return bumped.length > 17 ? { digits: bumped.slice(0, 17), exp: exp + 1 } : { digits: bumped, exp };
}

const ESCAPES: Record<number, string> = {
  0x5c: "\\\\", 0x27: "\\'", 0x22: '\\"', 0x07: "\\a", 0x08: "\\b", 0x0c: "\\f", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x0b: "\\v",
};

/**
 * A string in double quotes with C escapes, as PyTorch's printQuotedString writes it. Other
 * unprintable bytes become three-digit octal escapes, computed (as PyTorch does) from the byte
 * as a signed char, so bytes of non-ASCII characters come out as PyTorch prints them.
 * @example
 * quoteString(` \n`) // '" \\n"'
 */
export function quoteString(s: string): string {
  let out = '"';
  for (const byte of utf8(s)) {
    const esc = ESCAPES[byte];
    if (esc !== undefined) out += esc;
    else if (byte > 0x1f && byte < 0x7f) out += String.fromCharCode(byte);
    else {
      let c = byte > 127 ? byte - 256 : byte;
      const d2 = c % 8;
      c = Math.trunc(c / 8);
      const d1 = c % 8;
      c = Math.trunc(c / 8);
      out += `\\${String.fromCharCode(48 + c, 48 + d1, 48 + d2)}`;
    }
  }
  return `${out}"`;
}

function utf8(s: string): Iterable<number> {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? Array.from(s, (c) => c.charCodeAt(0)) : new TextEncoder().encode(s);
}

/**
 * Prints a schema exactly as PyTorch does: `*` before the first keyword-only argument, `...`
 * for varargs, returns in parentheses unless there is exactly one (or it starts with `(`).
 * @example
 * schemaToString(parseSchema("foo(Tensor x) -> (Tensor)")) // "foo(Tensor x) -> Tensor"
 */
export function schemaToString(
  schema: Pick<FunctionSchema, "name" | "overloadName" | "arguments" | "returns" | "isVararg" | "isVarret">,
): string {
  let s = schema.overloadName === "" ? `${schema.name}(` : `${schema.name}.${schema.overloadName}(`;
  let seenKwargOnly = false;
  schema.arguments.forEach((a, i) => {
    if (i > 0) s += ", ";
    if (a.kwargOnly && !seenKwargOnly) {
      s += "*, ";
      seenKwargOnly = true;
    }
    s += argumentToString(a);
  });
  if (schema.isVararg) s += schema.arguments.length > 0 ? ", ..." : "...";
  s += ") -> ";
  const returns = schema.returns;
  const rets = returns.map(argumentToString);
  let paren = !((returns.length === 1 && !schema.isVarret) || (returns.length === 0 && schema.isVarret));
  if (returns.length === 1 && !schema.isVarret && rets[0]!.startsWith("(")) paren = true;
  let r = rets.join(", ");
  if (schema.isVarret) r += returns.length > 0 ? ", ..." : "...";
  return s + (paren ? `(${r})` : r);
}
