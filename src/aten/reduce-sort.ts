// Ops along one dim that keep it: sort (CompositeExplicitAutograd, calling sort.stable), topk and
// cumsum/cumsum_. sort's outputs follow the input's memory layout (dense strides inferred as
// PyTorch's infer_dense_strides); topk and cumsum give contiguous outputs.

import { NotImplementedError, RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { cumsumInto, sortInto, topkInto } from "../backends/cpu/reduce-sort.js";
import { type DType, isIntegralType, typeMetaName } from "../tensor/dtype.js";
import { numelOf, wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { optDType } from "./reduce-rules.js";

type Opt<T> = T | null;

/**
 * Is (sizes, strides) a permutation of a contiguous layout (PyTorch's is_non_overlapping_and_dense)?
 * @example
 * isNonOverlappingAndDense([3, 4], [1, 3]) // true (a transposed contiguous tensor)
 */
export function isNonOverlappingAndDense(sizes: readonly number[], strides: readonly number[]): boolean {
  const nd = sizes.length;
  if (nd === 0) return true;
  if (nd === 1) return sizes[0]! < 2 || strides[0] === 1;
  const perm = [...sizes.keys()].sort((a, b) => {
    if (sizes[a]! < 2) return sizes[b]! < 2 ? 0 : 1;
    if (sizes[b]! < 2) return -1;
    return strides[a]! - strides[b]!;
  });
  let required = 1;
  for (const d of perm) {
    if (sizes[d]! < 2) return true;
    if (strides[d] !== required) return false;
    required *= sizes[d]!;
  }
  return true;
}

/**
 * Dense strides in the memory order of (sizes, strides) (PyTorch's infer_dense_strides: a stable
 * insertion sort of the dims by stride, stride-0 dims staying in place).
 * @example
 * inferDenseStrides([2, 3], [1, 4]) // [1, 2]
 */
export function inferDenseStrides(sizes: readonly number[], strides: readonly number[]): number[] {
  const nd = sizes.length;
  if (nd === 0) return [];
  if (nd === 1) return [1];
  const perm = Array.from({ length: nd }, (_, i) => nd - 1 - i);
  const shouldSwap = (d0: number, d1: number): number => {
    const [s0, s1] = [strides[d0]!, strides[d1]!];
    if (s0 === 0 || s1 === 0) return 0;
    if (s0 !== s1) return s0 < s1 ? -1 : 1;
    return sizes[d0]! > sizes[d1]! ? 1 : 0;
  };
  for (let i = 1; i < nd; i++) {
    let d1 = i;
    for (let j = 1; j <= i; j++) {
      const d0 = i - j;
      const c = shouldSwap(perm[d0]!, perm[d1]!);
      if (c > 0) {
        [perm[d0], perm[d1]] = [perm[d1]!, perm[d0]!];
        d1 = d0;
      } else if (c < 0) break;
    }
  }
  const out = new Array<number>(nd);
  let cur = 1;
  for (const d of perm) {
    out[d] = cur;
    if (sizes[d]! > 1) cur *= sizes[d]!;
  }
  return out;
}

function sortSpecs(self: Tensor, dim: number): TensorSpec[] {
  wrapDim(dim, self._shape.length);
  const strides = isNonOverlappingAndDense(self._shape, self._strides) ? self._strides.slice() : inferDenseStrides(self._shape, self._strides);
  return [
    { shape: self._shape, dtype: self.dtype, strides },
    { shape: self._shape, dtype: "int64", strides },
  ];
}

function topkSpecs(self: Tensor, k: number, dim: number): TensorSpec[] {
  const nd = self._shape.length;
  const d = wrapDim(dim, nd);
  if (!(k >= 0 && k <= (nd > 0 ? self._shape[d]! : 1))) throw new RuntimeError("selected index k out of range");
  const shape = self._shape.slice();
  if (nd > 0) shape[d] = k;
  return [
    { shape, dtype: self.dtype },
    { shape, dtype: "int64" },
  ];
}

/** cumsum's CPU body (PyTorch's impl_func_cum_ops): a 0-dim input is copied, an empty one gives zeros. */
function cumsumBody(out: Tensor, self: Tensor, dim: number): void {
  if (self._shape.length > 0 && numelOf(self._shape) > 0) {
    if (out.dtype === "bool") throw new NotImplementedError(`"cumsum_out_cpu" not implemented for 'Bool'`);
    cumsumInto(out, self, wrapDim(dim, self._shape.length));
  } else if (self._shape.length === 0) {
    cumsumInto(out, self, 0);
  }
}

/** sort, topk and cumsum, in native_functions.yaml order within each name. */
export const sortOps: readonly OpDecl[] = [
  {
    schema: "cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor",
    meta: ((self: Tensor, dim: number, dtype: Opt<DType>): TensorSpec => {
      wrapDim(dim, self._shape.length);
      const d = optDType(dtype) ?? (isIntegralType(self.dtype, true) ? "int64" : self.dtype);
      return { shape: self._shape, dtype: d };
    }) as never,
    cpu: ((out: Tensor, self: Tensor, dim: number) => cumsumBody(out, self, dim)) as never,
  },
  {
    schema: "cumsum_(Tensor(a!) self, int dim, *, ScalarType? dtype=None) -> Tensor(a!)",
    inplace: true,
    meta: ((self: Tensor, dim: number, dtype: Opt<DType>) => {
      wrapDim(dim, self._shape.length);
      const d = optDType(dtype) ?? self.dtype;
      if (d !== self.dtype) {
        throw new RuntimeError(`Bad in-place call: input tensor dtype ${typeMetaName(self.dtype)} and output tensor dtype ${typeMetaName(d)} should match`);
      }
    }) as never,
    cpu: ((out: Tensor, self: Tensor, dim: number) => cumsumBody(out, self, dim)) as never,
  },
  {
    schema: "sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)",
    explicit: ((self: Tensor, dim: number, descending: boolean) => callOp("aten::sort.stable", [self, false, dim, descending])) as never,
  },
  {
    schema: "sort.stable(Tensor self, *, bool? stable, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)",
    meta: ((self: Tensor, _stable: Opt<boolean>, dim: number) => sortSpecs(self, dim)) as never,
    cpu: (([values, indices]: Tensor[], self: Tensor, stable: Opt<boolean>, dim: number, descending: boolean) => {
      const d = self._shape.length === 0 ? 0 : wrapDim(dim, self._shape.length);
      sortInto(values!, indices!, self, d, descending, stable === true);
    }) as never,
  },
  {
    schema: "topk(Tensor self, SymInt k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, Tensor indices)",
    meta: ((self: Tensor, k: number, dim: number) => topkSpecs(self, k, dim)) as never,
    cpu: (([values, indices]: Tensor[], self: Tensor, k: number, dim: number, largest: boolean, sorted: boolean) => {
      if (self.dtype === "bool") throw new RuntimeError("topk does not support bool dtypes on CPU");
      const d = wrapDim(dim, self._shape.length);
      topkInto(values!, indices!, self, k, self._shape.length === 0 ? 0 : d, largest, sorted);
    }) as never,
  },
];
