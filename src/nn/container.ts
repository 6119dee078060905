// Containers, after torch/nn/modules/container.py: Sequential (children named "0", "1", ... or
// by a Map's keys; forward chains them) and ModuleList (an indexable list of registered modules).

import { IndexError } from "../core/errors.js";
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
