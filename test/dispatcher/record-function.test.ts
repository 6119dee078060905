// RECORD_FUNCTION hooks: one range per top-level call (not per redispatch hop), inputs with
// defaults when asked for, nesting, ranges closed on throw, unobserved ops (§10; scenario 53).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { DispatchKey } from "../../src/core/dispatch-key.js";
import { DispatchKeySet } from "../../src/core/dispatch-key-set.js";
import { Library } from "../../src/dispatcher/library.js";
import { ops } from "../../src/dispatcher/op-overload.js";
import {
  type CallbackHandle,
  type RecordFunctionEvent,
  addGlobalCallback,
  enableRecordFunction,
  isRecordFunctionEnabled,
  recordFunction,
} from "../../src/dispatcher/record-function.js";
import { ensureStandardFallbacks } from "../../src/dispatcher/standard-fallbacks.js";
import { FakeT, cpu, freshNs } from "./helpers.js";

beforeAll(() => ensureStandardFallbacks());
const handles: CallbackHandle[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.remove()));

function record(opts: { needsInputs?: boolean; needsOutputs?: boolean } = {}) {
  const events: Array<{ phase: string; ev: RecordFunctionEvent }> = [];
  handles.push(
    addGlobalCallback({
      ...opts,
      start: (ev) => void events.push({ phase: "start", ev }),
      end: (ev) => void events.push({ phase: "end", ev }),
    }),
  );
  return events;
}

describe("record-function callbacks", () => {
  it("given a callback needing inputs, when an op hops AutogradCPU -> CPU, then one range with the boxed inputs (scenario 53)", () => {
    const ns = freshNs();
    const lib = new Library(ns, "DEF");
    lib.define("add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor");
    lib.impl("add.Tensor", (a: FakeT) => a, "CPU");
    const events = record({ needsInputs: true, needsOutputs: true });
    const x = cpu();
    ops[ns]!.add!.Tensor!(x, x);
    expect(events.map((e) => `${e.phase} ${e.ev.name}.${e.ev.overloadName}`)).toEqual([`start ${ns}::add.Tensor`, `end ${ns}::add.Tensor`]);
    expect(events[0]!.ev.inputs).toEqual([x, x, 1]);
    expect(events[1]!.ev.outputs).toEqual([x]);
    expect(events[0]!.ev.sequenceNr).toBeGreaterThanOrEqual(0);
    lib.dispose();
  });

  it("nests ranges for ops called inside kernels and closes them when the kernel throws", () => {
    const ns = freshNs();
    const lib = new Library(ns, "DEF");
    lib.define("inner(Tensor x) -> Tensor");
    lib.define("outer(Tensor x) -> Tensor");
    lib.define("bad(Tensor x) -> Tensor");
    lib.impl("inner", (x: FakeT) => x, "CPU");
    lib.impl("outer", (x: FakeT) => ops[ns]!.inner!(x), "CPU");
    lib.impl("bad", () => {
      throw new Error("kernel failed");
    }, "CPU");
    const events = record();
    ops[ns]!.outer!(cpu());
    expect(events.map((e) => `${e.phase} ${e.ev.name} ${e.ev.depth}`)).toEqual([
      `start ${ns}::outer 0`,
      `start ${ns}::inner 1`,
      `end ${ns}::inner 1`,
      `end ${ns}::outer 0`,
    ]);
    events.length = 0;
    expect(() => ops[ns]!.bad!(cpu())).toThrow("kernel failed");
    expect(events.map((e) => e.phase)).toEqual(["start", "end"]);
    lib.dispose();
  });

  it("records nothing for unobserved ops such as aten::size, and -1 as sequence number without autograd keys", () => {
    const lib = new Library("aten", "FRAGMENT");
    lib.define("size.int(Tensor self, int dim) -> int");
    lib.impl("size.int", () => 2, "CPU");
    const ns = freshNs();
    const l2 = new Library(ns, "DEF");
    l2.define("f(Tensor x) -> Tensor");
    l2.impl("f", (x: FakeT) => x, "CompositeExplicitAutograd");
    const events = record();
    ops.aten!.size!.int!(cpu(), 0);
    expect(events).toHaveLength(0);
    ops[ns]!.f!(new FakeT(DispatchKeySet.of(DispatchKey.CPU).raw, "plain"));
    expect(events[0]!.ev.sequenceNr).toBe(-1);
    lib.dispose();
    l2.dispose();
  });

  it("can be disabled, re-enabled, removed, switched off globally, and sampled", () => {
    const ns = freshNs();
    const lib = new Library(ns, "DEF");
    lib.define("f(Tensor x) -> Tensor");
    lib.impl("f", (x: FakeT) => x, "CPU");
    const events = record();
    const h = handles[0]!;
    h.disable();
    expect(isRecordFunctionEnabled()).toBe(false);
    ops[ns]!.f!(cpu());
    h.enable();
    enableRecordFunction(false);
    ops[ns]!.f!(cpu());
    enableRecordFunction(true);
    ops[ns]!.f!(cpu());
    expect(events).toHaveLength(2);
    expect(() => addGlobalCallback({ samplingProb: 1.5 })).toThrow("Invalid sampling probability");
    const never: RecordFunctionEvent[] = [];
    handles.push(addGlobalCallback({ samplingProb: 0, start: (ev) => void never.push(ev) }));
    ops[ns]!.f!(cpu());
    expect(never).toHaveLength(0);
    lib.dispose();
  });

  it("user scopes open a user_scope range; scope filters select what a callback sees", () => {
    const seen: string[] = [];
    handles.push(addGlobalCallback({ scopes: ["user_scope"], start: (ev) => void seen.push(`${ev.scope} ${ev.name}`) }));
    expect(recordFunction("my_block", () => 42)).toBe(42);
    expect(seen).toEqual(["user_scope my_block"]);
  });
});
