// More reductions and constructions, dispatched as in PyTorch 2.14: nansum (CPU kernel; a Meta
// rule here too), nanmean (CompositeImplicitAutograd: nansum / count of non-NaN), var_mean and
// std_mean (the .correction overloads have CPU kernels, the others call them), kron
// (CompositeImplicitAutograd: _unsafe_view, mul, _unsafe_view), logspace (CompositeExplicitAutograd),
// diag_embed (CompositeExplicitAutogradNonFunctional: zeros + diagonal + copy_), diagonal_copy and
// diag (CompositeImplicitAutograd: diag_embed for vectors, diagonal_copy for matrices).
// Written after ATen's ReduceOps.cpp, LinearAlgebra.cpp, RangeFactories.cpp and TensorShape.cpp.

import { RuntimeError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { callOp } from "../dispatcher/call-op.js";
import { castFn, forEachReduction, storeAs } from "../backends/cpu/reduce-loops.js";
import { sumRun, varianceRun } from "../backends/cpu/reduce-kernels.js";
import { checkedScalar } from "../backends/cpu/pointwise-math.js";
import { DEFAULT_DTYPE, type DType, isFloatingType, isIntegralType, toDType } from "../tensor/dtype.js";
import { numelOf, wrapDim } from "../tensor/shape.js";
import type { Device, Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import { type Kernel, type OpDecl, type TensorSpec, allocate } from "./op-decl.js";
import { type DimList, dimMask, dtypeFromSelf, optDType, reductionSpec } from "./reduce-rules.js";

type Opt<T> = T | null;
type Scalar = number | boolean;
const k = (f: (...args: never[]) => unknown): Kernel => f;
const call = (name: string, args: unknown[]): Tensor => callOp(`aten::${name}`, args) as Tensor;

// ---------------------------------------------------------------------------------------------
// nansum / nanmean

/** The sum of a run, NaNs skipped (float64 accumulation). */
function nansumRun(src: ArrayLike<number>, start: number, n: number): number {
  let s = 0;
  for (let i = start; i < start + n; i++) {
    const v = src[i]!;
    if (v === v) s += v;
  }
  return s;
}

function nansumSpec(self: Tensor, dim: DimList, keepdim: boolean, dtype: Opt<DType>): TensorSpec {
  return reductionSpec(self, dim, keepdim, dtypeFromSelf(self, optDType(dtype), true));
}

/** nansum_out: integral inputs have no NaN (a plain sum); floats skip NaNs, in the output dtype. */
function nansumInto(out: Tensor, self: Tensor, dim: DimList): void {
  const od = out.data();
  const store = storeAs(out.dtype);
  const run = isIntegralType(self.dtype, true) ? sumRun : nansumRun;
  forEachReduction(self, dimMask(self, dim), (src, start, n, i) => store(od, i, run(src, start, n)), castFn(self.dtype, out.dtype));
}

/** nanmean: nansum divided by the number of non-NaN elements (counted on a detached self). */
function nanmean(self: Tensor, dim: DimList, keepdim: boolean, dtype: Opt<DType>): Tensor {
  if (!isFloatingType(self.dtype)) {
    throw new RuntimeError(`nanmean(): expected input to have floating point or complex dtype but got ${cppName(self.dtype)}`);
  }
  const detached = call("detach", [self]);
  const notNan = call("logical_not_", [call("ne.Tensor", [detached, detached])]);
  const factor = call("sum.dim_IntList", [notNan, dim, keepdim, null]);
  return call("div.Tensor", [call("nansum", [self, dim, keepdim, dtype]), factor]);
}

// ---------------------------------------------------------------------------------------------
// var_mean / std_mean

/** std_var_mean_out on CPU: per slice the mean and the corrected variance (Welford-exact, in float64); NaN when empty. */
function varMeanKernel(fname: "var_mean" | "std_mean", device: Device) {
  return (self: Tensor, dim: DimList, correctionArg: Opt<Scalar>, keepdim: boolean): Tensor[] => {
    if (!isFloatingType(self.dtype)) throw new RuntimeError(`${fname} only support floating point and complex dtypes`);
    const spec = reductionSpec(self, dim, keepdim, self.dtype);
    const result = allocate(device, spec);
    const mean = allocate(device, spec);
    if (device !== "cpu") return [result, mean];
    const correction = correctionArg === null ? 1 : Number(correctionArg);
    const numel = numelOf(self._shape);
    const outNumel = numelOf(spec.shape);
    if ((outNumel === 0 ? 0 : numel / outNumel) - correction <= 0) {
      warn(`${fname}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor (input numel divided by output numel).`);
    }
    const rd = result.data();
    const md = mean.data();
    if (numel === 0) {
      rd.fill(NaN);
      md.fill(NaN);
      return [result, mean];
    }
    const sqrt = fname === "std_mean";
    forEachReduction(self, dimMask(self, dim), (src, start, n, i) => {
      const m = sumRun(src, start, n) / n;
      rd[i] = varianceRun(src, start, n, correction, sqrt, m);
      md[i] = m;
    });
    return [result, mean];
  };
}

function varMeanDecls(fname: "var_mean" | "std_mean"): OpDecl[] {
  const correction = `aten::${fname}.correction`;
  return [
    {
      schema: `${fname}(Tensor self, bool unbiased=True) -> (Tensor, Tensor)`,
      composite: k((self: Tensor, unbiased: boolean) => callOp(correction, [self, null, unbiased ? 1 : 0, false])),
    },
    {
      schema: `${fname}.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> (Tensor, Tensor)`,
      composite: k((self: Tensor, dim: DimList, unbiased: boolean, keepdim: boolean) => callOp(correction, [self, dim, unbiased ? 1 : 0, keepdim])),
    },
    {
      schema: `${fname}.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> (Tensor, Tensor)`,
      cpuKernel: k(varMeanKernel(fname, "cpu")),
      metaKernel: k(varMeanKernel(fname, "meta")),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// kron, logspace

/** KronImpl: self viewed as [a0, 1, a1, 1, ...], other as [1, b0, 1, b1, ...], multiplied, merged pairwise. */
function kron(self: Tensor, other: Tensor): Tensor {
  const maxdim = Math.max(self._shape.length, other._shape.length);
  const padSelf = maxdim - self._shape.length;
  const padOther = maxdim - other._shape.length;
  const aShape: number[] = [];
  const bShape: number[] = [];
  const result: number[] = [];
  for (let i = 0; i < maxdim; i++) {
    const sa = i >= padSelf ? self._shape[i - padSelf]! : 1;
    const sb = i >= padOther ? other._shape[i - padOther]! : 1;
    aShape.push(sa, 1);
    bShape.push(1, sb);
    result.push(sa * sb);
  }
  const a = call("_unsafe_view", [self, aShape]);
  const b = call("_unsafe_view", [other, bShape]);
  return call("_unsafe_view", [call("mul.Tensor", [a, b]), result]);
}

/** A double as C++'s static_cast to an integer type: truncation, then the type's width. */
function castResult(dtype: DType, v: number): number {
  if (isFloatingType(dtype)) return v;
  if (dtype === "bool") return v !== 0 ? 1 : 0;
  return Math.trunc(v);
}

/** logspace_out on CPU: base ** (start + step * i) for the first half, base ** (end - step * (steps - 1 - i)) after. */
function logspace(start: Scalar, end: Scalar, steps: number, base: number, dtypeArg: Opt<DType>, _layout: unknown, device: Opt<Device>): Tensor {
  if (steps < 0) throw new RuntimeError("number of steps must be non-negative");
  const dtype = dtypeArg === null ? DEFAULT_DTYPE : toDType(dtypeArg);
  const out = allocate(device ?? "cpu", { shape: [steps], dtype });
  if (out.device !== "cpu" || steps === 0) return out;
  const data = out.data();
  const store = storeAs(dtype);
  if (steps === 1) {
    store(data, 0, castResult(dtype, Math.pow(base, Number(start))));
    return out;
  }
  // start and end converted to the output type first (c10's checked Scalar::to<scalar_t>)
  const round = dtype === "float32" ? Math.fround : (x: number) => x;
  const s = round(checkedScalar(dtype, start));
  const e = round(checkedScalar(dtype, end));
  const step = round(e - s) / (steps - 1);
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) {
    const exponent = i < half ? s + step * i : e - step * (steps - i - 1);
    store(data, i, castResult(dtype, Math.pow(base, exponent)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// diag_embed, diagonal_copy, diag

/** diag_embed: zeros with two new dims whose (offset) diagonal is self's last dim. */
function diagEmbed(self: Tensor, offset: number, dim1Arg: number, dim2Arg: number): Tensor {
  const nDims = self._shape.length + 1;
  const dim1 = wrapDim(dim1Arg, nDims);
  const dim2 = wrapDim(dim2Arg, nDims);
  if (dim1 === dim2) throw new RuntimeError(`diagonal dimensions cannot be identical ${dim1Arg}, ${dim2Arg}`);
  const last = self._shape[wrapDim(-1, self._shape.length, false)]!;
  const newLen = Math.abs(offset) + last;
  const sizes = self._shape.slice(0, -1);
  sizes.splice(Math.min(dim1, dim2), 0, newLen);
  sizes.splice(Math.max(dim1, dim2), 0, newLen);
  const result = call("zeros", [sizes, self.dtype, null, self.device, null]);
  call("copy_", [call("diagonal", [result, offset, dim1, dim2]), self, false]);
  return result;
}

/** diagonal_copy (generated): the diagonal view, cloned contiguous. */
function diagonalCopy(self: Tensor, offset: number, dim1: number, dim2: number): Tensor {
  return call("clone", [call("diagonal", [self, offset, dim1, dim2]), "contiguous_format"]);
}

function diag(self: Tensor, diagonal: number): Tensor {
  const n = self._shape.length;
  if (n !== 1 && n !== 2) throw new RuntimeError(`diag(): Supports 1D or 2D tensors. Got ${n}D`);
  return n === 1 ? call("diag_embed", [self, diagonal, -2, -1]) : call("diagonal_copy", [self, diagonal, 0, 1]);
}

/** The operators of this file, in native_functions.yaml order within each name. */
export const reduceMoreOps: readonly OpDecl[] = [
  {
    schema: "diag_embed(Tensor self, int offset=0, int dim1=-2, int dim2=-1) -> Tensor",
    explicit: k(diagEmbed),
  },
  { schema: "kron(Tensor self, Tensor other) -> Tensor", composite: k(kron) },
  {
    schema: "logspace(Scalar start, Scalar end, int steps, float base=10.0, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: k(logspace),
  },
  {
    schema: "nanmean(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    composite: k(nanmean),
  },
  {
    schema: "nansum(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    meta: nansumSpec as never,
    cpu: ((out: Tensor, self: Tensor, dim: DimList) => nansumInto(out, self, dim)) as never,
  },
  ...varMeanDecls("std_mean"),
  ...varMeanDecls("var_mean"),
  { schema: "diag(Tensor self, int diagonal=0) -> Tensor", composite: k(diag) },
  { schema: "diagonal_copy(Tensor self, int offset=0, int dim1=0, int dim2=1) -> Tensor", explicit: k(diagonalCopy) },
];
