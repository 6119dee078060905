// Shared shape/dtype rules and kernel builders for pointwise operators (PyTorch's TensorIterator
// configurations): broadcasting, result_type promotion, float promotion for unary float ops,
// bool outputs for comparisons, and the in-place checks ("can't be cast", "doesn't match the
// broadcast shape").

import { RuntimeError } from "../core/errors.js";
import { binaryLoop, unaryLoop } from "../backends/cpu/strided-loops.js";
import { DEFAULT_DTYPE, type DType, isFloatingType } from "../tensor/dtype.js";
import { broadcastShapes } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkCanCastTo, cppName, resultType } from "../tensor/type-promotion.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";

type Scalar = number | boolean | bigint;

/** Output spec of a binary op: broadcast shape, promoted dtype (or `outDType`). */
export function binarySpec(a: Tensor, b: Tensor, outDType?: DType): TensorSpec {
  return { shape: broadcastShapes(a._shape, b._shape), dtype: outDType ?? resultType(a, b) };
}

/** The in-place check of `self op= other`: shapes broadcast to self's, and the result type casts to self's. */
export function checkInplace(self: Tensor, resultShape: readonly number[], result: DType): void {
  const same = resultShape.length === self._shape.length && resultShape.every((s, i) => s === self._shape[i]);
  if (!same) {
    throw new RuntimeError(`output with shape [${self._shape.join(", ")}] doesn't match the broadcast shape [${resultShape.join(", ")}]`);
  }
  checkCanCastTo(result, self.dtype);
}

/** The dtype a unary float op computes in: ints and bool go to the default float dtype. */
export function floatDType(d: DType): DType {
  return isFloatingType(d) ? d : DEFAULT_DTYPE;
}

/** The error PyTorch raises when a kernel has no implementation for a dtype. */
export function notImplementedFor(kernel: string, d: DType): RuntimeError {
  return new RuntimeError(`"${kernel}" not implemented for '${cppName(d)}'`);
}

/** PyTorch's alpha check for add/sub. */
export function checkAlpha(dtype: DType, alpha: Scalar): void {
  if (typeof alpha === "boolean" && dtype !== "bool") {
    throw new RuntimeError("Boolean alpha only supported for Boolean results.");
  }
  if (!isFloatingType(dtype) && typeof alpha === "number" && !Number.isInteger(alpha)) {
    throw new RuntimeError("For integral input tensors, argument alpha must not be a floating point number.");
  }
}

/** Rounds a JS number the way an integer dtype stores a computed float (toward zero). */
export function toStored(d: DType, v: number): number {
  if (isFloatingType(d)) return v;
  if (d === "bool") return v !== 0 ? 1 : 0;
  return Number.isFinite(v) ? Math.trunc(v) : 0;
}

/**
 * Declares a binary pointwise op and its in-place form, e.g.
 * `add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor` and `add_.Tensor(...)`.
 * `make` builds the element function once per call from the computation dtype and the extra
 * (non-tensor) arguments.
 */
export function binaryOp(opts: {
  schema: string;
  inplaceSchema?: string;
  make: (dtype: DType, extra: readonly unknown[]) => (x: number, y: number) => number;
  /** Output dtype from the promoted dtype (default: the promoted dtype). */
  outDType?: (promoted: DType) => DType;
  /** Validation of the promoted dtype and extra arguments (e.g. alpha). */
  check?: (promoted: DType, extra: readonly unknown[]) => void;
}): OpDecl[] {
  const { make, outDType, check } = opts;
  const rule = (self: Tensor, other: Tensor, ...extra: unknown[]): TensorSpec => {
    const promoted = resultType(self, other);
    check?.(promoted, extra);
    return binarySpec(self, other, outDType ? outDType(promoted) : promoted);
  };
  const compute = (out: Tensor, self: Tensor, other: Tensor, ...extra: unknown[]) => {
    const promoted = resultType(self, other);
    const f = make(promoted, extra);
    if (!isFloatingType(promoted) && out.dtype !== "bool") {
      binaryLoop(out, self, other, (x, y) => toStored(promoted, f(x, y)));
    } else if (promoted === "float32" && (self.dtype !== "float32" || other.dtype !== "float32")) {
      // operands are converted to the computation dtype first (a float64 scalar 0.1 becomes float32 0.1)
      binaryLoop(out, self, other, (x, y) => f(Math.fround(x), Math.fround(y)));
    } else {
      binaryLoop(out, self, other, f);
    }
  };
  const decls: OpDecl[] = [{ schema: opts.schema, meta: rule as never, cpu: compute as never }];
  if (opts.inplaceSchema) {
    decls.push({
      schema: opts.inplaceSchema,
      inplace: true,
      meta: ((self: Tensor, other: Tensor, ...extra: unknown[]) => {
        const spec = rule(self, other, ...extra);
        checkInplace(self, spec.shape, spec.dtype);
      }) as never,
      cpu: ((out: Tensor, self: Tensor, other: Tensor, ...extra: unknown[]) => compute(out, self, other, ...extra)) as never,
    });
  }
  return decls;
}

/** Declares a unary pointwise op (and its in-place form). `float`: ints promote to float32. */
export function unaryOp(opts: {
  schema: string;
  inplaceSchema?: string;
  f: (x: number) => number;
  float?: boolean;
  /** dtypes the op refuses, with the kernel name for the error. */
  refuse?: { kernel: string; dtypes: readonly DType[] };
  outDType?: (d: DType) => DType;
  /** Extra validation (e.g. no negation of bool). */
  check?: (self: Tensor) => void;
}): OpDecl[] {
  const outOf = (d: DType): DType => (opts.outDType ? opts.outDType(d) : opts.float ? floatDType(d) : d);
  const rule = (self: Tensor): TensorSpec => {
    if (opts.refuse && opts.refuse.dtypes.includes(self.dtype)) throw notImplementedFor(opts.refuse.kernel, self.dtype);
    opts.check?.(self);
    return { shape: self._shape, dtype: outOf(self.dtype) };
  };
  const compute = (out: Tensor, self: Tensor) => {
    const d = out.dtype;
    unaryLoop(out, self, isFloatingType(d) ? opts.f : (x) => toStored(d, opts.f(x)));
  };
  const decls: OpDecl[] = [{ schema: opts.schema, meta: rule as never, cpu: compute as never }];
  if (opts.inplaceSchema) {
    decls.push({
      schema: opts.inplaceSchema,
      inplace: true,
      meta: ((self: Tensor) => {
        const spec = rule(self);
        checkCanCastTo(spec.dtype, self.dtype);
      }) as never,
      cpu: ((out: Tensor, self: Tensor) => compute(out, self)) as never,
    });
  }
  return decls;
}
