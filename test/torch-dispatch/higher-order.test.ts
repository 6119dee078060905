// Higher-order operators (§7.7) against PyTorch 2.14 (test/fixtures/higher-order.json, from
// scripts/fixtures/higher_order.py): the same registrations and calls give the same kernels run
// (in order), results and errors.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, Tensor } from "../../src/index.js";

type Outcome = { ok?: unknown; error?: [string, string]; trace: string[] };
const fx = JSON.parse(readFileSync(new URL("../fixtures/higher-order.json", import.meta.url), "utf8")) as Record<string, Outcome> & {
  meta: { str: string; namespace: string; registered: boolean };
};

const trace: string[] = [];
function outcome(f: () => unknown): Outcome {
  trace.length = 0;
  try {
    const r = f();
    return { ok: r instanceof torch.Tensor ? r.tolist() : r, trace: [...trace] };
  } catch (e) {
    const err = e as Error;
    return { error: [err.name, err.message], trace: [...trace] };
  }
}

const x = torch.tensor([1, 2]);
const meta = () => torch.ones([2], { device: "meta" });
const under = <T>(mode: torch.TorchDispatchMode, f: () => T) => mode.run(f);

class MyHop extends torch.HigherOrderOperator {
  constructor() {
    super("my_hop");
  }
}
const myHop = new MyHop();

class Plain extends torch.TorchDispatchMode {
  override torchDispatch(func: OpOverload, _t: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    trace.push(`Plain ${String(func)}`);
    return func(...args, { ...kwargs });
  }
}
class Supports extends torch.TorchDispatchMode {
  override supportsHigherOrderOperators = true;
  override torchDispatch(func: OpOverload, types: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    trace.push(`Supports ${String(func)} types=[${types.join(", ")}] nargs=${args.length} kwargs=[${Object.keys(kwargs).sort().join(", ")}]`);
    if (func instanceof torch.HigherOrderOperator) return "handled by mode";
    return func(...args, { ...kwargs });
  }
}
class Ruled extends torch.TorchDispatchMode {}
class Declines extends torch.TorchDispatchMode {}

describe("HigherOrderOperator", () => {
  it("is registered as torch.ops.higher_order.<name> and prints as its name", () => {
    expect({ str: String(myHop), namespace: myHop.namespace, registered: (torch.ops.higher_order!.my_hop as unknown) === myHop }).toEqual(fx.meta);
  });

  // the registrations happen in the fixture's order, each scenario runs after the ones before it
  const steps: Array<[string, () => unknown]> = [
    ["unknown_name", () => torch.ops.higher_order!.nope],
    ["no_kernels", () => myHop(x)],
    [
      "explicit_only",
      () => {
        myHop.pyImpl("CompositeExplicitAutograd", (t: Tensor, y?: number) => {
          trace.push(`CompositeExplicitAutograd ${t.device}`);
          return y === undefined ? t.mul(2) : t.mul(y);
        });
        return myHop(x);
      },
    ],
    ["explicit_only_meta", () => myHop(meta())],
    [
      "autograd_then_explicit",
      () => {
        myHop.pyImpl("Autograd", (t: Tensor, y?: number) => {
          trace.push("Autograd");
          return torch.withBelowAutograd(() => (y === undefined ? myHop(t) : myHop(t, y)));
        });
        return myHop(x);
      },
    ],
    ["meta_shape", () => [...(myHop(meta()) as Tensor).shape]],
    ["with_kwarg", () => myHop(x, 3)],
    ["mode_without_rule", () => under(new Plain(), () => myHop(x))],
    ["mode_supports_hops", () => under(new Supports(), () => myHop(x, 3))],
    [
      "mode_rule",
      () => {
        myHop.pyImpl(Ruled, (_m: unknown, t: Tensor) => {
          trace.push(`rule for Ruled, stack length ${torch.dispatchModeStack().length}`);
          return (myHop(t) as Tensor).add(1);
        });
        return under(new Ruled(), () => myHop(x));
      },
    ],
    ["subclass_without_rule", () => myHop(torch.LoggingTensor.wrap(x))],
    [
      "subclass_rule_not_implemented",
      () => {
        myHop.pyImpl(torch.LoggingTensor, () => {
          trace.push("rule for LoggingTensor");
          return torch.NotImplemented;
        });
        return myHop(torch.LoggingTensor.wrap(x));
      },
    ],
    [
      "mode_rule_not_implemented",
      () => {
        myHop.pyImpl(Declines, () => {
          trace.push("rule for Declines");
          return torch.NotImplemented;
        });
        return under(new Declines(), () => myHop(x));
      },
    ],
    ["override_key", () => myHop.pyImpl("Autograd", (t: Tensor) => t)],
    ["override_class", () => myHop.pyImpl(Ruled, (_m: unknown, t: Tensor) => t)],
  ];

  class Hop2 extends torch.HigherOrderOperator {
    constructor() {
      super("hop_two");
    }
  }
  const hopTwo = new Hop2();
  hopTwo.pyImpl("CPU", (xs: Tensor[]) => {
    trace.push(`CPU nested ${xs.length}`);
    return xs[0]!.add(xs[1]!);
  });
  hopTwo.pyImpl("AutogradCPU", (xs: Tensor[]) => {
    trace.push("AutogradCPU");
    return torch.withBelowAutograd(() => hopTwo(xs));
  });
  steps.push(
    ["nested_tensor_args", () => hopTwo([x, x])],
    ["nested_meta", () => hopTwo([meta(), meta()])],
    [
      "after_fallthrough",
      () => {
        hopTwo.fallthrough("AutogradCPU");
        return hopTwo([x, x]);
      },
    ],
  );

  it("every fixture scenario has a step here", () => {
    expect(steps.map((s) => s[0]).sort()).toEqual(Object.keys(fx).filter((k) => k !== "meta").sort());
  });
  it("runs the kernels PyTorch runs, with the same results and errors", () => {
    for (const [name, run] of steps) expect(outcome(run), name).toEqual(fx[name]);
  });
});
