// Joining and rearranging: cat (structured, with PyTorch's promotion and its legacy skipping of
// 1-D empty inputs), stack (CompositeExplicitAutograd: cat + view, or unsqueeze + cat), repeat,
// flip, and the triangle ops tril/triu with their in-place forms.

import { RuntimeError, ValueError } from "../core/errors.js";
import { catInto, restrided, triangleInto } from "../backends/cpu/indexing-kernels.js";
import { copyInto } from "../backends/cpu/strided-loops.js";
import { callOp } from "../dispatcher/call-op.js";
import { wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { resultType } from "../tensor/type-promotion.js";
import { fmtShape } from "./indexing-common.js";
import { type OpDecl, type TensorSpec, allocate } from "./op-decl.js";

/** PyTorch's cat_should_skip_tensor: 1-D empty tensors are ignored (legacy behaviour). */
function catSkips(t: Tensor): boolean {
  return t._shape.length === 1 && t._shape[0] === 0;
}

/** The wrapped cat dimension: wrapped against the first non-skipped tensor (legacy_cat_wrap_dim). */
function catDim(tensors: readonly Tensor[], dim: number): number {
  for (const t of tensors) if (!catSkips(t)) return wrapDim(dim, t._shape.length);
  return dim;
}

/** The channels-last dim orders (innermost first) of 4-D and 5-D tensors. */
const CHANNELS_LAST: Readonly<Record<number, readonly number[]>> = { 4: [1, 3, 2, 0], 5: [1, 4, 3, 2, 0] };

/** PyTorch's is_channels_last_strides_2d/3d: do t's strides look channels-last? */
function looksChannelsLast(t: Tensor): boolean {
  const order = CHANNELS_LAST[t._shape.length];
  if (order === undefined || t._strides[1] === 0) return false;
  let min = 0;
  for (const d of order) {
    const size = t._shape[d]!;
    const stride = t._strides[d]!;
    if (size === 0 || stride < min || (d === 0 && min === t._strides[1])) return false;
    min = size > 1 ? stride * size : stride;
  }
  return true;
}

/** cat_compute_output_memory_format: channels-last strides only when every input suggests them. */
function catStrides(tensors: readonly Tensor[], shape: readonly number[]): number[] | undefined {
  if (!tensors.every(looksChannelsLast) || tensors.some((t) => t._shape.length !== tensors[0]!._shape.length)) return undefined;
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (const d of CHANNELS_LAST[shape.length]!) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

function catRule(tensors: Tensor[], dim: number): TensorSpec {
  tensors.forEach((t, i) => {
    if (t._shape.length === 0) throw new RuntimeError(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  const d = catDim(tensors, dim);
  if (tensors.length === 0) throw new ValueError("torch.cat(): expected a non-empty list of Tensors");
  const dtype = resultType(...tensors);
  const ref = tensors.find((t) => !catSkips(t));
  if (ref === undefined) return { shape: [0], dtype };
  let sizeAtDim = 0;
  tensors.forEach((t, i) => {
    if (catSkips(t)) return;
    if (t._shape.length !== ref._shape.length) {
      throw new RuntimeError(`Tensors must have same number of dimensions: got ${ref._shape.length} and ${t._shape.length}`);
    }
    for (let k = 0; k < ref._shape.length; k++) {
      if (k !== d && ref._shape[k] !== t._shape[k]) {
        throw new RuntimeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${ref._shape[k]} but got size ${t._shape[k]} for tensor number ${i} in the list.`,
        );
      }
    }
    sizeAtDim += t._shape[d]!;
  });
  const shape = ref._shape.slice();
  shape[d] = sizeAtDim;
  const strides = catStrides(tensors, shape);
  return strides ? { shape, dtype, strides } : { shape, dtype };
}

/** cat reached without a backend key (no tensors): runs the rule, which refuses an empty list. */
function catNoBackend(tensors: Tensor[], dim: number): Tensor {
  const spec = catRule(tensors, dim);
  const out = allocate("cpu", spec);
  catInto(out, tensors, catDim(tensors, dim), catSkips);
  return out;
}

function stackKernel(tensors: Tensor[], dim: number): Tensor {
  if (tensors.length === 0) throw new RuntimeError("stack expects a non-empty TensorList");
  const first = tensors[0]!;
  const wrapped = wrapDim(dim, first._shape.length + 1);
  const entry = first._shape;
  tensors.forEach((t, i) => {
    const same = t._shape.length === entry.length && t._shape.every((s, k) => s === entry[k]);
    if (!same) throw new RuntimeError(`stack expects each tensor to be equal size, but got ${fmtShape(entry)} at entry 0 and ${fmtShape(t._shape)} at entry ${i}`);
  });
  if (wrapped < entry.length) {
    // one can always split a dimension with view
    const sizes = entry.slice();
    sizes.splice(wrapped, 0, tensors.length);
    return callOp("aten::view", [callOp("aten::cat", [tensors, wrapped]), sizes]) as Tensor;
  }
  return callOp("aten::cat", [tensors.map((t) => callOp("aten::unsqueeze", [t, dim])), dim]) as Tensor;
}

function repeatKernel(self: Tensor, repeats: number[]): Tensor {
  const nd = self._shape.length;
  if (repeats.length < nd) {
    throw new RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  }
  const extra = repeats.length - nd;
  const padded = [...new Array<number>(extra).fill(1), ...self._shape];
  const paddedStrides = [...new Array<number>(extra).fill(0), ...self._strides];
  const target = padded.map((p, i) => p * repeats[i]!);
  const result = callOp("aten::empty.memory_format", [target, self.dtype, null, self.device, null, null]) as Tensor;
  if (repeats.some((r) => r === 0) || result.device !== "cpu") return result;
  // View the result as [r0, p0, r1, p1, ...] (PyTorch unfolds it) and copy the expanded input in.
  const shape: number[] = [];
  const outStrides: number[] = [];
  const srcStrides: number[] = [];
  padded.forEach((p, i) => {
    shape.push(repeats[i]!, p);
    outStrides.push(p * result._strides[i]!, result._strides[i]!);
    srcStrides.push(0, p === 1 ? 0 : paddedStrides[i]!);
  });
  copyInto(restrided(result, shape, outStrides, result._offset), restrided(self, shape, srcStrides, self._offset));
  return result;
}

/** PyTorch's dim_list_to_bitset: wraps each dim and refuses repeats. */
function dimFlags(dims: readonly number[], ndim: number): boolean[] {
  const seen = new Array<boolean>(Math.max(ndim, 1)).fill(false);
  for (const d of dims) {
    const w = wrapDim(d, ndim);
    if (seen[w]) throw new RuntimeError(`dim ${w} appears multiple times in the list of dims`);
    seen[w] = true;
  }
  return seen;
}

function flipKernel(self: Tensor, dims: number[]): Tensor {
  const flags = dimFlags(dims, self._shape.length);
  const out = callOp("aten::empty_like", [self, null, null, null, null, null]) as Tensor;
  if (out.device !== "cpu") return out;
  // read self through a view that walks the flipped dims backwards
  let offset = self._offset;
  const strides = self._strides.map((s, d) => {
    if (!flags[d] || self._shape[d]! === 0) return s;
    offset += (self._shape[d]! - 1) * s;
    return -s;
  });
  copyInto(out, restrided(self, self._shape.slice(), strides, offset));
  return out;
}

function triangle(name: "tril" | "triu"): OpDecl[] {
  const lower = name === "tril";
  const check = (self: Tensor): void => {
    if (self._shape.length < 2) throw new RuntimeError(`${name}: input tensor must have at least 2 dimensions`);
  };
  return [
    {
      schema: `${name}_(Tensor(a!) self, SymInt diagonal=0) -> Tensor(a!)`,
      inplace: true,
      meta: ((self: Tensor) => (check(self), [])) as never,
      cpu: ((self: Tensor, _s: Tensor, k: number) => triangleInto(self, self, k, lower)) as never,
    },
    {
      schema: `${name}(Tensor self, SymInt diagonal=0) -> Tensor`,
      meta: ((self: Tensor): TensorSpec => (check(self), { shape: self._shape, dtype: self.dtype })) as never,
      cpu: ((out: Tensor, self: Tensor, k: number) => triangleInto(out, self, k, lower)) as never,
    },
  ];
}

/** cat, stack, repeat, flip, tril/triu. */
export const joinOps: readonly OpDecl[] = [
  {
    schema: "cat(Tensor[] tensors, int dim=0) -> Tensor",
    meta: catRule as never,
    cpu: ((out: Tensor, tensors: Tensor[], dim: number) => catInto(out, tensors, catDim(tensors, dim), catSkips)) as never,
    // PyTorch's structured kernels also serve calls without tensors (`cat([])`): the shape rule raises.
    extra: [["CompositeExplicitAutogradNonFunctional", ((tensors: Tensor[], dim: number) => catNoBackend(tensors, dim)) as never]],
  },
  {
    schema: "repeat(Tensor self, SymInt[] repeats) -> Tensor",
    explicit: repeatKernel as never,
  },
  {
    schema: "stack(Tensor[] tensors, int dim=0) -> Tensor",
    explicit: stackKernel as never,
    metaKernel: stackKernel as never,
  },
  {
    schema: "flip(Tensor self, int[] dims) -> Tensor",
    cpuKernel: flipKernel as never,
    metaKernel: flipKernel as never,
  },
  ...triangle("triu"),
  ...triangle("tril"),
];
