// The gradcheck tables of the view, indexing, matrix-product and nn formulas, and of the backward
// ops that have double-backward formulas (run by gradcheck-2.test.ts).
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { type Case, bools, c, f, ints, x } from "./gradcheck-harness.js";
import { ACTIVATION_CASES } from "./gradcheck-cases-activation.js";
import { ATTENTION_CASES } from "./gradcheck-cases-attention.js";
import { POOL_CASES } from "./gradcheck-cases-pool.js";

const A = "aten::";

/** Views and reshaping. */
export const SHAPE_CASES: Case[] = [
  c("view", A + "view", [x([2, 3]), [3, 2]]),
  c("_unsafe_view", A + "_unsafe_view", [x([2, 3]), [6]]),
  f("reshape of a transpose (a copy)", (a) => a.t().reshape([6]), [x([3, 2])]),
  c("t", A + "t", [x([2, 3])]),
  c("transpose", A + "transpose.int", [x([2, 3, 2]), 0, 2]),
  c("permute", A + "permute", [x([2, 3, 2]), [2, 0, 1]]),
  c("roll two dims", A + "roll", [x([2, 3, 2]), [1, -2], [0, 2]]),
  c("roll flattened", A + "roll", [x([2, 3]), [4], []]),
  c("nansum dim", A + "nansum", [x([2, 3]), [1]]),
  f("var_mean both outputs", (a) => torch.varMean(a!, [0, 2], { correction: 0 }).reduce((acc, t, i) => acc.add(t.mul(i + 1))), [x([2, 3, 2])]),
  f("std_mean both outputs keepdim", (a) => torch.stdMean(a!, 1, { keepdim: true }).reduce((acc, t, i) => acc.add(t.mul(i + 1))), [x([2, 3])]),
  c("diag_embed", A + "diag_embed", [x([2, 3]), 1, 0, 2]),
  c("diagonal_copy", A + "diagonal_copy", [x([3, 4]), -1]),
  c("trace", A + "trace", [x([3, 4])]),
  c("index_fill.int_Scalar", A + "index_fill.int_Scalar", [x([3, 4]), 1, torch.tensor([0, -1], { dtype: "int64" }), 2.5]),
  c("index_fill.int_Tensor (value too)", A + "index_fill.int_Tensor", [x([3, 4]), 0, torch.tensor([1, 1], { dtype: "int64" }), x([])]),
  f("index_fill_.int_Scalar", (a) => a!.mul(1).indexFill_(0, torch.tensor([2], { dtype: "int64" }), -1), [x([3, 2])]),
  f("index_fill_.int_Tensor (value too)", (a, v) => a!.mul(1).indexFill_(1, torch.tensor([0, 1], { dtype: "int64" }), v!), [x([3, 2]), x([])]),
  f("aminmax both outputs", (a) => torch.aminmax(a!, { dim: 1 }).reduce((acc, t, i) => acc.add(t.mul(i + 1))), [x([2, 3])]),
  c("expand", A + "expand", [x([3, 1]), [2, 3, 4]]),
  c("unsqueeze", A + "unsqueeze", [x([2, 3]), -1]),
  c("squeeze", A + "squeeze", [x([2, 1, 3, 1])]),
  c("squeeze.dim", A + "squeeze.dim", [x([2, 1, 3]), 1]),
  c("squeeze.dims", A + "squeeze.dims", [x([2, 1, 3, 1]), [1, 3]]),
  c("select", A + "select.int", [x([2, 3]), 1, -1]),
  c("slice with step", A + "slice.Tensor", [x([5, 2]), 0, 1, null, 2]),
  c("slice negative bounds", A + "slice.Tensor", [x([2, 5]), 1, -4, -1]),
  c("narrow", A + "narrow", [x([2, 4]), 1, 1, 2]),
  c("diagonal", A + "diagonal", [x([3, 4]), 1]),
  c("diagonal below", A + "diagonal", [x([2, 3, 3]), -1, 1, 2]),
  c("split.Tensor", A + "split.Tensor", [x([5, 2]), 2], undefined, 1),
  c("split_with_sizes", A + "split_with_sizes", [x([2, 5]), [2, 3], 1], undefined, 1),
  c("unbind", A + "unbind.int", [x([3, 2])], undefined, 2),
  c("repeat", A + "repeat", [x([2, 3]), [2, 1, 3]]),
  c("flip", A + "flip", [x([2, 3]), [0, 1]]),
  c("tril", A + "tril", [x([3, 3])]),
  c("triu", A + "triu", [x([3, 4]), 1]),
  c("constant_pad_nd", A + "constant_pad_nd", [x([2, 3]), [1, 2, 0, 1], 2]),
  c("constant_pad_nd negative", A + "constant_pad_nd", [x([2, 4]), [-1, 1]]),
  c("alias", A + "alias", [x([2, 3])]),
  c("clone", A + "clone", [x([2, 3])]),
  c("_to_copy", A + "_to_copy", [x([2, 3])], { dtype: "float64" }),
  f("t_", (a) => a.mul(1).t_(), [x([2, 3])]),
  f("transpose_", (a) => a.mul(1).transpose_(0, 1), [x([2, 3])]),
  f("unsqueeze_", (a) => a.mul(1).unsqueeze_(0), [x([2, 3])]),
  f("tril_", (a) => a.mul(1).tril_(), [x([3, 3])]),
  f("triu_", (a) => a.mul(1).triu_(-1), [x([3, 3])]),
];

/** Indexing, scattering and joining. */
export const INDEX_CASES: Case[] = [
  c("index_select", A + "index_select", [x([2, 3]), 1, ints([2, 0, 2])]),
  c("gather", A + "gather", [x([2, 3]), 1, ints([2, 0, 1, 1], [2, 2])]),
  c("scatter.src", A + "scatter.src", [x([2, 3]), 1, ints([2, 0], [2, 1]), x([2, 1])]),
  c("scatter.value", A + "scatter.value", [x([2, 3]), 1, ints([2, 0], [2, 1]), 1.5]),
  c("scatter_add", A + "scatter_add", [x([2, 3]), 1, ints([2, 2], [2, 1]), x([2, 1])]),
  f("scatter_add_", (a, s) => (torch.lookupOp("aten::scatter_add_")!(a.mul(1), 1, ints([2, 2], [2, 1]), s) as Tensor), [x([2, 3]), x([2, 1])]),
  f("index_add_", (a, s) => (torch.lookupOp("aten::index_add_")!(a.mul(1), 0, ints([2, 0, 2]), s, { alpha: 2 }) as Tensor), [x([3, 2]), x([3, 2])]),
  c("index_add", A + "index_add", [x([3, 2]), 0, ints([2, 0, 2]), x([3, 2])], { alpha: 2 }),
  c("index", A + "index.Tensor", [x([3, 2]), [ints([0, 2, 0])]]),
  c("index two tensors", A + "index.Tensor", [x([3, 2]), [ints([0, 2]), ints([1, 1])]]),
  c("index with a gap", A + "index.Tensor", [x([2, 3, 2]), [null, ints([2, 0])]]),
  c("index mask", A + "index.Tensor", [x([2, 3]), [bools([true, false, true, false, true, true], [2, 3])]]),
  c("masked_select broadcast", A + "masked_select", [x([3]), bools([true, false, true, false, true, true], [2, 3])]),
  c("index_put", A + "index_put", [x([3, 2]), [ints([0, 2])], x([2, 2])]),
  c("index_put accumulate broadcast", A + "index_put", [x([3, 2]), [ints([0, 0])], x([2])], { accumulate: true }),
  f("index_put_", (a, v) => a.mul(1).indexPut_([ints([2, 1])] as unknown as Tensor[], v), [x([3, 2]), x([2, 2])]),
  f("scatter_.src", (a, s) => a.mul(1).scatter_(1, ints([2, 0], [2, 1]), s), [x([2, 3]), x([2, 1])]),
  c("masked_scatter", A + "masked_scatter", [x([2, 3]), bools([true, false, true, false, false, true], [2, 3]), x([7])]),
  c("masked_scatter broadcast self", A + "masked_scatter", [x([3]), bools([true, false, true, false, true, true], [2, 3]), x([2, 4])]),
  f("masked_scatter_", (a, s) => torch.lookupOp("aten::masked_scatter_")!(a.mul(1), bools([false, true, true]), s) as Tensor, [x([2, 3]), x([5])]),
  f("scatter_.value", (a) => (torch.lookupOp("aten::scatter_.value")!(a.mul(1), 1, ints([2, 0], [2, 1]), 1.5) as Tensor), [x([2, 3])]),
];

/** Cases with TensorList inputs (they need the autograd kernel to give each element an edge). */
export const LIST_CASES: Case[] = [
  c("cat", A + "cat", [[x([2, 3]), x([1, 3])]]),
  c("cat dim 1", A + "cat", [[x([2, 3]), x([2, 2])], 1]),
  c("stack", A + "stack", [[x([2, 3]), x([2, 3])], 1]),
];

/** Matrix products. */
export const LINALG_CASES: Case[] = [
  c("mm", A + "mm", [x([2, 3]), x([3, 2])]),
  f("mm column-major", (a, b) => a.t().mm(b.t()), [x([3, 2]), x([2, 3])]),
  c("addmm broadcast", A + "addmm", [x([2]), x([2, 3]), x([3, 2])], { beta: 0.5, alpha: 2 }),
  c("bmm", A + "bmm", [x([2, 2, 3]), x([2, 3, 2])]),
  c("baddbmm", A + "baddbmm", [x([2, 2, 2]), x([2, 2, 3]), x([2, 3, 2])], { beta: 0.5, alpha: 2 }),
  c("dot", A + "dot", [x([3]), x([3])]),
  c("mv", A + "mv", [x([2, 3]), x([3])]),
];

/** An [N, H, W] target of 3 classes for nll_loss2d. */
const NLL2D_TARGET = ints([0, 2, 1, 1, 2, 0, 2, 1], [2, 2, 2]);

/** The nn layers. */
export const NN_CASES: Case[] = [
  ...ACTIVATION_CASES,
  ...ATTENTION_CASES,
  ...POOL_CASES,
  c("native_layer_norm", A + "native_layer_norm", [x([2, 3, 4]), [4], x([4], { offset: 1 }), x([4]), 1e-5], undefined, 0),
  c("native_layer_norm over two dims", A + "native_layer_norm", [x([2, 3, 2]), [3, 2], null, null, 1e-5], undefined, 0),
  c("native_batch_norm train", A + "native_batch_norm", [x([3, 2, 2]), x([2], { offset: 1 }), x([2]), null, null, true, 0.1, 1e-5], undefined, 0),
  c("native_batch_norm eval", A + "native_batch_norm", [x([3, 2]), x([2], { offset: 1 }), x([2]), x([2], { constant: true }), x([2], { scale: 0.5, offset: 1.5, constant: true }), false, 0.1, 1e-5], undefined, 0),
  c("convolution 2d", A + "convolution", [x([2, 2, 4, 4]), x([3, 2, 2, 2]), x([3]), [1, 1], [0, 0], [1, 1], false, [0, 0], 1]),
  c("convolution stride padding", A + "convolution", [x([1, 2, 5, 5]), x([2, 2, 3, 3]), null, [2, 2], [1, 1], [1, 1], false, [0, 0], 1]),
  c("convolution groups dilation", A + "convolution", [x([1, 4, 5, 5]), x([4, 2, 2, 2]), x([4]), [1, 1], [1, 0], [2, 1], false, [0, 0], 2]),
  c("convolution 1d", A + "convolution", [x([2, 2, 6]), x([3, 2, 3]), x([3]), [1], [1], [1], false, [0], 1]),
  c("convolution transposed", A + "convolution", [x([1, 2, 3, 3]), x([2, 3, 2, 2]), x([3]), [2, 2], [0, 0], [1, 1], true, [1, 1], 1]),
  c("convolution transposed groups", A + "convolution", [x([1, 4, 3]), x([4, 1, 3]), null, [2], [1], [1], true, [0], 2]),
  c("embedding", A + "embedding", [x([4, 3]), ints([0, 2, 2, 3], [2, 2])]),
  // scale_grad_by_freq deliberately scales the gradient (not a true derivative): fixtures check it
  // (and the padding row gets no gradient by design: the padding index is absent here)
  c("embedding repeated rows", A + "embedding", [x([4, 3]), ints([0, 2, 2, 3, 2]), 1]),
  ...[0, 1, 2].map((r) => c(`mse_loss reduction ${r}`, A + "mse_loss", [x([2, 3]), x([2, 3], { scale: 2 }), r])),
  c("native_dropout eval", A + "native_dropout", [x([2, 3]), 0.5, false], undefined, 0),
  c("native_dropout p=0", A + "native_dropout", [x([2, 3]), 0, true], undefined, 0),
  c("_softmax", A + "_softmax", [x([2, 3]), 1, false]),
  c("_log_softmax", A + "_log_softmax", [x([2, 3]), 0, false]),
  c("nll_loss_forward", A + "nll_loss_forward", [x([3, 4]), ints([1, 0, 3]), x([4], { offset: 1, constant: true }), 1, -100], undefined, 0),
  ...[0, 1, 2].map((r) =>
    c(`nll_loss2d_forward reduction ${r}`, A + "nll_loss2d_forward", [x([2, 3, 2, 2]), NLL2D_TARGET, x([3], { offset: 1, constant: true }), r, 1], undefined, 0),
  ),
];

/** Backward ops as functions of their own inputs (their double-backward formulas). */
export const BACKWARD_CASES: Case[] = [
  c("threshold_backward", A + "threshold_backward", [x([2, 3]), x([2, 3], { constant: true }), 0]),
  c("sigmoid_backward", A + "sigmoid_backward", [x([2, 3]), x([2, 3], { scale: 0.4, offset: 0.5 })]),
  c("tanh_backward", A + "tanh_backward", [x([2, 3]), x([2, 3], { scale: 0.9 })]),
  c("select_backward", A + "select_backward", [x([3]), [2, 3], 0, 1]),
  c("slice_backward", A + "slice_backward", [x([2, 2]), [2, 5], 1, 1, 5, 2]),
  c("diagonal_backward", A + "diagonal_backward", [x([2]), [3, 2], 0, 0, 1]),
  c("native_dropout_backward", A + "native_dropout_backward", [x([2, 3]), bools([true, false, true, true, false, true], [2, 3]), 2]),
  // total_weight of an unweighted mean over 3 targets is 3
  c("nll_loss_backward", A + "nll_loss_backward", [x([]), x([3, 4], { constant: true }), ints([1, 0, 3]), null, 1, -100, x([], { values: [3], constant: true })]),
  c("nll_loss2d_backward", A + "nll_loss2d_backward", [x([]), x([2, 3, 2, 2], { constant: true }), NLL2D_TARGET, null, 1, -100, x([], { values: [8], constant: true })]),
  c("nll_loss2d_backward reduction none", A + "nll_loss2d_backward", [x([2, 2, 2]), x([2, 3, 2, 2], { constant: true }), NLL2D_TARGET, x([3], { offset: 1, constant: true }), 0, 2, x([], { values: [0], constant: true })]),
  c("masked_scatter_backward", A + "masked_scatter_backward", [x([2, 3]), bools([true, false, true, false, true, true], [2, 3]), [7]]),
];

/** Rows kept out of the gradcheck: zero gradients by construction (random fills, comparisons). */
export const NOT_GRADCHECKED = [
  // no formula in PyTorch: backward raises "the derivative for 'inplace version of asinh' is not implemented."
  "aten::asinh_",
  "aten::acosh_",
  "aten::atanh_",
  // no derivative in PyTorch (autogradNotImplementedFallback): backward raises "derivative for aten::scatter is not implemented"
  "aten::scatter.reduce",
  "aten::scatter_.reduce",
  "aten::scatter.value_reduce",
  "aten::scatter_.value_reduce",
  "aten::fill_.Tensor",
  "aten::normal.Tensor_float",
  "aten::normal.float_Tensor",
  "aten::normal.Tensor_Tensor",
  "aten::bernoulli",
  "aten::random_.from",
  "aten::random_.to",
  "aten::exponential_",
  "aten::_reshape_alias",
  "aten::lift_fresh",
  "aten::_convolution",
  "aten::norm.ScalarOpt_dtype",
  "aten::norm.ScalarOpt_dim_dtype",
  "aten::_index_put_impl_",
  "aten::index_put_",
];
