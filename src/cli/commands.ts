// The `aten-ts` subcommands: log, fake, trace, profile (run a script under a mode or tool) and
// ops, table (inspect the dispatcher). Each returns the text to print; main.ts handles argv.

import { writeFileSync } from "node:fs";
import * as torch from "../index.js";
import { dispatcher } from "../dispatcher/dispatcher.js";
import { DispatchKey, dispatchKeyName } from "../core/dispatch-key.js";
import { ALL_RUNTIME_KEYS } from "../core/dispatch-key-set.js";
import { describeValue } from "../modes/logging-mode.js";
import { CliError, type ScriptMain } from "./load-script.js";
import { NestedLoggingMode, formatLog } from "./nested-log.js";

/** Parsed options shared by the commands. */
export interface Options {
  json?: boolean;
  format?: string;
  output?: string;
  top?: number;
}

type Out = (line: string) => void;

function describeResult(v: unknown): string {
  if (v === undefined) return "(no result)";
  if (Array.isArray(v)) return `[${v.map(describeResult).join(", ")}]`;
  if (v instanceof torch.Tensor) return `${describeValue(v)} ${v.dtype} strides=[${v.stride().join(", ")}]`;
  if (v !== null && typeof v === "object") return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${describeResult(x)}`).join(", ")} }`;
  return String(v);
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** `aten-ts log <script>` */
export async function logCommand(main: ScriptMain, opts: Options, out: Out): Promise<void> {
  const mode = new NestedLoggingMode();
  const h = mode.enter();
  try {
    await main(torch);
  } finally {
    h.exit();
  }
  if (opts.json) out(JSON.stringify(mode.roots, null, 2));
  else for (const line of formatLog(mode.roots)) out(line);
}

/** `aten-ts fake <script>` */
export async function fakeCommand(main: ScriptMain, opts: Options, out: Out): Promise<void> {
  const mode = new torch.FakeTensorMode();
  const h = mode.enter();
  let result: unknown;
  try {
    result = await main(torch);
  } finally {
    h.exit();
  }
  if (opts.json) {
    out(JSON.stringify({ result: describeResult(result), ops: mode.opCount, peakBytes: mode.peakBytes }, null, 2));
    return;
  }
  out(`result: ${describeResult(result)}`);
  out(`ops run on fake tensors: ${mode.opCount}`);
  out(`memory a real run would allocate (upper bound, no frees): ${bytes(mode.peakBytes)} (${mode.peakBytes} bytes)`);
}

/** `aten-ts trace <script>` */
export async function traceCommand(main: ScriptMain, opts: Options, out: Out): Promise<void> {
  const format = opts.format ?? "text";
  if (!["text", "json", "dot", "code"].includes(format)) throw new CliError(`unknown format '${format}' (expected text, json, dot or code)`);
  let pending: unknown;
  const gm = torch.makeFx(() => {
    pending = main(torch);
    if (pending instanceof Promise) throw new CliError("trace needs a synchronous script (its default export returned a Promise)");
    return pending;
  })();
  const text =
    format === "json" ? JSON.stringify(gm.toJSON(), null, 2) : format === "dot" ? gm.toDot() : format === "code" ? gm.code : String(gm.graph);
  if (opts.output) {
    writeFileSync(opts.output, text.endsWith("\n") ? text : text + "\n");
    out(`wrote ${opts.output} (${gm.graph.nodes.length} nodes)`);
  } else {
    out(text.replace(/\n$/, ""));
  }
}

/** `aten-ts profile <script>` */
export async function profileCommand(main: ScriptMain, opts: Options, out: Out, progress: (s: string) => void): Promise<void> {
  const start = Date.now();
  let ops = 0;
  let lastPrint = 0;
  const tick = torch.addGlobalCallback({
    start: () => {
      ops++;
      const t = Date.now() - start;
      if (t > 1000 && t - lastPrint > 500) {
        lastPrint = t;
        progress(`  running... ${(t / 1000).toFixed(1)} s, ${ops} ranges`);
      }
    },
  });
  const timer = setInterval(() => progress(`  running... ${((Date.now() - start) / 1000).toFixed(1)} s, ${ops} ranges`), 1000);
  let p: torch.Profile<unknown>;
  try {
    let r: unknown;
    p = torch.profile(() => (r = main(torch)));
    if (r instanceof Promise) await r;
  } finally {
    clearInterval(timer);
    tick.remove();
  }
  const file = opts.output ?? "trace.json";
  writeFileSync(file, JSON.stringify(p.toChromeTrace()));
  out(`wrote ${file}: ${p.events.length} events (open it in https://ui.perfetto.dev or chrome://tracing)`);
  out("");
  out(p.table(opts.top ?? 20));
}

/** `aten-ts ops [pattern]` */
export function opsCommand(pattern: string | undefined, opts: Options, out: Out): void {
  const re = pattern ? new RegExp(pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")) : null;
  const rows = dispatcher
    .allOperators()
    .filter((o) => !re || re.test(o.qualifiedName))
    .sort((a, b) => a.qualifiedName.localeCompare(b.qualifiedName));
  if (opts.json) {
    out(JSON.stringify(rows.map((o) => ({ name: o.qualifiedName, schema: String(o.schema) })), null, 2));
    return;
  }
  for (const o of rows) out(String(o.schema));
  out(`${rows.length} operator${rows.length === 1 ? "" : "s"}`);
}

/** `aten-ts table <op>`: every runtime key with its kernel, fallthrough, fallback, or missing. */
export function tableCommand(name: string | undefined, opts: Options, out: Out): void {
  if (!name) throw new CliError("table needs an operator name, e.g. aten-ts table aten::add.Tensor");
  const qualified = (name.includes("::") ? name : `aten::${name}`).replace(/\.default$/, "");
  const op = dispatcher.findOp(qualified);
  if (!op || !op.schema) throw new CliError(`unknown operator '${name}' (try: aten-ts ops '${name.split(".")[0]}*')`);
  const rows = [DispatchKey.Undefined as DispatchKey, ...ALL_RUNTIME_KEYS].map((k) => {
    const [kernel, debug, reason] = op.computeEntry(k, (key) => dispatcher.fallbackFor(key), dispatcher.ambiguousKernel, dispatcher.missingKernel);
    const status = !kernel.isValid ? "missing" : kernel.isFallthrough ? "fallthrough" : reason === "backend fallback" ? "fallback" : "kernel";
    return { key: dispatchKeyName(k), status, reason, debug: kernel.isValid ? debug : "" };
  });
  if (opts.json) {
    out(JSON.stringify({ op: op.qualifiedName, schema: String(op.schema), table: rows }, null, 2));
    return;
  }
  out(String(op.schema));
  const w = Math.max(...rows.map((r) => r.key.length));
  for (const r of rows) out(`  ${r.key.padEnd(w)}  ${r.status.padEnd(11)}  ${r.status === "missing" ? "" : `${r.debug} [${r.reason}]`}`.trimEnd());
}
