// Derivatives of the shape-more family (after derivatives.yaml): roll's gradient rolls back
// (shifts negated, both lists reversed); the new_* factories and count_nonzero never require
// grad (PyTorch's DONT_REQUIRE_DERIVATIVE). The composites (tile, broadcast_to, meshgrid,
// stacks, outer, take_along_dim...) differentiate through the ops they decompose into.

import type { Derivative } from "./formula.js";
import { op, unaryFormula } from "./derivatives-util.js";

/** An op whose outputs never require grad. */
const noDerivative = (opName: string): Derivative => ({ op: opName, name: "", inputs: [], save: () => ({}), backward: () => [] });

/** The shape-more rows. */
export const SHAPE_MORE_DERIVATIVES: readonly Derivative[] = [
  unaryFormula(
    "aten::roll",
    "RollBackward0",
    (g, s) => op("aten::roll", g, (s.shifts as number[]).slice().reverse().map((v) => -v), (s.dims as number[]).slice().reverse()),
    (args) => ({ shifts: args[1], dims: args[2] }),
  ),
  ...["new_full", "new_ones", "new_empty", "count_nonzero", "count_nonzero.dim_IntList"].map((n) => noDerivative(`aten::${n}`)),
];
