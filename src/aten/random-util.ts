// Shared pieces of the random family's operators (src/aten/random-*.ts): the Generator argument,
// PyTorch's messages for random ops (C++ wording on CPU, the Python meta functions' wording on
// Meta), and the calls its decompositions make.

import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { formatCppDouble, formatPythonFloat } from "../backends/cpu/random-kernels.js";
import { cppName } from "../tensor/type-promotion.js";
import { type DType, isFloatingType } from "../tensor/dtype.js";
import { Generator, defaultGenerator } from "../tensor/generator.js";
import type { Device, Tensor } from "../tensor/tensor.js";

/** An optional schema argument: absent optionals arrive as null. */
export type Opt<T> = T | null;

/**
 * Calls an aten operator with its full argument list (like ATen's `at::name`).
 * @example
 * op("aten::uniform_", t, 0, 1, null)
 */
export const op = (name: string, ...args: unknown[]): Tensor => callOp(name, args) as Tensor;

/**
 * The generator a kernel draws from: the argument when it is a Generator, the default CPU
 * generator for null (PyTorch's `get_generator_or_default`).
 * @example
 * resolveGenerator(null) === defaultGenerator() // true
 */
export function resolveGenerator(g: unknown): Generator {
  if (g === null || g === undefined) return defaultGenerator();
  if (g instanceof Generator) return g;
  throw new TypeError(`expected a Generator or None for argument 'generator', got ${typeof g}`);
}

/**
 * normal's std check: `normal expects std >= 0.0, but found std -1` (CPU, C++'s formatting) or
 * `... std -1.0` (Meta, whose check is Python's).
 * @example
 * checkNormalStd(-1, "cpu") // throws RuntimeError
 */
export function checkNormalStd(std: number, device: Device): void {
  if (!(std >= 0)) {
    const shown = device === "meta" ? formatPythonFloat(std) : formatCppDouble(std);
    throw new RuntimeError(`normal expects std >= 0.0, but found std ${shown}`);
  }
}

/**
 * The Meta functions' dtype check of normal-like ops (torch._prims_common wording).
 * @example
 * checkFloatingMeta("int64") // throws "expected a floating-point or complex dtype, but got dtype=torch.int64"
 */
export function checkFloatingMeta(dtype: DType): void {
  if (!isFloatingType(dtype)) {
    throw new RuntimeError(`expected a floating-point or complex dtype, but got dtype=torch.${dtype}`);
  }
}

/**
 * exponential_'s checks: `exponential_ expects lambda > 0.0, but found lambda=-1` and the dtype
 * (CPU checks lambda first; the Meta function the dtype first, with Python's wording).
 * @example
 * checkExponential(-1, "float32", "cpu") // throws "exponential_ expects lambda > 0.0, but found lambda=-1"
 */
export function checkExponential(lambda: number, dtype: DType, device: Device): void {
  const meta = device === "meta";
  const checkDType = (): void => {
    if (isFloatingType(dtype)) return;
    throw new RuntimeError(
      meta
        ? `Exponential distribution is a continuous probability distribution.         dtype must be a floating point but you specified torch.${dtype}`
        : `Exponential distribution is a continuous probability distribution. dtype must be a floating point but you specified ${cppName(dtype)}`,
    );
  };
  if (meta) checkDType();
  if (!(lambda > 0)) {
    throw new RuntimeError(`exponential_ expects lambda > 0.0, but found lambda=${meta ? formatPythonFloat(lambda) : formatCppDouble(lambda)}`);
  }
  checkDType();
}

/**
 * `at::empty_like(self, MemoryFormat::Contiguous)`, as bernoulli and normal allocate their
 * results (contiguous even for a transposed input, so the samples land where PyTorch puts them).
 * @example
 * emptyLikeContiguous(x.t()).isContiguous() // true
 */
export function emptyLikeContiguous(self: Tensor): Tensor {
  return op("aten::empty_like", self, null, null, null, null, "contiguous_format");
}

/**
 * PyTorch's CHECK_NORMAL_TENSOR_STD: `std.min().ge(0).item()` through the dispatcher (skipped for
 * empty and meta tensors), with its error.
 * @example
 * checkStdTensor(torch.tensor([-1])) // throws "normal expects all elements of std >= 0.0"
 */
export function checkStdTensor(std: Tensor): void {
  if (std.numel() === 0 || std.device === "meta") return;
  const ok = callOp("aten::item", [op("aten::ge.Scalar", op("aten::min", std), 0)]);
  if (!ok) throw new RuntimeError("normal expects all elements of std >= 0.0");
}
