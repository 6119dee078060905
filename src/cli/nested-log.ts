// The `aten-ts log` recorder: a LoggingMode whose entries also collect, as children, the operator
// calls that run inside each logged op (observed through record-function ranges), so the log can
// be printed indented by nesting.

import { addGlobalCallback } from "../dispatcher/record-function.js";
import type { OpOverload } from "../dispatcher/op-overload.js";
import { describeValue } from "../modes/logging-mode.js";
import { TorchDispatchMode, type TensorClass } from "../torch-dispatch/torch-dispatch-mode.js";

/** One logged call with the calls made inside it. */
export interface LogEntry {
  op: string;
  args: string[];
  kwargs: Record<string, string>;
  outputs: string[];
  children: LogEntry[];
}

const describeOut = (v: unknown): string[] => (Array.isArray(v) ? v.map(describeValue) : v === undefined ? [] : [describeValue(v)]);

/** Records calls at the Python key and, below each, the nested calls its kernels make. */
export class NestedLoggingMode extends TorchDispatchMode {
  readonly roots: LogEntry[] = [];

  override torchDispatch(func: OpOverload, _types: readonly TensorClass[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    const entry: LogEntry = {
      op: String(func),
      args: args.map(describeValue),
      kwargs: Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, describeValue(v)])),
      outputs: [],
      children: [],
    };
    this.roots.push(entry);
    const frame = { baseDepth: null as number | null, stack: [] as Array<{ e: LogEntry; depth: number }> };
    const h = addGlobalCallback({
      needsInputs: true,
      needsOutputs: true,
      scopes: ["function"],
      start: (ev) => {
        if (ev.name === "PythonDispatchMode" || ev.name === "PythonSubclass") return null;
        if (frame.baseDepth === null) {
          frame.baseDepth = ev.depth; // the handler's own call of func
          return null;
        }
        if (ev.depth <= frame.baseDepth) return null;
        const child: LogEntry = {
          op: `${ev.name.replace("::", ".")}.${ev.overloadName || "default"}`,
          args: (ev.inputs ?? []).map(describeValue),
          kwargs: {},
          outputs: [],
          children: [],
        };
        while (frame.stack.length > 0 && frame.stack[frame.stack.length - 1]!.depth >= ev.depth) frame.stack.pop();
        (frame.stack[frame.stack.length - 1]?.e.children ?? entry.children).push(child);
        frame.stack.push({ e: child, depth: ev.depth });
        return child;
      },
      end: (ev, state) => {
        if (state) (state as LogEntry).outputs = describeOut(ev.outputs?.length === 1 ? ev.outputs[0] : ev.outputs);
      },
    });
    try {
      const out = func(...args, { ...kwargs });
      entry.outputs = describeOut(out);
      return out;
    } finally {
      h.remove();
    }
  }
}

/** Prints entries one per line, children indented two spaces per level. */
export function formatLog(entries: readonly LogEntry[], indent = 0): string[] {
  const lines: string[] = [];
  for (const e of entries) {
    const parts = [...e.args, ...Object.entries(e.kwargs).map(([k, v]) => `${k}=${v}`)];
    const out = e.outputs.length === 1 ? e.outputs[0] : `(${e.outputs.join(", ")})`;
    lines.push(`${"  ".repeat(indent)}${e.op}(${parts.join(", ")}) -> ${out}`);
    lines.push(...formatLog(e.children, indent + 1));
  }
  return lines;
}
