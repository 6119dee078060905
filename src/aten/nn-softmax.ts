// Softmax operators: the structured kernels `_softmax` / `_log_softmax` (shape rule + CPU loop)
// and the CompositeImplicitAutograd `softmax.int` / `log_softmax.int`, which convert to `dtype`
// first (`_to_copy`) as PyTorch's SoftMax.cpp does.

import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { softmaxInto } from "../backends/cpu/nn-softmax-kernels.js";
import type { DType } from "../tensor/dtype.js";
import { wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { dispatchError, isFloat, type Opt } from "./nn-util.js";

/** The shape rule of `_softmax` / `_log_softmax`: same sizes and dtype, contiguous. */
function softmaxRule(self: Tensor, dim: number, halfToFloat: boolean): TensorSpec {
  wrapDim(dim, self._shape.length);
  if (halfToFloat) throw new RuntimeError("softmax with half to float conversion is not supported on CPU");
  return { shape: self._shape, dtype: self.dtype };
}

/** The CPU body: PyTorch views a 0-dim input as size [1] and picks the last-dim kernel then. */
function softmaxCpu(log: boolean) {
  return (out: Tensor, self: Tensor, dim: number): void => {
    if (self.numel() === 0) return;
    const nd = self._shape.length;
    const d = wrapDim(dim, nd);
    if (!isFloat(self.dtype)) {
      const last = nd === 0 || d === nd - 1;
      const name = log ? "log_softmax" : "softmax";
      throw dispatchError(last ? `${name}_lastdim_kernel_impl` : `${name}_kernel_impl`, self.dtype);
    }
    softmaxInto(out, self, d, log);
  };
}

/** `softmax.int` / `log_softmax.int`: convert to `dtype` when given, then the kernel op. */
function softmaxComposite(kernel: string) {
  return (self: Tensor, dim: number, dtype: Opt<DType>): unknown => {
    const converted = dtype === null || dtype === undefined ? self : callOp("aten::to.dtype", [self, dtype, false, false, null]);
    return callOp(kernel, [converted, dim, false]);
  };
}

/** The softmax operators, in native_functions.yaml order. */
export const softmaxOps: readonly OpDecl[] = [
  {
    schema: "log_softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor",
    composite: softmaxComposite("aten::_log_softmax") as never,
  },
  {
    schema: "_log_softmax(Tensor self, int dim, bool half_to_float) -> Tensor",
    meta: softmaxRule as never,
    cpu: softmaxCpu(true) as never,
  },
  {
    schema: "softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor",
    composite: softmaxComposite("aten::_softmax") as never,
  },
  {
    schema: "_softmax(Tensor self, int dim, bool half_to_float) -> Tensor",
    meta: softmaxRule as never,
    cpu: softmaxCpu(false) as never,
  },
];
