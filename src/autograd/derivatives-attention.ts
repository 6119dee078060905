// Derivative rows of the attention operators, after PyTorch 2.14's derivatives.yaml (our own
// code): `_scaled_dot_product_flash_attention_for_cpu` (only `output` is differentiable; query,
// key and value get their gradients from one call of the CPU backward op, which reads the saved
// output and logsumexp) and `_safe_softmax` (softmax's backward on the saved result).

import type { Derivative } from "./formula.js";
import { T, formula, ops, op, unaryFormula } from "./derivatives-util.js";

export const ATTENTION_DERIVATIVES: readonly Derivative[] = [
  formula({
    op: "aten::_scaled_dot_product_flash_attention_for_cpu",
    name: "ScaledDotProductFlashAttentionForCpuBackward0",
    inputs: { query: 0, key: 1, value: 2 },
    differentiableOutputs: [0],
    save: (args, out) => ({
      query: args[0],
      key: args[1],
      value: args[2],
      dropout_p: args[3],
      is_causal: args[4],
      attn_mask: args[5] ?? null,
      scale: args[6] ?? null,
      output: (out as unknown[])[0],
      logsumexp: (out as unknown[])[1],
    }),
    grads: {
      "query, key, value": (g, s) =>
        ops(
          "aten::_scaled_dot_product_flash_attention_for_cpu_backward",
          g,
          T(s.query),
          T(s.key),
          T(s.value),
          T(s.output),
          T(s.logsumexp),
          s.dropout_p,
          s.is_causal,
          s.attn_mask,
          s.scale,
        ),
    },
  }),
  unaryFormula("aten::_safe_softmax", "SafeSoftmaxBackward0", (g, s) => op("aten::_softmax_backward_data", g, T(s.result), s.dim, s.dtype), (args, out) => ({
    dim: args[1],
    dtype: T(args[0]).dtype,
    result: out,
  })),
];
