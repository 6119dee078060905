// Derivatives of ops that select between values: clamp (scalar and tensor bounds, ties split as
// PyTorch 2.14 does), maximum/minimum, where, masked_fill; ops that overwrite their input (fill_,
// zero_, copy_, random fills, in-place comparisons); and ops PyTorch never differentiates.

import type { Derivative, Saved } from "./formula.js";
import {
  T,
  type Tensor,
  divScalar,
  formula,
  op,
  scalarTensor,
  subclassLike,
  unaryFormula,
  where,
  withInplace,
  zerosLike,
} from "./derivatives-util.js";

const cmp = (name: string, a: Tensor, b: Tensor): Tensor => op(`aten::${name}.Tensor`, a, b);
const and = (a: Tensor, b: Tensor): Tensor => op("aten::logical_and", a, b);
const or = (a: Tensor, b: Tensor): Tensor => op("aten::logical_or", a, b);

/** PyTorch's masked_fill_inplace_if_safe: in place unless a subclass or mode is involved. */
function maskedFillSafe(x: Tensor, mask: Tensor): Tensor {
  return subclassLike(x, mask) ? op("aten::masked_fill.Scalar", x, mask, 0) : op("aten::masked_fill_.Scalar", x, mask, 0);
}

/** Ties split the gradient: masked_fill(where(tie, grad / 2, grad), inactive, 0). */
function splitTies(g: Tensor, inactive: Tensor, tie: () => Tensor): Tensor {
  const half = divScalar(g, 2);
  return maskedFillSafe(where(tie(), half, g), inactive);
}

/** clamp_backward with scalar bounds: the gradient passes strictly inside the bounds. */
function clampScalarGrad(g: Tensor, self: Tensor, min: unknown, max: unknown): Tensor {
  if (min === null && max === null) return g;
  const zero = scalarTensor(0, g);
  if (min !== null && max !== null) {
    const above = op("aten::gt.Scalar", self, min);
    const inside = op("aten::logical_and_", above, op("aten::lt.Scalar", self, max));
    return where(inside, g, zero);
  }
  return where(min !== null ? op("aten::gt.Scalar", self, min) : op("aten::lt.Scalar", self, max), g, zero);
}

/** where(self <cmp> bound, grad, 0): the zero is made first (C++ evaluates arguments right to left). */
function passWhere(g: Tensor, c: "gt" | "lt", self: Tensor, bound: unknown): Tensor {
  const zero = scalarTensor(0, g);
  return where(op(`aten::${c}.Scalar`, self, bound), g, zero);
}

/** clamp.Tensor's `self` gradient. */
function clampTensorSelfGrad(g: Tensor, self: Tensor, min: Tensor | null, max: Tensor | null): Tensor {
  if (min !== null && max !== null) {
    const minLtMax = cmp("lt", min, max);
    const tie = and(or(cmp("eq", self, min), cmp("eq", self, max)), minLtMax);
    const outside = or(cmp("lt", self, min), cmp("gt", self, max));
    return splitTies(g, outside, () => tie);
  }
  if (min !== null) return splitTies(g, cmp("lt", self, min), () => cmp("eq", self, min));
  if (max !== null) return splitTies(g, cmp("gt", self, max), () => cmp("eq", self, max));
  return g;
}

/** clamp.Tensor's `min` and `max` gradients (clamp_backward_min_max). */
function clampBoundsGrads(g: Tensor, self: Tensor, min: Tensor | null, max: Tensor | null, needs: Readonly<Record<string, boolean>>): Array<Tensor | null> {
  const out: Array<Tensor | null> = [null, null];
  if (min !== null && max !== null) {
    const minLtMax = cmp("lt", min, max);
    const minEqMax = cmp("eq", min, max);
    if (needs.min) {
      // min wins below it (also when min == max), and splits a tie with self when min < max
      const active = or(and(cmp("le", self, min), minLtMax), and(cmp("lt", self, min), minEqMax));
      out[0] = splitTies(g, op("aten::logical_not", active), () => cmp("eq", self, min));
    }
    if (needs.max) {
      const maxLtMin = cmp("lt", max, min);
      const active = or(or(maxLtMin, and(cmp("ge", self, max), minLtMax)), and(cmp("gt", self, max), minEqMax));
      out[1] = splitTies(g, op("aten::logical_not", active), () => and(cmp("eq", self, max), minLtMax));
    }
  } else if (min !== null && needs.min) {
    out[0] = splitTies(g, cmp("gt", self, min), () => cmp("eq", self, min));
  } else if (max !== null && needs.max) {
    out[1] = splitTies(g, cmp("lt", self, max), () => cmp("eq", self, max));
  }
  return out;
}

/** maximum/minimum and clamp_min/clamp_max with a tensor bound: `a` wins where `pick(a, b)`. */
function pairwise(opName: string, name: string, other: string, winsSelf: "gt" | "lt"): Derivative {
  const losesSelf = winsSelf === "gt" ? "lt" : "gt";
  return formula({
    op: opName,
    name,
    inputs: { self: 0, [other]: 1 },
    save: (args) => ({ self: args[0], other: args[1] }),
    grads: {
      // the other operand receives the gradient where self loses
      [other]: (g: Tensor, s: Saved) => splitTies(g, cmp(winsSelf, T(s.self), T(s.other)), () => cmp("eq", T(s.self), T(s.other))),
      self: (g: Tensor, s: Saved) => splitTies(g, cmp(losesSelf, T(s.self), T(s.other)), () => cmp("eq", T(s.self), T(s.other))),
    },
  });
}

const zeroRow = (opName: string, name: string): Derivative => unaryFormula(opName, name, (g) => zerosLike(g));
/** `zeros_like(self)` through a TypeAndSize: PyTorch calls `zeros`. */
const zerosOfRow = (opName: string, name: string, inputs: Record<string, number>): Derivative =>
  formula({
    op: opName,
    name,
    inputs,
    save: (args) => Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, { shape: T(args[i]).shape.slice(), dtype: T(args[i]).dtype }])),
    grads: Object.fromEntries(
      Object.keys(inputs).map((k) => [
        k,
        (g: Tensor, s: Saved) => {
          const info = s[k] as { shape: number[]; dtype: string };
          return op("aten::zeros", info.shape, info.dtype, null, g.device, null);
        },
      ]),
    ),
  });
/** An op whose outputs never require grad (PyTorch's DONT_REQUIRE_DERIVATIVE). */
const noDerivative = (opName: string): Derivative => ({ op: opName, name: "", inputs: [], save: () => ({}), backward: () => [] });

const COMPARISONS = ["eq", "ne", "gt", "ge", "lt", "le"].flatMap((c) => {
  const base = `${c[0]!.toUpperCase()}${c[1]}`;
  return [zerosOfRow(`aten::${c}_.Scalar`, `${base}Backward0`, { self: 0 }), zerosOfRow(`aten::${c}_.Tensor`, `${base}Backward1`, { self: 0, other: 1 })];
});

/** The selection and overwrite rows. */
export const SELECT_DERIVATIVES: readonly Derivative[] = [
  unaryFormula("aten::clamp", "ClampBackward1", (g, s) => clampScalarGrad(g, T(s.self), s.min ?? null, s.max ?? null), (args) => ({
    self: args[0],
    min: args[1],
    max: args[2],
  })),
  formula({
    op: "aten::clamp.Tensor",
    name: "ClampBackward0",
    inputs: { self: 0, min: 1, max: 2 },
    save: (args) => ({ self: args[0], min: args[1] ?? null, max: args[2] ?? null }),
    grads: {
      "min, max": (g, s, needs) => clampBoundsGrads(g, T(s.self), s.min as Tensor | null, s.max as Tensor | null, needs),
      self: (g, s) => clampTensorSelfGrad(g, T(s.self), s.min as Tensor | null, s.max as Tensor | null),
    },
  }),
  unaryFormula("aten::clamp_min", "ClampMinBackward0", (g, s) => passWhere(g, "gt", T(s.self), s.bound), (args) => ({ self: args[0], bound: args[1] })),
  unaryFormula("aten::clamp_max", "ClampMaxBackward0", (g, s) => passWhere(g, "lt", T(s.self), s.bound), (args) => ({ self: args[0], bound: args[1] })),
  pairwise("aten::clamp_min.Tensor", "ClampMinBackward1", "min", "gt"),
  pairwise("aten::clamp_max.Tensor", "ClampMaxBackward1", "max", "lt"),
  pairwise("aten::maximum", "MaximumBackward0", "other", "gt"),
  pairwise("aten::minimum", "MinimumBackward0", "other", "lt"),
  formula({
    op: "aten::where.self",
    name: "WhereBackward0",
    inputs: { self: 1, other: 2 },
    save: (args) => ({ condition: args[0] }),
    grads: {
      other: (g, s) => op("aten::where.ScalarSelf", T(s.condition), 0, g),
      self: (g, s) => op("aten::where.ScalarOther", T(s.condition), g, 0),
    },
  }),
  ...withInplace(
    unaryFormula("aten::masked_fill.Scalar", "MaskedFillBackward0", (g, s) => op("aten::masked_fill.Scalar", g, T(s.mask), 0), (args) => ({ mask: args[1] })),
    "aten::masked_fill_.Scalar",
  ),
  ...withInplace(
    formula({
      op: "aten::masked_fill.Tensor",
      name: "MaskedFillBackward1",
      inputs: { self: 0, value: 2 },
      save: (args) => ({ mask: args[1] }),
      grads: {
        self: (g, s) => op("aten::masked_fill.Scalar", g, T(s.mask), 0),
        // masked_fill_backward: the sum of the gradient over the filled positions
        value: (g, s) => {
          const mask = T(s.mask);
          const picked = subclassLike(g, mask) ? op("aten::where.ScalarOther", mask, g, 0) : op("aten::masked_select", g, mask);
          return op("aten::sum", picked, null);
        },
      },
    }),
    "aten::masked_fill_.Tensor",
  ),
  zeroRow("aten::fill_.Scalar", "FillBackward2"),
  formula({
    op: "aten::fill_.Tensor",
    name: "FillBackward3",
    inputs: { self: 0, value: 1 },
    grads: { self: (g) => zerosLike(g), value: (g) => op("aten::sum", g, null) },
  }),
  zeroRow("aten::zero_", "ZeroBackward0"),
  formula({
    op: "aten::copy_",
    name: "torch::autograd::CopyBackwards",
    inputs: { self: 0, src: 1 },
    save: (args) => ({ srcDtype: T(args[1]).dtype }),
    grads: {
      self: (g) => zerosLike(g),
      src: (g, s) => op("aten::to.dtype", g, s.srcDtype, false, false, null),
    },
  }),
  zeroRow("aten::uniform_", "UniformBackward0"),
  zeroRow("aten::normal_", "NormalBackward0"),
  zerosOfRow("aten::normal.Tensor_float", "NormalBackward1", { mean: 0 }),
  zerosOfRow("aten::normal.float_Tensor", "NormalBackward2", { std: 1 }),
  zerosOfRow("aten::normal.Tensor_Tensor", "NormalBackward3", { mean: 0, std: 1 }),
  zeroRow("aten::bernoulli", "BernoulliBackward0"),
  formula({
    op: "aten::bernoulli_.Tensor",
    name: "BernoulliBackward1",
    inputs: { self: 0, p: 1 },
    save: (args) => ({ p: args[1] }),
    grads: { p: (_g, s) => zerosLike(T(s.p)), self: (g) => zerosLike(g) },
  }),
  zeroRow("aten::bernoulli_.float", "BernoulliBackward2"),
  zeroRow("aten::random_.from", "RandomBackward0"),
  zeroRow("aten::random_.to", "RandomBackward1"),
  zeroRow("aten::random_", "RandomBackward2"),
  zeroRow("aten::exponential_", "ExponentialBackward0"),
  ...COMPARISONS,
  // (formula.ts keeps detach, the *_like factories... below autograd already)
  ...[
    "rand_like.generator",
    "randn_like.generator",
    "new_zeros",
    "isnan",
    "isinf",
    "logical_and",
    "logical_or",
    "logical_not",
    "argmax",
    "argmin",
    "view.dtype",
  ].map((n) => noDerivative(`aten::${n}`)),
];
