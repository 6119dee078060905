// CPU loops of scaled dot-product attention, after PyTorch 2.14's cpu/FlashAttentionKernel.cpp
// (our own code): for every (batch, head, query row) a numerically stable softmax over
// `scale * q.k + mask` (causal: key j > query i is masked), the output row `softmax @ v` and the
// row's logsumexp; the backward recomputes the probabilities from the logsumexp. Key/value heads
// are shared by `H / Hkv` query heads (GQA/MQA). A fully masked row gives a zero output and a
// zero logsumexp, as PyTorch's kernel does. Accumulation is in doubles.

import type { Tensor } from "../../tensor/tensor.js";

/** An additive mask broadcast to [B, H, L, S]: element offsets by index (0-stride for size 1). */
export interface MaskView {
  readonly data: ArrayLike<number>;
  readonly offset: number;
  /** Strides for b, h, i, j (0 where the mask broadcasts). */
  readonly strides: readonly [number, number, number, number];
}

/** The mask read through strides broadcast to [B, H, L, S] (see `expandedStrides`). */
export function maskView(mask: Tensor, strides: readonly number[]): MaskView {
  return { data: mask.data(), offset: mask._offset, strides: [strides[0]!, strides[1]!, strides[2]!, strides[3]!] };
}

interface Dims {
  B: number;
  H: number;
  L: number;
  S: number;
  D: number;
  Dv: number;
  Hkv: number;
}

function dimsOf(q: Tensor, k: Tensor, v: Tensor): Dims {
  const [B, H, L, D] = q._shape as [number, number, number, number];
  return { B, H, L, S: k._shape[2]!, D, Dv: v._shape[3]!, Hkv: k._shape[1]! };
}

/**
 * Fills the logits of one query row (scaled, masked) into `row` and returns their maximum
 * (-Infinity when the row is fully masked).
 */
function rowLogits(
  row: Float64Array,
  qd: ArrayLike<number>,
  qBase: number,
  qs: number,
  kd: ArrayLike<number>,
  kBase: number,
  kS: number,
  kD: number,
  dm: Dims,
  i: number,
  scale: number,
  causal: boolean,
  mask: MaskView | null,
  mBase: number,
): number {
  let max = -Infinity;
  for (let j = 0; j < dm.S; j++) {
    let z: number;
    if (causal && j > i) z = -Infinity;
    else {
      let dot = 0;
      for (let d = 0; d < dm.D; d++) dot += qd[qBase + d * qs]! * kd[kBase + j * kS + d * kD]!;
      z = dot * scale;
      if (mask) z += mask.data[mBase + j * mask.strides[3]]!;
    }
    row[j] = z;
    if (z > max) max = z;
  }
  return max;
}

/**
 * The forward: `out` [B, H, L, Dv] and `lse` [B, H, L] (any strides) from q [B, H, L, D],
 * k [B, Hkv, S, D], v [B, Hkv, S, Dv].
 * @example
 * flashAttentionInto(out, lse, q, k, v, false, null, 1 / Math.sqrt(D))
 */
export function flashAttentionInto(out: Tensor, lse: Tensor, q: Tensor, k: Tensor, v: Tensor, causal: boolean, mask: MaskView | null, scale: number): void {
  const dm = dimsOf(q, k, v);
  const [qd, kd, vd, od, ld] = [q.data(), k.data(), v.data(), out.data(), lse.data()];
  const group = dm.H / dm.Hkv;
  const row = new Float64Array(dm.S);
  const acc = new Float64Array(dm.Dv);
  for (let b = 0; b < dm.B; b++) {
    for (let h = 0; h < dm.H; h++) {
      const hk = Math.floor(h / group);
      const kBase = k._offset + b * k._strides[0]! + hk * k._strides[1]!;
      const vBase = v._offset + b * v._strides[0]! + hk * v._strides[1]!;
      for (let i = 0; i < dm.L; i++) {
        const qBase = q._offset + b * q._strides[0]! + h * q._strides[1]! + i * q._strides[2]!;
        const mBase = mask ? mask.offset + b * mask.strides[0] + h * mask.strides[1] + i * mask.strides[2] : 0;
        const max = rowLogits(row, qd, qBase, q._strides[3]!, kd, kBase, k._strides[2]!, k._strides[3]!, dm, i, scale, causal, mask, mBase);
        const oBase = out._offset + b * out._strides[0]! + h * out._strides[1]! + i * out._strides[2]!;
        const lAt = lse._offset + b * lse._strides[0]! + h * lse._strides[1]! + i * lse._strides[2]!;
        if (max === -Infinity) {
          for (let d = 0; d < dm.Dv; d++) od[oBase + d * out._strides[3]!] = 0;
          ld[lAt] = 0;
          continue;
        }
        acc.fill(0);
        let sum = 0;
        for (let j = 0; j < dm.S; j++) {
          const p = Math.exp(row[j]! - max);
          sum += p;
          if (p === 0) continue;
          const vj = vBase + j * v._strides[2]!;
          for (let d = 0; d < dm.Dv; d++) acc[d] += p * vd[vj + d * v._strides[3]!]!;
        }
        for (let d = 0; d < dm.Dv; d++) od[oBase + d * out._strides[3]!] = acc[d]! / sum;
        ld[lAt] = max + Math.log(sum);
      }
    }
  }
}

/**
 * The backward: fills zero-initialised `gq` [B, H, L, D], `gk` [B, Hkv, S, D], `gv` [B, Hkv, S, Dv]
 * from the output gradient, the forward's output and logsumexp.
 */
export function flashAttentionBackwardInto(
  gq: Tensor,
  gk: Tensor,
  gv: Tensor,
  go: Tensor,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  out: Tensor,
  lse: Tensor,
  causal: boolean,
  mask: MaskView | null,
  scale: number,
): void {
  const dm = dimsOf(q, k, v);
  const [qd, kd, vd, od, ld, gd] = [q.data(), k.data(), v.data(), out.data(), lse.data(), go.data()];
  const [gqd, gkd, gvd] = [gq.data(), gk.data(), gv.data()];
  const group = dm.H / dm.Hkv;
  const row = new Float64Array(dm.S);
  const gqAcc = new Float64Array(dm.D);
  for (let b = 0; b < dm.B; b++) {
    for (let h = 0; h < dm.H; h++) {
      const hk = Math.floor(h / group);
      const kBase = k._offset + b * k._strides[0]! + hk * k._strides[1]!;
      const vBase = v._offset + b * v._strides[0]! + hk * v._strides[1]!;
      const gkBase = gk._offset + b * gk._strides[0]! + hk * gk._strides[1]!;
      const gvBase = gv._offset + b * gv._strides[0]! + hk * gv._strides[1]!;
      for (let i = 0; i < dm.L; i++) {
        const qBase = q._offset + b * q._strides[0]! + h * q._strides[1]! + i * q._strides[2]!;
        const mBase = mask ? mask.offset + b * mask.strides[0] + h * mask.strides[1] + i * mask.strides[2] : 0;
        rowLogits(row, qd, qBase, q._strides[3]!, kd, kBase, k._strides[2]!, k._strides[3]!, dm, i, scale, causal, mask, mBase);
        const l = ld[lse._offset + b * lse._strides[0]! + h * lse._strides[1]! + i * lse._strides[2]!]!;
        const goBase = go._offset + b * go._strides[0]! + h * go._strides[1]! + i * go._strides[2]!;
        const oBase = out._offset + b * out._strides[0]! + h * out._strides[1]! + i * out._strides[2]!;
        // D_i = dO_i . O_i
        let dsum = 0;
        for (let d = 0; d < dm.Dv; d++) dsum += gd[goBase + d * go._strides[3]!]! * od[oBase + d * out._strides[3]!]!;
        gqAcc.fill(0);
        for (let j = 0; j < dm.S; j++) {
          const p = Math.exp(row[j]! - l);
          if (p === 0) continue;
          const vj = vBase + j * v._strides[2]!;
          const gvj = gvBase + j * gv._strides[2]!;
          let dp = 0;
          for (let d = 0; d < dm.Dv; d++) {
            const g = gd[goBase + d * go._strides[3]!]!;
            gvd[gvj + d * gv._strides[3]!] += p * g;
            dp += g * vd[vj + d * v._strides[3]!]!;
          }
          const ds = p * (dp - dsum) * scale;
          const kj = kBase + j * k._strides[2]!;
          const gkj = gkBase + j * gk._strides[2]!;
          for (let d = 0; d < dm.D; d++) {
            gqAcc[d] += ds * kd[kj + d * k._strides[3]!]!;
            gkd[gkj + d * gk._strides[3]!] += ds * qd[qBase + d * q._strides[3]!]!;
          }
        }
        const gqBase = gq._offset + b * gq._strides[0]! + h * gq._strides[1]! + i * gq._strides[2]!;
        for (let d = 0; d < dm.D; d++) gqd[gqBase + d * gq._strides[3]!] += gqAcc[d]!;
      }
    }
  }
}
