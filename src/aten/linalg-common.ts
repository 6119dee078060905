// Shared pieces of the linear-algebra family: the C++ type names PyTorch prints in BLAS errors,
// broadcasting an addend the way `expand_size` does (with expand's messages), scalar conversion
// of alpha/beta to the computation dtype, and the "tensor-subclass-like" test of the decompositions.

import { DispatchKey } from "../core/dispatch-key.js";
import { ksHas } from "../core/dispatch-key-set.js";
import { IndexError, NotImplementedError, RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { dispatcher } from "../dispatcher/dispatcher.js";
import { dispatchModeEnabled } from "../torch-dispatch/mode-stack.js";
import { type DType, isFloatingType } from "../tensor/dtype.js";
import { wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import type { MatView } from "../backends/cpu/linalg-gemm.js";

/** A Scalar argument as kernels receive it. */
export type Scalar = number | boolean | bigint;

/** `torch.FloatTensor`-style type string PyTorch prints in expand's message. */
function legacyTypeName(d: DType): string {
  const names: Record<DType, string> = {
    float32: "Float", float64: "Double", int64: "Long", int32: "Int", int16: "Short", int8: "Char", uint8: "Byte", bool: "Bool",
  };
  return `torch.${names[d]}Tensor`;
}

/**
 * Strides that make `t` look like `target` (PyTorch's `expand_size` / `expand`): broadcast
 * dimensions get stride 0.
 * @throws RuntimeError "The expanded size of the tensor (5) must match the existing size (4) at non-singleton dimension 1.  Target sizes: [2, 5].  Tensor sizes: [4]"
 * @example
 * expandedStrides(bias, [2, 5]) // [0, 1] for a contiguous bias of shape [5]
 */
export function expandedStrides(t: Tensor, target: readonly number[]): number[] {
  const n = target.length;
  const k = t._shape.length;
  if (n < k) {
    throw new RuntimeError(
      `expand(${legacyTypeName(t.dtype)}{[${t._shape.join(", ")}]}, size=[${target.join(", ")}]): the number of sizes provided (${n}) must be greater or equal to the number of dimensions in the tensor (${k})`,
    );
  }
  const out = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    const d = i - (n - k);
    if (d < 0) continue;
    const size = t._shape[d]!;
    if (size === target[i]) out[i] = t._strides[d]!;
    else if (size !== 1) {
      throw new RuntimeError(
        `The expanded size of the tensor (${target[i]}) must match the existing size (${size}) at non-singleton dimension ${i}.  Target sizes: [${target.join(", ")}].  Tensor sizes: [${t._shape.join(", ")}]`,
      );
    }
  }
  return out;
}

/**
 * `t.size(d)` with PyTorch's errors (0-dim tensors have no sizes).
 * @example
 * sizeAt(x, -1) // the last size; IndexError "Dimension specified as 0 but tensor has no dimensions" for 0-dim x
 */
export function sizeAt(t: Tensor, d: number): number {
  if (t._shape.length === 0) throw new IndexError(`Dimension specified as ${d} but tensor has no dimensions`);
  return t._shape[wrapDim(d, t._shape.length)]!;
}

/**
 * A Scalar converted to the computation type of a dtype (`scalar.to<opmath_t>()`): integers
 * truncate, float32 rounds to single precision, bools are 0/1.
 * @example
 * scalarAs(0.5, "int64") // 0
 */
export function scalarAs(v: Scalar, d: DType): number {
  const x = typeof v === "boolean" ? (v ? 1 : 0) : Number(v);
  if (d === "float32") return Math.fround(x);
  if (isFloatingType(d)) return x;
  if (d === "bool") return x !== 0 ? 1 : 0;
  return Number.isFinite(x) ? Math.trunc(x) : 0;
}

/**
 * The error of a CPU kernel dispatched on a dtype it does not implement.
 * @example
 * throw notImplementedFor("dot", "bool") // NotImplementedError: "dot" not implemented for 'Bool'
 */
export function notImplementedFor(kernel: string, d: DType): NotImplementedError {
  return new NotImplementedError(`"${kernel}" not implemented for '${cppName(d)}'`);
}

/**
 * PyTorch's `isTensorSubclassLike`: true while a dispatch mode is active, and for tensors with a
 * Python, Functionalize or Sparse key or on meta; some decompositions then take their out-of-place
 * or gradient-friendly branch (matmul's squeeze of a broadcast batch of one, linear's `add`).
 * @example
 * new LoggingMode().run(() => isTensorSubclassLike(x)) // true
 */
export function isTensorSubclassLike(t: Tensor): boolean {
  if (dispatchModeEnabled()) return true;
  return t.device === "meta" || ksHas(t.keySet, DispatchKey.Python) || ksHas(t.keySet, DispatchKey.Functionalize) || ksHas(t.keySet, DispatchKey.Sparse);
}

/**
 * Is the operator `aten::name.overload` defined (registered by its family)?
 * @example
 * hasOp("aten::mm") // true once the aten library is registered
 */
export function hasOp(qualifiedName: string): boolean {
  const h = dispatcher.findOp(qualifiedName);
  return h !== undefined && h.schema !== null;
}

/**
 * `t.mT` (CompositeImplicitAutograd: `transpose(-2, -1)`); when `aten::mT` is not registered, its
 * decomposition is called directly, which a dispatch mode cannot tell apart.
 * @example
 * callMT(x).shape // [..., n, m] for x of shape [..., m, n]
 */
export function callMT(t: Tensor): Tensor {
  return (hasOp("aten::mT") ? callOp("aten::mT", [t]) : callOp("aten::transpose.int", [t, -2, -1])) as Tensor;
}

/**
 * `t.movedim(source, destination)` for single dims (CompositeImplicitAutograd, ending in one
 * `permute`); calls the permute itself when `aten::movedim.int` is not registered.
 * @example
 * callMovedim(x, -1, 0).shape // [4, 2, 3] for x of shape [2, 3, 4]
 */
export function callMovedim(t: Tensor, source: number, destination: number): Tensor {
  if (hasOp("aten::movedim.int")) return callOp("aten::movedim.int", [t, source, destination]) as Tensor;
  const n = t._shape.length;
  const src = wrapDim(source, n);
  const dst = wrapDim(destination, n);
  const order = [...Array(n).keys()].filter((d) => d !== src);
  order.splice(dst, 0, src);
  return callOp("aten::permute", [t, order]) as Tensor;
}

/**
 * The matrix at `offset` of a 2-D tensor (or of dims `d0`, `d1` of a batched one) as a gemm operand.
 * @example
 * matView(batch, batch.storageOffset() + i * batch.stride(0)) // batch i of a 3-D tensor
 */
export function matView(t: Tensor, offset = t._offset, d0 = t._shape.length - 2, d1 = t._shape.length - 1): MatView {
  return { data: t.data(), offset, rs: t._strides[d0]!, cs: t._strides[d1]! };
}

/**
 * A 1-D tensor as a column (k x 1) or row (1 x k) gemm operand.
 * @example
 * vectorView(vec, true) // vec as a k x 1 matrix
 */
export function vectorView(t: Tensor, asColumn: boolean): MatView {
  const s = t._strides[0]!;
  return { data: t.data(), offset: t._offset, rs: asColumn ? s : 0, cs: asColumn ? 0 : s };
}
