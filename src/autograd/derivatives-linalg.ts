// Derivatives of the matrix products: mm/addmm (keeping a column-major operand's layout in its
// gradient, as PyTorch's mm_mat1_backward/mm_mat2_backward), bmm/baddbmm, dot and mv.

import type { Derivative } from "./formula.js";
import { type Scalar, T, type Tensor, formula, maybeMultiply, mul, op, reshape, t } from "./derivatives-util.js";

const mm = (a: Tensor, b: Tensor): Tensor => op("aten::mm", a, b);
const bmm = (a: Tensor, b: Tensor): Tensor => op("aten::bmm", a, b);
const tr12 = (a: Tensor): Tensor => op("aten::transpose.int", a, 1, 2);

/** Is a matrix laid out column-major (a transposed contiguous one)? */
function columnMajor(sizes: readonly number[], strides: readonly number[]): boolean {
  return strides[0] === 1 && strides[1] === sizes[0] && sizes[0] !== 1 && sizes[1] !== 1;
}

/** PyTorch's mm_mat1_backward: keeps a column-major mat1's layout in its gradient. */
function mat1Grad(g: Tensor, mat2: Tensor, sizes: readonly number[], strides: readonly number[], alpha: Scalar): Tensor {
  if (columnMajor(sizes, strides)) return maybeMultiply(t(mm(mat2, t(g))), alpha);
  return maybeMultiply(mm(g, t(mat2)), alpha);
}

/** PyTorch's mm_mat2_backward: keeps a column-major mat2's layout in its gradient. */
function mat2Grad(g: Tensor, mat1: Tensor, sizes: readonly number[], strides: readonly number[], alpha: Scalar): Tensor {
  if (columnMajor(sizes, strides)) return maybeMultiply(t(mm(t(g), mat1)), alpha);
  return maybeMultiply(mm(t(mat1), g), alpha);
}

/** Sizes and strides of the two matrices at forward time (the backward keeps their layouts). */
function layouts(a: unknown, b: unknown) {
  return { s1: T(a).shape.slice(), st1: T(a).stride(), s2: T(b).shape.slice(), st2: T(b).stride() };
}

/** The matrix-product rows. */
export const LINALG_DERIVATIVES: readonly Derivative[] = [
  formula({
    op: "aten::mm",
    name: "MmBackward0",
    inputs: { self: 0, mat2: 1 },
    save: (args) => ({ self: args[0], mat2: args[1], ...layouts(args[0], args[1]) }),
    grads: {
      mat2: (g, s) => mat2Grad(g, T(s.self), s.s2 as number[], s.st2 as number[], 1),
      self: (g, s) => mat1Grad(g, T(s.mat2), s.s1 as number[], s.st1 as number[], 1),
    },
  }),
  formula({
    op: "aten::addmm",
    name: "AddmmBackward0",
    inputs: { self: 0, mat1: 1, mat2: 2 },
    save: (args) => ({ mat1: args[1], mat2: args[2], beta: args[3], alpha: args[4], ...layouts(args[1], args[2]) }),
    grads: {
      mat1: (g, s) => mat1Grad(g, T(s.mat2), s.s1 as number[], s.st1 as number[], s.alpha as Scalar),
      mat2: (g, s) => mat2Grad(g, T(s.mat1), s.s2 as number[], s.st2 as number[], s.alpha as Scalar),
      self: (g, s) => maybeMultiply(g, s.beta as Scalar),
    },
  }),
  formula({
    op: "aten::bmm",
    name: "BmmBackward0",
    inputs: { self: 0, mat2: 1 },
    save: (args) => ({ self: args[0], mat2: args[1] }),
    grads: {
      mat2: (g, s) => bmm(tr12(T(s.self)), g),
      self: (g, s) => bmm(g, tr12(T(s.mat2))),
    },
  }),
  formula({
    op: "aten::baddbmm",
    name: "BaddbmmBackward0",
    inputs: { self: 0, batch1: 1, batch2: 2 },
    save: (args) => ({ batch1: args[1], batch2: args[2], beta: args[3], alpha: args[4] }),
    grads: {
      batch1: (g, s) => maybeMultiply(bmm(g, tr12(T(s.batch2))), s.alpha as Scalar),
      batch2: (g, s) => maybeMultiply(bmm(tr12(T(s.batch1)), g), s.alpha as Scalar),
      self: (g, s) => maybeMultiply(g, s.beta as Scalar),
    },
  }),
  formula({
    op: "aten::dot",
    name: "DotBackward0",
    inputs: { self: 0, tensor: 1 },
    save: (args) => ({ self: args[0], tensor: args[1] }),
    grads: { self: (g, s) => mul(g, T(s.tensor)), tensor: (g, s) => mul(g, T(s.self)) },
  }),
  formula({
    op: "aten::mv",
    name: "MvBackward0",
    inputs: { self: 0, vec: 1 },
    save: (args) => ({ self: args[0], vec: args[1] }),
    grads: {
      // grad.ger(vec): outer's decomposition, grad.reshape({n, 1}) * vec
      self: (g, s) => mul(reshape(g, [g.shape[0]!, 1]), T(s.vec)),
      vec: (g, s) => op("aten::mv", t(T(s.self)), g),
    },
  }),
];
