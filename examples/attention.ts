// A tiny single-head attention block: softmax(q k^T / sqrt(d)) v. Try: npx aten-ts trace examples/attention.ts
import type * as Torch from "../src/index.js";

export default function attention(torch: typeof Torch) {
  torch.manualSeed(0);
  const [batch, seq, d] = [2, 5, 8];
  const x = torch.randn([batch, seq, d]);
  const wq = torch.randn([d, d]);
  const wk = torch.randn([d, d]);
  const wv = torch.randn([d, d]);
  const q = x.matmul(wq);
  const k = x.matmul(wk);
  const v = x.matmul(wv);
  const scores = q.matmul(k.transpose(-2, -1)).mul(1 / Math.sqrt(d));
  return scores.softmax(-1).matmul(v);
}
