// RECORD_FUNCTION: global callbacks fired around each top-level operator call (and around user
// scopes and, later, backward functions), which profilers build on. With no callback registered
// the dispatcher pays one boolean load per call. See dispatch-semantics.md §10.

/** What a range belongs to (PyTorch's RecordScope, the ones aten-ts emits). */
export type RecordScope = "function" | "backward_function" | "user_scope";

/** One recorded range, handed to start and end callbacks. */
export interface RecordFunctionEvent {
  /** `aten::add`, `PythonDispatchMode`, or a user scope's name. */
  readonly name: string;
  /** The overload name (`Tensor`), "" for the default overload and for non-op ranges. */
  readonly overloadName: string;
  readonly scope: RecordScope;
  /** Autograd sequence number when autograd is involved, else -1. */
  readonly sequenceNr: number;
  /** The boxed arguments (defaults filled in), when some callback asked for inputs. */
  readonly inputs: readonly unknown[] | undefined;
  /** The results, after the range's body returned, when some callback asked for outputs. */
  outputs: readonly unknown[] | undefined;
  /** A per-process increasing id of this range. */
  readonly handle: number;
  /** Nesting depth of ranges when this one started (0 = top level). */
  readonly depth: number;
}

/** A pair of callbacks and what they need. */
export interface RecordFunctionCallback {
  /** Called when a range starts; whatever it returns is handed to `end`. */
  start?: (ev: RecordFunctionEvent) => unknown;
  /** Called when the range ends, also when its body throws. */
  end?: (ev: RecordFunctionEvent, state: unknown) => void;
  needsInputs?: boolean;
  needsOutputs?: boolean;
  /** Probability that a range is recorded, in [0, 1] (start and end are sampled together). */
  samplingProb?: number;
  /** Scopes to observe; empty or absent = all. */
  scopes?: readonly RecordScope[];
}

/** Returned by {@link addGlobalCallback}: remove, disable or re-enable the callback. */
export interface CallbackHandle {
  remove(): void;
  disable(): void;
  enable(): void;
}

interface Entry {
  cb: RecordFunctionCallback;
  enabled: boolean;
}

const entries: Entry[] = [];
let nextHandle = 1;
let depth = 0;
let globallyEnabled = true;

/**
 * The dispatcher's hot-path flag: true when some enabled callback exists. Read as
 * `recordFunctionState.active`; do not write it.
 */
export const recordFunctionState = { active: false, needsInputs: false };

function refresh(): void {
  let active = false;
  let needsInputs = false;
  for (const e of entries) {
    if (!e.enabled) continue;
    active = true;
    if (e.cb.needsInputs) needsInputs = true;
  }
  recordFunctionState.active = active && globallyEnabled;
  recordFunctionState.needsInputs = needsInputs;
}

/**
 * Registers a global callback pair.
 * @throws Error "Invalid sampling probability" for a probability outside [0, 1]
 * @example
 * const h = addGlobalCallback({ start: (ev) => console.log(ev.name) });
 * ops.aten.add(x, x); // logs "aten::add"
 * h.remove();
 */
export function addGlobalCallback(cb: RecordFunctionCallback): CallbackHandle {
  const p = cb.samplingProb ?? 1;
  if (!(p >= 0 && p <= 1)) throw new Error("Invalid sampling probability");
  const entry: Entry = { cb, enabled: true };
  entries.push(entry);
  refresh();
  return {
    remove() {
      const i = entries.indexOf(entry);
      if (i >= 0) entries.splice(i, 1);
      refresh();
    },
    disable() {
      entry.enabled = false;
      refresh();
    },
    enable() {
      entry.enabled = true;
      refresh();
    },
  };
}

/**
 * Switches all recording on or off (PyTorch's `enableRecordFunction`).
 * @example
 * torch.enableRecordFunction(false) // callbacks stop firing
 */
export function enableRecordFunction(on: boolean): void {
  globallyEnabled = on;
  refresh();
}

/** Is recording on and some callback registered? */
export function isRecordFunctionEnabled(): boolean {
  return recordFunctionState.active;
}

/**
 * Runs `body` inside a range. Callbacks that observe `scope` see start before and end after it,
 * also when it throws. `inputs` is produced lazily, only if a callback needs it.
 */
export function runInRecordFunction<T>(
  scope: RecordScope,
  name: string,
  overloadName: string,
  sequenceNr: number,
  inputs: (() => readonly unknown[]) | undefined,
  body: () => T,
  outputsOf?: (result: T) => readonly unknown[],
): T {
  const active: Entry[] = [];
  let wantInputs = false;
  let wantOutputs = false;
  for (const e of entries) {
    if (!e.enabled) continue;
    const scopes = e.cb.scopes;
    if (scopes && scopes.length > 0 && !scopes.includes(scope)) continue;
    const p = e.cb.samplingProb ?? 1;
    if (p < 1 && Math.random() >= p) continue;
    active.push(e);
    if (e.cb.needsInputs) wantInputs = true;
    if (e.cb.needsOutputs) wantOutputs = true;
  }
  if (active.length === 0) return body();
  const ev: RecordFunctionEvent = {
    name,
    overloadName,
    scope,
    sequenceNr,
    inputs: wantInputs && inputs ? inputs() : undefined,
    outputs: undefined,
    handle: nextHandle++,
    depth,
  };
  const states: unknown[] = active.map((e) => (e.cb.start ? e.cb.start(ev) : undefined));
  depth++;
  try {
    const result = body();
    if (wantOutputs) ev.outputs = outputsOf ? outputsOf(result) : [result];
    return result;
  } finally {
    depth--;
    for (let i = active.length - 1; i >= 0; i--) active[i]!.cb.end?.(ev, states[i]);
  }
}

/**
 * A user scope (PyTorch's `torch.profiler.record_function(name)`): a range around fn.
 * @example
 * recordFunction("my_block", () => model(x))
 */
export function recordFunction<T>(name: string, fn: () => T): T {
  if (!recordFunctionState.active) return fn();
  return runInRecordFunction("user_scope", name, "", -1, undefined, fn);
}
