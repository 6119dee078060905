// Parameter-free layers, after torch/nn/modules/activation.py, dropout.py and flatten.py: ReLU,
// Sigmoid, Tanh, GELU, Softmax, LogSoftmax, Dropout, Flatten. Each forward calls nn.functional,
// and the reprs are PyTorch's ("ReLU()", "Dropout(p=0.5, inplace=False)").

import { ValueError } from "../core/errors.js";
import type { Tensor } from "../tensor/tensor.js";
import * as F from "./functional.js";
import { Module } from "./module.js";

const py = (b: boolean) => (b ? "True" : "False");

/**
 * max(x, 0) elementwise.
 * @example
 * new nn.ReLU().call(torch.tensor([-1, 2])) // tensor([0., 2.])
 */
export class ReLU extends Module {
  readonly inplace: boolean;
  constructor(opts: { inplace?: boolean } = {}) {
    super();
    this.inplace = opts.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.relu(input, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

/**
 * The logistic sigmoid, elementwise.
 * @example
 * new nn.Sigmoid().call(x)
 */
export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

/**
 * tanh, elementwise.
 * @example
 * new nn.Tanh().call(x)
 */
export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

/**
 * GELU, exact (erf) or with the tanh approximation.
 * @example
 * new nn.GELU({ approximate: "tanh" }).call(x)
 */
export class GELU extends Module {
  readonly approximate: "none" | "tanh";
  constructor(opts: F.GeluOptions = {}) {
    super();
    this.approximate = opts.approximate ?? "none";
  }
  override forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/**
 * Softmax along `dim`.
 * @example
 * new nn.Softmax(-1).call(logits)
 */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Log-softmax along `dim`.
 * @example
 * new nn.LogSoftmax(1).call(logits)
 */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Zeroes elements with probability p (scaling the rest by 1/(1-p)) in training mode; the
 * identity in eval mode.
 * @example
 * const drop = new nn.Dropout(0.25); drop.eval(); drop.call(x) === x // true
 */
export class Dropout extends Module {
  readonly p: number;
  readonly inplace: boolean;
  constructor(p = 0.5, opts: { inplace?: boolean } = {}) {
    super();
    if (p < 0 || p > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = opts.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.dropout(input, { p: this.p, training: this.training, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=${py(this.inplace)}`;
  }
}

/**
 * Flattens dims startDim..endDim (default 1..-1: everything but the batch dim).
 * @example
 * new nn.Flatten().call(torch.zeros([2, 3, 4])).shape // [2, 12]
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
