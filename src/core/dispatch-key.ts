// Dispatch keys: PyTorch's c10 DispatchKey and BackendComponent enums, cut down to the keys
// aten-ts implements but kept in PyTorch 2.x's relative order, so that every priority rule
// (higher enum value = dispatched first) behaves as in PyTorch. See dispatch-semantics.md §1.

import { RuntimeError } from "./errors.js";

/**
 * Backend components ("backend bits"). Backend `b` occupies bit `b - 1` of a key set.
 * As in PyTorch 2.x, Meta is the last (highest) backend, so adding Meta to the TLS include set
 * turns every kernel choice into the Meta one. PrivateUse1 is the spare backend used by tests.
 *
 * @example
 * BackendComponent.CPUBit // 1
 */
export const BackendComponent = {
  InvalidBit: 0,
  CPUBit: 1,
  PrivateUse1Bit: 2,
  MetaBit: 3,
} as const;
/** A backend component value (see {@link BackendComponent}). */
export type BackendComponent = (typeof BackendComponent)[keyof typeof BackendComponent];

/** Number of real backends (PyTorch 2.14 has 16; we keep CPU, PrivateUse1, Meta). */
export const NUM_BACKENDS = 3;

const BACKEND_NAMES = ["Undefined", "CPU", "PrivateUse1", "Meta"] as const;

/**
 * The dispatch keys, in PyTorch 2.x priority order (lowest first). Functionality keys come
 * first; then, for each per-backend functionality, a `StartOf...Backends` placeholder followed
 * by one runtime key per backend; then the alias keys, which exist only for registration.
 *
 * @example
 * DispatchKey.AutogradCPU > DispatchKey.CPU // true: autograd runs before the CPU kernel
 */
export const DispatchKey = {
  /** No key: the slot used when a call has no tensor arguments (PyTorch's CatchAll). */
  Undefined: 0,

  // ---- functionality keys, lowest priority first ----
  /** Per-backend: the plain kernels of a backend (CPU, Meta, ...). */
  Dense: 1,
  /** A non-customisable backend with one slot (kept for the AutogradOther rules). */
  FPGA: 2,
  /** Per-backend: quantized tensors (room; no kernels yet). */
  Quantized: 3,
  /** Per-backend: sparse tensors (room; no kernels yet). */
  Sparse: 4,
  /** Per-backend: nested tensors (room; never part of the CompositeExplicitAutograd set). */
  NestedTensor: 5,
  /** Picks a backend for factory functions that have no tensor argument. Included by default. */
  BackendSelect: 6,
  /** FakeTensor's key (room): just below Python, so user handlers leave it alone. */
  Fake: 7,
  /** Hands the call to user code: the active dispatch mode, else the tensor subclasses' handlers. */
  Python: 8,
  /** Functionalization (room). */
  Functionalize: 9,
  /** Lazy conjugation (room). */
  Conjugate: 10,
  /** Lazy negation (room). */
  Negative: 11,
  /** Zero tensors (room). */
  ZeroTensor: 12,
  /** Bumps version counters and sets up view metadata for in-place and view ops. Included by default. */
  ADInplaceOrView: 13,
  /** Autograd for backends without an autograd key of their own (FPGA, sparse, quantized...). */
  AutogradOther: 14,
  /** Per-backend: autograd (AutogradCPU, AutogradMeta...). Records the graph, then redispatches. */
  AutogradFunctionality: 15,
  /** Autograd for nested tensors. */
  AutogradNestedTensor: 16,
  /** Automatic mixed precision on CPU (room). Excluded by default. */
  AutocastCPU: 17,
  /** Snapshots the TLS on entry (tls_on_entry) so user handlers see the state of the call. */
  PythonTLSSnapshot: 18,
  /** Pre-dispatch tracing: sees calls before autograd decomposes them. */
  PreDispatch: 19,
  /** Routes every hop through user-level per-key kernels (py_impl) when enabled. */
  PythonDispatcher: 20,
  /** Sentinel: one past the last functionality key. */
  EndOfFunctionalityKeys: 21,

  // ---- runtime per-backend keys: StartOf<F>Backends, then one key per backend ----
  StartOfDenseBackends: 22,
  CPU: 23,
  PrivateUse1: 24,
  Meta: 25,
  StartOfQuantizedBackends: 26,
  QuantizedCPU: 27,
  QuantizedPrivateUse1: 28,
  QuantizedMeta: 29,
  StartOfSparseBackends: 30,
  SparseCPU: 31,
  SparsePrivateUse1: 32,
  SparseMeta: 33,
  StartOfNestedTensorBackends: 34,
  NestedTensorCPU: 35,
  NestedTensorPrivateUse1: 36,
  NestedTensorMeta: 37,
  StartOfAutogradFunctionalityBackends: 38,
  AutogradCPU: 39,
  AutogradPrivateUse1: 40,
  AutogradMeta: 41,

  // ---- alias keys: registration only, never dispatched to ----
  /** Every autograd key: AutogradFunctionality x all backends, AutogradOther, AutogradNestedTensor. */
  Autograd: 42,
  /** "Math": a decomposition that works for every backend and gets autograd through its parts. */
  CompositeImplicitAutograd: 43,
  /** Decomposition for nested tensors. */
  CompositeImplicitAutogradNestedTensor: 44,
  /** One kernel for every backend ("default backend kernel"); autograd needs its own formula. */
  CompositeExplicitAutograd: 45,
  /** CompositeExplicitAutograd minus sparse (and XLA/Lazy in PyTorch). */
  CompositeExplicitAutogradNonFunctional: 46,
} as const;
/** A dispatch key value (see {@link DispatchKey}). */
export type DispatchKey = (typeof DispatchKey)[keyof typeof DispatchKey];

/** Last runtime key (PyTorch's EndOfRuntimeBackendKeys). */
export const END_OF_RUNTIME_BACKEND_KEYS = DispatchKey.AutogradMeta;
/** First alias key. */
export const START_OF_ALIAS_KEYS = DispatchKey.Autograd;
/** Last alias key. */
export const END_OF_ALIAS_KEYS = DispatchKey.CompositeExplicitAutogradNonFunctional;
/** Number of functionality bits (Dense ... PythonDispatcher). */
export const NUM_FUNCTIONALITY_KEYS = DispatchKey.EndOfFunctionalityKeys - 1;

/** The per-backend functionality keys, in enum order, with the name prefix of their runtime keys. */
const PER_BACKEND: ReadonlyArray<readonly [DispatchKey, number, string]> = [
  [DispatchKey.Dense, DispatchKey.StartOfDenseBackends, ""],
  [DispatchKey.Quantized, DispatchKey.StartOfQuantizedBackends, "Quantized"],
  [DispatchKey.Sparse, DispatchKey.StartOfSparseBackends, "Sparse"],
  [DispatchKey.NestedTensor, DispatchKey.StartOfNestedTensorBackends, "NestedTensor"],
  [DispatchKey.AutogradFunctionality, DispatchKey.StartOfAutogradFunctionalityBackends, "Autograd"],
];

const NAMES: string[] = [];
for (const [name, value] of Object.entries(DispatchKey)) if (NAMES[value] === undefined) NAMES[value] = name;
for (const [, start, prefix] of PER_BACKEND) {
  NAMES[start] = prefix + "Undefined";
  for (let b = 1; b <= NUM_BACKENDS; b++) NAMES[start + b] = prefix + BACKEND_NAMES[b];
}

/** True for Dense, Quantized, Sparse, NestedTensor and AutogradFunctionality. */
export function isPerBackendFunctionalityKey(k: number): boolean {
  return (
    k === DispatchKey.Dense ||
    k === DispatchKey.Quantized ||
    k === DispatchKey.Sparse ||
    k === DispatchKey.NestedTensor ||
    k === DispatchKey.AutogradFunctionality
  );
}

/** True for the registration-only alias keys (Autograd, CompositeImplicitAutograd, ...). */
export function isAliasDispatchKey(k: number): boolean {
  return k >= START_OF_ALIAS_KEYS && k <= END_OF_ALIAS_KEYS;
}

/**
 * The functionality of a key: itself for functionality keys, `AutogradFunctionality` for
 * `AutogradCPU`, `Dense` for `CPU`; `Undefined` for aliases.
 */
export function toFunctionalityKey(k: number): DispatchKey {
  if (k <= DispatchKey.EndOfFunctionalityKeys) return k as DispatchKey;
  if (k <= END_OF_RUNTIME_BACKEND_KEYS) {
    for (let i = PER_BACKEND.length - 1; i >= 0; i--) {
      if (k >= PER_BACKEND[i]![1]) return PER_BACKEND[i]![0];
    }
  }
  return DispatchKey.Undefined;
}

/** The backend of a runtime per-backend key (`AutogradMeta` -> MetaBit); InvalidBit otherwise. */
export function toBackendComponent(k: number): BackendComponent {
  if (k > DispatchKey.EndOfFunctionalityKeys && k <= END_OF_RUNTIME_BACKEND_KEYS) {
    for (let i = PER_BACKEND.length - 1; i >= 0; i--) {
      const start = PER_BACKEND[i]![1];
      if (k >= start) return (k - start) as BackendComponent;
    }
  }
  return BackendComponent.InvalidBit;
}

/** `toRuntimePerBackendFunctionalityKey(AutogradFunctionality, CPUBit)` is `AutogradCPU`. */
export function toRuntimePerBackendFunctionalityKey(functionality: number, backend: number): DispatchKey {
  for (const [f, start] of PER_BACKEND) if (f === functionality) return (start + backend) as DispatchKey;
  throw new Error(`toRuntimePerBackendFunctionalityKey: ${dispatchKeyName(functionality)} is not a per-backend functionality`);
}

/** The autograd key a tensor of backend `b` carries: `Autograd<b>`, or AutogradOther. */
export function getAutogradKeyFromBackend(b: number): DispatchKey {
  switch (b) {
    case BackendComponent.CPUBit:
      return DispatchKey.AutogradCPU;
    case BackendComponent.PrivateUse1Bit:
      return DispatchKey.AutogradPrivateUse1;
    case BackendComponent.MetaBit:
      return DispatchKey.AutogradMeta;
    default:
      return DispatchKey.AutogradOther;
  }
}

/**
 * PyTorch's name of a key: `CPU`, `AutogradMeta`, `Python`, `CompositeImplicitAutograd`.
 * @example
 * torch.dispatchKeyName(torch.DispatchKey.AutogradCPU) // "AutogradCPU"
 */
export function dispatchKeyName(k: number): string {
  const name = NAMES[k];
  if (name === undefined) throw new RangeError(`not a dispatch key: ${k}`);
  return name;
}

const PARSEABLE = new Map<string, DispatchKey>();
for (let k = 0; k <= END_OF_ALIAS_KEYS; k++) {
  const name = NAMES[k];
  if (name === undefined || k === DispatchKey.EndOfFunctionalityKeys) continue;
  if (name.startsWith("StartOf") || name.endsWith("Undefined") && k !== 0) continue;
  // PyTorch's parser refuses a few runtime keys; QuantizedMeta is the one in our subset.
  if (k === DispatchKey.QuantizedMeta) continue;
  PARSEABLE.set(name, k as DispatchKey);
}

/**
 * Parses a key name as PyTorch's `parseDispatchKey` does.
 * @throws Error `could not parse dispatch key: <name>`
 * @example
 * parseDispatchKey("AutogradCPU") === DispatchKey.AutogradCPU
 */
export function parseDispatchKey(name: string): DispatchKey {
  const k = PARSEABLE.get(name);
  if (k === undefined) throw new RuntimeError(`could not parse dispatch key: ${name}`);
  return k;
}
