// A wrapper tensor subclass: it holds an inner tensor, sees every operator called on it, unwraps,
// runs the op and wraps the result (PyTorch's __torch_dispatch__ subclass pattern).
// Try: npx aten-ts log examples/wrapper-subclass.ts
import type * as Torch from "../src/index.js";

export default function wrapperSubclass(torch: typeof Torch) {
  class Traced extends torch.Tensor {
    inner!: Torch.Tensor;
    static seen: string[] = [];
    static wrap(inner: Torch.Tensor): Traced {
      const t = torch.Tensor.makeWrapperSubclass(Traced, inner.shape, { dtype: inner.dtype });
      t.inner = inner;
      return t;
    }
    static override torchDispatch(func: Torch.OpOverload, _types: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
      Traced.seen.push(String(func));
      const unwrap = (a: unknown): unknown => (a instanceof Traced ? a.inner : Array.isArray(a) ? a.map(unwrap) : a);
      const out = func(...args.map(unwrap), { ...kwargs });
      const wrap = (o: unknown): unknown => (o instanceof torch.Tensor ? Traced.wrap(o) : Array.isArray(o) ? o.map(wrap) : o);
      return wrap(out);
    }
  }
  const x = Traced.wrap(torch.tensor([[1, -2], [3, -4]]));
  const y = x.relu().add(1).mul(x) as Traced;
  console.log(`Traced saw: ${Traced.seen.join(", ")}`);
  return y.inner;
}
