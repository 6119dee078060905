// Loss operators: nll_loss_forward / nll_loss2d_forward and nll_loss2d_backward (shape rules with
// PyTorch's checks, CPU loops in backends/cpu/nn-loss-kernels.ts), the CompositeImplicitAutograd nll_loss, nll_loss2d
// and nll_loss_nd (LossNLL.cpp's reshaping of N-d inputs), and mse_loss.

import { IndexError, RuntimeError, ValueError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { mseLossInto, nllLoss2dBackwardInto, nllLoss2dForwardInto, nllLossForwardInto, Reduction } from "../backends/cpu/nn-loss-kernels.js";
import { broadcastShapes, numelOf } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { cppName, resultType } from "../tensor/type-promotion.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { defined, dispatchError, isFloat, iteratorStrides, type Opt, sizesStr } from "./nn-util.js";

function checkTargetDType(target: Tensor): void {
  if (target.dtype !== "int64" && target.dtype !== "uint8") {
    throw new RuntimeError(`expected target dtype to be Long or Byte, but got ${cppName(target.dtype)}`);
  }
}

/** nll_loss_forward's meta function (LossNLL.cpp), in its order of checks. */
function nllRule(self: Tensor, target: Tensor, weight: Opt<Tensor>, reduction: number): TensorSpec[] {
  const nd = self._shape.length;
  if (!(nd > 0 && nd <= 2)) throw new RuntimeError("input tensor should be 1D or 2D");
  if (target._shape.length > 1) throw new RuntimeError("0D or 1D target tensor expected, multi-target not supported");
  checkTargetDType(target);
  if (nd === 1 && target._shape.length === 1 && target._shape[0] !== 1) {
    throw new ValueError(`For 1D input, 1D target must have size 1, but got target size: ${target._shape[0]}`);
  }
  if (nd !== 1 && target._shape.length === 0) throw new IndexError("Dimension specified as 0 but tensor has no dimensions");
  if (nd !== 1 && self._shape[0] !== target._shape[0]) {
    throw new RuntimeError(`size mismatch (got input: ${sizesStr(self._shape)}, target: ${sizesStr(target._shape)})`);
  }
  const nClasses = self._shape[nd - 1]!;
  if (defined(weight) && !(weight._shape.length === 1 && numelOf(weight._shape) === nClasses)) {
    throw new RuntimeError(
      `weight tensor should be defined either for all ${nClasses} classes or no classes but got weight tensor of shape: ${sizesStr(weight._shape)}`,
    );
  }
  const out = reduction === Reduction.None && nd === 2 ? [self._shape[0]!] : [];
  return [{ shape: out, dtype: self.dtype }, { shape: [], dtype: self.dtype }];
}

/** LossNLL2d.cpp's check_inputs_nll_loss2d. */
function checkInputs2d(self: Tensor, target: Tensor, weight: Opt<Tensor>): void {
  if (target._shape.length !== 3) {
    throw new RuntimeError(`only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target._shape.length}`);
  }
  if (self._shape.length !== 4) {
    throw new RuntimeError(`only batches of spatial inputs supported (4D tensors), but got input of dimension: ${self._shape.length}`);
  }
  if (defined(weight) && numelOf(weight._shape) !== self._shape[1]) {
    throw new RuntimeError("weight tensor should be defined either for all or no classes");
  }
  const [n, , h, w] = self._shape as [number, number, number, number];
  if (n !== target._shape[0] || h !== target._shape[1] || w !== target._shape[2]) {
    throw new RuntimeError(`size mismatch (got input: ${sizesStr(self._shape)} , target: ${sizesStr(target._shape)}`);
  }
}

/** nll_loss2d_forward's checks and outputs. */
function nll2dRule(self: Tensor, target: Tensor, weight: Opt<Tensor>, reduction: number): TensorSpec[] {
  checkInputs2d(self, target, weight);
  checkTargetDType(target);
  const [n, , h, w] = self._shape as [number, number, number, number];
  const out = reduction === Reduction.None ? [n, h, w] : [];
  return [{ shape: out, dtype: self.dtype }, { shape: [], dtype: self.dtype }];
}

/**
 * nll_loss2d_backward's checks (nll_loss2d_backward_out_cpu_template, then its frame's
 * grad_output checks); the gradient is shaped like the input.
 */
function nll2dBackwardRule(
  gradOutput: Tensor,
  self: Tensor,
  target: Tensor,
  weight: Opt<Tensor>,
  reduction: number,
  _ignoreIndex: number,
  totalWeight: Tensor,
): TensorSpec {
  checkInputs2d(self, target, weight);
  const tw = numelOf(totalWeight._shape);
  if (tw !== 1) {
    throw new RuntimeError(`expected total_weight to be a single element tensor, got: ${sizesStr(totalWeight._shape)} (${tw} elements)`);
  }
  if (!isFloat(self.dtype)) throw dispatchError("nll_loss2d_backward_out_frame", self.dtype);
  if (reduction === Reduction.None) {
    if (gradOutput._shape.length !== 3) {
      throw new RuntimeError(`grad_output must have same dimension as target (3) but got dimension: ${sizesStr(gradOutput._shape)}`);
    }
    if (gradOutput._shape.some((s, i) => s !== target._shape[i])) {
      throw new RuntimeError(`size mismatch (got grad_output: ${sizesStr(gradOutput._shape)} target: ${sizesStr(target._shape)}`);
    }
  } else if (!(gradOutput._shape.length <= 1 && numelOf(gradOutput._shape) === 1)) {
    throw new RuntimeError(`Expected a single element grad_output tensor, but got: ${sizesStr(gradOutput._shape)}`);
  }
  return { shape: self._shape, dtype: self.dtype };
}

function nllCpu(kernel: typeof nllLossForwardInto) {
  return ([out, tw]: Tensor[], self: Tensor, target: Tensor, weight: Opt<Tensor>, reduction: number, ignoreIndex: number): void => {
    if (!isFloat(self.dtype)) throw dispatchError(kernel === nllLossForwardInto ? "nll_loss_out_frame" : "nll_loss2d_forward_out_frame", self.dtype);
    kernel(out!, tw!, self, target, defined(weight) ? weight : null, reduction, ignoreIndex);
  };
}

/** nll_loss_nd (LossNLL.cpp): 1-D/2-D to nll_loss, 4-D to nll_loss2d, others viewed as 4-D. */
function nllLossNd(self: Tensor, target: Tensor, weight: Opt<Tensor>, reduction: number, ignoreIndex: number): unknown {
  const nd = self._shape.length;
  if (nd < 1) throw new ValueError(`Expected 1 or more dimensions (got ${nd})`);
  if (nd !== 1 && self._shape[0] !== target._shape[0]) {
    throw new ValueError(`Expected input batch_size (${self._shape[0]}) to match target batch_size (${target._shape[0]}).`);
  }
  const w = defined(weight) ? weight : null;
  if (nd === 1 || nd === 2) return callOp("aten::nll_loss", [self, target, w, reduction, ignoreIndex]);
  if (nd === 4) return callOp("aten::nll_loss2d", [self, target, w, reduction, ignoreIndex]);
  const [n, c] = self._shape as [number, number];
  const outSize = [n, ...self._shape.slice(2)];
  const tRest = target._shape.slice(1);
  const iRest = self._shape.slice(2);
  if (tRest.length !== iRest.length || tRest.some((s, i) => s !== iRest[i])) {
    throw new RuntimeError(`Expected target size ${sizesStr(outSize)}, got ${sizesStr(target._shape)}`);
  }
  let input = callOp("aten::contiguous", [self, 0]) as Tensor;
  let tgt = callOp("aten::contiguous", [target, 0]) as Tensor;
  input = callOp("aten::view", [input, input.numel() > 0 ? [n, c, 1, -1] : [n, c, 0, 0]]) as Tensor;
  tgt = callOp("aten::view", [tgt, tgt.numel() > 0 ? [n, 1, -1] : [n, 0, 0]]) as Tensor;
  const out = callOp("aten::nll_loss2d", [input, tgt, w, reduction, ignoreIndex]);
  return reduction !== Reduction.None ? out : callOp("aten::view", [out, outSize]);
}

/** mse_loss's shape rule: a broadcast binary op (none) or a 0-dim result (mean, sum). */
function mseRule(self: Tensor, target: Tensor, reduction: number): TensorSpec {
  const shape = broadcastShapes(self._shape, target._shape);
  const dtype = resultType(self, target);
  if (reduction === Reduction.None) return { shape, dtype, strides: iteratorStrides(shape, [self, target]) };
  return { shape: [], dtype };
}

function mseCpu(out: Tensor, self: Tensor, target: Tensor, reduction: number): void {
  if (!isFloat(out.dtype)) throw dispatchError("mse_cpu", out.dtype);
  if (reduction !== Reduction.None && reduction !== Reduction.Mean && reduction !== Reduction.Sum) {
    throw new RuntimeError(`reduction == Reduction::Mean || reduction == Reduction::Sum INTERNAL ASSERT FAILED at "aten-ts": bad reduction ${reduction}`);
  }
  mseLossInto(out, self, target, broadcastShapes(self._shape, target._shape), reduction);
}

/** The loss operators, in native_functions.yaml order. */
export const lossOps: readonly OpDecl[] = [
  {
    schema: "mse_loss(Tensor self, Tensor target, int reduction=Mean) -> Tensor",
    meta: mseRule as never,
    cpu: mseCpu as never,
  },
  {
    schema: "nll_loss_nd(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, SymInt ignore_index=-100) -> Tensor",
    composite: nllLossNd as never,
  },
  {
    schema: "nll_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, SymInt ignore_index=-100) -> Tensor",
    composite: ((self: Tensor, target: Tensor, weight: Opt<Tensor>, reduction: number, ignoreIndex: number) =>
      (callOp("aten::nll_loss_forward", [self, target, weight ?? null, reduction, ignoreIndex]) as Tensor[])[0]) as never,
  },
  {
    schema: "nll_loss_forward(Tensor self, Tensor target, Tensor? weight, int reduction, SymInt ignore_index) -> (Tensor output, Tensor total_weight)",
    meta: nllRule as never,
    cpu: nllCpu(nllLossForwardInto) as never,
  },
  {
    schema: "nll_loss2d(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, SymInt ignore_index=-100) -> Tensor",
    composite: ((self: Tensor, target: Tensor, weight: Opt<Tensor>, reduction: number, ignoreIndex: number) =>
      (callOp("aten::nll_loss2d_forward", [self, target, weight ?? null, reduction, ignoreIndex]) as Tensor[])[0]) as never,
  },
  {
    schema: "nll_loss2d_forward(Tensor self, Tensor target, Tensor? weight, int reduction, SymInt ignore_index) -> (Tensor output, Tensor total_weight)",
    meta: nll2dRule as never,
    cpu: nllCpu(nllLoss2dForwardInto) as never,
  },
  {
    schema:
      "nll_loss2d_backward(Tensor grad_output, Tensor self, Tensor target, Tensor? weight, int reduction, SymInt ignore_index, Tensor total_weight) -> Tensor",
    meta: nll2dBackwardRule as never,
    cpu: ((out: Tensor, g: Tensor, self: Tensor, target: Tensor, weight: Opt<Tensor>, reduction: number, ignoreIndex: number, tw: Tensor) =>
      nllLoss2dBackwardInto(out, g, self, target, defined(weight) ? weight : null, reduction, ignoreIndex, tw)) as never,
  },
];
