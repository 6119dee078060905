// The pre-dispatch mode stack (§9): modes with `dispatchKey = "PreDispatch"` run at the
// PreDispatch key (above autograd and CompositeImplicitAutograd decompositions) when the
// PythonDispatcher is enabled. The first push adds PreDispatch to the TLS include set; the last
// pop removes it.

import { DispatchKey } from "../core/dispatch-key.js";
import { keySetOf } from "../core/dispatch-key-set.js";
import { dispatchContext } from "../core/dispatch-context.js";
import { RuntimeError } from "../core/errors.js";
import type { StackMode } from "./mode-stack.js";

const PRE = keySetOf(DispatchKey.PreDispatch);

/** Pushes a pre-dispatch mode. */
export function pushPreDispatchMode(mode: StackMode): void {
  const c = dispatchContext();
  c.preDispatchModeStack.push(mode);
  if (c.preDispatchModeStack.length === 1) c.included |= PRE;
}

/** Pops the top pre-dispatch mode. */
export function popPreDispatchMode(): StackMode {
  const c = dispatchContext();
  const m = c.preDispatchModeStack.pop() as StackMode | undefined;
  if (m === undefined) throw new RuntimeError("trying to pop from empty pre-dispatch mode stack");
  if (c.preDispatchModeStack.length === 0) c.included &= ~PRE;
  return m;
}

/** The current pre-dispatch mode, or null. */
export function currentPreDispatchMode(): StackMode | null {
  const s = dispatchContext().preDispatchModeStack;
  return s.length > 0 ? (s[s.length - 1] as StackMode) : null;
}

/** The pre-dispatch modes, bottom first. */
export function preDispatchModeStack(): StackMode[] {
  return dispatchContext().preDispatchModeStack.slice() as StackMode[];
}
