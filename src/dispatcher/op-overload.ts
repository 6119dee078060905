// torch.ops: `ops.<ns>.<name>.<overload>` is a callable OpOverload (one object per operator),
// `ops.<ns>.<name>` a callable OpOverloadPacket that picks the overload matching the arguments.
// Calls take positional arguments and optionally one trailing object of keyword arguments.

import { type DispatchKeySet } from "../core/dispatch-key-set.js";
import { DispatchKey, dispatchKeyName, parseDispatchKey } from "../core/dispatch-key.js";
import { AttributeError, RuntimeError } from "../core/errors.js";
import { matchOverload, parseArgs, valueHooks } from "./argument-parser.js";
import { dispatcher } from "./dispatcher.js";
import type { OperatorHandle } from "./operator-entry.js";
import type { FunctionSchema } from "./schema/index.js";

const OVERLOAD = Symbol.for("aten-ts.OpOverload");
const PACKET = Symbol.for("aten-ts.OpOverloadPacket");

/**
 * One overload of an operator, callable like the operator itself.
 * @example
 * ops.aten.add.Tensor(x, y, { alpha: 2 });
 * String(ops.aten.add.Tensor)      // "aten.add.Tensor"
 * ops.aten.add.Tensor.name         // "aten::add.Tensor"
 */
export interface OpOverload {
  (...args: unknown[]): unknown;
  /** `aten::add.Tensor`; `aten::zeros` for a default overload. */
  readonly name: string;
  /** `Tensor`, or `default`. */
  readonly overloadName: string;
  /** `aten` */
  readonly namespace: string;
  readonly schema: FunctionSchema;
  readonly overloadPacket: OpOverloadPacket;
  /** The dispatcher's entry for this operator. */
  readonly handle: OperatorHandle;
  /** Calls with a given key set, bypassing TLS and the fallthrough mask (PyTorch's `op.redispatch`). */
  redispatch(keySet: DispatchKeySet, ...args: unknown[]): unknown;
  /** Calls with the full argument list in schema order (no parsing). */
  callArgs(args: readonly unknown[]): unknown;
  /**
   * Registers a user-level kernel for one dispatch key, used only while the PythonDispatcher is
   * enabled (PyTorch's `py_impl`). It receives the DispatchKeySet and the arguments in schema
   * order. Returns a handle that removes it.
   */
  pyImpl(key: string, fn: (keySet: DispatchKeySet, ...args: never[]) => unknown): { dispose(): void };
  /** `aten.add.Tensor` */
  toString(): string;
  readonly [OVERLOAD]: true;
}

/**
 * All overloads of an operator name. Calling it picks the first overload whose schema accepts the
 * arguments (Tensor vs Scalar vs list), as PyTorch does.
 * @example
 * ops.aten.add(x, 2)        // resolves to aten.add.Scalar
 * ops.aten.add.overloads()  // ["Tensor", "Scalar", ...]
 */
export type OpOverloadPacket = {
  (...args: unknown[]): unknown;
  /** `aten::add` */
  readonly name: string;
  /** Overload names in definition order (`default` for the empty one). */
  overloads(): string[];
  toString(): string;
  readonly [PACKET]: true;
} & { readonly [overload: string]: OpOverload };

/**
 * Is v an OpOverload?
 * @example
 * torch.isOpOverload(torch.ops.aten.add.Tensor) // true
 */
export function isOpOverload(v: unknown): v is OpOverload {
  return typeof v === "function" && (v as unknown as Record<symbol, unknown>)[OVERLOAD] === true;
}

/**
 * Is v an OpOverloadPacket?
 * @example
 * torch.isOpOverloadPacket(torch.ops.aten.add) // true
 */
export function isOpOverloadPacket(v: unknown): v is OpOverloadPacket {
  return typeof v === "function" && (v as unknown as Record<symbol, unknown>)[PACKET] === true;
}

/** Extra members the layers above attach to every OpOverload (e.g. `pyImpl`). */
export const opOverloadExtensions: Record<string, (op: OpOverload) => unknown> = {};

/** The OpOverload of an operator entry: created once and cached on the entry. */
export function getOpOverload(handle: OperatorHandle): OpOverload {
  if (handle.hostObject) return handle.hostObject as OpOverload;
  const schema = handle.schema;
  if (!schema) throw new AttributeError(`operator ${handle.qualifiedName} has no schema`);
  // Fast path: an operator whose arguments are all plain tensors, called with exactly those.
  const n = schema.arguments.length;
  const allTensors = !schema.isVararg && schema.arguments.every((a) => !a.kwargOnly && a.type.kind === "base" && a.type.name === "Tensor");
  const fn = function (...args: unknown[]): unknown {
    let parsed: unknown[] | null = null;
    if (allTensors && args.length === n && handle.schema === schema) {
      parsed = args;
      for (let i = 0; i < n; i++) {
        if (!valueHooks().isTensor(args[i])) {
          parsed = null;
          break;
        }
      }
    }
    const r = dispatcher.call(handle, parsed ?? parseArgs(handle.schema!, args));
    return handle.numReturns === 0 ? undefined : r;
  };
  const [ns, base] = splitName(handle.name);
  const overloadName = handle.overloadName === "" ? "default" : handle.overloadName;
  const printed = `${ns}.${base}.${overloadName}`;
  Object.defineProperties(fn, {
    name: { value: handle.qualifiedName },
    overloadName: { value: overloadName },
    namespace: { value: ns },
    schema: { get: () => handle.schema },
    overloadPacket: { get: () => getPacket(handle.name) },
    handle: { value: handle },
    redispatch: {
      value: (ks: DispatchKeySet, ...args: unknown[]) => dispatcher.redispatch(handle, ks.raw, parseArgs(handle.schema!, args)),
    },
    callArgs: { value: (args: readonly unknown[]) => dispatcher.call(handle, args) },
    pyImpl: { value: (key: string, kernel: (keySet: DispatchKeySet, ...args: never[]) => unknown) => registerPyImpl(handle, key, kernel) },
    toString: { value: () => printed },
    [Symbol.toPrimitive]: { value: () => printed },
    [OVERLOAD]: { value: true },
  });
  const op = fn as unknown as OpOverload;
  for (const [k, make] of Object.entries(opOverloadExtensions)) Object.defineProperty(fn, k, { value: make(op) });
  handle.hostObject = op;
  return op;
}

function registerPyImpl(handle: OperatorHandle, key: string, kernel: (keySet: DispatchKeySet, ...args: never[]) => unknown): { dispose(): void } {
  const k = parseDispatchKey(key);
  if (k === DispatchKey.Python) throw new RuntimeError("Please register a mode for the DispatchKey.Python key instead.");
  if (handle.pyKernels.has(k)) {
    throw new RuntimeError(`Trying to override a python impl for DispatchKey.${dispatchKeyName(k)} on operator ${handle.qualifiedName}`);
  }
  if (typeof kernel !== "function") throw new TypeError(`Input function is required to be a callable but found type ${typeof kernel}`);
  handle.pyKernels.set(k, kernel as (...args: never[]) => unknown);
  return { dispose: () => void (handle.pyKernels.get(k) === kernel && handle.pyKernels.delete(k)) };
}

function splitName(name: string): [string, string] {
  const i = name.indexOf("::");
  return i < 0 ? ["", name] : [name.slice(0, i), name.slice(i + 2)];
}

// ---- packets and namespaces

/** Overloads per operator name, in definition order. */
const overloadsByName = new Map<string, OperatorHandle[]>();
dispatcher.onDefine((op) => {
  let list = overloadsByName.get(op.name);
  if (!list) overloadsByName.set(op.name, (list = []));
  if (!list.includes(op)) list.push(op);
});

function liveOverloads(name: string): OperatorHandle[] {
  return (overloadsByName.get(name) ?? []).filter((o) => o.schema !== null);
}

const packets = new Map<string, OpOverloadPacket>();

/** The packet of `ns::name` (whether or not overloads exist yet). */
export function getPacket(qualifiedName: string): OpOverloadPacket {
  let p = packets.get(qualifiedName);
  if (p) return p;
  const [ns, base] = splitName(qualifiedName);
  const printed = `${ns}.${base}`;
  const target = function (...args: unknown[]): unknown {
    const list = liveOverloads(qualifiedName);
    const [i, parsed] = matchOverload(
      list.map((o) => o.schema!),
      args,
    );
    const h = list[i]!;
    const r = dispatcher.call(h, parsed);
    return h.numReturns === 0 ? undefined : r;
  };
  Object.defineProperties(target, {
    name: { value: qualifiedName },
    overloads: { value: () => liveOverloads(qualifiedName).map((o) => (o.overloadName === "" ? "default" : o.overloadName)) },
    toString: { value: () => printed },
    [Symbol.toPrimitive]: { value: () => printed },
    [PACKET]: { value: true },
  });
  p = new Proxy(target, {
    get(t, prop, recv) {
      if (typeof prop === "symbol" || Object.prototype.hasOwnProperty.call(t, prop) || prop in Function.prototype) {
        return Reflect.get(t, prop, recv);
      }
      const op = dispatcher.findSchema(qualifiedName, prop === "default" ? "" : prop);
      if (!op) throw new AttributeError(`The underlying op of '${printed}' has no overload name '${prop}'`);
      return getOpOverload(op);
    },
  }) as unknown as OpOverloadPacket;
  packets.set(qualifiedName, p);
  return p;
}

/** A namespace of operators: `ops.aten`. */
export type OpNamespace = { readonly [name: string]: OpOverloadPacket };

const namespaces = new Map<string, OpNamespace>();

function getNamespace(ns: string): OpNamespace {
  let n = namespaces.get(ns);
  if (n) return n;
  n = new Proxy(Object.create(null) as object, {
    get(_t, prop) {
      if (typeof prop === "symbol" || prop === "then") return undefined;
      const qn = `${ns}::${prop}`;
      if (liveOverloads(qn).length === 0) throw new AttributeError(`'_OpNamespace' '${ns}' object has no attribute '${prop}'`);
      return getPacket(qn);
    },
    has(_t, prop) {
      return typeof prop === "string" && liveOverloads(`${ns}::${prop}`).length > 0;
    },
    ownKeys() {
      const names = new Set<string>();
      for (const [qn, list] of overloadsByName) {
        if (qn.startsWith(ns + "::") && list.some((o) => o.schema)) names.add(qn.slice(ns.length + 2));
      }
      return [...names];
    },
    getOwnPropertyDescriptor(_t, prop) {
      if (typeof prop !== "string" || liveOverloads(`${ns}::${prop}`).length === 0) return undefined;
      return { enumerable: true, configurable: true, value: getPacket(`${ns}::${prop}`) };
    },
  }) as OpNamespace;
  namespaces.set(ns, n);
  return n;
}

const higherOrderOps = new Map<string, unknown>();
/** @internal A HigherOrderOperator registers itself here under its name (`torch.ops.higher_order.<name>`). */
export function registerHigherOrderOp(name: string, op: unknown): void {
  higherOrderOps.set(name, op);
}
/** `torch.ops.higher_order`: the HigherOrderOperators by name (PyTorch's _HigherOrderNamespace). */
const higherOrderNamespace = new Proxy(Object.create(null) as object, {
  get(_t, prop) {
    if (typeof prop === "symbol" || prop === "then") return undefined;
    const op = higherOrderOps.get(prop);
    if (op === undefined) throw new AttributeError(`'_HigherOrderNamespace' 'torch.ops.higher_order' object has no attribute '${prop}'`);
    return op;
  },
  has: (_t, prop) => typeof prop === "string" && higherOrderOps.has(prop),
  ownKeys: () => [...higherOrderOps.keys()],
  getOwnPropertyDescriptor(_t, prop) {
    const op = typeof prop === "string" ? higherOrderOps.get(prop) : undefined;
    return op === undefined ? undefined : { enumerable: true, configurable: true, value: op };
  },
});

/**
 * PyTorch's `torch.ops`: every operator namespace.
 * @example
 * ops.aten.mul.Tensor(x, y)
 * ops.myns.twice(x)
 */
export const ops: { readonly [namespace: string]: OpNamespace } = new Proxy(Object.create(null) as object, {
  get(_t, prop) {
    if (typeof prop === "symbol" || prop === "then") return undefined;
    if (prop === "higher_order") return higherOrderNamespace;
    return getNamespace(prop);
  },
}) as { readonly [namespace: string]: OpNamespace };

/**
 * Finds the OpOverload for `ns::op.overload` (or `ns::op` for the default overload).
 * @example
 * lookupOp("aten::add.Tensor") === ops.aten.add.Tensor
 */
export function lookupOp(qualifiedName: string): OpOverload | undefined {
  const h = dispatcher.findOp(qualifiedName);
  return h && h.schema ? getOpOverload(h) : undefined;
}
