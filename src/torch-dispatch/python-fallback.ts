// PyTorch's PythonFallbackKernel.cpp: the boxed fallbacks of the four keys that hand operator calls
// to user code. Python: to the top dispatch mode, else to the subclasses' handlers, else (a stale
// Python key) on down without it. PythonTLSSnapshot: records tls_on_entry. PreDispatch: a real hop.
// PythonDispatcher: to the per-key user kernels. See dispatch-semantics.md §6.

import { DispatchKey } from "../core/dispatch-key.js";
import { FULL, functionalityBit, fullAfter, keySetOf, ksRemove } from "../core/dispatch-key-set.js";
import { dispatchContext, withForcedKeys } from "../core/dispatch-context.js";
import { internalAssert } from "../core/errors.js";
import { type RegistrationHandle, dispatcher } from "../dispatcher/dispatcher.js";
import { KernelFunction } from "../dispatcher/kernel-function.js";
import type { OperatorHandle } from "../dispatcher/operator-entry.js";
import { recordFunctionState, runInRecordFunction } from "../dispatcher/record-function.js";
import { Tensor } from "../tensor/tensor.js";
import { hostDispatch } from "./host-dispatch.js";
import { modeStackLength } from "./mode-stack.js";
import { pythonDispatcherHop } from "./python-dispatcher.js";
import { withTLSOnEntry } from "./tls-on-entry.js";
import { installMetadataQueries } from "./metadata-queries.js";

const K = DispatchKey;
const PYTHON_BIT = functionalityBit(K.Python);
/** Every functionality key above Python except PythonDispatcher: excluded while a handler runs. */
export const AFTER_PYTHON_KEYSET = FULL ^ (fullAfter(K.Python) | keySetOf(K.Python));
const BELOW_SNAPSHOT = fullAfter(K.PythonTLSSnapshot);
const BELOW_PREDISPATCH = fullAfter(K.PreDispatch);

function record<T>(name: string, args: readonly unknown[], body: () => T): T {
  if (!recordFunctionState.active) return body();
  return runInRecordFunction("function", name, "", -1, () => args, body);
}

/** Scans the tensor arguments: [any tensor at all, any tensor with the Python key]. */
function scanTensors(op: OperatorHandle, args: readonly unknown[]): [boolean, boolean] {
  let any = false;
  let py = false;
  for (const pos of op.tensorArgPositions) {
    const a = args[pos];
    const visit = (t: unknown) => {
      if (t instanceof Tensor) {
        any = true;
        if (t.keySet & PYTHON_BIT) py = true;
      }
    };
    if (Array.isArray(a)) a.forEach(visit);
    else visit(a);
  }
  return [any, py];
}

/** The Python key's work, with the keys above Python already excluded. */
function pythonKey(op: OperatorHandle, ks: number, args: readonly unknown[]): unknown {
  if (modeStackLength() > 0) {
    return recordFunctionState.active ? record("PythonDispatchMode", args, () => hostDispatch(op, args)) : hostDispatch(op, args);
  }
  return record("PythonSubclass", args, () => {
    const [anyTensor, pyKeyTensor] = scanTensors(op, args);
    if (anyTensor) {
      if (pyKeyTensor) return hostDispatch(op, args);
      // No mode and no Python-key tensor: the Python key is stale (e.g. the key set was computed
      // while a mode was active). Continue without it, and without it in the TLS include set.
      const c = dispatchContext();
      return withForcedKeys({ included: ksRemove(c.included, K.Python), excluded: c.excluded }, () =>
        dispatcher.redispatch(op, ksRemove(ks, K.Python), args),
      );
    }
    internalAssert(false, "Hit Python dispatch key but no arguments had PyInterpreter (no tensor args?)");
  });
}

/** §6.3 (the exclusion guard is inlined: this runs for every call a mode or subclass sees) */
export const pythonFallback = KernelFunction.fromArgs<OperatorHandle>((op, ks, args) => {
  const c = dispatchContext();
  const delta = AFTER_PYTHON_KEYSET & ~c.excluded;
  c.excluded |= delta;
  try {
    return pythonKey(op, ks, args);
  } finally {
    c.excluded &= ~delta;
  }
});

/** §6.2 */
export const pythonTLSSnapshotFallback = KernelFunction.fromArgs<OperatorHandle>((op, ks, args) =>
  withTLSOnEntry(() => dispatcher.redispatch(op, ks & BELOW_SNAPSHOT, args)),
);

/** §6.5: a real kernel (not a fallthrough) so the PythonDispatcher can see PreDispatch as the top key. */
export const preDispatchFallback = KernelFunction.fromArgs<OperatorHandle>((op, ks, args) =>
  dispatcher.redispatch(op, ks & BELOW_PREDISPATCH, args),
);

/** §6.4 */
export const pythonDispatcherFallback = KernelFunction.fromArgs<OperatorHandle>((op, ks, args) =>
  pythonDispatcherHop(op, ksRemove(ks, K.PythonDispatcher), args),
);

/**
 * Registers the four fallbacks; returns a handle that removes them.
 * @example
 * const h = registerPythonFallbacks(); ...; h.dispose();
 */
export function registerPythonFallbacks(): RegistrationHandle {
  const at = "registered at aten-ts/src/torch-dispatch/python-fallback.ts";
  const hs = [
    dispatcher.registerFallback(K.Python, pythonFallback, at),
    dispatcher.registerFallback(K.PythonDispatcher, pythonDispatcherFallback, at),
    dispatcher.registerFallback(K.PythonTLSSnapshot, pythonTLSSnapshotFallback, at),
    dispatcher.registerFallback(K.PreDispatch, preDispatchFallback, at),
  ];
  return { dispose: () => hs.reverse().forEach((h) => h.dispose()) };
}

let registered: RegistrationHandle | null = null;
/** Registers the four fallbacks (and the metadata-query route) once per process. */
export function ensurePythonFallbacks(): void {
  if (registered) return;
  registered = registerPythonFallbacks();
  installMetadataQueries();
}
