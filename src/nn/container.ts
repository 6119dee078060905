// Containers, after torch/nn/modules/container.py: Sequential (children named "0", "1", ... or
// by a Map's keys; forward chains them) and ModuleList (an indexable list of registered modules).

import { IndexError } from "../core/errors.js";
import { keyError } from "./util.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/** What Sequential and ModuleList share: positional access, length, append and iteration over the children. */
abstract class ModuleSequence extends Module {
  /** The child at a position (negative counts from the end). */
  at(idx: number): Module {
    const n = this._modules.size;
    if (!(idx >= -n && idx < n)) throw new IndexError(`index ${idx} is out of range`);
    return [...this._modules.values()][idx < 0 ? idx + n : idx] as Module;
  }
  /** The number of children. */
  get length(): number {
    return this._modules.size;
  }
  /** Adds a module at the end (named by its position); returns this. */
  append(module: Module): this {
    this.addModule(String(this._modules.size), module);
    return this;
  }
  [Symbol.iterator](): Iterator<Module> {
    return ([...this._modules.values()].filter((m) => m !== null) as Module[])[Symbol.iterator]();
  }
}

/**
 * Runs its modules in order, each on the previous one's output.
 * @example
 * const net = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
 * net.call(x);                  // x: [N, 784] -> [N, 10]
 * net.namedParameters()[0][0]   // "0.weight"
 */
export class Sequential extends ModuleSequence {
  /** `new Sequential(a, b, c)`, or `new Sequential(new Map([["fc", a], ["act", b]]))` for named children. */
  constructor(...modules: Module[] | [ReadonlyMap<string, Module>]) {
    super();
    const [first] = modules;
    if (modules.length === 1 && first instanceof Map) {
      for (const [name, m] of first as ReadonlyMap<string, Module>) this.addModule(name, m);
    } else {
      (modules as Module[]).forEach((m, i) => this.addModule(String(i), m));
    }
  }

  override forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of this._modules.values()) if (m) x = m._call([x]);
    return x as Tensor;
  }
}

/**
 * A list of modules registered as children "0", "1", ... (no forward of its own).
 * @example
 * const layers = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 2)]);
 * for (const l of layers) x = l.call(x);
 */
export class ModuleList extends ModuleSequence {
  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }
}

/**
 * Modules by name, registered as children under their keys (PyTorch's ModuleDict); iterating
 * gives the keys in insertion order.
 * @example
 * const heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), box: new nn.Linear(8, 4) });
 * heads.get("cls").call(x);
 */
export class ModuleDict extends Module {
  constructor(modules: Readonly<Record<string, Module>> | ReadonlyMap<string, Module> = {}) {
    super();
    this.update(modules);
  }
  /** The module under `key` (PyTorch's `md[key]`). */
  get(key: string): Module {
    const m = this._modules.get(key);
    if (m === undefined || m === null) throw keyError(`'${key}'`);
    return m;
  }
  /** Registers `module` under `key` (PyTorch's `md[key] = module`). */
  set(key: string, module: Module): this {
    this.addModule(key, module);
    return this;
  }
  /** Is there a module under `key`? */
  has(key: string): boolean {
    return this._modules.has(key);
  }
  /** Removes and returns the module under `key` (PyTorch's pop). */
  pop(key: string): Module {
    const m = this.get(key);
    this._modules.delete(key);
    return m;
  }
  /** Removes every module. */
  clear(): void {
    this._modules.clear();
  }
  /** Adds (or replaces) the modules of a record or map. */
  update(modules: Readonly<Record<string, Module>> | ReadonlyMap<string, Module>): void {
    const entries = modules instanceof Map ? [...modules.entries()] : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }
  /** The keys, in insertion order. */
  keys(): string[] {
    return [...this._modules.keys()];
  }
  /** The modules, in insertion order. */
  values(): Module[] {
    return [...this._modules.values()].filter((m): m is Module => m !== null);
  }
  /** [key, module] pairs, in insertion order. */
  items(): Array<[string, Module]> {
    return [...this._modules.entries()].filter((e): e is [string, Module] => e[1] !== null);
  }
  /** The number of modules. */
  get length(): number {
    return this._modules.size;
  }
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
}
