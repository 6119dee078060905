// Gradcheck cases of the attention formulas (src/autograd/derivatives-attention.ts): the CPU
// flash kernel (ScaledDotProductFlashAttentionForCpuBackward0: plain, causal with L > S, a
// custom scale, an additive mask with a fully masked row, GQA/MQA key/value heads) and
// _safe_softmax (SafeSoftmaxBackward0, with -inf entries and a fully -inf row).
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { type Case, c, f, x } from "./gradcheck-harness.js";

const A = "aten::";
const flash = (q: Tensor, k: Tensor, v: Tensor, causal: boolean, kw: Record<string, unknown> = {}): Tensor =>
  (torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(q, k, v, 0, causal, kw) as Tensor[])[0]!;
const ninf = -Infinity;
/** A [3, 5] additive mask whose second row is fully masked. */
const maskValues = [0, -0.5, ninf, 0.3, 0, ninf, ninf, ninf, ninf, ninf, 0.2, 0, 0, ninf, -1];

export const ATTENTION_CASES: Case[] = [
  c("_scaled_dot_product_flash_attention_for_cpu", A + "_scaled_dot_product_flash_attention_for_cpu", [x([1, 2, 3, 4]), x([1, 2, 5, 4]), x([1, 2, 5, 4])], undefined, 0),
  f("_scaled_dot_product_flash_attention_for_cpu causal, L > S, scale", (q, k, v) => flash(q, k, v, true, { scale: 0.8 }), [x([2, 1, 4, 3]), x([2, 1, 2, 3]), x([2, 1, 2, 3])]),
  f(
    "_scaled_dot_product_flash_attention_for_cpu additive mask with a fully masked row",
    (q, k, v, m) => flash(q, k, v, false, { attn_mask: m }),
    [x([1, 2, 3, 2]), x([1, 2, 5, 2]), x([1, 2, 5, 2]), x([3, 5], { values: maskValues, constant: true })],
  ),
  f("_scaled_dot_product_flash_attention_for_cpu GQA heads", (q, k, v) => flash(q, k, v, true), [x([1, 4, 3, 2]), x([1, 2, 3, 2]), x([1, 2, 3, 2])]),
  f("_scaled_dot_product_flash_attention_for_cpu MQA, negative scale", (q, k, v) => flash(q, k, v, false, { scale: -0.6 }), [x([2, 3, 2, 3]), x([2, 1, 4, 3]), x([2, 1, 4, 3])]),
  c("_safe_softmax", A + "_safe_softmax", [x([3, 4], { values: [0.1, ninf, -0.4, 0.9, ninf, ninf, ninf, ninf, 0.3, -0.2, 0.5, ninf] }), -1]),
  c("_safe_softmax dim 0", A + "_safe_softmax", [x([2, 3, 2]), 0]),
];
