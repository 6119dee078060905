// F.scaledDotProductAttention, PyTorch's torch.nn.functional.scaled_dot_product_attention (a
// direct binding of `aten::scaled_dot_product_attention`, which picks the CPU flash kernel or the
// math path).

import { callOp } from "../dispatcher/call-op.js";
import type { Tensor } from "../tensor/tensor.js";

/** Options of scaledDotProductAttention (PyTorch's keyword arguments). */
export interface ScaledDotProductAttentionOptions {
  /** A bool mask (true = attend) or an additive float mask, broadcastable to [..., L, S]. */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0). */
  dropoutP?: number;
  /** Mask out keys after the query position (top-left aligned); no attnMask allowed with it. */
  isCausal?: boolean;
  /** Softmax scale (default 1 / sqrt(E)). */
  scale?: number | null;
  /** Let key/value have fewer heads than query (grouped-query attention). */
  enableGqa?: boolean;
}

/**
 * softmax(q k^T * scale + mask) v (`aten::scaled_dot_product_attention`).
 * @example
 * F.scaledDotProductAttention(q, k, v, { isCausal: true }) // q: [N, H, L, E], k/v: [N, H, S, E]
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, opts: ScaledDotProductAttentionOptions = {}): Tensor {
  return callOp("aten::scaled_dot_product_attention", [
    query,
    key,
    value,
    opts.attnMask ?? null,
    opts.dropoutP ?? 0,
    opts.isCausal ?? false,
    opts.scale ?? null,
    opts.enableGqa ?? false,
  ]) as Tensor;
}
