// trace and what its derivative needs, dispatched as in PyTorch 2.14: trace (CPU kernel, a Meta
// rule here too), trace_backward (CompositeImplicitAutograd: zeros, arange, index_fill_, view),
// index_fill_ / index_fill (.int_Scalar, .int_Tensor: CPU kernels for the in-place forms, the
// out-of-place ones clone first, CompositeExplicitAutograd) and _unique (CPU), which
// IndexFillBackward1 uses. Written after ATen's ReduceOps.cpp, TensorAdvancedIndexing.cpp,
// FunctionsManual.cpp and Unique.cpp.

import { DispatchKey } from "../core/dispatch-key.js";
import { ksHas } from "../core/dispatch-key-set.js";
import { dispatchContext } from "../core/dispatch-context.js";
import { IndexError, NotImplementedError, RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { checkedScalar } from "../backends/cpu/pointwise-math.js";
import { fillTensor, toFlatArray } from "../backends/cpu/strided-loops.js";
import { isIntegralType } from "../tensor/dtype.js";
import { numelOf, wrapDim } from "../tensor/shape.js";
import { type Device, Tensor } from "../tensor/tensor.js";
import { type Kernel, type OpDecl, allocate } from "./op-decl.js";

type Scalar = number | boolean;
const k = (f: (...args: never[]) => unknown): Kernel => f;
const call = (name: string, args: unknown[]): Tensor => callOp(`aten::${name}`, args) as Tensor;

/** trace_cpu: the sum of the main diagonal of a matrix (accumulated in float64 / int64); integers give int64. */
function traceKernel(device: Device) {
  return (self: Tensor): Tensor => {
    if (self.dtype === "bool") throw new NotImplementedError(`"trace" not implemented for 'Bool'`);
    const dtype = isIntegralType(self.dtype, true) ? "int64" : self.dtype;
    const out = allocate(device, { shape: [], dtype });
    if (self._shape.length !== 2) throw new RuntimeError(`trace: expected a matrix, but got tensor with dim ${self._shape.length}`);
    if (device !== "cpu") return out;
    const data = self.data();
    const n = Math.min(self._shape[0]!, self._shape[1]!);
    const step = self._strides[0]! + self._strides[1]!;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += data[self._offset + i * step]!;
    out.data()[0] = sum;
    return out;
  };
}

/** ATen's isTensorSubclassLike: a dispatch mode is active, or the tensor has the Python key. */
function subclassLike(t: Tensor): boolean {
  const ctx = dispatchContext();
  const modes = ctx.modeStack.length + ctx.infraModes.size > 0 && !ksHas(ctx.excluded, DispatchKey.Python);
  return modes || ksHas(t.keySet, DispatchKey.Python);
}

/** trace_backward: the gradient scattered onto the diagonal of a zero matrix of `sizes`. */
function traceBackward(grad: Tensor, sizes: number[]): Tensor {
  if (sizes.length !== 2) throw new RuntimeError("expected matrix input");
  const gradInput = call("zeros", [[sizes[0]! * sizes[1]!], grad.dtype, null, grad.device, null]);
  const indices = call("arange.start_step", [0, numelOf(gradInput._shape), sizes[1]! + 1, "int64", null, grad.device, null]);
  // composite compliance: the out-of-place index_fill when grad is subclass-like (a mode is active)
  const filled = subclassLike(grad) ? call("index_fill.int_Tensor", [gradInput, 0, indices, grad]) : call("index_fill_.int_Tensor", [gradInput, 0, indices, grad]);
  return call("view", [filled, sizes.slice()]);
}

/** The checks of index_fill_ (before any write); returns the wrapped dim of self viewed as at least 1-D. */
function checkIndexFill(self: Tensor, dim: number, index: Tensor): number {
  if (index.dtype !== "int64") throw new IndexError("index_fill_(): Expected dtype int64 for index.");
  const d = wrapDim(dim, Math.max(self._shape.length, 1));
  if (index._shape.length > 1) throw new RuntimeError("Index has to be a vector/scalar");
  return d;
}

/** index_fill_.int_Scalar: every slice `self.select(dim, i)` for i in index set to value (negative i wrap). */
function indexFillKernel(device: Device) {
  return (self: Tensor, dim: number, index: Tensor, value: Scalar): Tensor => {
    const d = checkIndexFill(self, dim, index);
    if (device !== "cpu") return self;
    const v = checkedScalar(self.dtype, value);
    const shape = self._shape.length === 0 ? [1] : self._shape;
    const strides = self._strides.length === 0 ? [1] : self._strides;
    const size = shape[d]!;
    const sliceShape = shape.filter((_, i) => i !== d);
    const sliceStrides = strides.filter((_, i) => i !== d);
    for (const raw of toFlatArray(index)) {
      if (raw < -size || raw >= size) throw new IndexError(`index ${raw} is out of bounds for dimension ${d} with size ${size}`);
      const at = raw < 0 ? raw + size : raw;
      const slice = new Tensor(self._storage, sliceShape.slice(), sliceStrides.slice(), self._offset + at * strides[d]!, self.dtype, self.device);
      fillTensor(slice, v);
    }
    return self;
  };
}

/** index_fill_.int_Tensor: a 0-dim value, read and filled as a Scalar. */
function indexFillTensorKernel(self: Tensor, dim: number, index: Tensor, value: Tensor): Tensor {
  if (value._shape.length !== 0) {
    throw new RuntimeError(`index_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value._shape.length} dimension(s).`);
  }
  return call("index_fill_.int_Scalar", [self, dim, index, callOp("aten::item", [value])]);
}

/** index_fill_.int_Tensor on meta: the checks only (the value is not read). */
function indexFillTensorMeta(self: Tensor, dim: number, index: Tensor, value: Tensor): Tensor {
  if (value._shape.length !== 0) {
    throw new RuntimeError(`index_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value._shape.length} dimension(s).`);
  }
  checkIndexFill(self, dim, index);
  return self;
}

/** _unique_cpu: the distinct values (sorted) and, when asked, each element's position among them. */
function uniqueCpu(self: Tensor, _sorted: boolean, returnInverse: boolean): Tensor[] {
  const values = toFlatArray(self);
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const out = allocate("cpu", { shape: [distinct.length], dtype: self.dtype });
  const od = out.data();
  distinct.forEach((v, i) => (od[i] = v));
  const inverse = allocate("cpu", { shape: returnInverse ? self._shape.slice() : [0], dtype: "int64" });
  if (returnInverse) {
    const pos = new Map(distinct.map((v, i) => [v, i]));
    const id = inverse.data();
    values.forEach((v, i) => (id[i] = pos.get(v)!));
  }
  return [out, inverse];
}

/** The operators of this file, in native_functions.yaml order within each name. */
export const traceOps: readonly OpDecl[] = [
  {
    schema: "index_fill_.int_Scalar(Tensor(a!) self, int dim, Tensor index, Scalar value) -> Tensor(a!)",
    cpuKernel: k(indexFillKernel("cpu")),
    metaKernel: k(indexFillKernel("meta")),
  },
  {
    schema: "index_fill.int_Scalar(Tensor self, int dim, Tensor index, Scalar value) -> Tensor",
    explicit: k((self: Tensor, dim: number, index: Tensor, value: Scalar) =>
      call("index_fill_.int_Scalar", [call("clone", [self, "preserve_format"]), dim, index, value]),
    ),
  },
  {
    schema: "index_fill_.int_Tensor(Tensor(a!) self, int dim, Tensor index, Tensor value) -> Tensor(a!)",
    cpuKernel: k(indexFillTensorKernel),
    metaKernel: k(indexFillTensorMeta),
  },
  {
    schema: "index_fill.int_Tensor(Tensor self, int dim, Tensor index, Tensor value) -> Tensor",
    explicit: k((self: Tensor, dim: number, index: Tensor, value: Tensor) =>
      call("index_fill_.int_Tensor", [call("clone", [self, "preserve_format"]), dim, index, value]),
    ),
  },
  { schema: "_unique(Tensor self, bool sorted=True, bool return_inverse=False) -> (Tensor, Tensor)", cpuKernel: k(uniqueCpu) },
  { schema: "trace(Tensor self) -> Tensor", cpuKernel: k(traceKernel("cpu")), metaKernel: k(traceKernel("meta")) },
  { schema: "trace_backward(Tensor grad, SymInt[] sizes) -> Tensor", composite: k(traceBackward) },
];
