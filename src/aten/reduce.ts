// Reductions: sum mean prod here; amax amin max min argmax argmin all any (reduce-minmax.ts);
// var std logsumexp norm linalg_vector_norm (reduce-stats.ts); sort topk cumsum (reduce-sort.ts);
// cumprod_backward (reduce-cumprod.ts).
// Each op is declared once as data (see op-decl.ts and docs/adding-ops.md), dispatched as in
// PyTorch 2.14's native_functions.yaml.

import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { forEachReduction, castFn, storeAs } from "../backends/cpu/reduce-loops.js";
import { prodRun, sumRun } from "../backends/cpu/reduce-kernels.js";
import { type DType, isFloatingType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { type DimList, dimMask, dtypeFromSelf, optDType, reductionSpec } from "./reduce-rules.js";
import { minMaxOps } from "./reduce-minmax.js";
import { sortOps } from "./reduce-sort.js";
import { statsOps } from "./reduce-stats.js";
import { cumprodBackwardOps } from "./reduce-cumprod.js";

type Opt<T> = T | null;

/**
 * out[k] = sum of self over the masked dims, the input first converted to out's dtype (PyTorch
 * reduces in the output dtype); accumulated in float64 and stored once.
 */
function sumInto(out: Tensor, self: Tensor, mask: readonly boolean[]): void {
  const od = out.data();
  const store = storeAs(out.dtype);
  forEachReduction(self, mask, (src, start, n, k) => store(od, k, sumRun(src, start, n)), castFn(self.dtype, out.dtype));
}

function prodInto(out: Tensor, self: Tensor, mask: readonly boolean[]): void {
  const od = out.data();
  const store = storeAs(out.dtype);
  const d = out.dtype;
  forEachReduction(self, mask, (src, start, n, k) => store(od, k, prodRun(src, start, n, d)), castFn(self.dtype, out.dtype));
}

/** The rule of mean.dim: a floating dtype is required (given, or self's). */
function meanSpec(self: Tensor, dim: DimList, keepdim: boolean, dtype: Opt<DType>): TensorSpec {
  const d = optDType(dtype);
  if (!isFloatingType(dtypeFromSelf(self, d, true))) {
    const [what, got] = d === null ? ["Input", self.dtype] : ["Optional", d];
    throw new RuntimeError(`mean(): could not infer output dtype. ${what} dtype must be either a floating point or complex dtype. Got: ${cppName(got)}`);
  }
  return reductionSpec(self, dim, keepdim, d ?? self.dtype);
}

/** mean on CPU, as PyTorch: the sum in the output dtype, then divided by the number of reduced elements. */
function meanInto(out: Tensor, self: Tensor, dim: DimList): void {
  const mask = dimMask(self, dim);
  const count = self._shape.reduce((c, s, d) => (mask[d] ? c * s : c), 1);
  sumInto(out, self, mask);
  const od = out.data();
  const round = out.dtype === "float32" ? Math.fround : (x: number) => x;
  for (let i = 0; i < od.length; i++) od[i] = round(od[i]!) / count;
}

/** The sum, mean and prod operators, in native_functions.yaml order within each name. */
const arithmeticOps: readonly OpDecl[] = [
  {
    schema: "sum(Tensor self, *, ScalarType? dtype=None) -> Tensor",
    explicit: ((self: Tensor, dtype: Opt<DType>) => callOp("aten::sum.dim_IntList", [self, [], false, dtype])) as never,
  },
  {
    schema: "sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    meta: ((self: Tensor, dim: DimList, keepdim: boolean, dtype: Opt<DType>) =>
      reductionSpec(self, dim, keepdim, dtypeFromSelf(self, optDType(dtype), true))) as never,
    cpu: ((out: Tensor, self: Tensor, dim: DimList) => sumInto(out, self, dimMask(self, dim))) as never,
  },
  {
    schema: "mean(Tensor self, *, ScalarType? dtype=None) -> Tensor",
    explicit: ((self: Tensor, dtype: Opt<DType>) => callOp("aten::mean.dim", [self, [], false, dtype])) as never,
  },
  {
    schema: "mean.dim(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    meta: meanSpec as never,
    cpu: ((out: Tensor, self: Tensor, dim: DimList) => meanInto(out, self, dim)) as never,
  },
  {
    schema: "prod(Tensor self, *, ScalarType? dtype=None) -> Tensor",
    meta: ((self: Tensor, dtype: Opt<DType>) => ({ shape: [], dtype: dtypeFromSelf(self, optDType(dtype), true) })) as never,
    cpu: ((out: Tensor, self: Tensor) => prodInto(out, self, dimMask(self, null))) as never,
  },
  {
    schema: "prod.dim_int(Tensor self, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    meta: ((self: Tensor, dim: number, keepdim: boolean, dtype: Opt<DType>) =>
      reductionSpec(self, [dim], keepdim, dtypeFromSelf(self, optDType(dtype), true))) as never,
    cpu: ((out: Tensor, self: Tensor, dim: number) => prodInto(out, self, dimMask(self, [dim]))) as never,
  },
];

/** The reduce operators, in native_functions.yaml order within each name. */
export const reduceOps: readonly OpDecl[] = [...arithmeticOps, ...minMaxOps, ...statsOps, ...sortOps, ...cumprodBackwardOps];
