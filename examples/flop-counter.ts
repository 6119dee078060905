// A custom dispatch mode that counts floating-point operations of matrix multiplies, the way
// PyTorch's FlopCounterMode does. Try: npx aten-ts log examples/flop-counter.ts
import type * as Torch from "../src/index.js";

export default function flopCounter(torch: typeof Torch) {
  class FlopCounter extends torch.TorchDispatchMode {
    flops = 0;
    override torchDispatch(func: Torch.OpOverload, _types: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
      const out = func(...args, { ...kwargs });
      const name = func.name;
      if (name === "aten::mm" || name === "aten::addmm" || name === "aten::bmm") {
        const [a, b] = name === "aten::addmm" ? [args[1], args[2]] : [args[0], args[1]];
        const [ta, tb] = [a as Torch.Tensor, b as Torch.Tensor];
        const batch = ta.dim() === 3 ? ta.size(0) : 1;
        this.flops += 2 * batch * ta.size(-2) * ta.size(-1) * tb.size(-1);
      }
      return out;
    }
  }
  torch.manualSeed(0);
  const x = torch.randn([16, 64]);
  const w = torch.randn([64, 32]);
  const counter = new FlopCounter();
  const y = counter.run(() => x.matmul(w).relu().matmul(w.t()));
  console.log(`matmul FLOPs: ${counter.flops}`);
  return y;
}
