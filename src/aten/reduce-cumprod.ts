// cumprod_backward (ReduceOps.cpp), a CompositeImplicitAutograd op: the gradient of cumprod as
// dispatched ops, in PyTorch 2.14's order, so a logging mode sees the same calls. Without zeros in
// the input it is a reversed cumulative sum divided by the input; with zeros, outside grad mode,
// masks split each line at its first zero (before it: the same formula; at it: the products after
// it; after it: nothing); in grad mode (a second derivative) it builds every element from explicit
// products. Tensor subclasses and dispatch modes skip the data-dependent zero check and take
// out-of-place ops (`where` and `stack` instead of writes into a buffer).

import { callOp } from "../dispatcher/call-op.js";
import { dispatchContext } from "../core/dispatch-context.js";
import { numelOf, wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { isTensorSubclassLike } from "./linalg-common.js";
import type { OpDecl } from "./op-decl.js";

const op = (name: string, ...args: unknown[]): Tensor => callOp(name, args) as Tensor;
const slice = (t: Tensor, dim: number, start: number, end: number | null = null): Tensor => op("aten::slice.Tensor", t, dim, start, end, 1);
const mul = (a: Tensor, b: Tensor): Tensor => op("aten::mul.Tensor", a, b);
const not = (t: Tensor): Tensor => op("aten::bitwise_not", t);
const sumDim = (t: Tensor, dim: number, keepdim: boolean): Tensor => op("aten::sum.dim_IntList", t, [dim], keepdim, null);

/** `w.flip(dim).cumsum(dim).flip(dim)`. */
function reversedCumsum(w: Tensor, dim: number): Tensor {
  return op("aten::flip", op("aten::cumsum", op("aten::flip", w, [dim]), dim, null), [dim]);
}

/**
 * The O(n) gradient when the input has zeros and no second derivative is needed: lines up to
 * their first zero use the reversed-cumsum formula, the first zero gets
 * `prod(x[:z1]) * sum(grad[z1:z2] * cumprod(x[z1+1:z2]))`, later elements stay zero.
 */
function zerosBackward(grad: Tensor, input: Tensor, dim: number, output: Tensor, w: Tensor, isZero: Tensor, subclass: boolean): Tensor {
  let gradInput = subclass
    ? op("aten::new_zeros", grad, input.shape, null, null, null, null)
    : op("aten::zeros", input.shape, grad.dtype, null, grad.device, null);
  const cumsum = op("aten::cumsum", isZero, dim, null);
  // before the first zero: [0, z1)
  let mask = op("aten::eq.Scalar", cumsum, 0);
  const before = reversedCumsum(op("aten::masked_fill.Scalar", w, not(mask), 0), dim);
  gradInput = op("aten::where.self", mask, subclass ? op("aten::div.Tensor", before, input) : op("aten::div_.Tensor", before, input), gradInput);
  // from the first zero to the second: [z1, z2)
  mask = op("aten::eq.Scalar", cumsum, 1);
  const firstZeroIndex = (callOp("aten::max.dim", [mask, dim, true]) as Tensor[])[1]!;
  const firstZeroMask = op("aten::logical_and", mask, isZero);
  // (z1, z2)
  mask = op("aten::bitwise_and_.Tensor", mask, not(firstZeroMask));
  const prods = op("aten::cumprod", op("aten::masked_fill.Scalar", input, not(mask), 1), dim, null);
  const grads = op("aten::masked_fill.Scalar", grad, op("aten::ne.Scalar", cumsum, 1), 0);
  // prod(x[:z1]) is the output just before the first zero (1 when the zero comes first)
  const previous = op("aten::gather", output, dim, op("aten::relu_", op("aten::sub.Scalar", firstZeroIndex, 1, 1)), false);
  const beforeZero = op("aten::masked_fill_.Scalar", previous, op("aten::eq.Scalar", firstZeroIndex, 0), 1);
  const atZero = subclass
    ? mul(sumDim(mul(prods, grads), dim, true), beforeZero)
    : op("aten::mul_.Tensor", sumDim(op("aten::mul_.Tensor", prods, grads), dim, true), beforeZero);
  return op("aten::where.self", firstZeroMask, atZero, gradInput);
}

/** The ones prepended along `dim` (shape of the input with `dim` of size 1). */
function onesAlong(grad: Tensor, input: Tensor, dim: number): Tensor {
  const size = input.shape.slice();
  size[dim] = 1;
  return op("aten::expand", op("aten::ones", [1], grad.dtype, null, grad.device, null), size, false);
}

/**
 * The O(n^2) gradient in grad mode (differentiable again): element k sums
 * `grad[j] * prod_{i <= j, i != k} x_i` over j >= k, written into a zero buffer slice by slice.
 */
function productsBackward(grad: Tensor, input: Tensor, dim: number): Tensor {
  const n = input.shape[dim]!;
  const gradInput = op("aten::zeros", input.shape, grad.dtype, null, grad.device, null);
  const ones = onesAlong(grad, input, dim);
  for (let k = 0; k < n; k++) {
    let omitted: Tensor;
    if (k === 0) {
      omitted = op("aten::cat", [ones, op("aten::cumprod", slice(input, dim, 1), dim, null)], dim);
    } else if (k === n - 1) {
      omitted = op("aten::prod.dim_int", slice(input, dim, 0, k), dim, true, null);
    } else {
      const until = op("aten::prod.dim_int", slice(input, dim, 0, k), dim, true, null);
      const from = op("aten::cumprod", slice(input, dim, k + 1), dim, null);
      omitted = op("aten::cat", [until, mul(op("aten::expand_as", until, from), from)], dim);
    }
    const gradSlice = sumDim(mul(slice(grad, dim, k), omitted), dim, false);
    op("aten::copy_", op("aten::select.int", gradInput, dim, k), gradSlice, false);
  }
  return gradInput;
}

/** The same for tensor subclasses and modes: one slice per element, stacked (no writes). */
function productsBackwardStacked(grad: Tensor, input: Tensor, dim: number): Tensor {
  const n = input.shape[dim]!;
  onesAlong(grad, input, dim);
  const slices: Tensor[] = [];
  for (let k = 0; k < n; k++) {
    // C++ evaluates operands right to left: the products before the gradient's slices
    if (k === 0) {
      const after = op("aten::cumprod", slice(input, dim, 1), dim, null);
      const rest = sumDim(mul(slice(grad, dim, 1), after), dim, false);
      slices.push(op("aten::add.Tensor", op("aten::select.int", grad, dim, 0), rest, 1));
      continue;
    }
    const until = slice(op("aten::cumprod", slice(input, dim, 0, k), dim, null), dim, k - 1, k);
    const untilK = op("aten::squeeze.dim", until, dim);
    let gk = mul(op("aten::select.int", grad, dim, k), untilK);
    if (k < n - 1) {
      const from = op("aten::cumprod", slice(input, dim, k + 1), dim, null);
      const omitted = mul(op("aten::expand", until, from.shape, false), from);
      gk = op("aten::add.Tensor", gk, sumDim(mul(slice(grad, dim, k + 1), omitted), dim, false), 1);
    }
    slices.push(gk);
  }
  return op("aten::stack", slices, dim);
}

/**
 * `aten::cumprod_backward(grad, input, dim, output)`: the gradient of `output = cumprod(input, dim)`
 * (real tensors: PyTorch's conj() calls are no-ops there).
 * @example
 * cumprodBackward(torch.ones([3]), torch.tensor([2, 0, 3]), 0, torch.tensor([2, 0, 0])) // [1, 8, 0]
 */
export function cumprodBackward(grad: Tensor, input: Tensor, dim: number, output: Tensor): Tensor {
  if (numelOf(input.shape) <= 1) return grad;
  const d = wrapDim(dim, input.shape.length);
  if (input.shape[d] === 1) return grad;
  const subclass = [input, grad, output].some(isTensorSubclassLike);
  const w = mul(output, grad);
  const isZero = op("aten::eq.Scalar", input, 0);
  if (!subclass && !callOp("aten::item", [op("aten::any", isZero)])) return op("aten::div.Tensor", reversedCumsum(w, d), input);
  if (!dispatchContext().gradEnabled) return zerosBackward(grad, input, d, output, w, isZero, subclass);
  return subclass ? productsBackwardStacked(grad, input, d) : productsBackward(grad, input, d);
}

/** cumprod_backward (CompositeImplicitAutograd). */
export const cumprodBackwardOps: readonly OpDecl[] = [
  {
    schema: "cumprod_backward(Tensor grad, Tensor input, int dim, Tensor output) -> Tensor",
    composite: cumprodBackward as never,
  },
];
