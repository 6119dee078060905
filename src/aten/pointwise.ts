// Pointwise operators: arithmetic, comparisons and unary math, with PyTorch's promotion and
// broadcasting (rules in pointwise-rules.ts). Scalar overloads are CompositeExplicitAutograd and
// wrap the scalar as a 0-dim tensor, as PyTorch does.

import { NotImplementedError } from "../core/errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { wrapScalar } from "../tensor/wrap.js";
import { callOp as atenCall } from "../dispatcher/call-op.js";
import type { OpDecl } from "./op-decl.js";
import { binaryOp, checkAlpha, unaryOp } from "./pointwise-rules.js";

type Scalar = number | boolean | bigint;

/** `name.Scalar(self, Scalar other, ...rest)` = `name.Tensor(self, wrapped(other), ...rest)`. */
function scalarOverload(schema: string, target: string): OpDecl {
  return {
    schema,
    explicit: ((self: Tensor, other: Scalar, ...rest: unknown[]) => atenCall(target, [self, wrapScalar(other), ...rest])) as never,
  };
}

function refuseBoolNeg(self: Tensor): void {
  if (self.dtype === "bool") {
    throw new NotImplementedError(
      "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
    );
  }
}

/** The pointwise operators, in native_functions.yaml order within each name. */
export const pointwiseOps: readonly OpDecl[] = [
  ...binaryOp({
    schema: "add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor",
    inplaceSchema: "add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)",
    check: (d, [alpha]) => checkAlpha(d, alpha as Scalar),
    make: (d, [alpha]) => {
      const a = Number(alpha);
      if (d === "bool") return (x, y) => (x || (a && y) ? 1 : 0);
      return a === 1 ? (x, y) => x + y : (x, y) => x + a * y;
    },
  }),
  scalarOverload("add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor", "aten::add.Tensor"),
  ...unaryOp({ schema: "exp(Tensor self) -> Tensor", inplaceSchema: "exp_(Tensor(a!) self) -> Tensor(a!)", f: Math.exp, float: true }),
  ...binaryOp({
    schema: "mul.Tensor(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "mul_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    make: (d) => (d === "bool" ? (x, y) => (x && y ? 1 : 0) : (x, y) => x * y),
  }),
  scalarOverload("mul.Scalar(Tensor self, Scalar other) -> Tensor", "aten::mul.Tensor"),
  ...unaryOp({ schema: "neg(Tensor self) -> Tensor", inplaceSchema: "neg_(Tensor(a!) self) -> Tensor(a!)", f: (x) => -x, check: refuseBoolNeg }),
  ...unaryOp({
    schema: "relu(Tensor self) -> Tensor",
    inplaceSchema: "relu_(Tensor(a!) self) -> Tensor(a!)",
    f: (x) => (x > 0 || Number.isNaN(x) ? x : 0),
    check: (self) => {
      if (self.dtype === "bool") throw new NotImplementedError("Boolean inputs not supported for relu");
    },
  }),
  ...binaryOp({ schema: "eq.Tensor(Tensor self, Tensor other) -> Tensor", make: () => (x, y) => (x === y ? 1 : 0), outDType: () => "bool" }),
  scalarOverload("eq.Scalar(Tensor self, Scalar other) -> Tensor", "aten::eq.Tensor"),
];
