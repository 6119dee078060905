// FakeTensorMode: run a program with tensors that have shape, dtype, strides and device but no
// data. Each op runs on meta tensors (the Meta kernels run the shape rules) and the results come
// back as FakeTensors on the device a real run would use. Real tensors entering the mode are
// converted; ops whose output depends on data raise. An infra mode (slot FAKE), as in PyTorch.

import { RuntimeError } from "../core/errors.js";
import type { OpOverload } from "../dispatcher/op-overload.js";
import { type Device, Storage, Tensor } from "../tensor/tensor.js";
import { isWrappedNumber } from "../tensor/type-promotion.js";
import { torchDTypeName } from "../tensor/dtype.js";
import { NotImplemented, TorchDispatchMode, type TensorClass } from "../torch-dispatch/torch-dispatch-mode.js";

/**
 * Raised for an op whose output values (e.g. `item`) depend on data fake tensors do not have.
 * @example
 * new FakeTensorMode().run(() => torch.ones([1]).item()) // throws
 */
export class DataDependentOutputException extends RuntimeError {
  constructor(readonly op: string) {
    super(`${op}: the output depends on tensor data, which fake tensors do not have (DataDependentOutputException)`);
    this.name = "DataDependentOutputException";
  }
}

/**
 * Raised for an op whose output shape depends on data (e.g. `nonzero`).
 * @example
 * new FakeTensorMode().run(() => torch.ones([2]).nonzero()) // throws
 */
export class DynamicOutputShapeException extends RuntimeError {
  constructor(readonly op: string) {
    super(`${op}: the output shape depends on tensor data, which fake tensors do not have (DynamicOutputShapeException)`);
    this.name = "DynamicOutputShapeException";
  }
}

const DATA_DEPENDENT = new Set(["aten::_local_scalar_dense", "aten::item", "aten::equal", "aten::allclose"]);
const DYNAMIC_SHAPE = new Set(["aten::nonzero", "aten::masked_select", "aten::unique", "aten::_unique2", "aten::repeat_interleave.Tensor"]);

/**
 * A tensor with metadata and no data, owned by a FakeTensorMode. `meta` is the meta tensor that
 * carries its layout.
 * @example
 * new torch.FakeTensorMode().run(() => torch.ones([2, 3])) // FakeTensor(..., size=(2, 3))
 */
export class FakeTensor extends Tensor {
  /** The meta tensor with the same shape, dtype, strides and storage aliasing. */
  meta!: Tensor;
  /** The mode that made it. */
  fakeMode!: FakeTensorMode;

  /** Used outside its mode, a fake tensor still computes through that mode. */
  static override torchDispatch(func: OpOverload, _types: readonly TensorClass[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    const owner = findFake(args) ?? findFake(Object.values(kwargs));
    if (!owner) return NotImplemented;
    return owner.fakeMode.dispatchFake(func, args, kwargs);
  }

  override toString(): string {
    const dtype = this.dtype === "float32" ? "" : `, dtype=${torchDTypeName(this.dtype)}`;
    const device = this.device === "cpu" ? "" : `, device='${this.device}'`;
    return `FakeTensor(..., size=(${this.shape.join(", ")}${this.shape.length === 1 ? "," : ""})${dtype}${device})`;
  }
}

function findFake(vs: readonly unknown[]): FakeTensor | undefined {
  for (const v of vs) {
    if (v instanceof FakeTensor) return v;
    if (Array.isArray(v)) {
      const f = findFake(v);
      if (f) return f;
    }
  }
  return undefined;
}

/**
 * Runs code on fake tensors: shapes, dtypes and strides as a real run, no data, no kernel on real
 * data. Reports the bytes a real run would allocate.
 * @example
 * const mode = new FakeTensorMode();
 * const y = mode.run(() => torch.randn([64, 784]).matmul(w));
 * y.shape; mode.peakBytes;
 */
export class FakeTensorMode extends TorchDispatchMode {
  override readonly modeKey = "FAKE" as const;
  private readonly fromRealMemo = new WeakMap<Tensor, FakeTensor>();
  private readonly seenStorages = new WeakSet<Storage>();
  /**
   * Bytes of new storage the ops allocated, counted as if nothing were freed before the run ends
   * (an upper bound on a real run's peak; JS garbage collection is not observable).
   */
  peakBytes = 0;
  /** Number of ops run. */
  opCount = 0;

  static override isInfraMode(): boolean {
    return true;
  }

  /** A fake copy of a real tensor (memoized: the same real tensor gives the same fake). */
  fromReal(t: Tensor): FakeTensor {
    if (t instanceof FakeTensor) return t;
    const memo = this.fromRealMemo.get(t);
    if (memo) return memo;
    const meta = new Tensor(new Storage("meta", null, t._storage?.nbytes ?? 0), t._shape.slice(), t._strides.slice(), t._offset, t.dtype, "meta");
    const f = this.wrap(meta, t.device);
    this.fromRealMemo.set(t, f);
    return f;
  }

  private wrap(meta: Tensor, device: Device): FakeTensor {
    const f = Tensor.makeWrapperSubclass(FakeTensor, meta._shape, {
      dtype: meta.dtype,
      device,
      strides: meta._strides,
      storageOffset: meta._offset,
    });
    f.meta = meta;
    f.fakeMode = this;
    return f;
  }

  override torchDispatch(func: OpOverload, types: readonly TensorClass[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    // Other subclasses get their handlers first (PyTorch's infra-mode rule).
    if (types.some((t) => t !== FakeTensor && (t as unknown) !== Tensor)) return NotImplemented;
    return this.dispatchFake(func, args, kwargs);
  }

  /** Runs one op on the meta counterparts of its arguments and wraps the results. */
  dispatchFake(func: OpOverload, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    if (DATA_DEPENDENT.has(func.name) || DATA_DEPENDENT.has(func.name.split(".")[0]!)) throw new DataDependentOutputException(String(func));
    if (DYNAMIC_SHAPE.has(func.name) || DYNAMIC_SHAPE.has(func.name.split(".")[0]!)) throw new DynamicOutputShapeException(String(func));
    let device: Device | undefined;
    const toMeta = (v: unknown): unknown => {
      if (v instanceof Tensor) {
        if (isWrappedNumber(v)) return v; // a JS scalar stays a scalar
        const f = this.fromReal(v);
        device ??= f.device;
        return f.meta;
      }
      return Array.isArray(v) ? v.map(toMeta) : v;
    };
    const metaArgs = args.map(toMeta);
    const metaKwargs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(kwargs)) metaKwargs[k] = toMeta(v);
    if (typeof metaKwargs.device === "string") {
      device = metaKwargs.device as Device;
      metaKwargs.device = "meta";
    }
    const inputStorages = new Set<unknown>();
    const collect = (v: unknown) => {
      if (v instanceof Tensor) inputStorages.add(v._storage);
      else if (Array.isArray(v)) v.forEach(collect);
    };
    metaArgs.forEach(collect);
    this.opCount++;
    const out = func(...metaArgs, metaKwargs);
    const outDevice = device ?? "cpu";
    // an op that writes an argument (in place, or metadata in place: transpose_, as_strided_...)
    // returns that fake tensor itself, with its shape, strides and offset updated
    const written = new Map<Tensor, FakeTensor>();
    func.schema.arguments.forEach((a, i) => {
      const orig = args[i];
      if (a.aliasInfo?.isWrite && orig instanceof FakeTensor) {
        const m = orig.meta;
        orig._shape = m._shape.slice();
        orig._strides = m._strides.slice();
        orig._offset = m._offset;
        written.set(m, orig);
      }
    });
    const wrapOut = (v: unknown): unknown => {
      if (v instanceof Tensor) {
        const self = written.get(v);
        if (self) return self;
        if (v._storage && !inputStorages.has(v._storage) && !this.seenStorages.has(v._storage as Storage)) {
          this.seenStorages.add(v._storage as Storage);
          this.peakBytes += v._storage.nbytes;
        }
        return this.wrap(v, outDevice);
      }
      return Array.isArray(v) ? v.map(wrapOut) : v;
    };
    return wrapOut(out);
  }
}
