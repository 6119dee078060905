// Derivatives of elementwise math: exp/log/trig/hyperbolic/erf/roots, rounding (zero gradients), activations
// (relu, sigmoid, tanh, gelu, silu through their backward ops), pow in its three overloads, and
// the in-place forms whose formula reads only the result. Ops with a saved output unpack it first.

import { RuntimeError } from "../core/errors.js";
import type { Derivative, Saved } from "./formula.js";
import { isGradEnabled } from "./engine.js";
import {
  type Scalar,
  T,
  type Tensor,
  div,
  mul,
  mulScalar,
  neg,
  op,
  saveResult,
  saveSelf,
  scalarMinus,
  scalarTensor,
  unaryFormula,
  where,
  withInplace,
  zerosLike,
  formula,
} from "./derivatives-util.js";

type Rule = (g: Tensor, s: Saved) => Tensor;

/** `x + 1` (C++'s `tensor + 1`: add.Scalar). */
const addOne = (x: Tensor): Tensor => op("aten::add.Scalar", x, 1, 1);
/** `x.pow(2)`. */
const sq = (x: Tensor): Tensor => op("aten::pow.Tensor_Scalar", x, 2);

/** A row reading `result` (so its in-place form can share it). */
const onResult = (opName: string, name: string, rule: Rule, inplace: string | null = null): Derivative[] => {
  const d = unaryFormula(opName, name, rule, saveResult);
  return inplace ? withInplace(d, inplace) : [d];
};
/** A row reading `self` (in-place forms would need the original self: not registered). */
const onSelf = (opName: string, name: string, rule: Rule): Derivative => unaryFormula(opName, name, rule, saveSelf);
/** Zero gradients (rounding, sign): `zeros_like(grad)`. */
const zeroGrad = (opName: string, name: string, inplace: string | null): Derivative[] => {
  const d = unaryFormula(opName, name, (g) => zerosLike(g));
  return inplace ? withInplace(d, inplace) : [d];
};

/** PyTorch's pow_backward_self: where(exponent == 0, 0, grad * exponent * self^(exponent - 1)). */
function powSelfGrad(g: Tensor, self: Tensor, exponent: Tensor): Tensor {
  const value = mul(g, mul(exponent, op("aten::pow.Tensor_Tensor", self, op("aten::sub.Scalar", exponent, 1, 1))));
  const zero = scalarTensor(0, g);
  return where(op("aten::eq.Scalar", exponent, 0), zero, value);
}

/** PyTorch's pow_backward_exponent for a tensor base: grad * where(self == 0 & exp >= 0, 0, result * log(self)). */
function powExponentGrad(g: Tensor, self: Tensor, exponent: Tensor, result: Tensor): Tensor {
  // C++ evaluates the arguments right to left: `exponent >= 0` first
  const nonNegative = op("aten::ge.Scalar", exponent, 0);
  const cond = op("aten::logical_and", op("aten::eq.Scalar", self, 0), nonNegative);
  const logged = mul(result, op("aten::log", self));
  return mul(g, where(cond, scalarTensor(0, g), logged));
}

/** ... and for a scalar base (pow.Scalar). */
function powScalarBaseGrad(g: Tensor, base: number, exponent: Tensor, result: Tensor): Tensor {
  const scaled = mulScalar(result, Math.log(base));
  if (base !== 0) return mul(g, scaled);
  const zero = op("aten::zeros", [], g.dtype, null, g.device, null);
  return mul(g, where(op("aten::ge.Scalar", exponent, 0), zero, scaled));
}

/** PyTorch's infinitely_differentiable_silu_backward: grad * s * (1 + x * (1 - s)), s = sigmoid(x). */
function siluDoubleBackwardable(g: Tensor, x: Tensor): Tensor {
  const s = op("aten::sigmoid", x);
  const right = op("aten::add.Scalar", mul(x, scalarMinus(1, s)), 1, 1);
  return mul(mul(g, s), right);
}

/** The elementwise math rows. */
export const POINTWISE_DERIVATIVES: readonly Derivative[] = [
  ...onResult("aten::exp", "ExpBackward0", (g, s) => mul(g, T(s.result)), "aten::exp_"),
  onSelf("aten::log", "LogBackward0", (g, s) => div(g, T(s.self))),
  // log1p_backward: grad / (self + 1)
  onSelf("aten::log1p", "Log1PBackward0", (g, s) => div(g, op("aten::add.Scalar", T(s.self), 1, 1))),
  // abs: grad * self.sgn()
  onSelf("aten::abs", "AbsBackward0", (g, s) => mul(g, op("aten::sgn", T(s.self)))),
  ...zeroGrad("aten::sign", "SignBackward0", "aten::sign_"),
  // sgn_backward of a real tensor: an efficient zero tensor of the result's size
  unaryFormula("aten::sgn", "SgnBackward0", (g, s) => op("aten::_efficientzerotensor", T(s.result).shape.slice(), g.dtype, null, g.device, null), saveResult),
  ...zeroGrad("aten::ceil", "CeilBackward0", "aten::ceil_"),
  ...zeroGrad("aten::floor", "FloorBackward0", "aten::floor_"),
  ...zeroGrad("aten::round", "RoundBackward0", "aten::round_"),
  ...zeroGrad("aten::trunc", "TruncBackward0", "aten::trunc_"),
  ...zeroGrad("aten::round.decimals", "RoundBackward1", "aten::round_.decimals"),
  // grad / (2 * result)
  ...onResult("aten::sqrt", "SqrtBackward0", (g, s) => div(g, mulScalar(T(s.result), 2)), "aten::sqrt_"),
  // -0.5 * grad * result.pow(3)
  ...onResult(
    "aten::rsqrt",
    "RsqrtBackward0",
    (g, s) => {
      const cube = op("aten::pow.Tensor_Scalar", T(s.result), 3);
      return mul(mulScalar(g, -0.5), cube);
    },
    "aten::rsqrt_",
  ),
  // -grad * (result * result)
  ...onResult(
    "aten::reciprocal",
    "ReciprocalBackward0",
    (g, s) => {
      const sq = mul(T(s.result), T(s.result));
      return mul(neg(g), sq);
    },
    "aten::reciprocal_",
  ),
  onSelf("aten::sin", "SinBackward0", (g, s) => mul(g, op("aten::cos", T(s.self)))),
  onSelf("aten::cos", "CosBackward0", (g, s) => mul(g, neg(op("aten::sin", T(s.self))))),
  // grad * (1 + result.pow(2))
  ...onResult("aten::tan", "TanBackward0", (g, s) => mul(g, addOne(sq(T(s.result)))), "aten::tan_"),
  // grad * (-self * self + 1).rsqrt()
  onSelf("aten::asin", "AsinBackward0", (g, s) => mul(g, op("aten::rsqrt", addOne(mul(neg(T(s.self)), T(s.self)))))),
  // grad * -((-self * self + 1).rsqrt())
  onSelf("aten::acos", "AcosBackward0", (g, s) => mul(g, neg(op("aten::rsqrt", addOne(mul(neg(T(s.self)), T(s.self))))))),
  // grad / (self * self + 1)
  onSelf("aten::atan", "AtanBackward0", (g, s) => div(g, addOne(mul(T(s.self), T(s.self))))),
  onSelf("aten::sinh", "SinhBackward0", (g, s) => mul(g, op("aten::cosh", T(s.self)))),
  onSelf("aten::cosh", "CoshBackward0", (g, s) => mul(g, op("aten::sinh", T(s.self)))),
  // grad * (self.pow(2) + 1).rsqrt()
  onSelf("aten::asinh", "AsinhBackward0", (g, s) => mul(g, op("aten::rsqrt", addOne(sq(T(s.self)))))),
  // grad * (self * self - 1).rsqrt()
  onSelf("aten::acosh", "AcoshBackward0", (g, s) =>
    mul(g, op("aten::rsqrt", op("aten::sub.Scalar", mul(T(s.self), T(s.self)), 1, 1))),
  ),
  // grad * 1 / (1 - self.pow(2)): the divisor is evaluated first
  onSelf("aten::atanh", "AtanhBackward0", (g, s) => {
    const d = scalarMinus(1, sq(T(s.self)));
    return div(mulScalar(g, 1), d);
  }),
  // PyTorch has no formula for these in-place forms: the error comes at backward
  ...["asinh", "acosh", "atanh"].map((n) =>
    unaryFormula(`aten::${n}_`, `${n[0]!.toUpperCase()}${n.slice(1)}Backward1`, () => {
      throw new RuntimeError(`the derivative for 'inplace version of ${n}' is not implemented.`);
    }),
  ),
  // grad * (result + 1)
  ...onResult("aten::expm1", "Expm1Backward0", (g, s) => mul(g, addOne(T(s.result))), "aten::expm1_"),
  // grad * result * ln 2
  ...onResult("aten::exp2", "Exp2Backward0", (g, s) => mulScalar(mul(g, T(s.result)), Math.LN2), "aten::exp2_"),
  onSelf("aten::log2", "Log2Backward0", (g, s) => div(g, mulScalar(T(s.self), Math.LN2))),
  // derivatives.yaml writes 2.3025850929940456, which parses to this double (not Math.LN10)
  onSelf("aten::log10", "Log10Backward0", (g, s) => div(g, mulScalar(T(s.self), 2.3025850929940455))),
  // 2 / sqrt(pi) * exp(-(self.pow(2))) * grad
  onSelf("aten::erf", "ErfBackward0", (g, s) => mul(mulScalar(op("aten::exp", neg(sq(T(s.self)))), 2 / Math.sqrt(Math.PI)), g)),
  ...onResult("aten::relu", "ReluBackward0", (g, s) => op("aten::threshold_backward", g, T(s.result), 0), "aten::relu_"),
  ...onResult("aten::sigmoid", "SigmoidBackward0", (g, s) => op("aten::sigmoid_backward", g, T(s.result)), "aten::sigmoid_"),
  ...onResult("aten::tanh", "TanhBackward0", (g, s) => op("aten::tanh_backward", g, T(s.result)), "aten::tanh_"),
  unaryFormula("aten::gelu", "GeluBackward0", (g, s) => op("aten::gelu_backward", g, T(s.self), s.approximate), (args) => ({
    self: args[0],
    approximate: args[1],
  })),
  onSelf("aten::silu", "SiluBackward0", (g, s) => (isGradEnabled() ? siluDoubleBackwardable(g, T(s.self)) : op("aten::silu_backward", g, T(s.self)))),
  unaryFormula(
    "aten::pow.Tensor_Scalar",
    "PowBackward0",
    (g, s) => {
      const e = Number(s.exponent);
      if (e === 0) return zerosLike(T(s.self));
      return mul(g, mulScalar(op("aten::pow.Tensor_Scalar", T(s.self), e - 1), e));
    },
    (args) => ({ self: args[0], exponent: args[1] }),
  ),
  formula({
    op: "aten::pow.Tensor_Tensor",
    name: "PowBackward1",
    inputs: { self: 0, exponent: 1 },
    save: (args, out) => ({ self: args[0], exponent: args[1], result: out }),
    grads: {
      exponent: (g, s) => powExponentGrad(g, T(s.self), T(s.exponent), T(s.result)),
      self: (g, s) => powSelfGrad(g, T(s.self), T(s.exponent)),
    },
  }),
  formula({
    op: "aten::pow.Scalar",
    name: "PowBackward2",
    inputs: { exponent: 1 },
    save: (args, out) => ({ base: args[0], exponent: args[1], result: out }),
    grads: { exponent: (g, s) => powScalarBaseGrad(g, Number(s.base as Scalar), T(s.exponent), T(s.result)) },
  }),
];
