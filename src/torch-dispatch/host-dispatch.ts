// What the Python fallback hands a call to (§7.2, §7.3): collect the overloaded tensor arguments
// (those carrying the Python key, subclasses before their parents), normalise the arguments into
// (args, kwargs) as PyTorch does, run the handler protocol (the top mode, popped while it runs,
// then the subclasses' handlers), and check the result against the schema.

import { DispatchKey } from "../core/dispatch-key.js";
import { functionalityBit } from "../core/dispatch-key-set.js";
import { RuntimeError, internalAssert } from "../core/errors.js";
import { getOpOverload, type OpOverload } from "../dispatcher/op-overload.js";
import type { OperatorHandle } from "../dispatcher/operator-entry.js";
import type { Argument } from "../dispatcher/schema/index.js";
import { dtypeCode, isDType } from "../tensor/dtype.js";
import { memoryFormatOf } from "../tensor/memory-format.js";
import { Tensor } from "../tensor/tensor.js";
import { isWrappedNumber } from "../tensor/type-promotion.js";
import { dispatchModeEnabled, popMode, pushMode } from "./mode-stack.js";
import { hasTorchDispatch } from "../tensor/subclass.js";
import { NotImplemented, type TensorClass, TorchDispatchMode } from "./torch-dispatch-mode.js";

const PYTHON_BIT = functionalityBit(DispatchKey.Python);

/** Adds t to the overloaded list: one per exact class, a subclass before its first superclass. */
function appendOverloaded(list: Tensor[], t: Tensor): void {
  const cls = t.constructor;
  if (list.some((o) => o.constructor === cls)) return;
  let i = list.findIndex((o) => t instanceof o.constructor);
  if (i < 0) i = list.length;
  list.splice(i, 0, t);
}

/** The arguments' tensors that carry the Python key, in PyTorch's handler order. */
export function overloadedArgs(op: OperatorHandle, args: readonly unknown[]): Tensor[] {
  const list: Tensor[] = [];
  for (const pos of op.tensorArgPositions) {
    const a = args[pos];
    if (a instanceof Tensor) {
      if (a.keySet & PYTHON_BIT) appendOverloaded(list, a);
    } else if (Array.isArray(a)) {
      for (const t of a) if (t instanceof Tensor && t.keySet & PYTHON_BIT) appendOverloaded(list, t);
    }
  }
  return list;
}

/** Is a ScalarType argument (dtypes are names at runtime, codes in schema defaults)? */
function isScalarTypeArg(a: Argument): boolean {
  const t = a.type.kind === "optional" ? a.type.elem : a.type;
  return t.kind === "base" && t.name === "ScalarType";
}

function sameAsDefault(v: unknown, a: Argument): boolean {
  if (!a.hasDefault) return false;
  const d = a.defaultValue;
  if (v === d) return true;
  if (typeof v === "string" && typeof d === "number" && isScalarTypeArg(a) && isDType(v)) return dtypeCode(v) === d;
  if ((v === null || v === undefined) && d === null) return true;
  if (Array.isArray(v) && Array.isArray(d)) return v.length === d.length && v.every((x, i) => x === d[i]);
  return false;
}

/** A wrapped number goes back to being a JS scalar (unless that would lose its float-ness). */
function toHostValue(v: unknown): unknown {
  if (v instanceof Tensor && isWrappedNumber(v)) {
    const x = v.data()[0]!;
    if (v.dtype === "bool") return x !== 0;
    if (v.dtype === "float64" && Number.isInteger(x)) return v;
    return x;
  }
  return v;
}

function isMemoryFormatArg(a: Argument): boolean {
  const t = a.type.kind === "optional" ? a.type.elem : a.type;
  return t.kind === "base" && t.name === "MemoryFormat";
}


/** What toHostArgs needs from a schema, computed once per operator. */
interface HostArgsPlan {
  readonly params: readonly Argument[];
  /** Index of the first keyword-only parameter (the parameter count when none). */
  readonly firstKw: number;
  readonly memoryFormat: readonly boolean[];
}
const plans = new WeakMap<OperatorHandle, HostArgsPlan>();
function planOf(op: OperatorHandle): HostArgsPlan {
  let p = plans.get(op);
  if (p === undefined || p.params !== op.schema!.arguments) {
    const params = op.schema!.arguments;
    const firstKw = params.findIndex((a) => a.kwargOnly);
    p = { params, firstKw: firstKw < 0 ? params.length : firstKw, memoryFormat: params.map(isMemoryFormatArg) };
    plans.set(op, p);
  }
  return p;
}

/**
 * Normalises boxed arguments as PyTorch does for __torch_dispatch__: positional arguments up to
 * the first keyword-only one, minus trailing ones equal to their defaults; keyword-only
 * arguments only when they differ from their defaults.
 */
export function toHostArgs(op: OperatorHandle, args: readonly unknown[]): [unknown[], Record<string, unknown>] {
  const { params, firstKw, memoryFormat } = planOf(op);
  let end = firstKw;
  while (end > 0 && sameAsDefault(args[end - 1], params[end - 1]!)) end--;
  const positional = new Array<unknown>(end);
  for (let i = 0; i < end; i++) positional[i] = memoryFormat[i] ? memoryFormatOf(args[i]) : toHostValue(args[i]);
  const kwargs: Record<string, unknown> = {};
  for (let i = firstKw; i < params.length; i++) {
    if (!sameAsDefault(args[i], params[i]!)) kwargs[params[i]!.name] = memoryFormat[i] ? memoryFormatOf(args[i]) : toHostValue(args[i]);
  }
  return [positional, kwargs];
}

function describeMode(m: unknown): string {
  return String(m);
}

/** The TypeError PyTorch raises when every handler returned NotImplemented. */
function multipleDispatchFailed(name: string, mode: unknown, overloaded: readonly Tensor[]): TypeError {
  const lines: string[] = [];
  if (mode !== null) lines.push(`  - mode object ${describeMode(mode)}`);
  for (const t of overloaded) lines.push(`  - tensor subclass <class '${t.constructor.name}'>`);
  return new TypeError(
    `Multiple dispatch failed for '${name}'; all __torch_dispatch__ handlers returned NotImplemented:\n\n` +
      `${lines.join("\n")}\n\nFor more information, try re-running with TORCH_LOGS=not_implemented`,
  );
}

const UNSET = Symbol("unset");

/**
 * The handler protocol: the top mode first (popped while its handler runs, pushed back after),
 * then each overloaded subclass's handler until one does not return NotImplemented.
 */
export function handleTorchDispatch(
  overloaded: readonly Tensor[],
  types: readonly TensorClass[],
  func: OpOverload,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
  /** How the all-NotImplemented error names the function (metadata queries: `torch.ops.aten.sym_size`). */
  displayName = `torch._ops.${String(func)}`,
): unknown {
  let ret: unknown = UNSET;
  let modeObj: unknown = null;
  if (dispatchModeEnabled()) {
    const mode = popMode();
    modeObj = mode;
    try {
      const handler = (mode as Partial<TorchDispatchMode>).torchDispatch;
      if (typeof handler !== "function") {
        const ctor = (mode as { constructor?: { torchDispatch?: unknown } }).constructor;
        if (ctor && typeof ctor.torchDispatch === "function") {
          throw new RuntimeError("Defining your mode's `torchDispatch` as a static method is not supported, please make it a plain method");
        }
        throw new TypeError(`${describeMode(mode)} has no torchDispatch method`);
      }
      ret = handler.call(mode, func, types, args, kwargs);
    } finally {
      pushMode(mode);
    }
  }
  if (ret === UNSET || ret === NotImplemented) {
    for (const t of overloaded) {
      const cls = t.constructor as typeof Tensor;
      if (!hasTorchDispatch(cls)) continue;
      ret = cls.torchDispatch(func, types, args, kwargs);
      if (ret !== NotImplemented) break;
    }
  }
  internalAssert(ret !== UNSET, "dispatch_on_subclass called with NO overloaded args and no mode");
  if (ret === NotImplemented) throw multipleDispatchFailed(displayName, modeObj, overloaded);
  return ret;
}

/** Checks a handler's result against the schema's returns (§7.2 step 5). */
function checkResult(op: OperatorHandle, ret: unknown): unknown {
  const n = op.numReturns;
  if (n === 0) {
    if (ret !== undefined && ret !== null) {
      throw new RuntimeError(`Expected __torch_dispatch__ for ${op.qualifiedName} to return None but it returned something else instead.`);
    }
    return undefined;
  }
  if (n === 1) {
    const r = op.schema!.returns[0]!;
    if (r.type.kind === "base" && r.type.name === "Tensor" && !(ret instanceof Tensor) && ret !== null && ret !== undefined) {
      throw new RuntimeError(`Unable to cast ${String(ret)} to Tensor`);
    }
    return ret;
  }
  if (!Array.isArray(ret)) {
    throw new TypeError(`Object of type '${ret === null ? "null" : typeof ret}' is not an instance of 'sequence'`);
  }
  return ret;
}

/** Hands one call to user code (modes, then subclasses) and returns its checked result. */
export function hostDispatch(op: OperatorHandle, args: readonly unknown[]): unknown {
  const overloaded = overloadedArgs(op, args);
  const types = overloaded.map((t) => t.constructor as TensorClass);
  const [hostArgs, kwargs] = toHostArgs(op, args);
  return checkResult(op, handleTorchDispatch(overloaded, types, getOpOverload(op), hostArgs, kwargs));
}
