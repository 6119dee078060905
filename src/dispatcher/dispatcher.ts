// The Dispatcher: the operator registry (definitions, kernels, backend fallbacks, each
// registration returning a handle that undoes it) and the hot path (key-set extraction, TLS,
// fallthrough mask, one table load, the kernel). One process-wide instance, `dispatcher`. §4, §5.

import { DispatchKey, dispatchKeyName, isAliasDispatchKey } from "../core/dispatch-key.js";
import {
  AUTOGRAD_DISPATCH_KEYSET,
  BACKEND_BITS,
  type HasKeySet,
  NUM_RUNTIME_ENTRIES,
  type RawKeySet,
  dispatchTableIndex,
  dispatchTableIndexOfKey,
  getRuntimeDispatchKeySet,
  highestPriorityKey,
  ksKeys,
} from "../core/dispatch-key-set.js";
import { dispatchContext } from "../core/dispatch-context.js";
import { NotImplementedError, RuntimeError, internalAssert } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { KernelFunction, invokeBoxed, invokeUnboxed } from "./kernel-function.js";
import { type KernelRegistration, OperatorHandle, TensorArgKind } from "./operator-entry.js";
import { recordFunctionState, runInRecordFunction } from "./record-function.js";
import type { FunctionSchema } from "./schema/index.js";

/** Undoes one registration. */
export interface RegistrationHandle {
  dispose(): void;
}

const FUNC_MASK = ~BACKEND_BITS;

/** Key string of the operator map. */
function opKey(name: string, overloadName: string): string {
  return overloadName === "" ? name : `${name}.${overloadName}`;
}

/**
 * PyTorch's `c10::Dispatcher`: owns every operator and backend fallback.
 * @example
 * const op = dispatcher.findSchemaOrThrow("aten::add", "Tensor");
 * dispatcher.call(op, [x, y, 1]);
 */
export class Dispatcher {
  private readonly operators = new Map<string, OperatorHandle>();
  private readonly fallbacks: (KernelRegistration | undefined)[] = new Array(NUM_RUNTIME_ENTRIES).fill(undefined);
  private overrideWarned = false;
  /** Listeners told about new operator definitions (the ops namespace uses this). */
  private readonly defListeners: ((op: OperatorHandle) => void)[] = [];

  /** The entry of a slot with no kernel: raises PyTorch's "Could not run" error. */
  readonly missingKernel = KernelFunction.special("missing", (op, ks) => this.reportError(op as OperatorHandle, ks));
  /** The entry for an AutogradOther slot made ambiguous by a CIA kernel and an AutogradOther backend kernel. */
  readonly ambiguousKernel = KernelFunction.special("ambiguous", (op) => {
    const h = op as OperatorHandle;
    internalAssert(
      false,
      `${h.qualifiedName} has kernels registered to both CompositeImplicitAutograd and a backend mapped to AutogradOther. ` +
        `This makes the backend kernel unreachable; the dispatcher will always prefer the CompositeImplicitAutograd lowering ` +
        `(see Note [Ambiguity in AutogradOther kernel]). If you want to override CompositeImplicitAutograd, please open an issue ` +
        `to request a dedicated Autograd dispatch key for the backend.\n` +
        `If you only want to run inference instead of training, in C++, add \`c10::InferenceMode mode;\` before model.forward(); ` +
        `in Python, use \`torch.inference_mode()\` as a context manager (see https://pytorch.org/docs/stable/generated/torch.autograd.grad_mode.inference_mode.html).\n`+
        `Canonical state\n~~~~~~~~~~~\n${h.dumpState()}\n`,
    );
  });

  private readonly lookupFallback = (k: DispatchKey): KernelRegistration | undefined =>
    this.fallbacks[dispatchTableIndexOfKey(k)];

  // ---------------------------------------------------------------- lookup

  /** The operator `ns::op.overload` (or `ns::op`), defined or not; undefined if unknown. */
  findOp(qualifiedName: string): OperatorHandle | undefined {
    return this.operators.get(qualifiedName);
  }

  /** The operator if it has a schema (PyTorch's `findSchema`). */
  findSchema(name: string, overloadName: string): OperatorHandle | undefined {
    const op = this.operators.get(opKey(name, overloadName));
    return op && op.schema ? op : undefined;
  }

  /** Like {@link findSchema}, raising PyTorch's error when the operator has no schema. */
  findSchemaOrThrow(name: string, overloadName: string): OperatorHandle {
    const op = this.operators.get(opKey(name, overloadName));
    if (op && op.schema) return op;
    if (op) {
      throw new RuntimeError(`Could not find schema for ${name}.${overloadName} but we found an implementation; did you forget to def() the operator?`);
    }
    throw new RuntimeError(`Could not find schema for ${name}.${overloadName}.`);
  }

  /** Every defined operator, as `ns::op.overload`, sorted. */
  listOperators(): string[] {
    return [...this.operators.values()].filter((o) => o.schema).map((o) => o.qualifiedName).sort();
  }

  /** Every defined operator handle (unsorted). */
  allOperators(): OperatorHandle[] {
    return [...this.operators.values()].filter((o) => o.schema);
  }

  /** Calls `fn` for every operator defined from now on (and, once, for those defined already). */
  onDefine(fn: (op: OperatorHandle) => void): RegistrationHandle {
    this.defListeners.push(fn);
    for (const op of this.operators.values()) if (op.schema) fn(op);
    return { dispose: () => void this.defListeners.splice(this.defListeners.indexOf(fn), 1) };
  }

  /** The backend fallback registered for a runtime key, if any. */
  fallbackFor(k: DispatchKey): KernelRegistration | undefined {
    return this.lookupFallback(k);
  }

  // ---------------------------------------------------------------- registration

  private getOrCreate(name: string, overloadName: string): OperatorHandle {
    const key = opKey(name, overloadName);
    let op = this.operators.get(key);
    if (!op) {
      op = new OperatorHandle(name, overloadName, this.missingKernel);
      op.updateAll(this.lookupFallback, this.ambiguousKernel, this.missingKernel);
      this.operators.set(key, op);
    }
    return op;
  }

  private cleanup(op: OperatorHandle): void {
    if (op.schema) return;
    for (const s of op.kernels.values()) if (s.length > 0) return;
    this.operators.delete(opKey(op.name, op.overloadName));
  }

  /**
   * Defines an operator from its schema. Raises PyTorch's error when (name, overload) is
   * already defined.
   */
  registerDef(schema: FunctionSchema, debug: string): RegistrationHandle {
    const op = this.getOrCreate(schema.name, schema.overloadName);
    if (op.schema) {
      throw new RuntimeError(
        `Tried to register an operator (${String(schema)}) with the same name and overload name multiple times. ` +
          `Each overload's schema should only be registered with a single call to def(). ` +
          `Duplicate registration: ${debug}. Original registration: ${op.schemaDebug}`,
      );
    }
    op.setSchema(schema, debug);
    for (const l of this.defListeners) l(op);
    return {
      dispose: () => {
        if (op.schema !== schema) return;
        op.clearSchema();
        this.cleanup(op);
      },
    };
  }

  /**
   * Registers a kernel for one key (runtime or alias) of an operator, which need not be defined
   * yet. A second kernel for the same key overrides the first (with PyTorch's one-time warning)
   * until it is disposed.
   */
  registerImpl(name: string, overloadName: string, key: DispatchKey, kernel: KernelFunction, debug: string): RegistrationHandle {
    const op = this.getOrCreate(name, overloadName);
    let stack = op.kernels.get(key);
    if (!stack) op.kernels.set(key, (stack = []));
    if (stack.length > 0 && key !== DispatchKey.Meta && !this.overrideWarned) {
      this.overrideWarned = true;
      warn(
        `Warning only once for all operators,  other operators may also be overridden.\n` +
          `  Overriding a previously registered kernel for the same operator and the same dispatch key\n` +
          `  operator: ${op.schema ? String(op.schema) : op.qualifiedName}\n` +
          `    ${op.schemaDebug || "(no schema)"}\n` +
          `  dispatch key: ${dispatchKeyName(key)}\n` +
          `  previous kernel: ${stack[stack.length - 1]!.debug}\n` +
          `       new kernel: ${debug}`,
      );
    }
    const reg: KernelRegistration = { kernel, debug };
    stack.push(reg);
    op.updateForKey(key, this.lookupFallback, this.ambiguousKernel, this.missingKernel);
    return {
      dispose: () => {
        const s = op.kernels.get(key);
        const i = s ? s.indexOf(reg) : -1;
        if (i < 0) return;
        s!.splice(i, 1);
        if (s!.length === 0) op.kernels.delete(key);
        op.updateForKey(key, this.lookupFallback, this.ambiguousKernel, this.missingKernel);
        this.cleanup(op);
      },
    };
  }

  /**
   * Registers a backend fallback for a key (an alias key registers it on every runtime key it
   * expands to). Refreshes that slot of every operator.
   */
  registerFallback(key: DispatchKey, kernel: KernelFunction, debug: string): RegistrationHandle {
    const keys = isAliasDispatchKey(key) ? ksKeys(getRuntimeDispatchKeySet(key)) : [key];
    for (const k of keys) {
      const prev = this.fallbacks[dispatchTableIndexOfKey(k)];
      if (prev) {
        throw new RuntimeError(
          `Tried to register multiple backend fallbacks for the same dispatch key ${dispatchKeyName(k)}; ` +
            `previous registration ${prev.debug}, new registration ${debug}`,
        );
      }
    }
    const reg: KernelRegistration = { kernel, debug };
    for (const k of keys) {
      this.fallbacks[dispatchTableIndexOfKey(k)] = reg;
      this.refreshKey(k);
    }
    return {
      dispose: () => {
        for (const k of keys) {
          const i = dispatchTableIndexOfKey(k);
          if (this.fallbacks[i] !== reg) continue;
          this.fallbacks[i] = undefined;
          this.refreshKey(k);
        }
      },
    };
  }

  private refreshKey(k: DispatchKey): void {
    for (const op of this.operators.values()) op.updateEntry(k, this.lookupFallback, this.ambiguousKernel, this.missingKernel);
  }

  // ---------------------------------------------------------------- calling

  /**
   * The key set of a call: the union of the tensor arguments' key sets, plus the TLS include
   * set, minus the exclude set (functionality bits only), masked by the operator's fallthroughs.
   */
  computeKeySet(op: OperatorHandle, args: readonly unknown[]): RawKeySet {
    const ctx = dispatchContext();
    const ks = (this.extractKeySet(op, args) | ctx.included) & ~(ctx.excluded & FUNC_MASK);
    if (!op.requiresPerBackend) return ks & op.nonFallthroughKeys;
    const bb = ks & BACKEND_BITS;
    return ks & op.nonFallthroughKeysPerBackend[bb === 0 ? 0 : 32 - Math.clz32(bb)]!;
  }

  /**
   * The union of the key sets of the arguments that can carry tensors (Tensor, Tensor?, Tensor[],
   * Tensor?[]); absent tensors contribute nothing. No TLS, no mask.
   */
  extractKeySet(op: OperatorHandle, args: readonly unknown[]): RawKeySet {
    let ks = 0;
    const pos = op.tensorArgPositions;
    const kinds = op.tensorArgKinds;
    for (let i = 0; i < pos.length; i++) {
      const a = args[pos[i]!];
      if (a === null || a === undefined) continue;
      if (kinds[i]! < TensorArgKind.TensorList) {
        ks |= (a as HasKeySet).keySet;
      } else {
        for (const t of a as readonly unknown[]) if (t !== null && t !== undefined) ks |= (t as HasKeySet).keySet;
      }
    }
    return ks;
  }

  /**
   * Calls an operator with its arguments in schema order (defaults filled in): the unboxed path.
   * Records a RecordFunction range when callbacks exist.
   */
  call(op: OperatorHandle, args: readonly unknown[]): unknown {
    const ks = this.computeKeySet(op, args);
    const kernel = op.table[dispatchTableIndex(ks)]!;
    if (recordFunctionState.active && op.isObserved) {
      return runInRecordFunction("function", op.name, op.overloadName, sequenceNumberFor(ks), () => args.slice(), () =>
        invokeUnboxed(kernel, op, ks, args),
      );
    }
    return invokeUnboxed(kernel, op, ks, args);
  }

  /** Calls an operator on a stack (its arguments are the last `numArguments` values). */
  callBoxed(op: OperatorHandle, stack: unknown[]): void {
    const args = stack.length === op.numArguments ? stack : stack.slice(stack.length - op.numArguments);
    const ks = this.computeKeySet(op, args);
    const kernel = op.table[dispatchTableIndex(ks)]!;
    if (recordFunctionState.active && op.isObserved) {
      const inputs = args.slice();
      runInRecordFunction(
        "function",
        op.name,
        op.overloadName,
        sequenceNumberFor(ks),
        () => inputs,
        () => invokeBoxed(kernel, op, ks, stack),
      );
      return;
    }
    invokeBoxed(kernel, op, ks, stack);
  }

  /**
   * Continues a call with a key set computed by the caller (usually `ks & FULL_AFTER(myKey)`):
   * TLS is not re-read, no fallthrough mask, no RecordFunction.
   */
  redispatch(op: OperatorHandle, ks: RawKeySet, args: readonly unknown[]): unknown {
    return invokeUnboxed(op.table[dispatchTableIndex(ks)]!, op, ks, args);
  }

  /** {@link redispatch} on a stack. */
  redispatchBoxed(op: OperatorHandle, ks: RawKeySet, stack: unknown[]): void {
    invokeBoxed(op.table[dispatchTableIndex(ks)]!, op, ks, stack);
  }

  /**
   * Runs the kernel registered for key `k` itself (runtime or alias), or else its backend
   * fallback, with the call's full key set: what the Python dispatcher uses for each hop.
   */
  callBoxedForDispatchKey(op: OperatorHandle, k: DispatchKey, stack: unknown[]): void {
    const args = stack.slice(stack.length - op.numArguments);
    const ks = this.computeKeySet(op, args);
    const reg = op.newest(k) ?? this.lookupFallback(k);
    internalAssert(reg !== undefined, `callBoxedForDispatchKey: no kernel or fallback for ${dispatchKeyName(k)} on ${op.qualifiedName}`);
    invokeBoxed(reg.kernel, op, ks, stack);
  }

  /** The kernel the stored table holds for a key set (for introspection and the PythonDispatcher). */
  lookup(op: OperatorHandle, ks: RawKeySet): KernelFunction {
    return op.table[dispatchTableIndex(ks)]!;
  }

  /** Raises the "no kernel" NotImplementedError for a call that reached a missing entry (§4.5). */
  reportError(op: OperatorHandle, ks: RawKeySet): never {
    const k = highestPriorityKey(ks);
    if (op.reportErrorCallback) op.reportErrorCallback(dispatchKeyName(k));
    const table = op.dumpComputedTable(this.lookupFallback, this.ambiguousKernel, this.missingKernel);
    const name = op.qualifiedName;
    if (k === DispatchKey.Undefined) {
      throw new NotImplementedError(
        `There were no tensor arguments to this function (e.g., you passed an empty list of Tensors), ` +
          `but no fallback function is registered for schema ${name}.  This usually means that this function ` +
          `requires a non-empty list of Tensors, or that you (the operator writer) forgot to register a ` +
          `fallback function.  Available functions are ${op.listAllDispatchKeys()}.\n\n${table}`,
      );
    }
    throw new NotImplementedError(
      `Could not run '${name}' with arguments from the '${dispatchKeyName(k)}' backend. This could be because ` +
        `the operator doesn't exist for this backend, or was omitted during the selective/custom build process ` +
        `(if using custom build). If you are a Facebook employee using PyTorch on mobile, please visit ` +
        `https://fburl.com/ptmfixes for possible resolutions. '${name}' is only available for these backends: ` +
        `${op.listAllDispatchKeys()}.\n\n${table}`,
    );
  }

  // ---------------------------------------------------------------- introspection

  private findForDump(qualifiedName: string): OperatorHandle {
    const op = this.operators.get(qualifiedName.replace(/\.default$/, ""));
    if (!op) throw new RuntimeError(`operator ${qualifiedName} does not exist`);
    return op;
  }

  /**
   * The computed dispatch table of one operator, as PyTorch's `_dispatch_dump_table`.
   * @example
   * dispatcher.dumpTable("aten::add.Tensor") // "Undefined: ...\nCPU: registered at ... [kernel]\n..."
   */
  dumpTable(qualifiedName: string): string {
    return this.findForDump(qualifiedName).dumpComputedTable(this.lookupFallback, this.ambiguousKernel, this.missingKernel);
  }

  /** The registrations of one operator, as PyTorch's `_dispatch_dump`. */
  dumpState(qualifiedName: string): string {
    return this.findForDump(qualifiedName).dumpState();
  }
}

/** The autograd sequence number a RecordFunction range gets: -1 unless autograd is involved. */
function sequenceNumberFor(ks: RawKeySet): number {
  const ctx = dispatchContext();
  return (ks & AUTOGRAD_DISPATCH_KEYSET) !== 0 && ctx.gradEnabled ? ctx.sequenceNr : -1;
}

/** The process-wide dispatcher. */
export const dispatcher = new Dispatcher();
