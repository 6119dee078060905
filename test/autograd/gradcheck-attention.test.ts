// Gradcheck of the attention formulas (cases in gradcheck-cases-attention.ts, also run by the nn
// table of gradcheck-2.test.ts for the coverage census) and of the CompositeImplicitAutograd
// scaled_dot_product_attention on both CPU paths (flash kernel and math path).
import { describe, it } from "vitest";
import * as torch from "../../src/index.js";
import { type Case, f, gradcheck, x } from "./gradcheck-harness.js";
import { ATTENTION_CASES } from "./gradcheck-cases-attention.js";

const F = torch.nn.functional;
const mask = torch.tensor([[true, false, true, true], [false, false, false, false], [true, true, false, true]]);

const COMPOSITE: Case[] = [
  f("sdpa flash, bool mask", (q, k, v) => F.scaledDotProductAttention(q, k, v, { attnMask: mask }), [x([1, 2, 3, 2]), x([1, 2, 4, 2]), x([1, 2, 4, 2])]),
  f("sdpa flash 3-d causal", (q, k, v) => F.scaledDotProductAttention(q, k, v, { isCausal: true }), [x([2, 3, 2]), x([2, 3, 2]), x([2, 3, 2])]),
  f("sdpa math (value head size differs), bool mask", (q, k, v) => F.scaledDotProductAttention(q, k, v, { attnMask: mask }), [x([1, 2, 3, 2]), x([1, 2, 4, 2]), x([1, 2, 4, 3])]),
  f("sdpa math GQA (key/value heads differ)", (q, k, v) => F.scaledDotProductAttention(q, k, v, { enableGqa: true, isCausal: true }), [x([1, 2, 3, 2]), x([1, 2, 3, 2]), x([1, 1, 3, 2])]),
  f("sdpa math 2-d, scale", (q, k, v) => F.scaledDotProductAttention(q, k, v, { scale: 0.4 }), [x([3, 2]), x([4, 2]), x([4, 2])]),
  f("sdpa empty sequence", (q, k, v) => F.scaledDotProductAttention(q, k, v), [x([1, 1, 2, 2]), x([1, 1, 0, 2]), x([1, 1, 0, 2])]),
];

describe("gradcheck: attention formulas agree with finite differences", () => {
  for (const cs of [...ATTENTION_CASES, ...COMPOSITE]) it(cs.label, () => gradcheck(cs));
});
