// Derivatives of arithmetic: add/sub/rsub/mul/div in every overload (and the in-place forms whose
// formula does not need the original `self`), neg, remainder, lerp, addcmul, addcdiv. As derivatives.yaml: C++
// scalars go through the `.Scalar` overloads, and gradients are computed in input-name order.

import type { Derivative } from "./formula.js";
import {
  type Scalar,
  T,
  div,
  divScalar,
  formula,
  maybeMultiply,
  mul,
  mulScalar,
  neg,
  op,
  scalarMinus,
  scalarOver,
  sub,
  type Tensor,
  unaryFormula,
  withInplace,
} from "./derivatives-util.js";

/** The rows of an op and of its in-place form (`add_.Tensor` records `AddBackward0` too). */
const both = (d: Derivative, inplace: string | null): Derivative[] => (inplace ? withInplace(d, inplace) : [d]);

/** PyTorch's div_tensor_other_backward: `-grad * ((self / other) / other)`. */
function divOtherGrad(g: Tensor, self: Tensor, other: Tensor): Tensor {
  const q = div(div(self, other), other);
  return mul(neg(g), q);
}

const addSub = (name: string, opName: string, sign: 1 | -1, inplace: string): Derivative[] =>
  both(
    formula({
      op: opName,
      name,
      inputs: { self: 0, other: 1 },
      save: (args) => ({ alpha: args[2] }),
      grads: {
        other: (g, s) => maybeMultiply(sign === 1 ? g : neg(g), s.alpha as Scalar),
        self: (g) => g,
      },
    }),
    inplace,
  );

const scalarIdentity = (opName: string, name: string, inplace: string): Derivative[] => both(unaryFormula(opName, name, (g) => g), inplace);

function mulDiv(opName: string, inplace: string | null, isDiv: boolean, mode: boolean): Derivative[] {
  const name = isDiv ? (mode ? "DivBackward2" : "DivBackward0") : "MulBackward0";
  const row = (inplaceRow: boolean): Derivative => {
    const d = formula({
      op: inplaceRow ? inplace! : opName,
      name,
      inputs: { self: 0, other: 1 },
      save: (args) => ({ self: args[0], other: args[1], mode: mode ? args[2] : null, selfDtype: T(args[0]).dtype }),
      grads: {
        other: (g, s) => {
          if (!isDiv) return mul(g, T(s.self));
          if (s.mode !== null) return op("aten::zeros_like", g, T(s.other).dtype, null, null, null, null);
          return divOtherGrad(g, T(s.self), T(s.other));
        },
        self: (g, s) => {
          if (!isDiv) return mul(g, T(s.other));
          if (s.mode !== null) return op("aten::zeros_like", g, s.selfDtype, null, null, null, null);
          return div(g, T(s.other));
        },
      },
    });
    if (!inplaceRow) return d;
    // the in-place form: other's gradient reads the original self, so PyTorch saves a clone first
    return {
      ...d,
      saveBefore: (args) => (T(args[1])?.requiresGrad === true ? { original: op("aten::clone", args[0], null) } : {}),
      save: (args, out, before) => ({ ...d.save(args, out, {}), self: before.original ?? null }),
    };
  };
  return inplace ? [row(false), row(true)] : [row(false)];
}

function scalarMulDiv(opName: string, inplace: string, name: string, isDiv: boolean, mode: boolean): Derivative[] {
  return both(
    unaryFormula(
      opName,
      name,
      (g, s) => {
        if (mode && s.mode !== null) return op("aten::zeros_like", g, s.selfDtype, null, null, null, null);
        return isDiv ? divScalar(g, s.other as Scalar) : mulScalar(g, s.other as Scalar);
      },
      (args) => ({ other: args[1], mode: mode ? args[2] : null, selfDtype: T(args[0]).dtype }),
    ),
    inplace,
  );
}

/** The arithmetic rows. */
export const ARITH_DERIVATIVES: readonly Derivative[] = [
  ...addSub("AddBackward0", "aten::add.Tensor", 1, "aten::add_.Tensor"),
  ...addSub("SubBackward0", "aten::sub.Tensor", -1, "aten::sub_.Tensor"),
  ...scalarIdentity("aten::add.Scalar", "AddBackward1", "aten::add_.Scalar"),
  ...scalarIdentity("aten::sub.Scalar", "SubBackward1", "aten::sub_.Scalar"),
  formula({
    op: "aten::rsub.Tensor",
    name: "RsubBackward0",
    inputs: { self: 0, other: 1 },
    save: (args) => ({ alpha: args[2] }),
    grads: { other: (g) => g, self: (g, s) => maybeMultiply(neg(g), s.alpha as Scalar) },
  }),
  unaryFormula("aten::rsub.Scalar", "RsubBackward1", (g, s) => maybeMultiply(neg(g), s.alpha as Scalar), (args) => ({ alpha: args[2] })),
  ...mulDiv("aten::mul.Tensor", "aten::mul_.Tensor", false, false),
  ...mulDiv("aten::div.Tensor", "aten::div_.Tensor", true, false),
  ...mulDiv("aten::div.Tensor_mode", "aten::div_.Tensor_mode", true, true),
  ...scalarMulDiv("aten::mul.Scalar", "aten::mul_.Scalar", "MulBackward1", false, false),
  ...scalarMulDiv("aten::div.Scalar", "aten::div_.Scalar", "DivBackward1", true, false),
  ...scalarMulDiv("aten::div.Scalar_mode", "aten::div_.Scalar_mode", "DivBackward3", true, true),
  ...both(unaryFormula("aten::neg", "NegBackward0", (g) => neg(g)), "aten::neg_"),
  ...scalarIdentity("aten::remainder.Scalar", "RemainderBackward0", "aten::remainder_.Scalar"),
  formula({
    op: "aten::remainder.Tensor",
    name: "RemainderBackward1",
    inputs: { self: 0, other: 1 },
    save: (args) => ({ self: args[0], other: args[1] }),
    grads: {
      other: (g, s) => {
        const q = op("aten::div.Tensor_mode", T(s.self), T(s.other), "floor");
        return mul(neg(g), q);
      },
      self: (g) => g,
    },
  }),
  ...both(
    formula({
      op: "aten::lerp.Scalar",
      name: "LerpBackward0",
      inputs: { self: 0, end: 1 },
      save: (args) => ({ weight: args[2] }),
      grads: {
        end: (g, s) => mulScalar(g, s.weight as Scalar),
        self: (g, s) => mulScalar(g, 1 - Number(s.weight)),
      },
    }),
    "aten::lerp_.Scalar",
  ),
  ...both(
    formula({
      op: "aten::addcmul",
      name: "AddcmulBackward0",
      inputs: { self: 0, tensor1: 1, tensor2: 2 },
      save: (args) => ({ tensor1: args[1], tensor2: args[2], value: args[3] }),
      grads: {
        self: (g) => g,
        tensor1: (g, s) => mul(g, mulScalar(T(s.tensor2), s.value as Scalar)),
        tensor2: (g, s) => mul(g, mulScalar(T(s.tensor1), s.value as Scalar)),
      },
    }),
    "aten::addcmul_",
  ),
  ...both(
    formula({
      op: "aten::addcdiv",
      name: "AddcdivBackward0",
      inputs: { self: 0, tensor1: 1, tensor2: 2 },
      save: (args) => ({ tensor1: args[1], tensor2: args[2], value: args[3] }),
      grads: {
        self: (g) => g,
        tensor1: (g, s) => mul(g, scalarOver(s.value as Scalar, T(s.tensor2))),
        tensor2: (g, s) => {
          // GCC evaluates an operator's right operand first: tensor2 * tensor2, value * tensor1, the quotient, then -grad
          const sq = mul(T(s.tensor2), T(s.tensor2));
          const q = div(mulScalar(T(s.tensor1), s.value as Scalar), sq);
          return mul(neg(g), q);
        },
      },
    }),
    "aten::addcdiv_",
  ),
  formula({
    op: "aten::lerp.Tensor",
    name: "LerpBackward1",
    inputs: { self: 0, end: 1, weight: 2 },
    save: (args) => ({ self: args[0], end: args[1], weight: args[2] }),
    grads: {
      end: (g, s) => mul(g, T(s.weight)),
      // C++'s `1 - weight` is empty_like(weight).fill_(1).sub_(weight)
      self: (g, s) => mul(g, scalarMinus(1, T(s.weight))),
      weight: (g, s) => mul(g, sub(T(s.end), T(s.self))),
    },
  }),
];
