// The Optimizer base, after torch/optim/optimizer.py: parameter groups with per-group options,
// per-parameter state, zeroGrad (grads to null by default, as PyTorch 2.x), step() running the
// subclass's update under noGrad (a closure under enableGrad) in a profiler range named as
// PyTorch's ("Optimizer.step#SGD.step"), and state dicts.

import { ValueError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { enableGrad, noGrad } from "../autograd/api.js";
import { callOp } from "../dispatcher/call-op.js";
import { dispatcher } from "../dispatcher/dispatcher.js";
import { recordFunction } from "../dispatcher/record-function.js";
import { Tensor } from "../tensor/tensor.js";
import { typename } from "../nn/util.js";

/** A parameter group: its parameters and its options (the defaults filled in). */
export type ParamGroup<O> = O & { params: Tensor[] };
/** A parameter group as given by the user: parameters plus options overriding the defaults. */
export type ParamGroupInput<O> = Partial<O> & { params: Iterable<Tensor> | Tensor };
/** What an optimizer takes: parameters (`net.parameters()`) or parameter groups. */
export type Params<O> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;
/** An optimizer's state dict: state by parameter index, and the groups with indices for params. */
export interface OptimizerStateDict<O, S> {
  state: Map<number, S>;
  paramGroups: Array<O & { params: number[] }>;
}

/**
 * The base of every optimizer (PyTorch's torch.optim.Optimizer). Subclasses implement
 * `updateGroup`, which step() calls per group with gradient recording off.
 * @example
 * const opt = new optim.SGD(net.parameters(), { lr: 0.1 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export abstract class Optimizer<O extends object, S extends object> {
  /** The options a group gets when it does not set them. */
  readonly defaults: Readonly<O>;
  /** The parameter groups, each with its full options. */
  readonly paramGroups: Array<ParamGroup<O>> = [];
  /** Per-parameter state (momentum buffers, moments...), created lazily by step(). */
  readonly state = new Map<Tensor, S>();

  constructor(params: Params<O>, defaults: O) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typename(params)}`);
    }
    const groups = [...params] as Array<Tensor | ParamGroupInput<O>>;
    if (groups.length === 0) throw new ValueError("optimizer got an empty parameter list");
    const list = groups[0] instanceof Tensor ? [{ params: groups as Tensor[] } as unknown as ParamGroupInput<O>] : (groups as Array<ParamGroupInput<O>>);
    for (const g of list) this.addParamGroup(g);
  }

  /**
   * Adds a group of parameters with its own options (fine-tuning, per-layer learning rates).
   * @example
   * opt.addParamGroup({ params: head.parameters(), lr: 0.01 })
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (group === null || typeof group !== "object" || group instanceof Tensor) throw new TypeError(`param_group must be a dict, but got ${typename(group)}`);
    const raw = group.params;
    if (raw instanceof Set) {
      throw new TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.");
    }
    const params: unknown[] = raw instanceof Tensor ? [raw] : [...raw];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${typename(p)}`);
      if (!(this.defaults as { differentiable?: boolean }).differentiable && !(p.isLeaf || p._retainsGrad)) throw new ValueError("can't optimize a non-leaf Tensor");
    }
    const full = { ...this.defaults, ...group, params: params as Tensor[] } as ParamGroup<O>;
    if (new Set(params).size !== params.length) {
      warn("optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information");
    }
    const existing = new Set(this.paramGroups.flatMap((g) => g.params));
    if (full.params.some((p) => existing.has(p))) throw new ValueError("some parameters appear in more than one parameter group");
    this.paramGroups.push(full);
  }

  /**
   * Resets the gradients of every optimized parameter: to null (default) or to zeros.
   * @example
   * opt.zeroGrad(); net.parameters()[0].grad // null
   */
  zeroGrad(setToNone = true): void {
    recordFunction(`Optimizer.zero_grad#${this.constructor.name}.zero_grad`, () => this.resetGrads(setToNone));
  }

  private resetGrads(setToNone: boolean): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        const grad = p.grad;
        if (grad === null) continue;
        if (setToNone) {
          p.grad = null;
          continue;
        }
        const z = grad.gradFn !== null ? grad.detach() : grad;
        z.requiresGrad = false;
        noGrad(() => z.zero_());
        p.grad = z;
      }
    }
  }

  /**
   * One optimization step over every parameter that has a gradient. A closure (which should
   * zero the grads, compute the loss and call backward) is run first with grad enabled; its loss
   * is returned.
   * @example
   * opt.step();
   * const loss = opt.step(() => { opt.zeroGrad(); const l = lossFn.call(net.call(x), y); l.backward(); return l; });
   */
  step(closure?: () => Tensor): Tensor | null {
    return recordFunction(`Optimizer.step#${this.constructor.name}.step`, () => {
      const loss = closure ? enableGrad(closure) : null;
      noGrad(() => {
        for (const g of this.paramGroups) this.updateGroup(g);
      });
      return loss;
    });
  }

  /** Updates the parameters of one group (called under noGrad). */
  protected abstract updateGroup(group: ParamGroup<O>): void;

  /**
   * The state by parameter index (in group order) and the groups' options (PyTorch's
   * state_dict; tensors are shared, not copied).
   * @example
   * const saved = opt.stateDict(); other.loadStateDict(saved);
   */
  stateDict(): OptimizerStateDict<O, S> {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const ids = g.params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p)!;
      });
      return { ...g, params: ids };
    });
    const state = new Map<number, S>();
    for (const [p, s] of this.state) if (index.has(p)) state.set(index.get(p)!, s);
    return { state, paramGroups };
  }

  /**
   * Restores options and state saved by stateDict() (state tensors are cloned).
   * @example
   * opt.loadStateDict(saved)
   */
  loadStateDict(sd: OptimizerStateDict<O, S>): void {
    if (sd.paramGroups.length !== this.paramGroups.length) throw new ValueError("loaded state dict has a different number of parameter groups");
    if (sd.paramGroups.some((g, i) => g.params.length !== this.paramGroups[i]!.params.length)) {
      throw new ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    }
    const byId = new Map<number, Tensor>();
    sd.paramGroups.forEach((g, i) => g.params.forEach((id, j) => byId.set(id, this.paramGroups[i]!.params[j]!)));
    this.state.clear();
    for (const [id, s] of sd.state) {
      const p = byId.get(id);
      if (!p) continue;
      const copy = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? noGrad(() => v.clone()) : v])) as S;
      this.state.set(p, copy);
    }
    sd.paramGroups.forEach((g, i) => {
      const params = this.paramGroups[i]!.params;
      this.paramGroups[i] = { ...g, params } as ParamGroup<O>;
    });
  }
}

const hasOp = (name: string): boolean => dispatcher.findOp(name)?.schema != null;

/** `out = maximum(a, b)` into `out` (`aten::maximum.out`; while that is missing, copy_ of maximum). */
export function maximumInto(out: Tensor, a: Tensor, b: Tensor): Tensor {
  if (hasOp("aten::maximum.out")) return callOp("aten::maximum.out", [a, b, out]) as Tensor;
  return out.copy_(a.maximum(b));
}
