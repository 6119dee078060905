// Metadata queries as operators (aten::sym_size, sym_stride, sym_numel, sym_storage_offset, dim,
// is_contiguous, size): what a wrapper subclass with a sizes/strides policy answers through its
// handler (dispatch-semantics.md §7.6), and plain ops otherwise.

import { wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl } from "./op-decl.js";

const stored = (t: Tensor) => t.storedMetadata();

/** The metadata operators (CompositeExplicitAutograd: they read the tensor's stored metadata). */
export const metadataOps: readonly OpDecl[] = [
  { schema: "dim(Tensor self) -> int", explicit: ((t: Tensor) => stored(t).shape.length) as never },
  { schema: "is_contiguous(Tensor self) -> bool", explicit: ((t: Tensor) => stored(t).contiguous) as never },
  { schema: "size(Tensor self) -> int[]", explicit: ((t: Tensor) => stored(t).shape.slice()) as never },
  { schema: "size.int(Tensor self, int dim) -> int", explicit: ((t: Tensor, d: number) => stored(t).shape[wrapDim(d, stored(t).shape.length)]) as never },
  { schema: "sym_numel(Tensor self) -> SymInt", explicit: ((t: Tensor) => stored(t).shape.reduce((a, b) => a * b, 1)) as never },
  { schema: "sym_size(Tensor self) -> SymInt[]", explicit: ((t: Tensor) => stored(t).shape.slice()) as never },
  { schema: "sym_size.int(Tensor self, int dim) -> SymInt", explicit: ((t: Tensor, d: number) => stored(t).shape[wrapDim(d, stored(t).shape.length)]) as never },
  { schema: "sym_storage_offset(Tensor self) -> SymInt", explicit: ((t: Tensor) => stored(t).offset) as never },
  { schema: "sym_stride(Tensor self) -> SymInt[]", explicit: ((t: Tensor) => stored(t).strides.slice()) as never },
  { schema: "sym_stride.int(Tensor self, int dim) -> SymInt", explicit: ((t: Tensor, d: number) => stored(t).strides[wrapDim(d, stored(t).shape.length)]) as never },
];
