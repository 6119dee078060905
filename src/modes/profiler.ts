// profile(fn): records every RecordFunction range (operators, the Python fallback's
// PythonDispatchMode/PythonSubclass ranges, user scopes) with start/end times, nesting and input
// shapes; exports a Chrome trace (Perfetto, chrome://tracing) and a summary table by op.

import { type RecordFunctionEvent, addGlobalCallback } from "../dispatcher/record-function.js";
import { Tensor } from "../tensor/tensor.js";

/** One recorded range. */
export interface ProfileEvent {
  readonly name: string;
  readonly overloadName: string;
  readonly scope: string;
  /** Start, in microseconds since the profile began. */
  readonly startUs: number;
  /** Duration in microseconds. */
  durationUs: number;
  readonly depth: number;
  readonly sequenceNr: number;
  /** Shapes of the tensor inputs (`[]` for scalars). */
  readonly inputShapes: readonly (readonly number[])[];
}

/** A row of the summary table. */
export interface ProfileRow {
  name: string;
  calls: number;
  totalUs: number;
  selfUs: number;
}

const now: () => number = typeof performance !== "undefined" ? () => performance.now() : () => Date.now();

/**
 * The result of {@link profile}.
 * @example
 * const p = profile(() => model(x));
 * console.log(p.table());
 * writeFileSync("trace.json", JSON.stringify(p.toChromeTrace()));
 */
export class Profile<T = unknown> {
  constructor(
    readonly events: readonly ProfileEvent[],
    readonly result: T,
  ) {}

  /** Chrome trace event format (complete "X" events), loadable by Perfetto and chrome://tracing. */
  toChromeTrace(): { traceEvents: unknown[]; displayTimeUnit: string } {
    return {
      displayTimeUnit: "ms",
      traceEvents: this.events.map((e) => ({
        name: e.name,
        cat: e.scope === "function" ? "cpu_op" : e.scope,
        ph: "X",
        ts: e.startUs,
        dur: e.durationUs,
        pid: 1,
        tid: 1,
        args: { "Input Dims": e.inputShapes, "Sequence number": e.sequenceNr, overload: e.overloadName },
      })),
    };
  }

  /** Per-name totals, sorted by total time (self time excludes nested ranges). */
  rows(): ProfileRow[] {
    const byName = new Map<string, ProfileRow>();
    const childTime = new Map<ProfileEvent, number>();
    const stack: ProfileEvent[] = [];
    for (const e of this.events) {
      while (stack.length > 0 && stack[stack.length - 1]!.depth >= e.depth) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) childTime.set(parent, (childTime.get(parent) ?? 0) + e.durationUs);
      stack.push(e);
    }
    for (const e of this.events) {
      const r = byName.get(e.name) ?? { name: e.name, calls: 0, totalUs: 0, selfUs: 0 };
      r.calls++;
      r.totalUs += e.durationUs;
      r.selfUs += e.durationUs - (childTime.get(e) ?? 0);
      byName.set(e.name, r);
    }
    return [...byName.values()].sort((a, b) => b.totalUs - a.totalUs);
  }

  /** A text table of the top `n` names by total time. */
  table(n = 20): string {
    const rows = this.rows().slice(0, n);
    const w = Math.max(4, ...rows.map((r) => r.name.length));
    const head = `${"Name".padEnd(w)}  ${"Calls".padStart(7)}  ${"Total (us)".padStart(12)}  ${"Self (us)".padStart(12)}`;
    const lines = rows.map((r) => `${r.name.padEnd(w)}  ${String(r.calls).padStart(7)}  ${r.totalUs.toFixed(1).padStart(12)}  ${r.selfUs.toFixed(1).padStart(12)}`);
    return [head, "-".repeat(head.length), ...lines].join("\n");
  }
}

function shapesOf(inputs: readonly unknown[] | undefined): number[][] {
  if (!inputs) return [];
  return inputs.map((v) => (v instanceof Tensor ? [...v.shape] : []));
}

/**
 * Runs fn and records the ranges it opens.
 * @example
 * const p = profile(() => x.matmul(w).relu());
 * p.events.map((e) => e.name) // ["aten::matmul", "aten::mm", "aten::relu"]
 */
export function profile<T>(fn: () => T): Profile<T> {
  const events: ProfileEvent[] = [];
  const t0 = now();
  const h = addGlobalCallback({
    needsInputs: true,
    start: (ev: RecordFunctionEvent) => {
      const e: ProfileEvent = {
        name: ev.name,
        overloadName: ev.overloadName,
        scope: ev.scope,
        startUs: (now() - t0) * 1000,
        durationUs: 0,
        depth: ev.depth,
        sequenceNr: ev.sequenceNr,
        inputShapes: shapesOf(ev.inputs),
      };
      events.push(e);
      return e;
    },
    end: (_ev, state) => {
      const e = state as ProfileEvent;
      e.durationUs = (now() - t0) * 1000 - e.startUs;
    },
  });
  try {
    const result = fn();
    return new Profile(events, result);
  } finally {
    h.remove();
  }
}
