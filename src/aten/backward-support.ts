// Forward ops the derivative formulas call as PyTorch's do (so a logging mode sees the same
// backward ops): new_zeros, _efficientzerotensor (here a plain zero-filled tensor), sgn,
// index_add, scatter_add, cumprod and masked_scatter, with their in-place forms, and
// masked_scatter_backward (CompositeExplicitAutograd: a mode sees it as one op).
// Schemas are native_functions-2.14.yaml's; checks raise PyTorch's messages before writing.

import { DispatchKey } from "../core/dispatch-key.js";
import { keySetOf } from "../core/dispatch-key-set.js";
import { IndexError, RuntimeError } from "../core/errors.js";
import { callOp, opHandle } from "../dispatcher/call-op.js";
import { dispatcher } from "../dispatcher/dispatcher.js";
import { castTo, scatterInto, valuesOf } from "../backends/cpu/indexing-kernels.js";
import { copyInto, forEachOffset3, unaryLoop } from "../backends/cpu/strided-loops.js";
import { type DType, isIntegralType, toDType, typeMetaName } from "../tensor/dtype.js";
import { broadcastShapes, numelOf, wrapDim } from "../tensor/shape.js";
import { outputStrides } from "./pointwise-iter.js";
import type { Device, Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import { allocate, type OpDecl, type TensorSpec } from "./op-decl.js";

type Scalar = number | boolean | bigint;
const fmt = (s: readonly number[]): string => `[${s.join(", ")}]`;
const sizeAt = (t: Tensor, d: number): number => (t._shape.length === 0 ? 1 : t._shape[d]!);

/** index_func_meta_impl's checks for index_add. */
function indexAddCheck(self: Tensor, dim: number, index: Tensor, source: Tensor): number {
  const d = wrapDim(dim, self._shape.length);
  if (index._shape.length > 1) throw new IndexError("index_add_(): Index is supposed to be a vector");
  if (index.dtype !== "int64" && index.dtype !== "int32") {
    throw new RuntimeError(`index_add_(): Expected dtype int32/int64 for index but got: ${cppName(index.dtype)}`);
  }
  if (self.dtype !== source.dtype) {
    throw new RuntimeError(`index_add_(): self (${cppName(self.dtype)}) and source (${cppName(source.dtype)}) must have the same scalar type`);
  }
  if (!(d === 0 || d < source._shape.length)) {
    throw new IndexError(`index_add_(): Indexing dim ${d} is out of bounds of the source tensor with dim ${source._shape.length}`);
  }
  const n = numelOf(index._shape);
  if (n !== sizeAt(source, d)) {
    throw new RuntimeError(`index_add_(): Number of indices (${n}) should be equal to source.size(dim): (${sizeAt(source, d)}), for dim: ${d}`);
  }
  const ns = self._shape.length;
  const sameRest = source._shape.length === ns && self._shape.every((sz, k) => k === d || sz === source._shape[k]);
  if (!sameRest && !(ns === 0 && source._shape.length === 0)) {
    throw new RuntimeError(
      `source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = ${fmt(self._shape)} source.shape = ${fmt(source._shape)}`,
    );
  }
  return d;
}

/** self[..., index[i], ...] += alpha * source[..., i, ...] along dim. */
function indexAddInto(out: Tensor, dim: number, index: Tensor, source: Tensor, alpha: Scalar): void {
  const idx = valuesOf(index);
  const size = sizeAt(out, dim);
  for (const v of idx) if (v < 0 || v >= size) throw new RuntimeError(`index ${v} is out of bounds for dimension ${dim} with size ${size}`);
  const a = Number(alpha);
  const od = out.data();
  const sd = source.data();
  const nd = out._shape.length;
  const sliceShape = out._shape.filter((_, k) => k !== dim);
  const outStrides = out._strides.filter((_, k) => k !== dim);
  const srcStrides = source._shape.length === 0 ? [] : source._strides.filter((_, k) => k !== dim);
  idx.forEach((v, i) => {
    const ob = out._offset + (nd === 0 ? 0 : v * out._strides[dim]!);
    const sb = source._offset + (source._shape.length === 0 ? 0 : i * source._strides[dim]!);
    forEachOffset3(sliceShape, outStrides, ob, srcStrides.length ? srcStrides : sliceShape.map(() => 0), sb, outStrides, 0, (io, is) => {
      od[io] = castTo(out.dtype, od[io]! + a * sd[is]!);
    });
  });
}

/** scatter_meta_impl's checks for scatter_add (the index must fit in self and src). */
function scatterAddCheck(self: Tensor, dim: number, index: Tensor, src: Tensor): number {
  const d = wrapDim(dim, self._shape.length);
  if (numelOf(index._shape) === 0) return d;
  if (index.dtype !== "int64" && index.dtype !== "int32") throw new RuntimeError("scatter(): Expected dtype int32/int64 for index");
  if (src.dtype !== self.dtype) throw new RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype");
  const n = Math.max(self._shape.length, 1);
  if (n !== Math.max(index._shape.length, 1)) throw new RuntimeError("Index tensor must have the same number of dimensions as self tensor");
  for (let i = 0; i < n; i++) {
    if ((i !== d && sizeAt(index, i) > sizeAt(self, i)) || sizeAt(index, i) > sizeAt(src, i)) {
      throw new RuntimeError(
        `Expected index ${fmt(index._shape)} to be no larger than self ${fmt(self._shape)} apart from dimension ${d} and to be no larger size than src ${fmt(src._shape)}`,
      );
    }
  }
  return d;
}

/** Running products along dim (accumulated in double), written into a contiguous out. */
function cumprodInto(out: Tensor, self: Tensor, dim: number): void {
  const vals = valuesOf(self);
  const shape = self._shape;
  if (shape.length === 0) {
    out.data()[out._offset] = castTo(out.dtype, vals[0]!);
    return;
  }
  const n = shape[dim]!;
  let inner = 1;
  for (let k = dim + 1; k < shape.length; k++) inner *= shape[k]!;
  const res = new Array<number>(vals.length);
  for (let base = 0; base < vals.length; base += n * inner) {
    for (let i = 0; i < inner; i++) {
      let acc = 1;
      for (let j = 0; j < n; j++) {
        const at = base + j * inner + i;
        acc *= vals[at]!;
        res[at] = acc;
      }
    }
  }
  let k = 0;
  const od = out.data();
  forEachOffset3(out._shape, out._strides, out._offset, out._strides, 0, out._strides, 0, (io) => (od[io] = castTo(out.dtype, res[k++]!)));
}

/** masked_scatter_'s checks (mask broadcastable to self, bool mask, same dtypes). */
function maskedScatterCheck(self: Tensor, mask: Tensor, source: Tensor): void {
  if (mask._shape.length > self._shape.length) {
    throw new RuntimeError(
      `expand(CPUBoolType{${fmt(mask._shape)}}, size=${fmt(self._shape)}): the number of sizes provided (${self._shape.length}) must be greater or equal to the number of dimensions in the tensor (${mask._shape.length})`,
    );
  }
  broadcastShapes(self._shape, mask._shape);
  if (mask.dtype !== "bool") throw new RuntimeError(`masked_scatter_ only supports boolean masks, but got mask with dtype ${cppName(mask.dtype)}`);
  if (self.dtype !== source.dtype) throw new RuntimeError(`masked_scatter: expected self and source to have same dtypes but got${cppName(self.dtype)} and ${cppName(source.dtype)}`);
}

/** Writes source's elements, in order, where mask (broadcast to out) is true. */
function maskedScatterInto(out: Tensor, mask: Tensor, source: Tensor): void {
  const m = valuesOf(mask, out._shape);
  const src = valuesOf(source);
  if (m.filter((v) => v !== 0).length > src.length) throw new RuntimeError("Number of elements of source < number of ones in mask");
  const od = out.data();
  let i = 0;
  let k = 0;
  forEachOffset3(out._shape, out._strides, out._offset, out._strides, 0, out._strides, 0, (io) => {
    if (m[i++] !== 0) od[io] = src[k++]!;
  });
}

/**
 * `masked_scatter_backward(grad, mask, sizes)`: the gradient of masked_scatter's source, the
 * selected elements of grad in order, padded with zeros to the source's numel and viewed as it.
 * @example
 * maskedScatterBackward(g, torch.tensor([true, false, true]), [4]) // [g[0], g[2], 0, 0]
 */
export function maskedScatterBackward(grad: Tensor, mask: Tensor, sizes: number[]): Tensor {
  const numel = sizes.reduce((a, b) => a * b, 1);
  let selected = callOp("aten::masked_select", [grad, mask]) as Tensor;
  const missing = numel - numelOf(selected._shape);
  if (missing > 0) {
    const zeros = callOp("aten::zeros", [[missing], grad.dtype, null, grad.device, null]) as Tensor;
    selected = callOp("aten::cat", [[selected, zeros], 0]) as Tensor;
  }
  return callOp("aten::view", [selected, sizes.slice()]) as Tensor;
}

const cumDtype = (self: Tensor, dtype: DType | null): DType => (dtype ? toDType(dtype) : isIntegralType(self.dtype, true) ? "int64" : self.dtype);
/** sgn of a real number (PyTorch's sgn gives 0 for nan). */
const sgnFn = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

/** The forward ops backward formulas rely on. */
export const backwardSupportOps: readonly OpDecl[] = [
  {
    schema: "new_zeros(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((self: Tensor, size: number[], dtype: DType | null, _layout: unknown, device: Device | null) =>
      allocate(device ?? self.device, { shape: size, dtype: dtype ? toDType(dtype) : self.dtype })) as never,
  },
  {
    schema: "_efficientzerotensor(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    meta: ((size: number[], dtype: DType | null): TensorSpec => ({ shape: size, dtype: dtype ? toDType(dtype) : "float32" })) as never,
    cpu: (() => undefined) as never,
    // no tensor arguments: BackendSelect picks the kernel from `device`, as for other factories
    extra: [
      [
        "BackendSelect",
        ((...args: unknown[]) =>
          dispatcher.redispatch(opHandle("aten::_efficientzerotensor"), keySetOf(args[3] === "meta" ? DispatchKey.Meta : DispatchKey.CPU), args)) as never,
      ],
    ],
  },
  {
    schema: "sgn(Tensor self) -> Tensor",
    meta: ((self: Tensor): TensorSpec => {
      const strides = outputStrides(self._shape, [self]);
      return strides ? { shape: self._shape, dtype: self.dtype, strides } : { shape: self._shape, dtype: self.dtype };
    }) as never,
    cpu: ((out: Tensor, self: Tensor) => unaryLoop(out, self, out.dtype === "bool" ? (x) => (x !== 0 ? 1 : 0) : sgnFn)) as never,
  },
  {
    schema: "sgn_(Tensor(a!) self) -> Tensor(a!)",
    inplace: true,
    meta: (() => undefined) as never,
    cpu: ((out: Tensor) => unaryLoop(out, out, out.dtype === "bool" ? (x) => (x !== 0 ? 1 : 0) : sgnFn)) as never,
  },
  {
    schema: "index_add(Tensor self, int dim, Tensor index, Tensor source, *, Scalar alpha=1) -> Tensor",
    meta: ((self: Tensor, dim: number, index: Tensor, source: Tensor): TensorSpec => {
      indexAddCheck(self, dim, index, source);
      return { shape: self._shape, dtype: self.dtype };
    }) as never,
    cpu: ((out: Tensor, self: Tensor, dim: number, index: Tensor, source: Tensor, alpha: Scalar) => {
      unaryLoop(out, self, (x) => x);
      indexAddInto(out, wrapDim(dim, self._shape.length), index, source, alpha);
    }) as never,
  },
  {
    schema: "index_add_(Tensor(a!) self, int dim, Tensor index, Tensor source, *, Scalar alpha=1) -> Tensor(a!)",
    inplace: true,
    meta: ((self: Tensor, dim: number, index: Tensor, source: Tensor) => void indexAddCheck(self, dim, index, source)) as never,
    cpu: ((out: Tensor, _self: Tensor, dim: number, index: Tensor, source: Tensor, alpha: Scalar) =>
      indexAddInto(out, wrapDim(dim, out._shape.length), index, source, alpha)) as never,
  },
  {
    schema: "scatter_add(Tensor self, int dim, Tensor index, Tensor src) -> Tensor",
    meta: ((self: Tensor, dim: number, index: Tensor, src: Tensor): TensorSpec => {
      scatterAddCheck(self, dim, index, src);
      return { shape: self._shape, dtype: self.dtype };
    }) as never,
    cpu: ((out: Tensor, self: Tensor, dim: number, index: Tensor, src: Tensor) => {
      unaryLoop(out, self, (x) => x);
      if (numelOf(index._shape) > 0) scatterInto(out, wrapDim(dim, self._shape.length), index, src, "add");
    }) as never,
  },
  {
    schema: "scatter_add_(Tensor(a!) self, int dim, Tensor index, Tensor src) -> Tensor(a!)",
    inplace: true,
    meta: ((self: Tensor, dim: number, index: Tensor, src: Tensor) => void scatterAddCheck(self, dim, index, src)) as never,
    cpu: ((out: Tensor, _self: Tensor, dim: number, index: Tensor, src: Tensor) => {
      if (numelOf(index._shape) > 0) scatterInto(out, wrapDim(dim, out._shape.length), index, src, "add");
    }) as never,
  },
  {
    schema: "masked_scatter(Tensor self, Tensor mask, Tensor source) -> Tensor",
    explicit: ((self: Tensor, mask: Tensor, source: Tensor) => {
      const shape = broadcastShapes(self._shape, mask._shape);
      if (mask.dtype !== "bool") throw new RuntimeError(`masked_scatter_ only supports boolean masks, but got mask with dtype ${cppName(mask.dtype)}`);
      if (self.dtype !== source.dtype) throw new RuntimeError(`masked_scatter: expected self and source to have same dtypes but got${cppName(self.dtype)} and ${cppName(source.dtype)}`);
      const out = allocate(self.device, { shape, dtype: self.dtype });
      if (out.device === "cpu") {
        copyInto(out, self);
        maskedScatterInto(out, mask, source);
      }
      return out;
    }) as never,
  },
  {
    schema: "masked_scatter_(Tensor(a!) self, Tensor mask, Tensor source) -> Tensor(a!)",
    inplace: true,
    meta: ((self: Tensor, mask: Tensor, source: Tensor) => maskedScatterCheck(self, mask, source)) as never,
    cpu: ((out: Tensor, _self: Tensor, mask: Tensor, source: Tensor) => maskedScatterInto(out, mask, source)) as never,
  },
  {
    schema: "masked_scatter_backward(Tensor grad_output, Tensor mask, SymInt[] sizes) -> Tensor",
    explicit: maskedScatterBackward as never,
  },
  {
    schema: "cumprod(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor",
    meta: ((self: Tensor, dim: number, dtype: DType | null): TensorSpec => {
      wrapDim(dim, self._shape.length);
      return { shape: self._shape, dtype: cumDtype(self, dtype) };
    }) as never,
    cpu: ((out: Tensor, self: Tensor, dim: number) => {
      if (numelOf(self._shape) > 0) cumprodInto(out, self, self._shape.length === 0 ? 0 : wrapDim(dim, self._shape.length));
    }) as never,
  },
  {
    schema: "cumprod_(Tensor(a!) self, int dim, *, ScalarType? dtype=None) -> Tensor(a!)",
    inplace: true,
    meta: ((self: Tensor, dim: number, dtype: DType | null) => {
      wrapDim(dim, self._shape.length);
      const d = dtype ? toDType(dtype) : self.dtype;
      if (d !== self.dtype) {
        throw new RuntimeError(`Bad in-place call: input tensor dtype ${typeMetaName(self.dtype)} and output tensor dtype ${typeMetaName(d)} should match`);
      }
    }) as never,
    cpu: ((out: Tensor, _self: Tensor, dim: number) => {
      if (numelOf(out._shape) > 0) cumprodInto(out, out, out._shape.length === 0 ? 0 : wrapDim(dim, out._shape.length));
    }) as never,
  },
];
