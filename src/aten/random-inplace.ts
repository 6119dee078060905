// The in-place sampling operators: normal_, uniform_, bernoulli_ (.float, .Tensor), random_ (three
// overloads) and exponential_. CPU kernels check as PyTorch's DistributionTemplates.h does (same
// order, same messages), then fill through the kernels of src/backends/cpu/random-kernels.ts in
// TensorIterator's element order; Meta kernels make only the checks PyTorch's meta functions make.

import { NotImplementedError, RuntimeError } from "../core/errors.js";
import { bernoulliFillScalar, bernoulliFillTensor, normalFill, randintFill, uniformFill } from "../backends/cpu/random-kernels.js";
import type { RandomDtype } from "../backends/cpu/random-kernels.js";
import {
  exponentialFill,
  randomFillDefault,
  randomFillFull64,
  randomFillInt64ToMax,
  randintDraw,
} from "../backends/cpu/random-ops-extra.js";
import {
  assertNoInternalOverlap,
  assertNoPartialOverlap,
  fillInIteratorOrder,
  orderedOffsets,
} from "../backends/cpu/random-ops-iter.js";
import { type DType, type TypedArray, allocArray, isFloatingType, typeMetaName } from "../tensor/dtype.js";
import type { Generator } from "../tensor/generator.js";
import { isContiguousLayout, numelOf } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl } from "./op-decl.js";
import { cppName } from "../tensor/type-promotion.js";
import { type Opt, checkExponential, checkFloatingMeta, checkNormalStd, op, resolveGenerator } from "./random-util.js";

const rd = (d: DType): RandomDtype => d;
const none = (d: DType): TypedArray => allocArray(d, 0);


/**
 * `normal_` on a CPU tensor, as at::native's normal_impl_ + normal_kernel: contiguous tensors of
 * 16+ elements take the vectorised Box-Muller, anything else the scalar double Box-Muller (with
 * the generator's cached sample) element by element in TensorIterator's order.
 * @example
 * normalCpu(torch.empty([4, 5]).t(), 0, 1, null) // the scalar path, in memory order
 */
export function normalCpu(self: Tensor, mean: number, std: number, generator: unknown): Tensor {
  const gen = resolveGenerator(generator);
  normalFill(gen, none(self.dtype), rd(self.dtype), mean, std); // std check only
  const n = numelOf(self._shape);
  if (n === 0) return self;
  if (!isFloatingType(self.dtype)) throw new NotImplementedError(`"normal_kernel_cpu" not implemented for '${cppName(self.dtype)}'`);
  if (isContiguousLayout(self._shape, self._strides)) {
    normalFill(gen, self.data().subarray(self._offset, self._offset + n), rd(self.dtype), mean, std);
    return self;
  }
  assertNoInternalOverlap(self);
  // normalFill draws each of fewer than 16 elements from the scalar path, so chunks of 15 give
  // the scalar path's sequence for any length
  fillInIteratorOrder(self, (buf) => {
    for (let i = 0; i < n; i += 15) normalFill(gen, buf.subarray(i, Math.min(i + 15, n)), rd(self.dtype), mean, std);
  });
  return self;
}

/**
 * `normal_`'s Meta function: the std and dtype checks, nothing drawn.
 * @example
 * normalMeta(torch.empty([3], { device: "meta" }), 0, 1)
 */
export function normalMeta(self: Tensor, _mean: number, std: number): Tensor {
  checkNormalStd(std, "meta");
  checkFloatingMeta(self.dtype);
  return self;
}

function uniformCpu(self: Tensor, from: number, to: number, generator: unknown): Tensor {
  const gen = resolveGenerator(generator);
  uniformFill(gen, none(self.dtype), rd(self.dtype), from, to); // dtype and bounds checks only
  if (numelOf(self._shape) === 0) return self;
  assertNoInternalOverlap(self);
  fillInIteratorOrder(self, (buf) => uniformFill(gen, buf, rd(self.dtype), from, to));
  return self;
}

function bernoulliFloatCpu(self: Tensor, p: number, generator: unknown): Tensor {
  const gen = resolveGenerator(generator);
  bernoulliFillScalar(gen, none(self.dtype), rd(self.dtype), p); // p check only
  if (numelOf(self._shape) === 0) return self;
  assertNoInternalOverlap(self);
  fillInIteratorOrder(self, (buf) => bernoulliFillScalar(gen, buf, rd(self.dtype), p));
  return self;
}

/** p expanded to self's shape as expand_inplace does (aten::expand only when the sizes differ). */
function expandLike(p: Tensor, self: Tensor): Tensor {
  const same = p._shape.length === self._shape.length && p._shape.every((s, i) => s === self._shape[i]);
  return same ? p : op("aten::expand", p, self._shape.slice(), false);
}

function bernoulliTensorCpu(self: Tensor, pIn: Tensor, generator: unknown): Tensor {
  const gen = resolveGenerator(generator);
  const n = numelOf(self._shape);
  if (n === 0) return self;
  assertNoInternalOverlap(self);
  const p = expandLike(pIn, self);
  assertNoPartialOverlap(self, p);
  if (p.dtype !== "float32" && p.dtype !== "float64") {
    throw new NotImplementedError(`"bernoulli_tensor_cpu_p_" not implemented for '${cppName(p.dtype)}'`);
  }
  const pData = p.data() as Float32Array | Float64Array;
  const data = self.data();
  if (isContiguousLayout(self._shape, self._strides) && isContiguousLayout(p._shape, p._strides)) {
    bernoulliFillTensor(gen, data.subarray(self._offset, self._offset + n), rd(self.dtype), pData.subarray(p._offset, p._offset + n));
    return self;
  }
  const [so, po] = orderedOffsets(self._shape, [
    { strides: self._strides, offset: self._offset },
    { strides: p._strides, offset: p._offset },
  ]) as [Float64Array, Float64Array];
  const probs = p.dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
  const buf = allocArray(self.dtype, n);
  for (let k = 0; k < n; k++) {
    probs[k] = pData[po[k]!]!;
    buf[k] = data[so[k]!]!; // kept where a bad p stops the kernel, as PyTorch leaves them
  }
  try {
    bernoulliFillTensor(gen, buf, rd(self.dtype), probs);
  } finally {
    for (let k = 0; k < n; k++) data[so[k]!] = buf[k]!;
  }
  return self;
}

const INT64_MIN = -(1n << 63n);
const INT_MAX: Partial<Record<DType, bigint>> = { bool: 1n, uint8: 255n, int8: 127n, int16: 32767n, int32: 2147483647n };
const INT_MIN: Partial<Record<DType, bigint>> = { bool: 0n, uint8: 0n, int8: -128n, int16: -32768n, int32: -2147483648n, int64: INT64_MIN };

const asBig = (v: number | bigint): bigint => (typeof v === "bigint" ? v : BigInt(Math.trunc(v)));

/** `random_(from, to)` / `random_(from, None)` on CPU (random_from_to_impl). */
function randomFromCpu(self: Tensor, from: number | bigint, to: Opt<number | bigint>, generator: unknown): Tensor {
  assertNoInternalOverlap(self); // the TensorIterator is built before anything is checked
  const gen = resolveGenerator(generator);
  const dtype = self.dtype;
  const n = numelOf(self._shape);
  if (to !== null && to !== undefined) {
    randintFill(gen, none(dtype), rd(dtype), from, to); // checks only
    if (n > 0) fillInIteratorOrder(self, (buf) => randintDraw(gen, buf, dtype, asBig(from), asBig(to)));
    return self;
  }
  const lo = asBig(from);
  if (lo === INT64_MIN) {
    if (n > 0) fillInIteratorOrder(self, (buf) => randomFillFull64(gen, buf, dtype));
    return self;
  }
  if (isFloatingType(dtype)) {
    const toInc = 1n << (dtype === "float32" ? 24n : 53n);
    if (!(lo < toInc)) {
      throw new RuntimeError(
        `random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to dtype, but got from=${lo} > to_inc=${toInc}`,
      );
    }
    randintFill(gen, none(dtype), rd(dtype), lo, toInc + 1n); // checks only
    if (n > 0) fillInIteratorOrder(self, (buf) => randintDraw(gen, buf, dtype, lo, toInc + 1n));
    return self;
  }
  if (lo < INT_MIN[dtype]! || (dtype !== "int64" && lo > INT_MAX[dtype]!)) {
    throw new RuntimeError(`from is out of bounds for ${typeMetaName(dtype)}`);
  }
  if (n === 0) return self;
  if (dtype === "int64") fillInIteratorOrder(self, (buf) => randomFillInt64ToMax(gen, buf, lo));
  else fillInIteratorOrder(self, (buf) => randintDraw(gen, buf, dtype, lo, INT_MAX[dtype]! + 1n));
  return self;
}

function randomCpu(self: Tensor, generator: unknown): Tensor {
  const gen = resolveGenerator(generator);
  if (numelOf(self._shape) === 0) return self;
  assertNoInternalOverlap(self);
  fillInIteratorOrder(self, (buf) => randomFillDefault(gen, buf, self.dtype));
  return self;
}

function exponentialCpu(self: Tensor, lambd: number, generator: unknown): Tensor {
  const gen: Generator = resolveGenerator(generator);
  checkExponential(lambd, self.dtype, "cpu");
  if (numelOf(self._shape) === 0) return self;
  assertNoInternalOverlap(self);
  fillInIteratorOrder(self, (buf) => exponentialFill(gen, buf as Float32Array | Float64Array, lambd));
  return self;
}

/** Meta kernels of ops whose meta functions check nothing. */
const metaNoCheck = (self: Tensor): Tensor => self;

/** The in-place random operators, in native_functions.yaml order. */
export const randomInplaceOps: readonly OpDecl[] = [
  {
    schema: "bernoulli_.Tensor(Tensor(a!) self, Tensor p, *, Generator? generator=None) -> Tensor(a!)",
    cpuKernel: bernoulliTensorCpu as never,
    metaKernel: metaNoCheck as never,
  },
  {
    schema: "bernoulli_.float(Tensor(a!) self, float p=0.5, *, Generator? generator=None) -> Tensor(a!)",
    cpuKernel: bernoulliFloatCpu as never,
    metaKernel: metaNoCheck as never,
  },
  {
    schema: "random_.from(Tensor(a!) self, int from, int? to, *, Generator? generator=None) -> Tensor(a!)",
    cpuKernel: randomFromCpu as never,
    metaKernel: metaNoCheck as never,
  },
  {
    schema: "random_.to(Tensor(a!) self, int to, *, Generator? generator=None) -> Tensor(a!)",
    cpuKernel: ((self: Tensor, to: number | bigint, generator: unknown) => randomFromCpu(self, 0, to, generator)) as never,
    metaKernel: metaNoCheck as never,
  },
  {
    schema: "random_(Tensor(a!) self, *, Generator? generator=None) -> Tensor(a!)",
    cpuKernel: randomCpu as never,
    metaKernel: metaNoCheck as never,
  },
  {
    schema: "uniform_(Tensor(a!) self, float from=0, float to=1, *, Generator? generator=None) -> Tensor(a!)",
    cpuKernel: uniformCpu as never,
    metaKernel: metaNoCheck as never,
  },
  {
    schema: "exponential_(Tensor(a!) self, float lambd=1, *, Generator? generator=None) -> Tensor(a!)",
    cpuKernel: exponentialCpu as never,
    metaKernel: ((self: Tensor, lambd: number) => (checkExponential(lambd, self.dtype, "meta"), self)) as never,
  },
  {
    schema: "normal_(Tensor(a!) self, float mean=0, float std=1, *, Generator? generator=None) -> Tensor(a!)",
    cpuKernel: ((self: Tensor, mean: number, std: number, g: unknown) => normalCpu(self, mean, std, g)) as never,
    metaKernel: ((self: Tensor, mean: number, std: number) => normalMeta(self, mean, std)) as never,
  },
];
