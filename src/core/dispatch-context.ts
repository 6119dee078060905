// The dispatch context: what PyTorch keeps thread-locally for the dispatcher (the included and
// excluded key sets, the dispatch-mode stack, the tls-on-entry snapshot, grad mode). It is one
// record reached through one accessor, `dispatchContext()`, so that it can later follow async
// code (AsyncLocalStorage) without touching callers. Guards restore state on throw. §3.

import { DispatchKey } from "./dispatch-key.js";
import {
  AUTOCAST_KEYSET,
  AUTOGRAD_DISPATCH_KEYSET,
  DispatchKeySet,
  type RawKeySet,
  functionalityBit,
  keySetOf,
  ksHas,
  ksHasAll,
  ksRemove,
} from "./dispatch-key-set.js";

/** The default include set of a fresh thread: `{BackendSelect, ADInplaceOrView}`. */
export const DEFAULT_INCLUDED: RawKeySet =
  functionalityBit(DispatchKey.BackendSelect) | functionalityBit(DispatchKey.ADInplaceOrView);
/** The default exclude set of a fresh thread: every autocast key. */
export const DEFAULT_EXCLUDED: RawKeySet = AUTOCAST_KEYSET;

/** The TLS key sets, as PyTorch's `LocalDispatchKeySet` snapshot. */
export interface LocalDispatchKeySet {
  readonly included: RawKeySet;
  readonly excluded: RawKeySet;
}

/**
 * One thread's (for us: one execution context's) dispatcher state. Layers above `core` keep
 * their state here too, as opaque fields, so there is exactly one record to swap.
 */
export interface DispatchContext {
  /** Keys added to every call's key set (exclusion wins). */
  included: RawKeySet;
  /** Keys removed from every call's key set. */
  excluded: RawKeySet;
  /** The user dispatch modes, outermost first (owned by torch-dispatch). */
  modeStack: unknown[];
  /** Infra modes (fake, proxy...) by slot, kept below user modes (owned by torch-dispatch). */
  infraModes: Map<string, unknown>;
  /** The pre-dispatch mode stack (owned by torch-dispatch). */
  preDispatchModeStack: unknown[];
  /** TLS as it was when the outermost PythonTLSSnapshot hop was entered; null outside. */
  tlsOnEntry: LocalDispatchKeySet | null;
  /** Autograd's grad mode (no_grad turns it off). */
  gradEnabled: boolean;
  /** Autograd's sequence counter: the number the next autograd node will get. */
  sequenceNr: number;
  /** Is the PythonDispatcher enabled (PyTorch's PythonDispatcherTLS slot)? */
  pythonDispatcherEnabled: boolean;
  /** Inference mode (PyTorch's InferenceMode): new tensors are inference tensors. */
  inferenceMode: boolean;
}

/** A fresh context with PyTorch's defaults. */
export function createDispatchContext(): DispatchContext {
  return {
    included: DEFAULT_INCLUDED,
    excluded: DEFAULT_EXCLUDED,
    modeStack: [],
    infraModes: new Map(),
    preDispatchModeStack: [],
    tlsOnEntry: null,
    gradEnabled: true,
    sequenceNr: 0,
    pythonDispatcherEnabled: false,
    inferenceMode: false,
  };
}

let current: DispatchContext = createDispatchContext();

/**
 * The current dispatch context: the one accessor every layer uses.
 * @example
 * dispatchContext().included // raw bits of the TLS include set
 */
export function dispatchContext(): DispatchContext {
  return current;
}

/**
 * Runs `fn` with `ctx` as the current context (e.g. a fresh one for an isolated test or
 * worker-like task), restoring the previous one afterwards, also on throw.
 */
export function withDispatchContext<T>(ctx: DispatchContext, fn: () => T): T {
  const saved = current;
  current = ctx;
  try {
    return fn();
  } finally {
    current = saved;
  }
}

// ---- non-scoped API (PyTorch's c10::impl::tls_*), §3.2

/** The TLS include set. */
export function tlsLocalIncludeSet(): DispatchKeySet {
  return DispatchKeySet.fromRaw(current.included);
}
/** The TLS exclude set. */
export function tlsLocalExcludeSet(): DispatchKeySet {
  return DispatchKeySet.fromRaw(current.excluded);
}
/** Is k (all of its bits) in the include set? */
export function tlsIsIncluded(k: number): boolean {
  return ksHas(current.included, k);
}
/** Is k (all of its bits) in the exclude set? */
export function tlsIsExcluded(k: number): boolean {
  return ksHas(current.excluded, k);
}
/** Adds or removes k (functionality bits only on removal, as PyTorch's `remove`). */
export function tlsSetIncluded(k: number, on: boolean): void {
  current.included = on ? current.included | keySetOf(k) : ksRemove(current.included, k);
}
/** Adds or removes k from the exclude set. */
export function tlsSetExcluded(k: number, on: boolean): void {
  current.excluded = on ? current.excluded | keySetOf(k) : ksRemove(current.excluded, k);
}
/** Is every key of ks included? */
export function tlsIsKeySetIncluded(ks: DispatchKeySet): boolean {
  return ksHasAll(current.included, ks.raw);
}
/** Is every key of ks excluded? */
export function tlsIsKeySetExcluded(ks: DispatchKeySet): boolean {
  return ksHasAll(current.excluded, ks.raw);
}
/**
 * Both TLS sets, to restore later with {@link tlsForce}.
 * @example
 * const { included, excluded } = torch.tlsSnapshot()
 */
export function tlsSnapshot(): LocalDispatchKeySet {
  return { included: current.included, excluded: current.excluded };
}
/**
 * Overwrites both TLS sets.
 * @example
 * const s = torch.tlsSnapshot(); ...; torch.tlsForce(s)
 */
export function tlsForce(s: LocalDispatchKeySet): void {
  current.included = s.included;
  current.excluded = s.excluded;
}

// ---- guards, §3.3: disposables (`using g = new ExcludeDispatchKeyGuard(...)`) and scoped helpers

/** A guard's keys: one dispatch key or a key set. */
export type KeysArg = DispatchKeySet | DispatchKey;
function rawOf(keys: KeysArg): RawKeySet {
  return typeof keys === "number" ? keySetOf(keys) : keys.raw;
}

/**
 * Adds keys to the TLS include set until disposed. Only the bits that were not already
 * included are removed on exit, so nested guards for the same key are safe.
 * @example
 * { using _ = new IncludeDispatchKeyGuard(DispatchKey.Python); op(x); }
 */
export class IncludeDispatchKeyGuard implements Disposable {
  private readonly ctx = current;
  private readonly delta: RawKeySet;
  constructor(keys: KeysArg) {
    const raw = rawOf(keys);
    this.delta = raw & ~this.ctx.included;
    this.ctx.included |= this.delta;
  }
  [Symbol.dispose](): void {
    this.ctx.included &= ~this.delta;
  }
}

/**
 * Adds keys to the TLS exclude set until disposed (only the newly added bits are cleared on exit).
 * @example
 * { using _ = new ExcludeDispatchKeyGuard(DispatchKeySet.of(DispatchKey.AutogradFunctionality)); op(x); }
 */
export class ExcludeDispatchKeyGuard implements Disposable {
  private readonly ctx = current;
  private readonly delta: RawKeySet;
  constructor(keys: KeysArg) {
    const raw = rawOf(keys);
    this.delta = raw & ~this.ctx.excluded;
    this.ctx.excluded |= this.delta;
  }
  [Symbol.dispose](): void {
    this.ctx.excluded &= ~this.delta;
  }
}

/**
 * Sets both TLS sets until disposed, then restores the whole saved state (clobbering any change
 * made inside).
 * @example
 * { using _ = new ForceDispatchKeyGuard(snapshot); op(x); }
 */
export class ForceDispatchKeyGuard implements Disposable {
  private readonly ctx = current;
  private readonly saved: LocalDispatchKeySet;
  constructor(state: LocalDispatchKeySet | { included: DispatchKeySet; excluded: DispatchKeySet }) {
    this.saved = { included: this.ctx.included, excluded: this.ctx.excluded };
    const inc = state.included;
    const exc = state.excluded;
    this.ctx.included = typeof inc === "number" ? inc : inc.raw;
    this.ctx.excluded = typeof exc === "number" ? exc : exc.raw;
  }
  [Symbol.dispose](): void {
    this.ctx.included = this.saved.included;
    this.ctx.excluded = this.saved.excluded;
  }
}

/**
 * Saves both TLS sets and restores them when disposed, without setting anything.
 * @example
 * { using _ = new PreserveDispatchKeyGuard(); mutateTls(); } // the TLS is as before here
 */
export class PreserveDispatchKeyGuard implements Disposable {
  private readonly ctx = current;
  private readonly saved: LocalDispatchKeySet = { included: current.included, excluded: current.excluded };
  [Symbol.dispose](): void {
    this.ctx.included = this.saved.included;
    this.ctx.excluded = this.saved.excluded;
  }
}

/**
 * Runs fn with keys added to the TLS include set; restores on return and on throw.
 * @example
 * withIncludedKeys(DispatchKey.Python, () => op(x))
 */
export function withIncludedKeys<T>(keys: KeysArg, fn: () => T): T {
  return withIncludedRaw(rawOf(keys), fn);
}

/**
 * Runs fn with keys added to the TLS exclude set; restores on return and on throw.
 * @example
 * withExcludedKeys(DispatchKeySet.of(DispatchKey.AutogradFunctionality), () => op(x))
 */
export function withExcludedKeys<T>(keys: KeysArg, fn: () => T): T {
  return withExcludedRaw(rawOf(keys), fn);
}

/** {@link withExcludedKeys} for a raw key set (the hot-path form used by fallbacks). */
export function withExcludedRaw<T>(raw: RawKeySet, fn: () => T): T {
  const ctx = current;
  const delta = raw & ~ctx.excluded;
  ctx.excluded |= delta;
  try {
    return fn();
  } finally {
    ctx.excluded &= ~delta;
  }
}

/** {@link withIncludedKeys} for a raw key set. */
export function withIncludedRaw<T>(raw: RawKeySet, fn: () => T): T {
  const ctx = current;
  const delta = raw & ~ctx.included;
  ctx.included |= delta;
  try {
    return fn();
  } finally {
    ctx.included &= ~delta;
  }
}

/**
 * Runs fn with both TLS sets forced to `state`; restores the whole previous state afterwards.
 * @example
 * torch.withForcedKeys(torch.tlsSnapshot(), () => x.add(x))
 */
export function withForcedKeys<T>(state: LocalDispatchKeySet, fn: () => T): T {
  const ctx = current;
  const inc = ctx.included;
  const exc = ctx.excluded;
  ctx.included = state.included;
  ctx.excluded = state.excluded;
  try {
    return fn();
  } finally {
    ctx.included = inc;
    ctx.excluded = exc;
  }
}

/**
 * AutoDispatchBelowAutograd: runs fn with the autograd keys excluded.
 * @example
 * torch.withBelowAutograd(() => x.mul(2)) // autograd keys skipped
 */
export function withBelowAutograd<T>(fn: () => T): T {
  return withExcludedKeys(DispatchKeySet.fromRaw(AUTOGRAD_DISPATCH_KEYSET), fn);
}
