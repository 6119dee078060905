// User-facing tensor creation (torch.tensor and the factory functions). `tensor()` builds the data
// on the CPU directly and then calls `aten::lift_fresh` (and `_to_copy` for meta), as PyTorch
// does, so modes see it; the other factories are thin calls of the aten factory operators.

import { callOp } from "../dispatcher/call-op.js";
import { RuntimeError } from "../core/errors.js";
import { DispatchKey } from "../core/dispatch-key.js";
import { AUTOGRAD_DISPATCH_KEYSET, keySetOf } from "../core/dispatch-key-set.js";
import { withExcludedRaw } from "../core/dispatch-context.js";
import { DEFAULT_DTYPE, type DType, type TypedArray, allocArray, isFloatingType, toDType } from "./dtype.js";
import { numelOf } from "./shape.js";
import { type Device, Tensor, type TensorOptions } from "./tensor.js";

/** Nested arrays of numbers, booleans or bigints. */
export type NestedData = number | boolean | bigint | readonly NestedData[];

function inferShape(data: NestedData): number[] {
  const shape: number[] = [];
  let cur: NestedData = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  return shape;
}

function flatten(data: NestedData, shape: readonly number[], dim: number, out: Array<number | boolean | bigint>): void {
  if (dim === shape.length) {
    if (Array.isArray(data)) throw new RuntimeError(`expected a number at dim ${dim} but got a sequence`);
    const t = typeof data;
    if (t !== "number" && t !== "boolean" && t !== "bigint") {
      throw new TypeError(`Could not infer dtype of ${data === null ? "null" : t}`);
    }
    out.push(data as number | boolean | bigint);
    return;
  }
  if (!Array.isArray(data)) throw new RuntimeError(`expected sequence of length ${shape[dim]} at dim ${dim} (got a scalar)`);
  if (data.length !== shape[dim]) throw new RuntimeError(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${data.length})`);
  for (const d of data) flatten(d, shape, dim + 1, out);
}

const TYPED: Array<[abstract new (...a: never[]) => TypedArray, DType]> = [
  [Float32Array, "float32"],
  [Float64Array, "float64"],
  [Int32Array, "int32"],
  [Int16Array, "int16"],
  [Int8Array, "int8"],
  [Uint8Array, "uint8"],
];

const BELOW_ADINPLACE_OR_VIEW = AUTOGRAD_DISPATCH_KEYSET | keySetOf(DispatchKey.ADInplaceOrView);

/**
 * Runs a factory as PyTorch's Python bindings do (the torch:: variable factories): below
 * ADInplaceOrView, so the fills a kernel does in place do not count as versions (a fresh
 * `torch.zeros` is at version 0), then marks the result as requiring grad when asked.
 */
export function variableFactory(make: () => unknown, requiresGrad: boolean | undefined): Tensor {
  const t = withExcludedRaw(BELOW_ADINPLACE_OR_VIEW, make) as Tensor;
  if (requiresGrad) {
    if (!isFloatingType(t.dtype)) throw new RuntimeError("Only Tensors of floating point and complex dtype can require gradients");
    t.requiresGrad = true;
  }
  return t;
}

/**
 * Creates a tensor from (nested) JS data. Numbers become float32 (JS has no int literal),
 * booleans bool, bigints int64, unless `dtype` says otherwise; typed arrays keep their type.
 * @example
 * tensor([[1, 2], [3, 4]])                 // float32, shape [2, 2]
 * tensor([1, 2], { dtype: "int64" })
 * tensor(new Int32Array([1, 2, 3]))         // int32
 */
export function tensor(data: NestedData | TypedArray | Tensor, opts: TensorOptions = {}): Tensor {
  let cpu: Tensor;
  if (data instanceof Tensor) {
    cpu = callOp("aten::clone", [data, null]) as Tensor;
    if (opts.dtype && toDType(opts.dtype) !== cpu.dtype) cpu = callOp("aten::_to_copy", [cpu, toDType(opts.dtype), null, null, null, false, null]) as Tensor;
  } else if (ArrayBuffer.isView(data)) {
    const entry = TYPED.find(([ctor]) => data instanceof ctor);
    if (!entry) throw new TypeError("tensor(): unsupported typed array");
    const dtype = opts.dtype ? toDType(opts.dtype) : entry[1];
    const arr = allocArray(dtype, data.length);
    for (let i = 0; i < data.length; i++) arr[i] = dtype === "bool" ? (data[i] ? 1 : 0) : data[i]!;
    cpu = Tensor.fromArray(arr, [data.length], dtype);
  } else {
    const shape = inferShape(data as NestedData);
    const flat: Array<number | boolean | bigint> = [];
    flatten(data as NestedData, shape, 0, flat);
    let dtype: DType;
    if (opts.dtype) dtype = toDType(opts.dtype);
    else if (flat.length > 0 && flat.every((v) => typeof v === "boolean")) dtype = "bool";
    else if (flat.length > 0 && flat.every((v) => typeof v === "bigint")) dtype = "int64";
    else dtype = DEFAULT_DTYPE;
    const arr = allocArray(dtype, numelOf(shape));
    const integral = !isFloatingType(dtype);
    for (let i = 0; i < flat.length; i++) {
      const v = Number(flat[i]);
      arr[i] = dtype === "bool" ? (v ? 1 : 0) : integral ? Math.trunc(v) : v;
    }
    cpu = Tensor.fromArray(arr, shape, dtype);
  }
  return variableFactory(() => {
    const t = opts.device === "meta" ? (callOp("aten::_to_copy", [cpu, null, null, "meta", null, false, null]) as Tensor) : cpu;
    return callOp("aten::lift_fresh", [t]);
  }, opts.requiresGrad);
}

type Size = readonly number[];
/**
 * dtype, layout, device, pin_memory as PyTorch's Python binding passes them: the device and
 * pin_memory are always given (so a mode sees `device: "cpu", pin_memory: false` as in PyTorch).
 */
const o = (opts: TensorOptions) => [opts.dtype ?? null, null, opts.device ?? "cpu", false];

/**
 * A tensor of uninitialised (here: zeroed) memory.
 * @example
 * torch.empty([2, 3], { device: "meta" })
 */
export function empty(size: Size, opts: TensorOptions = {}): Tensor {
  return variableFactory(() => callOp("aten::empty.memory_format", [size.slice(), ...o(opts), null]), opts.requiresGrad);
}
/**
 * A tensor of zeros.
 * @example
 * torch.zeros([2, 3]) // float32 zeros
 */
export function zeros(size: Size, opts: TensorOptions = {}): Tensor {
  return variableFactory(() => callOp("aten::zeros", [size.slice(), ...o(opts)]), opts.requiresGrad);
}
/**
 * A tensor of ones.
 * @example
 * torch.ones([2], { dtype: "int64" })
 */
export function ones(size: Size, opts: TensorOptions = {}): Tensor {
  return variableFactory(() => callOp("aten::ones", [size.slice(), ...o(opts)]), opts.requiresGrad);
}
/**
 * A tensor filled with `value` (dtype inferred from it: integer -> int64, as PyTorch).
 * @example
 * torch.full([2], 7) // int64, as PyTorch infers
 */
export function full(size: Size, value: number | boolean, opts: TensorOptions = {}): Tensor {
  return variableFactory(() => callOp("aten::full", [size.slice(), value, ...o(opts)]), opts.requiresGrad);
}
/**
 * `arange(end)`, `arange(start, end)`, `arange(start, end, step)`; integer arguments give int64.
 * @example
 * torch.arange(5); torch.arange(1, 4); torch.arange(0, 1, 0.25)
 */
export function arange(a: number, b?: number | TensorOptions, c?: number | TensorOptions, d?: TensorOptions): Tensor {
  const args = [a, b, c, d].filter((x) => typeof x === "number") as number[];
  const opts = ([b, c, d].find((x) => typeof x === "object") as TensorOptions | undefined) ?? {};
  return variableFactory(
    () =>
      args.length === 1
        ? callOp("aten::arange", [args[0]!, ...o(opts)])
        : args.length === 2
          ? callOp("aten::arange.start", [args[0]!, args[1]!, ...o(opts)])
          : callOp("aten::arange.start_step", [args[0]!, args[1]!, args[2]!, ...o(opts)]),
    opts.requiresGrad,
  );
}
/**
 * `steps` evenly spaced values from start to end.
 * @example
 * torch.linspace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  return variableFactory(() => callOp("aten::linspace", [start, end, steps, ...o(opts)]), opts.requiresGrad);
}
/**
 * The identity matrix (n x m).
 * @example
 * torch.eye(3); torch.eye(2, 3)
 */
export function eye(n: number, m?: number | TensorOptions, opts: TensorOptions = {}): Tensor {
  const options = typeof m === "number" ? opts : (m ?? opts);
  return variableFactory(() => (typeof m === "number" ? callOp("aten::eye.m", [n, m, ...o(options)]) : callOp("aten::eye", [n, ...o(options)])), options.requiresGrad);
}
/**
 * A 0-dim tensor.
 * @example
 * torch.scalarTensor(3) // tensor(3.)
 */
export function scalarTensor(v: number | boolean, opts: TensorOptions = {}): Tensor {
  return variableFactory(() => callOp("aten::scalar_tensor", [v, ...o(opts)]), opts.requiresGrad);
}
/**
 * zeros with the shape (and by default dtype/device) of `t`.
 * @example
 * torch.zerosLike(x)
 */
export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return variableFactory(() => callOp("aten::zeros_like", [t, ...o(opts), null]), opts.requiresGrad);
}
/**
 * ones with the shape (and by default dtype/device) of `t`.
 * @example
 * torch.onesLike(x, { dtype: "float64" })
 */
export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return variableFactory(() => callOp("aten::ones_like", [t, ...o(opts), null]), opts.requiresGrad);
}
/**
 * `value` with the shape (and by default dtype/device) of `t`.
 * @example
 * torch.fullLike(x, 0.5)
 */
export function fullLike(t: Tensor, value: number | boolean, opts: TensorOptions = {}): Tensor {
  return variableFactory(() => callOp("aten::full_like", [t, value, ...o(opts), null]), opts.requiresGrad);
}
/**
 * An uninitialised tensor like `t`.
 * @example
 * torch.emptyLike(x) // same shape, dtype, device and (dense) strides
 */
export function emptyLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return variableFactory(() => callOp("aten::empty_like", [t, ...o(opts), null]), opts.requiresGrad);
}

/** Device names accepted by options. */
export const DEVICES: readonly Device[] = ["cpu", "meta"];
