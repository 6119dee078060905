// Selecting and scattering along one dimension: index_select, gather, and scatter with its src,
// value and (deprecated) reduce overloads and their in-place forms. Shape rules validate with
// PyTorch's messages; CPU bodies check every index before writing anything.

import { IndexError, RuntimeError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { gatherInto, restrided, scatterInto, valuesOf } from "../backends/cpu/indexing-kernels.js";
import { copyInto } from "../backends/cpu/strided-loops.js";
import { numelOf, wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { type Scalar, fmtShape, isIndexDType, nonemptySize } from "./indexing-common.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";

function indexSelectRule(self: Tensor, dim: number, index: Tensor): TensorSpec {
  const d = wrapDim(dim, self._shape.length);
  const numel = numelOf(index._shape);
  if (index._shape.length > 1) throw new IndexError("index_select(): Index is supposed to be a vector");
  if (self._shape.length === 0 && numel !== 1) {
    throw new RuntimeError(`index_select(): Index to scalar can have only 1 value, got ${numel} value(s)`);
  }
  if (!isIndexDType(index)) throw new RuntimeError("index_select(): Expected dtype int32 or int64 for index");
  const shape = self._shape.slice();
  if (shape.length > 0) shape[d] = numel;
  return { shape, dtype: self.dtype };
}

/** PyTorch's check_indexarray_range (the dim-1 and empty-self paths of index_select). */
function checkIndexArrayRange(idx: readonly number[], axisDim: number): void {
  for (const v of idx) {
    if (v < 0 || v >= axisDim) throw new RuntimeError(`INDICES element is out of DATA bounds, id=${v} axis_dim=${axisDim}`);
  }
}

function indexSelectCpu(out: Tensor, self: Tensor, dim: number, index: Tensor): void {
  const nd = self._shape.length;
  const d = wrapDim(dim, nd);
  const idx = valuesOf(index);
  if (nd > 1) {
    if (idx.length === 0) return;
    const size = self._shape[d]!;
    if (numelOf(self._shape) === 0) {
      if (size <= 0) throw new RuntimeError("index_select(): self indexing axis dim should be positive");
      checkIndexArrayRange(idx, size);
      return;
    }
    if (d === 1) checkIndexArrayRange(idx, size);
    else for (const v of idx) if (v < 0 || v >= size) throw new IndexError("index out of range in self");
    const keep = (_: number, k: number) => k !== d;
    const sliceShape = self._shape.filter(keep);
    const selfStrides = self._strides.filter(keep);
    const outStrides = out._strides.filter(keep);
    idx.forEach((v, i) => {
      const dst = restrided(out, sliceShape, outStrides, out._offset + i * out._strides[d]!);
      copyInto(dst, restrided(self, sliceShape, selfStrides, self._offset + v * self._strides[d]!));
    });
    return;
  }
  const selfNumel = numelOf(self._shape);
  for (const v of idx) if (v < 0 || v >= selfNumel) throw new IndexError("index out of range in self");
  const selfStride = nd === 0 ? 1 : self._strides[d]!;
  const outStride = out._shape.length === 0 ? 1 : out._strides[d]!;
  const sd = self.data();
  const od = out.data();
  idx.forEach((v, i) => (od[out._offset + i * outStride] = sd[self._offset + v * selfStride]!));
}

function gatherRule(self: Tensor, dim: number, index: Tensor): TensorSpec {
  const d = wrapDim(dim, self._shape.length);
  const spec = { shape: index._shape, dtype: self.dtype };
  if (numelOf(index._shape) === 0) return spec;
  if (!isIndexDType(index)) throw new RuntimeError("gather(): Expected dtype int32/int64 for index");
  const selfDims = Math.max(self._shape.length, 1);
  if (selfDims !== Math.max(index._shape.length, 1)) {
    throw new RuntimeError("Index tensor must have the same number of dimensions as input tensor");
  }
  for (let i = 0; i < selfDims; i++) {
    if (i !== d && nonemptySize(index, i) > nonemptySize(self, i)) {
      throw new RuntimeError(
        `Size does not match at dimension ${i} expected index ${fmtShape(index._shape)} to be no larger than self ${fmtShape(self._shape)} apart from dimension ${d}`,
      );
    }
  }
  return spec;
}

type Reduce = "add" | "multiply";

/** PyTorch's scatter_meta_impl checks (dtypes, shapes, reduce name). */
function scatterCheck(self: Tensor, dim: number, index: Tensor, src: Tensor | null, reduce: string | null): Reduce | null {
  const d = wrapDim(dim, self._shape.length);
  const nonEmpty = numelOf(index._shape) !== 0;
  if (nonEmpty && !isIndexDType(index)) throw new RuntimeError("scatter(): Expected dtype int32/int64 for index");
  if (src !== null && src.dtype !== self.dtype) throw new RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype");
  if (nonEmpty) {
    const selfDims = Math.max(self._shape.length, 1);
    if (selfDims !== Math.max(index._shape.length, 1)) {
      throw new RuntimeError("Index tensor must have the same number of dimensions as self tensor");
    }
    let wrong = false;
    for (let i = 0; i < selfDims && !wrong; i++) wrong = i !== d && nonemptySize(index, i) > nonemptySize(self, i);
    if (src !== null) for (let i = 0; i < selfDims && !wrong; i++) wrong = nonemptySize(index, i) > nonemptySize(src, i);
    if (wrong) {
      const base = `Expected index ${fmtShape(index._shape)} to be no larger than self ${fmtShape(self._shape)} apart from dimension ${d}`;
      throw new RuntimeError(src !== null ? `${base} and to be no larger size than src ${fmtShape(src._shape)}` : base);
    }
  }
  if (reduce === null) return null;
  if (reduce !== "add" && reduce !== "multiply") throw new RuntimeError("reduce argument must be either add or multiply.");
  return reduce;
}

let warnedScatterReduce = false;

/** Declares `scatter.<name>` and `scatter_.<name>` from the schema tail after `Tensor index, `. */
function scatterPair(name: string, tail: string, withSrc: boolean, withReduce: boolean): OpDecl[] {
  const parse = (args: unknown[]): { src: Tensor | number; reduce: string | null } => {
    const v = args[0] as Tensor | Scalar;
    return { src: withSrc ? (v as Tensor) : Number(v), reduce: withReduce ? (args[1] as string) : null };
  };
  const run = (out: Tensor, dim: number, index: Tensor, args: unknown[]) => {
    const { src, reduce } = parse(args);
    if (withSrc && withReduce && !warnedScatterReduce) {
      warnedScatterReduce = true;
      warn(
        "The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in a future PyTorch release. Use torch.scatter_reduce instead for more reduction options.",
      );
    }
    if (numelOf(index._shape) === 0) return;
    const d = wrapDim(dim, out._shape.length);
    scatterInto(out, d, index, src, reduce as Reduce | null);
  };
  const check = (self: Tensor, dim: number, index: Tensor, args: unknown[]) => {
    const { src, reduce } = parse(args);
    scatterCheck(self, dim, index, typeof src === "number" ? null : src, reduce);
  };
  return [
    {
      schema: `scatter.${name}(Tensor self, int dim, Tensor index, ${tail}) -> Tensor`,
      meta: ((self: Tensor, dim: number, index: Tensor, ...args: unknown[]): TensorSpec => {
        check(self, dim, index, args);
        return { shape: self._shape, dtype: self.dtype };
      }) as never,
      cpu: ((out: Tensor, self: Tensor, dim: number, index: Tensor, ...args: unknown[]) => {
        copyInto(out, self);
        run(out, dim, index, args);
      }) as never,
    },
    {
      schema: `scatter_.${name}(Tensor(a!) self, int dim, Tensor index, ${tail}) -> Tensor(a!)`,
      inplace: true,
      meta: ((self: Tensor, dim: number, index: Tensor, ...args: unknown[]) => (check(self, dim, index, args), [])) as never,
      cpu: ((self: Tensor, _s: Tensor, dim: number, index: Tensor, ...args: unknown[]) => run(self, dim, index, args)) as never,
    },
  ];
}

/** index_select, gather, scatter. */
export const gatherOps: readonly OpDecl[] = [
  ...scatterPair("src", "Tensor src", true, false),
  ...scatterPair("value", "Scalar value", false, false),
  ...scatterPair("reduce", "Tensor src, *, str reduce", true, true),
  ...scatterPair("value_reduce", "Scalar value, *, str reduce", false, true),
  {
    schema: "index_select(Tensor self, int dim, Tensor index) -> Tensor",
    meta: indexSelectRule as never,
    cpu: indexSelectCpu as never,
  },
  {
    schema: "gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor",
    meta: gatherRule as never,
    cpu: ((out: Tensor, self: Tensor, dim: number, index: Tensor) => {
      if (numelOf(index._shape) === 0) return;
      gatherInto(out, self, wrapDim(dim, self._shape.length), index);
    }) as never,
  },
];
