// Comparisons (eq ne lt le gt ge, Tensor and Scalar, with in-place forms that write 0/1 in
// self's dtype), logical_and/logical_or, bitwise_and (integers and bool), maximum/minimum
// (NaN-propagating) and the clamp family (clamp with Scalar or Tensor bounds, clamp_min,
// clamp_max), with PyTorch's promotion rules: clamp's Scalar bounds promote integer tensors but
// may not change an in-place result's dtype.

import { RuntimeError } from "../core/errors.js";
import { type Fn1, type Fn2, asCompute, map1, map2, map3 } from "../backends/cpu/pointwise-loops.js";
import { checkedScalar } from "../backends/cpu/pointwise-math.js";
import { fastFloatClamp } from "../backends/cpu/pointwise-fast.js";
import { fillTensor } from "../backends/cpu/strided-loops.js";
import { type DType, isFloatingType, typeMetaName } from "../tensor/dtype.js";
import { broadcastAll } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { cppName, resultType } from "../tensor/type-promotion.js";
import type { OpDecl } from "./op-decl.js";
import { type Plan, outputStrides, structuredDecl, structuredInplaceDecl } from "./pointwise-iter.js";
import { binaryOp, checkInplace, notImplementedFor, unaryPlan } from "./pointwise-rules.js";

type Scalar = number | boolean | bigint;
type Opt<T> = T | null | undefined;

/** std::max / std::min (ties keep the first operand), with NaN propagation for floats. */
function maximumFn(d: DType): Fn2 {
  if (d === "bool") return (x, y) => x | y;
  if (!isFloatingType(d)) return (x, y) => (x < y ? y : x);
  return (x, y) => (x !== x || y !== y ? NaN : x < y ? y : x);
}
function minimumFn(d: DType): Fn2 {
  if (d === "bool") return (x, y) => x & y;
  if (!isFloatingType(d)) return (x, y) => (y < x ? y : x);
  return (x, y) => (x !== x || y !== y ? NaN : y < x ? y : x);
}

const comparisons: ReadonlyArray<readonly [string, Fn2]> = [
  ["eq", (x, y) => (x === y ? 1 : 0)],
  ["ne", (x, y) => (x !== y ? 1 : 0)],
  ["ge", (x, y) => (x >= y ? 1 : 0)],
  ["le", (x, y) => (x <= y ? 1 : 0)],
  ["gt", (x, y) => (x > y ? 1 : 0)],
  ["lt", (x, y) => (x < y ? 1 : 0)],
];

function comparisonOps(name: string, f: Fn2): OpDecl[] {
  const common = { make: () => f, outDType: (): DType => "bool", castsToSelf: true, exact: true };
  return [
    ...binaryOp({
      schema: `${name}.Scalar(Tensor self, Scalar other) -> Tensor`,
      inplaceSchema: `${name}_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)`,
      ...common,
    }),
    ...binaryOp({
      schema: `${name}.Tensor(Tensor self, Tensor other) -> Tensor`,
      inplaceSchema: `${name}_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)`,
      ...common,
    }),
  ];
}

const scalarNum = (s: Scalar): number => (typeof s === "boolean" ? (s ? 1 : 0) : Number(s));
const isNaNScalar = (s: Opt<Scalar>): boolean => s !== null && s !== undefined && Number.isNaN(scalarNum(s));

/** `min(max(x, lo), hi)` with std::max/std::min's tie and NaN behaviour (a NaN x stays NaN). */
const clampFn =
  (lo: number, hi: number): Fn1 =>
  (x) => {
    const v = x < lo ? lo : x;
    return hi < v ? hi : v;
  };

/**
 * The plan of clamp/clamp_min/clamp_max with Scalar bounds: a float tensor keeps its dtype; an
 * integer or bool tensor promotes with the bounds, which an in-place op may not do.
 */
function clampScalarPlan(self: Tensor, bounds: ReadonlyArray<Opt<Scalar>>, inplace: boolean): Plan {
  let d = self.dtype;
  if (!isFloatingType(d)) {
    d = resultType(self, ...bounds.filter((b): b is Scalar => b !== null && b !== undefined));
    if (inplace && d !== self.dtype) {
      throw new RuntimeError(`result type ${cppName(d)} can't be cast to the desired output type ${typeMetaName(self.dtype)}`);
    }
  }
  return unaryPlan(self, d);
}

function clampScalarRule(inplace: boolean) {
  return (self: Tensor, min: Opt<Scalar>, max: Opt<Scalar>): Plan => {
    if ((min === null || min === undefined) && (max === null || max === undefined)) {
      throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
    }
    return clampScalarPlan(self, [min, max], inplace);
  };
}

function clampScalarCpu(out: Tensor, p: Plan, self: Tensor, min: Opt<Scalar>, max: Opt<Scalar>): void {
  const hasMin = min !== null && min !== undefined;
  const hasMax = max !== null && max !== undefined;
  if (isNaNScalar(min) || isNaNScalar(max)) return fillTensor(out, NaN);
  const kernel = hasMin && hasMax ? "clamp_scalar_cpu" : hasMin ? "clamp_min_scalar_cpu" : "clamp_max_scalar_cpu";
  if (p.compute === "bool") throw notImplementedFor(kernel, p.compute);
  const lo = hasMin ? checkedScalar(p.compute, min) : -Infinity;
  const hi = hasMax ? checkedScalar(p.compute, max) : Infinity;
  if (fastFloatClamp(out, self, lo, hi)) return;
  map1(out, asCompute(self, p.compute), clampFn(lo, hi));
}

/** clamp_min / clamp_max with a Scalar bound (a NaN bound fills NaN). */
function clampOneScalar(which: "min" | "max"): OpDecl[] {
  const rule = (inplace: boolean) => (self: Tensor, bound: Scalar) => clampScalarPlan(self, [bound], inplace);
  const cpu = (out: Tensor, p: Plan, self: Tensor, bound: Scalar): void =>
    which === "min" ? clampScalarCpu(out, p, self, bound, null) : clampScalarCpu(out, p, self, null, bound);
  const name = `clamp_${which}`;
  return [
    structuredDecl(`${name}(Tensor self, Scalar ${which}) -> Tensor`, rule(false) as never, cpu as never),
    structuredInplaceDecl(`${name}_(Tensor(a!) self, Scalar ${which}) -> Tensor(a!)`, rule(true) as never, (() => {}) as never, cpu as never),
  ];
}

/** clamp.Tensor: self, min and max broadcast together and promote to a common dtype. */
function clampTensorRule(self: Tensor, min: Opt<Tensor>, max: Opt<Tensor>): Plan {
  if (!min && !max) throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  const inputs = [self, min, max].filter((t): t is Tensor => t instanceof Tensor);
  const shape = broadcastAll(inputs.map((t) => t._shape));
  const d = resultType(...inputs);
  return { shape, dtype: d, compute: d, strides: outputStrides(shape, inputs) };
}

function clampTensorCpu(out: Tensor, p: Plan, self: Tensor, min: Opt<Tensor>, max: Opt<Tensor>): void {
  const d = p.compute;
  const x = asCompute(self, d);
  if (min && max) {
    if (d === "bool") throw notImplementedFor("clamp_cpu", d);
    map3(out, x, asCompute(min, d), asCompute(max, d), (v, lo, hi) => {
      if (lo !== lo || hi !== hi) return NaN;
      const m = v < lo ? lo : v;
      return hi < m ? hi : m;
    });
  } else if (min) {
    map2(out, x, asCompute(min, d), maximumFn(d));
  } else {
    map2(out, x, asCompute(max!, d), minimumFn(d));
  }
}

/** `x & y` on stored integers (beyond 32 bits through BigInt, as int64 holds them). */
function bitwiseAnd(x: number, y: number): number {
  if ((x | 0) === x && (y | 0) === y) return x & y;
  return Number(BigInt(x) & BigInt(y));
}

/** The comparison, logical, maximum/minimum and clamp operators. */
export const pointwiseCompareOps: readonly OpDecl[] = [
  ...binaryOp({
    schema: "logical_and(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "logical_and_(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    make: () => (x, y) => (x !== 0 && y !== 0 ? 1 : 0),
    outDType: () => "bool",
    castsToSelf: true,
    exact: true,
    explicit: true,
  }),
  ...binaryOp({
    schema: "logical_or(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "logical_or_(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    make: () => (x, y) => (x !== 0 || y !== 0 ? 1 : 0),
    outDType: () => "bool",
    castsToSelf: true,
    exact: true,
    explicit: true,
  }),
  ...binaryOp({
    schema: "bitwise_and.Tensor(Tensor self, Tensor other) -> Tensor",
    inplaceSchema: "bitwise_and_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    make: () => bitwiseAnd,
    cpuCheck: (d) => {
      if (isFloatingType(d)) throw notImplementedFor("bitwise_and_cpu", d);
    },
    exact: true,
  }),
  structuredDecl("clamp(Tensor self, Scalar? min=None, Scalar? max=None) -> Tensor", clampScalarRule(false) as never, clampScalarCpu as never),
  structuredDecl("clamp.Tensor(Tensor self, Tensor? min=None, Tensor? max=None) -> Tensor", clampTensorRule as never, clampTensorCpu as never),
  structuredInplaceDecl(
    "clamp_(Tensor(a!) self, Scalar? min=None, Scalar? max=None) -> Tensor(a!)",
    clampScalarRule(true) as never,
    (() => {}) as never,
    clampScalarCpu as never,
  ),
  structuredInplaceDecl(
    "clamp_.Tensor(Tensor(a!) self, Tensor? min=None, Tensor? max=None) -> Tensor(a!)",
    clampTensorRule as never,
    ((self: Tensor, p: Plan) => checkInplace(self, p.shape, p.compute)) as never,
    clampTensorCpu as never,
  ),
  ...clampOneScalar("max"),
  ...binaryOp({
    schema: "clamp_max.Tensor(Tensor self, Tensor max) -> Tensor",
    inplaceSchema: "clamp_max_.Tensor(Tensor(a!) self, Tensor max) -> Tensor(a!)",
    make: minimumFn,
    exact: true,
  }),
  ...clampOneScalar("min"),
  ...binaryOp({
    schema: "clamp_min.Tensor(Tensor self, Tensor min) -> Tensor",
    inplaceSchema: "clamp_min_.Tensor(Tensor(a!) self, Tensor min) -> Tensor(a!)",
    make: maximumFn,
    exact: true,
  }),
  ...comparisons.flatMap(([name, f]) => comparisonOps(name, f)),
  ...binaryOp({ schema: "maximum(Tensor self, Tensor other) -> Tensor", make: maximumFn, exact: true }),
  ...binaryOp({ schema: "minimum(Tensor self, Tensor other) -> Tensor", make: minimumFn, exact: true }),
];
