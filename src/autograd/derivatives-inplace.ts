// In-place ops whose formula needs the original `self` (sin_, log_, pow_...): PyTorch clones
// self before running the op and gives the formula that copy. Each row here is the out-of-place
// row with the op renamed and the original self swapped in.

import { callOp } from "../dispatcher/call-op.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Derivative } from "./formula.js";

/** In-place op -> the out-of-place op whose formula it shares. */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ["aten::sin_", "aten::sin"],
  ["aten::cos_", "aten::cos"],
  ["aten::asin_", "aten::asin"],
  ["aten::acos_", "aten::acos"],
  ["aten::atan_", "aten::atan"],
  ["aten::sinh_", "aten::sinh"],
  ["aten::cosh_", "aten::cosh"],
  ["aten::log2_", "aten::log2"],
  ["aten::log10_", "aten::log10"],
  ["aten::erf_", "aten::erf"],
  ["aten::log_", "aten::log"],
  ["aten::log1p_", "aten::log1p"],
  ["aten::abs_", "aten::abs"],
  ["aten::pow_.Scalar", "aten::pow.Tensor_Scalar"],
  ["aten::pow_.Tensor", "aten::pow.Tensor_Tensor"],
  ["aten::clamp_", "aten::clamp"],
  ["aten::clamp_.Tensor", "aten::clamp.Tensor"],
  ["aten::clamp_min_", "aten::clamp_min"],
  ["aten::clamp_max_", "aten::clamp_max"],
  ["aten::clamp_min_.Tensor", "aten::clamp_min.Tensor"],
  ["aten::clamp_max_.Tensor", "aten::clamp_max.Tensor"],
  ["aten::sgn_", "aten::sgn"],
  ["aten::gelu_", "aten::gelu"],
  ["aten::silu_", "aten::silu"],
  ["aten::lerp_.Tensor", "aten::lerp.Tensor"],
  ["aten::remainder_.Tensor", "aten::remainder.Tensor"],
  ["aten::squeeze_", "aten::squeeze"],
  ["aten::squeeze_.dim", "aten::squeeze.dim"],
  ["aten::squeeze_.dims", "aten::squeeze.dims"],
  ["aten::cumprod_", "aten::cumprod"],
];

/** Rows for the in-place forms, derived from `rows` (skipping pairs whose in-place op already has one). */
export function inplaceDerivatives(rows: readonly Derivative[]): Derivative[] {
  const byOp = new Map(rows.map((r) => [r.op, r]));
  const out: Derivative[] = [];
  for (const [inplace, base] of PAIRS) {
    const row = byOp.get(base);
    if (!row || byOp.has(inplace)) continue;
    out.push({
      ...row,
      op: inplace,
      saveBefore: (args) => ({ original: callOp("aten::clone", [args[0], null]) as Tensor }),
      save: (args, result, before) => row.save([before.original, ...args.slice(1)], result, {}),
    });
  }
  return out;
}
