// Test helpers for the dispatcher: stand-in tensors (plain objects carrying a key set) and a
// fresh namespace per test, so tests never see each other's operators.
import { DispatchKey } from "../../src/core/dispatch-key.js";
import { DispatchKeySet } from "../../src/core/dispatch-key-set.js";

const K = DispatchKey;

/** A stand-in tensor: only what the dispatcher reads (a class instance, not a kwargs object). */
export class FakeT {
  constructor(
    readonly keySet: number,
    readonly label: string,
  ) {}
}

/** A tensor-like object with the given keys. */
export function tensorWith(label: string, ...keys: number[]): FakeT {
  return new FakeT(DispatchKeySet.of(...keys).raw, label);
}

/** The keys PyTorch gives a CPU tensor. */
export const cpu = (label = "x"): FakeT => tensorWith(label, K.CPU, K.ADInplaceOrView, K.AutogradCPU, K.AutocastCPU);
/** The keys PyTorch gives a meta tensor. */
export const meta = (label = "m"): FakeT => tensorWith(label, K.Meta, K.ADInplaceOrView, K.AutogradMeta);
/** A PrivateUse1 tensor. */
export const pu1 = (label = "p"): FakeT => tensorWith(label, K.PrivateUse1, K.ADInplaceOrView, K.AutogradPrivateUse1);

let counter = 0;
/** A namespace no other test uses. */
export function freshNs(): string {
  return `t${process.pid}_${++counter}`;
}
