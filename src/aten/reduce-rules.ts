// Shape and dtype rules shared by the reductions, after PyTorch's ReduceOpsUtils.h: which dims a
// reduction covers (make_dim_mask), the result shape with or without keepdim, the int -> int64
// promotion of sum/prod/cumsum (get_dtype_from_self), and the checks PyTorch raises before any
// data is written, with its texts.

import { IndexError, RuntimeError } from "../core/errors.js";
import { type DType, isFloatingType, isIntegralType, toDType } from "../tensor/dtype.js";
import { wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorSpec } from "./op-decl.js";

/** A dim list argument as a kernel receives it (`int[1]? dim`): a list, or null for None. */
export type DimList = readonly number[] | null;

/**
 * Which dims of `self` a reduction covers (PyTorch's make_dim_mask): None, or `[]` unless
 * `allowEmpty` (all/any), means every dim. Dims wrap like maybe_wrap_dim (a 0-dim tensor takes 0
 * and -1).
 * @throws IndexError "Dimension out of range (expected to be in range of [-2, 1], but got 2)"
 * @throws RuntimeError "dim 0 appears multiple times in the list of dims"
 * @example
 * dimMask(x2d, [-1]) // [false, true]
 */
export function dimMask(self: Tensor, dims: DimList, allowEmpty = false): boolean[] {
  const nd = self._shape.length;
  if (nd > 64) throw new RuntimeError("only tensors with up to 64 dims are supported");
  if (dims === null || (dims.length === 0 && !allowEmpty)) return new Array<boolean>(nd).fill(true);
  const mask = new Array<boolean>(nd).fill(false);
  let scalarSeen = false;
  for (const d of dims) {
    const w = wrapDim(d, nd);
    if (nd === 0) {
      if (scalarSeen) throw new RuntimeError(`dim ${w} appears multiple times in the list of dims`);
      scalarSeen = true;
      continue;
    }
    if (mask[w]) throw new RuntimeError(`dim ${w} appears multiple times in the list of dims`);
    mask[w] = true;
  }
  return mask;
}

/**
 * The shape of a reduction's result: reduced dims become 1 (keepdim) or disappear.
 * @example
 * reducedShape([2, 3], [false, true], true) // [2, 1]
 */
export function reducedShape(shape: readonly number[], mask: readonly boolean[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((s, d) => {
    if (!mask[d]) out.push(s);
    else if (keepdim) out.push(1);
  });
  return out;
}

/**
 * The spec PyTorch's resize_reduction gives a reduction's output: the reduced shape, contiguous.
 * @example
 * reductionSpec(x, [1], true, "float32") // { shape: [2, 1], dtype: "float32" }
 */
export function reductionSpec(self: Tensor, dims: DimList, keepdim: boolean, dtype: DType, allowEmpty = false): TensorSpec {
  return { shape: reducedShape(self._shape, dimMask(self, dims, allowEmpty), keepdim), dtype };
}

/**
 * A dtype argument as received (a name, an alias or an aten code), or null.
 * @example
 * optDType(7) // "float64"
 */
export function optDType(d: unknown): DType | null {
  return d === null || d === undefined ? null : toDType(d);
}

/**
 * PyTorch's get_dtype_from_self: the requested dtype, else self's, with integers and bool
 * promoted to int64 when `promoteIntegers` (sum, prod, cumsum).
 * @example
 * dtypeFromSelf(int32Tensor, null, true) // "int64"
 */
export function dtypeFromSelf(self: Tensor, dtype: DType | null, promoteIntegers: boolean): DType {
  if (dtype !== null) return dtype;
  return promoteIntegers && isIntegralType(self.dtype, true) ? "int64" : self.dtype;
}

/**
 * The check PyTorch runs before reducing one dim of a possibly empty tensor
 * (zero_numel_check_dims): the dim must not have size 0.
 * @throws IndexError "max(): Expected reduction dim 0 to have non-zero size."
 * @example
 * zeroNumelCheckDim(torch.zeros([0, 3]), 1, "max()") // passes: dim 1 has size 3
 */
export function zeroNumelCheckDim(self: Tensor, dim: number, fn: string): void {
  if (self._shape.length === 0) {
    if (dim !== 0 && dim !== -1) throw new IndexError(`${fn}: Expected reduction dim -1 or 0 for scalar but got ${dim}`);
    return;
  }
  if (self._shape[wrapDim(dim, self._shape.length)] === 0) {
    throw new IndexError(`${fn}: Expected reduction dim ${dim} to have non-zero size.`);
  }
}

/**
 * zero_numel_check_dims over a dim list: an empty tensor needs explicit, non-empty dims.
 * @example
 * zeroNumelCheckDims(torch.zeros([0, 3]), [], "amax()") // throws "amax(): Expected reduction dim to be specified ..."
 */
export function zeroNumelCheckDims(self: Tensor, dims: readonly number[], fn: string): void {
  if (dims.length === 0) {
    throw new RuntimeError(`${fn}: Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  }
  for (const d of dims) zeroNumelCheckDim(self, d, fn);
}

/**
 * Raises PyTorch's error when a reduction needs a floating dtype (var, std).
 * @example
 * checkFloating(intTensor, "std and var only support floating point and complex dtypes") // throws
 */
export function checkFloating(self: Tensor, message: string): void {
  if (!isFloatingType(self.dtype)) throw new RuntimeError(message);
}

/**
 * A Scalar as C++ streams print it: integers in full, other numbers like `%g` (6 significant
 * digits: "-1.5", "-1e+10", "-0.123457", "inf").
 * @example
 * formatScalar(-0.1234567) // "-0.123457"
 */
export function formatScalar(v: number | boolean): string {
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v)) return String(v);
  const [mant, e] = v.toExponential(5).split("e") as [string, string];
  const exp = Number(e);
  const trim = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= 6) return `${trim(mant)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return trim(v.toFixed(5 - exp));
}
