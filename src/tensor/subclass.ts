// Tensor subclasses with a `static torchDispatch` handler (§7.5): their instances carry the Python
// and PythonTLSSnapshot keys, so every operator that sees one reaches the Python fallback.
// `makeWrapperSubclass` makes such a tensor with metadata and no data; `makeSubclass` aliases
// another tensor's storage. Both run with the mode stack stashed, so no mode sees them.

import { PYTHON_KS } from "../core/dispatch-key-set.js";
import { RuntimeError } from "../core/errors.js";
import { type DType, DEFAULT_DTYPE, itemsize, toDType } from "./dtype.js";
import { contiguousStrides } from "./shape.js";
import { type Device, type SizesStridesPolicy, Storage, Tensor, defaultKeySet, disabledTorchDispatch } from "./tensor.js";

/** A Tensor subclass constructor. */
export type TensorSubclass<T extends Tensor = Tensor> = (abstract new (...args: never[]) => T) & { torchDispatch: typeof Tensor.torchDispatch };

/** Does the class define its own (non-disabled) torchDispatch? */
export function hasTorchDispatch(cls: unknown): boolean {
  const h = (cls as { torchDispatch?: unknown }).torchDispatch;
  return typeof h === "function" && h !== disabledTorchDispatch;
}

/** Options of {@link makeWrapperSubclass}. */
export interface WrapperOptions {
  dtype?: DType;
  device?: Device;
  strides?: readonly number[];
  storageOffset?: number;
  requiresGrad?: boolean;
  /** Storage size in bytes (default: computed from sizes, strides, offset). */
  storageSize?: number;
  /**
   * Route metadata queries to the class's torchDispatch (PyTorch's dispatch_sizes_strides_policy):
   * "sizes" sends shape/size/stride/dim/numel/storage offset/contiguity queries, "strides" only the
   * stride and contiguity ones. A handler returning null means "use the stored value".
   */
  dispatchSizesStridesPolicy?: SizesStridesPolicy;
}

/**
 * A tensor of class `cls` with the given metadata and no data (PyTorch's
 * `_make_wrapper_subclass`). Its key set is the device's usual keys plus Python and
 * PythonTLSSnapshot.
 * @example
 * const w = Tensor.makeWrapperSubclass(Wrapped, inner.shape, { dtype: inner.dtype });
 */
export function makeWrapperSubclass<T extends Tensor>(cls: TensorSubclass<T>, shape: readonly number[], opts: WrapperOptions = {}): T {
  if (!hasTorchDispatch(cls)) throw new TypeError(`${cls.name} must define torchDispatch`);
  if (opts.storageOffset !== undefined && opts.strides === undefined) {
    throw new RuntimeError("setting storage offset without stride not supported");
  }
  const dtype = opts.dtype ? toDType(opts.dtype) : DEFAULT_DTYPE;
  const device = opts.device ?? "cpu";
  const size = shape.slice();
  const strides = opts.strides ? opts.strides.slice() : contiguousStrides(size);
  const offset = opts.storageOffset ?? 0;
  let extent = size.some((s) => s === 0) ? 0 : offset + 1;
  if (extent > 0) for (let i = 0; i < size.length; i++) extent += (size[i]! - 1) * strides[i]!;
  const nbytes = opts.storageSize ?? extent * itemsize(dtype);
  const storage = new Storage(device, null, nbytes);
  const t = Reflect.construct(Tensor, [storage, size, strides, offset, dtype, device, defaultKeySet(device) | PYTHON_KS], cls) as T;
  if (opts.requiresGrad) t.requiresGrad = true;
  if (opts.dispatchSizesStridesPolicy) t._sizesStridesPolicy = opts.dispatchSizesStridesPolicy;
  return t;
}

/**
 * A tensor of class `cls` sharing `data`'s storage and metadata (PyTorch's `_make_subclass`).
 * It carries the Python keys when `cls` defines torchDispatch.
 */
export function makeSubclass<T extends Tensor>(cls: TensorSubclass<T>, data: Tensor, requiresGrad = false): T {
  const keys = defaultKeySet(data.device) | (hasTorchDispatch(cls) ? PYTHON_KS : 0);
  const t = Reflect.construct(
    Tensor,
    [data._storage, data._shape.slice(), data._strides.slice(), data._offset, data.dtype, data.device, keys, data._version],
    cls,
  ) as T;
  t.requiresGrad = requiresGrad;
  return t;
}
