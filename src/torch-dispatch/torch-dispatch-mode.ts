// TorchDispatchMode: user code that stands in the middle of every operator call (PyTorch's
// __torch_dispatch__ modes). Entering pushes it on the mode stack; its `torchDispatch` receives
// the OpOverload, the subclass types, and the normalized arguments. §7.1-§7.3.

import type { OpOverload } from "../dispatcher/op-overload.js";
import { type InfraModeKey, type StackMode, popMode, pushMode } from "./mode-stack.js";
import { pushPreDispatchMode, popPreDispatchMode } from "./pre-dispatch.js";

/**
 * The value a handler returns to pass the call on to the next handler.
 * @example
 * static torchDispatch(func, types, args, kwargs) { return torch.NotImplemented; }
 */
export const NotImplemented: { readonly toString: () => string } = Object.freeze({ toString: () => "NotImplemented" });

/** A class constructor (the `types` a handler receives are tensor subclasses). */
export type TensorClass = abstract new (...args: never[]) => unknown;

/**
 * A dispatch mode. Subclass it and override `torchDispatch`; the default forwards the call.
 * @example
 * class LogMode extends TorchDispatchMode {
 *   torchDispatch(func, types, args, kwargs) {
 *     console.log(String(func));
 *     return func(...args, kwargs);
 *   }
 * }
 * new LogMode().run(() => x.add(y));
 */
export class TorchDispatchMode implements StackMode {
  /** Infra modes (fake, proxy) set their slot; user modes leave it undefined. */
  readonly modeKey?: InfraModeKey;
  /** "PreDispatch" for modes that run at the PreDispatch key (pre-dispatch tracing, §9). */
  readonly dispatchKey?: "PreDispatch";

  /**
   * Does `torchDispatch` handle higher-order operators too (PyTorch's
   * supports_higher_order_operators)? Then a HigherOrderOperator without a rule for this mode's
   * class is passed to `torchDispatch(hop, [], args, kwargs)` instead of raising.
   */
  supportsHigherOrderOperators = false;

  /** Is this an infra mode (kept below user modes)? */
  static isInfraMode(): boolean {
    return false;
  }

  /**
   * Handles one operator call. `func(...args, kwargs)` runs it further down (this mode is off
   * the stack meanwhile). Return `NotImplemented` to let tensor subclasses handle it.
   */
  torchDispatch(func: OpOverload, types: readonly TensorClass[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    void types;
    return func(...args, { ...kwargs });
  }

  /**
   * Pushes the mode until the returned disposable is disposed (`using _ = mode.enter()`).
   * Disposing pops whatever mode is on top, as PyTorch's `__exit__` does.
   */
  enter(): Disposable & { exit(): void } {
    if (this.dispatchKey === "PreDispatch") pushPreDispatchMode(this);
    else pushMode(this);
    let done = false;
    const exit = () => {
      if (done) return;
      done = true;
      if (this.dispatchKey === "PreDispatch") popPreDispatchMode();
      else popMode(this.modeKey);
    };
    return { exit, [Symbol.dispose]: exit };
  }

  /**
   * Runs fn with the mode entered and returns fn's result (the mode is left also on throw).
   * @example
   * const y = new LogMode().run(() => x.add(x));
   */
  run<T>(fn: () => T): T {
    const h = this.enter();
    try {
      return fn();
    } finally {
      h.exit();
    }
  }

  /** `LogMode()`-like text for error messages. */
  toString(): string {
    return `<${this.constructor.name} object>`;
  }
}
