// OperatorHandle: one operator's registry entry (PyTorch's OperatorEntry): its schema, the kernel
// stack per dispatch key, and the dense dispatch table computed from them plus the backend
// fallbacks, recomputed on registration only, with PyTorch's refresh rules. §4.3, §4.4.

import { BackendComponent, DispatchKey, NUM_BACKENDS, dispatchKeyName, getAutogradKeyFromBackend, isAliasDispatchKey, isPerBackendFunctionalityKey, toBackendComponent, toFunctionalityKey } from "../core/dispatch-key.js";
import {
  ALL_RUNTIME_KEYS,
  AUTOGRADOTHER_BACKENDS,
  BACKEND_ALIAS_SET,
  FULL,
  NUM_RUNTIME_ENTRIES,
  type RawKeySet,
  dispatchTableIndexOfKey,
  getBackendKeySetFromAutograd,
  getRuntimeDispatchKeySet,
  isIncludedInAlias,
  keySetOf,
  ksHas,
  ksKeys,
  ksRemove,
} from "../core/dispatch-key-set.js";
import { KernelFunction, type OperatorLike } from "./kernel-function.js";
import { type FunctionSchema, isTensorLike } from "./schema/index.js";

/** One registered kernel (or fallback) with where it came from. */
export interface KernelRegistration {
  readonly kernel: KernelFunction;
  /** `registered at <file>:<line>` */
  readonly debug: string;
}

/** Why a table entry holds what it holds (the `[...]` of `dumpTable`). */
export type EntryReason =
  | "kernel"
  | "default backend kernel"
  | "nested kernel"
  | "math kernel"
  | "ambiguous autogradother"
  | "autograd kernel"
  | "backend fallback"
  | "missing";

/** Argument kinds that can carry tensors (for key-set extraction). */
export const enum TensorArgKind {
  Tensor = 0,
  OptionalTensor = 1,
  TensorList = 2,
  OptionalTensorList = 3,
}

/** Operators that record no RecordFunction range (PyTorch's unobserved ops). */
const UNOBSERVED = new Set(["aten::size", "aten::is_leaf", "aten::output_nr", "aten::_version", "aten::is_complex"]);

/** The lookup the table computation needs from the dispatcher: the backend fallback of a key. */
export type FallbackLookup = (k: DispatchKey) => KernelRegistration | undefined;

/**
 * An operator as the dispatcher knows it: name, schema, kernels, dispatch table.
 * Obtain one with `dispatcher.findOp("aten::add.Tensor")`.
 */
export class OperatorHandle implements OperatorLike {
  schema: FunctionSchema | null = null;
  /** Where the schema was defined. */
  schemaDebug = "";
  numArguments = 0;
  numReturns = 0;
  /** Argument positions that can carry tensors, and their kinds. */
  tensorArgPositions: number[] = [];
  tensorArgKinds: TensorArgKind[] = [];
  /** The dense dispatch table (indexed by `dispatchTableIndex(keySet)`). */
  readonly table: KernelFunction[];
  /** Keys whose entries are not fallthroughs (functionality bits). */
  nonFallthroughKeys: RawKeySet = FULL;
  /** The same, per backend component (index 0: no backend). */
  readonly nonFallthroughKeysPerBackend: RawKeySet[];
  /** Do the per-backend masks differ (so the per-backend one must be used)? */
  requiresPerBackend = false;
  readonly isObserved: boolean;
  /** Replaces the "no kernel" error when set (PyTorch's report-error callback). */
  reportErrorCallback: ((keyName: string) => void) | null = null;
  /** The user-facing object for this operator (the OpOverload), set by the ops layer. */
  hostObject: unknown = null;
  /** Kernel stacks per registered key (runtime or alias), newest last. */
  readonly kernels = new Map<number, KernelRegistration[]>();
  /**
   * User-level per-key kernels (PyTorch's `py_impl`), consulted only by the PythonDispatcher;
   * they receive the DispatchKeySet (as an object) and the arguments in schema order.
   */
  readonly pyKernels = new Map<number, (...args: never[]) => unknown>();

  constructor(
    /** `ns::op` */
    readonly name: string,
    /** `Tensor`, or "" for the default overload. */
    readonly overloadName: string,
    missing: KernelFunction,
  ) {
    this.table = new Array<KernelFunction>(NUM_RUNTIME_ENTRIES).fill(missing);
    this.nonFallthroughKeysPerBackend = new Array<RawKeySet>(NUM_BACKENDS + 1).fill(FULL);
    this.isObserved = !UNOBSERVED.has(name) && !name.startsWith("profiler::_record_function");
  }

  /** `ns::op.overload` (or `ns::op` for the default overload). */
  get qualifiedName(): string {
    return this.overloadName === "" ? this.name : `${this.name}.${this.overloadName}`;
  }

  /** Installs the schema and precomputes what calls need from it. */
  setSchema(schema: FunctionSchema, debug: string): void {
    this.schema = schema;
    this.schemaDebug = debug;
    this.numArguments = schema.arguments.length;
    this.numReturns = schema.returns.length;
    this.tensorArgPositions = [];
    this.tensorArgKinds = [];
    schema.arguments.forEach((a, i) => {
      const kind = isTensorLike(a.type);
      if (kind === null) return;
      this.tensorArgPositions.push(i);
      this.tensorArgKinds.push(
        kind === "tensor"
          ? TensorArgKind.Tensor
          : kind === "optional-tensor"
            ? TensorArgKind.OptionalTensor
            : kind === "tensor-list"
              ? TensorArgKind.TensorList
              : TensorArgKind.OptionalTensorList,
      );
    });
  }

  clearSchema(): void {
    this.schema = null;
    this.schemaDebug = "";
  }

  hasKernelFor(k: number): boolean {
    const s = this.kernels.get(k);
    return s !== undefined && s.length > 0;
  }

  newest(k: number): KernelRegistration | undefined {
    const s = this.kernels.get(k);
    return s === undefined || s.length === 0 ? undefined : s[s.length - 1];
  }

  /** Is any registered non-alias key in `ks` (bit semantics)? */
  hasKernelForAny(ks: RawKeySet): boolean {
    for (const [k, s] of this.kernels) {
      if (s.length > 0 && !isAliasDispatchKey(k) && k !== DispatchKey.Undefined && ksHas(ks, k)) return true;
    }
    return false;
  }

  /** §4.3: what runtime key k (or Undefined) resolves to, and why. */
  computeEntry(k: DispatchKey, fallback: FallbackLookup, ambiguous: KernelFunction, missing: KernelFunction): [KernelFunction, string, EntryReason] {
    const direct = this.newest(k);
    if (direct) return [direct.kernel, direct.debug, "kernel"];
    const U = k === DispatchKey.Undefined;
    const ceanf = this.newest(DispatchKey.CompositeExplicitAutogradNonFunctional);
    if (ceanf && (U || isIncludedInAlias(k, DispatchKey.CompositeExplicitAutogradNonFunctional))) {
      return [ceanf.kernel, ceanf.debug, "default backend kernel"];
    }
    const cea = this.newest(DispatchKey.CompositeExplicitAutograd);
    if (cea && (U || isIncludedInAlias(k, DispatchKey.CompositeExplicitAutograd))) {
      return [cea.kernel, cea.debug, "default backend kernel"];
    }
    const hasBackendKernel = this.hasKernelForAny(getBackendKeySetFromAutograd(k)) || cea !== undefined;
    const nested = this.newest(DispatchKey.CompositeImplicitAutogradNestedTensor);
    if (nested && !U && isIncludedInAlias(k, DispatchKey.CompositeImplicitAutogradNestedTensor)) {
      return [nested.kernel, nested.debug, "nested kernel"];
    }
    const cia = this.newest(DispatchKey.CompositeImplicitAutograd);
    if (cia && (U || isIncludedInAlias(k, DispatchKey.CompositeImplicitAutograd))) {
      if (k === DispatchKey.AutogradOther && this.hasKernelForAny(AUTOGRADOTHER_BACKENDS)) {
        return [ambiguous, "ambiguous_autogradother", "ambiguous autogradother"];
      }
      if (!hasBackendKernel) return [cia.kernel, cia.debug, "math kernel"];
    }
    const ag = this.newest(DispatchKey.Autograd);
    if (ag && isIncludedInAlias(k, DispatchKey.Autograd)) return [ag.kernel, ag.debug, "autograd kernel"];
    const fb = U ? undefined : fallback(k);
    if (fb) return [fb.kernel, fb.debug, "backend fallback"];
    return [missing, "missing", "missing"];
  }

  /** Recomputes one slot and its fallthrough bit. */
  updateEntry(k: DispatchKey, fallback: FallbackLookup, ambiguous: KernelFunction, missing: KernelFunction): void {
    const [kernel] = this.computeEntry(k, fallback, ambiguous, missing);
    this.table[dispatchTableIndexOfKey(k)] = kernel;
    if (k !== DispatchKey.Undefined) this.setHasFallthrough(k, kernel.isFallthrough);
  }

  /**
   * PyTorch's refresh rule (note (iv) of §4.3): a registration at key k refreshes k's expansion,
   * the Undefined slot for the composite aliases, and the autograd key of a backend key. Nothing
   * else, so the table can go stale exactly where PyTorch's does.
   */
  updateForKey(k: DispatchKey, fallback: FallbackLookup, ambiguous: KernelFunction, missing: KernelFunction): void {
    if (k === DispatchKey.Undefined) {
      this.updateEntry(k, fallback, ambiguous, missing);
      return;
    }
    for (const rk of ksKeys(getRuntimeDispatchKeySet(k))) this.updateEntry(rk, fallback, ambiguous, missing);
    if (
      k === DispatchKey.CompositeImplicitAutograd ||
      k === DispatchKey.CompositeExplicitAutograd ||
      k === DispatchKey.CompositeExplicitAutogradNonFunctional
    ) {
      this.updateEntry(DispatchKey.Undefined, fallback, ambiguous, missing);
    }
    if (isBackendDispatchKey(k)) {
      this.updateEntry(getAutogradKeyFromBackend(toBackendComponent(k)), fallback, ambiguous, missing);
    }
  }

  /** Recomputes every slot (for a new operator: it copies the existing fallbacks). */
  updateAll(fallback: FallbackLookup, ambiguous: KernelFunction, missing: KernelFunction): void {
    this.updateEntry(DispatchKey.Undefined, fallback, ambiguous, missing);
    for (const k of ALL_RUNTIME_KEYS) this.updateEntry(k, fallback, ambiguous, missing);
  }

  private setHasFallthrough(k: DispatchKey, fallthrough: boolean): void {
    const bits = keySetOf(k);
    const apply = (mask: RawKeySet): RawKeySet => (fallthrough ? ksRemove(mask, k) : mask | bits);
    this.nonFallthroughKeys = apply(this.nonFallthroughKeys);
    if (isPerBackendFunctionalityKey(toFunctionalityKey(k))) {
      const b = toBackendComponent(k);
      this.nonFallthroughKeysPerBackend[b] = apply(this.nonFallthroughKeysPerBackend[b]!);
    } else {
      for (let b = 0; b <= NUM_BACKENDS; b++) this.nonFallthroughKeysPerBackend[b] = apply(this.nonFallthroughKeysPerBackend[b]!);
    }
    const first = this.nonFallthroughKeysPerBackend[BackendComponent.CPUBit];
    this.requiresPerBackend = false;
    for (let b = 1; b <= NUM_BACKENDS; b++) {
      if (this.nonFallthroughKeysPerBackend[b] !== first) this.requiresPerBackend = true;
    }
    // The no-backend slot follows the shared mask.
    this.nonFallthroughKeysPerBackend[0] = this.nonFallthroughKeys;
  }

  /** PyTorch's `_dispatch_dump`: schema and registrations per key, in enum order. */
  dumpState(): string {
    let out = `name: ${this.qualifiedName}\n`;
    if (this.schema) {
      out += `schema: ${String(this.schema)}\n`;
      out += `debug: ${this.schemaDebug}\n`;
      out += `alias analysis kind: FROM_SCHEMA\n`;
    } else {
      out += `schema: (none)\n`;
    }
    const keys = [...this.kernels.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      const stack = this.kernels.get(k)!;
      const name = dispatchKeyName(k) + (isAliasDispatchKey(k) ? "[alias]" : "");
      for (let i = stack.length - 1; i >= 0; i--) {
        const r = stack[i]!;
        const label = i === stack.length - 1 ? name : `${name} (inactive)`;
        out += `${label}: ${r.debug} :: (none) [ ${r.kernel.flags()} ]\n`;
      }
    }
    return out;
  }

  /**
   * PyTorch's `_dispatch_dump_table`: Undefined then every runtime key whose entry is valid, as
   * `<Key>: [fallthrough ]<debug> [<reason>]`. Recomputed, not read from the stored table.
   */
  dumpComputedTable(fallback: FallbackLookup, ambiguous: KernelFunction, missing: KernelFunction): string {
    let out = "";
    for (const k of [DispatchKey.Undefined as DispatchKey, ...ALL_RUNTIME_KEYS]) {
      const [kernel, debug, reason] = this.computeEntry(k, fallback, ambiguous, missing);
      if (!kernel.isValid) continue;
      out += `${dispatchKeyName(k)}: ${kernel.isFallthrough ? "fallthrough " : ""}${debug} [${reason}]\n`;
    }
    return out;
  }

  /** Runtime keys whose stored entries are valid (for the "only available for" list). */
  listAllDispatchKeys(): string {
    const names: string[] = [];
    for (const k of ALL_RUNTIME_KEYS) {
      if (this.table[dispatchTableIndexOfKey(k)]!.isValid) names.push(dispatchKeyName(k));
    }
    return `[${names.join(", ")}]`;
  }
}

/** A backend key: not Undefined, not an alias, not NestedTensor, and in the backend set. */
export function isBackendDispatchKey(k: number): boolean {
  return (
    k !== DispatchKey.Undefined &&
    !isAliasDispatchKey(k) &&
    toFunctionalityKey(k) !== DispatchKey.NestedTensor &&
    ksHas(BACKEND_ALIAS_SET, k)
  );
}
