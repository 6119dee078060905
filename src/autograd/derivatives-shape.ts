// Derivatives of views and reshaping ops (view, reshape aliases, transpose, permute, expand,
// squeeze/unsqueeze, select, slice, diagonal, split/unbind) and of repeat, flip, tril/triu and
// constant padding. A view's gradient is the inverse view, or a backward op that embeds it.

import type { Derivative, Saved } from "./formula.js";
import { asStridedBackward } from "./view-history.js";
import { sumTo } from "./engine.js";
import { type G, T, type Tensor, expand, formula, op, reshape, sumDims, t, unaryFormula, unsqueeze, withInplace, wrap } from "./derivatives-util.js";

const sizesOf = (v: unknown): number[] => T(v).shape.slice();
const saveSizes = (args: readonly unknown[]): Saved => ({ sizes: sizesOf(args[0]) });
const INT64_MAX = Number.MAX_SAFE_INTEGER;

/** PyTorch's unsqueeze_to: unsqueeze each listed dim (all when null) that had size 1. */
function unsqueezeTo(g: Tensor, dims: readonly number[] | null, sizes: readonly number[]): Tensor {
  const n = sizes.length;
  const mask = new Set((dims ?? sizes.map((_, i) => i)).map((d) => wrap(d, n)));
  let r = g;
  for (let d = 0; d < n; d++) if (mask.has(d) && sizes[d] === 1) r = unsqueeze(r, d);
  return r;
}

/** PyTorch's repeat_backward: fold each repeated dim out of the gradient and sum it. */
function repeatBackward(g: Tensor, repeats: readonly number[], sizes: readonly number[]): Tensor {
  if (repeats.includes(0)) return op("aten::zeros", sizes.slice(), g.dtype, null, g.device, null);
  let grad = g;
  const lead = repeats.length - sizes.length;
  for (let i = 0; i < lead; i++) grad = op("aten::sum.dim_IntList", grad, [0], false, null);
  const gradSize: number[] = [];
  const sumAt: number[] = [];
  sizes.forEach((s, d) => {
    const r = repeats[d + lead]!;
    if (r !== 1) {
      gradSize.push(r);
      sumAt.push(gradSize.length - 1);
    }
    gradSize.push(s);
  });
  if (sumAt.length === 0) return grad;
  return sumDims(reshape(grad, gradSize), sumAt, false);
}

/** split_with_sizes_backward: missing gradients are zeros; the pieces are concatenated. */
function splitBackward(grads: readonly G[], splitSizes: readonly number[], dim: number, sizes: readonly number[], like: Tensor): Tensor {
  const d = wrap(dim, sizes.length);
  const all = splitSizes.map((_, i) => {
    const gr = grads[i] ?? null;
    if (gr !== null) return gr;
    const shape = sizes.slice();
    shape[d] = splitSizes[i]!;
    return op("aten::zeros", shape, like.dtype, null, like.device, null);
  });
  return op("aten::cat", all, d);
}

const firstDefined = (grads: readonly G[]): Tensor => grads.find((x): x is Tensor => x != null)!;
const outputCount = (out: unknown): number => (out as Tensor[]).length;

/** The view and reshaping rows. */
/** An as_strided row: the input's geometry is read before the op (as_strided_ changes it). */
function asStridedRow(opName: string, name: string): Derivative {
  const geometry = (args: readonly unknown[]): Saved => {
    const t = T(args[0]);
    return { geometry: { shape: t.shape.slice(), strides: t.stride().slice(), offset: t._offset } };
  };
  return {
    ...formula({
      op: opName,
      name,
      inputs: { self: 0 },
      grads: { self: (g, s) => asStridedBackward(g, s.geometry as Parameters<typeof asStridedBackward>[1], s.size as number[], s.stride as number[], s.offset as number | null) },
    }),
    saveBefore: geometry,
    save: (args, _out, before) => ({ geometry: before.geometry, size: args[1], stride: args[2], offset: args[3] ?? null }),
  };
}

export const SHAPE_DERIVATIVES: readonly Derivative[] = [
  asStridedRow("aten::as_strided", "AsStridedBackward0"),
  asStridedRow("aten::as_strided_", "AsStridedBackward1"),
  ...(
    [
      ["aten::view", "ViewBackward0"],
      ["aten::_unsafe_view", "UnsafeViewBackward0"],
      ["aten::_reshape_alias", "ReshapeAliasBackward0"],
    ] as const
  ).map(([o, n]) => unaryFormula(o, n, (g, s) => reshape(g, s.sizes as number[]), saveSizes)),
  unaryFormula("aten::alias", "AliasBackward0", (g) => g),
  unaryFormula("aten::lift_fresh", "LiftFreshBackward0", (g) => g),
  unaryFormula("aten::clone", "CloneBackward0", (g) => g),
  unaryFormula("aten::t", "TBackward0", (g) => t(g)),
  unaryFormula("aten::t_", "TBackward1", (g) => t(g)),
  ...(["aten::transpose.int", "aten::transpose_"] as const).map((o, i) =>
    unaryFormula(o, `TransposeBackward${i}`, (g, s) => op("aten::transpose.int", g, s.d0, s.d1), (args) => ({ d0: args[1], d1: args[2] })),
  ),
  unaryFormula(
    "aten::permute",
    "PermuteBackward0",
    (g, s) => {
      const dims = s.dims as number[];
      const inv = new Array<number>(dims.length);
      dims.forEach((d, i) => (inv[wrap(d, dims.length)] = i));
      return op("aten::permute", g, inv);
    },
    (args) => ({ dims: args[1] }),
  ),
  unaryFormula("aten::expand", "ExpandBackward0", (g, s) => sumTo(g, s.sizes as number[]), saveSizes),
  ...(["aten::unsqueeze", "aten::unsqueeze_"] as const).map((o, i) =>
    unaryFormula(o, `UnsqueezeBackward${i}`, (g, s) => op("aten::squeeze.dim", g, s.dim), (args) => ({ dim: args[1] })),
  ),
  unaryFormula("aten::squeeze", "SqueezeBackward0", (g, s) => unsqueezeTo(g, null, s.sizes as number[]), saveSizes),
  unaryFormula("aten::squeeze.dim", "SqueezeBackward1", (g, s) => unsqueezeTo(g, [s.dim as number], s.sizes as number[]), (args) => ({
    sizes: sizesOf(args[0]),
    dim: args[1],
  })),
  unaryFormula("aten::squeeze.dims", "SqueezeBackward2", (g, s) => unsqueezeTo(g, s.dims as number[], s.sizes as number[]), (args) => ({
    sizes: sizesOf(args[0]),
    dims: args[1],
  })),
  unaryFormula("aten::select.int", "SelectBackward0", (g, s) => op("aten::select_backward", g, s.sizes, s.dim, s.index), (args) => ({
    sizes: sizesOf(args[0]),
    dim: args[1],
    index: args[2],
  })),
  unaryFormula(
    "aten::slice.Tensor",
    "SliceBackward0",
    (g, s) => op("aten::slice_backward", g, s.sizes, s.dim, s.start ?? 0, s.end ?? INT64_MAX, s.step),
    (args) => ({ sizes: sizesOf(args[0]), dim: args[1], start: args[2], end: args[3], step: args[4] }),
  ),
  unaryFormula("aten::diagonal", "DiagonalBackward0", (g, s) => op("aten::diagonal_backward", g, s.sizes, s.offset, s.dim1, s.dim2), (args) => ({
    sizes: sizesOf(args[0]),
    offset: args[1],
    dim1: args[2],
    dim2: args[3],
  })),
  formula({
    op: "aten::split.Tensor",
    name: "SplitBackward0",
    inputs: { self: 0 },
    anyGrad: true,
    save: (args, out) => ({ sizes: sizesOf(args[0]), size: args[1], dim: args[2], n: outputCount(out) }),
    grads: {
      self: (_g, s, _n, grads) => {
        const sizes = s.sizes as number[];
        const d = wrap(s.dim as number, sizes.length);
        const size = s.size as number;
        const pieces = new Array<number>(s.n as number).fill(size);
        pieces[pieces.length - 1] = size - (size * pieces.length - sizes[d]!);
        return splitBackward(grads, pieces, d, sizes, firstDefined(grads));
      },
    },
  }),
  formula({
    op: "aten::split_with_sizes",
    name: "SplitWithSizesBackward0",
    inputs: { self: 0 },
    anyGrad: true,
    save: (args) => ({ sizes: sizesOf(args[0]), splits: args[1], dim: args[2] }),
    grads: { self: (_g, s, _n, grads) => splitBackward(grads, s.splits as number[], s.dim as number, s.sizes as number[], firstDefined(grads)) },
  }),
  formula({
    op: "aten::unbind.int",
    name: "UnbindBackward0",
    inputs: { self: 0 },
    anyGrad: true,
    save: (args, out) => ({ dim: args[1], n: outputCount(out) }),
    grads: {
      self: (_g, s, _n, grads) => {
        const like = firstDefined(grads);
        const all = Array.from({ length: s.n as number }, (_, i) => grads[i] ?? expand(op("aten::zeros", [], like.dtype, null, like.device, null), like.shape));
        return op("aten::stack", all, s.dim);
      },
    },
  }),
  unaryFormula("aten::repeat", "RepeatBackward0", (g, s) => repeatBackward(g, s.repeats as number[], s.sizes as number[]), (args) => ({
    sizes: sizesOf(args[0]),
    repeats: args[1],
  })),
  unaryFormula("aten::flip", "FlipBackward0", (g, s) => op("aten::flip", g, s.dims), (args) => ({ dims: args[1] })),
  ...withInplace(unaryFormula("aten::tril", "TrilBackward0", (g, s) => op("aten::tril", g, s.diagonal), (args) => ({ diagonal: args[1] })), "aten::tril_"),
  ...withInplace(unaryFormula("aten::triu", "TriuBackward0", (g, s) => op("aten::triu", g, s.diagonal), (args) => ({ diagonal: args[1] })), "aten::triu_"),
  unaryFormula("aten::constant_pad_nd", "ConstantPadNdBackward0", (g, s) => op("aten::constant_pad_nd", g, (s.pad as number[]).map((p) => -p), 0), (args) => ({
    pad: args[1],
  })),
  unaryFormula(
    "aten::_to_copy",
    "ToCopyBackward0",
    (g, s) => (g.dtype === s.dtype && g.device === s.device ? g : op("aten::_to_copy", g, s.dtype, null, s.device, null, false, null)),
    (args) => ({ dtype: T(args[0]).dtype, device: T(args[0]).device }),
  ),
];
