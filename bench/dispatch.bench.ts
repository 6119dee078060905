// Dispatcher overhead: a two-argument op with a no-op unboxed kernel (through the Dispatcher and
// through the OpOverload), the same under an exclude guard, and the boxed-fallback path.
import { bench, group } from "mitata";
import { DispatchKey } from "../src/core/dispatch-key.js";
import { DispatchKeySet } from "../src/core/dispatch-key-set.js";
import { withExcludedKeys } from "../src/core/dispatch-context.js";
import { dispatcher } from "../src/dispatcher/dispatcher.js";
import { KernelFunction } from "../src/dispatcher/kernel-function.js";
import { Library, fallthrough } from "../src/dispatcher/library.js";
import { ops } from "../src/dispatcher/op-overload.js";
import type { OperatorHandle } from "../src/dispatcher/operator-entry.js";
import { ensureStandardFallbacks } from "../src/dispatcher/standard-fallbacks.js";

ensureStandardFallbacks();
const K = DispatchKey;
const lib = new Library("bench", "DEF");
lib.define("noop(Tensor a, Tensor b) -> Tensor");
lib.impl("noop", (a: unknown) => a, "CPU");
// Bare dispatch: autograd falls through for this op, so the call goes straight to the CPU kernel.
lib.impl("noop", fallthrough, "Autograd");
lib.define("noop_ag(Tensor a, Tensor b) -> Tensor");
lib.impl("noop_ag", (a: unknown) => a, "CPU");
const agHandle = dispatcher.findOp("bench::noop_ag") as OperatorHandle;
const handle = dispatcher.findOp("bench::noop") as OperatorHandle;
/** A stand-in tensor: the dispatcher only reads `keySet`. */
class T {
  constructor(readonly keySet: number) {}
}
const a = new T(DispatchKeySet.of(K.CPU, K.ADInplaceOrView, K.AutogradCPU, K.AutocastCPU).raw);
const b = new T(a.keySet);
const args = [a, b];
const op = ops.bench!.noop!.default!;
const pu = new T(DispatchKeySet.of(K.PrivateUse1).raw);
const puArgs = [pu, pu];
dispatcher.registerFallback(K.PrivateUse1, KernelFunction.fromBoxed((_op, _ks, stack) => {
  const x = stack[stack.length - 2];
  stack.length -= 2;
  stack.push(x);
}), "registered at bench");
const autograd = DispatchKeySet.of(K.AutogradFunctionality);

/** Names of the three headline figures (read by run.ts). */
export const headline = {
  unboxed: "dispatcher.call: 2-arg op, no-op unboxed kernel",
  guarded: "dispatcher.call under an exclude guard",
  boxed: "dispatcher.call: boxed fallback path",
};

group("dispatch overhead", () => {
  bench(headline.unboxed, () => dispatcher.call(handle, args));
  bench("dispatcher.call: same op through the autograd fallback", () => dispatcher.call(agHandle, args));
  bench("OpOverload call: ops.bench.noop.default(a, b)", () => op(a, b));
  bench(headline.guarded, () => withExcludedKeys(autograd, () => dispatcher.call(handle, args)));
  bench(headline.boxed, () => dispatcher.call(handle, puArgs));
});
