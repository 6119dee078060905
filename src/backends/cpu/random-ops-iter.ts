// Where PyTorch's serial CPU random kernels put each sample: they draw one value per element in
// TensorIterator's order (memory order for a transposed view, not row-major), so a strided output
// must be filled in that order to get PyTorch's numbers. Also the overlap checks TensorIterator
// and the bernoulli kernels make before writing. Used by src/aten/random-*.ts.

import { RuntimeError } from "../../core/errors.js";
import { type TypedArray, allocArray } from "../../tensor/dtype.js";
import { isContiguousLayout, numelOf } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";

/** The strides of one TensorIterator operand, and its storage offset. */
export interface IterOperand {
  readonly strides: readonly number[];
  readonly offset: number;
}

/**
 * TensorIterator's dimension order (reorder_dimensions): `perm[0]` is the fastest-moving dim. The
 * first operand with distinct non-zero strides for two dims decides (smaller stride faster);
 * equal strides put the larger dim outside.
 * @example
 * iteratorPermutation([2, 3], [[1, 2]]) // [0, 1]: a transposed view runs in memory order
 */
export function iteratorPermutation(shape: readonly number[], strideSets: readonly (readonly number[])[]): number[] {
  const nd = shape.length;
  const perm = Array.from({ length: nd }, (_, i) => nd - 1 - i);
  const shouldSwap = (d0: number, d1: number): number => {
    for (const s of strideSets) {
      const s0 = s[d0]!;
      const s1 = s[d1]!;
      if (s0 === 0 || s1 === 0) continue;
      if (s0 < s1) return -1;
      if (s0 > s1) return 1;
      if (shape[d0]! > shape[d1]!) return 1;
    }
    return 0;
  };
  for (let i = 1; i < nd; i++) {
    let dim1 = i;
    for (let dim0 = i - 1; dim0 >= 0; dim0--) {
      const c = shouldSwap(perm[dim0]!, perm[dim1]!);
      if (c > 0) {
        [perm[dim0], perm[dim1]] = [perm[dim1]!, perm[dim0]!];
        dim1 = dim0;
      } else if (c < 0) {
        break;
      }
    }
  }
  return perm;
}

/**
 * The storage offsets of each operand's elements in TensorIterator's order over `shape` (every
 * operand already has `shape`; broadcast dims have stride 0).
 * @example
 * orderedOffsets([2, 3], [{ strides: [1, 2], offset: 0 }])[0] // [0, 1, 2, 3, 4, 5]
 */
export function orderedOffsets(shape: readonly number[], operands: readonly IterOperand[]): Float64Array[] {
  const n = numelOf(shape);
  const perm = iteratorPermutation(shape, operands.map((o) => o.strides));
  const nd = shape.length;
  const result = operands.map(() => new Float64Array(n));
  const cur = operands.map((o) => o.offset);
  const idx = new Array<number>(nd).fill(0);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < operands.length; j++) result[j]![k] = cur[j]!;
    // odometer: advance perm[0] first, carrying into slower dims
    for (let p = 0; p < nd; p++) {
      const d = perm[p]!;
      idx[d]!++;
      for (let j = 0; j < operands.length; j++) cur[j] = cur[j]! + operands[j]!.strides[d]!;
      if (idx[d]! < shape[d]!) break;
      for (let j = 0; j < operands.length; j++) cur[j] = cur[j]! - operands[j]!.strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return result;
}

const INTERNAL_OVERLAP =
  "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.";
const PARTIAL_OVERLAP =
  "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.";

/**
 * PyTorch's assert_no_internal_overlap: an output whose elements share memory (a stride-0 dim
 * of size > 1, e.g. from expand) cannot be written element by element.
 * @example
 * assertNoInternalOverlap(torch.ones([1]).expand([3])) // throws RuntimeError
 */
export function assertNoInternalOverlap(t: Tensor): void {
  for (let i = 0; i < t._shape.length; i++) {
    if (t._strides[i] === 0 && t._shape[i]! > 1) throw new RuntimeError(INTERNAL_OVERLAP);
  }
}

function isNonOverlappingAndDense(t: Tensor): boolean {
  const dims = t._shape.map((s, i) => i).filter((i) => t._shape[i] !== 1);
  dims.sort((a, b) => t._strides[a]! - t._strides[b]!);
  let expected = 1;
  for (const d of dims) {
    if (t._strides[d] !== expected) return false;
    expected *= t._shape[d]!;
  }
  return true;
}

/**
 * PyTorch's assert_no_partial_overlap between an output and an input: two dense tensors over the
 * same storage must cover exactly the same memory or none of it.
 * @example
 * assertNoPartialOverlap(x.narrow(0, 0, 3), x.narrow(0, 1, 3)) // throws RuntimeError
 */
export function assertNoPartialOverlap(out: Tensor, input: Tensor): void {
  if (out === input || out._storage === null || out._storage !== input._storage) return;
  const n = numelOf(out._shape);
  const m = numelOf(input._shape);
  if (n === 0 || m === 0 || !isNonOverlappingAndDense(out) || !isNonOverlappingAndDense(input)) return;
  const [aStart, aEnd] = [out._offset, out._offset + n];
  const [bStart, bEnd] = [input._offset, input._offset + m];
  if (aStart < bEnd && bStart < aEnd && !(aStart === bStart && aEnd === bEnd)) throw new RuntimeError(PARTIAL_OVERLAP);
}

/**
 * Fills a CPU tensor through a kernel that writes a contiguous buffer: the tensor's own memory
 * when it is contiguous, else a buffer of its dtype stored back in TensorIterator's order. With
 * `keep`, the buffer starts as the tensor's values, so a kernel that stops part-way (and throws)
 * leaves the elements it did not reach unchanged, as PyTorch's in-place kernels do.
 * @example
 * fillInIteratorOrder(x.t(), (buf) => uniformFill(gen, buf as Float32Array, "float32"));
 */
export function fillInIteratorOrder(t: Tensor, fill: (buf: TypedArray) => void, keep = false): void {
  const n = numelOf(t._shape);
  const data = t.data();
  if (isContiguousLayout(t._shape, t._strides)) {
    fill(data.subarray(t._offset, t._offset + n));
    return;
  }
  const [offsets] = orderedOffsets(t._shape, [{ strides: t._strides, offset: t._offset }]) as [Float64Array];
  const buf = allocArray(t.dtype, n);
  if (keep) for (let k = 0; k < n; k++) buf[k] = data[offsets[k]!]!;
  let done = false;
  try {
    fill(buf);
    done = true;
  } finally {
    if (done || keep) for (let k = 0; k < n; k++) data[offsets[k]!] = buf[k]!;
  }
}
