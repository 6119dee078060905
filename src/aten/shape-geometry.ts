// Pure size/stride arithmetic of the shape family, as ATen computes it (InferSize.h,
// ExpandUtils.cpp, TensorShape.cpp, MemoryFormat.h, TensorImpl's contiguity flags), with
// PyTorch 2.14's error texts. No dispatch, no data: the view kernels and decompositions build on it.

import { IndexError, RuntimeError } from "../core/errors.js";
import { wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * `[2, 3]`, as c10 prints an IntArrayRef.
 * @example
 * fmtList([2, 3]) // "[2, 3]"
 */
export function fmtList(xs: readonly number[]): string {
  return `[${xs.join(", ")}]`;
}

/**
 * Resolves one `-1` in a requested shape (ATen's infer_size_dv), with PyTorch 2.14's messages.
 * @throws RuntimeError "shape '[2, 5]' is invalid for input of size 6"
 * @example
 * inferViewSize([-1, 3], 6) // [2, 3]
 */
export function inferViewSize(shape: readonly number[], numel: number): number[] {
  let newSize = 1;
  let inferDim = -1;
  for (let d = 0; d < shape.length; d++) {
    const s = shape[d]!;
    if (s === -1) {
      if (inferDim >= 0) throw new RuntimeError("only one dimension can be inferred");
      inferDim = d;
    } else if (s >= 0) {
      newSize *= s;
    } else {
      throw new RuntimeError(`invalid shape dimension ${s} at index ${d} of shape ${fmtList(shape)}`);
    }
  }
  const out = shape.slice();
  if (numel === newSize || (inferDim >= 0 && newSize > 0 && numel % newSize === 0)) {
    if (inferDim >= 0) {
      if (newSize === 0) {
        throw new RuntimeError(
          `cannot reshape tensor of ${numel} elements into shape ${fmtList(shape)} because the unspecified dimension size -1 can be any value and is ambiguous`,
        );
      }
      out[inferDim] = numel / newSize;
    }
    return out;
  }
  throw new RuntimeError(`shape '${fmtList(shape)}' is invalid for input of size ${numel}`);
}

/** Sizes and strides of a view. */
export interface Geometry {
  sizes: number[];
  strides: number[];
}

/**
 * Sizes and strides of `expand(size)` (ATen's inferExpandGeometry).
 * @example
 * inferExpandGeometry([3, 1], [1, 1], [2, 3, 4]) // { sizes: [2, 3, 4], strides: [0, 1, 0] }
 */
export function inferExpandGeometry(sizes: readonly number[], strides: readonly number[], target: readonly number[]): Geometry {
  const ndim = target.length;
  const tdim = sizes.length;
  if (tdim === 0) return { sizes: target.slice(), strides: new Array<number>(ndim).fill(0) };
  const outSizes = new Array<number>(ndim);
  const outStrides = new Array<number>(ndim);
  for (let i = ndim - 1; i >= 0; i--) {
    const dim = tdim - 1 - (ndim - 1 - i);
    let size = dim >= 0 ? sizes[dim]! : 1;
    let stride = dim >= 0 ? strides[dim]! : outStrides[i + 1]! * outSizes[i + 1]!;
    let targetSize = target[i]!;
    if (targetSize === -1) {
      if (dim < 0) {
        throw new RuntimeError(`The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
      }
      targetSize = size;
    }
    if (size !== targetSize) {
      if (size !== 1) {
        throw new RuntimeError(
          `The expanded size of the tensor (${targetSize}) must match the existing size (${size}) at non-singleton dimension ${i}.  ` +
            `Target sizes: ${fmtList(target)}.  Tensor sizes: ${fmtList(sizes)}`,
        );
      }
      size = targetSize;
      stride = 0;
    }
    outSizes[i] = size;
    outStrides[i] = stride;
  }
  return { sizes: outSizes, strides: outStrides };
}

/**
 * Geometry of `unsqueeze(dim)` (dim already wrapped against ndim + 1).
 * @example
 * inferUnsqueezeGeometry(torch.zeros([2, 3]), 1) // { sizes: [2, 1, 3], strides: [3, 3, 1] }
 */
export function inferUnsqueezeGeometry(t: Tensor, dim: number): Geometry {
  const sizes = t._shape.slice();
  const strides = t._strides.slice();
  const stride = dim >= sizes.length ? 1 : sizes[dim]! * strides[dim]!;
  sizes.splice(dim, 0, 1);
  strides.splice(dim, 0, stride);
  return { sizes, strides };
}

/**
 * Geometry of `squeeze` over the dims in `mask` (all dims when absent): size-1 dims go.
 * @example
 * inferSqueezeGeometry(torch.zeros([1, 3, 1])) // { sizes: [3], strides: [1] }
 */
export function inferSqueezeGeometry(t: Tensor, mask?: readonly boolean[]): Geometry {
  const sizes: number[] = [];
  const strides: number[] = [];
  for (let d = 0; d < t._shape.length; d++) {
    if (t._shape[d] === 1 && (mask === undefined || mask[d])) continue;
    sizes.push(t._shape[d]!);
    strides.push(t._strides[d]!);
  }
  return { sizes, strides };
}

/**
 * ATen's dim_list_to_bitset: wraps each dim, refusing repeats.
 * @example
 * dimListToMask([0, -1], 3) // [true, false, true]
 */
export function dimListToMask(dims: readonly number[], ndim: number): boolean[] {
  const seen = new Array<boolean>(Math.max(ndim, 1)).fill(false);
  for (const d of dims) {
    const w = wrapDim(d, ndim);
    if (seen[w]) throw new RuntimeError(`dim ${w} appears multiple times in the list of dims`);
    seen[w] = true;
  }
  return seen;
}

/**
 * `t.size(dim)` of ATen: wraps without the scalar exception (0-dim tensors have no sizes).
 * @example
 * sizeAt(torch.zeros([2, 3]), -1) // 3
 */
export function sizeAt(t: Tensor, dim: number): number {
  const n = t._shape.length;
  if (n === 0) throw new IndexError(`Dimension specified as ${dim} but tensor has no dimensions`);
  return t._shape[wrapDim(dim, n)]!;
}

/**
 * PyTorch's is_non_overlapping_and_dense.
 * @example
 * isNonOverlappingAndDense([3, 4], [1, 3]) // true (a transpose)
 */
export function isNonOverlappingAndDense(sizes: readonly number[], strides: readonly number[]): boolean {
  const n = sizes.length;
  if (n === 1) return sizes[0]! < 2 || strides[0] === 1;
  const perm = [...Array(n).keys()].sort((a, b) => {
    if (sizes[a]! < 2) return sizes[b]! < 2 ? 0 : 1;
    if (sizes[b]! < 2) return -1;
    return strides[a]! - strides[b]!;
  });
  let required = 1;
  for (const d of perm) {
    const size = sizes[d]!;
    if (size < 2) return true;
    if (strides[d] !== required) return false;
    required *= size;
  }
  return true;
}

/**
 * Dense strides that keep the memory order of (sizes, strides) (ATen's infer_dense_strides,
 * TensorIterator's ordering: stride-0 dims compare as ambiguous and stay put).
 * @example
 * inferDenseStrides([3, 4], [2, 6]) // [1, 3]
 */
export function inferDenseStrides(sizes: readonly number[], strides: readonly number[]): number[] {
  const n = sizes.length;
  if (n === 0) return [];
  if (n === 1) return [1];
  const perm = [...Array(n).keys()].reverse();
  const shouldSwap = (d0: number, d1: number): number => {
    const [s0, s1] = [strides[d0]!, strides[d1]!];
    if (s0 === 0 || s1 === 0) return 0;
    if (s0 !== s1) return s0 < s1 ? -1 : 1;
    return sizes[d0]! > sizes[d1]! ? 1 : 0;
  };
  for (let i = 1; i < n; i++) {
    let d1 = i;
    for (let d0 = i - 1; d0 >= 0; d0--) {
      const c = shouldSwap(perm[d0]!, perm[d1]!);
      if (c > 0) {
        [perm[d0], perm[d1]] = [perm[d1]!, perm[d0]!];
        d1 = d0;
      } else if (c < 0) {
        break;
      }
    }
  }
  const out = new Array<number>(n);
  let cur = 1;
  for (const d of perm) {
    out[d] = cur;
    if (sizes[d]! > 1) cur *= sizes[d]!;
  }
  return out;
}

/** PyTorch's memory formats (c10::MemoryFormat codes: Contiguous 0, Preserve 1, ChannelsLast 2, ChannelsLast3d 3). */
export type MemoryFormat = "contiguous_format" | "preserve_format" | "channels_last" | "channels_last_3d";
const FORMATS: readonly MemoryFormat[] = ["contiguous_format", "preserve_format", "channels_last", "channels_last_3d"];

/**
 * A memory format given as a code, a name or `torch.<name>`; null/undefined stay null.
 * @example
 * toMemoryFormat(0) // "contiguous_format"
 */
export function toMemoryFormat(v: unknown): MemoryFormat | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" && FORMATS[v] !== undefined) return FORMATS[v];
  if (typeof v === "string") {
    const s = v.startsWith("torch.") ? v.slice(6) : v;
    if ((FORMATS as readonly string[]).includes(s)) return s as MemoryFormat;
  }
  throw new RuntimeError(`invalid memory format: ${String(v)}`);
}

/** The rank a channels-last format needs, with PyTorch's error. */
function checkRank(format: MemoryFormat, ndim: number): void {
  if (format === "channels_last" && ndim !== 4) throw new RuntimeError("required rank 4 tensor to use channels_last format");
  if (format === "channels_last_3d" && ndim !== 5) throw new RuntimeError("required rank 5 tensor to use channels_last_3d format");
}

/**
 * Strides of a fresh tensor in a memory format (`empty(sizes, memory_format=...)`).
 * @example
 * stridesForFormat([2, 3, 4, 5], "channels_last") // [60, 1, 15, 3]
 */
export function stridesForFormat(sizes: readonly number[], format: MemoryFormat): number[] {
  checkRank(format, sizes.length);
  const out = new Array<number>(sizes.length);
  if (format === "channels_last" || format === "channels_last_3d") {
    // channel dim innermost, then the spatial dims from last to first, batch outermost
    const order = format === "channels_last" ? [1, 3, 2, 0] : [1, 4, 3, 2, 0];
    let s = 1;
    for (const d of order) {
      out[d] = s;
      s *= sizes[d]!;
    }
    return out;
  }
  let s = 1;
  for (let d = sizes.length - 1; d >= 0; d--) {
    out[d] = s;
    s *= Math.max(sizes[d]!, 1);
  }
  return out;
}

/**
 * `t.is_contiguous(memory_format)`: channels-last formats only hold for 4-d / 5-d tensors.
 * @example
 * isContiguousAs(torch.zeros([2, 3]).t(), "contiguous_format") // false
 */
export function isContiguousAs(t: Tensor, format: MemoryFormat): boolean {
  const rank = format === "channels_last" ? 4 : format === "channels_last_3d" ? 5 : -1;
  if (rank < 0) return t.isContiguous();
  if (t._shape.length !== rank) return false;
  const order = rank === 4 ? [1, 3, 2, 0] : [1, 4, 3, 2, 0];
  let expected = 1;
  for (const d of order) {
    const size = t._shape[d]!;
    if (size === 1) continue;
    if (t._strides[d] !== expected) return false;
    expected *= size;
  }
  return true;
}

/**
 * Checks as_strided's geometry against the storage (ATen's setStrided + checkInBoundsForStorage
 * + the numel check of set_sizes_and_strides), in ATen's order, before any view exists.
 * @example
 * checkAsStrided([13], [1], 0, 4, 48) // throws "setStorage: ... out of bounds for storage of size 48"
 */
export function checkAsStrided(
  size: readonly number[],
  stride: readonly number[],
  offset: number,
  itemsize: number,
  storageBytes: number | null,
): void {
  if (size.length !== stride.length) throw new RuntimeError("mismatch in length of strides and shape");
  if (stride.some((s) => s < 0)) {
    throw new RuntimeError(`as_strided: Negative strides are not supported at the moment, got strides: ${fmtList(stride)}`);
  }
  if (!size.some((s) => s === 0)) {
    let extent = offset + 1;
    for (let i = 0; i < size.length; i++) {
      const span = stride[i]! * (size[i]! - 1);
      // ATen adds spans as unsigned 64-bit numbers: a negative one (a negative size) overflows
      if (span < 0) throw new RuntimeError(`Storage size calculation overflowed with sizes=${fmtList(size)} and strides=${fmtList(stride)}`);
      extent += span;
    }
    const need = extent * itemsize;
    if (storageBytes !== null && need > storageBytes) {
      throw new RuntimeError(
        `setStorage: sizes ${fmtList(size)}, strides ${fmtList(stride)}, storage offset ${offset}, and itemsize ${itemsize} ` +
          `requiring a storage size of ${need} are out of bounds for storage of size ${storageBytes}`,
      );
    }
  }
  if (offset < 0) throw new RuntimeError(`Tensor: invalid storage offset ${offset}`);
  if (size.some((s) => s < 0)) throw new RuntimeError("numel: integer multiplication overflow");
}
