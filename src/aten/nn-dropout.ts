// Dropout and embedding: `dropout` and `dropout_` (CompositeImplicitAutograd, Dropout.cpp's _dropout_impl: the
// input itself when not training or p == 0, input * 0 for p == 1, else a Bernoulli noise mask),
// `native_dropout` (one kernel at CPU and Meta calling the same ops, so layouts agree) and
// `embedding` (CompositeExplicitAutograd: index_select of rows, reshaped as Embedding.cpp does).

import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl } from "./op-decl.js";
import { legacyTypeName, type Opt } from "./nn-util.js";

const op = (name: string, ...args: unknown[]): Tensor => callOp(name, args) as Tensor;

/**
 * Dropout.cpp's `_dropout_impl` as PyTorch's CPU path takes it (no fused kernel on CPU):
 * `dropout` multiplies into a new tensor, `dropout_` into the input (mul_).
 */
function dropoutImpl(inplace: boolean) {
  const multiply = inplace ? "aten::mul_.Tensor" : "aten::mul.Tensor";
  return (input: Tensor, p: number, train: boolean): Tensor => {
    if (!(p >= 0 && p <= 1)) throw new RuntimeError(`dropout probability has to be between 0 and 1, but got ${p}`);
    if (p === 0 || !train || input.numel() === 0) return input;
    if (p === 1) return op(multiply, input, op("aten::zeros", [], input.dtype, null, input.device, null));
    const noise = op("aten::empty_like", input, null, null, null, null, null);
    op("aten::bernoulli_.float", noise, 1 - p, null);
    op("aten::div_.Scalar", noise, 1 - p);
    return op(multiply, input, noise);
  };
}

/** `native_dropout` (Dropout.cpp's native_dropout_cpu): returns (output, bool keep-mask). */
function nativeDropout(input: Tensor, p: number, train: Opt<boolean>): Tensor[] {
  if (input.numel() === 0) return [input, op("aten::empty_like", input, null, null, null, null, null)];
  if (train === null || train === undefined || train) {
    const p1m = 1 - p;
    // p == 1 keeps nothing: scale 0 instead of dividing by zero
    const scale = p1m === 0 ? 0 : 1 / p1m;
    const mask = op("aten::empty_like", input, "bool", null, null, null, null);
    op("aten::bernoulli_.float", mask, p1m, null);
    const output = op("aten::mul_.Scalar", op("aten::mul.Tensor", input, mask), scale);
    return [output, mask];
  }
  return [op("aten::clone", input, null), op("aten::ones_like", input, "bool", null, null, null, null)];
}

/** `embedding(weight, indices, ...)`: rows of `weight` selected by `indices`. */
function embedding(weight: Tensor, indices: Tensor): Tensor {
  if (weight._shape.length !== 2) throw new RuntimeError("'weight' must be 2-D");
  if (indices.dtype !== "int64" && indices.dtype !== "int32") {
    throw new RuntimeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${legacyTypeName(indices)} instead (while checking arguments for embedding)`,
    );
  }
  if (indices._shape.length === 1) return op("aten::index_select", weight, 0, indices);
  const size = [...indices._shape, ...weight._shape.slice(1)];
  return op("aten::view", op("aten::index_select", weight, 0, op("aten::reshape", indices, [-1])), size);
}

/** The dropout and embedding operators, in native_functions.yaml order. */
export const dropoutOps: readonly OpDecl[] = [
  {
    schema: "native_dropout(Tensor input, float p, bool? train) -> (Tensor, Tensor)",
    cpuKernel: nativeDropout as never,
    metaKernel: nativeDropout as never,
  },
  {
    schema: "dropout(Tensor input, float p, bool train) -> Tensor",
    composite: dropoutImpl(false) as never,
  },
  {
    schema: "dropout_(Tensor(a!) self, float p, bool train) -> Tensor(a!)",
    composite: dropoutImpl(true) as never,
  },
  {
    schema: "embedding(Tensor weight, Tensor indices, SymInt padding_idx=-1, bool scale_grad_by_freq=False, bool sparse=False) -> Tensor",
    explicit: embedding as never,
  },
];
