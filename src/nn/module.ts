// nn.Module, after PyTorch's torch/nn/modules/module.py: parameters, buffers and child modules
// registered by name (assigning a Parameter or Module to a property registers it, as __setattr__
// does), recursive traversal with dotted names, train/eval, state dicts with PyTorch's error texts.

import { NotImplementedError, RuntimeError } from "../core/errors.js";
import { noGrad } from "../autograd/api.js";
import { Tensor } from "../tensor/tensor.js";
import { Parameter } from "./parameter.js";
import { type IncompatibleKeys, type StateDict, loadLocalState, loadStateDict } from "./state-dict.js";
import { keyError, typename } from "./util.js";

export type { IncompatibleKeys, StateDict };

/** A forward pre-hook: may return replacement arguments. */
export type ForwardPreHook = (module: Module, args: unknown[]) => unknown[] | void;
/** A forward hook: may return a replacement output. */
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;
/** The arguments of a forward: its parameters, or any for the base class's untyped forward. */
export type ForwardArgs<F> = F extends (...a: infer A) => unknown ? (never[] extends A ? (A extends never[] ? unknown[] : A) : A) : unknown[];
/** What register*Hook returns. */
export interface RemovableHandle {
  remove(): void;
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** PyTorch's _addindent: indents every line after the first. */
function addIndent(s: string, n: number): string {
  const lines = s.split("\n");
  if (lines.length === 1) return s;
  const pad = " ".repeat(n);
  return [lines[0], ...lines.slice(1).map((l) => (l.trim() ? pad + l : ""))].join("\n");
}

/** Registers a Parameter / Module assigned to a property (PyTorch's __setattr__); plain values pass. */
function assign(target: Module, name: string, value: unknown): void {
  const m = target as unknown as ModuleInternals;
  if (value instanceof Parameter) {
    m._buffers.delete(name);
    m._modules.delete(name);
    m._nonPersistent.delete(name);
    m._parameters.set(name, value);
  } else if (m._parameters.has(name)) {
    if (value !== null) throw new TypeError(`cannot assign '${typename(value)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
    m._parameters.set(name, null);
  } else if (value instanceof Module) {
    m._parameters.delete(name);
    m._buffers.delete(name);
    m._nonPersistent.delete(name);
    m._modules.set(name, value);
  } else if (m._modules.has(name)) {
    if (value !== null) throw new TypeError(`cannot assign '${typename(value)}' as child module '${name}' (torch.nn.Module or None expected)`);
    m._modules.set(name, null);
  } else if (m._buffers.has(name)) {
    if (value !== null && !(value instanceof Tensor)) throw new TypeError(`cannot assign '${typename(value)}' as buffer '${name}' (torch.nn.Buffer, torch.Tensor or None expected)`);
    m._buffers.set(name, value as Tensor | null);
  }
}

interface ModuleInternals {
  _parameters: Map<string, Parameter | null>;
  _buffers: Map<string, Tensor | null>;
  _nonPersistent: Set<string>;
  _modules: Map<string, Module | null>;
}

const TRAPS: ProxyHandler<Module> = {
  set(target, key, value) {
    if (typeof key === "string") assign(target, key, value);
    return Reflect.set(target, key, value);
  },
  defineProperty(target, key, desc) {
    if (typeof key === "string" && "value" in desc) assign(target, key, desc.value);
    return Reflect.defineProperty(target, key, desc);
  },
  deleteProperty(target, key) {
    if (typeof key === "string") {
      const m = target as unknown as ModuleInternals;
      m._parameters.delete(key);
      m._buffers.delete(key);
      m._nonPersistent.delete(key);
      m._modules.delete(key);
    }
    return Reflect.deleteProperty(target, key);
  },
};

/**
 * The base class of every layer (PyTorch's nn.Module). Subclasses assign Parameters and child
 * Modules to properties (registered in assignment order) and define `forward`; call a module
 * with `module.call(x)` (runs hooks) or `module.forward(x)`.
 * @example
 * class Net extends nn.Module {
 *   fc1 = new nn.Linear(4, 8);
 *   fc2 = new nn.Linear(8, 2);
 *   override forward(x: Tensor): Tensor { return this.fc2.call(this.fc1.call(x).relu()); }
 * }
 * new Net().namedParameters().map(([n]) => n) // ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
 */
export class Module {
  /** Training mode (true) or evaluation mode (false); set with train() / eval(). */
  training = true;
  /** @internal */ readonly _parameters = new Map<string, Parameter | null>();
  /** @internal */ readonly _buffers = new Map<string, Tensor | null>();
  /** @internal */ readonly _nonPersistent = new Set<string>();
  /** @internal */ readonly _modules = new Map<string, Module | null>();
  /** @internal */ readonly _raw: Module;
  /** @internal */ _preHooks: ForwardPreHook[] = [];
  /** @internal */ _hooks: ForwardHook[] = [];

  constructor() {
    this._raw = this;
    return new Proxy(this, TRAPS);
  }

  /** The computation of the module; subclasses override it. */
  forward(..._args: never[]): unknown {
    throw new NotImplementedError(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  /**
   * Runs the forward pre-hooks, forward, then the forward hooks (PyTorch's `module(x)`).
   * @example
   * const y = net.call(x);
   */
  call<M extends Module>(this: M, ...args: ForwardArgs<M["forward"]>): ReturnType<M["forward"]> {
    return this._call(args) as ReturnType<M["forward"]>;
  }

  /** @internal call() with untyped arguments (containers call their children with it). */
  _call(args: unknown[]): unknown {
    const forward = this.forward as (...a: unknown[]) => unknown;
    if (this._preHooks.length === 0 && this._hooks.length === 0) return forward.apply(this, args);
    let a = args;
    for (const h of this._preHooks) a = h(this, a) ?? a;
    let out = forward.apply(this, a);
    for (const h of this._hooks) {
      const r = h(this, a, out);
      if (r !== undefined) out = r;
    }
    return out;
  }

  /** Registers a hook run before forward (it may return replacement arguments). */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    this._preHooks.push(hook);
    return { remove: () => void this._preHooks.splice(this._preHooks.indexOf(hook) >>> 0, 1) };
  }
  /** Registers a hook run after forward (it may return a replacement output). */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    this._hooks.push(hook);
    return { remove: () => void this._hooks.splice(this._hooks.indexOf(hook) >>> 0, 1) };
  }

  private checkName(kind: string, name: string, registered: boolean): void {
    if (name.includes(".")) throw keyError(kind === "module" ? `module name can't contain ".", got: ${name}` : `${kind} name can't contain "."`);
    if (name === "") throw keyError(`${kind} name can't be empty string ""`);
    const existing = (this._raw as unknown as Record<string, unknown>)[name];
    if (!registered && name in this._raw && existing !== undefined) throw keyError(`attribute '${name}' already exists`);
  }

  private define(name: string, value: unknown): void {
    Reflect.defineProperty(this._raw, name, { value, writable: true, enumerable: true, configurable: true });
  }

  /**
   * Registers a parameter (or null: a declared, absent one, like Linear's bias=False).
   * @example
   * m.registerParameter("bias", null)
   */
  registerParameter(name: string, param: Parameter | null): void {
    this.checkName("parameter", name, this._parameters.has(name));
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign '${typename(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    if (param?.gradFn) {
      throw new RuntimeError(`Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`);
    }
    this._parameters.set(name, param);
    this.define(name, param);
  }

  /**
   * Registers a buffer: state saved in the state dict (if persistent) but not trained.
   * @example
   * m.registerBuffer("runningMean", torch.zeros([4]))
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    this.checkName("buffer", name, this._buffers.has(name));
    if (tensor !== null && !(tensor instanceof Tensor)) throw new TypeError(`cannot assign '${typename(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    this._buffers.set(name, tensor);
    if (persistent) this._nonPersistent.delete(name);
    else this._nonPersistent.add(name);
    this.define(name, tensor);
  }

  /**
   * Registers a child module under `name` (Sequential names its children "0", "1", ...).
   * @example
   * m.addModule("head", new nn.Linear(8, 2))
   */
  addModule(name: string, module: Module | null): void {
    if (module !== null && !(module instanceof Module)) throw new TypeError(`${typename(module)} is not a Module subclass`);
    this.checkName("module", name, this._modules.has(name));
    this._modules.set(name, module);
    this.define(name, module);
  }
  /** Alias of addModule. */
  registerModule(name: string, module: Module | null): void {
    this.addModule(name, module);
  }

  /** The submodule at a dotted path ("" is this module). */
  getSubmodule(target: string): Module {
    if (target === "") return this;
    return target.split(".").reduce<Module>((mod, item) => {
      const next = mod._modules.get(item);
      if (!next) throw new Error(`${mod.constructor.name} has no attribute \`${item}\``);
      return next;
    }, this);
  }

  /** (name, module) pairs of this module and all below it, depth first, with dotted names. */
  namedModules(prefix = "", removeDuplicate = true, memo = new Set<Module>()): Array<[string, Module]> {
    if (memo.has(this)) return [];
    if (removeDuplicate) memo.add(this);
    const out: Array<[string, Module]> = [[prefix, this]];
    for (const [name, m] of this._modules) {
      if (m) out.push(...m.namedModules(prefix ? `${prefix}.${name}` : name, removeDuplicate, memo));
    }
    return out;
  }
  /** This module and all below it. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }
  /** (name, child) pairs of the direct children. */
  namedChildren(): Array<[string, Module]> {
    const seen = new Set<Module>();
    const out: Array<[string, Module]> = [];
    for (const [name, m] of this._modules) {
      if (m && !seen.has(m)) {
        seen.add(m);
        out.push([name, m]);
      }
    }
    return out;
  }
  /** The direct children. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  private namedMembers<T extends Tensor>(get: (m: Module) => Iterable<[string, T | null]>, prefix: string, recurse: boolean, removeDuplicate: boolean): Array<[string, T]> {
    const memo = new Set<T>();
    const out: Array<[string, T]> = [];
    const mods: Array<[string, Module]> = recurse ? this.namedModules(prefix, removeDuplicate) : [[prefix, this]];
    for (const [modPrefix, m] of mods) {
      for (const [k, v] of get(m)) {
        if (v === null || memo.has(v)) continue;
        if (removeDuplicate) memo.add(v);
        out.push([modPrefix ? `${modPrefix}.${k}` : k, v]);
      }
    }
    return out;
  }

  /**
   * (dotted name, parameter) pairs in registration order, PyTorch's names ("0.weight").
   * @example
   * net.namedParameters().map(([n]) => n) // ["0.weight", "0.bias", "2.weight", "2.bias"]
   */
  namedParameters(prefix = "", recurse = true, removeDuplicate = true): Array<[string, Parameter]> {
    return this.namedMembers((m) => m._parameters, prefix, recurse, removeDuplicate);
  }
  /** The parameters (what an optimizer takes), in registration order. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters("", recurse).map(([, p]) => p);
  }
  /** (dotted name, buffer) pairs. */
  namedBuffers(prefix = "", recurse = true, removeDuplicate = true): Array<[string, Tensor]> {
    return this.namedMembers((m) => m._buffers, prefix, recurse, removeDuplicate);
  }
  /** The buffers. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers("", recurse).map(([, b]) => b);
  }

  /** Sets training mode on this module and all below it; returns this. */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new Error("training mode is expected to be boolean");
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }
  /** Evaluation mode (`train(false)`): dropout off, batch norm uses running stats. */
  eval(): this {
    return this.train(false);
  }
  /** Sets requiresGrad on every parameter; returns this. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * Resets the parameters' gradients: to null (default, as PyTorch 2.x) or to zeros.
   * @example
   * net.zeroGrad(); net.parameters()[0].grad // null
   */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      const g = p.grad;
      if (g === null) continue;
      if (setToNone) {
        p.grad = null;
      } else {
        const z = g.gradFn !== null ? g.detach() : g;
        z.requiresGrad = false;
        noGrad(() => z.zero_());
        p.grad = z;
      }
    }
  }

  /** Calls fn on every submodule (children first) and then this one; returns this. */
  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Parameters and persistent buffers by dotted name, detached (PyTorch's state_dict()).
   * @example
   * [...net.stateDict().keys()] // ["0.weight", "0.bias", "2.weight", "2.bias"]
   */
  stateDict(opts: { prefix?: string; keepVars?: boolean } = {}, into = new Map<string, Tensor>()): Map<string, Tensor> {
    const prefix = opts.prefix ?? "";
    const keep = (t: Tensor) => (opts.keepVars ? t : t.detach());
    for (const [name, p] of this._parameters) if (p) into.set(prefix + name, keep(p));
    for (const [name, b] of this._buffers) if (b && !this._nonPersistent.has(name)) into.set(prefix + name, keep(b));
    for (const [name, m] of this._modules) if (m) m.stateDict({ prefix: `${prefix}${name}.`, keepVars: opts.keepVars }, into);
    return into;
  }

  /** @internal One module's part of loadStateDict (PyTorch's _load_from_state_dict); subclasses may extend it. */
  _loadFromStateDict(sd: Map<string, unknown>, prefix: string, assign: boolean, keys: IncompatibleKeys, errors: string[]): void {
    loadLocalState(this, sd, prefix, assign, keys, errors);
  }

  /**
   * Copies tensors from a state dict into the parameters and buffers (in place, or replacing
   * them with `assign`). Strict (default): missing or unexpected keys throw PyTorch's
   * RuntimeError text; otherwise they are returned.
   * @example
   * net.loadStateDict(saved);
   * net.loadStateDict(partial, { strict: false }) // { missingKeys: [...], unexpectedKeys: [...] }
   */
  loadStateDict(stateDict: StateDict, opts: { strict?: boolean; assign?: boolean } = {}): IncompatibleKeys {
    return loadStateDict(this, stateDict, opts.strict ?? true, opts.assign ?? false);
  }

  /** The extra text of this module's repr (Linear: "in_features=8, out_features=16, bias=True"). */
  extraRepr(): string {
    return "";
  }

  /**
   * PyTorch's repr: the class name, extraRepr and the children indented.
   * @example
   * String(net) // "Sequential(\n  (0): Linear(in_features=8, out_features=16, bias=True)\n ..."
   */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split("\n") : [];
    const childLines = [...this._modules].map(([k, m]) => `(${k}): ${addIndent(m === null ? "None" : m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let s = `${this.constructor.name}(`;
    if (lines.length > 0) s += extraLines.length === 1 && childLines.length === 0 ? extraLines[0] : `\n  ${lines.join("\n  ")}\n`;
    return `${s})`;
  }
  [INSPECT](): string {
    return this.toString();
  }
}
