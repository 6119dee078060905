// pow in its three structured overloads (Tensor_Tensor, Tensor_Scalar, Scalar) and two in-place
// forms, with PyTorch's kernel special cases: exponent 0 fills ones, 1 copies, 0.5/-0.5/-1/2/3/-2
// take the sqrt/rsqrt/reciprocal/multiply paths (rounded as float32 arithmetic would round), ints
// use powi with wrap-around, and int tensors refuse negative int Scalar exponents.

import { RuntimeError } from "../core/errors.js";
import { type Fn1, type Fn2, asCompute, map1, map2 } from "../backends/cpu/pointwise-loops.js";
import { checkedScalar, powInt } from "../backends/cpu/pointwise-math.js";
import { fillTensor } from "../backends/cpu/strided-loops.js";
import { type DType, isFloatingType } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { resultType } from "../tensor/type-promotion.js";
import type { OpDecl } from "./op-decl.js";
import { type Plan, structuredDecl, structuredInplaceDecl } from "./pointwise-iter.js";
import { binaryOp, checkInplace, notImplementedFor, scalarOperand, unaryPlan } from "./pointwise-rules.js";

type Scalar = number | boolean | bigint;
const fround = Math.fround;

function powTensorFn(d: DType): Fn2 {
  if (isFloatingType(d)) return Math.pow;
  return (x, y) => powInt(d, x, y) + 0;
}

function refuseBool(d: DType): void {
  if (d === "bool") throw notImplementedFor("pow", d);
}

const scalarNum = (s: Scalar): number => (typeof s === "boolean" ? (s ? 1 : 0) : Number(s));

/** The element function of `pow(x, e)` for a Scalar exponent, in compute dtype d. */
function powScalarFn(d: DType, e: Scalar): Fn1 {
  if (!isFloatingType(d)) {
    const k = checkedScalar(d, e);
    return (x) => powInt(d, x, k) + 0;
  }
  const v = scalarNum(e);
  const r = d === "float32" ? fround : (x: number) => x;
  if (v === 0.5) return Math.sqrt;
  if (v === -0.5) return (x) => 1 / r(Math.sqrt(x));
  if (v === -1) return (x) => 1 / x;
  if (v === 2) return (x) => x * x;
  if (v === 3) return (x) => r(x * x) * x;
  if (v === -2) return (x) => 1 / r(x * x);
  return (x) => Math.pow(x, v);
}

const isIntegralScalar = (s: Scalar): boolean => typeof s === "boolean" || typeof s === "bigint" || Number.isInteger(s);

function powTensorScalarRule(self: Tensor, exponent: Scalar): Plan {
  if (self.dtype !== "float32" && self.dtype !== "float64" && isIntegralScalar(exponent) && scalarNum(exponent) < 0) {
    throw new RuntimeError("Integers to negative integer powers are not allowed.");
  }
  return unaryPlan(self, resultType(self, exponent));
}

function powTensorScalarCpu(out: Tensor, p: Plan, self: Tensor, exponent: Scalar): void {
  const v = scalarNum(exponent);
  if (v === 0) return fillTensor(out, 1);
  const base = asCompute(self, p.compute);
  if (v === 1) return map1(out, base, (x) => x);
  map1(out, base, powScalarFn(p.compute, exponent));
}

/** pow.Scalar: the output has the exponent's shape, contiguous; a base of 1 gives ones. */
function powScalarRule(self: Scalar, exponent: Tensor): Plan {
  const d = resultType(self, exponent);
  return { shape: exponent._shape.slice(), dtype: d, compute: d, strides: null };
}

function powScalarCpu(out: Tensor, p: Plan, self: Scalar, exponent: Tensor): void {
  if (typeof self !== "boolean" && scalarNum(self) === 1) return fillTensor(out, 1);
  refuseBool(p.compute);
  map2(out, scalarOperand(self, p.compute), asCompute(exponent, p.compute), powTensorFn(p.compute));
}

/** The pow operators. */
export const pointwisePowOps: readonly OpDecl[] = [
  ...binaryOp({
    schema: "pow.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor",
    inplaceSchema: "pow_.Tensor(Tensor(a!) self, Tensor exponent) -> Tensor(a!)",
    cpuCheck: refuseBool,
    make: powTensorFn,
    exact: true,
  }),
  structuredDecl("pow.Scalar(Scalar self, Tensor exponent) -> Tensor", powScalarRule as never, powScalarCpu as never),
  structuredDecl("pow.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor", powTensorScalarRule as never, powTensorScalarCpu as never),
  structuredInplaceDecl(
    "pow_.Scalar(Tensor(a!) self, Scalar exponent) -> Tensor(a!)",
    powTensorScalarRule as never,
    ((self: Tensor, p: Plan) => checkInplace(self, p.shape, p.compute)) as never,
    powTensorScalarCpu as never,
  ),
];
