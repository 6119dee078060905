// TensorIterator's bookkeeping for pointwise operators, shared by their shape rules (Meta) and
// CPU kernels: the layout of a new output (PyTorch's fast setup and dimension reordering, so a
// result gets the strides PyTorch gives it), the memory-overlap checks of in-place ops, and the
// kernel wrappers that run a rule, allocate the output and fill it.

import { RuntimeError } from "../core/errors.js";
import type { DType } from "../tensor/dtype.js";
import { itemsize } from "../tensor/dtype.js";
import { contiguousStrides, numelOf } from "../tensor/shape.js";
import { type Device, Storage, Tensor, defaultKeySet } from "../tensor/tensor.js";
import { broadcastStrides } from "../backends/cpu/strided-loops.js";
import { iteratorPermutation } from "../backends/cpu/random-ops-iter.js";
import type { OpDecl } from "./op-decl.js";

/** What a pointwise shape rule decides: the output's shape, dtype and layout, and the dtype inputs are read in. */
export interface Plan {
  readonly shape: number[];
  /** dtype of a new output */
  readonly dtype: DType;
  /** the common dtype the element function computes in */
  readonly compute: DType;
  /** null: contiguous */
  readonly strides: number[] | null;
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * PyTorch's `is_non_overlapping_and_dense`: the elements exactly fill a storage range.
 * @example
 * isNonOverlappingAndDense([2, 3], [1, 2]) // true (a transposed contiguous tensor)
 */
export function isNonOverlappingAndDense(shape: readonly number[], strides: readonly number[]): boolean {
  const nd = shape.length;
  if (nd === 1) return shape[0]! < 2 || strides[0] === 1;
  const perm = [...Array(nd).keys()].sort((a, b) => {
    if (shape[a]! < 2) return shape[b]! < 2 ? 0 : 1;
    if (shape[b]! < 2) return -1;
    return strides[a]! - strides[b]!;
  });
  let required = 1;
  for (const d of perm) {
    if (shape[d]! < 2) return true;
    if (strides[d] !== required) return false;
    required *= shape[d]!;
  }
  return true;
}

function isChannelsLast(t: Tensor): boolean {
  if (t._shape.length !== 4) return false;
  let expected = 1;
  for (const d of [1, 3, 2, 0]) {
    const s = t._shape[d]!;
    if (s === 1) continue;
    if (t._strides[d] !== expected) return false;
    expected *= s;
  }
  return true;
}

function channelsLastStrides(shape: readonly number[]): number[] {
  const [, c, h, w] = shape.map((s) => Math.max(s, 1)) as [number, number, number, number];
  return [c * w * h, 1, c * w, c];
}

/**
 * The strides PyTorch's TensorIterator gives a new output of `shape` computed from `inputs`
 * (null = contiguous): contiguous when every input is; the inputs' layout when they all share one
 * dense layout; otherwise the dimensions sorted by the inputs' strides (broadcast dims ignored).
 * @example
 * outputStrides([2, 3], [transposedInput]) // [1, 2]
 */
export function outputStrides(shape: readonly number[], inputs: readonly Tensor[]): number[] | null {
  const nd = shape.length;
  if (nd < 2) return null;
  let same = true;
  let contiguous = true;
  for (const t of inputs) {
    if (!sameArray(t._shape, shape)) same = false;
    else if (contiguous && !t.isContiguous()) contiguous = false;
  }
  if (same) {
    if (contiguous) return null;
    if (nd === 4 && inputs.every(isChannelsLast)) return channelsLastStrides(shape);
    const last = inputs[inputs.length - 1]!;
    if (inputs.every((t) => sameArray(t._strides, last._strides)) && isNonOverlappingAndDense(last._shape, last._strides)) {
      return last._strides.slice();
    }
  }
  return reorderedStrides(shape, inputs);
}

/** TensorIterator's reorder_dimensions (an insertion sort that tolerates ties), then dense strides in that order. */
function reorderedStrides(shape: readonly number[], inputs: readonly Tensor[]): number[] | null {
  const nd = shape.length;
  const perm = iteratorPermutation(shape, inputs.map((t) => broadcastStrides(t, shape)));
  if (perm.every((p, j) => p === nd - 1 - j)) return null;
  const out = new Array<number>(nd);
  let next = 1;
  for (const d of perm) {
    out[d] = next;
    next *= shape[d]!;
  }
  return out;
}

const INTERNAL_OVERLAP =
  "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.";
const PARTIAL_OVERLAP =
  "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.";

function partialOverlap(a: Tensor, b: Tensor): boolean {
  if (a._storage === null || a._storage !== b._storage) return false;
  const [na, nb] = [numelOf(a._shape), numelOf(b._shape)];
  if (na === 0 || nb === 0) return false;
  if (!isNonOverlappingAndDense(a._shape, a._strides) || !isNonOverlappingAndDense(b._shape, b._strides)) return false;
  const [ia, ib] = [itemsize(a.dtype), itemsize(b.dtype)];
  const [aBegin, bBegin] = [a._offset * ia, b._offset * ib];
  const [aEnd, bEnd] = [aBegin + na * ia, bBegin + nb * ib];
  if (aBegin === bBegin && aEnd === bEnd) return !sameArray(a._strides, b._strides);
  return aBegin < bEnd && bBegin < aEnd;
}

/**
 * TensorIterator's memory-overlap checks for an op writing into `out`: out must not have
 * several elements at one location (an expanded tensor), and must not partly overlap an input.
 * @example
 * checkOverlaps(x, [x.t()]) // throws: x and x.t() partly overlap
 */
export function checkOverlaps(out: Tensor, inputs: readonly unknown[]): void {
  if (!isNonOverlappingAndDense(out._shape, out._strides)) {
    for (let i = 0; i < out._shape.length; i++) {
      if (out._shape[i]! > 1 && out._strides[i] === 0) throw new RuntimeError(INTERNAL_OVERLAP);
    }
  }
  for (const t of inputs) if (t instanceof Tensor) checkPartialOverlap(out, t);
}

/**
 * PyTorch's assert_no_partial_overlap: `out` and `input` are the same elements or disjoint.
 * @example
 * checkPartialOverlap(x, x) // fine: the same elements
 */
export function checkPartialOverlap(out: Tensor, input: Tensor): void {
  if (input !== out && partialOverlap(out, input)) throw new RuntimeError(PARTIAL_OVERLAP);
}

/**
 * A new output for a plan on a device (CPU storage is zeroed; meta has none).
 * @example
 * allocPlan("meta", binaryPlan(x, y)) // the meta result of x + y
 */
export function allocPlan(device: Device, p: Plan): Tensor {
  const strides = p.strides ?? contiguousStrides(p.shape);
  const storage = Storage.allocate(device, p.dtype, numelOf(p.shape));
  return new Tensor(storage, p.shape, strides, 0, p.dtype, device, defaultKeySet(device));
}

type AnyRule = (a?: unknown, b?: unknown, c?: unknown, d?: unknown) => Plan;
type AnyBody = (out: Tensor, p: Plan, a?: unknown, b?: unknown, c?: unknown, d?: unknown) => void;
type AnyCheck = (self: Tensor, p: Plan, a?: unknown, b?: unknown, c?: unknown, d?: unknown) => void;

/**
 * Every tensor argument must be on `device`, except 0-dim CPU tensors (wrapped numbers and
 * scalars go anywhere), with the message PyTorch gives for meta kernels.
 * @example
 * checkDevices("meta", [metaX, cpuScalar]) // fine: 0-dim CPU tensors go anywhere
 */
export function checkDevices(device: Device, args: readonly unknown[]): void {
  for (const t of args) {
    if (t instanceof Tensor && t.device !== device && !(t.device === "cpu" && t._shape.length === 0)) {
      throw new RuntimeError(`Tensor on device ${t.device} is not on the expected device ${device}!`);
    }
  }
}

const offCpu = (t: unknown): boolean => t instanceof Tensor && t.device !== "cpu";

function checkCpu(a: unknown, b: unknown, c: unknown, d: unknown): void {
  if (offCpu(a) || offCpu(b) || offCpu(c) || offCpu(d)) checkDevices("cpu", [a, b, c, d]);
}

/**
 * A structured pointwise op (up to four arguments): the rule validates and plans (the Meta kernel
 * just allocates from it); the CPU kernel allocates, then `cpu` raises data-dependent errors
 * before writing anything, and fills the output.
 * @example
 * structuredDecl("exp(Tensor self) -> Tensor", rule, cpu)
 */
export function structuredDecl(schema: string, rule: AnyRule, cpu: AnyBody): OpDecl {
  return {
    schema,
    cpuKernel: ((a?: unknown, b?: unknown, c?: unknown, d?: unknown) => {
      checkCpu(a, b, c, d);
      const p = rule(a, b, c, d);
      const out = allocPlan("cpu", p);
      cpu(out, p, a, b, c, d);
      return out;
    }) as OpDecl["cpuKernel"],
    metaKernel: ((a?: unknown, b?: unknown, c?: unknown, d?: unknown) => {
      checkDevices("meta", [a, b, c, d]);
      return allocPlan("meta", rule(a, b, c, d));
    }) as OpDecl["metaKernel"],
  };
}

/**
 * The in-place form of a structured pointwise op: overlap checks, the rule, then `check` (the
 * result must fit self: shape and castability), then `cpu(self, ...)`; bumps self's version.
 * @example
 * structuredInplaceDecl("exp_(Tensor(a!) self) -> Tensor(a!)", rule, check, cpu)
 */
export function structuredInplaceDecl(schema: string, rule: AnyRule, check: AnyCheck, cpu: AnyBody): OpDecl {
  const kernel = (device: Device) => (self: Tensor, b?: unknown, c?: unknown, d?: unknown) => {
    if (device === "cpu") checkCpu(self, b, c, d);
    else checkDevices(device, [self, b, c, d]);
    checkOverlaps(self, [b, c, d]);
    const p = rule(self, b, c, d);
    check(self, p, self, b, c, d);
    if (device === "cpu") cpu(self, p, self, b, c, d);
    return self;
  };
  return { schema, cpuKernel: kernel("cpu") as OpDecl["cpuKernel"], metaKernel: kernel("meta") as OpDecl["metaKernel"] };
}

/**
 * The same kernel at CPU and Meta (ops whose CPU kernel only calls other ops, like `rsub.Tensor`).
 * @example
 * bothBackends("isnan(Tensor self) -> Tensor", (self) => callOp("aten::ne.Tensor", [self, self]))
 */
export function bothBackends(schema: string, kernel: (...args: never[]) => unknown): OpDecl {
  return { schema, cpuKernel: kernel, metaKernel: kernel };
}

/** The device a CompositeExplicitAutograd kernel runs for: meta when any tensor argument is. */
function deviceOfArgs(a: unknown, b: unknown, c: unknown, d: unknown): Device {
  for (const t of [a, b, c, d]) if (t instanceof Tensor && t.device === "meta") return "meta";
  return "cpu";
}

/**
 * A CompositeExplicitAutograd pointwise op (one kernel for every backend, e.g. `abs`,
 * `logical_and`): the rule plans, the output is allocated on the arguments' device, and the CPU
 * body fills it.
 * @example
 * explicitDecl("abs(Tensor self) -> Tensor", rule, cpu)
 */
export function explicitDecl(schema: string, rule: AnyRule, cpu: AnyBody): OpDecl {
  return {
    schema,
    explicit: ((a?: unknown, b?: unknown, c?: unknown, d?: unknown) => {
      const device = deviceOfArgs(a, b, c, d);
      checkDevices(device, [a, b, c, d]);
      const p = rule(a, b, c, d);
      const out = allocPlan(device, p);
      if (device === "cpu") cpu(out, p, a, b, c, d);
      return out;
    }) as OpDecl["explicit"],
  };
}

/**
 * The in-place form of {@link explicitDecl}.
 * @example
 * explicitInplaceDecl("abs_(Tensor(a!) self) -> Tensor(a!)", rule, check, cpu)
 */
export function explicitInplaceDecl(schema: string, rule: AnyRule, check: AnyCheck, cpu: AnyBody): OpDecl {
  return {
    schema,
    explicit: ((self: Tensor, b?: unknown, c?: unknown, d?: unknown) => {
      checkDevices(self.device, [self, b, c, d]);
      checkOverlaps(self, [b, c, d]);
      const p = rule(self, b, c, d);
      check(self, p, self, b, c, d);
      if (self.device === "cpu") cpu(self, p, self, b, c, d);
      return self;
    }) as OpDecl["explicit"],
  };
}
