// Tensor methods and top-level functions of the linalg family (see tensor-methods.ts for the
// pattern): thin wrappers that build the full argument list and call the operator through the
// dispatcher. `linear` stays an operator only (nn.functional.linear calls it).

import { callOp } from "../../dispatcher/call-op.js";
import { Tensor } from "../tensor.js";

type Scalar = number | boolean | bigint;
/** beta (scale of the addend) and alpha (scale of the product) of addmm / baddbmm. */
export interface AddmmOptions {
  beta?: Scalar;
  alpha?: Scalar;
}

declare module "../tensor.js" {
  interface Tensor {
    /** Matrix product with broadcasting (`aten::matmul`): dot, mv, mm or batched mm by rank. */
    matmul(other: Tensor): Tensor;
    /** Product of two matrices (`aten::mm`). */
    mm(mat2: Tensor): Tensor;
    /** Batched product of two 3-D tensors (`aten::bmm`). */
    bmm(mat2: Tensor): Tensor;
    /** Inner product of two 1-D tensors (`aten::dot`). */
    dot(other: Tensor): Tensor;
    /** Matrix-vector product (`aten::mv`). */
    mv(vec: Tensor): Tensor;
    /** `beta * self + alpha * (mat1 @ mat2)` (`aten::addmm`). */
    addmm(mat1: Tensor, mat2: Tensor, opts?: AddmmOptions): Tensor;
    /** `beta * self + alpha * bmm(batch1, batch2)` (`aten::baddbmm`). */
    baddbmm(batch1: Tensor, batch2: Tensor, opts?: AddmmOptions): Tensor;
  }
}

const P = Tensor.prototype;
const op = (name: string, args: unknown[]) => callOp(name, args) as Tensor;

P.matmul = function (this: Tensor, other: Tensor) {
  return op("aten::matmul", [this, other]);
};
P.mm = function (this: Tensor, mat2: Tensor) {
  return op("aten::mm", [this, mat2]);
};
P.bmm = function (this: Tensor, mat2: Tensor) {
  return op("aten::bmm", [this, mat2]);
};
P.dot = function (this: Tensor, other: Tensor) {
  return op("aten::dot", [this, other]);
};
P.mv = function (this: Tensor, vec: Tensor) {
  return op("aten::mv", [this, vec]);
};
P.addmm = function (this: Tensor, mat1: Tensor, mat2: Tensor, opts?: AddmmOptions) {
  return op("aten::addmm", [this, mat1, mat2, opts?.beta ?? 1, opts?.alpha ?? 1]);
};
P.baddbmm = function (this: Tensor, batch1: Tensor, batch2: Tensor, opts?: AddmmOptions) {
  return op("aten::baddbmm", [this, batch1, batch2, opts?.beta ?? 1, opts?.alpha ?? 1]);
};

/**
 * Matrix product with broadcasting, by rank: dot (1-D x 1-D), mv, mm, or a batched product.
 * @example
 * torch.matmul(torch.ones([2, 3]), torch.ones([3])).shape // [2]
 */
export function matmul(input: Tensor, other: Tensor): Tensor {
  return input.matmul(other);
}

/**
 * Product of two matrices.
 * @example
 * torch.mm(torch.eye(2), torch.ones([2, 3])).shape // [2, 3]
 */
export function mm(input: Tensor, mat2: Tensor): Tensor {
  return input.mm(mat2);
}

/**
 * Batched product of two 3-D tensors with the same batch size.
 * @example
 * torch.bmm(torch.ones([4, 2, 3]), torch.ones([4, 3, 5])).shape // [4, 2, 5]
 */
export function bmm(input: Tensor, mat2: Tensor): Tensor {
  return input.bmm(mat2);
}

/**
 * Inner product of two 1-D tensors of the same size and dtype (a 0-dim tensor).
 * @example
 * torch.dot(torch.tensor([1, 2]), torch.tensor([3, 4])).item() // 11
 */
export function dot(input: Tensor, other: Tensor): Tensor {
  return input.dot(other);
}

/**
 * Matrix-vector product.
 * @example
 * torch.mv(torch.ones([2, 3]), torch.ones([3])).tolist() // [3, 3]
 */
export function mv(input: Tensor, vec: Tensor): Tensor {
  return input.mv(vec);
}

/**
 * `beta * input + alpha * (mat1 @ mat2)`, input broadcast to the product's shape.
 * @example
 * torch.addmm(bias, x, w, { beta: 0.5, alpha: 2 })
 */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, opts?: AddmmOptions): Tensor {
  return input.addmm(mat1, mat2, opts);
}

/**
 * `beta * input + alpha * bmm(batch1, batch2)`, input broadcast to the product's shape.
 * @example
 * torch.baddbmm(torch.zeros([4, 2, 5]), torch.ones([4, 2, 3]), torch.ones([4, 3, 5]))
 */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts?: AddmmOptions): Tensor {
  return input.baddbmm(batch1, batch2, opts);
}

/**
 * Einstein summation over the operands, given as arguments or as one array.
 * @example
 * torch.einsum("bij,bjk->bik", a, b) // same as torch.bmm(a, b)
 * torch.einsum("ii->i", [m])         // the diagonal
 */
export function einsum(equation: string, ...operands: Array<Tensor | readonly Tensor[]>): Tensor {
  const tensors = operands.length === 1 && Array.isArray(operands[0]) ? [...operands[0]] : (operands as Tensor[]);
  return op("aten::einsum", [equation, tensors, null]);
}
