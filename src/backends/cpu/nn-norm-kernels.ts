// CPU loops of layer norm and batch norm over strided tensors, with statistics accumulated in
// double precision (PyTorch's acc_type on CPU): per-row mean / rstd for layer norm, per-channel
// mean / invstd and running-stat updates (unbiased variance) for batch norm.

import type { Tensor } from "../../tensor/tensor.js";
import { offsetsOf } from "./nn-loops.js";

function values(t: Tensor | null): number[] | null {
  if (!t) return null;
  const d = t.data();
  return Array.from(offsetsOf(t), (o) => d[o]!);
}

/**
 * Layer norm of `input` viewed as [M, N] (rows = the leading dims): fills `out` (input's shape),
 * `mean` and `rstd` (M elements each). `weight` / `bias` hold N elements (or are null).
 * @example
 * layerNormInto(y, mean, rstd, x, gamma, beta, 1e-5, M, N)
 */
export function layerNormInto(
  out: Tensor,
  mean: Tensor,
  rstd: Tensor,
  input: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
  m: number,
  n: number,
): void {
  const xi = offsetsOf(input);
  const yo = offsetsOf(out);
  const mo = offsetsOf(mean);
  const ro = offsetsOf(rstd);
  const xd = input.data();
  const yd = out.data();
  const md = mean.data();
  const rd = rstd.data();
  const g = values(weight);
  const b = values(bias);
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += xd[xi[r * n + j]!]!;
    const mu = s / n;
    let v = 0;
    for (let j = 0; j < n; j++) {
      const dlt = xd[xi[r * n + j]!]! - mu;
      v += dlt * dlt;
    }
    const inv = 1 / Math.sqrt(Math.max(v / n, 0) + eps);
    for (let j = 0; j < n; j++) {
      const k = r * n + j;
      yd[yo[k]!] = (xd[xi[k]!]! - mu) * inv * (g ? g[j]! : 1) + (b ? b[j]! : 0);
    }
    md[mo[r]!] = mu;
    rd[ro[r]!] = inv;
  }
}

/** Per-channel element offsets of a tensor whose dim 1 is the channel dim. */
function channelOffsets(t: Tensor): number[][] {
  const c = t._shape[1]!;
  const all = offsetsOf(t);
  const inner = t._shape.slice(2).reduce((x, y) => x * y, 1);
  const lists: number[][] = Array.from({ length: c }, () => []);
  for (let k = 0; k < all.length; k++) lists[Math.floor(k / inner) % c]!.push(all[k]!);
  return lists;
}

/** Options of {@link batchNormInto}. */
export interface BatchNormArgs {
  weight: Tensor | null;
  bias: Tensor | null;
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  training: boolean;
  momentum: number;
  eps: number;
}

/**
 * Batch norm of `input` ([N, C, ...]) into `out`. Training: batch statistics go to `saveMean` /
 * `saveInvstd` and update the running stats in place; evaluation: the running stats are used.
 * @example
 * batchNormInto(y, mean, invstd, x, { weight: null, bias: null, runningMean: rm, runningVar: rv, training: true, momentum: 0.1, eps: 1e-5 })
 */
export function batchNormInto(out: Tensor, saveMean: Tensor, saveInvstd: Tensor, input: Tensor, a: BatchNormArgs): void {
  const c = input._shape[1]!;
  const xs = channelOffsets(input);
  const ys = channelOffsets(out);
  const xd = input.data();
  const yd = out.data();
  const w = values(a.weight);
  const b = values(a.bias);
  const rmd = a.runningMean?.data();
  const rvd = a.runningVar?.data();
  const rmo = a.runningMean ? offsetsOf(a.runningMean) : null;
  const rvo = a.runningVar ? offsetsOf(a.runningVar) : null;
  for (let f = 0; f < c; f++) {
    const xo = xs[f]!;
    const n = xo.length;
    let mu: number;
    let invstd: number;
    if (a.training) {
      let s = 0;
      for (const o of xo) s += xd[o]!;
      mu = s / n;
      let varSum = 0;
      for (const o of xo) varSum += (xd[o]! - mu) * (xd[o]! - mu);
      const v = varSum / n;
      invstd = v !== 0 || a.eps !== 0 ? 1 / Math.sqrt(v + a.eps) : 0;
      saveMean.data()[saveMean._offset + f * (saveMean._strides[0] ?? 0)] = mu;
      saveInvstd.data()[saveInvstd._offset + f * (saveInvstd._strides[0] ?? 0)] = invstd;
      if (rmd && rmo) rmd[rmo[f]!] = a.momentum * mu + (1 - a.momentum) * rmd[rmo[f]!]!;
      if (rvd && rvo) rvd[rvo[f]!] = a.momentum * (varSum / (n - 1)) + (1 - a.momentum) * rvd[rvo[f]!]!;
    } else {
      mu = rmd![rmo![f]!]!;
      invstd = 1 / Math.sqrt(rvd![rvo![f]!]! + a.eps);
    }
    const wf = w ? w[f]! : 1;
    const bf = b ? b[f]! : 0;
    const yo = ys[f]!;
    for (let k = 0; k < n; k++) yd[yo[k]!] = (xd[xo[k]!]! - mu) * invstd * wf + bf;
  }
}
