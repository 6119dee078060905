// LoggingMode and LoggingTensor: record every operator call that reaches the Python key (op,
// argument and result shapes/dtypes), like PyTorch's LoggingTensorMode / LoggingTensor in
// torch/testing/_internal/logging_tensor.py, and print a readable log.

import type { OpOverload } from "../dispatcher/op-overload.js";
import { Tensor } from "../tensor/tensor.js";
import { TorchDispatchMode, type TensorClass } from "../torch-dispatch/torch-dispatch-mode.js";

/** One recorded call. */
export interface LoggedCall {
  /** `aten.add.Tensor` */
  readonly op: string;
  /** Positional arguments, described (`f32[2, 3]` for tensors, JSON for the rest). */
  readonly args: readonly string[];
  /** Keyword arguments, described. */
  readonly kwargs: Readonly<Record<string, string>>;
  /** Results, described. */
  readonly outputs: readonly string[];
  /** Names of the tensor subclasses involved (`types`). */
  readonly types: readonly string[];
}

const SHORT: Record<string, string> = {
  float32: "f32",
  float64: "f64",
  int64: "i64",
  int32: "i32",
  int16: "i16",
  int8: "i8",
  uint8: "u8",
  bool: "b8",
};

/**
 * `f32[2, 3]` (with `meta` for meta tensors).
 * @example
 * describeValue(torch.ones([2, 3])) // "f32[2, 3]"
 */
export function describeValue(v: unknown): string {
  if (v instanceof Tensor) return `${SHORT[v.dtype] ?? v.dtype}[${v.shape.join(", ")}]${v.device === "meta" ? "(meta)" : ""}`;
  if (Array.isArray(v)) return `[${v.map(describeValue).join(", ")}]`;
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

function outputsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.map(describeValue) : v === undefined ? [] : [describeValue(v)];
}

/**
 * Formats a call as one line: `aten.add.Tensor(f32[2], f32[2], alpha=2) -> f32[2]`.
 * @example
 * LoggingMode.record(() => x.add(x)).log.map(formatCall)
 */
export function formatCall(c: LoggedCall): string {
  const parts = [...c.args, ...Object.entries(c.kwargs).map(([k, v]) => `${k}=${v}`)];
  const out = c.outputs.length === 1 ? c.outputs[0] : `(${c.outputs.join(", ")})`;
  return `${c.op}(${parts.join(", ")}) -> ${out}`;
}

function recordCall(func: OpOverload, types: readonly TensorClass[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>, out: unknown): LoggedCall {
  return {
    op: String(func),
    args: args.map(describeValue),
    kwargs: Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, describeValue(v)])),
    outputs: outputsOf(out),
    types: types.map((t) => (t as { name: string }).name),
  };
}

/**
 * A dispatch mode that records every operator call and forwards it.
 * @example
 * const mode = new LoggingMode();
 * mode.run(() => x.add(y).sum());
 * console.log(mode.text()); // aten.add.Tensor(f32[2], f32[2]) -> f32[2] ...
 */
export class LoggingMode extends TorchDispatchMode {
  /** The calls recorded so far. */
  readonly log: LoggedCall[] = [];

  override torchDispatch(func: OpOverload, types: readonly TensorClass[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    const out = func(...args, { ...kwargs });
    this.log.push(recordCall(func, types, args, kwargs, out));
    return out;
  }

  /** The log, one call per line. */
  text(): string {
    return this.log.map(formatCall).join("\n");
  }

  /**
   * Runs fn under a fresh LoggingMode and returns its result with the log.
   * @example
   * const { result, log } = LoggingMode.record(() => x.mul(2));
   */
  static record<T>(fn: () => T): { result: T; log: LoggedCall[]; text: string } {
    const m = new LoggingMode();
    const result = m.run(fn);
    return { result, log: m.log, text: m.text() };
  }
}

/**
 * A wrapper subclass that logs every operator run on it (PyTorch's LoggingTensor): it unwraps,
 * runs the op, wraps the results, and appends to `LoggingTensor.log`.
 * @example
 * const t = LoggingTensor.wrap(torch.ones([2]));
 * t.mul(2); LoggingTensor.log // [{ op: "aten.mul.Tensor", ... }]
 */
export class LoggingTensor extends Tensor {
  /** The wrapped tensor. */
  elem!: Tensor;
  /** Calls recorded on any LoggingTensor. */
  static log: LoggedCall[] = [];

  /** Wraps a tensor. */
  static wrap(elem: Tensor): LoggingTensor {
    const t = Tensor.makeWrapperSubclass(LoggingTensor, elem.shape, {
      dtype: elem.dtype,
      device: elem.device,
      strides: elem.stride(),
      storageOffset: elem.storageOffset(),
      requiresGrad: elem.requiresGrad,
    });
    t.elem = elem;
    return t;
  }

  static override torchDispatch(func: OpOverload, types: readonly TensorClass[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    const unwrap = (v: unknown): unknown => (v instanceof LoggingTensor ? v.elem : Array.isArray(v) ? v.map(unwrap) : v);
    const wrap = (v: unknown): unknown => (v instanceof Tensor && !(v instanceof LoggingTensor) ? LoggingTensor.wrap(v) : Array.isArray(v) ? v.map(wrap) : v);
    const out = func(...args.map(unwrap), Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, unwrap(v)])));
    LoggingTensor.log.push(recordCall(func, types, args, kwargs, out));
    return wrap(out);
  }
}
