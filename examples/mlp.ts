// An MLP forward pass (784 -> 256 -> 10) with a softmax, written against the aten-ts module the
// `aten-ts` command passes in. Try: npx aten-ts log examples/mlp.ts
import type * as Torch from "../src/index.js";

export default function mlp(torch: typeof Torch) {
  torch.manualSeed(0);
  const x = torch.randn([4, 784]);
  const w1 = torch.randn([256, 784]).mul(0.05);
  const b1 = torch.zeros([256]);
  const w2 = torch.randn([10, 256]).mul(0.05);
  const b2 = torch.zeros([10]);
  const h = x.matmul(w1.t()).add(b1).relu();
  const logits = h.matmul(w2.t()).add(b2);
  return logits.softmax(-1);
}
