// Shared shape/dtype rules and declaration builders of pointwise operators (PyTorch's
// TensorIterator configurations): broadcasting, result_type promotion, float promotion of unary
// float ops, bool outputs of comparisons, the in-place checks ("can't be cast", "doesn't match the
// broadcast shape"), and the "not implemented for 'Bool'" errors of CPU kernels.

import { NotImplementedError, RuntimeError } from "../core/errors.js";
import { asCompute, type Fn1, type Fn2, map1, map2 } from "../backends/cpu/pointwise-loops.js";
import { castValue } from "../backends/cpu/pointwise-math.js";
import { type FastOp, fastFloatBinary, tryFastFloatBinary } from "../backends/cpu/pointwise-fast.js";
import { DEFAULT_DTYPE, type DType, isFloatingType } from "../tensor/dtype.js";
import { broadcastShapes } from "../tensor/shape.js";
import { Storage, Tensor } from "../tensor/tensor.js";
import { checkCanCastTo, cppName, resultType } from "../tensor/type-promotion.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { type Plan, explicitDecl, explicitInplaceDecl, outputStrides, structuredDecl, structuredInplaceDecl } from "./pointwise-iter.js";

type Scalar = number | boolean | bigint;

/**
 * Output spec of a binary op: broadcast shape, promoted dtype (or `outDType`).
 * @example
 * binarySpec(x2x3, y3).shape // [2, 3]
 */
export function binarySpec(a: Tensor, b: Tensor, outDType?: DType): TensorSpec {
  return { shape: broadcastShapes(a._shape, b._shape), dtype: outDType ?? resultType(a, b) };
}

/**
 * The in-place check of `self op= other`: shapes broadcast to self's, and the result type casts to self's.
 * @example
 * checkInplace(int64Self, [3], "float32") // throws "result type Float can't be cast to the desired output type Long"
 */
export function checkInplace(self: Tensor, resultShape: readonly number[], result: DType): void {
  checkInplaceShape(self, resultShape);
  checkCanCastTo(result, self.dtype);
}

/**
 * An in-place result must have self's shape (outputs are never broadcast).
 * @example
 * checkInplaceShape(x3, [2, 3]) // throws "output with shape [3] doesn't match the broadcast shape [2, 3]"
 */
export function checkInplaceShape(self: Tensor, resultShape: readonly number[]): void {
  const same = resultShape.length === self._shape.length && resultShape.every((s, i) => s === self._shape[i]);
  if (!same) {
    throw new RuntimeError(`output with shape [${self._shape.join(", ")}] doesn't match the broadcast shape [${resultShape.join(", ")}]`);
  }
}

/**
 * The dtype a unary float op computes in: ints and bool go to the default float dtype.
 * @example
 * floatDType("int64") // "float32"
 */
export function floatDType(d: DType): DType {
  return isFloatingType(d) ? d : DEFAULT_DTYPE;
}

/**
 * The error PyTorch raises when a CPU kernel has no loop for a dtype (a NotImplementedError since 2.x).
 * @example
 * notImplementedFor("abs_cpu", "bool").message // '"abs_cpu" not implemented for \'Bool\''
 */
export function notImplementedFor(kernel: string, d: DType): RuntimeError {
  return new NotImplementedError(`"${kernel}" not implemented for '${cppName(d)}'`);
}

/**
 * PyTorch's alpha check for add/sub.
 * @example
 * checkAlpha("int64", 2.5) // throws "For integral input tensors, argument alpha must not be a floating point number."
 */
export function checkAlpha(dtype: DType, alpha: Scalar): void {
  if (typeof alpha === "boolean" && dtype !== "bool") {
    throw new RuntimeError("Boolean alpha only supported for Boolean results.");
  }
  if (!isFloatingType(dtype) && typeof alpha === "number" && !Number.isInteger(alpha)) {
    throw new RuntimeError("For integral input tensors, argument alpha must not be a floating point number.");
  }
}

/**
 * Rounds a JS number the way an integer dtype stores a computed float (toward zero).
 * @example
 * toStored("int64", -0.5) // 0
 */
export function toStored(d: DType, v: number): number {
  if (isFloatingType(d)) return v;
  if (d === "bool") return v !== 0 ? 1 : 0;
  return Number.isFinite(v) ? Math.trunc(v) + 0 : 0;
}

/**
 * The plan of a binary TensorIterator op (`build_binary_op`): broadcast shape, common dtype
 * (`float`: ints and bool compute in float32, as true division does), the output layout.
 * `other` may be a JS scalar (the `.Scalar` overloads), which promotes like a wrapped number.
 * @example
 * binaryPlan(int32Tensor, 2.5).dtype // "float32"
 */
export function binaryPlan(self: Tensor, other: Tensor | Scalar, float = false, outDType?: DType): Plan {
  // operands of one dtype promote to it whatever their kinds (dim, 0-dim, wrapped number)
  let compute = other instanceof Tensor && other.dtype === self.dtype ? self.dtype : resultType(self, other);
  if (float && !isFloatingType(compute)) compute = DEFAULT_DTYPE;
  const isT = other instanceof Tensor;
  const shape = isT && other._shape.length !== 0 ? broadcastShapes(self._shape, other._shape) : self._shape.slice();
  const strides = outputStrides(shape, isT ? [self, other] : [self]);
  return { shape, dtype: outDType ?? compute, compute, strides };
}

/**
 * The plan of a unary op reading self in `compute` and writing `outDType` (default: compute).
 * @example
 * unaryPlan(int32Tensor, "float32").dtype // "float32"
 */
export function unaryPlan(self: Tensor, compute: DType, outDType: DType = compute): Plan {
  const shape = self._shape.slice();
  return { shape, dtype: outDType, compute, strides: outputStrides(shape, [self]) };
}

/**
 * A JS scalar as a one-element CPU tensor of dtype d (its value cast as the dtype stores it).
 * @example
 * scalarOperand(0.1, "float32").item() // 0.10000000149011612
 */
export function scalarOperand(v: Scalar, d: DType): Tensor {
  const t = new Tensor(Storage.allocate("cpu", d, 1), [], [], 0, d, "cpu");
  t.data()[0] = castValue(d, typeof v === "boolean" ? (v ? 1 : 0) : Number(v));
  return t;
}

/**
 * Reads an operand (tensor or scalar) in the compute dtype.
 * @example
 * operand(2, "float64") // a 0-dim float64 tensor holding 2
 */
export function operand(v: Tensor | Scalar, d: DType): Tensor {
  return v instanceof Tensor ? asCompute(v, d) : scalarOperand(v, d);
}

/**
 * Wraps f so that its results are stored exactly (int64 truncates without -0, bool is 0/1).
 * @example
 * storedAs("bool", (x, y) => x + y)(1, 1) // 1
 */
export function storedAs(d: DType, f: Fn2): Fn2 {
  if (d === "bool") return (x, y) => (f(x, y) !== 0 ? 1 : 0);
  if (d === "int64") return (x, y) => toStored("int64", f(x, y));
  return f;
}

/** Options of {@link binaryOp}. */
export interface BinaryOpOptions {
  schema: string;
  inplaceSchema?: string;
  /** The element function for the common dtype and the extra (non-tensor) arguments. */
  make: (dtype: DType, extra: readonly unknown[]) => Fn2;
  /** Output dtype from the promoted dtype (default: the promoted dtype). */
  outDType?: (promoted: DType) => DType;
  /** Validation of the promoted dtype and extra arguments (e.g. alpha). */
  check?: (promoted: DType, extra: readonly unknown[]) => void;
  /** Checks before promotion (e.g. sub's bool check). */
  precheck?: (self: Tensor, other: Tensor | Scalar, extra: readonly unknown[]) => void;
  /** CPU-only checks that need data or a dtype loop (ZeroDivisionError, "not implemented for"), run before writing. */
  cpuCheck?: (compute: DType, self: Tensor, other: Tensor | Scalar, extra: readonly unknown[]) => void;
  /** Ints and bool compute in float32 (true division); may depend on the extra arguments. */
  float?: boolean | ((extra: readonly unknown[]) => boolean);
  /** In-place results are cast to self's dtype without the safe-cast check (comparisons). */
  castsToSelf?: boolean;
  /** The element function already returns stored values (0/1 for bool, integers for int64). */
  exact?: boolean;
  /** CompositeExplicitAutograd (one kernel for every backend) instead of structured CPU/Meta kernels. */
  explicit?: boolean;
  /** Float arithmetic with an inline fast loop, used when `fastWhen(first extra argument)` holds (alpha is 1). */
  fast?: FastOp;
  fastWhen?: (e1: unknown) => boolean;
}

/**
 * Declares a binary pointwise op and its in-place form, e.g.
 * `mul.Tensor(Tensor self, Tensor other) -> Tensor` and `mul_.Tensor(...)`. The second argument
 * may also be a Scalar (structured `.Scalar` overloads such as `eq.Scalar`).
 * @example
 * binaryOp({ schema: "mul.Tensor(Tensor self, Tensor other) -> Tensor", make: () => (x, y) => x * y })
 */
export function binaryOp(opts: BinaryOpOptions): OpDecl[] {
  const { make, outDType, check, precheck, cpuCheck } = opts;
  const rule = (self: Tensor, other: Tensor | Scalar, e1?: unknown, e2?: unknown): Plan => {
    const extra = e2 === undefined ? [e1] : [e1, e2];
    precheck?.(self, other, extra);
    const p = binaryPlan(self, other, typeof opts.float === "function" ? opts.float(extra) : opts.float);
    check?.(p.compute, extra);
    return outDType ? { ...p, dtype: outDType(p.compute) } : p;
  };
  const { fast, fastWhen } = opts;
  const cpu = (out: Tensor, p: Plan, self: Tensor, other: Tensor | Scalar, e1?: unknown, e2?: unknown): void => {
    if (fast && other instanceof Tensor && p.compute === out.dtype && (!fastWhen || fastWhen(e1)) && fastFloatBinary(fast, out, self, other)) {
      return;
    }
    const extra = e2 === undefined ? [e1] : [e1, e2];
    cpuCheck?.(p.compute, self, other, extra);
    const f = make(p.compute, extra);
    map2(out, asCompute(self, p.compute), operand(other, p.compute), opts.exact ? f : storedAs(out.dtype, f));
  };
  const [outOfPlace, inplace] = opts.explicit ? [explicitDecl, explicitInplaceDecl] : [structuredDecl, structuredInplaceDecl];
  let main = outOfPlace(opts.schema, rule as never, cpu as never);
  if (fast && main.cpuKernel) {
    // two contiguous float tensors of one dtype and shape need no plan at all
    const general = main.cpuKernel as (a: Tensor, b: unknown, c?: unknown, d?: unknown) => unknown;
    const kernel = (a: Tensor, b: unknown, c?: unknown, d?: unknown): unknown =>
      (b instanceof Tensor && (!fastWhen || fastWhen(c)) ? tryFastFloatBinary(fast, a, b) : null) ?? general(a, b, c, d);
    main = { ...main, cpuKernel: kernel as OpDecl["cpuKernel"] };
  }
  const decls: OpDecl[] = [main];
  if (opts.inplaceSchema) {
    const inplaceCheck = (self: Tensor, p: Plan): void =>
      opts.castsToSelf ? checkInplaceShape(self, p.shape) : checkInplace(self, p.shape, p.compute);
    decls.push(inplace(opts.inplaceSchema, rule as never, inplaceCheck as never, cpu as never));
  }
  return decls;
}

/** Options of {@link unaryOp}. */
export interface UnaryOpOptions {
  schema: string;
  inplaceSchema?: string;
  /** The element function (or `make` for one that depends on the dtype and extra arguments). */
  f?: Fn1;
  make?: (dtype: DType, extra: readonly unknown[]) => Fn1;
  /** ints and bool compute in float32 */
  float?: boolean;
  /** dtypes the CPU kernel has no loop for, with the kernel's name for the error. */
  refuse?: { kernel: string; dtypes: readonly DType[] };
  outDType?: (d: DType) => DType;
  /** Validation on every backend (e.g. no negation of bool). */
  check?: (self: Tensor, extra: readonly unknown[]) => void;
  /** Integer inputs are copied unchanged (floor, ceil, round). */
  intCopy?: boolean;
  /** The element function already returns stored values. */
  exact?: boolean;
  /** In-place results are cast to self's dtype without the safe-cast check (logical_not_). */
  castsToSelf?: boolean;
  /** CompositeExplicitAutograd (one kernel for every backend) instead of structured CPU/Meta kernels. */
  explicit?: boolean;
}

/**
 * Declares a unary pointwise op (and its in-place form). `float`: ints promote to float32.
 * @example
 * unaryOp({ schema: "exp(Tensor self) -> Tensor", inplaceSchema: "exp_(Tensor(a!) self) -> Tensor(a!)", f: Math.exp, float: true })
 */
export function unaryOp(opts: UnaryOpOptions): OpDecl[] {
  const rule = (self: Tensor, e1?: unknown): Plan => {
    opts.check?.(self, [e1]);
    const compute = opts.float ? floatDType(self.dtype) : self.dtype;
    return unaryPlan(self, compute, opts.outDType ? opts.outDType(self.dtype) : compute);
  };
  const cpu = (out: Tensor, p: Plan, self: Tensor, e1?: unknown): void => {
    if (opts.refuse && opts.refuse.dtypes.includes(p.compute)) throw notImplementedFor(opts.refuse.kernel, p.compute);
    if (opts.intCopy && !isFloatingType(p.compute)) {
      map1(out, self, (x) => x);
      return;
    }
    const f = opts.make ? opts.make(p.compute, [e1]) : opts.f!;
    const d = out.dtype;
    const g = opts.exact || (d !== "bool" && d !== "int64") ? f : (x: number) => toStored(d, f(x));
    map1(out, asCompute(self, p.compute), g);
  };
  const [outOfPlace, inplace] = opts.explicit ? [explicitDecl, explicitInplaceDecl] : [structuredDecl, structuredInplaceDecl];
  const decls: OpDecl[] = [outOfPlace(opts.schema, rule as never, cpu as never)];
  if (opts.inplaceSchema) {
    const inplaceCheck = (self: Tensor, p: Plan): void => {
      if (!opts.castsToSelf) checkCanCastTo(p.compute, self.dtype);
    };
    decls.push(inplace(opts.inplaceSchema, rule as never, inplaceCheck as never, cpu as never));
  }
  return decls;
}
