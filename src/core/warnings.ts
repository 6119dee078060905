// Python-style warnings (PyTorch's TORCH_WARN / TORCH_WARN_ONCE -> `UserWarning`). Warnings go
// to a replaceable handler (console.warn by default) so tests and tools can capture them.

/** One emitted warning. */
export interface Warning {
  readonly category: string;
  readonly message: string;
}

type Handler = (w: Warning) => void;
let handler: Handler = (w) => console.warn(`${w.category}: ${w.message}`);

/**
 * Emits a warning through the current handler.
 * @example
 * warn("Overriding a previously registered kernel ...")
 */
export function warn(message: string, category = "UserWarning"): void {
  handler({ category, message });
}

/**
 * Runs fn while collecting warnings instead of printing them (Python's
 * `warnings.catch_warnings(record=True)`); returns fn's result and the warnings.
 * @example
 * const { warnings } = catchWarnings(() => lib.impl("foo", k2, "CPU"));
 */
export function catchWarnings<T>(fn: () => T): { result: T; warnings: Warning[] } {
  const saved = handler;
  const warnings: Warning[] = [];
  handler = (w) => warnings.push(w);
  try {
    return { result: fn(), warnings };
  } finally {
    handler = saved;
  }
}

/**
 * Where the code that called into aten-ts lives, as `file:line` (for "registered at" texts):
 * the first stack frame outside aten-ts's own sources. Returns "unknown" where stacks are absent.
 */
export function callerLocation(skipFramesMatching: RegExp = /[\\/](src|dist)[\\/](core|dispatcher|tensor|aten|backends|torch-dispatch|modes|fx|autograd|index)/): string {
  const stack = new Error().stack ?? "";
  for (const line of stack.split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?[^()\s]+):(\d+):\d+\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const file = m[1]!.replace(/^file:\/\//, "");
    if (skipFramesMatching.test(file) || file.startsWith("node:")) continue;
    return `${file}:${m[2]}`;
  }
  return "unknown";
}
