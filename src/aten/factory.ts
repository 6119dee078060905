// Factory and conversion operators: empty, empty_strided, zeros/ones/full and their _like forms,
// arange, linspace, eye, scalar_tensor, fill_/zero_, copy_, lift_fresh, _to_copy/to, item.
// Dispatch as in PyTorch: tensor-less factories reach their kernel through BackendSelect (empty,
// empty_strided) or the Undefined slot (CompositeExplicitAutograd composites).

import { DispatchKey } from "../core/dispatch-key.js";
import { keySetOf } from "../core/dispatch-key-set.js";
import { NotImplementedError, RuntimeError } from "../core/errors.js";
import { dispatcher } from "../dispatcher/dispatcher.js";
import { copyInto, fillTensor, toFlatArray } from "../backends/cpu/strided-loops.js";
import { checkedScalar } from "../backends/cpu/pointwise-math.js";
import { DEFAULT_DTYPE, type DType, isFloatingType, toDType } from "../tensor/dtype.js";
import { checkShape, contiguousStrides, numelOf } from "../tensor/shape.js";
import { type Device, Storage, Tensor } from "../tensor/tensor.js";
import { scalarDType } from "../tensor/type-promotion.js";
import { callOp as atenCall, opHandle as atenHandle } from "../dispatcher/call-op.js";
import { type OpDecl, allocate } from "./op-decl.js";
import { inferDenseStrides, isNonOverlappingAndDense } from "./shape-geometry.js";

type Scalar = number | boolean | bigint;
type Opt<T> = T | null;

const dev = (d: Opt<string>): Device => (d === null || d === undefined ? "cpu" : (d as Device));
const dt = (d: Opt<DType>, fallback: DType = DEFAULT_DTYPE): DType => (d === null || d === undefined ? fallback : toDType(d));

function backendSelect(name: string, deviceArg: number) {
  return (...args: unknown[]) => {
    const device = dev(args[deviceArg] as Opt<string>);
    return dispatcher.redispatch(atenHandle(name), keySetOf(device === "meta" ? DispatchKey.Meta : DispatchKey.CPU), args);
  };
}

function emptyKernel(device: Device) {
  return (size: number[], dtype: Opt<DType>) => {
    checkShape(size);
    return Tensor.empty(size, dt(dtype), device);
  };
}

function emptyStridedKernel(device: Device) {
  return (size: number[], stride: number[], dtype: Opt<DType>) => {
    checkShape(size);
    if (stride.length !== size.length) throw new RuntimeError(`mismatch in length of strides and shape`);
    return allocate(device, { shape: size, strides: stride, dtype: dt(dtype) });
  };
}

/** Strides for a `_like` result with preserve_format: the input's when dense, else inferred dense ones. */
function likeStrides(self: Tensor): number[] {
  return isNonOverlappingAndDense(self._shape, self._strides) ? self._strides.slice() : inferDenseStrides(self._shape, self._strides);
}

/** aten's MemoryFormat codes: contiguous_format 0, preserve_format 1. */
const PRESERVE = 1;

function fullDType(v: Scalar): DType {
  const d = scalarDType(v);
  return d === "float64" ? DEFAULT_DTYPE : d;
}

function castScalar(v: Scalar, dtype: DType): number {
  const n = typeof v === "bigint" ? Number(v) : Number(v);
  if (dtype === "bool") return n !== 0 ? 1 : 0;
  if (!isFloatingType(dtype)) return Number.isFinite(n) ? Math.trunc(n) : 0;
  return n;
}

function arangeLength(start: number, end: number, step: number): number {
  if (step === 0) throw new RuntimeError("step must be nonzero");
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RuntimeError(`unsupported range: ${start} -> ${end}`);
  if ((step > 0 && end < start) || (step < 0 && end > start)) throw new RuntimeError("upper bound and larger bound inconsistent with step sign");
  return Math.max(0, Math.ceil((end - start) / step));
}

function arangeKernel(device: Device) {
  return (start: Scalar, end: Scalar, step: Scalar, dtype: Opt<DType>) => {
    const [s, e, st] = [Number(start), Number(end), Number(step)];
    const d = dtype ?? ([start, end, step].every((v) => scalarDType(v) === "int64") ? "int64" : DEFAULT_DTYPE);
    const n = arangeLength(s, e, st);
    const out = Tensor.empty([n], toDType(d), device);
    if (device === "cpu") {
      const data = out.data();
      for (let i = 0; i < n; i++) data[i] = castScalar(s + i * st, out.dtype);
    }
    return out;
  };
}

function linspaceKernel(device: Device) {
  return (start: Scalar, end: Scalar, steps: number, dtype: Opt<DType>) => {
    if (steps < 0) throw new RuntimeError("number of steps must be non-negative");
    const out = Tensor.empty([steps], dt(dtype), device);
    if (device === "cpu") {
      const data = out.data();
      const [a, b] = [Number(start), Number(end)];
      const step = steps > 1 ? (b - a) / (steps - 1) : 0;
      const half = Math.floor(steps / 2);
      // PyTorch fills the first half from the start and the second half from the end.
      for (let i = 0; i < steps; i++) data[i] = castScalar(i < half ? a + step * i : b - step * (steps - i - 1), out.dtype);
    }
    return out;
  };
}

function eyeKernel(n: number, m: number, dtype: Opt<DType>, device: Opt<string>): Tensor {
  if (n < 0) throw new RuntimeError(`n must be greater or equal to 0, got ${n}`);
  if (m < 0) throw new RuntimeError(`m must be greater or equal to 0, got ${m}`);
  const out = atenCall("aten::zeros", [[n, m], dtype, null, device, null]) as Tensor;
  if (out.device === "cpu") {
    const data = out.data();
    for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  }
  return out;
}

function checkSameSize(self: Tensor, src: Tensor): void {
  const n = Math.max(self._shape.length, src._shape.length);
  for (let i = 0; i < n; i++) {
    const a = self._shape[self._shape.length - n + i] ?? 1;
    const b = src._shape[src._shape.length - n + i] ?? 1;
    if (b !== a && b !== 1) {
      throw new RuntimeError(`The size of tensor a (${a}) must match the size of tensor b (${b}) at non-singleton dimension ${i}`);
    }
  }
  if (src._shape.length > self._shape.length) {
    throw new RuntimeError(`output with shape [${self._shape.join(", ")}] doesn't match the broadcast shape [${src._shape.join(", ")}]`);
  }
}

/** The factory and conversion operators, in native_functions.yaml order. */
export const factoryOps: readonly OpDecl[] = [
  {
    schema: "arange(Scalar end, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((end: Scalar, dtype: Opt<DType>, layout: unknown, device: Opt<string>, pin: unknown) =>
      atenCall("aten::arange.start_step", [0, end, 1, dtype, layout, device, pin])) as never,
  },
  {
    schema: "arange.start(Scalar start, Scalar end, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((start: Scalar, end: Scalar, dtype: Opt<DType>, layout: unknown, device: Opt<string>, pin: unknown) =>
      atenCall("aten::arange.start_step", [start, end, 1, dtype, layout, device, pin])) as never,
  },
  {
    schema: "arange.start_step(Scalar start, Scalar end, Scalar step=1, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((start: Scalar, end: Scalar, step: Scalar, dtype: Opt<DType>, _l: unknown, device: Opt<string>) =>
      arangeKernel(dev(device))(start, end, step, dtype)) as never,
  },
  {
    schema: "empty.memory_format(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor",
    cpuKernel: emptyKernel("cpu") as never,
    metaKernel: emptyKernel("meta") as never,
    extra: [["BackendSelect", backendSelect("aten::empty.memory_format", 3) as never]],
  },
  {
    schema: "empty_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor",
    explicit: ((self: Tensor, dtype: Opt<DType>, _l: unknown, device: Opt<string>, pin: unknown, mf: Opt<number | string>) => {
      const d = dt(dtype, self.dtype);
      const dv = device === null || device === undefined ? self.device : dev(device);
      if (mf === null || mf === undefined || mf === PRESERVE || mf === "preserve_format") {
        return atenCall("aten::empty_strided", [self._shape.slice(), likeStrides(self), d, null, dv, pin ?? null]);
      }
      return atenCall("aten::empty.memory_format", [self._shape.slice(), d, null, dv, pin ?? null, mf]);
    }) as never,
  },
  {
    schema: "empty_strided(SymInt[] size, SymInt[] stride, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    cpuKernel: emptyStridedKernel("cpu") as never,
    metaKernel: emptyStridedKernel("meta") as never,
    extra: [["BackendSelect", backendSelect("aten::empty_strided", 4) as never]],
  },
  {
    schema: "eye(SymInt n, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((n: number, dtype: Opt<DType>, _l: unknown, device: Opt<string>) => eyeKernel(n, n, dtype, device)) as never,
  },
  {
    schema: "eye.m(SymInt n, SymInt m, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((n: number, m: number, dtype: Opt<DType>, _l: unknown, device: Opt<string>) => eyeKernel(n, m, dtype, device)) as never,
  },
  {
    schema: "fill_.Scalar(Tensor(a!) self, Scalar value) -> Tensor(a!)",
    inplace: true,
    meta: (() => []) as never,
    // c10's checked Scalar conversion: a value the dtype cannot hold raises PyTorch's overflow error
    cpu: ((self: Tensor, _s: Tensor, value: Scalar) => fillTensor(self, (checkedScalar(self.dtype, value), castScalar(value, self.dtype)))) as never,
  },
  {
    schema: "fill_.Tensor(Tensor(a!) self, Tensor value) -> Tensor(a!)",
    inplace: true,
    meta: ((_self: Tensor, value: Tensor) => {
      if (value._shape.length !== 0) {
        throw new RuntimeError(`fill_ only supports 0-dimension value tensor but got tensor with ${value._shape.length} dimensions.`);
      }
      return [];
    }) as never,
    cpu: ((self: Tensor, _s: Tensor, value: Tensor) => fillTensor(self, castScalar(toFlatArray(value)[0]!, self.dtype))) as never,
  },
  {
    schema: "full(SymInt[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((size: number[], v: Scalar, dtype: Opt<DType>, layout: unknown, device: Opt<string>, pin: unknown) => {
      const t = atenCall("aten::empty.memory_format", [size, dtype ?? fullDType(v), layout, device, pin, null]);
      return atenCall("aten::fill_.Scalar", [t, v]);
    }) as never,
  },
  {
    schema: "full_like(Tensor self, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor",
    explicit: ((self: Tensor, v: Scalar, dtype: Opt<DType>, layout: unknown, device: Opt<string>, pin: unknown, mf: unknown) => {
      const t = atenCall("aten::empty_like", [self, dtype, layout, device, pin, mf]);
      return atenCall("aten::fill_.Scalar", [t, v]);
    }) as never,
  },
  {
    schema: "linspace(Scalar start, Scalar end, int steps, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((start: Scalar, end: Scalar, steps: number, dtype: Opt<DType>, _l: unknown, device: Opt<string>) =>
      linspaceKernel(dev(device))(start, end, steps, dtype)) as never,
  },
  {
    schema:
      "new_empty_strided(Tensor self, SymInt[] size, SymInt[] stride, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((self: Tensor, size: number[], stride: number[], dtype: Opt<DType>, _l: unknown, device: Opt<string>, pin: unknown) =>
      atenCall("aten::empty_strided", [size, stride, dtype ?? self.dtype, null, device ?? self.device, pin ?? null])) as never,
  },
  {
    schema: "ones(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((size: number[], dtype: Opt<DType>, layout: unknown, device: Opt<string>, pin: unknown) =>
      atenCall("aten::full", [size, 1, dtype ?? DEFAULT_DTYPE, layout, device, pin])) as never,
  },
  {
    schema: "ones_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor",
    explicit: ((self: Tensor, dtype: Opt<DType>, layout: unknown, device: Opt<string>, pin: unknown, mf: unknown) =>
      atenCall("aten::full_like", [self, 1, dtype, layout, device, pin, mf])) as never,
  },
  {
    schema: "scalar_tensor(Scalar s, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((s: Scalar, dtype: Opt<DType>, layout: unknown, device: Opt<string>, pin: unknown) => {
      const t = atenCall("aten::empty.memory_format", [[], dtype ?? DEFAULT_DTYPE, layout, device, pin, null]);
      return atenCall("aten::fill_.Scalar", [t, s]);
    }) as never,
  },
  {
    schema: "zeros(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
    explicit: ((size: number[], dtype: Opt<DType>, layout: unknown, device: Opt<string>, pin: unknown) => {
      const t = atenCall("aten::empty.memory_format", [size, dtype, layout, device, pin, null]);
      return atenCall("aten::zero_", [t]);
    }) as never,
  },
  {
    schema: "zeros_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor",
    explicit: ((self: Tensor, dtype: Opt<DType>, layout: unknown, device: Opt<string>, pin: unknown, mf: unknown) => {
      const t = atenCall("aten::empty_like", [self, dtype, layout, device, pin, mf]);
      return atenCall("aten::zero_", [t]);
    }) as never,
  },
  {
    schema: "_to_copy(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, bool non_blocking=False, MemoryFormat? memory_format=None) -> Tensor",
    explicit: ((self: Tensor, dtype: Opt<DType>, _l: unknown, device: Opt<string>) => {
      const d = dt(dtype, self.dtype);
      const dv = device === null || device === undefined ? self.device : dev(device);
      const out = atenCall("aten::empty_strided", [self._shape.slice(), likeStrides(self), d, null, dv, null]) as Tensor;
      if (dv === "cpu" && self.device === "meta") {
        throw new NotImplementedError("Cannot copy out of meta tensor; no data!");
      }
      if (dv === "cpu") copyInto(out, self);
      return out;
    }) as never,
  },
  {
    schema: "copy_(Tensor(a!) self, Tensor src, bool non_blocking=False) -> Tensor(a!)",
    inplace: true,
    meta: ((self: Tensor, src: Tensor) => (checkSameSize(self, src), [])) as never,
    cpu: ((self: Tensor, _s: Tensor, src: Tensor) => {
      if (src.device === "meta") throw new NotImplementedError("Cannot copy out of meta tensor; no data!");
      // copy through a temporary when src and self share storage and overlap
      const source = src._storage === self._storage ? cloneData(src) : src;
      copyInto(self, source);
    }) as never,
  },
  {
    schema: "_local_scalar_dense(Tensor self) -> Scalar",
    cpuKernel: ((self: Tensor) => {
      if (numelOf(self._shape) !== 1) {
        throw new RuntimeError(`a Tensor with ${numelOf(self._shape)} elements cannot be converted to Scalar`);
      }
      const v = toFlatArray(self)[0]!;
      return self.dtype === "bool" ? v !== 0 : v;
    }) as never,
  },
  {
    schema: "item(Tensor self) -> Scalar",
    composite: ((self: Tensor) => atenCall("aten::_local_scalar_dense", [self])) as never,
  },
  {
    schema: "lift_fresh(Tensor(a) self) -> Tensor(a)",
    explicit: ((self: Tensor) => self) as never,
  },
  {
    schema: "to.dtype(Tensor(a) self, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)",
    composite: ((self: Tensor, dtype: DType, nb: boolean, copy: boolean, mf: unknown) =>
      !copy && toDType(dtype) === self.dtype ? self : atenCall("aten::_to_copy", [self, dtype, null, null, null, nb, mf])) as never,
  },
  {
    schema: "to.device(Tensor(a) self, Device device, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)",
    composite: ((self: Tensor, device: string, dtype: DType, nb: boolean, copy: boolean, mf: unknown) =>
      !copy && toDType(dtype) === self.dtype && device === self.device
        ? self
        : atenCall("aten::_to_copy", [self, dtype, null, device, null, nb, mf])) as never,
  },
  {
    schema: "zero_(Tensor(a!) self) -> Tensor(a!)",
    inplace: true,
    meta: (() => []) as never,
    cpu: ((self: Tensor) => fillTensor(self, 0)) as never,
  },
];

function cloneData(t: Tensor): Tensor {
  const c = new Tensor(Storage.allocate("cpu", t.dtype, numelOf(t._shape)), t._shape.slice(), contiguousStrides(t._shape), 0, t.dtype, "cpu");
  copyInto(c, t);
  return c;
}
