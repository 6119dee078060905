// Arithmetic pointwise operators (add, sub, rsub, mul, div with its rounding modes, remainder,
// floor_divide) and the family's full declaration list. As in PyTorch, `.Tensor` overloads are
// structured (CPU and Meta kernels from one rule); `.Scalar` overloads are
// CompositeExplicitAutograd and call the `.Tensor` overload with the scalar wrapped as a 0-dim tensor.

import { NotImplementedError, RuntimeError } from "../core/errors.js";
import { anyElement, type Fn2 } from "../backends/cpu/pointwise-loops.js";
import { addInt64, checkedScalar, divFloorFloat, divFloorInt, mulInt64, remainderFloat, remainderInt } from "../backends/cpu/pointwise-math.js";
import { callOp as atenCall } from "../dispatcher/call-op.js";
import { type DType, isFloatingType } from "../tensor/dtype.js";
import { numelOf } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { wrapScalar } from "../tensor/wrap.js";
import type { OpDecl } from "./op-decl.js";
import { bothBackends } from "./pointwise-iter.js";
import { binaryOp, checkAlpha, notImplementedFor } from "./pointwise-rules.js";
import { pointwiseAddcOps } from "./pointwise-addc.js";
import { pointwiseCompareOps } from "./pointwise-compare.js";
import { pointwisePowOps } from "./pointwise-pow.js";
import { pointwiseSelectOps } from "./pointwise-select.js";
import { pointwiseUnaryOps } from "./pointwise-unary.js";
import { pointwiseMathOps } from "./pointwise-math-2.js";

type Scalar = number | boolean | bigint;
const fround = Math.fround;
const same = (v: number): number => v;

/** `name.Scalar(self, Scalar other, ...rest)` = `name.Tensor(self, wrapped(other), ...rest)` (CompositeExplicitAutograd). */
function scalarOverload(schema: string, target: string): OpDecl {
  return {
    schema,
    explicit: ((self: Tensor, other: Scalar, ...rest: unknown[]) => atenCall(target, [self, wrapScalar(other), ...rest])) as never,
  };
}

/** `self + alpha * other` in dtype d (sub passes -alpha, as PyTorch's sub kernel does). */
function addFn(d: DType, alpha: Scalar): Fn2 {
  if (d === "bool") {
    const a = Number(alpha) !== 0;
    return (x, y) => (x || (a && y) ? 1 : 0);
  }
  const a = checkedScalar(d, alpha);
  if (a === 1 && d !== "int64") return (x, y) => x + y;
  if (d === "int32") return (x, y) => x + Math.imul(a, y);
  if (d === "int64") return a === 1 ? (x, y) => addInt64(x, 1, y) : (x, y) => addInt64(x, a, y);
  return (x, y) => x + a * y;
}

const negate = (alpha: Scalar): Scalar => (typeof alpha === "boolean" ? alpha : -Number(alpha));

/** PyTorch's sub_check: no subtraction involving bool tensors. */
function subCheck(self: Tensor, other: Tensor | Scalar): void {
  const otherBool = other instanceof Tensor ? other.dtype === "bool" : typeof other === "boolean";
  if (self.dtype === "bool" && otherBool) {
    throw new NotImplementedError(
      "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.",
    );
  }
  if (self.dtype === "bool" || otherBool) {
    throw new NotImplementedError(
      "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
    );
  }
}

function mulFn(d: DType): Fn2 {
  if (d === "bool") return (x, y) => x & y;
  if (d === "int32") return Math.imul;
  if (d === "int64") return mulInt64;
  return (x, y) => x * y;
}

/** Integer division and remainder raise on a zero divisor before writing anything. */
function checkIntDivisor(kernel: string) {
  return (d: DType, self: Tensor, other: Tensor | Scalar): void => {
    if (d === "bool") throw notImplementedFor(kernel, d);
    if (isFloatingType(d)) return;
    const empty = numelOf(self._shape) === 0 || (other instanceof Tensor && numelOf(other._shape) === 0);
    const zero = other instanceof Tensor ? anyElement(other, (v) => v === 0) : Number(other) === 0;
    if (zero && !empty) throw new RuntimeError("ZeroDivisionError");
  };
}

function truncFn(d: DType): Fn2 {
  if (d === "float32") return (x, y) => Math.trunc(fround(x / y));
  if (d === "float64") return (x, y) => Math.trunc(x / y);
  return (x, y) => Math.trunc(x / y) + 0;
}

function floorFn(d: DType): Fn2 {
  if (d === "float32") return (x, y) => divFloorFloat(x, y, fround);
  if (d === "float64") return (x, y) => divFloorFloat(x, y, same);
  if (d === "uint8") return truncFn(d);
  return (x, y) => divFloorInt(x, y) + 0;
}

function roundingMode(mode: unknown): "true" | "trunc" | "floor" {
  if (mode === null || mode === undefined) return "true";
  if (mode === "trunc" || mode === "floor") return mode;
  throw new RuntimeError(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${String(mode)}'`);
}

/** The arithmetic operators, in native_functions.yaml order within each name. */
const arithmeticOps: readonly OpDecl[] = [
  ...binaryOp({
    schema: "add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor",
    inplaceSchema: "add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)",
    check: (d, [alpha]) => checkAlpha(d, alpha as Scalar),
    make: (d, [alpha]) => addFn(d, alpha as Scalar),
    exact: true,
    fast: "add",
    fastWhen: (alpha) => alpha === 1,
  }),
  scalarOverload("add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor", "aten::add.Tensor"),
  scalarOverload("add_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!)", "aten::add_.Tensor"),
  ...binaryOp({
    schema: "div.Tensor(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "div_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    float: true,
    make: () => (x, y) => x / y,
    fast: "div",
  }),
  ...binaryOp({
    schema: "div.Tensor_mode(Tensor self, Tensor other, *, str? rounding_mode) -> Tensor",
    inplaceSchema: "div_.Tensor_mode(Tensor(a!) self, Tensor other, *, str? rounding_mode) -> Tensor(a!)",
    precheck: (_s, _o, [mode]) => void roundingMode(mode),
    // rounding_mode=None is true division, where ints compute in float32
    float: ([mode]) => roundingMode(mode) === "true",
    cpuCheck: (d, self, other, [mode]) => {
      const m = roundingMode(mode);
      if (m !== "true") checkIntDivisor(m === "trunc" ? "div_trunc_cpu" : "div_floor_cpu")(d, self, other);
    },
    make: (d, [mode]) => {
      const m = roundingMode(mode);
      return m === "true" ? (x, y) => x / y : m === "trunc" ? truncFn(d) : floorFn(d);
    },
    exact: true,
  }),
  scalarOverload("div.Scalar(Tensor self, Scalar other) -> Tensor", "aten::div.Tensor"),
  scalarOverload("div_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)", "aten::div_.Tensor"),
  scalarOverload("div.Scalar_mode(Tensor self, Scalar other, *, str? rounding_mode) -> Tensor", "aten::div.Tensor_mode"),
  scalarOverload("div_.Scalar_mode(Tensor(a!) self, Scalar other, *, str? rounding_mode) -> Tensor(a!)", "aten::div_.Tensor_mode"),
  ...binaryOp({
    schema: "floor_divide(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "floor_divide_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    cpuCheck: checkIntDivisor("div_floor_cpu"),
    make: floorFn,
    exact: true,
  }),
  scalarOverload("floor_divide.Scalar(Tensor self, Scalar other) -> Tensor", "aten::floor_divide"),
  scalarOverload("floor_divide_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)", "aten::floor_divide_.Tensor"),
  ...binaryOp({
    schema: "mul.Tensor(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "mul_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    make: mulFn,
    exact: true,
    fast: "mul",
  }),
  scalarOverload("mul.Scalar(Tensor self, Scalar other) -> Tensor", "aten::mul.Tensor"),
  scalarOverload("mul_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)", "aten::mul_.Tensor"),
  ...binaryOp({
    schema: "sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor",
    inplaceSchema: "sub_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)",
    precheck: subCheck,
    check: (d, [alpha]) => checkAlpha(d, alpha as Scalar),
    make: (d, [alpha]) => addFn(d, negate(alpha as Scalar)),
    exact: true,
    fast: "sub",
    fastWhen: (alpha) => alpha === 1,
  }),
  scalarOverload("sub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor", "aten::sub.Tensor"),
  scalarOverload("sub_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!)", "aten::sub_.Tensor"),
  // rsub's CPU kernel calls sub with the operands swapped (so does its Meta registration in PyTorch)
  bothBackends("rsub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor", ((self: Tensor, other: Tensor, alpha: Scalar) =>
    atenCall("aten::sub.Tensor", [other, self, alpha])) as never),
  {
    schema: "rsub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor",
    explicit: ((self: Tensor, other: Scalar, alpha: Scalar) => atenCall("aten::sub.Tensor", [wrapScalar(other), self, alpha])) as never,
  },
  scalarOverload("remainder.Scalar(Tensor self, Scalar other) -> Tensor", "aten::remainder.Tensor"),
  scalarOverload("remainder_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)", "aten::remainder_.Tensor"),
  ...binaryOp({
    schema: "remainder.Tensor(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "remainder_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    cpuCheck: checkIntDivisor("remainder_cpu"),
    make: (d) => (d === "float32" ? (x, y) => remainderFloat(x, y, fround) : isFloatingType(d) ? (x, y) => remainderFloat(x, y, same) : remainderInt),
    exact: true,
  }),
  bothBackends("remainder.Scalar_Tensor(Scalar self, Tensor other) -> Tensor", ((self: Scalar, other: Tensor) =>
    atenCall("aten::remainder.Tensor", [wrapScalar(self), other])) as never),
];

/** The pointwise operators: arithmetic, unary math and activations, comparisons and logic, clamp, pow, where/masked_fill/lerp, addcmul/addcdiv. */
export const pointwiseOps: readonly OpDecl[] = [
  ...arithmeticOps,
  ...pointwisePowOps,
  ...pointwiseUnaryOps,
  ...pointwiseCompareOps,
  ...pointwiseSelectOps,
  ...pointwiseAddcOps,
  ...pointwiseMathOps,
];
