// CPU loops of the shape-more family: roll along one dim of a contiguous tensor, the all-reduce
// of count_nonzero, and aminmax's paired min/max per reduction slice.

import { extremeRun } from "./reduce-kernels.js";
import { forEachReduction } from "./reduce-loops.js";
import type { Tensor } from "../../tensor/tensor.js";

/**
 * Fills the contiguous `out` with contiguous `input` rolled by `shift` along `dim` (roll_cpu's
 * kernel): out index i along dim takes input index (i - shift) mod size.
 * @example
 * rollInto(out, x, 0, 1) // out[0] = x[n - 1], out[1] = x[0], ...
 */
export function rollInto(out: Tensor, input: Tensor, dim: number, shift: number): void {
  const shape = input._shape;
  const size = shape[dim]!;
  let inner = 1;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d]!;
  let outer = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d]!;
  const src = input.data();
  const dst = out.data();
  const base = input._offset;
  let start = (size - shift) % size;
  if (start < 0) start += size;
  const block = size * inner;
  for (let o = 0; o < outer; o++) {
    const ob = o * block;
    for (let i = 0; i < size; i++) {
      const from = base + ob + ((i + start) % size) * inner;
      const to = ob + i * inner;
      for (let j = 0; j < inner; j++) dst[to + j] = src[from + j]!;
    }
  }
}

/**
 * How many elements of `self` are not zero (NaN counts, as `val != 0`).
 * @example
 * countNonzeroAll(torch.tensor([0, 1, 2])) // 2
 */
export function countNonzeroAll(self: Tensor): number {
  let count = 0;
  forEachReduction(self, self._shape.map(() => true), (src, start, n) => {
    for (let i = start; i < start + n; i++) if (src[i] !== 0) count++;
  });
  return count;
}

/**
 * aminmax's loop: min and max of each slice over the masked dims (NaN propagates).
 * @example
 * aminmaxInto(mn, mx, x, [true]) // mn[0] = min(x), mx[0] = max(x)
 */
export function aminmaxInto(min: Tensor, max: Tensor, self: Tensor, mask: readonly boolean[]): void {
  const lo = min.data();
  const hi = max.data();
  forEachReduction(self, mask, (src, start, n, k) => {
    lo[k] = extremeRun(src, start, n, false);
    hi[k] = extremeRun(src, start, n, true);
  });
}
