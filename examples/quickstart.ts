// A first tour of aten-ts: tensors, operators through the dispatcher, a logging dispatch mode and
// a wrapper tensor subclass. Run: npx tsx examples/quickstart.ts
import * as torch from "../src/index.js";
import type { OpOverload } from "../src/index.js";

const x = torch.tensor([[1, 2], [3, 4]]);
console.log("x =", String(x));
console.log("x.add(x, {alpha: 2}) =", String(x.add(x, { alpha: 2 })));
console.log("torch.ops.aten.mul.Tensor(x, x) =", String(torch.ops.aten.mul.Tensor(x, x)));

/** Logs every operator call that reaches the Python key, like PyTorch's logging modes. */
class LogMode extends torch.TorchDispatchMode {
  override torchDispatch(func: OpOverload, _types: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    const out = func(...args, { ...kwargs });
    const show = (v: unknown) => (v instanceof torch.Tensor ? `${v.dtype}[${v.shape.join(", ")}]` : JSON.stringify(v));
    console.log(`  ${String(func)}(${args.map(show).join(", ")}) -> ${show(out)}`);
    return out;
  }
}
console.log("under LogMode:");
new LogMode().run(() => x.mul(x).add(x).exp());

/** A wrapper subclass: holds an inner tensor, unwraps for every op and wraps the results. */
class Wrapped extends torch.Tensor {
  inner!: torch.Tensor;
  static wrap(inner: torch.Tensor): Wrapped {
    const w = torch.Tensor.makeWrapperSubclass(Wrapped, inner.shape, { dtype: inner.dtype });
    w.inner = inner;
    return w;
  }
  static override torchDispatch(func: OpOverload, _types: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    const unwrap = (a: unknown): unknown => (a instanceof Wrapped ? a.inner : Array.isArray(a) ? a.map(unwrap) : a);
    console.log(`  Wrapped sees ${String(func)}`);
    const out = func(...args.map(unwrap), { ...kwargs });
    return out instanceof torch.Tensor ? Wrapped.wrap(out) : out;
  }
}
console.log("through a wrapper subclass:");
const w = Wrapped.wrap(x).mul(10) as Wrapped;
console.log("result:", String(w.inner));
console.log("dispatch table of aten::add.Tensor:");
console.log(torch.dispatcher.dumpTable("aten::add.Tensor"));
