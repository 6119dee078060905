// The pooling functions PyTorch exposes in the torch namespace (no Tensor methods exist):
// torch.maxPool2d, torch.maxPool1d, torch.maxPool1dWithIndices, torch.avgPool1d,
// torch.adaptiveAvgPool1d, torch.adaptiveMaxPool1d. They take the schema's positional arguments
// (an int size stands for every spatial dim) and call the operator through the dispatcher.

import { callOp } from "../../dispatcher/call-op.js";
import type { Tensor } from "../tensor.js";

/** An int or a list of ints. */
type Ints = number | readonly number[];
const list = (v: Ints, n: number): number[] => (typeof v === "number" ? new Array<number>(n).fill(v) : v.slice());

/**
 * `torch.max_pool2d` (`aten::max_pool2d`): 2-d max pooling over [C, H, W] or [N, C, H, W].
 * @example
 * torch.maxPool2d(x, 2)               // stride defaults to the kernel size
 * torch.maxPool2d(x, 3, 2, 1, 1, true)
 */
export function maxPool2d(input: Tensor, kernelSize: Ints, stride: Ints = [], padding: Ints = 0, dilation: Ints = 1, ceilMode = false): Tensor {
  return callOp("aten::max_pool2d", [input, list(kernelSize, 2), list(stride, 2), list(padding, 2), list(dilation, 2), ceilMode]) as Tensor;
}

/**
 * `torch.max_pool1d` (`aten::max_pool1d`): 1-d max pooling over [C, L] or [N, C, L].
 * @example
 * torch.maxPool1d(x, 2)
 */
export function maxPool1d(input: Tensor, kernelSize: Ints, stride: Ints = [], padding: Ints = 0, dilation: Ints = 1, ceilMode = false): Tensor {
  return callOp("aten::max_pool1d", [input, list(kernelSize, 1), list(stride, 1), list(padding, 1), list(dilation, 1), ceilMode]) as Tensor;
}

/**
 * `torch.max_pool1d_with_indices` (`aten::max_pool1d_with_indices`): values and int64 indices.
 * @example
 * const [y, idx] = torch.maxPool1dWithIndices(x, 3, 2, 1);
 */
export function maxPool1dWithIndices(input: Tensor, kernelSize: Ints, stride: Ints = [], padding: Ints = 0, dilation: Ints = 1, ceilMode = false): [Tensor, Tensor] {
  return callOp("aten::max_pool1d_with_indices", [input, list(kernelSize, 1), list(stride, 1), list(padding, 1), list(dilation, 1), ceilMode]) as [Tensor, Tensor];
}

/**
 * `torch.avg_pool1d` (`aten::avg_pool1d`): 1-d average pooling over [C, L] or [N, C, L].
 * @example
 * torch.avgPool1d(x, 3, 2, 1)
 */
export function avgPool1d(input: Tensor, kernelSize: Ints, stride: Ints = [], padding: Ints = 0, ceilMode = false, countIncludePad = true): Tensor {
  return callOp("aten::avg_pool1d", [input, list(kernelSize, 1), list(stride, 1), list(padding, 1), ceilMode, countIncludePad]) as Tensor;
}

/**
 * `torch.adaptive_avg_pool1d` (`aten::adaptive_avg_pool1d`).
 * @example
 * torch.adaptiveAvgPool1d(x, 4) // [N, C, 4]
 */
export function adaptiveAvgPool1d(input: Tensor, outputSize: Ints): Tensor {
  return callOp("aten::adaptive_avg_pool1d", [input, list(outputSize, 1)]) as Tensor;
}

/**
 * `torch.adaptive_max_pool1d` (`aten::adaptive_max_pool1d`): values and int64 indices.
 * @example
 * const [y, idx] = torch.adaptiveMaxPool1d(x, 4);
 */
export function adaptiveMaxPool1d(input: Tensor, outputSize: Ints): [Tensor, Tensor] {
  return callOp("aten::adaptive_max_pool1d", [input, list(outputSize, 1)]) as [Tensor, Tensor];
}
