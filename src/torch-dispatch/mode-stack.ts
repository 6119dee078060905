// The dispatch-mode stack (PyTorch's TorchDispatchModeTLS): user modes in push order above
// optional infra slots (FAKE < PROXY < FUNCTIONAL). Pushing the first mode adds Python and
// PythonTLSSnapshot to the TLS include set; emptying the stack removes them. §7.1.

import { DispatchKey } from "../core/dispatch-key.js";
import { PYTHON_KS, ksHas } from "../core/dispatch-key-set.js";
import { dispatchContext } from "../core/dispatch-context.js";
import { RuntimeError } from "../core/errors.js";

/** Infra mode slots, lowest first. */
export type InfraModeKey = "FAKE" | "PROXY" | "FUNCTIONAL";
const INFRA_KEYS: readonly InfraModeKey[] = ["FAKE", "PROXY", "FUNCTIONAL"];
const INFRA_NAMES: Record<InfraModeKey, string> = { FAKE: "FakeTensorMode", PROXY: "ProxyTorchDispatchMode", FUNCTIONAL: "UNKNOWN_MODE" };

/** What the stack holds: any object with an optional infra slot key. */
export interface StackMode {
  /** Set for infra modes (FakeTensorMode: "FAKE"). */
  readonly modeKey?: InfraModeKey;
}

function ctx() {
  return dispatchContext();
}

function setPythonKeys(on: boolean): void {
  const c = ctx();
  c.included = on ? c.included | PYTHON_KS : c.included & ~PYTHON_KS;
}

/** Number of modes (user and infra) on the stack. */
export function modeStackLength(): number {
  const c = ctx();
  return c.modeStack.length + c.infraModes.size;
}

/**
 * The logical stack, bottom first: infra slots in key order, then user modes.
 * @example
 * torch.dispatchModeStack() // [] outside any mode
 */
export function dispatchModeStack(): StackMode[] {
  const c = ctx();
  const out: StackMode[] = [];
  for (const k of INFRA_KEYS) {
    const m = c.infraModes.get(k);
    if (m !== undefined) out.push(m as StackMode);
  }
  return out.concat(c.modeStack as StackMode[]);
}

/**
 * The top mode, or null.
 * @example
 * new LogMode().run(() => torch.getCurrentDispatchMode()) // the LogMode
 */
export function getCurrentDispatchMode(): StackMode | null {
  const c = ctx();
  if (c.modeStack.length > 0) return c.modeStack[c.modeStack.length - 1] as StackMode;
  for (let i = INFRA_KEYS.length - 1; i >= 0; i--) {
    const m = c.infraModes.get(INFRA_KEYS[i]!);
    if (m !== undefined) return m as StackMode;
  }
  return null;
}

/** Is a mode active and Python not excluded? */
export function dispatchModeEnabled(): boolean {
  return !ksHas(ctx().excluded, DispatchKey.Python) && modeStackLength() > 0;
}

/** Pushes a mode (into its infra slot when it has a `modeKey`). */
export function pushMode(mode: StackMode): void {
  const c = ctx();
  const wasEmpty = modeStackLength() === 0;
  if (mode.modeKey !== undefined) {
    if (c.infraModes.has(mode.modeKey)) {
      throw new RuntimeError(`trying to set the current ${INFRA_NAMES[mode.modeKey]}, but one already exists`);
    }
    c.infraModes.set(mode.modeKey, mode);
  } else {
    c.modeStack.push(mode);
  }
  if (wasEmpty) setPythonKeys(true);
}

/**
 * Pops the top user mode, else the highest infra mode; with `key`, clears that infra slot.
 * @throws RuntimeError "trying to pop from empty mode stack"
 */
export function popMode(key?: InfraModeKey): StackMode {
  const c = ctx();
  let mode: StackMode | undefined;
  if (key !== undefined) {
    mode = c.infraModes.get(key) as StackMode | undefined;
    if (mode === undefined) throw new RuntimeError(`Attempted to unset ${INFRA_NAMES[key]}, but there wasn't one active.`);
    c.infraModes.delete(key);
  } else if (c.modeStack.length > 0) {
    mode = c.modeStack.pop() as StackMode;
  } else {
    for (let i = INFRA_KEYS.length - 1; i >= 0 && mode === undefined; i--) {
      const k = INFRA_KEYS[i]!;
      mode = c.infraModes.get(k) as StackMode | undefined;
      if (mode !== undefined) c.infraModes.delete(k);
    }
    if (mode === undefined) throw new RuntimeError("trying to pop from empty mode stack");
  }
  if (modeStackLength() === 0) setPythonKeys(false);
  return mode;
}

/**
 * Runs fn with the top mode popped, pushing it back afterwards (also on throw).
 * @example
 * withModePopped((mode) => op(x)) // op is not seen by the top mode
 */
export function withModePopped<T>(fn: (mode: StackMode | null) => T): T {
  if (modeStackLength() === 0) return fn(null);
  const mode = popMode();
  try {
    return fn(mode);
  } finally {
    pushMode(mode);
  }
}

/**
 * Runs fn with every mode removed, restoring them (in order) afterwards.
 * @example
 * torch.withModesDisabled(() => x.add(x)) // no mode sees it
 */
export function withModesDisabled<T>(fn: () => T): T {
  const c = ctx();
  const user = c.modeStack.splice(0);
  const infra = new Map(c.infraModes);
  const preDispatch = c.preDispatchModeStack.splice(0);
  c.infraModes.clear();
  const hadKeys = user.length + infra.size > 0;
  if (hadKeys) setPythonKeys(false);
  try {
    return fn();
  } finally {
    c.modeStack.push(...user);
    for (const [k, m] of infra) c.infraModes.set(k, m);
    c.preDispatchModeStack.push(...preDispatch);
    if (hadKeys) setPythonKeys(true);
  }
}
