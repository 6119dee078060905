// Derivatives of reductions: sum/mean, amax/amin (ties share), max/min by dim and sort/topk (the
// gradient scattered back to the chosen indices), full max/min (evenly distributed), prod (safe
// with zeros), var/std, logsumexp, cumsum, cumprod (the aten op cumprod_backward) and vector norms,
// after FunctionsManual.cpp.

import { callOp } from "../dispatcher/call-op.js";
import type { Derivative, Saved } from "./formula.js";
import { isGradEnabled } from "./engine.js";
import {
  T,
  type Tensor,
  div,
  divScalar,
  expand,
  formula,
  mul,
  mulScalar,
  newZeros,
  op,
  reshape,
  safeSize,
  sub,
  subclassLike,
  sumBackward,
  sumDims,
  toDtype,
  unaryFormula,
  unsqueeze,
  unsqueezeMultiple,
  withInplace,
  wrap,
} from "./derivatives-util.js";
import { normBackward } from "./derivatives-norm.js";

const sizesOf = (v: unknown): number[] => T(v).shape.slice();
const dimList = (d: unknown): number[] | null => (d === null || d === undefined ? null : typeof d === "number" ? [d] : (d as number[]));

/** PyTorch's restore_reduced_dims: puts size-1 dims back where a reduction removed them. */
export function restoreReducedDims(x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  if (keepdim) return x;
  const total = x.shape.length + dims.length;
  const target = new Array<number>(total).fill(0);
  for (const d of dims) target[d < 0 ? total + d : d] = 1;
  let j = 0;
  for (const s of x.shape) {
    while (target[j]! > 0) j++;
    target[j++] = s;
  }
  return reshape(x, target);
}

/** amax/amin: the gradient is shared by every element equal to the extreme value. */
function amaxGrad(g: Tensor, s: Saved): Tensor {
  const dims = s.dim as number[];
  const keepdim = s.keepdim as boolean;
  const mask = op("aten::eq.Tensor", restoreReducedDims(T(s.result), dims, keepdim), T(s.self));
  const grad = restoreReducedDims(g, dims, keepdim);
  return mul(div(grad, sumDims(mask, dims, true)), mask);
}

/** PyTorch's value_selecting_reduction_backward: scatter the gradient to the selected indices. */
export function valueSelectingBackward(g: Tensor, dim: number, indices: Tensor, sizes: readonly number[], keepdim: boolean): Tensor {
  let grad = g;
  let idx = indices;
  if (!keepdim && sizes.length > 0) {
    grad = unsqueeze(g, dim);
    idx = unsqueeze(indices, dim);
  }
  const zeros = newZeros(grad, sizes);
  return subclassLike(g, indices) ? op("aten::scatter.src", zeros, dim, idx, grad) : op("aten::scatter_.src", zeros, dim, idx, grad);
}

/** evenly_distribute_backward: full max()/min() share the gradient among all maxima. */
function evenlyDistribute(g: Tensor, input: Tensor, value: Tensor): Tensor {
  if (subclassLike(g, input, value)) {
    const inputNan = op("aten::isnan", input);
    const both = op("aten::logical_and", inputNan, op("aten::isnan", value));
    const mask = op("aten::logical_or_", op("aten::eq.Tensor", input, value), both);
    return mul(mask, div(g, op("aten::sum", mask, null)));
  }
  const nan = Boolean(callOp("aten::_local_scalar_dense", [op("aten::isnan", value)]));
  const mask = nan ? op("aten::isnan", input) : op("aten::eq.Tensor", input, value);
  const zeros = newZeros(g, input.shape);
  return op("aten::masked_fill_.Tensor", zeros, mask, div(g, op("aten::sum", mask, null)));
}

/** prod_safe_zeros_backward: exclusive cumulative products from both ends (zeros are fine). */
function prodSafeZeros(g: Tensor, input: Tensor, dim: number): Tensor {
  if (input.numel() === 0) return op("aten::expand_as", g, input);
  const n = input.shape[dim]!;
  if (n === 1) return g;
  const onesSize = input.shape.slice();
  onesSize[dim] = 1;
  const ones = op("aten::ones", onesSize, g.dtype, null, g.device, null);
  const normal = op("aten::cumprod", op("aten::cat", [ones, op("aten::narrow", input, dim, 0, n - 1)], dim), dim, null);
  const reversed = op("aten::flip", op("aten::narrow", input, dim, 1, n - 1), [dim]);
  const reverse = op("aten::flip", op("aten::cumprod", op("aten::cat", [ones, reversed], dim), dim, null), [dim]);
  return mul(g, mul(normal, reverse));
}

/** prod_backward over all elements. */
function prodGrad(g: Tensor, input: Tensor, result: Tensor): Tensor {
  if (input.shape.length === 0) return g;
  const flat = () => op("aten::view", op("aten::contiguous", input, 0), [-1]);
  if (subclassLike(input)) return op("aten::view_as", prodSafeZeros(g, flat(), 0), input);
  const zeroIdx = op("aten::nonzero", op("aten::eq.Scalar", input, 0));
  if (zeroIdx.numel() === 0) return mul(g, div(result, input));
  if (!isGradEnabled() && zeroIdx.shape[0]! > 1) return op("aten::zeros_like", input, null, null, null, null, null);
  return op("aten::view_as", prodSafeZeros(g, flat(), 0), input);
}

/** prod_backward along one dim. */
function prodDimGrad(g: Tensor, input: Tensor, result: Tensor, dim: number, keepdim: boolean): Tensor {
  if (input.shape.length === 0) return g;
  const d = wrap(dim, input.shape.length);
  let grad = g;
  let res = result;
  if (!keepdim) {
    grad = unsqueeze(g, d);
    res = unsqueeze(result, d);
  }
  if (subclassLike(input)) return prodSafeZeros(grad, input, d);
  const zeroCount = sumDims(op("aten::eq.Scalar", input, 0), [d], true);
  const total = Number(callOp("aten::_local_scalar_dense", [op("aten::sum", zeroCount, null)]));
  if (total === 0) return mul(grad, div(res, input));
  return prodSafeZeros(grad, input, d);
}

/** var_backward: (2 / (n - correction)) * grad * (self - mean). */
export function varBackward(g: Tensor, self: Tensor, dim: number[] | null, correction: unknown, keepdim: boolean): Tensor {
  const c = correction === null || correction === undefined ? 1 : Number(correction);
  if (self.shape.length === 0 || dim === null) {
    const dof = self.numel() - c;
    if (dof <= 0) {
      const eqMean = op("aten::eq.Tensor", self, op("aten::mean", self, null));
      return mul(g, op("aten::where.Scalar", eqMean, Number.NaN, Number.POSITIVE_INFINITY));
    }
    const centered = sub(self, op("aten::mean", self, null));
    return mul(mulScalar(g, 2 / dof), centered);
  }
  const grad = !keepdim && self.shape.length > 1 ? unsqueezeMultiple(g, dim, self.shape.length) : g;
  const n = safeSize(self.shape, dim);
  const centered = sub(self, op("aten::mean.dim", self, dim.slice(), true, null));
  return mul(mulScalar(grad, 2 / (n - c)), centered);
}

/** logsumexp_backward: grad * exp(self - result). */
function logsumexpGrad(g: Tensor, self: Tensor, result: Tensor, dim: number[], keepdim: boolean): Tensor {
  let grad = g;
  let res = result;
  if (!keepdim && self.shape.length !== 0) {
    grad = unsqueezeMultiple(g, dim, self.shape.length);
    res = unsqueezeMultiple(result, dim, self.shape.length);
  }
  return mul(grad, op("aten::exp", sub(self, res)));
}

/** cumsum_backward: a reversed cumulative sum. */
function cumsumGrad(g: Tensor, dim: number): Tensor {
  if (g.numel() <= 1 || g.shape[wrap(dim, g.shape.length)] === 1) return g;
  return op("aten::flip", op("aten::cumsum", op("aten::flip", g, [dim]), dim, null), [dim]);
}

const maxMin = (opName: string, name: string): Derivative =>
  formula({
    op: opName,
    name,
    inputs: { self: 0 },
    differentiableOutputs: [0],
    save: (args, out) => ({ sizes: sizesOf(args[0]), dim: args[1], keepdim: args[2], indices: (out as Tensor[])[1] }),
    grads: { self: (g, s) => valueSelectingBackward(g, s.dim as number, T(s.indices), s.sizes as number[], s.keepdim as boolean) },
  });

const sortLike = (opName: string, name: string, dimAt: number): Derivative =>
  formula({
    op: opName,
    name,
    inputs: { self: 0 },
    differentiableOutputs: [0],
    save: (args, out) => ({ sizes: sizesOf(args[0]), dim: args[dimAt], indices: (out as Tensor[])[1] }),
    grads: { self: (g, s) => valueSelectingBackward(g, s.dim as number, T(s.indices), s.sizes as number[], true) },
  });

const amaxAmin = (opName: string, name: string): Derivative =>
  unaryFormula(opName, name, amaxGrad, (args, out) => ({ self: args[0], dim: (args[1] as number[]).slice(), keepdim: args[2], result: out }));

const fullMaxMin = (opName: string, name: string): Derivative =>
  unaryFormula(opName, name, (g, s) => evenlyDistribute(g, T(s.self), T(s.result)), (args, out) => ({ self: args[0], result: out }));

/** The reduction rows. */
export const REDUCE_DERIVATIVES: readonly Derivative[] = [
  unaryFormula("aten::sum", "SumBackward0", (g, s) => expand(g, s.sizes as number[]), (args) => ({ sizes: sizesOf(args[0]) })),
  unaryFormula("aten::sum.dim_IntList", "SumBackward1", (g, s) => sumBackward(g, s.sizes as number[], dimList(s.dim), s.keepdim as boolean), (args) => ({
    sizes: sizesOf(args[0]),
    dim: args[1],
    keepdim: args[2],
  })),
  unaryFormula("aten::mean", "MeanBackward0", (g, s) => divScalar(expand(g, s.sizes as number[]), s.numel as number), (args) => ({
    sizes: sizesOf(args[0]),
    numel: T(args[0]).numel(),
  })),
  unaryFormula(
    "aten::mean.dim",
    "MeanBackward1",
    (g, s) => {
      const dims = dimList(s.dim);
      const sizes = s.sizes as number[];
      const n = dims === null || dims.length === 0 ? (s.numel as number) : safeSize(sizes, dims);
      return divScalar(sumBackward(g, sizes, dims, s.keepdim as boolean), n);
    },
    (args) => ({ sizes: sizesOf(args[0]), numel: T(args[0]).numel(), dim: args[1], keepdim: args[2] }),
  ),
  amaxAmin("aten::amax", "AmaxBackward0"),
  amaxAmin("aten::amin", "AminBackward0"),
  maxMin("aten::max.dim", "MaxBackward0"),
  maxMin("aten::min.dim", "MinBackward0"),
  fullMaxMin("aten::max", "MaxBackward1"),
  fullMaxMin("aten::min", "MinBackward1"),
  sortLike("aten::sort", "SortBackward0", 1),
  sortLike("aten::sort.stable", "SortBackward1", 2),
  sortLike("aten::topk", "TopkBackward0", 2),
  unaryFormula("aten::prod", "ProdBackward0", (g, s) => prodGrad(g, toDtype(T(s.self), g.dtype), T(s.result)), (args, out) => ({ self: args[0], result: out })),
  unaryFormula(
    "aten::prod.dim_int",
    "ProdBackward1",
    (g, s) => prodDimGrad(g, toDtype(T(s.self), g.dtype), T(s.result), s.dim as number, s.keepdim as boolean),
    (args, out) => ({ self: args[0], dim: args[1], keepdim: args[2], result: out }),
  ),
  unaryFormula("aten::var.correction", "VarBackward0", (g, s) => varBackward(g, T(s.self), dimList(s.dim), s.correction, s.keepdim as boolean), (args) => ({
    self: args[0],
    dim: args[1],
    correction: args[2],
    keepdim: args[3],
  })),
  unaryFormula(
    "aten::std.correction",
    "StdBackward0",
    (g, s) => {
      const result = T(s.result);
      const scaled = div(g, mulScalar(result, 2));
      const gradVar = op("aten::masked_fill_.Scalar", scaled, op("aten::eq.Scalar", result, 0), 0);
      return varBackward(gradVar, T(s.self), dimList(s.dim), s.correction, s.keepdim as boolean);
    },
    (args, out) => ({ self: args[0], dim: args[1], correction: args[2], keepdim: args[3], result: out }),
  ),
  unaryFormula("aten::logsumexp", "LogsumexpBackward0", (g, s) => logsumexpGrad(g, T(s.self), T(s.result), s.dim as number[], s.keepdim as boolean), (args, out) => ({
    self: args[0],
    dim: dimList(args[1]),
    keepdim: args[2],
    result: out,
  })),
  ...withInplace(
    unaryFormula("aten::cumsum", "CumsumBackward0", (g, s) => cumsumGrad(toDtype(g, s.dtype as string), s.dim as number), (args) => ({
      dim: args[1],
      dtype: T(args[0]).dtype,
    })),
    "aten::cumsum_",
  ),
  // cumprod_backward(grad.to(self.scalar_type()), self, dim, result); cumprod_ shares it with the
  // original self (derivatives-inplace.ts)
  unaryFormula(
    "aten::cumprod",
    "CumprodBackward0",
    (g, s) => op("aten::cumprod_backward", toDtype(g, T(s.self).dtype), T(s.self), s.dim, T(s.result)),
    (args, out) => ({ self: args[0], dim: args[1], result: out }),
  ),
  unaryFormula(
    "aten::linalg_vector_norm",
    "LinalgVectorNormBackward0",
    (g, s) => normBackward(g, T(s.self), Number(s.ord), T(s.result), dimList(s.dim) ?? [], s.keepdim as boolean),
    (args, out) => ({ self: args[0], ord: args[1], dim: args[2], keepdim: args[3], result: out }),
  ),
];
