// Derivatives of vector norms (PyTorch's norm_backward, shared by linalg_vector_norm and the
// legacy `norm` overloads): one branch per order p (1, 2, inf, below 1, below 2, above 2), with
// the zero-norm cases masked to 0 as PyTorch does.

import type { Derivative } from "./formula.js";
import { T, type Tensor, div, mul, op, toDtype, unaryFormula, unsqueezeMultiple } from "./derivatives-util.js";

const sgn = (x: Tensor): Tensor => op("aten::sgn", x);
const absPow = (x: Tensor, e: number): Tensor => op("aten::pow_.Scalar", op("aten::abs", x), e);
/** grad / norm^(p-1), zero where the norm is zero. */
function scaleBy(g: Tensor, norm: Tensor, p: number): Tensor {
  const v = div(g, op("aten::pow.Tensor_Scalar", norm, p - 1));
  return op("aten::masked_fill_.Scalar", v, op("aten::eq.Scalar", norm, 0), 0);
}

/**
 * PyTorch's norm_backward: the gradient of the p-norm over `dim` (all dims when empty).
 * @example
 * normBackward(grad, x, 2, result, [1], false)
 */
export function normBackward(grad: Tensor, self: Tensor, p: number, normIn: Tensor, dim: readonly number[], keepdim: boolean): Tensor | null {
  const n = self.shape.length;
  let g = grad;
  let norm = normIn;
  if (!keepdim && n !== 0) {
    g = unsqueezeMultiple(grad, dim, n);
    norm = unsqueezeMultiple(normIn, dim, n);
  }
  if (p === 0) return null;
  if (p === 1) return mul(sgn(self), g);
  if (p === 2) {
    const ratio = div(self, norm);
    return mul(g, op("aten::masked_fill_.Scalar", ratio, op("aten::eq.Scalar", norm, 0), 0));
  }
  if (!Number.isFinite(p)) {
    const a = op("aten::abs", self);
    const mask = op("aten::logical_or", op("aten::eq.Tensor", a, norm), op("aten::isnan", a));
    const shared = mul(div(g, op("aten::sum.dim_IntList", mask, dim.slice(), true, null)), mask);
    return mul(sgn(self), shared);
  }
  if (p < 1) {
    const powed = op("aten::masked_fill_.Scalar", absPow(self, p - 1), op("aten::eq.Scalar", self, 0), 0);
    const scaled = mul(sgn(self), powed);
    const right = op("aten::pow.Tensor_Scalar", norm, 1 - p);
    return mul(mul(scaled, g), right);
  }
  if (p < 2) {
    const powed = absPow(self, p - 1);
    const scaled = mul(sgn(self), powed);
    return mul(scaled, scaleBy(g, norm, p));
  }
  const scaled = mul(self, absPow(self, p - 2));
  return mul(scaled, scaleBy(g, norm, p));
}

const ordOf = (p: unknown): number => (p === null || p === undefined ? 2 : Number(p));

/** The legacy `norm` overloads (torch.norm reaches linalg_vector_norm; aten.norm keeps these). */
export const NORM_DERIVATIVES: readonly Derivative[] = [
  unaryFormula("aten::norm.Scalar", "NormBackward0", (g, s) => normBackward(g, T(s.self), ordOf(s.p), T(s.result), [], true)!, (args, out) => ({
    self: args[0],
    p: args[1],
    result: out,
  })),
  unaryFormula(
    "aten::norm.ScalarOpt_dim",
    "NormBackward1",
    (g, s) => normBackward(g, T(s.self), ordOf(s.p), T(s.result), s.dim as number[], s.keepdim as boolean)!,
    (args, out) => ({ self: args[0], p: args[1], dim: args[2], keepdim: args[3], result: out }),
  ),
  unaryFormula(
    "aten::norm.ScalarOpt_dtype",
    "NormBackward2",
    (g, s) => normBackward(g, toDtype(T(s.self), g.dtype), ordOf(s.p), T(s.result), [], true)!,
    (args, out) => ({ self: args[0], p: args[1], result: out }),
  ),
  unaryFormula(
    "aten::norm.ScalarOpt_dim_dtype",
    "NormBackward3",
    (g, s) => normBackward(g, toDtype(T(s.self), g.dtype), ordOf(s.p), T(s.result), s.dim as number[], s.keepdim as boolean)!,
    (args, out) => ({ self: args[0], p: args[1], dim: args[2], keepdim: args[3], result: out }),
  ),
];
