// Unary pointwise operators: abs neg sign, float math (exp exp2 expm1 log log1p log2 log10 sqrt
// rsqrt sin cos tan tanh, asin acos atan, sinh cosh, asinh acosh atanh, erf, reciprocal),
// activations (sigmoid relu gelu silu), rounding (floor ceil round trunc, round.decimals), the predicates isnan isinf logical_not, and bitwise_not. Float ops promote ints and bool to float32; float32
// results are computed in double and rounded once, except where PyTorch's float kernel rounds an
// intermediate (rsqrt, sigmoid, silu, round.decimals), which is emulated with Math.fround.

import { NotImplementedError, RuntimeError } from "../core/errors.js";
import type { Fn1 } from "../backends/cpu/pointwise-loops.js";
import { erf, geluErf, geluTanh, roundHalfEven } from "../backends/cpu/pointwise-math.js";
import { callOp as atenCall } from "../dispatcher/call-op.js";
import { type DType, isFloatingType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl } from "./op-decl.js";
import { bothBackends } from "./pointwise-iter.js";
import { unaryOp } from "./pointwise-rules.js";

const fround = Math.fround;
const INTS: readonly DType[] = ["uint8", "int8", "int16", "int32", "int64"];
const INTS_AND_BOOL: readonly DType[] = [...INTS, "bool"];

/** Rounding of a float32 intermediate (identity for float64). */
const rounder = (d: DType): Fn1 => (d === "float32" ? fround : (x) => x);

function refuseBoolNeg(self: Tensor): void {
  if (self.dtype === "bool") {
    throw new NotImplementedError(
      "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
    );
  }
}

function refuseBoolRelu(self: Tensor): void {
  if (self.dtype === "bool") throw new NotImplementedError("Boolean inputs not supported for relu");
}

function sigmoidFn(d: DType): Fn1 {
  const r = rounder(d);
  return (x) => 1 / r(1 + r(Math.exp(-x)));
}

function geluFn(d: DType, approximate: unknown): Fn1 {
  if (approximate === "none") return geluErf;
  if (approximate === "tanh") return geluTanh;
  throw new RuntimeError("approximate argument must be either none or tanh.");
}

/** round.decimals as PyTorch computes it: scale by 10^|decimals| (in the compute dtype), nearbyint, unscale. */
function roundDecimalsFn(d: DType, decimals: number): Fn1 {
  const r = rounder(d);
  const scale = r(Math.pow(10, Math.abs(decimals)));
  if (decimals < 0) return (x) => roundHalfEven(r(x / scale)) * scale;
  return (x) => roundHalfEven(r(x * scale)) / scale;
}

const sign: Fn1 = (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);

const float = (name: string, f: Fn1): OpDecl[] =>
  unaryOp({ schema: `${name}(Tensor self) -> Tensor`, inplaceSchema: `${name}_(Tensor(a!) self) -> Tensor(a!)`, f, float: true });

const rounding = (name: string, f: Fn1): OpDecl[] =>
  unaryOp({
    schema: `${name}(Tensor self) -> Tensor`,
    inplaceSchema: `${name}_(Tensor(a!) self) -> Tensor(a!)`,
    f,
    intCopy: true,
    refuse: { kernel: `${name}_vml_cpu`, dtypes: ["bool"] },
  });

/** The unary operators, in native_functions.yaml order. */
export const pointwiseUnaryOps: readonly OpDecl[] = [
  ...unaryOp({
    schema: "abs(Tensor self) -> Tensor",
    inplaceSchema: "abs_(Tensor(a!) self) -> Tensor(a!)",
    f: Math.abs,
    refuse: { kernel: "abs_cpu", dtypes: ["bool"] },
    explicit: true,
  }),
  ...unaryOp({
    schema: "logical_not(Tensor self) -> Tensor",
    inplaceSchema: "logical_not_(Tensor(a!) self) -> Tensor(a!)",
    f: (x) => (x === 0 ? 1 : 0),
    outDType: () => "bool",
    castsToSelf: true,
    explicit: true,
  }),
  ...unaryOp({
    schema: "bitwise_not(Tensor self) -> Tensor",
    inplaceSchema: "bitwise_not_(Tensor(a!) self) -> Tensor(a!)",
    make: (d) => (d === "bool" ? (x) => x ^ 1 : (x) => -x - 1),
    refuse: { kernel: "bitwise_not_cpu", dtypes: ["float32", "float64"] },
  }),
  ...rounding("ceil", Math.ceil),
  ...float("cos", Math.cos),
  ...float("exp", Math.exp),
  ...rounding("floor", Math.floor),
  bothBackends("isnan(Tensor self) -> Tensor", ((self: Tensor) => atenCall("aten::ne.Tensor", [self, self])) as never),
  ...float("log", Math.log),
  ...float("log1p", Math.log1p),
  ...float("reciprocal", (x) => 1 / x),
  ...unaryOp({ schema: "neg(Tensor self) -> Tensor", inplaceSchema: "neg_(Tensor(a!) self) -> Tensor(a!)", f: (x) => -x, check: refuseBoolNeg }),
  ...rounding("round", roundHalfEven),
  ...unaryOp({
    schema: "round.decimals(Tensor self, *, int decimals) -> Tensor",
    inplaceSchema: "round_.decimals(Tensor(a!) self, *, int decimals) -> Tensor(a!)",
    make: (d, [decimals]) => roundDecimalsFn(d, decimals as number),
    refuse: { kernel: "round_cpu", dtypes: INTS_AND_BOOL },
  }),
  bothBackends("relu(Tensor self) -> Tensor", ((self: Tensor) => {
    refuseBoolRelu(self);
    return atenCall("aten::clamp_min", [self, 0]);
  }) as never),
  bothBackends("relu_(Tensor(a!) self) -> Tensor(a!)", ((self: Tensor) => {
    refuseBoolRelu(self);
    return atenCall("aten::clamp_min_", [self, 0]);
  }) as never),
  ...unaryOp({
    schema: "gelu(Tensor self, *, str approximate='none') -> Tensor",
    inplaceSchema: "gelu_(Tensor(a!) self, *, str approximate='none') -> Tensor(a!)",
    make: (d, [approximate]) => geluFn(d, approximate),
    refuse: { kernel: "GeluKernelImpl", dtypes: INTS_AND_BOOL },
  }),
  ...unaryOp({
    schema: "rsqrt(Tensor self) -> Tensor",
    inplaceSchema: "rsqrt_(Tensor(a!) self) -> Tensor(a!)",
    make: (d) => {
      const r = rounder(d);
      return (x) => 1 / r(Math.sqrt(x));
    },
    float: true,
  }),
  ...unaryOp({
    schema: "silu(Tensor self) -> Tensor",
    inplaceSchema: "silu_(Tensor(a!) self) -> Tensor(a!)",
    make: (d) => {
      const r = rounder(d);
      return (x) => x / r(1 + r(Math.exp(-x)));
    },
    refuse: { kernel: "silu_cpu", dtypes: INTS_AND_BOOL },
  }),
  ...unaryOp({ schema: "sigmoid(Tensor self) -> Tensor", inplaceSchema: "sigmoid_(Tensor(a!) self) -> Tensor(a!)", make: sigmoidFn, float: true }),
  ...float("sin", Math.sin),
  ...float("sqrt", Math.sqrt),
  ...float("tanh", Math.tanh),
  ...float("tan", Math.tan),
  ...float("asin", Math.asin),
  ...float("acos", Math.acos),
  ...float("atan", Math.atan),
  ...float("sinh", Math.sinh),
  ...float("cosh", Math.cosh),
  ...float("asinh", Math.asinh),
  ...float("acosh", Math.acosh),
  ...float("atanh", Math.atanh),
  ...float("expm1", Math.expm1),
  ...float("exp2", (x) => 2 ** x),
  ...float("log2", Math.log2),
  ...float("log10", Math.log10),
  ...float("erf", erf),
  ...rounding("trunc", Math.trunc),
  ...unaryOp({ schema: "sign(Tensor self) -> Tensor", inplaceSchema: "sign_(Tensor(a!) self) -> Tensor(a!)", f: sign }),
  {
    schema: "isinf(Tensor self) -> Tensor",
    explicit: ((self: Tensor) => {
      if (!isFloatingType(self.dtype)) return atenCall("aten::zeros_like", [self, "bool", null, null, null, "preserve_format"]);
      const abs = atenCall("aten::abs", [self]);
      return atenCall("aten::eq.Scalar", [abs, Infinity]);
    }) as never,
  },
];
