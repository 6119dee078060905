// The `aten-ts` command: run a script under a logging mode, fake tensors, the tracer or the
// profiler, or inspect the dispatcher (operators, dispatch tables). Errors print one line naming
// the problem and exit non-zero; a script that throws prints its stack and exits 1.

import { CliError, loadScript } from "./load-script.js";
import { fakeCommand, logCommand, opsCommand, profileCommand, tableCommand, traceCommand, type Options } from "./commands.js";

const HELP: Record<string, string> = {
  main: `aten-ts: PyTorch's operator dispatcher in TypeScript

Usage: aten-ts <command> [options]

Commands:
  log <script>       run a script under LoggingMode: every op with argument/result shapes
  fake <script>      run a script on fake tensors: output shapes and the bytes a real run needs
  trace <script>     trace a script into a graph (makeFx)
  profile <script>   profile a script: Chrome trace and a table of time per op
  ops [pattern]      list registered operators with their schemas
  table <op>         the dispatch table of one operator

A script is a .ts, .mjs or .js module: export default function (torch) { ... } (sync or async).
Run 'aten-ts <command> --help' for a command's options.`,
  log: `Usage: aten-ts log <script> [--json]

Runs the script under LoggingMode and prints each operator call with argument and result
shapes/dtypes; calls made inside an op's kernels are indented below it.
  --json   print the log as JSON`,
  fake: `Usage: aten-ts fake <script> [--json]

Runs the script under FakeTensorMode (no kernel runs on real data) and prints the result's
shapes/dtypes and the bytes a real run would allocate.
  --json   print the report as JSON`,
  trace: `Usage: aten-ts trace <script> [--format text|json|dot|code] [-o file]

Traces the script with makeFx and prints (or writes) the graph.
  --format   text (torch.fx style, default), json, dot (Graphviz) or code (TypeScript)
  -o, --output FILE   write to FILE instead of printing`,
  profile: `Usage: aten-ts profile <script> [-o trace.json] [--top N]

Profiles the script: writes a Chrome trace (open in https://ui.perfetto.dev) and prints the top
ops by total time.
  -o, --output FILE   trace file (default trace.json)
  --top N             rows in the table (default 20)`,
  ops: `Usage: aten-ts ops [pattern] [--json]

Lists registered operators with their schemas; the pattern matches qualified names (* and ?
wildcards), e.g. 'aten::add*'.
  --json   print as JSON`,
  table: `Usage: aten-ts table <op> [--json]

Prints the dispatch table of one operator: for every dispatch key, its kernel, fallthrough,
backend fallback, or missing. <op> is e.g. aten::add.Tensor (aten:: may be omitted).
  --json   print as JSON`,
};

const FLAGS: Record<string, readonly string[]> = {
  log: ["--json"],
  fake: ["--json"],
  trace: ["--format", "-o", "--output"],
  profile: ["-o", "--output", "--top"],
  ops: ["--json"],
  table: ["--json"],
};
const WITH_VALUE = new Set(["--format", "-o", "--output", "--top"]);

function parse(cmd: string, argv: string[]): { positional: string[]; opts: Options; help: boolean } {
  const positional: string[] = [];
  const opts: Options = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") {
      help = true;
      continue;
    }
    if (!a.startsWith("-") || a === "-") {
      positional.push(a);
      continue;
    }
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    if (!FLAGS[cmd]!.includes(flag)) throw new CliError(`unknown option '${flag}' for '${cmd}' (see aten-ts ${cmd} --help)`);
    let value: string | undefined;
    if (WITH_VALUE.has(flag)) {
      value = inline ?? argv[++i];
      if (value === undefined) throw new CliError(`option '${flag}' needs a value`);
    }
    if (flag === "--json") opts.json = true;
    else if (flag === "--format") opts.format = value;
    else if (flag === "-o" || flag === "--output") opts.output = value;
    else if (flag === "--top") {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) throw new CliError(`--top needs a positive integer, got '${value}'`);
      opts.top = n;
    }
  }
  return { positional, opts, help };
}

/** Runs the command line; returns the exit code. */
export async function run(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === "--help" || cmd === "-h" || cmd === "help") {
    out(HELP.main!);
    return cmd === undefined ? 2 : 0;
  }
  if (!(cmd in FLAGS)) {
    err(`aten-ts: unknown command '${cmd}' (expected one of: ${Object.keys(FLAGS).join(", ")}; see aten-ts --help)`);
    return 2;
  }
  try {
    const { positional, opts, help } = parse(cmd, rest);
    if (help) {
      out(HELP[cmd]!);
      return 0;
    }
    if (cmd === "ops") {
      opsCommand(positional[0], opts, out);
      return 0;
    }
    if (cmd === "table") {
      tableCommand(positional[0], opts, out);
      return 0;
    }
    if (positional.length === 0) throw new CliError(`'${cmd}' needs a script (see aten-ts ${cmd} --help)`);
    if (positional.length > 1) throw new CliError(`'${cmd}' takes one script, got ${positional.length} arguments`);
    const main = await loadScript(positional[0]!);
    const progress = (s: string) => process.stderr.write(`${s}\r`);
    try {
      if (cmd === "log") await logCommand(main, opts, out);
      else if (cmd === "fake") await fakeCommand(main, opts, out);
      else if (cmd === "trace") await traceCommand(main, opts, out);
      else await profileCommand(main, opts, out, progress);
    } catch (e) {
      if (e instanceof CliError) throw e;
      err(`aten-ts: the script ${positional[0]} threw:`);
      err(e instanceof Error ? (e.stack ?? String(e)) : String(e));
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      err(`aten-ts: ${e.message}`);
      return e.code;
    }
    err(`aten-ts: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
