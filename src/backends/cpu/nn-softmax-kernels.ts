// CPU loops of softmax and log_softmax along one dimension of a strided tensor, numerically
// stable as PyTorch's host_softmax: subtract the lane's maximum, exponentiate, normalise
// (log_softmax: x - max - log(sum(exp(x - max)))).

import type { Tensor } from "../../tensor/tensor.js";
import { forEachLane } from "./nn-loops.js";

/**
 * Fills `out` (same shape as `input`) with softmax (or log_softmax) of `input` along `dim`.
 * A 0-dim input is treated as one lane of length 1.
 * @example
 * softmaxInto(out, x, 1, false) // out[i, :] = exp(x[i, :]) / sum(exp(x[i, :]))
 */
export function softmaxInto(out: Tensor, input: Tensor, dim: number, log: boolean): void {
  const od = out.data();
  const id = input.data();
  const lane = (ib: number, ob: number, n: number, si: number, so: number, tmp: Float64Array): void => {
    let max = id[ib]!;
    // std::max semantics: a NaN later in the lane does not replace the running maximum
    for (let k = 1; k < n; k++) {
      const v = id[ib + k * si]!;
      if (max < v) max = v;
    }
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const z = Math.exp(id[ib + k * si]! - max);
      tmp[k] = z;
      sum += z;
    }
    if (log) {
      const lse = Math.log(sum);
      for (let k = 0; k < n; k++) od[ob + k * so] = id[ib + k * si]! - max - lse;
    } else {
      const inv = 1 / sum;
      for (let k = 0; k < n; k++) od[ob + k * so] = tmp[k]! * inv;
    }
  };
  if (input._shape.length === 0) {
    lane(input._offset, out._offset, 1, 0, 0, new Float64Array(1));
    return;
  }
  const n = input._shape[dim]!;
  if (n === 0) return;
  const tmp = new Float64Array(n);
  const si = input._strides[dim]!;
  const so = out._strides[dim]!;
  forEachLane(input, out, dim, (ib, ob) => lane(ib, ob, n, si, so, tmp));
}
