// Small helpers shared by nn and optim: Python-style type names for error texts (torch.typename,
// `<class 'int'>`), the loss reduction enum, and PyTorch's KeyError (JS has none: an Error named
// "KeyError", matched on `err.name` like the classes of core/errors.ts).

import { ValueError } from "../core/errors.js";
import type { DType } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";

const LEGACY: Record<DType, string> = {
  float32: "FloatTensor",
  float64: "DoubleTensor",
  int64: "LongTensor",
  int32: "IntTensor",
  int16: "ShortTensor",
  int8: "CharTensor",
  uint8: "ByteTensor",
  bool: "BoolTensor",
};

/**
 * PyTorch's `torch.typename`: `torch.FloatTensor` for a float32 tensor, the Python type name for
 * JS primitives (`int`, `float`, `str`, `bool`), the class name otherwise.
 * @example
 * typename(torch.zeros([2])) // "torch.FloatTensor"
 */
export function typename(v: unknown): string {
  if (v instanceof Tensor) return `torch.${LEGACY[v.dtype]}`;
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "bigint") return "int";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "function") return "function";
  return (v as object).constructor?.name ?? "object";
}

/** Python's `repr(type(v))`: `<class 'int'>`. */
export function pyClass(v: unknown): string {
  return `<class '${typename(v).replace(/^torch\..*/, "torch.Tensor")}'>`;
}

/** Python's KeyError (an Error whose name is "KeyError"). */
export function keyError(message: string): Error {
  const e = new Error(message);
  e.name = "KeyError";
  return e;
}

/** A loss reduction, as PyTorch's `reduction=` strings. */
export type Reduction = "none" | "mean" | "sum";

/**
 * PyTorch's `_Reduction.get_enum`: "none" -> 0, "mean" -> 1, "sum" -> 2.
 * @example
 * reductionEnum("mean") // 1
 */
export function reductionEnum(reduction: string): number {
  if (reduction === "none") return 0;
  if (reduction === "mean") return 1;
  if (reduction === "sum") return 2;
  throw new ValueError(`${reduction} is not a valid value for reduction`);
}

/** `torch.Size([2, 3])`, as PyTorch prints shapes in messages. */
export function sizeString(shape: readonly number[]): string {
  return `torch.Size([${shape.join(", ")}])`;
}

/**
 * Python's repr of a float: `-1.0`, `0.001`, `1e-08`, as PyTorch's messages print numbers.
 * @example
 * pyFloat(-1) // "-1.0"
 */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const [mant, ex] = v.toExponential().split("e") as [string, string];
  const e = Number(ex);
  if (e < -4 || e >= 16) return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  const s = String(v);
  return s.includes(".") ? s : `${s}.0`;
}

/**
 * Python's repr of a bool: `True` / `False`.
 * @example
 * pyBool(true) // "True"
 */
export function pyBool(v: boolean): string {
  return v ? "True" : "False";
}

/**
 * Python's repr of a tuple of ints: `(3,)`, `(3, 2)`.
 * @example
 * pyTuple([3]) // "(3,)"
 */
export function pyTuple(v: readonly number[]): string {
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`;
}
