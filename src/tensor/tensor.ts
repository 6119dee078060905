// Tensor: metadata (shape, strides, offset, dtype, device, key set, version counter) over a
// Storage owned by a backend. CPU storage wraps a typed array and is garbage-collected like any
// JS object; meta tensors have no data. Every operation goes through the dispatcher: the methods
// users call are added in tensor-methods.ts and only call `ops.aten.*`.

import { BackendComponent, DispatchKey } from "../core/dispatch-key.js";
import { type RawKeySet, keySetOf } from "../core/dispatch-key-set.js";
import { RuntimeError } from "../core/errors.js";
import { dispatchContext } from "../core/dispatch-context.js";
import type { OpOverload } from "../dispatcher/op-overload.js";
import { type DType, type TypedArray, allocArray, itemsize } from "./dtype.js";
import { contiguousStrides, isContiguousLayout, numelOf, wrapDim } from "./shape.js";
import { type TensorSubclass, type WrapperOptions, makeSubclass, makeWrapperSubclass } from "./subclass.js";

/** Devices aten-ts implements. */
export type Device = "cpu" | "meta";

/** The backend component of a device. */
export function backendOf(device: Device): number {
  return device === "meta" ? BackendComponent.MetaBit : BackendComponent.CPUBit;
}

/** The key set PyTorch gives a plain tensor on a device (CPU: `CPU, ADInplaceOrView, AutogradCPU, AutocastCPU`). */
export function defaultKeySet(device: Device): RawKeySet {
  const keys = device === "meta" ? META_KEYS : CPU_KEYS;
  // a tensor made in inference mode has no autograd keys (an inference tensor)
  return dispatchContext().inferenceMode ? keys & ~AUTOGRAD_RELATED : keys;
}
const AUTOGRAD_RELATED: RawKeySet = keySetOf(DispatchKey.ADInplaceOrView) | keySetOf(DispatchKey.AutogradFunctionality);
const CPU_KEYS: RawKeySet =
  keySetOf(DispatchKey.CPU) | keySetOf(DispatchKey.ADInplaceOrView) | keySetOf(DispatchKey.AutogradCPU) | keySetOf(DispatchKey.AutocastCPU);
const META_KEYS: RawKeySet = keySetOf(DispatchKey.Meta) | keySetOf(DispatchKey.ADInplaceOrView) | keySetOf(DispatchKey.AutogradMeta);

/**
 * The memory of one or more tensors. CPU: a typed array of the dtype's element type; meta: none.
 * `dispose()` drops the data early (later reads fail with a clear error).
 * @example
 * torch.ones([4]).storage?.nbytes // 16
 */
export class Storage {
  private _data: TypedArray | null;
  private disposed = false;
  constructor(
    readonly device: Device,
    data: TypedArray | null,
    /** Size in bytes (also known for meta storage). */
    readonly nbytes: number,
  ) {
    this._data = data;
  }
  /** Allocates zeroed storage for n elements of dtype on a device. */
  static allocate(device: Device, dtype: DType, n: number): Storage {
    return new Storage(device, device === "meta" ? null : allocArray(dtype, n), n * itemsize(dtype));
  }
  get data(): TypedArray {
    if (this._data === null) {
      throw new RuntimeError(
        this.disposed
          ? "Cannot access data of a disposed tensor"
          : this.device === "meta"
            ? "Cannot access data of a meta tensor: it has no data"
            : "Cannot access the data of a tensor that has none (a wrapper subclass holds metadata only: unwrap it in torchDispatch)",
      );
    }
    return this._data;
  }
  get isDisposed(): boolean {
    return this.disposed;
  }
  dispose(): void {
    this._data = null;
    this.disposed = true;
  }
}

/** The version counter shared by a tensor and its views; in-place ops bump it. */
export interface VersionCounter {
  value: number;
}

/** A tensor subclass's handler: PyTorch's `__torch_dispatch__` (see torch-dispatch/). */
export type TorchDispatchHandler = (
  func: OpOverload,
  types: ReadonlyArray<abstract new (...args: never[]) => unknown>,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
) => unknown;

/** The base class's handler: the "disabled" marker. Classes that keep it never get the Python key. */
export const disabledTorchDispatch: TorchDispatchHandler = () => {
  throw new RuntimeError("torchDispatch called on a class that does not define it");
};

/**
 * What a tensor knows of the autograd node that produced it (the autograd layer's Node
 * implements it; the tensor layer knows nothing more).
 */
export interface GradFn {
  /** PyTorch's node name: `AddBackward0`, `MmBackward0`, `AccumulateGrad`. */
  name(): string;
}

/** How a differentiable view was made (PyTorch's CreationMeta): decides whether in-place changes may rebase it. */
export type CreationMeta = "default" | "in_custom_function" | "multi_output_node" | "no_grad_mode" | "inference_mode";

/** @internal Autograd state of a differentiable view (PyTorch's DifferentiableViewMeta). */
export interface ViewMeta {
  creationMeta: CreationMeta;
  /** The version at which the stored node was valid. */
  attrVersion: number;
  /** Replays the view on a new base (set when as_strided cannot, e.g. for subclasses); null: as_strided. */
  viewFn: ((base: Tensor) => Tensor) | null;
}

const ADINPLACE_OR_VIEW: RawKeySet = keySetOf(DispatchKey.ADInplaceOrView);

/**
 * Counts an in-place change of `t` (PyTorch's increment_version); inference tensors have no
 * counter and may only be changed in place inside inference mode.
 */
export function bumpVersion(t: Tensor): void {
  if (t.isInference()) {
    if (!dispatchContext().inferenceMode) {
      throw new RuntimeError(
        "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.",
      );
    }
    return;
  }
  t._version.value++;
}

let viewGradFnHook: (t: Tensor) => GradFn | null = (t) => t._gradFn;
/** @internal Installed by autograd: rebuilds a view's node after an in-place change of its base. */
export function setViewGradFnHook(fn: (t: Tensor) => GradFn | null): void {
  viewGradFnHook = fn;
}

/** Which metadata queries a wrapper subclass answers through its handler (§7.6). */
export type SizesStridesPolicy = "sizes" | "strides";

/** The metadata queries that can go to a handler (aten op base names). */
export type MetadataQuery = "sym_size" | "sym_stride" | "dim" | "sym_numel" | "sym_storage_offset" | "is_contiguous";

let metadataHook: ((t: Tensor, query: MetadataQuery) => unknown) | null = null;
/** @internal The torch-dispatch layer routes policy-governed queries through the handler protocol. */
export function setMetadataQueryHook(fn: (t: Tensor, query: MetadataQuery) => unknown): void {
  metadataHook = fn;
}

/** Options every factory accepts. */
export interface TensorOptions {
  dtype?: DType;
  device?: Device;
  requiresGrad?: boolean;
}

/**
 * A tensor. Create with factories (`tensor`, `zeros`, `randn`...), never with `new` directly.
 * @example
 * const x = torch.tensor([[1, 2], [3, 4]]);
 * x.shape // [2, 2]
 * String(x.add(x)) // "tensor([[2., 4.],\n        [6., 8.]])"
 */
export class Tensor {
  /**
   * Subclasses define `static torchDispatch(func, types, args, kwargs)` to handle every operator
   * called on their instances (PyTorch's `__torch_dispatch__`); the base keeps the disabled marker.
   */
  static torchDispatch: TorchDispatchHandler = disabledTorchDispatch;

  /** The dispatch key set (raw bits), read by the dispatcher. */
  keySet: RawKeySet;
  /** @internal */ _shape: number[];
  /** @internal */ _strides: number[];
  /** @internal */ _offset: number;
  readonly dtype: DType;
  readonly device: Device;
  /** @internal */ _storage: Storage | null;
  /** @internal */ _version: VersionCounter;
  /** The tensor this one is a view of (null for non-views). */
  _base: Tensor | null = null;
  /** @internal The requires_grad flag proper (leaves); see `requiresGrad`. */
  _requiresGrad = false;
  /** Accumulated gradient (autograd). */
  grad: Tensor | null = null;
  /** @internal The stored node; see `gradFn` (a view's node is rebuilt after in-place changes). */
  _gradFn: GradFn | null = null;
  /** @internal Autograd state of a differentiable view (set by the ADInplaceOrView kernels). */
  _viewMeta: ViewMeta | null = null;
  /** @internal Which output of gradFn this tensor is. */
  _outputNr = 0;
  /** @internal Keep .grad for a non-leaf (retainGrad()). */
  _retainsGrad = false;
  /** @internal Set on wrapper subclasses whose handler answers metadata queries. */
  _sizesStridesPolicy: SizesStridesPolicy | null = null;
  /** @internal A 0-dim tensor made from a JS number (promotes like a scalar; see type-promotion.ts). */
  _wrappedNumber = false;
  /** @internal Hooks run on this tensor's gradient during backward. */
  _gradHooks: Array<(grad: Tensor) => Tensor | void> | null = null;

  /** @internal Use the factories. */
  constructor(
    storage: Storage | null,
    shape: number[],
    strides: number[],
    offset: number,
    dtype: DType,
    device: Device,
    keySet?: RawKeySet,
    version?: VersionCounter,
  ) {
    this._storage = storage;
    this._shape = shape;
    this._strides = strides;
    this._offset = offset;
    this.dtype = dtype;
    this.device = device;
    this.keySet = keySet ?? defaultKeySet(device);
    this._version = version ?? { value: 0 };
  }

  /**
   * A tensor of class `cls` with metadata and no data (PyTorch's `_make_wrapper_subclass`); `cls`
   * must define `static torchDispatch`. See tensor/subclass.ts.
   * @example
   * const w = Tensor.makeWrapperSubclass(Wrapped, inner.shape, { dtype: inner.dtype });
   */
  static makeWrapperSubclass<T extends Tensor>(cls: TensorSubclass<T>, shape: readonly number[], opts?: WrapperOptions): T {
    return makeWrapperSubclass(cls, shape, opts);
  }

  /** A tensor of class `cls` sharing `data`'s storage (PyTorch's `_make_subclass`). */
  static makeSubclass<T extends Tensor>(cls: TensorSubclass<T>, data: Tensor, requiresGrad = false): T {
    return makeSubclass(cls, data, requiresGrad);
  }

  /** A fresh contiguous tensor with zeroed (CPU) or no (meta) storage. */
  static empty(shape: readonly number[], dtype: DType, device: Device): Tensor {
    const s = shape.slice();
    return new Tensor(Storage.allocate(device, dtype, numelOf(s)), s, contiguousStrides(s), 0, dtype, device);
  }

  /** Wraps a typed array (not copied) as a contiguous CPU tensor. */
  static fromArray(data: TypedArray, shape: readonly number[], dtype: DType): Tensor {
    const s = shape.slice();
    if (numelOf(s) > data.length) throw new RuntimeError(`fromArray: shape [${s.join(", ")}] needs ${numelOf(s)} elements, got ${data.length}`);
    return new Tensor(new Storage("cpu", data, data.length * itemsize(dtype)), s, contiguousStrides(s), 0, dtype, "cpu");
  }

  /** Asks the handler for a metadata value (policy subclasses); undefined = use the stored one. */
  private query(q: MetadataQuery): unknown {
    const p = this._sizesStridesPolicy;
    if (p === null || metadataHook === null) return undefined;
    if (p === "strides" && q !== "sym_stride" && q !== "is_contiguous") return undefined;
    const r = metadataHook(this, q);
    return r === null ? undefined : r;
  }

  /** The stored metadata, without asking a handler. */
  storedMetadata(): { shape: readonly number[]; strides: readonly number[]; offset: number; contiguous: boolean } {
    return { shape: this._shape, strides: this._strides, offset: this._offset, contiguous: isContiguousLayout(this._shape, this._strides) };
  }

  /** The sizes (read-only; do not mutate). */
  get shape(): readonly number[] {
    if (this._sizesStridesPolicy !== null) return (this.query("sym_size") as number[] | undefined) ?? this._shape;
    return this._shape;
  }
  /** The storage (null for wrapper subclasses, which have metadata only). */
  get storage(): Storage | null {
    return this._storage;
  }
  /** Sizes, or the size of one dimension. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    const shape = this.shape;
    if (dim === undefined) return shape.slice();
    return shape[wrapDim(dim, shape.length)]!;
  }
  /** Strides, or the stride of one dimension. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    const strides = (this._sizesStridesPolicy !== null ? (this.query("sym_stride") as number[] | undefined) : undefined) ?? this._strides;
    if (dim === undefined) return strides.slice();
    return strides[wrapDim(dim, strides.length)]!;
  }
  storageOffset(): number {
    return (this._sizesStridesPolicy !== null ? (this.query("sym_storage_offset") as number | undefined) : undefined) ?? this._offset;
  }
  dim(): number {
    if (this._sizesStridesPolicy !== null) {
      const d = this.query("dim");
      if (d !== undefined) {
        if (typeof d !== "number") throw new TypeError(`dim returned invalid type ${d === null ? "NoneType" : typeof d}, expected int`);
        return d;
      }
    }
    return this._shape.length;
  }
  get ndim(): number {
    return this._shape.length;
  }
  numel(): number {
    return (this._sizesStridesPolicy !== null ? (this.query("sym_numel") as number | undefined) : undefined) ?? numelOf(this._shape);
  }
  elementSize(): number {
    return itemsize(this.dtype);
  }
  isContiguous(): boolean {
    const r = this._sizesStridesPolicy !== null ? this.query("is_contiguous") : undefined;
    return r === undefined ? isContiguousLayout(this._shape, this._strides) : Boolean(r);
  }
  get isMeta(): boolean {
    return this.device === "meta";
  }
  /** Has this tensor a view base? */
  get isView(): boolean {
    return this._base !== null;
  }
  /** The version counter's value (bumped by in-place ops); inference tensors have none. */
  get version(): number {
    if (this.isInference()) throw new RuntimeError("Inference tensors do not track version counter.");
    return this._version.value;
  }
  /**
   * Was this tensor made in inference mode (no autograd keys, no version counter)?
   * @example
   * torch.inferenceMode(() => torch.ones([2])).isInference() // true
   */
  isInference(): boolean {
    return (this.keySet & ADINPLACE_OR_VIEW) === 0;
  }
  /** True for tensors that are not the result of a recorded operation (autograd leaves). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /**
   * The autograd node that produced this tensor; null for leaves. A view whose base (or another
   * view of it) was modified in place gets a fresh node reading from the base's new history, as
   * PyTorch's `grad_fn` does.
   */
  get gradFn(): GradFn | null {
    const vm = this._viewMeta;
    if (vm !== null && vm.attrVersion !== this._version.value) return viewGradFnHook(this);
    return this._gradFn;
  }
  set gradFn(fn: GradFn | null) {
    this._gradFn = fn;
    const vm = this._viewMeta;
    if (vm !== null) vm.attrVersion = this._version.value;
  }
  /**
   * Does autograd track operations on this tensor? True for leaves marked with `requiresGrad_()`,
   * results of recorded operations, and views of tensors that require grad.
   */
  get requiresGrad(): boolean {
    if (this._requiresGrad || this.gradFn !== null) return true;
    return this._viewMeta !== null && this._base!.requiresGrad;
  }
  set requiresGrad(on: boolean) {
    this._requiresGrad = on;
  }

  /** The CPU data array (storage order; use with strides and offset). */
  data(): TypedArray {
    if (!this._storage) throw new RuntimeError("This tensor has no storage (a wrapper subclass or an undefined tensor)");
    return this._storage.data;
  }

  /** Frees the storage now instead of waiting for garbage collection. */
  dispose(): void {
    this._storage?.dispose();
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * Is v a Tensor?
 * @example
 * torch.isTensor(torch.ones([1])) // true
 */
export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}

/** Wraps a CPU view of a tensor: same storage and version counter, new metadata. */
export function makeView(base: Tensor, shape: number[], strides: number[], offset: number): Tensor {
  const t = new Tensor(base._storage, shape, strides, offset, base.dtype, base.device, base.keySet, base._version);
  t._base = base._base ?? base;
  return t;
}
