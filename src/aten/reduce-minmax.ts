// Value-selecting and logical reductions: amax/amin, max/min (whole tensor, or along a dim with
// indices), argmax/argmin, all/any. NaN wins max and min; ties pick the first index; all/any
// give bool (uint8 for uint8 inputs, as PyTorch keeps for compatibility).

import { IndexError, RuntimeError } from "../core/errors.js";
import { forEachReduction } from "../backends/cpu/reduce-loops.js";
import { allAnyRun, argExtremeRun, extremeRun } from "../backends/cpu/reduce-kernels.js";
import type { DType } from "../tensor/dtype.js";
import { numelOf, wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { type DimList, dimMask, reductionSpec, zeroNumelCheckDim, zeroNumelCheckDims } from "./reduce-rules.js";

function amaxDecl(name: "amax" | "amin", max: boolean): OpDecl {
  return {
    schema: `${name}(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor`,
    meta: ((self: Tensor, dim: number[], keepdim: boolean): TensorSpec => {
      if (numelOf(self._shape) === 0) zeroNumelCheckDims(self, dim, `${name}()`);
      return reductionSpec(self, dim, keepdim, self.dtype);
    }) as never,
    cpu: ((out: Tensor, self: Tensor, dim: number[]) => {
      const od = out.data();
      forEachReduction(self, dimMask(self, dim), (src, start, n, k) => void (od[k] = extremeRun(src, start, n, max)));
    }) as never,
  };
}

/** max(self) / min(self): the whole tensor, which must not be empty. */
function allReduceDecl(name: "max" | "min", max: boolean): OpDecl {
  return {
    schema: `${name}(Tensor self) -> Tensor`,
    meta: ((self: Tensor): TensorSpec => {
      if (numelOf(self._shape) === 0) {
        throw new RuntimeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
      }
      return { shape: [], dtype: self.dtype };
    }) as never,
    cpu: ((out: Tensor, self: Tensor) => {
      const od = out.data();
      forEachReduction(self, dimMask(self, null), (src, start, n) => void (od[0] = extremeRun(src, start, n, max)));
    }) as never,
  };
}

/** max.dim / min.dim: (values, indices) along one dim, the first index of the extreme (or NaN). */
function withIndicesDecl(name: "max" | "min", max: boolean): OpDecl {
  return {
    schema: `${name}.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)`,
    meta: ((self: Tensor, dim: number, keepdim: boolean): TensorSpec[] => {
      const d = wrapDim(dim, self._shape.length);
      zeroNumelCheckDim(self, d, `${name}()`);
      const spec = reductionSpec(self, [d], keepdim, self.dtype);
      return [spec, { shape: spec.shape, dtype: "int64" }];
    }) as never,
    cpu: (([values, indices]: Tensor[], self: Tensor, dim: number) => {
      const vd = values!.data();
      const id = indices!.data();
      forEachReduction(self, dimMask(self, [dim]), (src, start, n, k) => {
        const j = argExtremeRun(src, start, n, max);
        vd[k] = src[start + j]!;
        id[k] = j;
      });
    }) as never,
  };
}

function argDecl(name: "argmax" | "argmin", max: boolean): OpDecl {
  return {
    schema: `${name}(Tensor self, int? dim=None, bool keepdim=False) -> Tensor`,
    meta: ((self: Tensor, dim: number | null, keepdim: boolean): TensorSpec => {
      if (dim !== null) zeroNumelCheckDim(self, wrapDim(dim, self._shape.length), `${name}()`);
      else if (numelOf(self._shape) === 0) throw new IndexError(`${name}(): Expected reduction dim to be specified for input.numel() == 0.`);
      return reductionSpec(self, dim === null ? [] : [dim], keepdim, "int64");
    }) as never,
    cpu: ((out: Tensor, self: Tensor, dim: number | null) => {
      if (self.dtype === "bool") throw new RuntimeError(`${name}(): does not support bool input`);
      const od = out.data();
      forEachReduction(self, dimMask(self, dim === null ? null : [dim]), (src, start, n, k) => void (od[k] = argExtremeRun(src, start, n, max)));
    }) as never,
  };
}

/** all/any keep uint8 for uint8 inputs and give bool otherwise. */
function logicalDType(self: Tensor): DType {
  return self.dtype === "uint8" ? "uint8" : "bool";
}

function allAnyDecls(name: "all" | "any"): OpDecl[] {
  const all = name === "all";
  const body = (out: Tensor, self: Tensor, dims: DimList) => {
    const od = out.data();
    forEachReduction(self, dimMask(self, dims, true), (src, start, n, k) => void (od[k] = allAnyRun(src, start, n, all)));
  };
  return [
    {
      schema: `${name}(Tensor self) -> Tensor`,
      meta: ((self: Tensor): TensorSpec => ({ shape: [], dtype: logicalDType(self) })) as never,
      cpu: ((out: Tensor, self: Tensor) => body(out, self, null)) as never,
    },
    {
      schema: `${name}.dim(Tensor self, int dim, bool keepdim=False) -> Tensor`,
      meta: ((self: Tensor, dim: number, keepdim: boolean) => reductionSpec(self, [dim], keepdim, logicalDType(self), true)) as never,
      cpu: ((out: Tensor, self: Tensor, dim: number) => body(out, self, [dim])) as never,
    },
    {
      schema: `${name}.dims(Tensor self, int[]? dim=None, bool keepdim=False) -> Tensor`,
      meta: ((self: Tensor, dim: DimList, keepdim: boolean) => reductionSpec(self, dim, keepdim, logicalDType(self), true)) as never,
      cpu: ((out: Tensor, self: Tensor, dim: DimList) => body(out, self, dim)) as never,
    },
  ];
}

/** The value-selecting and logical reductions, in native_functions.yaml order within each name. */
export const minMaxOps: readonly OpDecl[] = [
  ...allAnyDecls("all"),
  ...allAnyDecls("any"),
  argDecl("argmax", true),
  argDecl("argmin", false),
  withIndicesDecl("max", true),
  amaxDecl("amax", true),
  withIndicesDecl("min", false),
  amaxDecl("amin", false),
  allReduceDecl("min", false),
  allReduceDecl("max", true),
];
