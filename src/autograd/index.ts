// Autograd through the dispatcher: formulas at the Autograd key, the graph and engine, the user
// API, and the Tensor methods (backward, requiresGrad_, retainGrad, registerHook).

import type { RegistrationHandle } from "../dispatcher/dispatcher.js";
import { setAutogradFallbackImpl } from "../dispatcher/standard-fallbacks.js";
import { Tensor } from "../tensor/tensor.js";
import { type BackwardOpts, Function, FunctionCtx, backward, grad, registerHook, requiresGrad_, retainGrad } from "./api.js";
import { DERIVATIVES } from "./derivatives.js";
import { registerDerivatives, warningAutogradFallback } from "./formula.js";
import { registerInplaceOrViewKernels } from "./inplace-or-view.js";
import "./view-history.js";

export * from "./api.js";
export { Node, AccumulateGrad, SavedTensor, type Edge } from "./node.js";
export { runBackward, sumTo, withGradMode } from "./engine.js";
export { DERIVATIVES } from "./derivatives.js";
export { type Derivative, registerDerivatives, autogradKernel } from "./formula.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Computes gradients of this tensor (a scalar unless `gradient` is given) into the leaves' `.grad`. */
    backward(gradient?: Tensor, opts?: BackwardOpts): void;
    /** Makes a leaf require grad (in place); returns it. */
    requiresGrad_(on?: boolean): this;
    /** Keeps `.grad` on a non-leaf during backward. */
    retainGrad(): void;
    /** Registers a hook on this tensor's gradient (it may return a replacement). */
    registerHook(hook: (grad: Tensor) => Tensor | void): { remove(): void };
  }
}

const P = Tensor.prototype;
P.backward = function (this: Tensor, gradient?: Tensor, opts?: BackwardOpts) {
  backward(this, gradient, opts);
};
P.requiresGrad_ = function <T extends Tensor>(this: T, on = true): T {
  return requiresGrad_(this, on) as T;
};
P.retainGrad = function (this: Tensor) {
  retainGrad(this);
};
P.registerHook = function (this: Tensor, hook: (grad: Tensor) => Tensor | void) {
  return registerHook(this, hook);
};

/**
 * PyTorch's torch.autograd namespace.
 * @example
 * const [g] = torch.autograd.grad([y], [x])
 */
export const autograd = { grad, backward, Function, FunctionCtx };

let registered: RegistrationHandle | null = null;
/** Registers the autograd kernels and the warning autograd fallback (once per process). */
export function ensureAutograd(): void {
  if (registered) return;
  const formulas = registerDerivatives(DERIVATIVES);
  const views = registerInplaceOrViewKernels();
  registered = { dispose: () => (formulas.dispose(), views.dispose()) };
  setAutogradFallbackImpl(warningAutogradFallback);
}
