// The CPU side of `view(dtype)`: the same bytes read as another dtype, by a typed array of the new
// element type over the storage's ArrayBuffer (writes through either are seen by both). int64 is
// kept as float64 numbers (dtype.ts), not as its 64-bit pattern, so it cannot be reinterpreted.

import { NotImplementedError, RuntimeError } from "../../core/errors.js";
import { type DType, arrayConstructor, itemsize } from "../../tensor/dtype.js";
import { Storage } from "../../tensor/tensor.js";

/**
 * A storage sharing `storage`'s bytes, typed as `to`.
 * @throws NotImplementedError when either dtype is int64 (aten-ts does not store its bits)
 * @example
 * reinterpretStorage(floatStorage, "float32", "int32").data // Int32Array over the same buffer
 */
export function reinterpretStorage(storage: Storage, from: DType, to: DType): Storage {
  if (from === "int64" || to === "int64") {
    throw new NotImplementedError(
      `view(${to}) of a ${from} tensor: aten-ts stores int64 as float64 numbers, not as 64-bit patterns, so it cannot reinterpret int64 storage`,
    );
  }
  const src = storage.data;
  const size = itemsize(to);
  if (src.byteOffset % size !== 0) {
    throw new RuntimeError(`view(${to}): the storage's bytes start at offset ${src.byteOffset}, which is not aligned to ${size} bytes`);
  }
  const Ctor = arrayConstructor(to);
  const data = new Ctor(src.buffer as ArrayBuffer, src.byteOffset, Math.floor(src.byteLength / size));
  return new Storage("cpu", data, storage.nbytes);
}
