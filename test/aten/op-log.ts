// The logging mode the op-sequence tests share: it records every aten op it sees, by OpOverload
// name (`aten.mul.Tensor`) or qualified (`aten::mul.Tensor`), and runs it unchanged.
import * as torch from "../../src/index.js";
import type { OpOverload } from "../../src/index.js";

/** `aten.mul.Tensor` / `aten.sum.default` (an OpOverload's name) as `aten::mul.Tensor` / `aten::sum`. */
export function qualified(func: string): string {
  const [ns, name, overload] = func.split(".") as [string, string, string];
  return `${ns}::${name}${overload && overload !== "default" ? `.${overload}` : ""}`;
}

/** Records the ops it sees in `ops` (qualified names when `qualify`). */
export class OpLogMode extends torch.TorchDispatchMode {
  readonly ops: string[] = [];
  constructor(private readonly qualify = false) {
    super();
  }
  override torchDispatch(func: OpOverload, _types: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    this.ops.push(this.qualify ? qualified(String(func)) : String(func));
    return func(...args, { ...kwargs });
  }
}

/** The ops a logging mode sees while fn runs (qualified names when `qualify`). */
export function opsSeen(fn: () => unknown, qualify = false): string[] {
  const mode = new OpLogMode(qualify);
  mode.run(fn);
  return mode.ops;
}
