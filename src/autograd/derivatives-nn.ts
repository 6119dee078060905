// Derivatives of the nn ops (layer/batch norm, convolution, embedding, mse_loss, dropout, softmax,
// nll_loss) through their backward ops, and of the backward ops themselves where PyTorch's
// double-backward formula is short (so createGraph reaches second derivatives through them).

import type { Derivative } from "./formula.js";
import { isGradEnabled } from "./engine.js";
import { T, type Tensor, formula, mul, mulScalar, op, ops, toDtype, unaryFormula, zerosLike } from "./derivatives-util.js";

const opt = (v: unknown): Tensor | null => (v === undefined || v === null ? null : T(v));
/** `x.type_as(like)` (CompositeImplicit: a `_to_copy` when the dtypes differ). */
const typeAs = (x: Tensor, like: Tensor): Tensor => toDtype(x, like.dtype);

/** The scale native_dropout's backward multiplies by. */
function dropoutScale(p: number, train: unknown): number {
  if (train === null || train === undefined || train === false) return 1;
  return p === 1 ? 0 : 1 / (1 - p);
}

const convolutionRow = (opName: string, name: string): Derivative =>
  formula({
    op: opName,
    name,
    inputs: { input: 0, weight: 1, bias: 2 },
    save: (args) => ({
      input: args[0],
      weight: args[1],
      biasSizes: opt(args[2])?.shape.slice() ?? null,
      rest: args.slice(3, 9),
    }),
    grads: {
      "input, weight, bias": (g, s, needs) =>
        ops("aten::convolution_backward", g, T(s.input), T(s.weight), s.biasSizes, ...(s.rest as unknown[]), [needs.input, needs.weight, needs.bias]),
    },
  });

/** The nn rows. */
export const NN_DERIVATIVES: readonly Derivative[] = [
  formula({
    op: "aten::native_layer_norm",
    name: "NativeLayerNormBackward0",
    inputs: { input: 0, weight: 2, bias: 3 },
    differentiableOutputs: [0],
    save: (args, out) => ({
      input: args[0],
      shape: args[1],
      weight: opt(args[2]),
      bias: opt(args[3]),
      result1: (out as Tensor[])[1],
      result2: (out as Tensor[])[2],
    }),
    grads: {
      "input, weight, bias": (g, s, needs) =>
        ops("aten::native_layer_norm_backward", g, T(s.input), s.shape, T(s.result1), T(s.result2), s.weight, s.bias, [needs.input, needs.weight, needs.bias]),
    },
  }),
  formula({
    op: "aten::native_batch_norm",
    name: "NativeBatchNormBackward0",
    inputs: { input: 0, weight: 1, bias: 2 },
    differentiableOutputs: [0],
    save: (args, out) => ({
      input: args[0],
      weight: opt(args[1]),
      runningMean: opt(args[3]),
      runningVar: opt(args[4]),
      training: args[5],
      eps: args[7],
      result1: (out as Tensor[])[1],
      result2: (out as Tensor[])[2],
    }),
    grads: {
      "input, weight, bias": (g, s, needs) =>
        ops(
          "aten::native_batch_norm_backward",
          g,
          T(s.input),
          s.weight,
          s.runningMean,
          s.runningVar,
          T(s.result1),
          T(s.result2),
          s.training,
          s.eps,
          [needs.input, needs.weight, needs.bias],
        ),
    },
  }),
  convolutionRow("aten::convolution", "ConvolutionBackward0"),
  convolutionRow("aten::_convolution", "ConvolutionBackward1"),
  formula({
    op: "aten::embedding",
    name: "EmbeddingBackward0",
    inputs: { weight: 0 },
    save: (args) => ({ indices: args[1], num: T(args[0]).shape[0], padding: args[2], scale: args[3] }),
    grads: { weight: (g, s) => op("aten::embedding_dense_backward", g, T(s.indices), s.num, s.padding, s.scale) },
  }),
  formula({
    op: "aten::mse_loss",
    name: "MseLossBackward0",
    inputs: { self: 0, target: 1 },
    save: (args) => ({ self: args[0], target: args[1], reduction: args[2] }),
    grads: {
      self: (g, s) => op("aten::mse_loss_backward", g, T(s.self), T(s.target), s.reduction),
      target: (g, s) => op("aten::mse_loss_backward", g, T(s.target), T(s.self), s.reduction),
    },
  }),
  formula({
    op: "aten::native_dropout",
    name: "NativeDropoutBackward0",
    inputs: { input: 0 },
    differentiableOutputs: [0],
    save: (args, out) => ({ scale: dropoutScale(Number(args[1]), args[2]), result1: (out as Tensor[])[1] }),
    grads: {
      input: (g, s) => {
        const mask = T(s.result1);
        const scale = s.scale as number;
        if (isGradEnabled()) return mul(g, mulScalar(typeAs(mask, g), scale));
        return op("aten::native_dropout_backward", g, mask, scale);
      },
    },
  }),
  unaryFormula("aten::_softmax", "SoftmaxBackward0", (g, s) => op("aten::_softmax_backward_data", g, T(s.result), s.dim, s.dtype), (args, out) => ({
    dim: args[1],
    dtype: T(args[0]).dtype,
    result: out,
  })),
  unaryFormula("aten::_log_softmax", "LogSoftmaxBackward0", (g, s) => op("aten::_log_softmax_backward_data", g, T(s.result), s.dim, s.dtype), (args, out) => ({
    dim: args[1],
    dtype: T(args[0]).dtype,
    result: out,
  })),
  formula({
    op: "aten::nll_loss_forward",
    name: "NllLossBackward0",
    inputs: { self: 0 },
    differentiableOutputs: [0],
    save: (args, out) => ({ self: args[0], target: args[1], weight: opt(args[2]), reduction: args[3], ignore: args[4], total: (out as Tensor[])[1] }),
    grads: {
      self: (g, s) => op("aten::nll_loss_backward", g, T(s.self), T(s.target), s.weight, s.reduction, s.ignore, T(s.total)),
    },
  }),
  // double backward of the activation backward ops
  formula({
    op: "aten::threshold_backward",
    name: "ThresholdBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ self: args[1], threshold: args[2] }),
    grads: {
      grad_output: (g, s) => op("aten::threshold_backward", g, T(s.self), s.threshold),
      self: (g) => zerosLike(g),
    },
  }),
  formula({
    op: "aten::sigmoid_backward",
    name: "SigmoidBackwardBackward0",
    inputs: { grad_output: 0, output: 1 },
    save: (args) => ({ grad_output: args[0], output: args[1] }),
    grads: {
      grad_output: (g, s) => op("aten::sigmoid_backward", g, T(s.output)),
      // grad * grad_output * (-2 * output + 1)
      output: (g, s) => {
        const lin = op("aten::add.Scalar", mulScalar(T(s.output), -2), 1, 1);
        return mul(mul(g, T(s.grad_output)), lin);
      },
    },
  }),
  formula({
    op: "aten::tanh_backward",
    name: "TanhBackwardBackward0",
    inputs: { grad_output: 0, output: 1 },
    save: (args) => ({ grad_output: args[0], output: args[1] }),
    grads: {
      grad_output: (g, s) => op("aten::tanh_backward", g, T(s.output)),
      // grad * (-2 * output * grad_output)
      output: (g, s) => mul(g, mul(mulScalar(T(s.output), -2), T(s.grad_output))),
    },
  }),
  unaryFormula("aten::select_backward", "SelectBackwardBackward0", (g, s) => op("aten::select.int", g, s.dim, s.index), (args) => ({ dim: args[2], index: args[3] })),
  unaryFormula("aten::slice_backward", "SliceBackwardBackward0", (g, s) => op("aten::slice.Tensor", g, s.dim, s.start, s.end, s.step), (args) => ({
    dim: args[2],
    start: args[3],
    end: args[4],
    step: args[5],
  })),
  unaryFormula("aten::diagonal_backward", "DiagonalBackwardBackward0", (g, s) => op("aten::diagonal", g, s.offset, s.dim1, s.dim2), (args) => ({
    offset: args[2],
    dim1: args[3],
    dim2: args[4],
  })),
  formula({
    op: "aten::native_dropout_backward",
    name: "NativeDropoutBackwardBackward0",
    inputs: { grad_output: 0 },
    save: (args) => ({ grad_output: args[0], mask: args[1], scale: args[2] }),
    grads: { grad_output: (g, s) => mul(typeAs(g, T(s.grad_output)), mulScalar(typeAs(T(s.mask), T(s.grad_output)), s.scale as number)) },
  }),
  formula({
    op: "aten::nll_loss_backward",
    name: "NllLossBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ target: args[2], weight: opt(args[3]), reduction: args[4], ignore: args[5] }),
    grads: {
      grad_output: (g, s) => op("aten::nll_loss", g, T(s.target), s.weight, s.reduction, s.ignore),
      self: (g) => zerosLike(g),
    },
  }),
];
