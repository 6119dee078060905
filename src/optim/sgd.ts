// optim.SGD, after torch/optim/sgd.py: the single-tensor (foreach=False) update PyTorch runs on
// CPU, op for op: weight decay, a momentum buffer (cloned from the first gradient, then
// buf = momentum * buf + (1 - dampening) * grad), Nesterov, maximize, then p -= lr * update.

import { ValueError } from "../core/errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { pyFloat } from "../nn/util.js";
import { Optimizer, type ParamGroup, type Params } from "./optimizer.js";

/** SGD's options (PyTorch's defaults: lr 1e-3, everything else off). */
export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}
/** SGD's per-parameter state. */
export interface SGDState {
  momentumBuffer: Tensor | null;
}

/**
 * Stochastic gradient descent, optionally with momentum, Nesterov momentum and weight decay;
 * the same numbers as PyTorch's SGD.
 * @example
 * const opt = new optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); lossFn.call(net.call(x), y).backward(); opt.step();
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: Params<SGDOptions>, opts: Partial<SGDOptions> = {}) {
    const o: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...opts };
    if (o.lr < 0) throw new ValueError(`Invalid learning rate: ${pyFloat(o.lr)}`);
    if (o.momentum < 0) throw new ValueError(`Invalid momentum value: ${pyFloat(o.momentum)}`);
    if (o.weightDecay < 0) throw new ValueError(`Invalid weight_decay value: ${pyFloat(o.weightDecay)}`);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) throw new ValueError("Nesterov momentum requires a momentum and zero dampening");
    super(params, o);
  }

  protected updateGroup(g: ParamGroup<SGDOptions>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      let grad = g.maximize ? p.grad.neg() : p.grad;
      if (g.weightDecay !== 0) grad = grad.add(p, { alpha: g.weightDecay });
      if (g.momentum !== 0) {
        const state = this.state.get(p);
        let buf = state?.momentumBuffer ?? null;
        if (buf === null) buf = grad.detach().clone();
        else buf.mul_(g.momentum).add_(grad, { alpha: 1 - g.dampening });
        this.state.set(p, { momentumBuffer: buf });
        grad = g.nesterov ? grad.add(buf, { alpha: g.momentum }) : buf;
      }
      p.add_(grad, { alpha: -g.lr });
    }
  }
}
