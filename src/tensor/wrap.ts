// Wrapped numbers: a JS number passed where an operator takes a Tensor becomes a 0-dim CPU
// tensor marked as a wrapped number, which promotes like a scalar (PyTorch's
// wrapped_scalar_tensor). Made directly, without dispatch, as in PyTorch.

import { Tensor } from "./tensor.js";
import { markWrappedNumber, scalarDType } from "./type-promotion.js";

/**
 * A 0-dim CPU tensor holding v: int64 for integer-valued numbers and bigints, float64 for other
 * numbers, bool for booleans.
 * @example
 * wrapScalar(2.5).dtype // "float64"
 */
export function wrapScalar(v: number | boolean | bigint): Tensor {
  const dtype = scalarDType(v);
  const t = Tensor.empty([], dtype, "cpu");
  t.data()[0] = typeof v === "boolean" ? (v ? 1 : 0) : Number(v);
  return markWrappedNumber(t);
}
