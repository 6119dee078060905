// Tensor methods and torch.* functions of the activations that PyTorch exposes outside
// nn.functional: x.logit() / torch.logit, x.hardshrink() / torch.hardshrink, torch.selu, torch.celu,
// torch.threshold (and their in-place forms), torch.klDiv. Each builds the operator's full
// argument list and calls it through the dispatcher.

import { callOp } from "../../dispatcher/call-op.js";
import { Tensor } from "../tensor.js";

declare module "../tensor.js" {
  interface Tensor {
    /** log(x / (1 - x)), x clamped to [eps, 1 - eps] when eps is given (`aten::logit`). */
    logit(eps?: number | null): Tensor;
    /** In-place logit (`aten::logit_`). */
    logit_(eps?: number | null): Tensor;
    /** x outside [-lambd, lambd], 0 inside (`aten::hardshrink`). */
    hardshrink(lambd?: number): Tensor;
  }
}

const run = (name: string, ...args: unknown[]): Tensor => callOp(name, args) as Tensor;
const P = Tensor.prototype;
P.logit = function (this: Tensor, eps?: number | null) {
  return logit(this, eps);
};
P.logit_ = function (this: Tensor, eps?: number | null) {
  return logit_(this, eps);
};
P.hardshrink = function (this: Tensor, lambd?: number) {
  return hardshrink(this, lambd);
};

/**
 * `torch.logit`: log(x / (1 - x)); with eps, x is clamped to [eps, 1 - eps] first.
 * @example
 * torch.logit(torch.tensor([0.25, 0.5])) // tensor([-1.0986, 0.])
 */
export function logit(input: Tensor, eps: number | null = null): Tensor {
  return run("aten::logit", input, eps);
}

/**
 * `torch.logit_`: logit in place.
 * @example
 * torch.logit_(p, 1e-6)
 */
export function logit_(input: Tensor, eps: number | null = null): Tensor {
  return run("aten::logit_", input, eps);
}

/**
 * `torch.hardshrink`: x outside [-lambd, lambd], 0 inside.
 * @example
 * torch.hardshrink(torch.tensor([-1, 0.2, 1]), 0.5) // tensor([-1., 0., 1.])
 */
export function hardshrink(input: Tensor, lambd = 0.5): Tensor {
  return run("aten::hardshrink", input, lambd);
}

/**
 * `torch.selu`: SELU (elu with PyTorch's alpha and scale).
 * @example
 * torch.selu(torch.tensor([-1, 1]))
 */
export function selu(input: Tensor): Tensor {
  return run("aten::selu", input);
}

/**
 * `torch.selu_`: SELU in place.
 * @example
 * torch.selu_(x)
 */
export function selu_(input: Tensor): Tensor {
  return run("aten::selu_", input);
}

/**
 * `torch.celu`: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)).
 * @example
 * torch.celu(x, 0.5)
 */
export function celu(input: Tensor, alpha = 1.0): Tensor {
  return run("aten::celu", input, alpha);
}

/**
 * `torch.celu_`: CELU in place.
 * @example
 * torch.celu_(x, 0.5)
 */
export function celu_(input: Tensor, alpha = 1.0): Tensor {
  return run("aten::celu_", input, alpha);
}

/**
 * `torch.threshold`: x where x > threshold, else value.
 * @example
 * torch.threshold(torch.tensor([0.1, 2]), 1, 0) // tensor([0., 2.])
 */
export function threshold(input: Tensor, thresholdValue: number, value: number): Tensor {
  return run("aten::threshold", input, thresholdValue, value);
}

/**
 * `torch.threshold_`: threshold in place.
 * @example
 * torch.threshold_(x, 1, 0)
 */
export function threshold_(input: Tensor, thresholdValue: number, value: number): Tensor {
  return run("aten::threshold_", input, thresholdValue, value);
}

/** Options of klDiv. */
export interface KlDivOpOptions {
  /** 0 none, 1 mean (default), 2 sum. */
  reduction?: number;
  logTarget?: boolean;
}

/**
 * `torch.kl_div`: the KL divergence of log-probabilities `input` from `target` (`aten::kl_div`;
 * reduction as an enum: 0 none, 1 mean, 2 sum).
 * @example
 * torch.klDiv(logp, p, { reduction: 2 })
 */
export function klDiv(input: Tensor, target: Tensor, opts: KlDivOpOptions = {}): Tensor {
  return run("aten::kl_div", input, target, opts.reduction ?? 1, opts.logTarget ?? false);
}
