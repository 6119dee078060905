// Derivatives of indexing and joining: index_select and gather (added back with index_add /
// scatter_add), scatter (with a reduce argument: no derivative, backward raises), advanced
// indexing and index_put (accumulating index_put), masked_select, masked_scatter (and its backward
// op), and cat/stack (the gradient narrowed or selected back into one piece per input).

import { RuntimeError } from "../core/errors.js";
import { broadcastShapes } from "../tensor/shape.js";
import type { Derivative } from "./formula.js";
import { type Scalar, T, type Tensor, formula, maybeMultiply, newZeros, op, subclassLike, unaryFormula, withInplace, wrap } from "./derivatives-util.js";

type Indices = ReadonlyArray<Tensor | null>;
const sizesOf = (v: unknown): number[] => T(v).shape.slice();
const indexTensors = (idx: Indices): Tensor[] => idx.filter((x): x is Tensor => x !== null);

/** index_backward: the gradient accumulated into zeros at the indexed positions. */
function indexBackward(zeros: Tensor, indices: Indices, g: Tensor): Tensor {
  if (subclassLike(zeros, g, ...indexTensors(indices))) return op("aten::index_put", zeros, indices.slice(), g, true);
  return op("aten::_index_put_impl_", zeros, indices.slice(), g, true, true);
}

/** index_put's rows: `self` keeps the gradient outside the written positions, `values` reads them. */
const indexPut = (opName: string, name: string): Derivative =>
  formula({
    op: opName,
    name,
    inputs: { self: 0, values: 2 },
    save: (args) => ({ indices: args[1], accumulate: args[3], valuesShape: sizesOf(args[2]), valuesDtype: T(args[2]).dtype }),
    grads: {
      self: (g, s) => {
        if (s.accumulate) return g;
        const zeros = op("aten::zeros", s.valuesShape, s.valuesDtype, null, g.device, null);
        return op("aten::index_put", g, (s.indices as Indices).slice(), zeros, false);
      },
      values: (g, s) => op("aten::index.Tensor", g, (s.indices as Indices).slice()),
    },
  });

/** cat_tensors_backward: the gradient narrowed back to each input (1-d empty inputs get zeros). */
function catBackward(g: Tensor, shapes: readonly number[][], dim: number): Tensor[] {
  const ref = shapes.find((s) => !(s.length === 1 && s[0] === 0)) ?? shapes[0]!;
  const d = wrap(dim, ref.length);
  let at = 0;
  return shapes.map((shape) => {
    if (shape.length === 1 && shape[0] === 0) return op("aten::zeros", [0], g.dtype, null, g.device, null);
    const size = shape[d]!;
    at += size;
    return op("aten::narrow", g, d, at - size, size);
  });
}

/**
 * An op PyTorch has no derivatives.yaml row for (scatter with `reduce`): its autograd kernel
 * (autogradNotImplementedFallback) records a `torch::autograd::NotImplemented` node whose
 * backward raises, naming the op without its overload.
 */
const notImplementedRow = (opName: string, inputs: readonly number[]): Derivative => ({
  op: opName,
  name: "torch::autograd::NotImplemented",
  inputs,
  save: () => ({}),
  backward: () => {
    throw new RuntimeError(`derivative for ${opName.split(".")[0]} is not implemented`);
  },
});

/** The rows of ops that select or scatter along one dim. */
const ALONG_DIM_DERIVATIVES: readonly Derivative[] = [
  unaryFormula(
    "aten::index_select",
    "IndexSelectBackward0",
    (g, s) => {
      const zeros = newZeros(g, s.sizes as number[]);
      const index = T(s.index);
      const add = subclassLike(g, index) ? "aten::index_add" : "aten::index_add_";
      return op(add, zeros, s.dim, index, g, 1);
    },
    (args) => ({ sizes: sizesOf(args[0]), dim: args[1], index: args[2] }),
  ),
  unaryFormula(
    "aten::gather",
    "GatherBackward0",
    (g, s) => {
      const zeros = newZeros(g, s.sizes as number[]);
      const index = T(s.index);
      return op(subclassLike(index, g) ? "aten::scatter_add" : "aten::scatter_add_", zeros, s.dim, index, g);
    },
    (args) => ({ sizes: sizesOf(args[0]), dim: args[1], index: args[2] }),
  ),
  ...withInplace(
    formula({
      op: "aten::scatter.src",
      name: "ScatterBackward0",
      inputs: { self: 0, src: 3 },
      save: (args) => ({ dim: args[1], index: args[2] }),
      grads: {
        self: (g, s) => op("aten::scatter.value", g, s.dim, T(s.index), 0),
        src: (g, s) => op("aten::gather", g, s.dim, T(s.index), false),
      },
    }),
    "aten::scatter_.src",
  ),
  ...withInplace(
    unaryFormula("aten::scatter.value", "ScatterBackward1", (g, s) => op("aten::scatter.value", g, s.dim, T(s.index), 0), (args) => ({
      dim: args[1],
      index: args[2],
    })),
    "aten::scatter_.value",
  ),
  notImplementedRow("aten::scatter.reduce", [0, 3]),
  notImplementedRow("aten::scatter_.reduce", [0, 3]),
  notImplementedRow("aten::scatter.value_reduce", [0]),
  notImplementedRow("aten::scatter_.value_reduce", [0]),
  ...withInplace(
    formula({
      op: "aten::scatter_add",
      name: "ScatterAddBackward0",
      inputs: { self: 0, src: 3 },
      save: (args) => ({ dim: args[1], index: args[2] }),
      grads: { self: (g) => g, src: (g, s) => op("aten::gather", g, s.dim, T(s.index), false) },
    }),
    "aten::scatter_add_",
  ),
  ...withInplace(indexAddRow(), "aten::index_add_"),
];

/** index_add: `self` passes the gradient, `source` reads it back at the indices (times alpha). */
function indexAddRow(): Derivative {
  return formula({
    op: "aten::index_add",
    name: "IndexAddBackward0",
    inputs: { self: 0, source: 3 },
    save: (args) => ({ dim: args[1], index: args[2], alpha: args[4], source: args[3] }),
    grads: {
      self: (g) => g,
      source: (g, s) => {
        const source = T(s.source);
        const index = T(s.index);
        const picked =
          source.shape.length > 0
            ? op("aten::expand_as", op("aten::index_select", g, s.dim, index), source)
            : op("aten::index_select", g, s.dim, op("aten::squeeze.dim", index, 0));
        return maybeMultiply(picked, s.alpha as Scalar);
      },
    },
  });
}

/** The advanced-indexing and joining rows. */
const JOIN_DERIVATIVES: readonly Derivative[] = [
  unaryFormula(
    "aten::index.Tensor",
    "IndexBackward0",
    (g, s) => indexBackward(op("aten::new_zeros", g, s.sizes, s.dtype, null, null, null), s.indices as Indices, g),
    (args) => ({ sizes: sizesOf(args[0]), dtype: T(args[0]).dtype, indices: args[1] }),
  ),
  unaryFormula(
    "aten::masked_select",
    "MaskedSelectBackward0",
    (g, s) => {
      // masked_select_backward: zeros of the broadcast input, the gradient scattered where mask is set
      const self = T(s.self);
      const mask = T(s.mask);
      const shape = broadcastShapes(self.shape, mask.shape);
      const zeros = op("aten::zeros_like", op("aten::expand", self, shape, false), null, null, null, null, null);
      return op(subclassLike(g, mask) ? "aten::masked_scatter" : "aten::masked_scatter_", zeros, mask, g);
    },
    (args) => ({ self: args[0], mask: args[1] }),
  ),
  // self: grad.masked_fill(mask, 0); source: masked_scatter_backward(grad, mask, source.sym_sizes())
  ...withInplace(
    formula({
      op: "aten::masked_scatter",
      name: "MaskedScatterBackward0",
      inputs: { self: 0, source: 2 },
      save: (args) => ({ mask: args[1], sourceSizes: sizesOf(args[2]) }),
      grads: {
        self: (g, s) => op("aten::masked_fill.Scalar", g, T(s.mask), 0),
        source: (g, s) => op("aten::masked_scatter_backward", g, T(s.mask), (s.sourceSizes as number[]).slice()),
      },
    }),
    "aten::masked_scatter_",
  ),
  // grad_output: zeros_like(grad_output).masked_scatter(mask, grad), with zeros_like(grad_output)
  // made from its saved sizes and options (at::zeros)
  formula({
    op: "aten::masked_scatter_backward",
    name: "MaskedScatterBackwardBackward0",
    inputs: { grad_output: 0 },
    save: (args) => ({ mask: args[1], sizes: sizesOf(args[0]), dtype: T(args[0]).dtype, device: T(args[0]).device }),
    grads: {
      grad_output: (g, s) => op("aten::masked_scatter", op("aten::zeros", (s.sizes as number[]).slice(), s.dtype, null, s.device, null), T(s.mask), g),
    },
  }),
  indexPut("aten::index_put", "IndexPutBackward0"),
  { ...indexPut("aten::index_put", "IndexPutBackward0"), op: "aten::index_put_" },
  indexPut("aten::_index_put_impl_", "IndexPutImplBackward0"),
  {
    op: "aten::cat",
    name: "CatBackward0",
    inputs: [0],
    save: (args) => ({ shapes: (args[0] as Tensor[]).map((x) => x.shape.slice()), dim: args[1] }),
    backward: ([g], s) => (g ? catBackward(g, s.shapes as number[][], s.dim as number) : (s.shapes as number[][]).map(() => null)),
  },
  {
    op: "aten::stack",
    name: "StackBackward0",
    inputs: [0],
    save: (args) => ({ n: (args[0] as Tensor[]).length, dim: args[1] }),
    backward: ([g], s) => Array.from({ length: s.n as number }, (_, i) => (g ? op("aten::select.int", g, s.dim, i) : null)),
  },
];

/** The indexing rows. */
export const INDEX_DERIVATIVES: readonly Derivative[] = [...ALONG_DIM_DERIVATIVES, ...JOIN_DERIVATIVES];
