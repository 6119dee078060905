// Higher-order operators (§7.7, PyTorch's torch._ops.HigherOrderOperator): host-only operators
// (they take functions, nested containers...) with no schema and no dispatcher entry. A call
// computes the key set from every tensor in its arguments (nested arrays and objects included),
// picks the highest key the operator does not fall through, and runs the host kernel registered
// with `pyImpl` for the key it resolves to. At the Python key the current mode decides (a rule
// for its class, or its own handler when it declares `supportsHigherOrderOperators`), then the
// tensor subclasses' rules.

import { DispatchKey, dispatchKeyName, isAliasDispatchKey, parseDispatchKey, toFunctionalityKey } from "../core/dispatch-key.js";
import { FULL, type RawKeySet, highestPriorityKey, keySetOf, ksHas, ksMinus } from "../core/dispatch-key-set.js";
import { dispatchContext } from "../core/dispatch-context.js";
import { AssertionError, NotImplementedError, RuntimeError } from "../core/errors.js";
import { registerHigherOrderOp } from "../dispatcher/op-overload.js";
import { Tensor, disabledTorchDispatch } from "../tensor/tensor.js";
import { getCurrentDispatchMode, withModePopped } from "./mode-stack.js";
import { currentPreDispatchMode, popPreDispatchMode, pushPreDispatchMode } from "./pre-dispatch.js";
import { resolveKeyWith } from "./python-dispatcher.js";
import { NotImplemented, type TorchDispatchMode } from "./torch-dispatch-mode.js";

const K = DispatchKey;
/** Keys a higher-order operator falls through unless it registers a kernel there (PyTorch's defaults). */
const DEFAULT_FALLTHROUGH: readonly DispatchKey[] = [K.PythonDispatcher, K.PythonTLSSnapshot, K.ADInplaceOrView, K.BackendSelect, K.AutocastCPU];

type Kernel = (...args: never[]) => unknown;
/** A class a rule can be registered for: a mode class or a tensor subclass. */
type RuleClass = abstract new (...args: never[]) => unknown;

/** Every tensor in a (nested) argument structure: arrays and plain objects are walked. */
function flatTensors(v: unknown, out: Tensor[]): void {
  if (v instanceof Tensor) out.push(v);
  else if (Array.isArray(v)) for (const x of v) flatTensors(x, out);
  else if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) flatTensors(x, out);
}

function isKwargs(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}

function className(c: unknown): string {
  return typeof c === "function" ? c.name : String(c);
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- instances are callable: the constructor returns a function
export interface HigherOrderOperator {
  /** Calls the operator: positional arguments, then optionally one trailing object of keyword arguments. */
  (...args: unknown[]): unknown;
}

/**
 * A host-level operator dispatched by key like an aten op, but with host kernels only
 * (PyTorch's HigherOrderOperator). Subclass it (or instantiate it) with a name; the instance is
 * callable and is `torch.ops.higher_order.<name>`.
 * @example
 * const twice = new torch.HigherOrderOperator("twice");
 * twice.pyImpl("Autograd", (x) => torch.withBelowAutograd(() => twice(x)));
 * twice.pyImpl("CompositeExplicitAutograd", (x) => x.mul(2));
 * twice(torch.ones([2])); // tensor([2., 2.])
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class HigherOrderOperator {
  /** The operator's name (`torch.ops.higher_order.<name>`). */
  declare readonly name: string;
  /** Always `"higher_order"`. */
  declare readonly namespace: string;
  /** Host kernels by dispatch key (runtime or alias keys). */
  declare readonly pyKernels: Map<DispatchKey, Kernel>;
  /** Rules by mode class or tensor subclass, consulted at the Python key. */
  declare readonly pythonKeyTable: Map<RuleClass, Kernel>;
  /** Keys this operator dispatches on (everything but its fallthrough keys). */
  declare nonFallthroughKeys: RawKeySet;

  constructor(name: string) {
    const self = ((...args: unknown[]) => self.invoke(args)) as unknown as HigherOrderOperator;
    Object.setPrototypeOf(self, new.target.prototype);
    Object.defineProperty(self, "name", { value: name, enumerable: true });
    Object.defineProperty(self, "namespace", { value: "higher_order", enumerable: true });
    Object.defineProperty(self, "pyKernels", { value: new Map() });
    Object.defineProperty(self, "pythonKeyTable", { value: new Map() });
    let mask = FULL;
    for (const k of DEFAULT_FALLTHROUGH) mask = ksMinus(mask, keySetOf(k));
    self.nonFallthroughKeys = mask;
    registerHigherOrderOp(name, self);
    return self;
  }

  /**
   * Registers a host kernel for a dispatch key (a name like `"Autograd"` or a DispatchKey), or a
   * rule for a mode class (called as `rule(mode, ...args)` with the mode popped) or a tensor
   * subclass (called as `rule(...args)`). Returns the kernel.
   */
  pyImpl<F extends Kernel>(key: DispatchKey | string | RuleClass, fn: F): F {
    if (typeof key === "function") {
      if (this.pythonKeyTable.has(key)) throw new AssertionError(`<class '${className(key)}'> already registered in python_key_table`);
      this.pythonKeyTable.set(key, fn);
      return fn;
    }
    const k = typeof key === "string" ? parseDispatchKey(key) : key;
    if (this.pyKernels.has(k)) throw new RuntimeError(`Trying to override a python impl for DispatchKey.${dispatchKeyName(k)} on operator ${this.name}`);
    if (!isAliasDispatchKey(k) && !ksHas(this.nonFallthroughKeys, k)) this.nonFallthroughKeys |= keySetOf(k);
    this.pyKernels.set(k, fn);
    return fn;
  }

  /** Makes the operator skip a key (PyTorch's HigherOrderOperator.fallthrough). */
  fallthrough(key: DispatchKey | string): void {
    const k = typeof key === "string" ? parseDispatchKey(key) : key;
    // DispatchKeySet.remove: only the functionality bit goes (AutogradCPU keeps CPU's backend bit)
    this.nonFallthroughKeys = ksMinus(this.nonFallthroughKeys, keySetOf(k));
  }

  /** Runs the kernel for a dispatch key, as a redispatch from a kernel would. */
  dispatch(key: DispatchKey, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>> = {}): unknown {
    if (key === K.Python) return this.dispatchPython(args, kwargs);
    if (toFunctionalityKey(key) === K.PreDispatch) {
      const mode = currentPreDispatchMode() as TorchDispatchMode | null;
      if (mode !== null && !ksHas(dispatchContext().excluded, K.Python)) {
        const rule = this.pythonKeyTable.get(mode.constructor as RuleClass);
        if (!rule) throw new AssertionError(`Current active mode ${String(mode)} not registered`);
        popPreDispatchMode();
        try {
          return this.callKernel(rule, [mode, ...args], kwargs);
        } finally {
          pushPreDispatchMode(mode);
        }
      }
    }
    const final = resolveKeyWith(
      (k) => this.pyKernels.has(k as DispatchKey),
      (ks) => [...this.pyKernels.keys()].some((k) => !isAliasDispatchKey(k) && k !== K.Undefined && ksHas(ks, k)),
      key,
    );
    const kernel = final === null ? undefined : this.pyKernels.get(final);
    if (kernel === undefined) {
      throw new NotImplementedError(
        `could not find kernel for HigherOrderOperator ${this.name} at dispatch key DispatchKey.${dispatchKeyName(final ?? key)} (resolved from DispatchKey.${dispatchKeyName(key)})`,
      );
    }
    return this.callKernel(kernel, args, kwargs);
  }

  toString(): string {
    return this.name;
  }

  private invoke(all: readonly unknown[]): unknown {
    const last = all[all.length - 1];
    const [args, kwargs] = isKwargs(last) ? [all.slice(0, -1), last] : [all, {}];
    const tensors: Tensor[] = [];
    flatTensors(args, tensors);
    flatTensors(kwargs, tensors);
    const c = dispatchContext();
    let ks = c.included;
    for (const t of tensors) ks |= t.keySet;
    ks &= ~c.excluded & this.nonFallthroughKeys;
    return this.dispatch(highestPriorityKey(ks), args, kwargs);
  }

  private callKernel(kernel: Kernel, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    const call = kernel as (...a: unknown[]) => unknown;
    return Object.keys(kwargs).length > 0 ? call(...args, kwargs) : call(...args);
  }

  /** The Python key: the current mode first, then the tensor subclasses among the arguments. */
  private dispatchPython(args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    const overloaded: Tensor[] = [];
    const pythonKey = keySetOf(K.Python);
    for (const a of [...args, ...Object.values(kwargs)]) {
      if (a instanceof Tensor && a.keySet & pythonKey) overloaded.push(a);
      else if (Array.isArray(a)) for (const t of a) if (t instanceof Tensor && t.keySet & pythonKey) overloaded.push(t);
    }
    const mode = getCurrentDispatchMode() as TorchDispatchMode | null;
    if (mode !== null) {
      const rule = this.pythonKeyTable.get(mode.constructor as RuleClass);
      let result: unknown;
      if (rule) {
        result = withModePopped((m) => this.callKernel(rule, [m, ...args], kwargs));
      } else if (mode.supportsHigherOrderOperators) {
        return withModePopped(() => mode.torchDispatch(this as never, [], args, kwargs));
      } else {
        const m = String(mode);
        throw new NotImplementedError(
          `There was no rule registered for HigherOrderOperator ${this.name} and mode ${m}.Hint: set ${m}'s supports_higher_order_operators to True.` +
            ` This causes all higher order operators to pass through ${m}'s __torch_dispatch__, so handle them accordingly by adding support for` +
            ` HigerOrderOperators (in this case, ${this.name}) in ${m}.__torch_dispatch__ or returning NotImplemented when not supported.`,
        );
      }
      if (result !== NotImplemented) return result;
    }
    for (const t of overloaded) {
      const cls = t.constructor as typeof Tensor;
      if (cls.torchDispatch === disabledTorchDispatch) continue;
      const rule = this.pythonKeyTable.get(cls as unknown as RuleClass);
      if (!rule) throw new NotImplementedError(`There was no rule registered for HOP ${this.name} and subclass <class '${cls.name}'>. We recommend filing an issue.`);
      const result = this.callKernel(rule, args, kwargs);
      if (result !== NotImplemented) return result;
    }
    const m = mode === null ? "None" : String(mode);
    throw new TypeError(
      `HigherOrderOperator '${this.name}' is not supported for the given input types. This typically happens when using custom tensor types or dispatch modes that don't have implementations for this operation.\n\n` +
        `Current mode: ${m}\nInput types: [${overloaded.map((t) => `'${t.constructor.name}'`).join(", ")}]\n\n` +
        `To fix this, can add support for '${this.name}' in ${m}'s __torch_dispatch__\n`,
    );
  }
}
