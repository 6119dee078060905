// Views and shape ops: view reshape transpose permute t expand slice select unsqueeze squeeze flatten narrow as_strided contiguous clone detach alias split chunk unbind
// (+ view.dtype, _unsafe_view, _reshape_alias, view_as, reshape_as, diagonal, movedim, swapaxes and the in-place metadata ops).
// Each op is declared once as data (see op-decl.ts), registered at the keys PyTorch 2.14 gives it;
// kernels live in shape-views.ts, shape-composite.ts, shape-extra.ts and shape-dtype-view.ts.

import type { Kernel, OpDecl } from "./op-decl.js";
import { cloneKernel, contiguousKernel, flattenKernel, reshapeAsKernel, reshapeKernel, unflattenKernel, viewAsKernel } from "./shape-composite.js";
import { viewDTypeKernel } from "./shape-dtype-view.js";
import {
  asStridedInplaceKernel,
  diagonalKernel,
  moveaxisKernel,
  movedimIntKernel,
  movedimKernel,
  squeezeDimInplaceKernel,
  squeezeDimsInplaceKernel,
  squeezeInplaceKernel,
  swapKernel,
  tInplaceKernel,
  transposeInplaceKernel,
  unsqueezeInplaceKernel,
} from "./shape-extra.js";
import {
  aliasKernel,
  asStridedKernel,
  chunkKernel,
  detachKernel,
  expandAsKernel,
  expandKernel,
  narrowKernel,
  narrowTensorKernel,
  permuteKernel,
  reshapeAliasKernel,
  selectKernel,
  sliceKernel,
  splitKernel,
  splitSizesKernel,
  splitWithSizesKernel,
  squeezeDimKernel,
  squeezeDimsKernel,
  squeezeKernel,
  tKernel,
  transposeKernel,
  unbindKernel,
  unsafeViewKernel,
  unsqueezeKernel,
  viewKernel,
} from "./shape-views.js";

const k = (f: (...args: never[]) => unknown): Kernel => f;

/** One kernel at both CPU and Meta (ops whose yaml lists `CPU, ..., Meta`: they only touch metadata). */
function backendKernels(schema: string, f: (...args: never[]) => unknown): OpDecl {
  return { schema, cpuKernel: k(f), metaKernel: k(f) };
}

/** The shape operators, in native_functions.yaml order within each name. */
export const shapeOps: readonly OpDecl[] = [
  backendKernels("as_strided(Tensor(a) self, SymInt[] size, SymInt[] stride, SymInt? storage_offset=None) -> Tensor(a)", asStridedKernel),
  {
    schema: "as_strided_(Tensor(a!) self, SymInt[] size, SymInt[] stride, SymInt? storage_offset=None) -> Tensor(a!)",
    extra: [["CompositeExplicitAutogradNonFunctional", k(asStridedInplaceKernel)]],
  },
  { schema: "chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[]", composite: k(chunkKernel) },
  { schema: "contiguous(Tensor(a) self, *, MemoryFormat memory_format=contiguous_format) -> Tensor(a)", composite: k(contiguousKernel) },
  { schema: "expand(Tensor(a) self, SymInt[] size, *, bool implicit=False) -> Tensor(a)", explicit: k(expandKernel) },
  { schema: "expand_as(Tensor(a) self, Tensor other) -> Tensor(a)", composite: k(expandAsKernel) },
  { schema: "diagonal(Tensor(a) self, int offset=0, int dim1=0, int dim2=1) -> Tensor(a)", explicit: k(diagonalKernel) },
  { schema: "flatten.using_ints(Tensor(a) self, int start_dim=0, int end_dim=-1) -> Tensor(a)", composite: k(flattenKernel) },
  { schema: "unflatten.int(Tensor(a) self, int dim, SymInt[] sizes) -> Tensor(a)", composite: k(unflattenKernel) },
  { schema: "movedim.intlist(Tensor(a) self, int[] source, int[] destination) -> Tensor(a)", composite: k(movedimKernel) },
  { schema: "movedim.int(Tensor(a) self, int source, int destination) -> Tensor(a)", composite: k(movedimIntKernel) },
  { schema: "moveaxis.intlist(Tensor(a) self, int[] source, int[] destination) -> Tensor(a)", composite: k(moveaxisKernel) },
  { schema: "moveaxis.int(Tensor(a) self, int source, int destination) -> Tensor(a)", composite: k(moveaxisKernel) },
  { schema: "narrow(Tensor(a) self, int dim, SymInt start, SymInt length) -> Tensor(a)", composite: k(narrowKernel) },
  { schema: "narrow.Tensor(Tensor(a) self, int dim, Tensor start, SymInt length) -> Tensor(a)", composite: k(narrowTensorKernel) },
  { schema: "permute(Tensor(a) self, int[] dims) -> Tensor(a)", explicit: k(permuteKernel) },
  { schema: "reshape(Tensor(a) self, SymInt[] shape) -> Tensor(a)", composite: k(reshapeKernel) },
  backendKernels("_reshape_alias(Tensor(a) self, SymInt[] size, SymInt[] stride) -> Tensor(a)", reshapeAliasKernel),
  { schema: "reshape_as(Tensor(a) self, Tensor other) -> Tensor(a)", composite: k(reshapeAsKernel) },
  { schema: "select.int(Tensor(a) self, int dim, SymInt index) -> Tensor(a)", explicit: k(selectKernel) },
  { schema: "detach(Tensor(a) self) -> Tensor(a)", explicit: k(detachKernel) },
  { schema: "slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor(a)", explicit: k(sliceKernel) },
  { schema: "split.Tensor(Tensor(a -> *) self, SymInt split_size, int dim=0) -> Tensor(a)[]", explicit: k(splitKernel) },
  { schema: "split.sizes(Tensor(a -> *) self, SymInt[] split_size, int dim=0) -> Tensor(a)[]", composite: k(splitSizesKernel) },
  { schema: "split_with_sizes(Tensor(a -> *) self, SymInt[] split_sizes, int dim=0) -> Tensor(a)[]", explicit: k(splitWithSizesKernel) },
  { schema: "squeeze(Tensor(a) self) -> Tensor(a)", explicit: k(squeezeKernel) },
  { schema: "squeeze.dim(Tensor(a) self, int dim) -> Tensor(a)", explicit: k(squeezeDimKernel) },
  { schema: "squeeze.dims(Tensor(a) self, int[] dim) -> Tensor(a)", explicit: k(squeezeDimsKernel) },
  { schema: "squeeze_(Tensor(a!) self) -> Tensor(a!)", explicit: k(squeezeInplaceKernel) },
  { schema: "squeeze_.dim(Tensor(a!) self, int dim) -> Tensor(a!)", explicit: k(squeezeDimInplaceKernel) },
  { schema: "squeeze_.dims(Tensor(a!) self, int[] dim) -> Tensor(a!)", explicit: k(squeezeDimsInplaceKernel) },
  { schema: "t(Tensor(a) self) -> Tensor(a)", explicit: k(tKernel) },
  { schema: "t_(Tensor(a!) self) -> Tensor(a!)", explicit: k(tInplaceKernel) },
  { schema: "transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)", explicit: k(transposeKernel) },
  { schema: "transpose_(Tensor(a!) self, int dim0, int dim1) -> Tensor(a!)", explicit: k(transposeInplaceKernel) },
  { schema: "_unsafe_view(Tensor self, SymInt[] size) -> Tensor", explicit: k(unsafeViewKernel) },
  { schema: "unsqueeze(Tensor(a) self, int dim) -> Tensor(a)", explicit: k(unsqueezeKernel) },
  { schema: "unsqueeze_(Tensor(a!) self, int dim) -> Tensor(a!)", explicit: k(unsqueezeInplaceKernel) },
  { schema: "view_as(Tensor(a) self, Tensor other) -> Tensor(a)", composite: k(viewAsKernel) },
  { schema: "clone(Tensor self, *, MemoryFormat? memory_format=None) -> Tensor", explicit: k(cloneKernel) },
  { schema: "unbind.int(Tensor(a -> *) self, int dim=0) -> Tensor(a)[]", explicit: k(unbindKernel) },
  backendKernels("view(Tensor(a) self, SymInt[] size) -> Tensor(a)", viewKernel),
  { schema: "view.dtype(Tensor(a) self, ScalarType dtype) -> Tensor(a)", explicit: k(viewDTypeKernel) },
  { schema: "swapaxes(Tensor(a) self, int axis0, int axis1) -> Tensor(a)", composite: k(swapKernel) },
  { schema: "swapdims(Tensor(a) self, int dim0, int dim1) -> Tensor(a)", composite: k(swapKernel) },
  { schema: "alias(Tensor(a) self) -> Tensor(a)", explicit: k(aliasKernel) },
];
