// The backend fallbacks a fresh PyTorch dispatcher contains (dispatch-semantics.md §4.6), minus
// the Python-key four, which torch-dispatch registers: fallthroughs for BackendSelect,
// ADInplaceOrView and AutocastCPU; the autograd fallback; the Meta error fallback.

import { DispatchKey } from "../core/dispatch-key.js";
import { AFTER_AUTOGRAD_KEYSET } from "../core/dispatch-key-set.js";
import { NotImplementedError } from "../core/errors.js";
import { type RegistrationHandle, dispatcher } from "./dispatcher.js";
import { FALLTHROUGH_KERNEL, KernelFunction } from "./kernel-function.js";
import type { OperatorHandle } from "./operator-entry.js";

/**
 * The autograd fallback for ops without an autograd kernel: redispatches below autograd without
 * touching TLS, so ops the kernel itself calls still see autograd.
 */
export const autogradFallback = KernelFunction.fromArgs<OperatorHandle>((op, ks, args) => autogradFallbackImpl(op, ks, args));

type ArgsFn = (op: OperatorHandle, ks: number, args: readonly unknown[]) => unknown;
let autogradFallbackImpl: ArgsFn = (op, ks, args) => dispatcher.redispatch(op, ks & AFTER_AUTOGRAD_KEYSET, args);

/**
 * Replaces what the autograd fallback does (the autograd layer installs one that marks outputs
 * of ops without formulas, as PyTorch's "warn" mode does). Returns the previous implementation.
 */
export function setAutogradFallbackImpl(fn: ArgsFn): ArgsFn {
  const prev = autogradFallbackImpl;
  autogradFallbackImpl = fn;
  return prev;
}

/** The Meta fallback: an operator without a Meta kernel cannot run on meta tensors. */
export const metaFallback = KernelFunction.fromArgs<OperatorHandle>((op) => {
  throw new NotImplementedError(
    `${op.qualifiedName}: attempted to run this operator with Meta tensors, but there was no fake impl or Meta kernel registered. ` +
      `You may have run into this message while using an operator with PT2 compilation APIs (torch.compile/torch.export); ` +
      `in order to use this operator with those APIs you'll need to add a fake impl. Please see the following for next steps:  ` +
      `https://pytorch.org/tutorials/advanced/custom_ops_landing_page.html`,
  );
});

/**
 * Registers the standard fallbacks; returns a handle that removes them.
 * @example
 * const h = registerStandardFallbacks(); ...; h.dispose();
 */
export function registerStandardFallbacks(): RegistrationHandle {
  const at = (file: string) => `registered at aten-ts/src/dispatcher/${file}`;
  const handles = [
    dispatcher.registerFallback(DispatchKey.BackendSelect, FALLTHROUGH_KERNEL, at("standard-fallbacks.ts (BackendSelect)")),
    dispatcher.registerFallback(DispatchKey.ADInplaceOrView, FALLTHROUGH_KERNEL, at("standard-fallbacks.ts (ADInplaceOrView)")),
    dispatcher.registerFallback(DispatchKey.AutocastCPU, FALLTHROUGH_KERNEL, at("standard-fallbacks.ts (AutocastCPU)")),
    dispatcher.registerFallback(DispatchKey.AutogradOther, autogradFallback, at("standard-fallbacks.ts (autograd)")),
    dispatcher.registerFallback(DispatchKey.AutogradCPU, autogradFallback, at("standard-fallbacks.ts (autograd)")),
    dispatcher.registerFallback(DispatchKey.AutogradPrivateUse1, autogradFallback, at("standard-fallbacks.ts (autograd)")),
    dispatcher.registerFallback(DispatchKey.AutogradMeta, autogradFallback, at("standard-fallbacks.ts (autograd)")),
    dispatcher.registerFallback(DispatchKey.Meta, metaFallback, at("standard-fallbacks.ts (Meta)")),
  ];
  return { dispose: () => handles.reverse().forEach((h) => h.dispose()) };
}

let standard: RegistrationHandle | null = null;
/** Registers the standard fallbacks once per process (idempotent). */
export function ensureStandardFallbacks(): void {
  standard ??= registerStandardFallbacks();
}
