// DispatchKeySet: PyTorch's 64-bit key set squeezed into a 31-bit integer (a V8 small int),
// with the same layout (backend bits low, functionality bits above) and the same deliberate
// asymmetries: `remove` and set difference never clear backend bits. See dispatch-semantics.md §1.5, §2.
// The hot path works on raw numbers through the `ks*` functions; `DispatchKeySet` is the
// immutable object users see (printing, iteration, `has`).

import {
  BackendComponent,
  DispatchKey,
  NUM_BACKENDS,
  NUM_FUNCTIONALITY_KEYS,
  dispatchKeyName,
  isAliasDispatchKey,
  isPerBackendFunctionalityKey,
  toBackendComponent,
  toFunctionalityKey,
  toRuntimePerBackendFunctionalityKey,
} from "./dispatch-key.js";

/** A key set as a raw integer. */
export type RawKeySet = number;

/** All backend bits. */
export const BACKEND_BITS: RawKeySet = (1 << NUM_BACKENDS) - 1;
/** Every backend and functionality bit. */
export const FULL: RawKeySet = (1 << (NUM_BACKENDS + NUM_FUNCTIONALITY_KEYS)) - 1;

/** The bit of a functionality key (Dense, Python, AutogradFunctionality...). */
export function functionalityBit(f: number): RawKeySet {
  return 1 << (NUM_BACKENDS + f - 1);
}

/** The bit of a backend component (CPUBit -> bit 0). */
export function backendBit(b: number): RawKeySet {
  return b === 0 ? 0 : 1 << (b - 1);
}

/**
 * The key set of one key: a functionality bit, plus a backend bit for runtime per-backend keys;
 * empty for Undefined and for alias keys (they are not representable).
 */
export function keySetOf(k: number): RawKeySet {
  if (k === DispatchKey.Undefined || isAliasDispatchKey(k)) return 0;
  if (k < DispatchKey.EndOfFunctionalityKeys) return functionalityBit(k);
  if (k === DispatchKey.EndOfFunctionalityKeys) return 0;
  return functionalityBit(toFunctionalityKey(k)) | backendBit(toBackendComponent(k));
}

/** The union of the key sets of several keys. */
export function keySetOfAll(keys: Iterable<number>): RawKeySet {
  let ks = 0;
  for (const k of keys) ks |= keySetOf(k);
  return ks;
}

/** The key set of backend components (`[CPUBit, MetaBit]`). */
export function keySetOfBackends(backends: Iterable<number>): RawKeySet {
  let ks = 0;
  for (const b of backends) ks |= backendBit(b);
  return ks;
}

/**
 * FULL_AFTER(k): every bit strictly below k's functionality bit (all backend bits included),
 * plus PythonDispatcher, which is always re-added so that redispatching "below yourself" still
 * passes through the Python dispatcher when it is enabled.
 */
export function fullAfter(k: number): RawKeySet {
  const f = toFunctionalityKey(k);
  return ((functionalityBit(f) - 1) | functionalityBit(DispatchKey.PythonDispatcher)) & FULL;
}

/** True when every bit of `keySetOf(k)` is present (so `has(Undefined)` is true, as in release PyTorch). */
export function ksHas(ks: RawKeySet, k: number): boolean {
  const bits = keySetOf(k);
  return (ks & bits) === bits;
}

/** `(a & b) === b`. */
export function ksHasAll(a: RawKeySet, b: RawKeySet): boolean {
  return (a & b) === b;
}

/** `(a & b) !== 0`. */
export function ksHasAny(a: RawKeySet, b: RawKeySet): boolean {
  return (a & b) !== 0;
}

/** Set difference that removes only b's functionality bits: a's backend bits always survive. */
export function ksMinus(a: RawKeySet, b: RawKeySet): RawKeySet {
  return a & ~(b & ~BACKEND_BITS);
}

/** Clears k's functionality bit only (the backend bit of a runtime key stays). */
export function ksRemove(ks: RawKeySet, k: number): RawKeySet {
  return ksMinus(ks, keySetOf(k));
}

/** Clears one backend bit: the only way to drop a backend from a set. */
export function ksRemoveBackend(ks: RawKeySet, b: number): RawKeySet {
  return ks & ~backendBit(b);
}

/** The highest functionality key of a set, or Undefined. */
export function highestFunctionalityKey(ks: RawKeySet): DispatchKey {
  const fb = ks >>> NUM_BACKENDS;
  return (fb === 0 ? 0 : 32 - Math.clz32(fb)) as DispatchKey;
}

/** The highest backend component of a set, or InvalidBit. */
export function highestBackendKey(ks: RawKeySet): BackendComponent {
  const bb = ks & BACKEND_BITS;
  return (bb === 0 ? 0 : 32 - Math.clz32(bb)) as BackendComponent;
}

/**
 * The key that runs first for this set: the highest functionality, made into a runtime key with
 * the highest backend bit when it is a per-backend functionality
 * (`{Dense, AutogradFunctionality, CPUBit, MetaBit}` -> AutogradMeta).
 */
export function highestPriorityKey(ks: RawKeySet): DispatchKey {
  const f = highestFunctionalityKey(ks);
  if (!isPerBackendFunctionalityKey(f)) return f;
  return toRuntimePerBackendFunctionalityKey(f, highestBackendKey(ks));
}

// ---- dispatch-table index: slot 0 = Undefined, then one slot per functionality, NB per per-backend one

const SLOT_OFFSET: number[] = [0];
/** Bit f set when functionality f is per-backend. */
let PER_BACKEND_MASK = 0;
{
  let next = 1;
  for (let f = 1; f <= NUM_FUNCTIONALITY_KEYS; f++) {
    SLOT_OFFSET[f] = next;
    const pb = isPerBackendFunctionalityKey(f);
    if (pb) PER_BACKEND_MASK |= 1 << f;
    next += pb ? NUM_BACKENDS : 1;
  }
  SLOT_OFFSET[NUM_FUNCTIONALITY_KEYS + 1] = next;
}
/** Length of an operator's dispatch table. */
export const NUM_RUNTIME_ENTRIES = SLOT_OFFSET[NUM_FUNCTIONALITY_KEYS + 1]!;

/**
 * Index of the dispatch-table slot for a key set: its highest functionality, plus its highest
 * backend for per-backend functionalities. A `clz32` and an array load.
 */
export function dispatchTableIndex(ks: RawKeySet): number {
  const fb = ks >>> NUM_BACKENDS;
  if (fb === 0) return 0;
  const f = 32 - Math.clz32(fb);
  if (((PER_BACKEND_MASK >>> f) & 1) === 0) return SLOT_OFFSET[f]!;
  const bb = ks & BACKEND_BITS;
  return SLOT_OFFSET[f]! + (bb === 0 ? 0 : 31 - Math.clz32(bb));
}

/** The dispatch-table slot of a runtime key (Undefined -> 0). */
export function dispatchTableIndexOfKey(k: number): number {
  return k === DispatchKey.Undefined ? 0 : dispatchTableIndex(keySetOf(k));
}

/** The runtime keys of a set in iteration (priority-ascending) order. */
export function ksKeys(ks: RawKeySet): DispatchKey[] {
  const out: DispatchKey[] = [];
  for (let f = 1; f <= NUM_FUNCTIONALITY_KEYS; f++) {
    if ((ks & functionalityBit(f)) === 0) continue;
    if (!isPerBackendFunctionalityKey(f)) {
      out.push(f as DispatchKey);
      continue;
    }
    for (let b = 1; b <= NUM_BACKENDS; b++) {
      if (ks & backendBit(b)) out.push(toRuntimePerBackendFunctionalityKey(f, b));
    }
  }
  return out;
}

/** Prints like PyTorch: `DispatchKeySet(CPU, ADInplaceOrView, AutogradCPU, AutocastCPU)`. */
export function ksToString(ks: RawKeySet): string {
  return `DispatchKeySet(${ksKeys(ks).map(dispatchKeyName).join(", ")})`;
}

/** Every runtime key that has a table slot, in iteration order (Undefined not included). */
export const ALL_RUNTIME_KEYS: readonly DispatchKey[] = ksKeys(FULL);

/**
 * An immutable set of dispatch keys, as PyTorch's `DispatchKeySet`.
 *
 * @example
 * const ks = DispatchKeySet.of(DispatchKey.CPU, DispatchKey.AutogradCPU);
 * String(ks)                         // "DispatchKeySet(CPU, AutogradCPU)"
 * ks.has(DispatchKey.AutogradCPU)    // true
 * ks.highestPriorityKey()            // DispatchKey.AutogradCPU
 */
export class DispatchKeySet implements Iterable<DispatchKey> {
  /** The raw bits (backend bits low, functionality bits above). */
  readonly raw: RawKeySet;

  private constructor(raw: RawKeySet) {
    this.raw = raw;
  }

  /** The empty set. */
  static readonly EMPTY = new DispatchKeySet(0);
  /** Every key. */
  static readonly FULL = new DispatchKeySet(FULL);

  /** The union of the given keys. */
  static of(...keys: number[]): DispatchKeySet {
    return new DispatchKeySet(keySetOfAll(keys));
  }
  /** The set of the given backend components. */
  static ofBackends(...backends: number[]): DispatchKeySet {
    return new DispatchKeySet(keySetOfBackends(backends));
  }
  /** A set from raw bits. */
  static fromRaw(raw: RawKeySet): DispatchKeySet {
    return new DispatchKeySet(raw & FULL);
  }
  /** FULL_AFTER(k): everything strictly below k's functionality, plus PythonDispatcher. */
  static fullAfter(k: number): DispatchKeySet {
    return new DispatchKeySet(fullAfter(k));
  }

  has(k: number): boolean {
    return ksHas(this.raw, k);
  }
  hasAll(other: DispatchKeySet): boolean {
    return ksHasAll(this.raw, other.raw);
  }
  isSupersetOf(other: DispatchKeySet): boolean {
    return ksHasAll(this.raw, other.raw);
  }
  hasAny(other: DispatchKeySet): boolean {
    return ksHasAny(this.raw, other.raw);
  }
  hasBackend(b: number): boolean {
    return (this.raw & backendBit(b)) !== 0;
  }
  or(other: DispatchKeySet): DispatchKeySet {
    return new DispatchKeySet(this.raw | other.raw);
  }
  and(other: DispatchKeySet): DispatchKeySet {
    return new DispatchKeySet(this.raw & other.raw);
  }
  xor(other: DispatchKeySet): DispatchKeySet {
    return new DispatchKeySet(this.raw ^ other.raw);
  }
  /** Removes other's functionality bits only; backend bits survive (PyTorch's `operator-`). */
  minus(other: DispatchKeySet): DispatchKeySet {
    return new DispatchKeySet(ksMinus(this.raw, other.raw));
  }
  add(k: number | DispatchKeySet): DispatchKeySet {
    return new DispatchKeySet(this.raw | (typeof k === "number" ? keySetOf(k) : k.raw));
  }
  /** Clears k's functionality bit (a runtime key's backend bit stays). */
  remove(k: number): DispatchKeySet {
    return new DispatchKeySet(ksRemove(this.raw, k));
  }
  removeBackend(b: number): DispatchKeySet {
    return new DispatchKeySet(ksRemoveBackend(this.raw, b));
  }
  equals(other: DispatchKeySet): boolean {
    return this.raw === other.raw;
  }
  /** All bits zero (a set holding only a backend bit is not empty, though it prints as empty). */
  empty(): boolean {
    return this.raw === 0;
  }
  highestFunctionalityKey(): DispatchKey {
    return highestFunctionalityKey(this.raw);
  }
  highestBackendKey(): BackendComponent {
    return highestBackendKey(this.raw);
  }
  highestPriorityKey(): DispatchKey {
    return highestPriorityKey(this.raw);
  }
  /** Index of the dispatch-table slot this set selects. */
  dispatchTableIndex(): number {
    return dispatchTableIndex(this.raw);
  }
  /** The runtime keys, lowest priority first. */
  keys(): DispatchKey[] {
    return ksKeys(this.raw);
  }
  [Symbol.iterator](): Iterator<DispatchKey> {
    return ksKeys(this.raw)[Symbol.iterator]();
  }
  /** `0x...` like PyTorch's `raw_repr()` printed in hex. */
  rawRepr(): number {
    return this.raw;
  }
  toString(): string {
    return ksToString(this.raw);
  }
}

// ---- alias keys: what each expands to (dispatch-semantics.md §1.4)

const f = functionalityBit;
/** Autograd: AutogradFunctionality x all backends, AutogradOther, AutogradNestedTensor. */
export const AUTOGRAD_ALIAS_SET: RawKeySet =
  f(DispatchKey.AutogradFunctionality) | f(DispatchKey.AutogradOther) | f(DispatchKey.AutogradNestedTensor) | BACKEND_BITS;
/** The "backend set": Dense, Quantized, Sparse x all backends, and the one-slot backends (FPGA). */
export const BACKEND_ALIAS_SET: RawKeySet =
  f(DispatchKey.Dense) | f(DispatchKey.Quantized) | f(DispatchKey.Sparse) | f(DispatchKey.FPGA) | BACKEND_BITS;
/** CompositeExplicitAutogradNonFunctional: the backend set minus sparse. */
export const CEANF_ALIAS_SET: RawKeySet = BACKEND_ALIAS_SET & ~f(DispatchKey.Sparse);
/** CompositeImplicitAutogradNestedTensor: NestedTensor x all backends, AutogradNestedTensor. */
export const CIA_NESTED_ALIAS_SET: RawKeySet =
  f(DispatchKey.NestedTensor) | f(DispatchKey.AutogradNestedTensor) | BACKEND_BITS;
/** CompositeImplicitAutograd ("math"): backend set, autograd set and nested tensors. */
export const CIA_ALIAS_SET: RawKeySet = BACKEND_ALIAS_SET | AUTOGRAD_ALIAS_SET | f(DispatchKey.NestedTensor);
/** Backends whose autograd is AutogradOther: the one-slot backends, sparse and quantized. */
export const AUTOGRADOTHER_BACKENDS: RawKeySet =
  f(DispatchKey.FPGA) | f(DispatchKey.Sparse) | f(DispatchKey.Quantized) | BACKEND_BITS;

/** `{AutogradFunctionality, AutogradOther, AutogradNestedTensor}` without backend bits: safe to subtract. */
export const AUTOGRAD_DISPATCH_KEYSET: RawKeySet =
  f(DispatchKey.AutogradFunctionality) | f(DispatchKey.AutogradOther) | f(DispatchKey.AutogradNestedTensor);
/** `{Python, PythonTLSSnapshot}`: the keys only a host wrapper adds to a tensor. */
export const PYTHON_KS: RawKeySet = f(DispatchKey.Python) | f(DispatchKey.PythonTLSSnapshot);
/** Every autocast key (just AutocastCPU here). */
export const AUTOCAST_KEYSET: RawKeySet = f(DispatchKey.AutocastCPU);
/** FULL_AFTER(AutogradOther): what an autograd kernel redispatches to. */
export const AFTER_AUTOGRAD_KEYSET: RawKeySet = fullAfter(DispatchKey.AutogradOther);

/**
 * The runtime keys an alias key stands for, as a raw set; a non-alias key stands for itself.
 * @example
 * ksHas(getRuntimeDispatchKeySet(DispatchKey.CompositeExplicitAutograd), DispatchKey.CPU) // true
 */
export function getRuntimeDispatchKeySet(k: number): RawKeySet {
  switch (k) {
    case DispatchKey.Autograd:
      return AUTOGRAD_ALIAS_SET;
    case DispatchKey.CompositeImplicitAutograd:
      return CIA_ALIAS_SET;
    case DispatchKey.CompositeImplicitAutogradNestedTensor:
      return CIA_NESTED_ALIAS_SET;
    case DispatchKey.CompositeExplicitAutograd:
      return BACKEND_ALIAS_SET;
    case DispatchKey.CompositeExplicitAutogradNonFunctional:
      return CEANF_ALIAS_SET;
    default:
      return keySetOf(k);
  }
}

/** Is runtime key `k` one of the keys alias `alias` expands to? (Undefined never is.) */
export function isIncludedInAlias(k: number, alias: number): boolean {
  return k !== DispatchKey.Undefined && ksHas(getRuntimeDispatchKeySet(alias), k);
}

/**
 * The backend keys whose kernels an autograd key sits on top of: `AutogradCPU` -> `{CPU}`,
 * AutogradOther -> the AutogradOther backends, AutogradNestedTensor -> NestedTensor x all.
 */
export function getBackendKeySetFromAutograd(k: number): RawKeySet {
  if (k === DispatchKey.AutogradOther) return AUTOGRADOTHER_BACKENDS;
  if (k === DispatchKey.AutogradNestedTensor) return f(DispatchKey.NestedTensor) | BACKEND_BITS;
  if (toFunctionalityKey(k) === DispatchKey.AutogradFunctionality && k !== DispatchKey.AutogradFunctionality) {
    return f(DispatchKey.Dense) | backendBit(toBackendComponent(k));
  }
  return 0;
}


/** What the dispatcher needs of a tensor: its key set as a raw integer. */
export interface HasKeySet {
  readonly keySet: RawKeySet;
}

/** The functionality bits (everything but the backend bits). */
export const FUNCTIONALITY_BITS: RawKeySet = FULL & ~BACKEND_BITS;
