// Selection and interpolation: where (where.self promotes self/other to their result type; the
// Scalar overloads are CompositeImplicitAutograd: scalar_tensor, to, then where.self),
// masked_fill (CompositeExplicitAutograd: expand, clone, masked_fill_) with its in-place CPU/Meta
// kernels, and lerp with a Scalar or Tensor weight.

import { RuntimeError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { asCompute, map2, map3 } from "../backends/cpu/pointwise-loops.js";
import { checkedScalar } from "../backends/cpu/pointwise-math.js";
import { callOp as atenCall } from "../dispatcher/call-op.js";
import { type DType, isFloatingType, typeMetaName } from "../tensor/dtype.js";
import { broadcastAll, broadcastShapes } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { cppName, resultType } from "../tensor/type-promotion.js";
import type { OpDecl } from "./op-decl.js";
import { type Plan, checkDevices, checkPartialOverlap, outputStrides, structuredDecl, structuredInplaceDecl } from "./pointwise-iter.js";
import { checkInplace, checkInplaceShape, notImplementedFor } from "./pointwise-rules.js";

type Scalar = number | boolean | bigint;

let warnedUint8Where = false;

function whereRule(condition: Tensor, self: Tensor, other: Tensor): Plan {
  const d = resultType(self, other);
  if (condition.dtype === "uint8") {
    if (!warnedUint8Where) {
      warnedUint8Where = true;
      warn(
        "where received a uint8 condition tensor. This behavior is deprecated and will be removed in a future version of PyTorch. Use a boolean condition instead.",
      );
    }
  } else if (condition.dtype !== "bool") {
    throw new RuntimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${cppName(condition.dtype)}`);
  }
  const inputs = [condition, self, other];
  const shape = broadcastAll(inputs.map((t) => t._shape));
  return { shape, dtype: d, compute: d, strides: outputStrides(shape, inputs) };
}

function whereCpu(out: Tensor, p: Plan, condition: Tensor, self: Tensor, other: Tensor): void {
  map3(out, condition, asCompute(self, p.compute), asCompute(other, p.compute), (c, x, y) => (c !== 0 ? x : y));
}

const toDtype = (t: Tensor, d: DType): Tensor => atenCall("aten::to.dtype", [t, d, false, false, null]) as Tensor;
const scalarTensor = (s: Scalar, d: DType, device: string): Tensor => atenCall("aten::scalar_tensor", [s, d, 0, device, null]) as Tensor;
const where = (c: Tensor, x: Tensor, y: Tensor): Tensor => atenCall("aten::where.self", [c, x, y]) as Tensor;

function checkBoolMask(mask: Tensor): void {
  if (mask.dtype !== "bool") {
    throw new RuntimeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${typeMetaName(mask.dtype)}`);
  }
}

function checkValueDim(value: Tensor): void {
  if (value._shape.length !== 0) {
    throw new RuntimeError(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value._shape.length} dimension(s).`);
  }
}

/** masked_fill_: the mask broadcasts to self (never the other way); expanded selves only warn. */
function maskedFillInplace(device: "cpu" | "meta", tensorValue: boolean) {
  return (self: Tensor, mask: Tensor, value: Scalar | Tensor): Tensor => {
    checkDevices(device, [self, mask, value]);
    if (tensorValue) checkValueDim(value as Tensor);
    checkBoolMask(mask);
    if (self._shape.some((s, i) => s > 1 && self._strides[i] === 0)) {
      warn(
        "Use of masked_fill_ on expanded tensors is deprecated. Please clone() tensor before performing this operation. This also applies to advanced indexing e.g. tensor[mask] = scalar",
      );
    }
    checkPartialOverlap(self, mask);
    checkInplaceShape(self, broadcastShapes(self._shape, mask._shape));
    if (device === "cpu") {
      const v = value instanceof Tensor ? (atenCall("aten::item", [value]) as Scalar) : value;
      const stored = checkedScalar(self.dtype, v);
      map2(self, self, mask, (x, m) => (m !== 0 ? stored : x));
    }
    return self;
  };
}

/** masked_fill (CompositeExplicitAutograd): broadcast self and mask, clone contiguous, fill in place. */
function maskedFill(inplaceOp: string) {
  return (self: Tensor, mask: Tensor, value: Scalar | Tensor): Tensor => {
    let base = self;
    const same = mask._shape.length === self._shape.length && mask._shape.every((s, i) => s === self._shape[i]);
    if (!same) {
      // expand_outplace expands both; PyTorch then fills with the original (unexpanded) mask
      const size = broadcastShapes(mask._shape, self._shape);
      atenCall("aten::expand", [mask, size, false]);
      base = atenCall("aten::expand", [self, size, false]) as Tensor;
    }
    const result = atenCall("aten::clone", [base, "contiguous_format"]) as Tensor;
    return atenCall(inplaceOp, [result, mask, value]) as Tensor;
  };
}

function lerpCheckEnd(self: Tensor, end: Tensor): void {
  if (self.dtype !== end.dtype) {
    throw new RuntimeError(`expected dtype ${typeMetaName(self.dtype)} for \`end\` but got dtype ${typeMetaName(end.dtype)}`);
  }
}

function lerpScalarRule(self: Tensor, end: Tensor): Plan {
  lerpCheckEnd(self, end);
  const shape = broadcastShapes(self._shape, end._shape);
  const d = resultType(self, end);
  return { shape, dtype: d, compute: d, strides: outputStrides(shape, [self, end]) };
}

function lerpTensorRule(self: Tensor, end: Tensor, weight: Tensor): Plan {
  lerpCheckEnd(self, end);
  if (self.dtype !== weight.dtype && weight._shape.length !== 0) {
    throw new RuntimeError(`expected dtype ${typeMetaName(self.dtype)} for \`weight\` but got dtype ${typeMetaName(weight.dtype)}`);
  }
  const inputs = [self, end, weight];
  const shape = broadcastAll(inputs.map((t) => t._shape));
  // a 0-dim weight of another dtype takes part in promotion (int tensors with a float weight give float32)
  const d = resultType(...inputs);
  return { shape, dtype: d, compute: d, strides: outputStrides(shape, inputs) };
}

/** PyTorch's lerp: `self + w (end - self)` for |w| < 0.5, else `end - (end - self)(1 - w)`, fused as its vector code is. */
function lerpValue(d: DType, x: number, y: number, w: number): number {
  const r = d === "float32" ? Math.fround : (v: number) => v;
  const diff = r(y - x);
  return Math.abs(w) < 0.5 ? x + w * diff : y + r(w - 1) * diff;
}

function lerpScalarCpu(out: Tensor, p: Plan, self: Tensor, end: Tensor, weight: Scalar): void {
  const d = p.compute;
  if (!isFloatingType(d)) throw notImplementedFor("lerp_kernel_scalar", d);
  const w = checkedScalar(d, weight);
  map2(out, asCompute(self, d), asCompute(end, d), (x, y) => lerpValue(d, x, y, w));
}

function lerpTensorCpu(out: Tensor, p: Plan, self: Tensor, end: Tensor, weight: Tensor): void {
  const d = p.compute;
  if (!isFloatingType(d)) throw notImplementedFor("lerp_kernel_tensor", d);
  map3(out, asCompute(self, d), asCompute(end, d), asCompute(weight, d), (x, y, w) => lerpValue(d, x, y, w));
}

const lerpInplaceCheck = (self: Tensor, p: Plan): void => checkInplace(self, p.shape, p.compute);

/** The where, masked_fill and lerp operators. */
export const pointwiseSelectOps: readonly OpDecl[] = [
  structuredDecl("where.self(Tensor condition, Tensor self, Tensor other) -> Tensor", whereRule as never, whereCpu as never),
  {
    schema: "where.ScalarSelf(Tensor condition, Scalar self, Tensor other) -> Tensor",
    composite: ((condition: Tensor, self: Scalar, other: Tensor) => {
      const d = resultType(other, self);
      const selfT = scalarTensor(self, d, other.device);
      return where(condition, selfT, toDtype(other, d));
    }) as never,
  },
  {
    schema: "where.ScalarOther(Tensor condition, Tensor self, Scalar other) -> Tensor",
    composite: ((condition: Tensor, self: Tensor, other: Scalar) => {
      const d = resultType(self, other);
      const otherT = scalarTensor(other, d, self.device);
      return where(condition, toDtype(self, d), otherT);
    }) as never,
  },
  {
    schema: "where.Scalar(Tensor condition, Scalar self, Scalar other) -> Tensor",
    composite: ((condition: Tensor, self: Scalar, other: Scalar) => {
      const d = resultType(self, other);
      const otherT = scalarTensor(other, d, condition.device);
      return where(condition, scalarTensor(self, d, condition.device), otherT);
    }) as never,
  },
  {
    schema: "masked_fill_.Scalar(Tensor(a!) self, Tensor mask, Scalar value) -> Tensor(a!)",
    cpuKernel: maskedFillInplace("cpu", false) as never,
    metaKernel: maskedFillInplace("meta", false) as never,
  },
  { schema: "masked_fill.Scalar(Tensor self, Tensor mask, Scalar value) -> Tensor", explicit: maskedFill("aten::masked_fill_.Scalar") as never },
  {
    schema: "masked_fill_.Tensor(Tensor(a!) self, Tensor mask, Tensor value) -> Tensor(a!)",
    cpuKernel: maskedFillInplace("cpu", true) as never,
    metaKernel: maskedFillInplace("meta", true) as never,
  },
  {
    schema: "masked_fill.Tensor(Tensor self, Tensor mask, Tensor value) -> Tensor",
    explicit: ((self: Tensor, mask: Tensor, value: Tensor) => {
      checkValueDim(value);
      return maskedFill("aten::masked_fill_.Tensor")(self, mask, value);
    }) as never,
  },
  structuredInplaceDecl(
    "lerp_.Scalar(Tensor(a!) self, Tensor end, Scalar weight) -> Tensor(a!)",
    lerpScalarRule as never,
    lerpInplaceCheck as never,
    lerpScalarCpu as never,
  ),
  structuredInplaceDecl(
    "lerp_.Tensor(Tensor(a!) self, Tensor end, Tensor weight) -> Tensor(a!)",
    lerpTensorRule as never,
    lerpInplaceCheck as never,
    lerpTensorCpu as never,
  ),
  structuredDecl("lerp.Scalar(Tensor self, Tensor end, Scalar weight) -> Tensor", lerpScalarRule as never, lerpScalarCpu as never),
  structuredDecl("lerp.Tensor(Tensor self, Tensor end, Tensor weight) -> Tensor", lerpTensorRule as never, lerpTensorCpu as never),
];
