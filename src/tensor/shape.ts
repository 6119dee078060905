// Shape arithmetic shared by the shape rules and kernels: contiguous strides, broadcasting,
// dimension wrapping, and the stride computation that decides whether a view is possible, with
// PyTorch's error texts.

import { IndexError, RuntimeError } from "../core/errors.js";

/** Number of elements of a shape. */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Row-major strides of a shape (PyTorch gives size-0/1 dims the stride they would have). */
export function contiguousStrides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= Math.max(shape[i]!, 1);
  }
  return out;
}

/** Is a (shape, strides) pair contiguous in row-major order (size-1 dims ignored)? */
export function isContiguousLayout(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const s = shape[i]!;
    if (s === 0) return true;
    if (s === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= s;
  }
  return true;
}

/**
 * Wraps a possibly negative dimension, as PyTorch's maybe_wrap_dim.
 * @throws IndexError "Dimension out of range (expected to be in range of [-2, 1], but got 2)"
 */
export function wrapDim(dim: number, ndim: number, wrapScalar = true): number {
  let n = ndim;
  if (n <= 0) {
    if (!wrapScalar) throw new IndexError(`dimension specified as ${dim} but tensor has no dimensions`);
    n = 1;
  }
  const min = -n;
  const max = n - 1;
  if (dim < min || dim > max) {
    throw new IndexError(`Dimension out of range (expected to be in range of [${min}, ${max}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/**
 * The broadcast shape of two shapes.
 * @throws RuntimeError "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
 */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new RuntimeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
  }
  return out;
}

/** The broadcast shape of many shapes. */
export function broadcastAll(shapes: readonly (readonly number[])[]): number[] {
  let out: number[] = [];
  for (const s of shapes) out = broadcastShapes(out, s);
  return out;
}

/**
 * Strides that view (shape, strides) as `newShape` without copying, or null when impossible
 * (PyTorch's computeStride).
 */
export function computeViewStrides(oldShape: readonly number[], oldStrides: readonly number[], newShape: readonly number[]): number[] | null {
  if (oldShape.length === 0) return new Array<number>(newShape.length).fill(1);
  const numel = numelOf(oldShape);
  if (numel === 0 && oldShape.length === newShape.length && oldShape.every((s, i) => s === newShape[i])) return oldStrides.slice();
  const newStrides = new Array<number>(newShape.length);
  if (numel === 0) {
    // any strides will do; use contiguous ones
    return contiguousStrides(newShape);
  }
  let viewD = newShape.length - 1;
  let chunkBaseStride = oldStrides[oldStrides.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
    tensorNumel *= oldShape[tensorD]!;
    if (tensorD === 0 || (oldShape[tensorD - 1] !== 1 && oldStrides[tensorD - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (tensorD > 0) {
        chunkBaseStride = oldStrides[tensorD - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}

/** Checks a shape given by a user: non-negative integers. */
export function checkShape(shape: readonly number[]): void {
  for (const s of shape) {
    if (!Number.isInteger(s)) throw new TypeError(`expected a sequence of integers for the size, but got ${String(s)}`);
    if (s < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${s}: [${shape.join(", ")}]`);
  }
}
