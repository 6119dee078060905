// Binary and unary math operators after PyTorch 2.14: atan2 hypot fmod xlogy fmax fmin (structured
// TensorIterator ops, with their Scalar overloads as CompositeExplicitAutograd wrappers), frac,
// erfinv lgamma digamma, the bitwise and/or/xor family with its Python-operator aliases,
// logical_xor, nan_to_num and equal; and the CompositeImplicitAutograd decompositions square,
// true_divide, float_power, isfinite and isclose (a logging mode sees PyTorch's op sequence), and
// allclose (CompositeExplicitAutograd over isclose, all and item).

import { RuntimeError } from "../core/errors.js";
import { type Fn2, anyElement, map1 } from "../backends/cpu/pointwise-loops.js";
import { digamma, digammaFloat, erfinv, erfinvFloat, lgamma, polygamma } from "../backends/cpu/special-math.js";
import { callOp as atenCall } from "../dispatcher/call-op.js";
import { type DType, DEFAULT_DTYPE, isFloatingType } from "../tensor/dtype.js";
import { numelOf } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import { wrapScalar } from "../tensor/wrap.js";
import type { OpDecl } from "./op-decl.js";
import { pointwiseCompareOps } from "./pointwise-compare.js";
import { type Plan, explicitDecl, explicitInplaceDecl, structuredDecl } from "./pointwise-iter.js";
import { binaryOp, floatDType, notImplementedFor, toStored, unaryOp, unaryPlan } from "./pointwise-rules.js";
import { asCompute } from "../backends/cpu/pointwise-loops.js";
import { checkCanCastTo } from "../tensor/type-promotion.js";

type Scalar = number | boolean | bigint;
const call = (name: string, ...args: unknown[]): Tensor => atenCall(name, args) as Tensor;
const INTS_AND_BOOL: readonly DType[] = ["uint8", "int8", "int16", "int32", "int64", "bool"];
const FLOATS: readonly DType[] = ["float32", "float64"];

/** `name.Scalar(self, Scalar other)` = `name.Tensor(self, wrapped(other))` (CompositeExplicitAutograd). */
function scalarOther(schema: string, target: string): OpDecl {
  return { schema, explicit: ((self: Tensor, other: Scalar) => atenCall(target, [self, wrapScalar(other)])) as never };
}
/** `name.Scalar_Self(Scalar self, Tensor other)` = `name.Tensor(wrapped(self), other)`. */
function scalarSelf(schema: string, target: string): OpDecl {
  return { schema, explicit: ((self: Scalar, other: Tensor) => atenCall(target, [wrapScalar(self), other])) as never };
}
/** A CompositeImplicitAutograd alias: the same arguments to another overload. */
function alias(schema: string, target: string): OpDecl {
  return { schema, composite: ((...args: unknown[]) => atenCall(target, args)) as never };
}

// ---- element functions

/** C's fmod for floats; for integers the truncated remainder (no -0), with PyTorch's zero-divisor and bool checks. */
function fmodFn(d: DType): Fn2 {
  if (isFloatingType(d)) return (x, y) => x % y;
  return (x, y) => (x % y) + 0;
}
function fmodCheck(d: DType, self: Tensor, other: Tensor | Scalar): void {
  if (d === "bool") throw notImplementedFor("fmod_cpu", d);
  if (isFloatingType(d)) return;
  const empty = numelOf(self._shape) === 0 || (other instanceof Tensor && numelOf(other._shape) === 0);
  const zero = other instanceof Tensor ? anyElement(other, (v) => v === 0) : Number(other) === 0;
  if (zero && !empty) throw new RuntimeError("ZeroDivisionError");
}

/** xlogy: NaN when y is NaN, 0 when x is 0, else x * log(y) (the float32 kernel rounds log(y) first). */
function xlogyFn(d: DType): Fn2 {
  const r = d === "float32" ? Math.fround : (v: number) => v;
  return (x, y) => (y !== y ? NaN : x === 0 ? 0 : x * r(Math.log(y)));
}

/** std::fmax / std::fmin: a NaN operand gives the other; ties keep self (so fmax(0, -0) is 0). */
const fmaxFn: Fn2 = (x, y) => (x !== x ? y : y !== y ? x : x < y ? y : x);
const fminFn: Fn2 = (x, y) => (x !== x ? y : y !== y ? x : y < x ? y : x);

/** Bitwise ops on stored integers (beyond 32 bits through BigInt, as int64 holds them). */
function bitwiseFn(kind: "and" | "or" | "xor"): Fn2 {
  const small: Fn2 = kind === "and" ? (x, y) => x & y : kind === "or" ? (x, y) => x | y : (x, y) => x ^ y;
  const big = kind === "and" ? (x: bigint, y: bigint) => x & y : kind === "or" ? (x: bigint, y: bigint) => x | y : (x: bigint, y: bigint) => x ^ y;
  return (x, y) => ((x | 0) === x && (y | 0) === y ? small(x, y) : Number(BigInt.asIntN(64, big(BigInt(x), BigInt(y)))));
}

function bitwiseOps(kind: "and" | "or" | "xor"): OpDecl[] {
  const name = `bitwise_${kind}`;
  const f = bitwiseFn(kind);
  return [
    ...binaryOp({
      schema: `${name}.Tensor(Tensor self, Tensor other) -> Tensor`,
      inplaceSchema: `${name}_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)`,
      make: () => f,
      cpuCheck: (d) => {
        if (isFloatingType(d)) throw notImplementedFor(`${name}_cpu`, d);
      },
      exact: true,
    }),
    scalarOther(`${name}.Scalar(Tensor self, Scalar other) -> Tensor`, `aten::${name}.Tensor`),
    scalarSelf(`${name}.Scalar_Tensor(Scalar self, Tensor other) -> Tensor`, `aten::${name}.Tensor`),
    scalarOther(`${name}_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)`, `aten::${name}_.Tensor`),
    alias(`__${kind}__.Scalar(Tensor self, Scalar other) -> Tensor`, `aten::${name}.Scalar`),
    alias(`__${kind}__.Tensor(Tensor self, Tensor other) -> Tensor`, `aten::${name}.Tensor`),
    alias(`__i${kind}__.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)`, `aten::${name}_.Scalar`),
    alias(`__i${kind}__.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)`, `aten::${name}_.Tensor`),
  ];
}

const floatUnary = (name: string, f: (x: number) => number): OpDecl[] =>
  unaryOp({ schema: `${name}(Tensor self) -> Tensor`, inplaceSchema: `${name}_(Tensor(a!) self) -> Tensor(a!)`, f, float: true });

// ---- polygamma (structured, n first; polygamma_ is CompositeExplicitAutograd with self first)

function polygammaPlan(n: number, self: Tensor): Plan {
  if (n < 0) throw new RuntimeError("polygamma(n, x) does not support negative n.");
  return unaryPlan(self, floatDType(self.dtype));
}
function polygammaBody(out: Tensor, p: Plan, n: number, self: Tensor): void {
  const d = out.dtype;
  const float = p.compute === "float32";
  map1(out, asCompute(self, p.compute), (x) => toStored(d, float ? polygamma(n, x, Math.fround) : polygamma(n, x)));
}

// ---- float_power (CompositeImplicitAutograd: pow in float64)

const F64 = "float64";
const toF64 = (t: Tensor): Tensor => call("aten::to.dtype", t, F64, false, false, null);
const asDouble = (s: Scalar): number => (typeof s === "boolean" ? (s ? 1 : 0) : Number(s));
function checkFloatPowerBase(base: Tensor): void {
  if (base.dtype !== F64) {
    throw new RuntimeError(`the base given to float_power_ has dtype ${cppName(base.dtype)} but the operation's result requires dtype Double`);
  }
}

const floatPowerOps: OpDecl[] = [
  {
    schema: "float_power.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor",
    // C++ evaluates the arguments right to left: the exponent is converted first
    composite: ((self: Tensor, exponent: Tensor) => {
      const e = toF64(exponent);
      return call("aten::pow.Tensor_Tensor", toF64(self), e);
    }) as never,
  },
  {
    schema: "float_power.Scalar(Scalar self, Tensor exponent) -> Tensor",
    composite: ((self: Scalar, exponent: Tensor) => call("aten::pow.Scalar", asDouble(self), toF64(exponent))) as never,
  },
  {
    schema: "float_power.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor",
    composite: ((self: Tensor, exponent: Scalar) => call("aten::pow.Tensor_Scalar", toF64(self), asDouble(exponent))) as never,
  },
  {
    schema: "float_power_.Scalar(Tensor(a!) self, Scalar exponent) -> Tensor(a!)",
    composite: ((self: Tensor, exponent: Scalar) => {
      checkFloatPowerBase(self);
      return call("aten::pow_.Scalar", self, asDouble(exponent));
    }) as never,
  },
  {
    schema: "float_power_.Tensor(Tensor(a!) self, Tensor exponent) -> Tensor(a!)",
    composite: ((self: Tensor, exponent: Tensor) => {
      checkFloatPowerBase(self);
      return call("aten::pow_.Tensor", self, toF64(exponent));
    }) as never,
  },
];

// ---- nan_to_num (CompositeExplicitAutograd; integers and bool are copied)

const FLT_MAX = 3.4028234663852886e38;
type Opt = number | null | undefined;

function nanToNumBody(out: Tensor, p: Plan, self: Tensor, nan: Opt, posinf: Opt, neginf: Opt): void {
  const d = p.compute;
  if (!isFloatingType(d)) return map1(out, self, (x) => x);
  const r = d === "float32" ? Math.fround : (x: number) => x;
  const max = d === "float32" ? FLT_MAX : Number.MAX_VALUE;
  const vn = r(nan ?? 0);
  const vp = r(posinf ?? max);
  const vm = r(neginf ?? -max);
  map1(out, self, (x) => (x !== x ? vn : x === Infinity ? vp : x === -Infinity ? vm : x));
}
const nanToNumRule = (self: Tensor): Plan => unaryPlan(self, self.dtype);

// ---- isfinite / isclose (CompositeImplicitAutograd)

function isfinite(self: Tensor): Tensor {
  if (!isFloatingType(self.dtype)) return call("aten::ones_like", self, "bool", null, null, null, "preserve_format");
  // (self == self) * (self.abs() != inf), arguments evaluated right to left
  const finite = call("aten::ne.Scalar", call("aten::abs", self), Infinity);
  return call("aten::mul.Tensor", call("aten::eq.Tensor", self, self), finite);
}

function isclose(self: Tensor, other: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): Tensor {
  if (self.dtype !== other.dtype) throw new RuntimeError(`${cppName(self.dtype)} did not match ${cppName(other.dtype)}`);
  if (!(rtol >= 0)) throw new RuntimeError(`rtol must be greater than or equal to zero, but got ${String(rtol)}`);
  if (!(atol >= 0)) throw new RuntimeError(`atol must be greater than or equal to zero, but got ${String(atol)}`);
  const close = call("aten::eq.Tensor", self, other);
  if (equalNan && isFloatingType(self.dtype)) {
    const a = call("aten::isnan", self);
    const both = call("aten::bitwise_and.Tensor", a, call("aten::isnan", other));
    call("aten::bitwise_or_.Tensor", close, both);
  }
  if (rtol === 0 && atol === 0) return close;
  const toDefault = (t: Tensor): Tensor => call("aten::to.dtype", t, DEFAULT_DTYPE, false, false, null);
  const castSelf = self.dtype === "bool" ? toDefault(self) : self;
  const castOther = isFloatingType(self.dtype) ? other : toDefault(other);
  const allowed = call("aten::add.Scalar", call("aten::abs", call("aten::mul.Scalar", castOther, rtol)), atol, 1);
  const actual = call("aten::abs", call("aten::sub.Tensor", castSelf, castOther, 1));
  const finite = call("aten::isfinite", actual);
  call("aten::bitwise_and_.Tensor", finite, call("aten::le.Tensor", actual, allowed));
  return call("aten::bitwise_or_.Tensor", close, finite);
}

// ---- equal (CPU only: a data-dependent bool)

function equal(self: Tensor, other: Tensor): boolean {
  const [a, b] = [self._shape, other._shape];
  if (a.length !== b.length || a.some((s, i) => s !== b[i])) return false;
  if (numelOf(a) === 0) return true;
  const common = call("aten::ne.Tensor", self, other);
  return !anyElement(common, (v) => v !== 0);
}

/** The operators of this file, in native_functions.yaml order within each name. */
export const pointwiseMathOps: readonly OpDecl[] = [
  ...binaryOp({
    schema: "atan2(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "atan2_(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    float: true,
    make: () => Math.atan2,
  }),
  ...binaryOp({
    schema: "hypot(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "hypot_(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    cpuCheck: (d) => {
      if (!FLOATS.includes(d)) throw notImplementedFor("hypot_cpu", d);
    },
    make: () => Math.hypot,
  }),
  ...binaryOp({
    schema: "fmod.Tensor(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "fmod_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    cpuCheck: fmodCheck,
    make: fmodFn,
    exact: true,
  }),
  scalarOther("fmod.Scalar(Tensor self, Scalar other) -> Tensor", "aten::fmod.Tensor"),
  scalarOther("fmod_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)", "aten::fmod_.Tensor"),
  ...binaryOp({
    schema: "xlogy.Tensor(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "xlogy_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    float: true,
    make: xlogyFn,
  }),
  scalarSelf("xlogy.Scalar_Self(Scalar self, Tensor other) -> Tensor", "aten::xlogy.Tensor"),
  scalarOther("xlogy.Scalar_Other(Tensor self, Scalar other) -> Tensor", "aten::xlogy.Tensor"),
  scalarOther("xlogy_.Scalar_Other(Tensor(a!) self, Scalar other) -> Tensor(a!)", "aten::xlogy_.Tensor"),
  ...binaryOp({
    schema: "fmax(Tensor self, Tensor other) -> Tensor",
    make: (d) => (isFloatingType(d) ? fmaxFn : (x, y) => (x < y ? y : x)),
    exact: true,
  }),
  ...binaryOp({
    schema: "fmin(Tensor self, Tensor other) -> Tensor",
    make: (d) => (isFloatingType(d) ? fminFn : (x, y) => (y < x ? y : x)),
    exact: true,
  }),
  ...unaryOp({
    schema: "frac(Tensor self) -> Tensor",
    inplaceSchema: "frac_(Tensor(a!) self) -> Tensor(a!)",
    f: (x) => x - Math.trunc(x),
    refuse: { kernel: "frac_cpu", dtypes: INTS_AND_BOOL },
  }),
  { schema: "square(Tensor self) -> Tensor", composite: ((self: Tensor) => call("aten::pow.Tensor_Scalar", self, 2)) as never },
  { schema: "square_(Tensor(a!) self) -> Tensor(a!)", composite: ((self: Tensor) => call("aten::pow_.Scalar", self, 2)) as never },
  alias("true_divide.Tensor(Tensor self, Tensor other) -> Tensor", "aten::div.Tensor"),
  alias("true_divide_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)", "aten::div_.Tensor"),
  alias("true_divide.Scalar(Tensor self, Scalar other) -> Tensor", "aten::div.Scalar"),
  alias("true_divide_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)", "aten::div_.Scalar"),
  ...floatPowerOps,
  { schema: "isfinite(Tensor self) -> Tensor", composite: isfinite as never },
  explicitDecl("nan_to_num(Tensor self, float? nan=None, float? posinf=None, float? neginf=None) -> Tensor", nanToNumRule as never, nanToNumBody as never),
  explicitInplaceDecl(
    "nan_to_num_(Tensor(a!) self, float? nan=None, float? posinf=None, float? neginf=None) -> Tensor(a!)",
    nanToNumRule as never,
    (() => {}) as never,
    nanToNumBody as never,
  ),
  { schema: "isclose(Tensor self, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> Tensor", composite: isclose as never },
  {
    schema: "allclose(Tensor self, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> bool",
    explicit: ((self: Tensor, other: Tensor, rtol: number, atol: number, equalNan: boolean) => {
      const all = call("aten::all", call("aten::isclose", self, other, rtol, atol, equalNan));
      // at::Tensor::item's own check, before any dispatch
      if (all.device === "meta") throw new RuntimeError("Tensor.item() cannot be called on meta tensors");
      const v = all.item();
      return v !== 0 && v !== false;
    }) as never,
  },
  { schema: "equal(Tensor self, Tensor other) -> bool", cpuKernel: equal as never },
  // bitwise_and.Tensor and bitwise_and_.Tensor may already be declared with the comparisons
  ...bitwiseOps("and").slice(pointwiseCompareOps.some((d) => d.schema.startsWith("bitwise_and.Tensor(")) ? 2 : 0),
  ...bitwiseOps("or"),
  ...bitwiseOps("xor"),
  ...binaryOp({
    schema: "logical_xor(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "logical_xor_(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    make: () => (x, y) => ((x !== 0) !== (y !== 0) ? 1 : 0),
    outDType: () => "bool",
    castsToSelf: true,
    exact: true,
    explicit: true,
  }),
  ...unaryOp({
    schema: "erfinv(Tensor self) -> Tensor",
    inplaceSchema: "erfinv_(Tensor(a!) self) -> Tensor(a!)",
    make: (d) => (d === "float32" ? erfinvFloat : erfinv),
    float: true,
  }),
  ...floatUnary("lgamma", lgamma),
  ...unaryOp({
    schema: "digamma(Tensor self) -> Tensor",
    inplaceSchema: "digamma_(Tensor(a!) self) -> Tensor(a!)",
    make: (d) => (d === "float32" ? digammaFloat : digamma),
    float: true,
  }),
  structuredDecl("polygamma(int n, Tensor self) -> Tensor", polygammaPlan as never, polygammaBody as never),
  explicitInplaceDecl(
    "polygamma_(Tensor(a!) self, int n) -> Tensor(a!)",
    ((self: Tensor, n: number) => polygammaPlan(n, self)) as never,
    ((self: Tensor, p: Plan) => checkCanCastTo(p.compute, self.dtype)) as never,
    ((out: Tensor, p: Plan, self: Tensor, n: number) => polygammaBody(out, p, n, self)) as never,
  ),
];
