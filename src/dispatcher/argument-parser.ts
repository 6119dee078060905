// Turns a user call (positional arguments, then optionally one trailing plain object of keyword
// arguments) into the boxed argument list of a schema (schema order, defaults filled in), checking
// types as PyTorch's torch.ops does, with its error texts. Also matches a call against the
// overloads of a packet (two passes: first without, then with numbers accepted as tensors).

import { RuntimeError } from "../core/errors.js";
import type { Argument, FunctionSchema, SchemaType } from "./schema/index.js";

/**
 * What the argument checker needs from the tensor layer (installed with
 * {@link setValueHooks}); the dispatcher itself knows nothing of tensors.
 */
export interface ValueHooks {
  /** Is v a tensor? */
  isTensor(v: unknown): boolean;
  /** Makes a 0-dim tensor from a number or boolean (when numbers are accepted as tensors); null = not supported. */
  scalarToTensor(v: number | boolean | bigint): unknown;
  /** Checks and converts a value for a non-tensor base type the tensor layer owns (ScalarType, Device...). */
  convert?(typeName: string, v: unknown): { ok: true; value: unknown } | { ok: false };
}

let hooks: ValueHooks = {
  isTensor: (v) => typeof v === "object" && v !== null && typeof (v as { keySet?: unknown }).keySet === "number",
  scalarToTensor: () => null,
};

/** The installed hooks. */
export function valueHooks(): ValueHooks {
  return hooks;
}

/** Installs the tensor layer's hooks (done once by the tensor library). */
export function setValueHooks(h: ValueHooks): void {
  hooks = h;
}

/** Is v the trailing keyword-argument object of a call (a plain object literal)? */
export function isKwargs(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

class ArgError extends RuntimeError {}

function jsTypeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "Array";
  if (hooks.isTensor(v)) return "Tensor";
  return typeof v;
}

function repr(v: unknown): string {
  if (typeof v === "string") return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(repr).join(", ")}]`;
  return String(v);
}

/** Python's annotation string of a schema type, as PyTorch prints it in errors. */
export function pythonTypeName(t: SchemaType): string {
  switch (t.kind) {
    case "base":
      return t.name === "Scalar" ? "number" : t.name === "SymInt" ? "int" : t.name === "ScalarType" || t.name === "Layout" || t.name === "MemoryFormat" ? "int" : t.name;
    case "list":
      return `List[${pythonTypeName(t.elem)}]`;
    case "optional":
      return `Optional[${pythonTypeName(t.elem)}]`;
    case "tuple":
      return `Tuple[${t.elems.map(pythonTypeName).join(", ")}]`;
    case "var":
      return t.name;
    default:
      return t.kind;
  }
}

const NO = Symbol("no match");

function isInt(v: unknown): boolean {
  return (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint";
}

/** Converts v to type t, or returns NO. */
function convert(t: SchemaType, v: unknown, numbersAsTensors: boolean, N: number | undefined): unknown {
  switch (t.kind) {
    case "optional":
      if (v === null || v === undefined) return null;
      return convert(t.elem, v, numbersAsTensors, N);
    case "list": {
      if (!Array.isArray(v)) {
        // int[2] stride=1: a single int stands for N copies, as in PyTorch.
        const size = t.size ?? N;
        if (size !== undefined && t.elem.kind === "base" && (t.elem.name === "int" || t.elem.name === "SymInt") && isInt(v)) {
          return new Array<unknown>(size).fill(v);
        }
        return NO;
      }
      if (t.elem.kind === "base" && t.elem.name === "Tensor") {
        for (const e of v) if (!hooks.isTensor(e)) return NO;
        return v;
      }
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const c = convert(t.elem, v[i], numbersAsTensors, undefined);
        if (c === NO) return NO;
        if (c !== v[i]) (out ??= v.slice())[i] = c;
      }
      return out ?? v;
    }
    case "base":
      return convertBase(t.name, v, numbersAsTensors);
    case "var":
      return v === undefined ? NO : v;
    default:
      return v === undefined ? NO : v;
  }
}

function convertBase(name: string, v: unknown, numbersAsTensors: boolean): unknown {
  switch (name) {
    case "Tensor":
      if (hooks.isTensor(v)) return v;
      if (numbersAsTensors && (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint")) {
        const t = hooks.scalarToTensor(v);
        return t === null ? NO : t;
      }
      return NO;
    case "int":
    case "SymInt":
      return isInt(v) ? v : typeof v === "boolean" ? Number(v) : NO;
    case "float":
    case "SymFloat":
      return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : NO;
    case "bool":
    case "SymBool":
      return typeof v === "boolean" ? v : isInt(v) ? v !== 0 && v !== 0n : NO;
    case "Scalar":
      return typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" ? v : isComplex(v) ? v : NO;
    case "complex":
      return typeof v === "number" || isComplex(v) ? v : NO;
    case "str":
      return typeof v === "string" ? v : NO;
    default: {
      const r = hooks.convert?.(name, v);
      if (r) return r.ok ? r.value : NO;
      return v === undefined ? NO : v;
    }
  }
}

function isComplex(v: unknown): boolean {
  return typeof v === "object" && v !== null && typeof (v as { re?: unknown }).re === "number" && typeof (v as { im?: unknown }).im === "number";
}

/** Precomputed per-schema facts for parsing calls. */
interface SchemaInfo {
  positional: number;
  byName: Map<string, number>;
  /** Per argument: true when it is a plain `Tensor` (the common case, checked inline). */
  plainTensor: boolean[];
}
const infoCache = new WeakMap<FunctionSchema, SchemaInfo>();
function infoOf(schema: FunctionSchema): SchemaInfo {
  let info = infoCache.get(schema);
  if (!info) {
    let positional = 0;
    const byName = new Map<string, number>();
    const plainTensor: boolean[] = [];
    schema.arguments.forEach((a, i) => {
      if (!a.kwargOnly) positional++;
      byName.set(a.name, i);
      plainTensor.push(a.type.kind === "base" && a.type.name === "Tensor");
    });
    info = { positional, byName, plainTensor };
    infoCache.set(schema, info);
  }
  return info;
}

function defaultOf(a: Argument): unknown {
  const d = a.defaultValue;
  if (Array.isArray(d)) return d.slice();
  return d;
}

/**
 * Operators whose Tensor arguments accept JS numbers in torch.ops calls (PyTorch's
 * should_allow_numbers_as_tensors): the arithmetic ops Python's operators map to.
 */
const NUMBERS_AS_TENSORS = new Set(
  ["add", "sub", "mul", "div", "divide", "multiply", "subtract", "true_divide", "floor_divide", "to"].flatMap((n) => [n, `${n}_`]),
);

const allowedCache = new Map<string, boolean>();
/** May `op` (an `ns::name`) take JS numbers for its Tensor arguments? */
export function allowsNumbersAsTensors(opName: string): boolean {
  let r = allowedCache.get(opName);
  if (r === undefined) {
    r = NUMBERS_AS_TENSORS.has(opName.slice(opName.indexOf("::") + 2));
    allowedCache.set(opName, r);
  }
  return r;
}

/**
 * Parses a call against one schema: returns the full argument list in schema order.
 * @throws RuntimeError with PyTorch's texts (too many arguments, missing value, wrong type...)
 * @example
 * parseArgs(addSchema, [x, y, { alpha: 2 }]) // [x, y, 2]
 */
export function parseArgs(schema: FunctionSchema, callArgs: readonly unknown[], numbersAsTensors = allowsNumbersAsTensors(schema.name)): unknown[] {
  const r = tryParseArgs(schema, callArgs, numbersAsTensors);
  if (r instanceof ArgError) throw new RuntimeError(r.message);
  return r;
}

function tryParseArgs(schema: FunctionSchema, callArgs: readonly unknown[], numbersAsTensors: boolean): unknown[] | ArgError {
  const params = schema.arguments;
  const info = infoOf(schema);
  let n = callArgs.length;
  // Fast path: every argument given positionally and every one a plain tensor.
  if (n === params.length && n === info.positional && !schema.isVararg) {
    let ok = true;
    for (let i = 0; i < n; i++) {
      if (!info.plainTensor[i] || !hooks.isTensor(callArgs[i])) {
        ok = false;
        break;
      }
    }
    if (ok) return callArgs as unknown[];
  }
  let kwargs: Record<string, unknown> | undefined;
  if (n > 0 && isKwargs(callArgs[n - 1])) {
    kwargs = callArgs[n - 1] as Record<string, unknown>;
    n--;
  }
  const opName = schema.name;
  if (n > params.length && !schema.isVararg) {
    return new ArgError(`${opName}() expected at most ${params.length} argument(s) but received ${n + (kwargs ? Object.keys(kwargs).length : 0)} argument(s). Declaration: ${String(schema)}`);
  }
  if (n > info.positional && !schema.isVararg) {
    return new ArgError(`${opName}() takes ${info.positional} positional argument(s) but ${n} was/were given.  Declaration: ${String(schema)}`);
  }
  const out = new Array<unknown>(params.length);
  let usedKw = 0;
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    let v: unknown;
    let present = false;
    if (i < n) {
      v = callArgs[i];
      present = true;
      if (kwargs && Object.prototype.hasOwnProperty.call(kwargs, p.name)) {
        return new ArgError(`Argument '${p.name}' specified both as positional and keyword argument. Schema: ${String(schema)}`);
      }
    } else if (kwargs && Object.prototype.hasOwnProperty.call(kwargs, p.name)) {
      v = kwargs[p.name];
      present = true;
      usedKw++;
    }
    if (!present || (v === undefined && p.hasDefault)) {
      if (!p.hasDefault) {
        if (p.type.kind === "optional") {
          out[i] = null;
          continue;
        }
        return new ArgError(`${opName}() is missing value for argument '${p.name}'. Declaration: ${String(schema)}`);
      }
      out[i] = defaultOf(p);
      continue;
    }
    if ((v === null || v === undefined) && p.type.kind === "base" && p.type.name === "Tensor") {
      return new ArgError(`Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #${i} '${p.name}'`);
    }
    const c = convert(p.type, v, numbersAsTensors, p.N);
    if (c === NO) {
      return new ArgError(
        `${opName}() Expected a value of type '${pythonTypeName(p.type)}' for argument '${p.name}' but instead found type '${jsTypeName(v)}'.\n` +
          `Position: ${i}\nValue: ${repr(v)}\nDeclaration: ${String(schema)}`,
      );
    }
    out[i] = c;
  }
  if (kwargs && usedKw < Object.keys(kwargs).length) {
    for (const k of Object.keys(kwargs)) {
      if (!info.byName.has(k)) return new ArgError(`Unknown keyword argument '${k}' for operator '${opName}'. Schema: ${String(schema)}`);
    }
  }
  return out;
}

/**
 * Picks the first overload (in definition order) whose schema accepts the call, as PyTorch's
 * overload packets do. Returns its index and parsed arguments.
 * @throws RuntimeError "Overloaded torch operator invoked from Python failed to match any schema: ..."
 */
export function matchOverload(schemas: readonly FunctionSchema[], callArgs: readonly unknown[]): [number, unknown[]] {
  const errors: string[] = [];
  for (let i = 0; i < schemas.length; i++) {
    const s = schemas[i]!;
    const r = tryParseArgs(s, callArgs, allowsNumbersAsTensors(s.name));
    if (!(r instanceof ArgError)) return [i, r];
    errors.push(r.message);
  }
  throw new RuntimeError(`Overloaded torch operator invoked from Python failed to match any schema:\n${errors.join("\n\n")}\n\n`);
}
