// matmul and linear: CompositeImplicitAutograd decompositions following PyTorch 2.14's
// `_matmul_impl` (dot / mv / mm / folding into mm or mv / broadcast bmm) and `linear` (addmm,
// `_flatten_nd_linear`, or matmul + add), calling the same operators in the same order.

import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { broadcastShapes, numelOf } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl } from "./op-decl.js";
import { callMT, isTensorSubclassLike } from "./linalg-common.js";

const call = (name: string, args: unknown[]) => callOp(name, args) as Tensor;
const mT = callMT;
const reshape = (t: Tensor, shape: number[]) => call("aten::reshape", [t, shape]);
const expand = (t: Tensor, size: number[]) => call("aten::expand", [t, size, false]);
const unsafeView = (t: Tensor, size: number[]) => call("aten::_unsafe_view", [t, size]);

/**
 * `should_fold`: can the larger operand (>= 3-D, the other 1-D or 2-D) be folded into a matrix
 * for mm/mv without a copy (or must be, because the small operand requires grad)?
 */
function shouldFold(t1: Tensor, t2: Tensor): boolean {
  const t1Larger = t1.dim() >= t2.dim();
  const big = t1Larger ? t1 : mT(t2);
  const dimBig = big.dim();
  const dimSmall = t1Larger ? t2.dim() : t1.dim();
  if (!(dimBig >= 3 && dimSmall <= 2)) return false;
  const smallRequiresGrad = t1Larger ? t2.requiresGrad : t1.requiresGrad;
  if (smallRequiresGrad) return true;
  if (t1.dim() === 2) return false;
  if (big.numel() === 0) return true;
  // the leading dims must merge into one without a copy, so that the reshape to [-1, last] is a
  // view; size-1 dims do not matter (what PyTorch 2.14 does, checked against its logging mode)
  const lead: number[] = [];
  for (let i = 0; i < dimBig - 1; i++) if (big._shape[i] !== 1) lead.push(i);
  for (let j = 0; j + 1 < lead.length; j++) {
    const [a, b] = [lead[j]!, lead[j + 1]!];
    if (big._strides[a] !== big._strides[b]! * big._shape[b]!) return false;
  }
  return true;
}

/** matmul of a >= 3-D operand with a 1-D or 2-D one, as one mm/mv on the folded operand. */
function foldedMatmul(tensor1: Tensor, tensor2: Tensor): Tensor {
  const transpose = tensor2.dim() > tensor1.dim();
  const t1 = transpose ? mT(tensor2) : tensor1;
  const t2 = !transpose ? tensor2 : tensor1.dim() === 2 ? call("aten::t", [tensor1]) : tensor1;
  const sizes1 = t1._shape.slice();
  const outputShape = sizes1.slice(0, -1);
  const foldedDim = numelOf(outputShape);
  const t2IsMatrix = t2.dim() === 2;
  if (t2IsMatrix) outputShape.push(t2._shape[1]!);
  const t1Folded = reshape(t1, [foldedDim, sizes1[sizes1.length - 1]!]);
  if (t2IsMatrix) {
    const output = unsafeView(call("aten::mm", [t1Folded, t2]), outputShape);
    return transpose ? call("aten::contiguous", [mT(output), 0]) : output;
  }
  return unsafeView(call("aten::mv", [t1Folded, t2]), outputShape);
}

/** matmul with batch dimensions: broadcast, flatten the batches, one bmm, view back. */
function batchedMatmul(tensor1: Tensor, tensor2: Tensor): Tensor {
  const d1 = tensor1.dim();
  const d2 = tensor2.dim();
  const s1 = tensor1._shape;
  const s2 = tensor2._shape;
  const n = d1 > 1 ? s1[d1 - 2]! : 1;
  const m1 = s1[d1 - 1]!;
  const batch1 = s1.slice(0, Math.max(d1 - 2, 0));
  const m2 = d2 > 1 ? s2[d2 - 2]! : s2[0]!;
  const p = d2 > 1 ? s2[d2 - 1]! : 1;
  const batch2 = s2.slice(0, Math.max(d2 - 2, 0));
  // same gradient-friendly shortcut as should_fold: a broadcast batch of one goes through folding
  if (d1 === 3 && d2 === 3 && batch1[0] !== batch2[0]) {
    if (batch1[0] === 1 && (tensor1.requiresGrad || isTensorSubclassLike(tensor1))) {
      return matmulImpl(call("aten::squeeze.dim", [tensor1, 0]), tensor2);
    }
    if (batch2[0] === 1 && (tensor2.requiresGrad || isTensorSubclassLike(tensor2))) {
      return matmulImpl(tensor1, call("aten::squeeze.dim", [tensor2, 0]));
    }
  }
  const outputShape = broadcastShapes(batch1, batch2);
  const batchProduct = numelOf(outputShape);
  const t1Expanded = reshape(expand(tensor1, [...outputShape, n, m1]), [batchProduct, n, m1]);
  const vectorRhs = d2 === 1;
  let t2Expanded = expand(tensor2, vectorRhs ? [...outputShape, m2] : [...outputShape, m2, p]);
  t2Expanded = vectorRhs
    ? call("aten::unsqueeze", [reshape(t2Expanded, [batchProduct, m2]), 2])
    : reshape(t2Expanded, [batchProduct, m2, p]);
  if (d1 > 1) outputShape.push(n);
  if (d2 > 1) outputShape.push(p);
  const product = call("aten::bmm", [t1Expanded, t2Expanded]);
  return unsafeView(vectorRhs ? call("aten::squeeze.dim", [product, -1]) : product, outputShape);
}

/**
 * PyTorch's `_matmul_impl` without `out=`.
 * @throws RuntimeError "both arguments to matmul need to be at least 1D, but they are 0D and 2D"
 * @example
 * matmulImpl(x3d, w2d) // view -> mm -> _unsafe_view when x3d folds without a copy
 */
export function matmulImpl(tensor1: Tensor, tensor2: Tensor): Tensor {
  const d1 = tensor1.dim();
  const d2 = tensor2.dim();
  if (d1 === 0 || d2 === 0) {
    throw new RuntimeError(`both arguments to matmul need to be at least 1D, but they are ${d1}D and ${d2}D`);
  }
  if (d1 === 1 && d2 === 1) return call("aten::dot", [tensor1, tensor2]);
  if (d1 === 2 && d2 === 1) return call("aten::mv", [tensor1, tensor2]);
  if (d1 === 1 && d2 === 2) {
    const row = call("aten::mm", [call("aten::unsqueeze", [tensor1, 0]), tensor2]);
    return call("aten::squeeze_.dim", [row, 0]);
  }
  if (d1 === 2 && d2 === 2) return call("aten::mm", [tensor1, tensor2]);
  if (shouldFold(tensor1, tensor2)) return foldedMatmul(tensor1, tensor2);
  return batchedMatmul(tensor1, tensor2);
}

/** `_flatten_nd_linear`: fold every leading dim of a contiguous input into one addmm. */
function flattenNdLinear(input: Tensor, weight: Tensor, bias: Tensor): Tensor {
  const sizes = input._shape.slice();
  const last = sizes[sizes.length - 1]!;
  const flattened = numelOf(sizes.slice(0, -1));
  const inp = reshape(input, [flattened, last]);
  const result = call("aten::addmm", [bias, inp, call("aten::t", [weight]), 1, 1]);
  return call("aten::view", [result, [...sizes.slice(0, -1), result._shape[1]!]]);
}

/**
 * PyTorch's `linear` (y = x W^T + b).
 * @throws RuntimeError "both arguments to linear need to be at least 1D, but they are 0D and 2D"
 * @example
 * linearImpl(x2d, w, b) // t(w) -> addmm(b, x2d, w^T)
 */
export function linearImpl(input: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const di = input.dim();
  const dw = weight.dim();
  if (di === 0 || dw === 0) throw new RuntimeError(`both arguments to linear need to be at least 1D, but they are ${di}D and ${dw}D`);
  if (di === 2 && bias !== null) return call("aten::addmm", [bias, input, call("aten::t", [weight]), 1, 1]);
  if (bias !== null) {
    // PyTorch 2.14 folds any contiguous input into one addmm when the bias is a vector once its
    // size-1 dims are dropped (it calls squeeze() to find out, then passes the original bias)
    const biasIsVector = bias.dim() === 1 || call("aten::squeeze", [bias]).dim() === 1;
    if (biasIsVector && input.isContiguous()) return flattenNdLinear(input, weight, bias);
  }
  let output = call("aten::matmul", [input, call("aten::t", [weight])]);
  if (bias !== null) {
    // out-of-place add under modes / for subclasses (composite compliance), in-place otherwise
    output = isTensorSubclassLike(bias) ? call("aten::add.Tensor", [output, bias, 1]) : call("aten::add_.Tensor", [output, bias, 1]);
  }
  return output;
}

/** matmul and linear, in native_functions.yaml order. */
export const matmulOps: readonly OpDecl[] = [
  {
    schema: "linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor",
    composite: linearImpl as never,
  },
  {
    schema: "matmul(Tensor self, Tensor other) -> Tensor",
    composite: matmulImpl as never,
  },
];
