// `view.dtype`: a tensor's bytes read as another dtype (ATen's view_dtype). Sizes and strides
// scale with the element-size ratio along the last dim; the result shares storage bytes and the
// version counter but, as in PyTorch, is not a view (`_base` is null).

import { RuntimeError } from "../core/errors.js";
import { reinterpretStorage } from "../backends/cpu/shape-reinterpret.js";
import { type DType, itemsize, toDType } from "../tensor/dtype.js";
import { Storage, Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";

/** Geometry of the reinterpreted tensor, with ATen's checks and messages. */
function dtypeViewGeometry(self: Tensor, to: DType): { sizes: number[]; strides: number[]; offset: number } {
  const [oldSize, newSize] = [itemsize(self.dtype), itemsize(to)];
  const sizes = self._shape.slice();
  const strides = self._strides.slice();
  if (oldSize === newSize) return { sizes, strides, offset: self._offset };
  const what = `to view ${cppName(self.dtype)} as ${cppName(to)} (different element sizes)`;
  const n = sizes.length;
  if (n === 0) throw new RuntimeError(`self.dim() cannot be 0 ${what}`);
  const last = n - 1;
  if (oldSize > newSize) {
    const ratio = oldSize / newSize;
    if (strides[last] !== 1) throw new RuntimeError(`self.stride(-1) must be 1 ${what}, but got ${strides[last]}`);
    for (let d = 0; d < last; d++) strides[d] = strides[d]! * ratio;
    sizes[last] = sizes[last]! * ratio;
    return { sizes, strides, offset: self._offset * ratio };
  }
  const ratio = newSize / oldSize;
  if (sizes[last]! % ratio !== 0) throw new RuntimeError(`self.size(-1) must be divisible by ${ratio} ${what}, but got ${sizes[last]}`);
  if (self._offset % ratio !== 0) {
    throw new RuntimeError(`self.storage_offset() must be divisible by ${ratio} ${what}, but got ${self._offset}`);
  }
  if (strides[last] !== 1) throw new RuntimeError(`self.stride(-1) must be 1 ${what}, but got ${strides[last]}`);
  for (let d = 0; d < last; d++) {
    if (strides[d]! % ratio !== 0) throw new RuntimeError(`self.stride(${d}) must be divisible by ${ratio} ${what}, but got ${strides[d]}`);
    strides[d] = strides[d]! / ratio;
  }
  sizes[last] = sizes[last]! / ratio;
  return { sizes, strides, offset: self._offset / ratio };
}

/**
 * `aten::view.dtype` (CompositeExplicitAutograd): the same bytes as `dtype`.
 * @example
 * viewDTypeKernel(torch.tensor([1.0]), "int32").item() // 1065353216
 */
export function viewDTypeKernel(self: Tensor, dtype: DType): Tensor {
  const to = toDType(dtype);
  const g = dtypeViewGeometry(self, to);
  let storage = self._storage;
  if (storage !== null && to !== self.dtype) {
    storage = self.device === "meta" ? new Storage("meta", null, storage.nbytes) : reinterpretStorage(storage, self.dtype, to);
  }
  return new Tensor(storage, g.sizes, g.strides, g.offset, to, self.device, self.keySet, self._version);
}
