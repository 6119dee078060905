// Out-of-place sampling: bernoulli (probabilities from a tensor, or a float p) and the three
// tensor forms of normal. Each calls the ops PyTorch's kernels call (Distributions.cpp and
// DistributionTemplates.h's normal_impl / normal_out_impl), in the same order, on CPU and Meta.

import { broadcastShapes } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl } from "./op-decl.js";
import { normalCpu, normalMeta } from "./random-inplace.js";
import { checkNormalStd, checkStdTensor, emptyLikeContiguous, op } from "./random-util.js";

/** normal_impl_(output, 0, std): the kernel itself, not a dispatched normal_ (as in PyTorch). */
function normalImpl(output: Tensor, std: number, generator: unknown): void {
  if (output.device === "meta") normalMeta(output, 0, std);
  else normalCpu(output, 0, std, generator);
}

/** `normal(Tensor mean, float std)`: samples of N(0, std) plus mean. */
function normalTensorFloat(mean: Tensor, std: number, generator: unknown): Tensor {
  checkNormalStd(std, mean.device);
  const output = emptyLikeContiguous(mean);
  emptyLikeContiguous(output); // normal_out_impl's std_tensor, only read for its shape
  normalImpl(output, std, generator);
  return op("aten::add_.Tensor", output, mean, 1);
}

/** `normal(float mean, Tensor std)`: N(0, 1) samples times std plus mean. */
function normalFloatTensor(mean: number, std: Tensor, generator: unknown): Tensor {
  checkStdTensor(std);
  const output = emptyLikeContiguous(std);
  checkStdTensor(std);
  const meanTensor = op("aten::full", [], mean, output.dtype, null, output.device, null);
  normalImpl(output, 1, generator);
  return op("aten::add_.Tensor", op("aten::mul_.Tensor", output, std), meanTensor, 1);
}

/** `normal(Tensor mean, Tensor std)`: N(0, 1) samples times std plus mean, broadcast. */
function normalTensorTensor(mean: Tensor, std: Tensor, generator: unknown): Tensor {
  checkStdTensor(std);
  const shape = broadcastShapes(mean._shape, std._shape);
  const output = op("aten::empty.memory_format", shape, mean.dtype, null, mean.device, null, "contiguous_format");
  checkStdTensor(std);
  normalImpl(output, 1, generator);
  return op("aten::add_.Tensor", op("aten::mul_.Tensor", output, std), mean, 1);
}

/** The out-of-place sampling operators, in native_functions.yaml order. */
export const randomSamplingOps: readonly OpDecl[] = [
  {
    schema: "bernoulli(Tensor self, *, Generator? generator=None) -> Tensor",
    explicit: ((self: Tensor, generator: unknown) => op("aten::bernoulli_.Tensor", emptyLikeContiguous(self), self, generator)) as never,
  },
  {
    schema: "bernoulli.p(Tensor self, float p, *, Generator? generator=None) -> Tensor",
    explicit: ((self: Tensor, p: number, generator: unknown) => op("aten::bernoulli_.float", emptyLikeContiguous(self), p, generator)) as never,
  },
  {
    schema: "normal.Tensor_float(Tensor mean, float std=1, *, Generator? generator=None) -> Tensor",
    cpuKernel: normalTensorFloat as never,
    metaKernel: normalTensorFloat as never,
  },
  {
    schema: "normal.float_Tensor(float mean, Tensor std, *, Generator? generator=None) -> Tensor",
    cpuKernel: normalFloatTensor as never,
    metaKernel: normalFloatTensor as never,
  },
  {
    schema: "normal.Tensor_Tensor(Tensor mean, Tensor std, *, Generator? generator=None) -> Tensor",
    cpuKernel: normalTensorTensor as never,
    metaKernel: normalTensorTensor as never,
  },
];
