// CPU loops of the loss kernels: nll_loss_forward (1-D/2-D input), nll_loss2d_forward (N, C, H, W)
// with its backward nll_loss2d_backward, and mse_loss, following LossNLL.cpp, LossNLL2d.cpp and Loss.cpp: targets are checked (ignore_index,
// bounds) before any output is written; reductions 0 = none, 1 = mean, 2 = sum.

import { IndexError } from "../../core/errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import { broadcastStrides, forEachOffset3 } from "./strided-loops.js";
import { offsetsOf } from "./nn-loops.js";

/** PyTorch's Reduction enum. */
export const Reduction = { None: 0, Mean: 1, Sum: 2 } as const;

function readAll(t: Tensor): number[] {
  const d = t.data();
  return Array.from(offsetsOf(t), (o) => d[o]!);
}

function checkTargets(targets: readonly number[], nClasses: number, ignoreIndex: number): void {
  for (const t of targets) {
    if (t !== ignoreIndex && (t < 0 || t >= nClasses)) throw new IndexError(`Target ${t} is out of bounds.`);
  }
}

/**
 * nll_loss over `batch` samples whose class scores are read by `score(b, t)`: fills `out`
 * (per-sample losses when `perSample`, else the reduced loss) and `totalWeight`.
 */
function nllCore(
  out: Tensor,
  totalWeight: Tensor,
  targets: readonly number[],
  score: (b: number, t: number) => number,
  weight: Tensor | null,
  nClasses: number,
  reduction: number,
  ignoreIndex: number,
  perSample: boolean,
): void {
  const w = weight ? readAll(weight) : null;
  checkTargets(targets, nClasses, ignoreIndex);
  const od = out.data();
  const tw = totalWeight.data();
  if (perSample) {
    const idx = offsetsOf(out);
    targets.forEach((t, b) => {
      od[idx[b]!] = t === ignoreIndex ? 0 : -score(b, t) * (w ? w[t]! : 1);
    });
    tw[totalWeight._offset] = 0;
    return;
  }
  if (targets.length === 0) {
    od[out._offset] = reduction === Reduction.Mean ? NaN : 0;
    tw[totalWeight._offset] = 0;
    return;
  }
  let loss = 0;
  let total = 0;
  targets.forEach((t, b) => {
    if (t === ignoreIndex) return;
    const wt = w ? w[t]! : 1;
    loss -= score(b, t) * wt;
    total += wt;
  });
  od[out._offset] = reduction === Reduction.Mean ? loss / total : loss;
  tw[totalWeight._offset] = total;
}

/**
 * `nll_loss_forward` on CPU: input [C] (target [] or [1]) or [N, C] (target [N]).
 * @example
 * nllLossForwardInto(out, tw, logProbs, target, null, Reduction.Mean, -100)
 */
export function nllLossForwardInto(
  out: Tensor,
  totalWeight: Tensor,
  input: Tensor,
  target: Tensor,
  weight: Tensor | null,
  reduction: number,
  ignoreIndex: number,
): void {
  const nClasses = input._shape[input._shape.length - 1]!;
  const id = input.data();
  const targets = readAll(target);
  const twoD = input._shape.length === 2;
  const [s0, s1] = twoD ? [input._strides[0]!, input._strides[1]!] : [0, input._strides[0]!];
  const score = (b: number, t: number): number => id[input._offset + b * s0 + t * s1]!;
  nllCore(out, totalWeight, targets, score, weight, nClasses, reduction, ignoreIndex, reduction === Reduction.None && twoD);
}

/**
 * `nll_loss2d_forward` on CPU: input [N, C, H, W], target [N, H, W].
 * @example
 * nllLoss2dForwardInto(out, tw, logProbs, target, null, Reduction.None, -100) // out: [N, H, W]
 */
export function nllLoss2dForwardInto(
  out: Tensor,
  totalWeight: Tensor,
  input: Tensor,
  target: Tensor,
  weight: Tensor | null,
  reduction: number,
  ignoreIndex: number,
): void {
  const [, nClasses, h, w] = input._shape as [number, number, number, number];
  const [sn, sc, sh, sw] = input._strides as [number, number, number, number];
  const id = input.data();
  const targets = readAll(target);
  const plane = h * w;
  const score = (b: number, t: number): number => {
    const n = Math.floor(b / plane);
    const r = b % plane;
    return id[input._offset + n * sn + t * sc + Math.floor(r / w) * sh + (r % w) * sw]!;
  };
  nllCore(out, totalWeight, targets, score, weight, nClasses, reduction, ignoreIndex, reduction === Reduction.None);
}

/**
 * `nll_loss2d_backward` on CPU: `gradInput` (zeros shaped like the [N, C, H, W] input, contiguous)
 * gets `-weight[t] * grad` at each non-ignored target t (per element for reduction none, else the
 * single grad_output, divided by total_weight for mean), in the input's float precision.
 * @example
 * nllLoss2dBackwardInto(gi, torch.tensor(1), input, target, null, Reduction.Mean, -100, torch.tensor(8))
 */
export function nllLoss2dBackwardInto(
  gradInput: Tensor,
  gradOutput: Tensor,
  input: Tensor,
  target: Tensor,
  weight: Tensor | null,
  reduction: number,
  ignoreIndex: number,
  totalWeight: Tensor,
): void {
  const [, nClasses, h, w] = input._shape as [number, number, number, number];
  const plane = h * w;
  const gd = gradInput.data();
  gd.fill(0, gradInput._offset, gradInput._offset + gradInput.numel());
  const round = input.dtype === "float32" ? Math.fround : (x: number): number => x;
  const wv = weight ? readAll(weight) : null;
  const targets = readAll(target);
  const go = readAll(gradOutput);
  const scale =
    reduction === Reduction.None ? 0 : -(reduction === Reduction.Mean ? round(go[0]! / readAll(totalWeight)[0]!) : go[0]!);
  targets.forEach((t, i) => {
    if (t === ignoreIndex) return;
    if (t < 0 || t >= nClasses) throw new IndexError(`Target ${t} is out of bounds.`);
    const at = gradInput._offset + (Math.floor(i / plane) * nClasses + t) * plane + (i % plane);
    gd[at] = reduction === Reduction.None ? round(-(wv ? wv[t]! : 1) * go[i]!) : wv ? round(wv[t]! * scale) : scale;
  });
}

/**
 * `mse_loss` on CPU: `(self - target)^2` with broadcasting into `out` (reduction none), or its
 * mean / sum into the 0-dim `out`.
 * @example
 * mseLossInto(out, a, b, [2, 3], Reduction.Mean)
 */
export function mseLossInto(out: Tensor, self: Tensor, target: Tensor, shape: readonly number[], reduction: number): void {
  const sd = self.data();
  const td = target.data();
  const od = out.data();
  const round = out.dtype === "float32" ? Math.fround : (x: number) => x;
  const sq = (x: number, y: number): number => {
    const d = round(round(x) - round(y));
    return round(d * d);
  };
  if (reduction === Reduction.None) {
    forEachOffset3(shape, out._strides, out._offset, broadcastStrides(self, shape), self._offset, broadcastStrides(target, shape), target._offset, (io, ia, ib) => {
      od[io] = sq(sd[ia]!, td[ib]!);
    });
    return;
  }
  let sum = 0;
  let n = 0;
  forEachOffset3(shape, broadcastStrides(self, shape), self._offset, broadcastStrides(target, shape), target._offset, broadcastStrides(self, shape), 0, (ia, ib) => {
    sum += sq(sd[ia]!, td[ib]!);
    n++;
  });
  od[out._offset] = reduction === Reduction.Mean ? sum / n : sum;
}
