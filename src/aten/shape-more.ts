// Shape, construction and counting utilities, dispatched as in PyTorch 2.14's
// native_functions.yaml: roll (CPU kernel; a Meta rule here too), the CompositeImplicitAutograd
// decompositions tile -> repeat, broadcast_to -> expand, broadcast_tensors, meshgrid,
// atleast_{1,2,3}d, hstack/vstack/dstack -> cat, outer/ger -> view * mul, argsort -> sort,
// take_along_dim -> expand + remainder + gather, one_hot -> aminmax + zeros + scatter_; the
// CompositeExplicitAutograd factories new_full / new_ones / new_empty and count_nonzero; the
// kernels of count_nonzero.dim_IntList and aminmax; and reduce-more.ts's and trace.ts's ops. Written after ATen's TensorShape.cpp,
// TensorTransformations.cpp, TensorAdvancedIndexing.cpp, Onehot.cpp and ReduceOps.cpp.

import { DispatchKey } from "../core/dispatch-key.js";
import { ksHas } from "../core/dispatch-key-set.js";
import { IndexError, RuntimeError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { callOp } from "../dispatcher/call-op.js";
import { aminmaxInto, countNonzeroAll, rollInto } from "../backends/cpu/shape-more.js";
import { type DType, toDType } from "../tensor/dtype.js";
import { broadcastShapes, numelOf, wrapDim } from "../tensor/shape.js";
import type { Device, Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import { type Kernel, type OpDecl, type TensorSpec, allocate } from "./op-decl.js";
import { dimMask, reductionSpec, zeroNumelCheckDim } from "./reduce-rules.js";
import { reduceMoreOps } from "./reduce-more.js";
import { traceOps } from "./trace.js";

type Opt<T> = T | null;
type Scalar = number | boolean;
const k = (f: (...args: never[]) => unknown): Kernel => f;
const call = (name: string, args: unknown[]): Tensor => callOp(`aten::${name}`, args) as Tensor;

// ---------------------------------------------------------------------------------------------
// roll

/** roll_common: several (shift, dim) pairs roll one dim after the other; no dims rolls the flattened tensor. */
function rollCommon(self: Tensor, shifts: number[], dims: number[]): Tensor {
  if (shifts.length === 0) throw new RuntimeError("`shifts` required");
  if (dims.length === 0 && shifts.length === 1) {
    const flat = call("view", [call("contiguous", [self, "contiguous_format"]), [numelOf(self._shape)]]);
    return call("view", [call("roll", [flat, [shifts[0]!], [0]]), self._shape.slice()]);
  }
  if (shifts.length !== dims.length) {
    throw new RuntimeError(`shifts and dimensions must align. shifts: ${shifts.length}, dims:${dims.length}`);
  }
  const first = call("roll", [self, [shifts[0]!], [dims[0]!]]);
  return call("roll", [first, shifts.slice(1), dims.slice(1)]);
}

/** roll_cpu: one dim rolled into a fresh contiguous tensor (meta: the same output, no data). */
function rollKernel(device: Device) {
  return (self: Tensor, shifts: number[], dims: number[]): Tensor => {
    if (dims.length !== 1 || shifts.length !== 1) return rollCommon(self, shifts, dims);
    const input = self.isContiguous() ? self : call("contiguous", [self, "contiguous_format"]);
    const out = allocate(device, { shape: input._shape.slice(), dtype: input.dtype });
    if (numelOf(out._shape) === 0) return out;
    if (input._shape.length === 0) throw new IndexError(`Dimension specified as ${dims[0]} but tensor has no dimensions`);
    const dim = wrapDim(dims[0]!, input._shape.length);
    if (device === "cpu") rollInto(out, input, dim, shifts[0]!);
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// CompositeImplicitAutograd decompositions

/** tile: repeat, with 1s prepended to reps when self has more dims. */
function tile(self: Tensor, reps: number[]): Tensor {
  const diff = self._shape.length - reps.length;
  return call("repeat", [self, diff > 0 ? [...new Array<number>(diff).fill(1), ...reps] : reps]);
}

/** expand_outplace: every tensor expanded to the common shape (a tensor already of that shape is returned as is). */
function broadcastTensors(tensors: Tensor[]): Tensor[] {
  if (tensors.length === 0) return [];
  let sizes = tensors[0]!._shape.slice();
  for (let i = 1; i < tensors.length; i++) sizes = broadcastShapes(sizes, tensors[i]!._shape);
  return tensors.map((t) => (t._shape.length === sizes.length && t._shape.every((s, i) => s === sizes[i]) ? t : call("expand", [t, sizes, false])));
}

let meshgridWarned = false;

function meshgridIndexing(tensors: Tensor[], indexing: string): Tensor[] {
  const size = tensors.length;
  if (size === 0) throw new RuntimeError("meshgrid expects a non-empty TensorList");
  for (let i = 0; i + 1 < size; i++) {
    if (tensors[i]!.dtype !== tensors[i + 1]!.dtype) throw new RuntimeError("meshgrid expects all tensors to have the same dtype");
    if (tensors[i]!.device !== tensors[i + 1]!.device) throw new RuntimeError("meshgrid expects all tensors to have the same device");
  }
  const refs = tensors.slice();
  let swap = false;
  if (indexing === "xy") {
    swap = size >= 2;
    if (swap) [refs[0], refs[1]] = [refs[1]!, refs[0]!];
  } else if (indexing !== "ij") {
    throw new RuntimeError(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${indexing}`);
  }
  const shape = refs.map((t) => {
    if (t._shape.length > 1) throw new RuntimeError(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ${String(t)}`);
    return numelOf(t._shape);
  });
  const viewShape = new Array<number>(size).fill(1);
  const grids = refs.map((t, i) => {
    viewShape[i] = -1;
    const g = call("expand", [call("view", [t, viewShape.slice()]), shape, false]);
    viewShape[i] = 1;
    return g;
  });
  if (swap) [grids[0], grids[1]] = [grids[1]!, grids[0]!];
  return grids;
}

function meshgrid(tensors: Tensor[]): Tensor[] {
  if (!meshgridWarned) {
    meshgridWarned = true;
    warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.");
  }
  return meshgridIndexing(tensors, "ij");
}

/** at::native::atleast_Nd (the Sequence overloads call these directly, not through the dispatcher). */
const atleast: Record<1 | 2 | 3, (t: Tensor) => Tensor> = {
  1: (t) => (t._shape.length === 0 ? call("reshape", [t, [1]]) : t),
  2: (t) => {
    const n = t._shape.length;
    if (n === 0) return call("reshape", [t, [1, 1]]);
    return n === 1 ? call("unsqueeze", [t, 0]) : t;
  },
  3: (t) => {
    const n = t._shape.length;
    if (n === 0) return call("reshape", [t, [1, 1, 1]]);
    if (n === 1) return call("unsqueeze", [call("unsqueeze", [t, 0]), -1]);
    return n === 2 ? call("unsqueeze", [t, -1]) : t;
  },
};

function stackDecl(name: "hstack" | "vstack" | "dstack", rank: 1 | 2 | 3): OpDecl {
  return {
    schema: `${name}(Tensor[] tensors) -> Tensor`,
    composite: k((tensors: Tensor[]) => {
      if (tensors.length === 0) throw new RuntimeError(`${name} expects a non-empty TensorList`);
      const rep = callOp(`aten::atleast_${rank}d.Sequence`, [tensors]) as Tensor[];
      const dim = rank === 1 ? (rep[0]!._shape.length === 1 ? 0 : 1) : rank === 2 ? 0 : 2;
      return call("cat", [rep, dim]);
    }),
  };
}

function atleastDecls(rank: 1 | 2 | 3): OpDecl[] {
  return [
    { schema: `atleast_${rank}d(Tensor self) -> Tensor`, composite: k((self: Tensor) => atleast[rank](self)) },
    { schema: `atleast_${rank}d.Sequence(Tensor[] tensors) -> Tensor[]`, composite: k((tensors: Tensor[]) => tensors.map(atleast[rank])) },
  ];
}

/** outer: self.reshape({n, 1}) * vec2, both 1-D. */
function outer(self: Tensor, vec2: Tensor): Tensor {
  for (const [t, arg] of [[self, "self"], [vec2, "vec2"]] as const) {
    if (t._shape.length !== 1) throw new RuntimeError(`outer: Expected 1-D argument ${arg}, but got ${t._shape.length}-D`);
  }
  return call("mul.Tensor", [call("reshape", [self, [self._shape[0]!, 1]]), vec2]);
}

/** take_along_dim: gather from self and indices broadcast against each other (except along dim); negative indices wrap. */
function takeAlongDim(self: Tensor, indices: Tensor, dim: Opt<number>): Tensor {
  if (dim === null) return call("gather", [call("view", [self, [-1]]), 0, call("view", [indices, [-1]]), false]);
  if (self._shape.length !== indices._shape.length) {
    throw new RuntimeError(
      `torch.take_along_dim(): input and indices should have the same number of dimensions, but got ${self._shape.length} dimensions for input, and ${indices._shape.length} dimensions for indices`,
    );
  }
  if (indices.dtype !== "int64") throw new RuntimeError(`torch.take_along_dim(): dtype of indices should be Long but got ${cppName(indices.dtype)}`);
  const d = wrapDim(dim, self._shape.length);
  if (self._shape.length === 0) throw new IndexError(`Dimension specified as ${d} but tensor has no dimensions`);
  const selfSizes = self._shape.slice();
  selfSizes[d] = indices._shape[d]!;
  const indicesB = call("broadcast_to", [indices, broadcastShapes(selfSizes, indices._shape)]);
  const indicesSizes = indices._shape.slice();
  indicesSizes[d] = self._shape[d]!;
  const selfB = call("broadcast_to", [self, broadcastShapes(indicesSizes, self._shape)]);
  return call("gather", [selfB, d, call("remainder.Scalar", [indicesB, selfB._shape[d]!]), false]);
}

/** Tensors that take one_hot's functional path in PyTorch: meta tensors and Python-key ones (fake, subclasses). */
const functionalPath = (t: Tensor): boolean => t.device === "meta" || ksHas(t.keySet, DispatchKey.Python);

function oneHot(self: Tensor, numClassesArg: number): Tensor {
  let numClasses = numClassesArg;
  if (self.dtype !== "int64") throw new RuntimeError("one_hot is only applicable to index tensor of type LongTensor.");
  const item = (t: Tensor) => Number(callOp("aten::item", [t]));
  if (functionalPath(self)) {
    if (numClasses === -1) numClasses = item(callOp("aten::max", [self]) as Tensor);
    const index = call("arange", [numClasses, "int64", null, self.device, null]);
    return call("to.dtype", [call("eq.Tensor", [call("unsqueeze", [self, -1]), index]), "int64", false, false, null]);
  }
  const shape = self._shape.slice();
  if (numelOf(shape) === 0) {
    if (numClasses <= 0) throw new RuntimeError("Can not infer total number of classes from empty tensor.");
    return call("empty.memory_format", [[...shape, numClasses], "int64", null, self.device, null, null]);
  }
  const [min, max] = callOp("aten::aminmax", [self, null, false]) as Tensor[];
  if (item(min!) < 0) throw new RuntimeError("Class values must be non-negative.");
  const hi = item(max!);
  if (numClasses === -1) numClasses = hi + 1;
  else if (!(numClasses > hi)) throw new RuntimeError("Class values must be smaller than num_classes.");
  const ret = call("zeros", [[...shape, numClasses], "int64", null, self.device, null]);
  call("scatter_.value", [ret, -1, call("unsqueeze", [self, -1]), 1]);
  return ret;
}

// ---------------------------------------------------------------------------------------------
// factories and counting

/** new_empty: at::empty with self's dtype and device unless given. */
function newEmpty(self: Tensor, size: number[], dtype: Opt<DType>, layout: unknown, device: Opt<Device>, pin: Opt<boolean>): Tensor {
  return call("empty.memory_format", [size, dtype ?? self.dtype, layout, device ?? self.device, pin, null]);
}

function newFilled(self: Tensor, size: number[], value: Scalar, dtype: Opt<DType>, layout: unknown, device: Opt<Device>, pin: Opt<boolean>): Tensor {
  const r = call("new_empty", [self, size, dtype === null ? null : toDType(dtype), layout, device, pin]);
  return call("fill_.Scalar", [r, value]);
}

/** count_nonzero_cpu: (self != 0).sum(dims) (bool summed as is), or the all-reduce count as a 0-dim int64. */
function countNonzeroKernel(device: Device) {
  return (self: Tensor, dims: number[]): Tensor => {
    if (dims.length > 0) {
      const reduce = self.dtype === "bool" ? self : call("ne.Scalar", [self, 0]);
      return call("sum.dim_IntList", [reduce, dims, false, null]);
    }
    const out = allocate(device, { shape: [], dtype: "int64" });
    if (device === "cpu") out.data()[0] = countNonzeroAll(self);
    return out;
  };
}

/** TORCH_META_FUNC(aminmax): a reduction over one dim (non-empty), or over everything (self non-empty). */
function aminmaxSpec(self: Tensor, dim: Opt<number>, keepdim: boolean): TensorSpec[] {
  let spec: TensorSpec;
  if (dim !== null) {
    const d = wrapDim(dim, self._shape.length);
    if (numelOf(self._shape) === 0) zeroNumelCheckDim(self, d, "aminmax");
    spec = reductionSpec(self, [d], keepdim, self.dtype);
  } else {
    if (numelOf(self._shape) === 0) throw new RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.");
    spec = { shape: keepdim ? self._shape.map(() => 1) : [], dtype: self.dtype };
  }
  return [spec, { ...spec }];
}

/** The shape-more operators, in native_functions.yaml order within each name. */
export const shapeMoreOps: readonly OpDecl[] = [
  ...atleastDecls(1),
  ...atleastDecls(2),
  ...atleastDecls(3),
  { schema: "broadcast_tensors(Tensor[] tensors) -> Tensor[]", composite: k(broadcastTensors) },
  { schema: "broadcast_to(Tensor(a) self, SymInt[] size) -> Tensor(a)", composite: k((self: Tensor, size: number[]) => call("expand", [self, size, false])) },
  {
    schema: "count_nonzero.dim_IntList(Tensor self, int[] dim) -> Tensor",
    cpuKernel: k(countNonzeroKernel("cpu")),
    metaKernel: k(countNonzeroKernel("meta")),
  },
  {
    schema: "count_nonzero(Tensor self, int? dim=None) -> Tensor",
    explicit: k((self: Tensor, dim: Opt<number>) => call("count_nonzero.dim_IntList", [self, dim === null ? [] : [dim]])),
  },
  {
    schema: "new_empty(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: k(newEmpty),
  },
  {
    schema:
      "new_full(Tensor self, SymInt[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: k(newFilled),
  },
  {
    schema: "new_ones(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: k((self: Tensor, size: number[], dtype: Opt<DType>, layout: unknown, device: Opt<Device>, pin: Opt<boolean>) =>
      newFilled(self, size, 1, dtype, layout, device, pin),
    ),
  },
  {
    schema: "aminmax(Tensor self, *, int? dim=None, bool keepdim=False) -> (Tensor min, Tensor max)",
    meta: aminmaxSpec as never,
    cpu: (([min, max]: Tensor[], self: Tensor, dim: Opt<number>) => aminmaxInto(min!, max!, self, dimMask(self, dim === null ? null : [dim]))) as never,
  },
  stackDecl("hstack", 1),
  stackDecl("vstack", 2),
  stackDecl("dstack", 3),
  { schema: "tile(Tensor self, SymInt[] dims) -> Tensor", composite: k(tile) },
  { schema: "one_hot(Tensor self, int num_classes=-1) -> Tensor", composite: k(oneHot) },
  {
    schema: "roll(Tensor self, SymInt[1] shifts, int[1] dims=[]) -> Tensor",
    cpuKernel: k(rollKernel("cpu")),
    metaKernel: k(rollKernel("meta")),
  },
  { schema: "meshgrid(Tensor[] tensors) -> Tensor[]", composite: k(meshgrid) },
  { schema: "meshgrid.indexing(Tensor[] tensors, *, str indexing) -> Tensor[]", composite: k(meshgridIndexing) },
  { schema: "take_along_dim(Tensor self, Tensor indices, int? dim=None) -> Tensor", composite: k(takeAlongDim) },
  {
    schema: "argsort(Tensor self, int dim=-1, bool descending=False) -> Tensor",
    composite: k((self: Tensor, dim: number, descending: boolean) => (callOp("aten::sort", [self, dim, descending]) as Tensor[])[1]),
  },
  {
    schema: "argsort.stable(Tensor self, *, bool stable, int dim=-1, bool descending=False) -> Tensor",
    composite: k((self: Tensor, stable: boolean, dim: number, descending: boolean) => (callOp("aten::sort.stable", [self, stable, dim, descending]) as Tensor[])[1]),
  },
  { schema: "outer(Tensor self, Tensor vec2) -> Tensor", composite: k(outer) },
  { schema: "ger(Tensor self, Tensor vec2) -> Tensor", composite: k((self: Tensor, vec2: Tensor) => call("outer", [self, vec2])) },
  ...reduceMoreOps,
  ...traceOps,
];
