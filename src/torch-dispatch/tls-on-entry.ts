// tls_on_entry (§6.1): the TLS as it was when control first entered the dispatcher from user
// code. Set by the outermost PythonTLSSnapshot hop and cleared when it returns; used by
// `enableReentrantDispatch` to go back to that state from inside a handler.

import { dispatchContext, withForcedKeys } from "../core/dispatch-context.js";
import { RuntimeError } from "../core/errors.js";

/**
 * Runs fn with tls_on_entry set to the current TLS if it is not set yet (only the outermost
 * entry records it), clearing it afterwards only if this call set it.
 */
export function withTLSOnEntry<T>(fn: () => T): T {
  const c = dispatchContext();
  if (c.tlsOnEntry !== null) return fn();
  c.tlsOnEntry = { included: c.included, excluded: c.excluded };
  try {
    return fn();
  } finally {
    c.tlsOnEntry = null;
  }
}

/** The snapshot, or null outside any dispatcher entry. */
export function tlsOnEntry(): { included: number; excluded: number } | null {
  return dispatchContext().tlsOnEntry;
}

/**
 * PyTorch's `enable_reentrant_dispatch()`: from inside a handler, runs fn with the TLS forced to
 * the state on entry (so autograd and the other keys above Python run again).
 * @throws RuntimeError "Accessing torch dispatch state outside of '__torch_dispatch__' is not allowed."
 * @example
 * static torchDispatch(func, types, args, kwargs) { return torch.enableReentrantDispatch(() => func(...args, kwargs)); }
 */
export function enableReentrantDispatch<T>(fn: () => T): T {
  const c = dispatchContext();
  const saved = c.tlsOnEntry;
  if (saved === null) throw new RuntimeError("Accessing torch dispatch state outside of '__torch_dispatch__' is not allowed.");
  c.tlsOnEntry = null;
  try {
    return withForcedKeys(saved, fn);
  } finally {
    c.tlsOnEntry = saved;
  }
}
