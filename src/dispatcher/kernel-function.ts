// KernelFunction: what sits in a dispatch-table slot. A kernel comes unboxed (a plain function
// of the operator's arguments, optionally preceded by the dispatch key set) and/or boxed (works on
// a stack of values, as fallbacks do). Calling one form when only the other exists goes through
// an adapter; we box only when a boxed kernel is the one that runs. §5.2.

import type { RawKeySet } from "../core/dispatch-key-set.js";
import { internalAssert } from "../core/errors.js";

/** The dispatcher-level view of an operator that kernels receive (see OperatorHandle). */
export interface OperatorLike {
  /** Number of schema arguments a boxed kernel pops. */
  readonly numArguments: number;
  /** Number of schema returns a boxed kernel pushes. */
  readonly numReturns: number;
}

/**
 * A boxed kernel: pops the operator's arguments off the end of `stack` (schema order, defaults
 * filled in) and pushes its results.
 */
export type BoxedKernel<Op extends OperatorLike = OperatorLike> = (op: Op, keySet: RawKeySet, stack: unknown[]) => void;

/**
 * A kernel that takes the whole argument list as one array, with the operator and key set: the
 * cheap form for fallbacks that forward a call (no stack, no copy).
 */
export type ArgsKernel<Op extends OperatorLike = OperatorLike> = (op: Op, keySet: RawKeySet, args: readonly unknown[]) => unknown;

/** An unboxed kernel, as stored: arguments in schema order (after the key set when `withKeyset`). */
export type UnboxedKernel = (...args: never[]) => unknown;
type AnyFn = (...args: unknown[]) => unknown;

/** What kind of table entry this is (what dumps and validity checks look at). */
export type KernelKind = "kernel" | "fallthrough" | "missing" | "ambiguous";

/**
 * A kernel in either or both calling conventions.
 * @example
 * KernelFunction.fromUnboxed((x) => x, { withKeyset: false })
 */
export class KernelFunction {
  private constructor(
    readonly kind: KernelKind,
    readonly unboxed: AnyFn | null,
    readonly withKeyset: boolean,
    readonly boxed: BoxedKernel | null,
    readonly args: ArgsKernel | null = null,
  ) {}

  /** A kernel written as a plain function of the operator's arguments. */
  static fromUnboxed(fn: UnboxedKernel, opts: { withKeyset?: boolean } = {}): KernelFunction {
    return new KernelFunction("kernel", fn as AnyFn, opts.withKeyset ?? false, null);
  }

  /** A kernel written against the stack (as every fallback is). */
  static fromBoxed<Op extends OperatorLike>(fn: BoxedKernel<Op>): KernelFunction {
    return new KernelFunction("kernel", null, false, fn as BoxedKernel);
  }

  /** A kernel over the argument array (see {@link ArgsKernel}); it serves boxed calls too. */
  static fromArgs<Op extends OperatorLike>(fn: ArgsKernel<Op>): KernelFunction {
    return new KernelFunction("kernel", null, false, null, fn as ArgsKernel);
  }

  /** A kernel with both forms (they must agree). */
  static fromBoth<Op extends OperatorLike>(unboxed: UnboxedKernel, withKeyset: boolean, boxed: BoxedKernel<Op>): KernelFunction {
    return new KernelFunction("kernel", unboxed as AnyFn, withKeyset, boxed as BoxedKernel);
  }

  /** A special entry (missing, fallthrough, ambiguous) that raises when called. */
  static special(kind: Exclude<KernelKind, "kernel">, onCall: BoxedKernel): KernelFunction {
    return new KernelFunction(kind, null, false, onCall);
  }

  /** Does this entry hold something callable (fallthroughs count: they are skipped, not missing)? */
  get isValid(): boolean {
    return this.kind !== "missing";
  }
  get isFallthrough(): boolean {
    return this.kind === "fallthrough";
  }
  /** The `[ boxed unboxed fallthrough ]` flags of PyTorch's state dump. */
  flags(): string {
    const f: string[] = [];
    if (this.kind === "fallthrough") f.push("fallthrough");
    if (this.boxed || this.unboxed || this.args) f.push("boxed");
    if (this.unboxed) f.push("unboxed");
    return f.join(" ");
  }
}

/** Calls a kernel with arguments in schema order; boxes only when the kernel is boxed-only. */
export function invokeUnboxed(k: KernelFunction, op: OperatorLike, ks: RawKeySet, args: readonly unknown[]): unknown {
  if (k.args !== null) return k.args(op, ks, args);
  const f = k.unboxed;
  if (f !== null) {
    if (k.withKeyset) {
      switch (args.length) {
        case 0:
          return f(ks);
        case 1:
          return f(ks, args[0]);
        case 2:
          return f(ks, args[0], args[1]);
        case 3:
          return f(ks, args[0], args[1], args[2]);
        default:
          return f(ks, ...args);
      }
    }
    switch (args.length) {
      case 0:
        return f();
      case 1:
        return f(args[0]);
      case 2:
        return f(args[0], args[1]);
      case 3:
        return f(args[0], args[1], args[2]);
      default:
        return f(...args);
    }
  }
  const stack = args.slice();
  k.boxed!(op, ks, stack);
  return unboxReturns(op, stack, 0);
}

/** Calls a kernel on a stack: pops the arguments and pushes the results. */
export function invokeBoxed(k: KernelFunction, op: OperatorLike, ks: RawKeySet, stack: unknown[]): void {
  if (k.boxed !== null) {
    k.boxed(op, ks, stack);
    return;
  }
  if (k.args !== null) {
    const args = stack.splice(stack.length - op.numArguments, op.numArguments);
    pushReturns(op, stack, k.args(op, ks, args));
    return;
  }
  const args = stack.splice(stack.length - op.numArguments, op.numArguments);
  pushReturns(op, stack, invokeUnboxed(k, op, ks, args));
}

/**
 * Pushes an unboxed result onto a stack: nothing for `-> ()`, the value for one return, the
 * elements of the array for several.
 */
export function pushReturns(op: OperatorLike, stack: unknown[], result: unknown): void {
  if (op.numReturns === 0) return;
  if (op.numReturns === 1) {
    stack.push(result);
    return;
  }
  if (!Array.isArray(result) || result.length !== op.numReturns) {
    throw new TypeError(`kernel returned ${describe(result)}, expected an array of ${op.numReturns} results`);
  }
  for (const r of result) stack.push(r);
}

/** Takes the results off a stack from `base`: undefined, the value, or an array of the values. */
export function unboxReturns(op: OperatorLike, stack: unknown[], base: number): unknown {
  if (op.numReturns === 0) {
    stack.length = base;
    return undefined;
  }
  if (op.numReturns === 1) {
    const r = stack[base];
    stack.length = base;
    return r;
  }
  const out = stack.slice(base, base + op.numReturns);
  stack.length = base;
  return out;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return v === null ? "null" : typeof v;
}

/**
 * The fallthrough entry: the dispatcher skips its key. Reaching it directly (a redispatch whose
 * highest key falls through) is an internal error, as in PyTorch.
 */
export const FALLTHROUGH_KERNEL = KernelFunction.special("fallthrough", () =>
  internalAssert(
    false,
    "fallthrough_kernel was executed but it should have been short-circuited by the dispatcher. This could occur if you registered a fallthrough kernel as a override for a specific operator (as opposed to globally via a fallback) and then invoked that operator directly via redispatch.",
  ),
);
