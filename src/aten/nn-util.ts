// Shared helpers of the nn family's shape rules: PyTorch's type names in messages (caffe2 dtype
// names, legacy tensor types), dispatch errors, optional-argument unwrapping, and memory-format
// inference (suggest_memory_format, TensorIterator's output order).

import { NotImplementedError } from "../core/errors.js";
import type { DType } from "../tensor/dtype.js";
import { contiguousStrides } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";

/** `Tensor?` arguments arrive as null (or undefined when omitted by a direct caller). */
export type Opt<T> = T | null | undefined;

/**
 * Is an optional tensor present?
 * @example
 * defined(null) // false
 */
export function defined(t: Opt<Tensor>): t is Tensor {
  return t !== null && t !== undefined;
}

/**
 * The error an `AT_DISPATCH_*` macro raises for an unsupported dtype.
 * @example
 * throw dispatchError("softmax_kernel_impl", "int64"); // "softmax_kernel_impl" not implemented for 'Long'
 */
export function dispatchError(kernel: string, d: DType): NotImplementedError {
  return new NotImplementedError(`"${kernel}" not implemented for '${cppName(d)}'`);
}

/**
 * PyTorch prints sizes as `[2, 3, 4]`.
 * @example
 * sizesStr([2, 3]) // "[2, 3]"
 */
export function sizesStr(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * `tensor.toString()`: the legacy type name (meta tensors: `torch.meta.FloatTensor`).
 * @example
 * legacyTypeName(torch.zeros([2])) // "torch.FloatTensor"
 */
export function legacyTypeName(t: Tensor): string {
  return `torch.${t.device === "meta" ? "meta." : ""}${cppName(t.dtype)}Tensor`;
}

/**
 * Is this a float dtype (the ones the nn kernels dispatch on)?
 * @example
 * isFloat("float64") // true
 */
export function isFloat(d: DType): boolean {
  return d === "float32" || d === "float64";
}

/**
 * c10's `is_channels_last_strides_2d`: do a 4-D tensor's strides say NHWC (ambiguous layouts
 * fall back to NCHW)?
 * @example
 * isChannelsLastStrides2d([2, 3, 4, 5], [60, 1, 15, 3]) // true
 */
export function isChannelsLastStrides2d(shape: readonly number[], strides: readonly number[]): boolean {
  if (shape.length !== 4 || strides[1] === 0) return false;
  let min = 0;
  for (const d of [1, 3, 2, 0]) {
    if (shape[d] === 0 || strides[d]! < min) return false;
    if (d === 0 && min === strides[1]) return false;
    min = strides[d]!;
    if (shape[d]! > 1) min *= shape[d]!;
  }
  return true;
}

/**
 * `suggest_memory_format() == ChannelsLast` for a tensor.
 * @example
 * suggestsChannelsLast(x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)) // true
 */
export function suggestsChannelsLast(t: Tensor): boolean {
  return isChannelsLastStrides2d(t._shape, t._strides);
}

/**
 * Contiguous strides of a shape in NCHW order, or in NHWC order when `channelsLast`.
 * @example
 * formatStrides([2, 3, 4, 5], true) // [60, 1, 15, 3]
 */
export function formatStrides(shape: readonly number[], channelsLast: boolean): number[] {
  if (!channelsLast || shape.length !== 4) return contiguousStrides(shape);
  const [, c, h, w] = shape.map((s) => Math.max(s, 1)) as [number, number, number, number];
  return [h * w * c, 1, w * c, c];
}

/**
 * The output strides TensorIterator gives an elementwise result of `shape`: the dimension order
 * of the first operand with that exact shape (by decreasing stride; ties and size-1 dimensions
 * keep the logical order), contiguous when no operand has the output's shape.
 * @example
 * iteratorStrides([4, 3], [x.t()]) // [1, 4] for x of shape [3, 4]
 */
export function iteratorStrides(shape: readonly number[], operands: readonly Tensor[]): number[] {
  const first = operands.find((t) => t._shape.length === shape.length && t._shape.every((s, i) => s === shape[i]));
  if (!first) return contiguousStrides(shape);
  const dims = shape.map((_, i) => i);
  const key = (d: number): number => (shape[d]! === 1 ? Infinity : first._strides[d]!);
  // a stable sort of the non-trivial dims by decreasing stride (size-1 dims stay in place)
  const movable = dims.filter((d) => shape[d]! !== 1).sort((a, b) => key(b) - key(a) || a - b);
  const order: number[] = [];
  let k = 0;
  for (const d of dims) order.push(shape[d]! === 1 ? d : movable[k++]!);
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = order.length - 1; i >= 0; i--) {
    out[order[i]!] = s;
    s *= Math.max(shape[order[i]!]!, 1);
  }
  return out;
}
