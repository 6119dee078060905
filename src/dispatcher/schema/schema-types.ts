// The data model of operator schemas, after PyTorch's FunctionSchema, Argument and AliasInfo:
// what the parser builds, what the printer prints and what the dispatcher reads (which
// arguments carry tensors, which are written, what a caller gets for an omitted argument).
// Schemas are immutable once built; a schema's printed form is computed once and cached.

import { RuntimeError } from "../../core/errors.js";
import { argumentToString, schemaToString } from "./schema-printer.js";
import { aliasInfoOfType, listSizeOf } from "./schema-type-ops.js";

/**
 * The alias annotation of a type: `Tensor(a!)` is `{ beforeSets: ["a"], afterSets: ["a"],
 * isWrite: true }`, `Tensor(a -> *)` has afterSets `["*"]` (the wildcard). On an argument,
 * `containedTypes[0]` holds the annotation of a list's elements (`Tensor(a!)[]`).
 * Set names keep the order in which the schema wrote them.
 */
export interface AliasInfo {
  beforeSets: string[];
  afterSets: string[];
  isWrite: boolean;
  containedTypes: AliasInfo[];
}

/**
 * A schema type, as written (the "real" type: `ScalarType` stays `ScalarType`, although PyTorch
 * carries it as an int at runtime). `alias` is the annotation written right after the type
 * (`Tensor(a)`, `t(a)`, the `(a)` of `Tensor[](a)`); PyTorch drops annotations inside tuples,
 * Dict/Union members and Future/RRef/Await, and so do we.
 */
export type SchemaType =
  | { kind: "base"; name: string; alias?: AliasInfo }
  | { kind: "list"; elem: SchemaType; size?: number; alias?: AliasInfo }
  | { kind: "optional"; elem: SchemaType }
  | { kind: "tuple"; elems: SchemaType[] }
  | { kind: "dict"; key: SchemaType; value: SchemaType; alias?: AliasInfo }
  | { kind: "union"; elems: SchemaType[]; alias?: AliasInfo }
  | { kind: "future" | "rref" | "await"; elem: SchemaType }
  | { kind: "var"; name: string; alias?: AliasInfo }
  | { kind: "class"; name: string };

/** A complex number (PyTorch's `c10::complex<double>`). */
export interface ComplexValue {
  re: number;
  im: number;
}

/**
 * The runtime value of a default: what a caller gets when it omits the argument. `null` is
 * `None`; dtype, layout, memory-format and reduction identifiers are their integer codes
 * (`float` -> 6); a Device default is its normalised string (`"cuda:1"`).
 */
export type DefaultValue =
  | number
  | boolean
  | string
  | null
  | readonly number[]
  | readonly boolean[]
  | ComplexValue
  | readonly ComplexValue[];

/**
 * What a default value was parsed as (PyTorch's IValue tag). Printing needs it: the float
 * `1.` and the int `1` are both the number 1 here, and a `str` default prints quoted while a
 * Device default does not.
 */
export type DefaultKind =
  | "none"
  | "bool"
  | "int"
  | "float"
  | "complex"
  | "str"
  | "device"
  | "int-list"
  | "float-list"
  | "bool-list"
  | "complex-list";

/** What {@link Argument}'s constructor takes. */
export interface ArgumentInit {
  name: string;
  type: SchemaType;
  /** Fixed list size (`int[2]`); defaults to the size of the outermost list type. */
  N?: number;
  defaultValue?: DefaultValue;
  /** Inferred from the value and the type when omitted. */
  defaultKind?: DefaultKind;
  kwargOnly?: boolean;
  /** Defaults to the annotation PyTorch derives from the type (see {@link AliasInfo}). */
  aliasInfo?: AliasInfo;
}

/**
 * One parameter (or return value) of a schema.
 * @example
 * const k = parseSchema("foo(int[2] k=1) -> ()").arguments[0];
 * k.N             // 2
 * k.defaultValue  // [1, 1]
 * String(k)       // "int[2] k=1"
 */
export class Argument {
  readonly name: string;
  readonly type: SchemaType;
  /** Fixed list size: `int[2]` -> 2. */
  readonly N: number | undefined;
  /** undefined = no default; null = the default `None`. */
  readonly defaultValue: DefaultValue | undefined;
  /** How the default was written (int or float, str or Device...); undefined without default. */
  readonly defaultKind: DefaultKind | undefined;
  /** After `*` in the parameter list. */
  readonly kwargOnly: boolean;
  /** The alias annotation of the outermost type, as PyTorch computes it. */
  readonly aliasInfo: AliasInfo | undefined;

  constructor(init: ArgumentInit) {
    this.name = init.name;
    this.type = init.type;
    this.N = init.N ?? listSizeOf(init.type);
    this.defaultValue = init.defaultValue;
    this.defaultKind = init.defaultValue === undefined ? undefined : (init.defaultKind ?? inferDefaultKind(init.type, init.defaultValue));
    this.kwargOnly = init.kwargOnly ?? false;
    this.aliasInfo = init.aliasInfo ?? aliasInfoOfType(init.type);
  }

  /** The parameter has a default (which may be None). */
  get hasDefault(): boolean {
    return this.defaultValue !== undefined;
  }

  /** A keyword-only argument that is written to: an `out=` argument (PyTorch's `is_out`). */
  get isOut(): boolean {
    return this.kwargOnly && this.aliasInfo !== undefined && this.aliasInfo.isWrite;
  }

  /** Prints as PyTorch does: `Tensor(a!) self`, `int[2] stride=1`, `ScalarType? dtype=None`. */
  toString(): string {
    return argumentToString(this);
  }
}

function inferDefaultKind(type: SchemaType, v: DefaultValue): DefaultKind {
  const t = type.kind === "optional" ? type.elem : type;
  if (v === null) return "none";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return t.kind === "base" && t.name === "Device" ? "device" : "str";
  if (typeof v === "number") return Number.isInteger(v) && !(t.kind === "base" && t.name === "float") ? "int" : "float";
  if (!Array.isArray(v)) return "complex";
  const elem = t.kind === "list" ? t.elem : t;
  const name = elem.kind === "base" ? elem.name : "";
  if (name === "float") return "float-list";
  if (name === "complex") return "complex-list";
  if (name === "bool") return "bool-list";
  const first: unknown = v[0];
  if (typeof first === "boolean") return "bool-list";
  if (typeof first === "object" && first !== null) return "complex-list";
  return "int-list";
}

/**
 * A parsed operator schema (PyTorch's FunctionSchema). Build one with `parseSchema`.
 * @example
 * const s = parseSchema("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor");
 * s.namespace      // "aten"
 * s.qualifiedName  // "aten::add.Tensor"
 * String(s)        // prints it back exactly
 */
export class FunctionSchema {
  /** The qualified name without overload: `aten::add` (or `add` when no namespace was given). */
  readonly name: string;
  /** `Tensor` in `aten::add.Tensor`; "" for the default overload. */
  readonly overloadName: string;
  readonly arguments: readonly Argument[];
  /** Returns are Arguments too; their name is "" unless the schema names them. */
  readonly returns: readonly Argument[];
  /** The parameter list ends with `...`. */
  readonly isVararg: boolean;
  /** The return list is (or ends with) `...`. */
  readonly isVarret: boolean;
  private printed: string | undefined;

  /**
   * @throws RuntimeError when a positional parameter without default follows one with a
   *   default (list-typed parameters excepted, as in PyTorch)
   */
  constructor(
    name: string,
    overloadName: string,
    args: readonly Argument[],
    returns: readonly Argument[],
    isVararg = false,
    isVarret = false,
  ) {
    this.name = name;
    this.overloadName = overloadName;
    this.arguments = args;
    this.returns = returns;
    this.isVararg = isVararg;
    this.isVarret = isVarret;
    const bad = args[nonDefaultAfterDefault(args)];
    if (bad !== undefined) throw new RuntimeError(nonDefaultAfterDefaultMessage(schemaToString(this), bad));
  }

  /** `aten` for `aten::add`; undefined when the name has no namespace. */
  get namespace(): string | undefined {
    const i = this.name.indexOf("::");
    return i < 0 ? undefined : this.name.slice(0, i);
  }

  /** The name without namespace and overload: `add`. */
  get baseName(): string {
    const i = this.name.indexOf("::");
    return i < 0 ? this.name : this.name.slice(i + 2);
  }

  /** `aten::add.Tensor`, or `aten::add` for the default overload. */
  get qualifiedName(): string {
    return this.overloadName === "" ? this.name : `${this.name}.${this.overloadName}`;
  }

  /** Some argument is written to (has a `!` annotation, possibly on its list elements). */
  get isMutable(): boolean {
    return this.arguments.some((a) => a.aliasInfo !== undefined && a.aliasInfo.isWrite);
  }

  /** This schema with `ns::` prepended to its name when it has no namespace; else itself. */
  withNamespace(ns: string): FunctionSchema {
    if (this.namespace !== undefined) return this;
    return new FunctionSchema(`${ns}::${this.name}`, this.overloadName, this.arguments, this.returns, this.isVararg, this.isVarret);
  }

  /** Prints exactly as PyTorch prints the schema. */
  toString(): string {
    return (this.printed ??= schemaToString(this));
  }
}

/**
 * Index of the first positional parameter without default that follows one with a default
 * (PyTorch's FunctionSchema::checkSchema; list-typed parameters are exempt), or -1.
 * @example
 * nonDefaultAfterDefault([argWithDefault, argWithout]) // 1
 */
export function nonDefaultAfterDefault(args: readonly Argument[]): number {
  let seenDefault = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.hasDefault) seenDefault = true;
    else if (seenDefault && !a.kwargOnly && a.type.kind !== "list") return i;
  }
  return -1;
}

/**
 * PyTorch's message for {@link nonDefaultAfterDefault}, given the printed schema.
 * @example
 * nonDefaultAfterDefaultMessage("f(int a=1, int b) -> ()", b) // "Non-default positional argument follows default argument. Parameter b in f(int a=1, int b) -> ()"
 */
export function nonDefaultAfterDefaultMessage(printedSchema: string, arg: Argument): string {
  return `Non-default positional argument follows default argument. Parameter ${arg.name} in ${printedSchema}`;
}
