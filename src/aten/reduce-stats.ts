// Statistical reductions: var/std (the correction overloads have kernels; the unbiased ones are
// CompositeImplicitAutograd and call them), logsumexp (CompositeExplicitAutograd, PyTorch's
// max-shifted decomposition), linalg_vector_norm and the norm overloads that lead to it.

import { RuntimeError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { callOp } from "../dispatcher/call-op.js";
import { castFn, forEachReduction, storeAs } from "../backends/cpu/reduce-loops.js";
import { normRun, sumRun, sumSquaredDeviations, varianceRun } from "../backends/cpu/reduce-kernels.js";
import { copyInto } from "../backends/cpu/strided-loops.js";
import { DEFAULT_DTYPE, type DType, isFloatingType, isIntegralType, promoteTypes } from "../tensor/dtype.js";
import { numelOf, wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { type DimList, checkFloating, dimMask, formatScalar, optDType, reductionSpec } from "./reduce-rules.js";

type Scalar = number | boolean;
type Opt<T> = T | null;

/**
 * var/std on CPU as PyTorch's std_var_out: NaN for an empty input; one output element uses the
 * all-reduce path (mean rounded to the input dtype, squared deviations summed in float64);
 * otherwise an exact float64 mean per slice (PyTorch's Welford in double).
 */
function varianceInto(fname: "var" | "std", out: Tensor, self: Tensor, dim: DimList, correctionArg: Opt<Scalar>): void {
  const correction = correctionArg === null ? 1 : Number(correctionArg);
  const sqrt = fname === "std";
  const numel = numelOf(self._shape);
  const outNumel = numelOf(out._shape);
  const perOutput = outNumel === 0 ? 0 : numel / outNumel;
  if (perOutput - correction <= 0) {
    warn(`${fname}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor (input numel divided by output numel).`);
  }
  const od = out.data();
  if (numel === 0) {
    od.fill(NaN);
    return;
  }
  const mask = dimMask(self, dim);
  if (outNumel === 1) {
    const all = new Array<boolean>(self._shape.length).fill(true);
    forEachReduction(self, all, (src, start, n) => {
      let mean = sumRun(src, start, n);
      if (self.dtype === "float32") mean = Math.fround(Math.fround(mean) / n);
      else mean /= n;
      const v = sumSquaredDeviations(src, start, n, mean) / Math.max(0, n - correction);
      od[0] = sqrt ? Math.sqrt(v) : v;
    });
    return;
  }
  forEachReduction(self, mask, (src, start, n, k) => void (od[k] = varianceRun(src, start, n, correction, sqrt)));
}

function varianceDecls(fname: "var" | "std"): OpDecl[] {
  const correction = `aten::${fname}.correction`;
  return [
    {
      schema: `${fname}(Tensor self, bool unbiased=True) -> Tensor`,
      composite: ((self: Tensor, unbiased: boolean) => callOp(correction, [self, null, unbiased ? 1 : 0, false])) as never,
    },
    {
      schema: `${fname}.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor`,
      composite: ((self: Tensor, dim: DimList, unbiased: boolean, keepdim: boolean) =>
        callOp(correction, [self, dim, unbiased ? 1 : 0, keepdim])) as never,
    },
    {
      schema: `${fname}.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> Tensor`,
      meta: ((self: Tensor, dim: DimList, _c: Opt<Scalar>, keepdim: boolean): TensorSpec => {
        checkFloating(self, "std and var only support floating point and complex dtypes");
        return reductionSpec(self, dim, keepdim, self.dtype);
      }) as never,
      cpu: ((out: Tensor, self: Tensor, dim: DimList, c: Opt<Scalar>) => varianceInto(fname, out, self, dim, c)) as never,
    },
  ];
}

/** logsumexp as PyTorch computes it: log(sum(exp(x - max))) + max, with infinite maxes zeroed. */
function logsumexp(self: Tensor, dims: number[], keepdim: boolean): unknown {
  const x = isIntegralType(self.dtype, true) ? (callOp("aten::to.dtype", [self, DEFAULT_DTYPE, false, false, null]) as Tensor) : self;
  if (numelOf(x._shape) === 0) {
    const result = callOp("aten::sum.dim_IntList", [callOp("aten::exp", [x]), dims, keepdim, null]);
    return callOp("aten::log_", [result]);
  }
  const maxes = callOp("aten::amax", [x, dims, true]);
  const maxesSqueezed = keepdim ? maxes : callOp("aten::squeeze.dims", [maxes, dims]);
  const infinite = callOp("aten::eq.Scalar", [callOp("aten::abs", [maxesSqueezed]), Infinity]);
  callOp("aten::masked_fill_.Scalar", [maxesSqueezed, infinite, 0]);
  const shifted = callOp("aten::exp_", [callOp("aten::sub.Tensor", [x, maxes, 1])]);
  const result = callOp("aten::sum.dim_IntList", [shifted, dims, keepdim, null]);
  callOp("aten::log_", [result]);
  return callOp("aten::add_.Tensor", [result, maxesSqueezed, 1]);
}

/** The checks and output spec of linalg_vector_norm (TORCH_META_FUNC(linalg_vector_norm)). */
function vectorNormSpec(self: Tensor, ordArg: Scalar, dim: DimList, keepdim: boolean, dtypeArg: Opt<DType>): TensorSpec {
  const fn = "linalg.vector_norm";
  if (!isFloatingType(self.dtype)) throw new RuntimeError(`${fn}: Expected a floating point or complex tensor as input. Got ${cppName(self.dtype)}`);
  const ord = Number(ordArg);
  if (numelOf(self._shape) === 0 && (ord < 0 || ord === Infinity)) {
    if (dim === null || dim.length === 0) {
      throw new RuntimeError(`${fn} cannot compute the ${formatScalar(ordArg)} norm on an empty tensor because the operation does not have an identity`);
    }
    for (const d of dim) {
      if (self._shape[wrapDim(d, self._shape.length)] === 0) {
        throw new RuntimeError(`${fn} cannot compute the ${formatScalar(ordArg)} norm on the dimension ${d}because this dimension is empty and the operation does not have an identity`);
      }
    }
  }
  const dtype = optDType(dtypeArg);
  if (dtype !== null) {
    if (!isFloatingType(dtype)) throw new RuntimeError(`${fn}: dtype should be floating point or complex, but got ${cppName(dtype)}`);
    if (promoteTypes(self.dtype, dtype) !== dtype) {
      throw new RuntimeError(`${fn}: the dtype of the input (${cppName(self.dtype)}) should be convertible without narrowing to the specified dtype (${cppName(dtype)})`);
    }
  }
  return reductionSpec(self, dim ?? [], keepdim, dtype ?? self.dtype);
}

function vectorNormInto(out: Tensor, self: Tensor, ord: Scalar, dim: DimList): void {
  const od = out.data();
  const store = storeAs(out.dtype);
  const p = Number(ord);
  forEachReduction(self, dimMask(self, dim ?? []), (src, start, n, k) => store(od, k, normRun(src, start, n, p)), castFn(self.dtype, out.dtype));
}

/** norm.ScalarOpt_dim(_dtype) on CPU: PyTorch's impl_func_norm, i.e. linalg_vector_norm into out. */
function normViaVectorNorm(out: Tensor, self: Tensor, p: Opt<Scalar>, dim: number[], keepdim: boolean, dtype: Opt<DType>): void {
  copyInto(out, callOp("aten::linalg_vector_norm", [self, p ?? 2, dim, keepdim, dtype]) as Tensor);
}

/** The statistical reductions, in native_functions.yaml order within each name. */
export const statsOps: readonly OpDecl[] = [
  {
    schema: "logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor",
    explicit: logsumexp as never,
  },
  ...varianceDecls("std"),
  ...varianceDecls("var"),
  {
    schema: "norm.ScalarOpt_dtype(Tensor self, Scalar? p, *, ScalarType dtype) -> Tensor",
    explicit: ((self: Tensor, p: Opt<Scalar>, dtype: DType) => callOp("aten::norm.ScalarOpt_dim_dtype", [self, p, [], false, dtype])) as never,
  },
  {
    schema: "norm.Scalar(Tensor self, Scalar p=2) -> Tensor",
    explicit: ((self: Tensor, p: Scalar) => callOp("aten::norm.ScalarOpt_dim", [self, p, [], false])) as never,
  },
  {
    schema: "norm.ScalarOpt_dim_dtype(Tensor self, Scalar? p, int[1] dim, bool keepdim, *, ScalarType dtype) -> Tensor",
    meta: ((self: Tensor, _p: Opt<Scalar>, dim: number[], keepdim: boolean, dtypeArg: DType): TensorSpec => {
      const dtype = optDType(dtypeArg)!;
      if (!isFloatingType(dtype)) {
        throw new RuntimeError(`norm(): the desired output dtype should be either floating point or complex. Got ${cppName(dtype)} instead.`);
      }
      return reductionSpec(self, dim, keepdim, dtype);
    }) as never,
    cpu: ((out: Tensor, self: Tensor, p: Opt<Scalar>, dim: number[], keepdim: boolean, dtype: DType) =>
      normViaVectorNorm(out, self, p, dim, keepdim, dtype)) as never,
  },
  {
    schema: "norm.ScalarOpt_dim(Tensor self, Scalar? p, int[1] dim, bool keepdim=False) -> Tensor",
    meta: ((self: Tensor, _p: Opt<Scalar>, dim: number[], keepdim: boolean): TensorSpec => {
      if (!isFloatingType(self.dtype)) {
        throw new RuntimeError(`norm(): input dtype should be either floating point or complex. Got ${cppName(self.dtype)} instead.`);
      }
      return reductionSpec(self, dim, keepdim, self.dtype);
    }) as never,
    cpu: ((out: Tensor, self: Tensor, p: Opt<Scalar>, dim: number[], keepdim: boolean) => normViaVectorNorm(out, self, p, dim, keepdim, null)) as never,
  },
  {
    schema: "linalg_vector_norm(Tensor self, Scalar ord=2, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    meta: vectorNormSpec as never,
    cpu: ((out: Tensor, self: Tensor, ord: Scalar, dim: DimList) => vectorNormInto(out, self, ord, dim)) as never,
  },
];
