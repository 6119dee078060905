// The seed layer: PyTorch's PythonFallbackKernel.cpp and the user-level layer it serves
// (__torch_dispatch__ modes, tensor subclasses, the PythonDispatcher, pre-dispatch).

import { DispatchKey } from "../core/dispatch-key.js";
import { keySetOf } from "../core/dispatch-key-set.js";
import { withExcludedRaw } from "../core/dispatch-context.js";

export * from "./mode-stack.js";
export * from "./torch-dispatch-mode.js";
export * from "./host-dispatch.js";
export * from "./python-fallback.js";
export * from "./python-dispatcher.js";
export * from "./pre-dispatch.js";
export * from "./tls-on-entry.js";
export * from "./higher-order.js";

const NO_DISPATCH = keySetOf(DispatchKey.Python) | keySetOf(DispatchKey.PreDispatch) | keySetOf(DispatchKey.PythonTLSSnapshot);

/**
 * Runs fn with dispatch to modes and subclasses disabled (PyTorch's `no_dispatch()` /
 * DisableTorchDispatch): ops go straight to the backend kernels.
 * @example
 * noDispatch(() => x.add(x)) // no mode sees it
 */
export function noDispatch<T>(fn: () => T): T {
  return withExcludedRaw(NO_DISPATCH, fn);
}
