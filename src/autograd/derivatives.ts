// Derivative formulas, after PyTorch's tools/autograd/derivatives.yaml (our own code): each row
// names the op, the node (`MulBackward0`), what to save and how to compute input gradients, in
// dispatched ops (so modes see the backward ops and createGraph gives higher-order gradients).

import { callOp } from "../dispatcher/call-op.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Derivative } from "./formula.js";

type Scalar = number | boolean | bigint;
type G = Tensor | null;
const T = (v: unknown) => v as Tensor;

const op = (name: string, ...args: unknown[]) => callOp(name, args) as Tensor;
const mul = (a: Tensor, b: Tensor) => op("aten::mul.Tensor", a, b);
const mulS = (a: Tensor, s: Scalar) => (s === 1 ? a : op("aten::mul.Tensor", a, s));
const div = (a: Tensor, b: Tensor) => op("aten::div.Tensor", a, b);
const neg = (a: Tensor) => op("aten::neg", a);
const mm = (a: Tensor, b: Tensor) => op("aten::mm", a, b);
const t = (a: Tensor) => op("aten::t", a);
const expand = (a: Tensor, size: readonly number[]) => op("aten::expand", a, size.slice(), false);
const reshape = (a: Tensor, size: readonly number[]) => op("aten::reshape", a, size.slice());

function wrap(d: number, n: number): number {
  return d < 0 ? d + Math.max(n, 1) : d;
}

/** PyTorch's sum_backward: unsqueeze the reduced dims (when !keepdim), then expand. */
function sumBackward(g: Tensor, sizes: readonly number[], dims: readonly number[] | null, keepdim: boolean): Tensor {
  let r = g;
  if (!keepdim && sizes.length > 0) {
    const ds = (dims === null || dims.length === 0 ? sizes.map((_, i) => i) : dims.map((d) => wrap(d, sizes.length))).sort((a, b) => a - b);
    for (const d of ds) r = op("aten::unsqueeze", r, d);
  }
  return expand(r, sizes);
}

function otherDivGrad(g: Tensor, self: Tensor, other: Tensor): Tensor {
  const q = div(self, other);
  return div(mul(neg(g), q), other);
}

/** Is a matrix laid out column-major (a transposed contiguous one)? */
function columnMajor(sizes: readonly number[], strides: readonly number[]): boolean {
  return strides[0] === 1 && strides[1] === sizes[0] && sizes[0] !== 1 && sizes[1] !== 1;
}

/** PyTorch's mm_mat1_backward: keeps a column-major mat1's layout in its gradient. */
function mat1Grad(g: Tensor, mat2: Tensor, sizes: readonly number[], strides: readonly number[], alpha: Scalar): Tensor {
  if (columnMajor(sizes, strides)) return mulS(t(mm(mat2, t(g))), alpha);
  return mulS(mm(g, t(mat2)), alpha);
}

/** PyTorch's mm_mat2_backward: keeps a column-major mat2's layout in its gradient. */
function mat2Grad(g: Tensor, mat1: Tensor, sizes: readonly number[], strides: readonly number[], alpha: Scalar): Tensor {
  if (columnMajor(sizes, strides)) return mulS(t(mm(t(g), mat1)), alpha);
  return mulS(mm(t(mat1), g), alpha);
}

function numelOver(sizes: readonly number[], dims: readonly number[] | null): number {
  if (dims === null || dims.length === 0) return sizes.reduce((a, b) => a * b, 1);
  return dims.reduce((acc, d) => acc * sizes[wrap(d, sizes.length)]!, 1);
}

/** Sizes and strides of the two matrices at forward time (the backward keeps their layouts). */
function layouts(a: unknown, b: unknown) {
  return { s1: T(a).shape.slice(), st1: T(a).stride(), s2: T(b).shape.slice(), st2: T(b).stride() };
}

const unary = (opName: string, name: string, f: (g: Tensor, self: Tensor, result: Tensor) => Tensor): Derivative => ({
  op: opName,
  name,
  inputs: [0],
  save: (args, out) => ({ self: args[0], result: out }),
  backward: ([g], s) => [g ? f(g, T(s.self), T(s.result)) : null],
});

/** The formulas aten-ts registers at the Autograd key. */
export const DERIVATIVES: readonly Derivative[] = [
  {
    op: "aten::add.Tensor",
    name: "AddBackward0",
    inputs: [0, 1],
    save: (args) => ({ alpha: args[2] }),
    backward: ([g], s, needs) => [needs[0] ? g : null, needs[1] && g ? mulS(g, s.alpha as Scalar) : null],
  },
  {
    op: "aten::add_.Tensor",
    name: "AddBackward0",
    inputs: [0, 1],
    save: (args) => ({ alpha: args[2] }),
    backward: ([g], s, needs) => [needs[0] ? g : null, needs[1] && g ? mulS(g, s.alpha as Scalar) : null],
  },
  {
    op: "aten::sub.Tensor",
    name: "SubBackward0",
    inputs: [0, 1],
    save: (args) => ({ alpha: args[2] }),
    backward: ([g], s, needs) => [needs[0] ? g : null, needs[1] && g ? mulS(neg(g), s.alpha as Scalar) : null],
  },
  {
    op: "aten::mul.Tensor",
    name: "MulBackward0",
    inputs: [0, 1],
    save: (args) => ({ self: args[0], other: args[1] }),
    backward: ([g], s, needs) => [needs[0] && g ? mul(g, T(s.other)) : null, needs[1] && g ? mul(g, T(s.self)) : null],
  },
  {
    op: "aten::div.Tensor",
    name: "DivBackward0",
    inputs: [0, 1],
    save: (args) => ({ self: args[0], other: args[1] }),
    backward: ([g], s, needs) => [
      needs[0] && g ? div(g, T(s.other)) : null,
      // PyTorch's div_tensor_other_backward: -grad * (self / other) / other
      needs[1] && g ? otherDivGrad(g, T(s.self), T(s.other)) : null,
    ],
  },
  unary("aten::neg", "NegBackward0", (g) => neg(g)),
  unary("aten::exp", "ExpBackward0", (g, _s, r) => mul(g, r)),
  unary("aten::log", "LogBackward0", (g, s) => div(g, s)),
  unary("aten::relu", "ReluBackward0", (g, _s, r) => op("aten::threshold_backward", g, r, 0)),
  unary("aten::relu_", "ReluBackward0", (g, _s, r) => op("aten::threshold_backward", g, r, 0)),
  unary("aten::sigmoid", "SigmoidBackward0", (g, _s, r) => op("aten::sigmoid_backward", g, r)),
  unary("aten::tanh", "TanhBackward0", (g, _s, r) => op("aten::tanh_backward", g, r)),
  unary("aten::sqrt", "SqrtBackward0", (g, _s, r) => div(g, mulS(r, 2))),
  unary("aten::clone", "CloneBackward0", (g) => g),
  {
    op: "aten::pow.Tensor_Scalar",
    name: "PowBackward0",
    inputs: [0],
    save: (args) => ({ self: args[0], exponent: args[1] }),
    backward: ([g], s) => {
      if (!g) return [null];
      const e = Number(s.exponent);
      if (e === 0) return [op("aten::zeros_like", g, null, null, null, null, null)];
      // PyTorch's pow_backward: grad * (exponent * self.pow(exponent - 1))
      return [mul(g, op("aten::mul.Scalar", op("aten::pow.Tensor_Scalar", T(s.self), e - 1), e))];
    },
  },
  {
    op: "aten::sum",
    name: "SumBackward0",
    inputs: [0],
    save: (args) => ({ sizes: T(args[0]).shape.slice() }),
    backward: ([g], s) => [g ? expand(g, s.sizes as number[]) : null],
  },
  {
    op: "aten::sum.dim_IntList",
    name: "SumBackward1",
    inputs: [0],
    save: (args) => ({ sizes: T(args[0]).shape.slice(), dim: args[1], keepdim: args[2] }),
    backward: ([g], s) => [g ? sumBackward(g, s.sizes as number[], s.dim as number[] | null, s.keepdim as boolean) : null],
  },
  {
    op: "aten::mean",
    name: "MeanBackward0",
    inputs: [0],
    save: (args) => ({ sizes: T(args[0]).shape.slice() }),
    backward: ([g], s) => {
      if (!g) return [null];
      const sizes = s.sizes as number[];
      return [op("aten::div.Scalar", expand(g, sizes), numelOver(sizes, null))];
    },
  },
  {
    op: "aten::mean.dim",
    name: "MeanBackward1",
    inputs: [0],
    save: (args) => ({ sizes: T(args[0]).shape.slice(), dim: args[1], keepdim: args[2] }),
    backward: ([g], s) => {
      if (!g) return [null];
      const sizes = s.sizes as number[];
      const dims = s.dim as number[] | null;
      return [op("aten::div.Scalar", sumBackward(g, sizes, dims, s.keepdim as boolean), numelOver(sizes, dims))];
    },
  },
  {
    op: "aten::mm",
    name: "MmBackward0",
    inputs: [0, 1],
    save: (args) => ({ self: args[0], mat2: args[1], ...layouts(args[0], args[1]) }),
    backward: ([g], s, needs) => [
      needs[0] && g ? mat1Grad(g, T(s.mat2), s.s1 as number[], s.st1 as number[], 1) : null,
      needs[1] && g ? mat2Grad(g, T(s.self), s.s2 as number[], s.st2 as number[], 1) : null,
    ],
  },
  {
    op: "aten::addmm",
    name: "AddmmBackward0",
    inputs: [0, 1, 2],
    save: (args) => ({ mat1: args[1], mat2: args[2], beta: args[3], alpha: args[4], ...layouts(args[1], args[2]) }),
    backward: ([g], s, needs) => {
      if (!g) return [null, null, null];
      const alpha = s.alpha as Scalar;
      return [
        needs[0] ? mulS(g, s.beta as Scalar) : null,
        needs[1] ? mat1Grad(g, T(s.mat2), s.s1 as number[], s.st1 as number[], alpha) : null,
        needs[2] ? mat2Grad(g, T(s.mat1), s.s2 as number[], s.st2 as number[], alpha) : null,
      ];
    },
  },
  {
    op: "aten::bmm",
    name: "BmmBackward0",
    inputs: [0, 1],
    save: (args) => ({ self: args[0], mat2: args[1] }),
    backward: ([g], s, needs) => [
      needs[0] && g ? op("aten::bmm", g, op("aten::transpose.int", T(s.mat2), 1, 2)) : null,
      needs[1] && g ? op("aten::bmm", op("aten::transpose.int", T(s.self), 1, 2), g) : null,
    ],
  },
  {
    op: "aten::dot",
    name: "DotBackward0",
    inputs: [0, 1],
    save: (args) => ({ self: args[0], tensor: args[1] }),
    backward: ([g], s, needs) => [needs[0] && g ? mul(g, T(s.tensor)) : null, needs[1] && g ? mul(g, T(s.self)) : null],
  },
  {
    op: "aten::mv",
    name: "MvBackward0",
    inputs: [0, 1],
    save: (args) => ({ self: args[0], vec: args[1] }),
    backward: ([g], s, needs) => [
      needs[0] && g ? op("aten::outer", g, T(s.vec)) : null,
      needs[1] && g ? op("aten::mv", t(T(s.self)), g) : null,
    ],
  },
  ...(["aten::view", "aten::_unsafe_view", "aten::_reshape_alias"] as const).map(
    (name): Derivative => ({
      op: name,
      name: name === "aten::view" ? "ViewBackward0" : name === "aten::_unsafe_view" ? "UnsafeViewBackward0" : "AliasBackward0",
      inputs: [0],
      save: (args) => ({ sizes: T(args[0]).shape.slice() }),
      backward: ([g], s) => [g ? reshape(g, s.sizes as number[]) : null],
    }),
  ),
  { op: "aten::t", name: "TBackward0", inputs: [0], save: () => ({}), backward: ([g]) => [g ? t(g) : null] },
  {
    op: "aten::transpose.int",
    name: "TransposeBackward0",
    inputs: [0],
    save: (args) => ({ d0: args[1], d1: args[2] }),
    backward: ([g], s) => [g ? op("aten::transpose.int", g, s.d0, s.d1) : null],
  },
  {
    op: "aten::permute",
    name: "PermuteBackward0",
    inputs: [0],
    save: (args) => ({ dims: args[1] }),
    backward: ([g], s) => {
      if (!g) return [null];
      const dims = (s.dims as number[]).map((d) => wrap(d, (s.dims as number[]).length));
      const inv = new Array<number>(dims.length);
      dims.forEach((d, i) => (inv[d] = i));
      return [op("aten::permute", g, inv)];
    },
  },
  {
    op: "aten::expand",
    name: "ExpandBackward0",
    inputs: [0],
    save: (args) => ({ sizes: T(args[0]).shape.slice() }),
    backward: ([g], s) => {
      if (!g) return [null];
      const sizes = s.sizes as number[];
      const lead = g.shape.length - sizes.length;
      const dims: number[] = [];
      g.shape.forEach((n, i) => (i < lead || (sizes[i - lead] === 1 && n !== 1)) && dims.push(i));
      let r = dims.length ? op("aten::sum.dim_IntList", g, dims, true, null) : g;
      if (lead > 0) r = op("aten::view", r, sizes.slice());
      return [r];
    },
  },
  {
    op: "aten::unsqueeze",
    name: "UnsqueezeBackward0",
    inputs: [0],
    save: (args) => ({ dim: args[1], n: T(args[0]).shape.length + 1 }),
    backward: ([g], s) => [g ? op("aten::squeeze.dim", g, wrap(s.dim as number, s.n as number)) : null],
  },
  {
    op: "aten::squeeze.dim",
    name: "SqueezeBackward1",
    inputs: [0],
    save: (args) => ({ sizes: T(args[0]).shape.slice(), dim: args[1] }),
    backward: ([g], s) => {
      if (!g) return [null];
      const sizes = s.sizes as number[];
      const d = wrap(s.dim as number, sizes.length);
      return [sizes.length > 0 && sizes[d] === 1 ? op("aten::unsqueeze", g, d) : g];
    },
  },
  {
    op: "aten::_softmax",
    name: "SoftmaxBackward0",
    inputs: [0],
    save: (args, out) => ({ result: out, dim: args[1], dtype: T(args[0]).dtype }),
    backward: ([g], s) => [g ? op("aten::_softmax_backward_data", g, T(s.result), s.dim, s.dtype) : null],
  },
  {
    op: "aten::_log_softmax",
    name: "LogSoftmaxBackward0",
    inputs: [0],
    save: (args, out) => ({ result: out, dim: args[1], dtype: T(args[0]).dtype }),
    backward: ([g], s) => [g ? op("aten::_log_softmax_backward_data", g, T(s.result), s.dim, s.dtype) : null],
  },
  {
    op: "aten::nll_loss_forward",
    name: "NllLossBackward0",
    inputs: [0],
    differentiableOutputs: [0],
    save: (args, out) => ({ self: args[0], target: args[1], weight: args[2], reduction: args[3], ignore: args[4], total: (out as Tensor[])[1] }),
    backward: ([g], s) => [
      g ? op("aten::nll_loss_backward", g, T(s.self), T(s.target), s.weight ?? null, s.reduction, s.ignore, T(s.total)) : null,
    ],
  },
  {
    op: "aten::_to_copy",
    name: "ToCopyBackward0",
    inputs: [0],
    save: (args) => ({ dtype: T(args[0]).dtype, device: T(args[0]).device }),
    backward: ([g], s) => [g ? op("aten::_to_copy", g, s.dtype, null, s.device, null, false, null) : null],
  },
];

/** The gradient inputs a node receives, for formulas written over several outputs. */
export type Grads = readonly G[];
