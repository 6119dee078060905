// Type promotion as PyTorch's result_type: operands fall in three priority groups (tensors with
// dimensions, zero-dim tensors, wrapped numbers/scalars), and a lower group only raises the
// result's category (bool < integral < floating), never its width within a category.

import { RuntimeError } from "../core/errors.js";
import { DEFAULT_DTYPE, type DType, category, isFloatingType, promoteTypes, torchDTypeName } from "./dtype.js";
import { Tensor } from "./tensor.js";

/** Marks t as a wrapped number: a 0-dim tensor made from a JS number (it promotes like a scalar). */
export function markWrappedNumber(t: Tensor): Tensor {
  t._wrappedNumber = true;
  return t;
}
/** Was t made from a JS number? */
export function isWrappedNumber(t: Tensor): boolean {
  return t._wrappedNumber;
}

/** The dtype of a JS scalar: boolean -> bool, integer-valued number or bigint -> int64, other numbers -> float64. */
export function scalarDType(v: number | boolean | bigint): DType {
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint" || Number.isInteger(v)) return "int64";
  return "float64";
}

function combineCategories(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (higher === undefined) return lower;
  if (lower === undefined) return higher;
  if (isFloatingType(higher)) return higher;
  if (higher === "bool" || isFloatingType(lower)) return promoteTypes(higher, lower);
  return higher;
}

/**
 * PyTorch's `torch.result_type` over tensors and scalars.
 * @example
 * resultType(int32Tensor, 2.5) // "float32"
 * resultType(int32Tensor, 2)   // "int32"
 */
export function resultType(...operands: ReadonlyArray<Tensor | number | boolean | bigint>): DType {
  let dim: DType | undefined;
  let zero: DType | undefined;
  let wrapped: DType | undefined;
  for (const o of operands) {
    if (o instanceof Tensor) {
      let d = o.dtype;
      if (isWrappedNumber(o)) {
        if (isFloatingType(d)) d = DEFAULT_DTYPE;
        wrapped = wrapped === undefined ? d : promoteTypes(wrapped, d);
      } else if (o._shape.length > 0) {
        dim = dim === undefined ? d : promoteTypes(dim, d);
      } else {
        zero = zero === undefined ? d : promoteTypes(zero, d);
      }
    } else {
      let d = scalarDType(o);
      if (isFloatingType(d)) d = DEFAULT_DTYPE;
      wrapped = wrapped === undefined ? d : promoteTypes(wrapped, d);
    }
  }
  return combineCategories(dim, combineCategories(zero, wrapped)) ?? DEFAULT_DTYPE;
}

/**
 * Checks that a computed result dtype can be written into an existing output (in-place ops,
 * out=): PyTorch's "result type Float can't be cast to the desired output type Long".
 */
export function checkCanCastTo(result: DType, out: DType): void {
  if (category(result) > category(out)) {
    throw new RuntimeError(`result type ${cppName(result)} can't be cast to the desired output type ${cppName(out)}`);
  }
}

/** The C++ ScalarType name PyTorch uses in messages: Float, Double, Long, Int, Bool, Byte... */
export function cppName(d: DType): string {
  switch (d) {
    case "float32":
      return "Float";
    case "float64":
      return "Double";
    case "int64":
      return "Long";
    case "int32":
      return "Int";
    case "int16":
      return "Short";
    case "int8":
      return "Char";
    case "uint8":
      return "Byte";
    case "bool":
      return "Bool";
  }
}

export { torchDTypeName };
