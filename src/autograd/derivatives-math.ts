// Derivatives of the pointwise math ops (after derivatives.yaml and FunctionsManual.cpp of
// PyTorch 2.14, with the backward op order its generated code has): atan2 hypot fmod xlogy fmax
// fmin frac erfinv lgamma digamma polygamma nan_to_num and their in-place forms. In-place forms
// whose formula reads `self` get the original self, cloned before the op runs (as PyTorch saves
// original_self). logical_xor has no derivative (a bool output).

import { callOp } from "../dispatcher/call-op.js";
import type { Derivative, Saved } from "./formula.js";
import { type Scalar, T, type Tensor, div, formula, mul, mulScalar, neg, op, unaryFormula, withInplace } from "./derivatives-util.js";

const SQRT_PI_HALF = 0.5 * Math.sqrt(Math.PI);

/** The row of an in-place op whose formula needs the original self: a clone taken before the op. */
function withOriginalSelf(row: Derivative, inplaceOp: string): Derivative[] {
  return [
    row,
    {
      ...row,
      op: inplaceOp,
      saveBefore: (args) => ({ original: callOp("aten::clone", [args[0], null]) as Tensor }),
      save: (args, result, before) => row.save([before.original, ...args.slice(1)], result, {}),
    },
  ];
}

const saveSelfOther = (args: readonly unknown[]): Saved => ({ self: args[0], other: args[1] });
const saveSelf = (args: readonly unknown[]): Saved => ({ self: args[0] });
const maskedFill = (t: Tensor, mask: Tensor): Tensor => op("aten::masked_fill.Scalar", t, mask, 0);

/** atan2_backward: recip = 1 / (self^2 + other^2), 0 where the denominator is 0. */
function atan2Grads(g: Tensor, s: Saved, need: Readonly<Record<string, boolean>>): Array<Tensor | null> {
  const self = T(s.self);
  const other = T(s.other);
  // C++ evaluates `self * self + other * other` right to left
  const otherSq = mul(other, other);
  const denom = op("aten::add.Tensor", mul(self, self), otherSq, 1);
  const recip = maskedFill(op("aten::reciprocal", denom), op("aten::eq.Scalar", denom, 0));
  return [need.self ? mul(mul(g, other), recip) : null, need.other ? mul(mul(g, neg(self)), recip) : null];
}

/** fmax/fmin: where(self == other, grad / 2, grad), zeroed where the input lost (the mask is computed first). */
function minMaxGrad(g: Tensor, s: Saved, loses: "aten::gt.Tensor" | "aten::lt.Tensor"): Tensor {
  const mask = op(loses, T(s.self), T(s.other));
  const half = op("aten::div.Scalar", g, 2);
  const tie = op("aten::eq.Tensor", T(s.self), T(s.other));
  return maskedFill(op("aten::where.self", tie, half, g), mask);
}

const fminmax = (opName: string, name: string, max: boolean): Derivative =>
  formula({
    op: opName,
    name,
    inputs: { self: 0, other: 1 },
    save: saveSelfOther,
    grads: {
      other: (g, s) => minMaxGrad(g, s, max ? "aten::gt.Tensor" : "aten::lt.Tensor"),
      self: (g, s) => minMaxGrad(g, s, max ? "aten::lt.Tensor" : "aten::gt.Tensor"),
    },
  });

/** xlogy's self gradient: xlogy(grad, other), 0 where self == 0 and other <= 0. */
function xlogySelfGrad(g: Tensor, self: Tensor, other: Tensor): Tensor {
  const x = op("aten::xlogy.Tensor", g, other);
  // `(self == 0.) & (other <= 0.)`: the right operand first
  const nonPositive = op("aten::le.Scalar", other, 0);
  return maskedFill(x, op("aten::bitwise_and.Tensor", op("aten::eq.Scalar", self, 0), nonPositive));
}

/** `polygamma(n, self)`. */
const polygamma = (n: number, x: Tensor): Tensor => op("aten::polygamma", n, x);

/** The rows of the pointwise math ops. */
export const MATH_DERIVATIVES: readonly Derivative[] = [
  ...withOriginalSelf(
    formula({ op: "aten::atan2", name: "Atan2Backward0", inputs: { self: 0, other: 1 }, save: saveSelfOther, grads: { "self, other": atan2Grads } }),
    "aten::atan2_",
  ),
  ...withOriginalSelf(
    formula({
      op: "aten::hypot",
      name: "HypotBackward0",
      inputs: { self: 0, other: 1 },
      save: (args, out) => ({ self: args[0], other: args[1], result: out }),
      grads: {
        other: (g, s) => div(mul(g, T(s.other)), T(s.result)),
        self: (g, s) => div(mul(g, T(s.self)), T(s.result)),
      },
    }),
    "aten::hypot_",
  ),
  ...withInplace(
    unaryFormula("aten::fmod.Scalar", "FmodBackward0", (g) => g),
    "aten::fmod_.Scalar",
  ),
  ...withOriginalSelf(
    formula({
      op: "aten::fmod.Tensor",
      name: "FmodBackward1",
      inputs: { self: 0, other: 1 },
      save: saveSelfOther,
      grads: {
        // -grad * self.div(other, "trunc"): the right operand first
        other: (g, s) => {
          const q = op("aten::div.Tensor_mode", T(s.self), T(s.other), "trunc");
          return mul(neg(g), q);
        },
        self: (g) => g,
      },
    }),
    "aten::fmod_.Tensor",
  ),
  ...withOriginalSelf(
    formula({
      op: "aten::xlogy.Tensor",
      name: "XlogyBackward0",
      inputs: { self: 0, other: 1 },
      save: saveSelfOther,
      grads: {
        other: (g, s) => div(mul(g, T(s.self)), T(s.other)),
        self: (g, s) => xlogySelfGrad(g, T(s.self), T(s.other)),
      },
    }),
    "aten::xlogy_.Tensor",
  ),
  formula({
    op: "aten::xlogy.Scalar_Self",
    name: "XlogyBackward1",
    inputs: { other: 1 },
    save: saveSelfOther,
    grads: { other: (g, s) => div(mulScalar(g, s.self as Scalar), T(s.other)) },
  }),
  ...withOriginalSelf(
    unaryFormula(
      "aten::xlogy.Scalar_Other",
      "XlogyBackward2",
      (g, s) => {
        const x = op("aten::xlogy.Scalar_Other", g, s.other);
        return Number(s.other) > 0 ? x : maskedFill(x, op("aten::eq.Scalar", T(s.self), 0));
      },
      saveSelfOther,
    ),
    "aten::xlogy_.Scalar_Other",
  ),
  fminmax("aten::fmax", "FmaxBackward0", true),
  fminmax("aten::fmin", "FminBackward0", false),
  ...withInplace(
    unaryFormula("aten::frac", "FracBackward0", (g) => g),
    "aten::frac_",
  ),
  // 0.5 * sqrt(M_PI) * exp(self.erfinv().pow(2)) * grad
  ...withOriginalSelf(
    unaryFormula(
      "aten::erfinv",
      "ErfinvBackward0",
      (g, s) => mul(mulScalar(op("aten::exp", op("aten::pow.Tensor_Scalar", op("aten::erfinv", T(s.self)), 2)), SQRT_PI_HALF), g),
      saveSelf,
    ),
    "aten::erfinv_",
  ),
  ...withOriginalSelf(unaryFormula("aten::lgamma", "LgammaBackward0", (g, s) => mul(g, op("aten::digamma", T(s.self))), saveSelf), "aten::lgamma_"),
  ...withOriginalSelf(unaryFormula("aten::digamma", "DigammaBackward0", (g, s) => mul(g, polygamma(1, T(s.self))), saveSelf), "aten::digamma_"),
  formula({
    op: "aten::polygamma",
    name: "PolygammaBackward0",
    inputs: { self: 1 },
    save: (args) => ({ n: args[0], self: args[1] }),
    grads: { self: (g, s) => mul(g, polygamma((s.n as number) + 1, T(s.self))) },
  }),
  // polygamma_ has its own derivatives.yaml row (hence the name), with the original self
  ...withOriginalSelf(
    unaryFormula("aten::polygamma_", "PolygammaBackward1", (g, s) => mul(g, polygamma((s.n as number) + 1, T(s.self))), (args) => ({
      self: args[0],
      n: args[1],
    })),
    "aten::polygamma_",
  ).slice(1),
  ...withOriginalSelf(unaryFormula("aten::nan_to_num", "NanToNumBackward0", (g, s) => mul(g, op("aten::isfinite", T(s.self))), saveSelf), "aten::nan_to_num_"),
  { op: "aten::logical_xor", name: "", inputs: [], save: () => ({}), backward: () => [] },
];
