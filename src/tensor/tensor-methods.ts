// The Tensor methods users call (`x.add(y)`, `x.sum()`, `String(x)`): thin wrappers that build
// the operator's full argument list and call it through the dispatcher, so modes see every call.
// Each op family adds its methods in `methods/<family>.ts` the same way (declaration merging).

import { callOp } from "../dispatcher/call-op.js";
import { type DType, toDType } from "./dtype.js";
import { type Device, Tensor } from "./tensor.js";
import { formatTensor } from "./tensor-printing.js";
import { wrapScalar } from "./wrap.js";
import { forEachOffset3 } from "../backends/cpu/strided-loops.js";

type Scalar = number | boolean | bigint;
/** A tensor or a JS scalar, where PyTorch accepts either. */
export type TensorOrScalar = Tensor | Scalar;

declare module "./tensor.js" {
  interface Tensor {
    /** Prints like PyTorch: `tensor([[1., 2.],\n        [3., 4.]])`. */
    toString(): string;
    /** The elements as nested JS arrays (numbers, booleans for bool tensors). */
    tolist(): unknown;
    /** The value of a one-element tensor (`aten::item`). */
    item(): number | boolean;
    /** Copies to another dtype and/or device (`aten::to.dtype` / `_to_copy`). */
    to(dtypeOrDevice: DType | Device | { dtype?: DType; device?: Device; copy?: boolean }): Tensor;
    /** Fills with a value in place. */
    fill_(value: Scalar): Tensor;
    zero_(): Tensor;
    /** Copies src into self in place (broadcasting src). */
    copy_(src: Tensor): Tensor;
  }
}

const P = Tensor.prototype;

/** Reads element i (row-major) of a CPU tensor. */
function elementGetter(t: Tensor): (i: number) => number | boolean {
  const data = t.data();
  const offsets: number[] = [];
  forEachOffset3(t._shape, t._strides, t._offset, t._strides, 0, t._strides, 0, (o) => void offsets.push(o));
  return t.dtype === "bool" ? (i) => data[offsets[i]!] !== 0 : (i) => data[offsets[i]!]!;
}

P.toString = function (this: Tensor): string {
  const meta = this.device === "meta" || this._storage === null;
  return formatTensor({
    shape: this._shape,
    dtype: this.dtype,
    device: this.device,
    get: meta ? undefined : elementGetter(this),
    requiresGrad: this.requiresGrad,
    gradFnName: this.gradFn?.name(),
  });
};
Object.defineProperty(P, Symbol.for("nodejs.util.inspect.custom"), {
  value: function (this: Tensor) {
    return this.toString();
  },
});

P.tolist = function (this: Tensor): unknown {
  const get = elementGetter(this);
  let k = 0;
  const build = (d: number): unknown => {
    if (d === this._shape.length) return get(k++);
    const out: unknown[] = [];
    for (let i = 0; i < this._shape[d]!; i++) out.push(build(d + 1));
    return out;
  };
  return build(0);
};

P.item = function (this: Tensor) {
  return callOp("aten::item", [this]) as number | boolean;
};
P.to = function (this: Tensor, arg: DType | Device | { dtype?: DType; device?: Device; copy?: boolean }) {
  if (typeof arg === "string") {
    if (arg === "cpu" || arg === "meta") {
      return arg === this.device ? this : (callOp("aten::_to_copy", [this, null, null, arg, null, false, null]) as Tensor);
    }
    return callOp("aten::to.dtype", [this, toDType(arg), false, false, null]) as Tensor;
  }
  const dtype = arg.dtype ? toDType(arg.dtype) : this.dtype;
  const device = arg.device ?? this.device;
  return callOp("aten::to.device", [this, device, dtype, false, arg.copy ?? false, null]) as Tensor;
};
P.fill_ = function (this: Tensor, value: Scalar) {
  return callOp("aten::fill_.Scalar", [this, value]) as Tensor;
};
P.zero_ = function (this: Tensor) {
  return callOp("aten::zero_", [this]) as Tensor;
};
P.copy_ = function (this: Tensor, src: Tensor) {
  return callOp("aten::copy_", [this, src, false]) as Tensor;
};

/** A Tensor argument from a tensor or a JS scalar (wrapped as a 0-dim tensor, as PyTorch does). */
export function toTensorArg(v: TensorOrScalar): Tensor {
  return v instanceof Tensor ? v : wrapScalar(v);
}
