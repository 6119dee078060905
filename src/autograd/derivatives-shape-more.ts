// Derivatives of the shape-more family (after derivatives.yaml and FunctionsManual.cpp): roll's
// gradient rolls back (shifts negated, both lists reversed); nansum's is sum_backward masked to
// the non-NaN elements; var_mean / std_mean add var_backward (std_backward) and mean_backward;
// diag_embed's and diagonal_copy's are the diagonal and diagonal_backward. The new_* factories
// and count_nonzero never require grad (PyTorch's DONT_REQUIRE_DERIVATIVE). The composites
// (tile, broadcast_to, meshgrid, stacks, outer, take_along_dim, kron, nanmean, diag...)
// differentiate through the ops they decompose into.

import type { Derivative } from "./formula.js";
import { type G, T, type Tensor, withInplace, div, divScalar, formula, mul, mulScalar, op, safeSize, sumBackward, unaryFormula } from "./derivatives-util.js";
import { restoreReducedDims, varBackward } from "./derivatives-reduce.js";

/** An op whose outputs never require grad. */
const noDerivative = (opName: string): Derivative => ({ op: opName, name: "", inputs: [], save: () => ({}), backward: () => [] });

const dimList = (d: unknown): number[] | null => (d === null || d === undefined ? null : (d as number[]));

/** mean_backward: sum_backward(grad) / n, n the reduced count (numel for an all-reduce). */
function meanBackward(g: Tensor, sizes: readonly number[], dims: readonly number[], numel: number, keepdim: boolean): Tensor {
  const n = dims.length === 0 ? numel : safeSize(sizes, dims);
  return divScalar(sumBackward(g, sizes, dims, keepdim), n);
}

/** var_mean_backward / std_mean_backward: the variance (or std) part, plus the mean part. */
function varMeanRow(opName: string, name: string, std: boolean): Derivative {
  return formula({
    op: opName,
    name,
    inputs: { self: 0 },
    anyGrad: true,
    // std_mean also saves its first output (unpacked, as a saved output, with a detach)
    save: (args, out) => ({ self: args[0], dim: args[1], correction: args[2], keepdim: args[3], ...(std ? { result0: (out as Tensor[])[0] } : {}) }),
    grads: {
      self: (_g, s, _need, grads: readonly G[]) => {
        const self = T(s.self);
        const dims = dimList(s.dim);
        const keepdim = s.keepdim as boolean;
        let gself: Tensor | null = null;
        const gfirst = grads[0] ?? null;
        if (gfirst !== null) {
          let gvar = gfirst;
          if (std) {
            const result = T(s.result0);
            gvar = op("aten::masked_fill_.Scalar", div(gfirst, mulScalar(result, 2)), op("aten::eq.Scalar", result, 0), 0);
          }
          gself = varBackward(gvar, self, dims, s.correction, keepdim);
        }
        const gmean = grads[1] ?? null;
        if (gmean !== null) {
          const aux = meanBackward(gmean, self.shape, dims ?? [], self.numel(), keepdim);
          gself = gself === null ? aux : op("aten::add.Tensor", gself, aux, 1);
        }
        return gself;
      },
    },
  });
}

/** aminmax: each defined gradient shared by the elements equal to its extreme (scale_grad_by_count), summed. */
const aminmaxRow: Derivative = formula({
  op: "aten::aminmax",
  name: "AminmaxBackward0",
  inputs: { self: 0 },
  anyGrad: true,
  save: (args, out) => ({ self: args[0], dim: args[1], keepdim: args[2], min: (out as Tensor[])[0], max: (out as Tensor[])[1] }),
  grads: {
    self: (_g, s, _need, grads: readonly G[]) => {
      const self = T(s.self);
      const [min, max] = [T(s.min), T(s.max)];
      const n = self.shape.length;
      const dims = s.dim === null ? [...Array(n).keys()] : [s.dim as number];
      const keepdim = s.keepdim as boolean;
      const part = (g: Tensor, result: Tensor): Tensor => {
        const grad = restoreReducedDims(g, dims, keepdim);
        const mask = op("aten::eq.Tensor", self, restoreReducedDims(result, dims, keepdim));
        return mul(div(grad, op("aten::sum.dim_IntList", mask, dims, true, null)), mask);
      };
      const gmin = grads[0] ?? null;
      const gmax = grads[1] ?? null;
      const a = gmin === null ? null : part(gmin, min);
      const b = gmax === null ? null : part(gmax, max);
      return a === null ? b : b === null ? a : op("aten::add.Tensor", a, b, 1);
    },
  },
});

/** index_fill's self gradient: the filled positions get none (grad.index_fill(dim, index, 0)). */
const fillZero = (g: Tensor, s: Record<string, unknown>): Tensor => op("aten::index_fill.int_Scalar", g, s.dim, s.index, 0);
const saveFill = (args: readonly unknown[]) => ({ dim: args[1], index: args[2] });

/** The shape-more rows. */
export const SHAPE_MORE_DERIVATIVES: readonly Derivative[] = [
  unaryFormula("aten::trace", "TraceBackward0", (g, s) => op("aten::trace_backward", g, s.sizes), (args) => ({ sizes: T(args[0]).shape.slice() })),
  ...withInplace(unaryFormula("aten::index_fill.int_Scalar", "IndexFillBackward0", fillZero, saveFill), "aten::index_fill_.int_Scalar"),
  ...withInplace(
    formula({
      op: "aten::index_fill.int_Tensor",
      name: "IndexFillBackward1",
      inputs: { self: 0, value: 3 },
      save: saveFill,
      grads: {
        self: fillZero,
        // the value's gradient: the filled positions' gradients summed (each index counted once)
        value: (g, s) => {
          const unique = (op("aten::_unique", s.index, false, false) as unknown as Tensor[])[0]!;
          return op("aten::sum", op("aten::index_select", g, s.dim, unique), null);
        },
      },
    }),
    "aten::index_fill_.int_Tensor",
  ),
  unaryFormula(
    "aten::roll",
    "RollBackward0",
    (g, s) => op("aten::roll", g, (s.shifts as number[]).slice().reverse().map((v) => -v), (s.dims as number[]).slice().reverse()),
    (args) => ({ shifts: args[1], dims: args[2] }),
  ),
  unaryFormula(
    "aten::nansum",
    "NansumBackward0",
    (g, s) => {
      const self = T(s.self);
      const keep = op("aten::logical_not", op("aten::isnan", self));
      const grad = g.dtype === self.dtype ? g : op("aten::to.dtype", g, self.dtype, false, false, null);
      return mul(sumBackward(grad, self.shape, dimList(s.dim), s.keepdim as boolean), keep);
    },
    (args) => ({ self: args[0], dim: args[1], keepdim: args[2] }),
  ),
  aminmaxRow,
  varMeanRow("aten::var_mean.correction", "VarMeanBackward0", false),
  varMeanRow("aten::std_mean.correction", "StdMeanBackward0", true),
  unaryFormula("aten::diag_embed", "DiagEmbedBackward0", (g, s) => op("aten::diagonal", g, s.offset, s.dim1, s.dim2), (args) => ({
    offset: args[1],
    dim1: args[2],
    dim2: args[3],
  })),
  unaryFormula(
    "aten::diagonal_copy",
    "DiagonalBackward0_copy",
    (g, s) => op("aten::diagonal_backward", g, s.sizes, s.offset, s.dim1, s.dim2),
    (args) => ({ sizes: T(args[0]).shape.slice(), offset: args[1], dim1: args[2], dim2: args[3] }),
  ),
  ...["new_full", "new_ones", "new_empty", "count_nonzero", "count_nonzero.dim_IntList", "logspace"].map((n) => noDerivative(`aten::${n}`)),
];
