// Advanced indexing and data-dependent selection: index.Tensor (`x[idx0, :, idx1]`),
// _index_put_impl_ with index_put_/index_put on top (including PyTorch's masked_fill_ shortcut
// for one mask and a one-element value), masked_select and nonzero.

import { IndexError, NotImplementedError, RuntimeError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { indexGatherInto, indexPutInto } from "../backends/cpu/indexing-advanced.js";
import { castTo, maskedValues, nonzeroCoords, offsetsOf, restrided, valuesOf } from "../backends/cpu/indexing-kernels.js";
import { callOp } from "../dispatcher/call-op.js";
import { broadcastShapes, numelOf } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import { dataDependentOnMeta, fmtShape, hasInternalOverlap } from "./indexing-common.js";
import { type OptTensor, invalidMask, isMask, makeIndexPlan, sizeAt } from "./indexing-plan.js";
import { type OpDecl, allocate } from "./op-decl.js";

function tooManyIndices(self: Tensor, indices: readonly OptTensor[]): void {
  if (indices.length > self._shape.length) {
    throw new IndexError(`too many indices for tensor of dimension ${self._shape.length} (got ${indices.length})`);
  }
}

function indexKernel(self: Tensor, indices: OptTensor[]): Tensor {
  if (indices.length === 0) throw new IndexError("at least one index must be provided");
  tooManyIndices(self, indices);
  for (const t of indices) {
    if (t !== null && t.device !== "cpu" && t.device !== self.device) {
      throw new RuntimeError(`indices should be either on cpu or on the same device as the indexed tensor (${self.device})`);
    }
  }
  const plan = makeIndexPlan(self, indices);
  const out = allocate(self.device, { shape: plan.resultShape, dtype: self.dtype });
  if (out.device === "cpu") indexGatherInto(out, plan);
  return out;
}

/** PyTorch's canDispatchToMaskedFill: the mask to fill through, undefined when the shortcut does not apply. */
function maskedFillMask(self: Tensor, indices: readonly OptTensor[], values: Tensor): OptTensor | undefined {
  if (numelOf(values._shape) !== 1 || values.device !== "cpu") return undefined;
  let numInd = 0;
  let mask: OptTensor = null;
  for (const index of indices) {
    if (index === null) {
      numInd++;
      continue;
    }
    if (!isMask(index) || index.device !== self.device || mask !== null) return undefined;
    mask = index;
    for (let j = 0; j < index._shape.length; j++) {
      if (index._shape[j] !== sizeAt(self, numInd + j)) throw invalidMask(self, numInd + j, index, j);
    }
    numInd += index._shape.length;
  }
  return mask;
}

/** self.masked_fill_(mask, value.item()), the mask's dims aligned with the dims it indexes. */
function maskedFillShortcut(self: Tensor, indices: readonly OptTensor[], mask: OptTensor, values: Tensor): void {
  if (mask === null || mask.dtype !== "bool") {
    const name = mask === null ? "nullptr (uninitialized)" : mask.dtype === "uint8" ? "unsigned char" : cppName(mask.dtype);
    throw new RuntimeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${name}`);
  }
  if (self.device !== "cpu") return;
  // only None entries precede the mask, so its position is the first dim it indexes
  const lead = indices.indexOf(mask);
  const strides = self._shape.map((_, d) => (d >= lead && d < lead + mask._shape.length ? mask._strides[d - lead]! : 0));
  const selected = valuesOf(restrided(mask, self._shape.slice(), strides, mask._offset));
  const value = castTo(self.dtype, valuesOf(values)[0]!);
  const d = self.data();
  offsetsOf(self._shape, self._strides, self._offset).forEach((o, i) => {
    if (selected[i] !== 0) d[o] = value;
  });
}

function indexPutImpl(self: Tensor, indices: OptTensor[], values: Tensor, accumulate: boolean): Tensor {
  tooManyIndices(self, indices);
  if (hasInternalOverlap(self)) {
    warn(
      "Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor before performing this operation. This also applies to advanced indexing e.g. tensor[indices] = tensor",
    );
  }
  const mask = accumulate ? undefined : maskedFillMask(self, indices, values);
  if (mask !== undefined) {
    maskedFillShortcut(self, indices, mask, values);
  } else {
    const plan = makeIndexPlan(self, indices);
    const target = plan.resultShape;
    const v = values._shape;
    const expandable = v.length <= target.length && v.every((s, i) => s === 1 || s === target[target.length - v.length + i]);
    if (!expandable) {
      throw new RuntimeError(`shape mismatch: value tensor of shape ${fmtShape(v)} cannot be broadcast to indexing result of shape ${fmtShape(target)}`);
    }
    if (values.dtype !== self.dtype) {
      throw new RuntimeError(
        `Index put requires the source and destination dtypes match, got ${cppName(self.dtype)} for the destination and ${cppName(values.dtype)} for the source.`,
      );
    }
    if (self.device === "cpu") {
      if (values.device !== "cpu") throw new NotImplementedError("Cannot copy out of meta tensor; no data!");
      indexPutInto(plan, values, accumulate);
    }
  }
  return self;
}

function nonzeroCpu(self: Tensor): Tensor {
  const coords = nonzeroCoords(self);
  const n = coords.length;
  const out = allocate("cpu", { shape: [n, self._shape.length], strides: [1, n], dtype: "int64" });
  const d = out.data();
  coords.forEach((c, i) => c.forEach((v, k) => (d[i + k * n] = v)));
  return out;
}

function maskedSelectCpu(self: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== "bool") throw new RuntimeError("masked_select: expected BoolTensor for mask");
  const vals = maskedValues(self, mask, broadcastShapes(mask._shape, self._shape));
  const out = allocate("cpu", { shape: [vals.length], dtype: self.dtype });
  out.data().set(vals);
  return out;
}

/** index.Tensor, index_put_/index_put/_index_put_impl_, masked_select, nonzero. */
export const advancedIndexOps: readonly OpDecl[] = [
  {
    schema: "index.Tensor(Tensor self, Tensor?[] indices) -> Tensor",
    cpuKernel: indexKernel as never,
    metaKernel: indexKernel as never,
  },
  {
    schema: "index_put_(Tensor(a!) self, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor(a!)",
    explicit: ((self: Tensor, indices: OptTensor[], values: Tensor, accumulate: boolean) =>
      callOp("aten::_index_put_impl_", [self, indices, values, accumulate, false])) as never,
  },
  {
    schema: "index_put(Tensor self, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor",
    explicit: ((self: Tensor, indices: OptTensor[], values: Tensor, accumulate: boolean) =>
      callOp("aten::index_put_", [callOp("aten::clone", [self, null]), indices, values, accumulate])) as never,
  },
  {
    schema: "_index_put_impl_(Tensor(a!) self, Tensor?[] indices, Tensor values, bool accumulate=False, bool unsafe=False) -> Tensor(a!)",
    cpuKernel: indexPutImpl as never,
    metaKernel: indexPutImpl as never,
  },
  {
    schema: "masked_select(Tensor self, Tensor mask) -> Tensor",
    cpuKernel: maskedSelectCpu as never,
    metaKernel: (() => {
      throw dataDependentOnMeta("aten::masked_select");
    }) as never,
  },
  {
    schema: "nonzero(Tensor self) -> Tensor",
    cpuKernel: nonzeroCpu as never,
    metaKernel: (() => {
      throw dataDependentOnMeta("aten::nonzero");
    }) as never,
  },
];
