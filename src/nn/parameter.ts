// nn.Parameter: a Tensor subclass marking a module's learnable tensors (PyTorch's Parameter). It
// aliases the data's storage and version counter, is a leaf that requires grad by default, and
// prints as "Parameter containing:". Results of operations on it are plain tensors.

import { RuntimeError } from "../core/errors.js";
import { isFloatingType } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";

/**
 * A learnable tensor of a module: assigning one to a module property registers it.
 * @example
 * this.scale = new nn.Parameter(torch.ones([4]));
 * String(new nn.Parameter(torch.tensor([1, 2.5]))) // "Parameter containing:\ntensor([1.0000, 2.5000], requires_grad=True)"
 */
export class Parameter extends Tensor {
  /** Wraps `data` (shared, not copied; default an empty float32 tensor) as a leaf. */
  constructor(data?: Tensor, requiresGrad = true) {
    const d = data ?? Tensor.empty([0], "float32", "cpu");
    super(d._storage, d._shape.slice(), d._strides.slice(), d._offset, d.dtype, d.device, undefined, d._version);
    if (requiresGrad) {
      if (!isFloatingType(d.dtype)) throw new RuntimeError("Only Tensors of floating point and complex dtype can require gradients");
      this.requiresGrad = true;
    }
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
