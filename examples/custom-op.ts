// A custom operator defined with Library, with a CPU kernel and a Meta kernel (so it also runs
// under fake tensors). Try: npx aten-ts fake examples/custom-op.ts
import type * as Torch from "../src/index.js";

let defined = false;

export default function customOp(torch: typeof Torch) {
  if (!defined) {
    defined = true;
    const lib = new torch.Library("example", "DEF");
    lib.define("scaled_sigmoid(Tensor x, float scale=1.0) -> Tensor");
    lib.impl("scaled_sigmoid", (x: Torch.Tensor, scale: number) => x.mul(scale).sigmoid(), "CPU");
    lib.impl("scaled_sigmoid", (x: Torch.Tensor) => torch.emptyLike(x), "Meta");
  }
  const x = torch.linspace(-3, 3, 7);
  return torch.ops.example.scaled_sigmoid(x, { scale: 2 });
}
