// cross_entropy_loss, CompositeImplicitAutograd as in PyTorch's LossNLL.cpp: log_softmax over the
// class dimension then nll_loss_nd (class-index targets), the label-smoothing blend of nll_loss and
// the mean negative log-probability, or the class-probability form (targets shaped like input).

import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { isFloatingType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import type { OpDecl } from "./op-decl.js";
import { defined, type Opt, sizesStr } from "./nn-util.js";

type T = Tensor;
const Mean = 1;
const Sum = 2;
const None = 0;

const op = (name: string, ...args: unknown[]): T => callOp(name, args) as T;
const sumAll = (t: T): T => op("aten::sum", t, null);
const sumDim = (t: T, dim: number): T => op("aten::sum.dim_IntList", t, [dim], false, null);

/** `weight.view([1, C, 1, ...])`: the class weights shaped to broadcast over `ndim` dims at `classDim`. */
function weightView(weight: T, ndim: number, classDim: number): T {
  const shape = new Array<number>(ndim).fill(1);
  shape[classDim] = weight._shape[0]!;
  return op("aten::view", weight, shape);
}

function checkLabelSmoothing(ls: number): void {
  if (!(ls <= 1.0)) throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${ls}`);
}

/** Targets with the input's shape hold class probabilities. */
function probTarget(self: T, target: T, weight: T | null, reduction: number, ls: number): T {
  const classDim = self._shape.length === 1 ? 0 : 1;
  const nClasses = self._shape[classDim]!;
  if (weight && !(weight._shape.length === 1 && weight.numel() === nClasses)) {
    throw new RuntimeError(
      `cross_entropy: weight tensor should be defined either for all ${nClasses} classes or no classes but got weight tensor of shape: ${sizesStr(weight._shape)}`,
    );
  }
  const input = op("aten::log_softmax.int", self, classDim, self.dtype);
  let tgt = target;
  if (ls > 0.0) {
    checkLabelSmoothing(ls);
    tgt = op("aten::add.Scalar", op("aten::mul.Scalar", target, 1 - ls), ls / nClasses, 1);
  }
  let prod: T;
  if (weight) {
    const w = input._shape.length > 1 ? weightView(weight, input._shape.length, 1) : weight;
    prod = op("aten::mul.Tensor", op("aten::mul.Tensor", input, tgt), w);
  } else {
    prod = op("aten::mul.Tensor", input, tgt);
  }
  switch (reduction) {
    case Mean:
      if (input.numel() === 0) return op("aten::neg", op("aten::fill_.Scalar", sumAll(prod), NaN));
      return op("aten::div.Scalar", op("aten::neg", sumAll(prod)), Math.trunc(input.numel() / nClasses));
    case Sum:
      return op("aten::neg", sumAll(prod));
    case None:
      return op("aten::neg", sumDim(prod, classDim));
    default:
      throw new RuntimeError(`Invalid reduction type encountered in cross_entropy: ${reduction}`);
  }
}

/** Class-index targets with label smoothing: (1 - ls) * nll + ls / C * (mean -log p). */
function labelSmoothing(self: T, target: T, weight: T | null, reduction: number, ignoreIndex: number, ls: number): T {
  const classDim = self._shape.length === 1 ? 0 : 1;
  const input = op("aten::log_softmax.int", self, classDim, self.dtype);
  const nll = op("aten::nll_loss_nd", input, target, weight, reduction, ignoreIndex);
  const nClasses = input._shape[classDim]!;
  let smooth: T;
  if (weight) {
    const w = weightView(weight, input._shape.length, classDim);
    smooth = op("aten::neg", sumDim(op("aten::mul.Tensor", input, w), classDim));
  } else {
    smooth = op("aten::neg", sumDim(input, classDim));
  }
  const ignoreMask = op("aten::eq.Scalar", target, ignoreIndex);
  op("aten::masked_fill_.Scalar", smooth, ignoreMask, 0.0);
  let ret: T;
  switch (reduction) {
    case Mean:
      if (weight) {
        // weights are collected from index 0 (always valid) and masked out where ignored
        const filtered = op("aten::masked_fill.Scalar", target, ignoreMask, 0);
        const tgtWeights = op("aten::gather", weight, 0, op("aten::flatten.using_ints", filtered, 0, -1), false);
        const weightSum = sumAll(op("aten::masked_fill_.Scalar", tgtWeights, op("aten::flatten.using_ints", ignoreMask, 0, -1), 0));
        ret = op("aten::div.Tensor", sumAll(smooth), weightSum);
      } else {
        const trueMask = op("aten::bitwise_not", ignoreMask);
        ret = op("aten::div.Tensor", sumAll(smooth), sumAll(trueMask));
      }
      break;
    case Sum:
      ret = sumAll(smooth);
      break;
    case None:
      ret = smooth;
      break;
    default:
      throw new RuntimeError(`Invalid reduction type encountered in cross_entropy: ${reduction}`);
  }
  return op("aten::add.Tensor", op("aten::mul.Scalar", nll, 1 - ls), op("aten::mul.Scalar", ret, ls / nClasses), 1);
}

/**
 * `cross_entropy_loss` (CompositeImplicitAutograd).
 * @example
 * callOp("aten::cross_entropy_loss", [logits, target, null, 1, -100, 0.0]) // mean loss, 0-dim
 */
function crossEntropyLoss(self: T, target: T, weight: Opt<T>, reduction: number, ignoreIndex: number, ls: number): T {
  const w = defined(weight) ? weight : null;
  const sameShape = self._shape.length === target._shape.length && self._shape.every((s, i) => s === target._shape[i]);
  if (sameShape) {
    if (!isFloatingType(target.dtype)) {
      throw new RuntimeError(`Expected floating point type for target with class probabilities, got ${cppName(target.dtype)}`);
    }
    if (!(ignoreIndex < 0)) throw new RuntimeError("ignore_index is not supported for floating point target");
    return probTarget(self, target, w, reduction, ls);
  }
  if (ls > 0.0) {
    checkLabelSmoothing(ls);
    return labelSmoothing(self, target, w, reduction, ignoreIndex, ls);
  }
  const classDim = self._shape.length === 1 ? 0 : 1;
  return op("aten::nll_loss_nd", op("aten::log_softmax.int", self, classDim, self.dtype), target, w, reduction, ignoreIndex);
}

/** The cross-entropy operator. */
export const crossEntropyOps: readonly OpDecl[] = [
  {
    schema: "cross_entropy_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, SymInt ignore_index=-100, float label_smoothing=0.0) -> Tensor",
    composite: crossEntropyLoss as never,
  },
];
