// optim.Adam, after torch/optim/adam.py: the single-tensor (foreach=False) update PyTorch runs on
// CPU, op for op: step += 1, (decoupled) weight decay, exp_avg.lerp_(grad, 1 - beta1),
// exp_avg_sq = beta2 * exp_avg_sq + (1 - beta2) grad^2, bias corrections in double, addcdiv_.

import { ValueError } from "../core/errors.js";
import { tensor, zerosLike } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { pyFloat } from "../nn/util.js";
import { Optimizer, type ParamGroup, type Params, maximumInto } from "./optimizer.js";

/** Adam's options (PyTorch's defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8). */
export interface AdamOptions {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** AdamW-style weight decay: p *= 1 - lr * weightDecay instead of adding it to the gradient. */
  decoupledWeightDecay: boolean;
}
/** Adam's per-parameter state (step is a float32 0-dim tensor, as in PyTorch). */
export interface AdamState {
  step: Tensor;
  expAvg: Tensor;
  expAvgSq: Tensor;
  maxExpAvgSq: Tensor | null;
}

/**
 * Adam (optionally AMSGrad, maximize, or decoupled weight decay); the same numbers as
 * PyTorch's Adam.
 * @example
 * const opt = new optim.Adam(net.parameters(), { lr: 0.01 });
 * opt.zeroGrad(); lossFn.call(net.call(x), y).backward(); opt.step();
 */
export class Adam extends Optimizer<AdamOptions, AdamState> {
  constructor(params: Params<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    const o: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false, ...opts };
    if (!(o.lr >= 0)) throw new ValueError(`Invalid learning rate: ${pyFloat(o.lr)}`);
    if (!(o.eps >= 0)) throw new ValueError(`Invalid epsilon value: ${pyFloat(o.eps)}`);
    o.betas.forEach((b, i) => {
      if (!(b >= 0 && b < 1)) throw new ValueError(`Invalid beta parameter at index ${i}: ${pyFloat(b)}`);
    });
    if (!(o.weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${pyFloat(o.weightDecay)}`);
    super(params, o);
  }

  private initState(p: Tensor, amsgrad: boolean): AdamState {
    let s = this.state.get(p);
    if (!s) {
      s = { step: tensor(0.0), expAvg: zerosLike(p), expAvgSq: zerosLike(p), maxExpAvgSq: amsgrad ? zerosLike(p) : null };
      this.state.set(p, s);
    }
    return s;
  }

  protected updateGroup(g: ParamGroup<AdamOptions>): void {
    const [beta1, beta2] = g.betas;
    const withGrad = g.params.filter((p) => p.grad !== null);
    // PyTorch creates every parameter's state first (_init_group), then updates
    const states = withGrad.map((p) => this.initState(p, g.amsgrad));
    withGrad.forEach((p, i) => {
      const s = states[i]!;
      let grad = g.maximize ? p.grad!.neg() : p.grad!;
      s.step.add_(1);
      if (g.weightDecay !== 0) {
        if (g.decoupledWeightDecay) p.mul_(1 - g.lr * g.weightDecay);
        else grad = grad.add(p, { alpha: g.weightDecay });
      }
      s.expAvg.lerp_(grad, 1 - beta1);
      s.expAvgSq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
      const step = s.step.item() as number;
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      const stepSize = g.lr / biasCorrection1;
      const biasCorrection2Sqrt = biasCorrection2 ** 0.5;
      let second = s.expAvgSq;
      if (g.amsgrad) {
        if (s.maxExpAvgSq === null) s.maxExpAvgSq = zerosLike(p);
        maximumInto(s.maxExpAvgSq, s.maxExpAvgSq, s.expAvgSq);
        second = s.maxExpAvgSq;
      }
      const denom = second.sqrt().div(biasCorrection2Sqrt).add_(g.eps);
      p.addcdiv_(s.expAvg, denom, { value: -stepSize });
    });
  }
}
