// The PythonDispatcher (§8): while enabled, every hop of every call comes here first (the
// PythonDispatcher key is the highest, and FULL_AFTER re-adds it). Each hop resolves the highest
// key the way the dispatch table would, but also considering user-level `pyImpl` kernels, and
// runs either that user kernel or the registered kernel via callBoxedForDispatchKey. At the
// PreDispatch key it runs the pre-dispatch mode (§9).

import { DispatchKey, dispatchKeyName, isAliasDispatchKey, toFunctionalityKey } from "../core/dispatch-key.js";
import {
  AUTOGRADOTHER_BACKENDS,
  DispatchKeySet,
  type RawKeySet,
  getBackendKeySetFromAutograd,
  highestPriorityKey,
  isIncludedInAlias,
  keySetOf,
  ksHas,
} from "../core/dispatch-key-set.js";
import { dispatchContext } from "../core/dispatch-context.js";
import { NotImplementedError, RuntimeError, internalAssert } from "../core/errors.js";
import { dispatcher } from "../dispatcher/dispatcher.js";
import { getOpOverload } from "../dispatcher/op-overload.js";
import type { OperatorHandle } from "../dispatcher/operator-entry.js";
import { toHostArgs } from "./host-dispatch.js";
import { currentPreDispatchMode, popPreDispatchMode, pushPreDispatchMode } from "./pre-dispatch.js";
import type { TorchDispatchMode } from "./torch-dispatch-mode.js";

const K = DispatchKey;
const PYDISPATCHER = keySetOf(K.PythonDispatcher);

/**
 * Runs fn with the PythonDispatcher enabled (PyTorch's `enable_python_dispatcher()`); restores
 * the previous state afterwards, also on throw.
 * @example
 * enablePythonDispatcher(() => x.add(x)) // pyImpl kernels of add run at their keys
 */
export function enablePythonDispatcher<T>(fn: () => T): T {
  return setPythonDispatcher(true, fn);
}

/**
 * Runs fn with the PythonDispatcher disabled (PyTorch's `no_python_dispatcher()`).
 * @example
 * torch.enablePythonDispatcher(() => torch.noPythonDispatcher(() => x.add(x)))
 */
export function noPythonDispatcher<T>(fn: () => T): T {
  return setPythonDispatcher(false, fn);
}

function setPythonDispatcher<T>(on: boolean, fn: () => T): T {
  const c = dispatchContext();
  const prevOn = c.pythonDispatcherEnabled;
  const prevKey = c.included & PYDISPATCHER;
  c.pythonDispatcherEnabled = on;
  c.included = on ? c.included | PYDISPATCHER : c.included & ~PYDISPATCHER;
  try {
    return fn();
  } finally {
    c.pythonDispatcherEnabled = prevOn;
    c.included = (c.included & ~PYDISPATCHER) | prevKey;
  }
}

function has(op: OperatorHandle, k: number): boolean {
  return op.pyKernels.has(k) || op.hasKernelFor(k);
}

function hasAny(op: OperatorHandle, ks: RawKeySet): boolean {
  for (const k of op.pyKernels.keys()) if (!isAliasDispatchKey(k) && k !== K.Undefined && ksHas(ks, k)) return true;
  return op.hasKernelForAny(ks);
}

/**
 * PyTorch's resolve_key over a kernel table given by `has`/`hasAny`: the key whose kernel handles
 * runtime key k (a direct kernel, then the composite and Autograd alias kernels as the dispatch
 * table would pick them, then k itself when it has a backend fallback); null when none.
 */
export function resolveKeyWith(has: (k: number) => boolean, hasAny: (ks: RawKeySet) => boolean, k: DispatchKey): DispatchKey | null {
  if (has(k)) return k;
  const U = k === K.Undefined;
  if ((U || isIncludedInAlias(k, K.CompositeExplicitAutogradNonFunctional)) && has(K.CompositeExplicitAutogradNonFunctional)) {
    return K.CompositeExplicitAutogradNonFunctional;
  }
  if ((U || isIncludedInAlias(k, K.CompositeExplicitAutograd)) && has(K.CompositeExplicitAutograd)) return K.CompositeExplicitAutograd;
  const hasBackendKernel = hasAny(getBackendKeySetFromAutograd(k)) || has(K.CompositeExplicitAutograd);
  if (!U && isIncludedInAlias(k, K.CompositeImplicitAutogradNestedTensor) && has(K.CompositeImplicitAutogradNestedTensor) && !hasBackendKernel) {
    return K.CompositeImplicitAutogradNestedTensor;
  }
  if ((U || isIncludedInAlias(k, K.CompositeImplicitAutograd)) && has(K.CompositeImplicitAutograd)) {
    if (k === K.AutogradOther && hasAny(AUTOGRADOTHER_BACKENDS)) throw new RuntimeError("ambiguous autogradother kernel");
    if (!hasBackendKernel) return K.CompositeImplicitAutograd;
  }
  if (isIncludedInAlias(k, K.Autograd) && has(K.Autograd)) return K.Autograd;
  if (!U && dispatcher.fallbackFor(k)) return k;
  return null;
}

/** §8.2 step 3: the key whose kernel (user-level or registered) handles runtime key k. */
export function resolveKey(op: OperatorHandle, k: DispatchKey): DispatchKey {
  const r = resolveKeyWith((key) => has(op, key), (ks) => hasAny(op, ks), k);
  if (r !== null) return r;
  const ov = op.overloadName === "" ? "default" : op.overloadName;
  throw new NotImplementedError(`could not find kernel for ${op.name.replace("::", ".")}.${ov} at dispatch key DispatchKey.${dispatchKeyName(k)}`);
}

let hopObserver: ((op: OperatorHandle, key: DispatchKey) => void) | null = null;
/**
 * Observes every PythonDispatcher hop (operator and the key it resolves), like PyTorch's dispatch
 * trace; pass null to stop. Returns the previous observer.
 */
export function observePythonDispatcherHops(fn: ((op: OperatorHandle, key: DispatchKey) => void) | null): typeof hopObserver {
  const prev = hopObserver;
  hopObserver = fn;
  return prev;
}

/** One hop through the PythonDispatcher (ks already without PythonDispatcher). */
export function pythonDispatcherHop(op: OperatorHandle, ks: RawKeySet, args: readonly unknown[]): unknown {
  const c = dispatchContext();
  internalAssert(c.pythonDispatcherEnabled, "Hit PythonDispatcher dispatch key but PythonDispatcherTLS was not set");
  const k = highestPriorityKey(ks);
  hopObserver?.(op, k);
  if (toFunctionalityKey(k) === K.PreDispatch && currentPreDispatchMode() !== null && !ksHas(c.excluded, K.Python)) {
    const mode = popPreDispatchMode() as TorchDispatchMode;
    try {
      const [hostArgs, kwargs] = toHostArgs(op, args);
      return mode.torchDispatch(getOpOverload(op), [], hostArgs, kwargs);
    } finally {
      pushPreDispatchMode(mode);
    }
  }
  const final = k === K.Python ? K.Python : resolveKey(op, k);
  const user = op.pyKernels.get(final);
  if (user) return (user as (ks: DispatchKeySet, ...a: unknown[]) => unknown)(DispatchKeySet.fromRaw(ks), ...args);
  const stack = args.slice();
  dispatcher.callBoxedForDispatchKey(op, final, stack);
  return op.numReturns === 0 ? undefined : op.numReturns === 1 ? stack[0] : stack;
}
