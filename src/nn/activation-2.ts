// Activation layers after torch/nn/modules/activation.py: LeakyReLU, ELU, CELU, SELU, Softplus,
// Hardtanh, ReLU6, Hardsigmoid, Hardswish, Mish, LogSigmoid, GLU, Softshrink, Hardshrink,
// Threshold. Each forward calls nn.functional; the reprs are PyTorch's
// ("LeakyReLU(negative_slope=0.01)", "Hardtanh(min_val=-1.0, max_val=1.0, inplace=True)").

import type { Tensor } from "../tensor/tensor.js";
import * as F from "./functional-activation.js";
import { Module } from "./module.js";
import { pyFloat } from "./util.js";

const inplaceSuffix = (inplace: boolean) => (inplace ? ", inplace=True" : "");
const inplaceOnly = (inplace: boolean) => (inplace ? "inplace=True" : "");

/**
 * max(0, x) + negativeSlope * min(0, x).
 * @example
 * new nn.LeakyReLU(0.2).call(x)
 */
export class LeakyReLU extends Module {
  readonly inplace: boolean;
  constructor(
    readonly negativeSlope = 0.01,
    opts: F.InplaceOptions = {},
  ) {
    super();
    this.inplace = opts.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${inplaceSuffix(this.inplace)}`;
  }
}

/**
 * ELU with scale alpha on the negative side.
 * @example
 * new nn.ELU(0.5).call(x)
 */
export class ELU extends Module {
  readonly inplace: boolean;
  constructor(
    readonly alpha = 1.0,
    opts: F.InplaceOptions = {},
  ) {
    super();
    this.inplace = opts.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${inplaceSuffix(this.inplace)}`;
  }
}

/**
 * CELU: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)).
 * @example
 * new nn.CELU(0.5).call(x)
 */
export class CELU extends Module {
  readonly inplace: boolean;
  constructor(
    readonly alpha = 1.0,
    opts: F.InplaceOptions = {},
  ) {
    super();
    this.inplace = opts.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.celu(input, this.alpha, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${inplaceSuffix(this.inplace)}`;
  }
}

/**
 * SELU (self-normalizing ELU).
 * @example
 * new nn.SELU().call(x)
 */
export class SELU extends Module {
  readonly inplace: boolean;
  constructor(opts: F.InplaceOptions = {}) {
    super();
    this.inplace = opts.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.selu(input, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return inplaceOnly(this.inplace);
  }
}

/**
 * Softplus: log(1 + exp(beta * x)) / beta, linear above threshold.
 * @example
 * new nn.Softplus(2, 10).call(x)
 */
export class Softplus extends Module {
  constructor(
    readonly beta = 1.0,
    readonly threshold = 20.0,
  ) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.softplus(input, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${pyFloat(this.beta)}, threshold=${pyFloat(this.threshold)}`;
  }
}

/**
 * Clamps to [minVal, maxVal].
 * @example
 * new nn.Hardtanh(-2, 2).call(x)
 */
export class Hardtanh extends Module {
  readonly inplace: boolean;
  constructor(
    readonly minVal = -1.0,
    readonly maxVal = 1.0,
    opts: F.InplaceOptions = {},
  ) {
    super();
    this.inplace = opts.inplace ?? false;
    if (!(this.maxVal > this.minVal)) throw new AssertionErrorLike();
  }
  override forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.minVal, this.maxVal, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}${inplaceSuffix(this.inplace)}`;
  }
}

/** Python's bare `assert` failing (Hardtanh's max_val > min_val). */
class AssertionErrorLike extends Error {
  constructor() {
    super("");
    this.name = "AssertionError";
  }
}

/**
 * min(max(0, x), 6): a Hardtanh on [0, 6].
 * @example
 * new nn.ReLU6().call(x)
 */
export class ReLU6 extends Hardtanh {
  constructor(opts: F.InplaceOptions = {}) {
    super(0.0, 6.0, opts);
  }
  override forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.minVal, this.maxVal, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return inplaceOnly(this.inplace);
  }
}

/**
 * relu6(x + 3) / 6.
 * @example
 * new nn.Hardsigmoid().call(x)
 */
export class Hardsigmoid extends Module {
  readonly inplace: boolean;
  constructor(opts: F.InplaceOptions = {}) {
    super();
    this.inplace = opts.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.hardsigmoid(input, { inplace: this.inplace });
  }
}

/**
 * x * relu6(x + 3) / 6.
 * @example
 * new nn.Hardswish().call(x)
 */
export class Hardswish extends Module {
  readonly inplace: boolean;
  constructor(opts: F.InplaceOptions = {}) {
    super();
    this.inplace = opts.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.hardswish(input, { inplace: this.inplace });
  }
}

/**
 * x * tanh(softplus(x)).
 * @example
 * new nn.Mish().call(x)
 */
export class Mish extends Module {
  readonly inplace: boolean;
  constructor(opts: F.InplaceOptions = {}) {
    super();
    this.inplace = opts.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.mish(input, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return inplaceOnly(this.inplace);
  }
}

/**
 * log(sigmoid(x)).
 * @example
 * new nn.LogSigmoid().call(x)
 */
export class LogSigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.logsigmoid(input);
  }
}

/**
 * Gated linear unit along `dim`.
 * @example
 * new nn.GLU().call(torch.randn([4, 6])) // [4, 3]
 */
export class GLU extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.glu(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Soft shrinkage by lambd.
 * @example
 * new nn.Softshrink(0.5).call(x)
 */
export class Softshrink extends Module {
  constructor(readonly lambd = 0.5) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.softshrink(input, this.lambd);
  }
  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/**
 * Hard shrinkage by lambd.
 * @example
 * new nn.Hardshrink(0.5).call(x)
 */
export class Hardshrink extends Module {
  constructor(readonly lambd = 0.5) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.hardshrink(input, this.lambd);
  }
  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/**
 * x where x > threshold, else value.
 * @example
 * new nn.Threshold(0.1, 20).call(x)
 */
export class Threshold extends Module {
  readonly inplace: boolean;
  constructor(
    readonly threshold: number,
    readonly value: number,
    opts: F.InplaceOptions = {},
  ) {
    super();
    this.inplace = opts.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.threshold(input, this.threshold, this.value, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return `threshold=${pyFloat(this.threshold)}, value=${pyFloat(this.value)}${inplaceSuffix(this.inplace)}`;
  }
}
