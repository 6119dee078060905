// Derivatives of the pooling ops (after derivatives.yaml; our own code): max_pool2d_with_indices
// -> max_pool2d_with_indices_backward and adaptive_max_pool2d -> adaptive_max_pool2d_backward
// (the indices outputs are not differentiable), avg_pool2d -> avg_pool2d_backward,
// _adaptive_avg_pool2d -> _adaptive_avg_pool2d_backward, and the double-backward rows of the four
// backward ops (linear in grad_output: PyTorch's max_pool_double_backward gathers at the indices,
// the average ones pool again; self gets zeros of its sizes).

import type { Derivative } from "./formula.js";
import { T, type Tensor, formula, op } from "./derivatives-util.js";

/** PyTorch's max_pool_double_backward: gathers `grad` (input-shaped) at the flat indices. */
function maxPoolDoubleBackward(grad: Tensor, indices: Tensor, dim: number): Tensor {
  if (indices.numel() === 0) return op("aten::empty_like", indices, grad.dtype, null, grad.device, null, null);
  const nd = indices.shape.length;
  const size = [...indices.shape.slice(0, nd - dim), -1];
  const indicesView = op("aten::view", indices, size);
  // Tensor::contiguous(): no operator call when grad is already contiguous (PyTorch 2.14 does not
  // clone a contiguous grad into the channels_last indices' layout: no clone is seen)
  const contiguous = grad.contiguous();
  return op("aten::view", op("aten::gather", op("aten::view", contiguous, size), -1, indicesView, false), [...indices.shape]);
}

/** derivatives.yaml's `self: zeros_like(self)`, which codegen turns into at::zeros(self sizes, options). */
const saveSelfMeta = (self: Tensor): Record<string, unknown> => ({ selfSizes: self.shape.slice(), selfDtype: self.dtype, selfDevice: self.device });
const zerosOfSelf = (s: Record<string, unknown>): Tensor => op("aten::zeros", (s.selfSizes as number[]).slice(), s.selfDtype, null, s.selfDevice, null);

/** The pooling rows. */
export const POOL_DERIVATIVES: readonly Derivative[] = [
  formula({
    op: "aten::max_pool2d_with_indices",
    name: "MaxPool2DWithIndicesBackward0",
    inputs: { self: 0 },
    differentiableOutputs: [0],
    save: (args, out) => ({ self: args[0], args: args.slice(1), indices: (out as Tensor[])[1] }),
    grads: { self: (g, s) => op("aten::max_pool2d_with_indices_backward", g, T(s.self), ...(s.args as unknown[]), T(s.indices)) },
  }),
  formula({
    op: "aten::max_pool2d_with_indices_backward",
    name: "MaxPool2DWithIndicesBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ ...saveSelfMeta(args[1] as Tensor), indices: args[7] }),
    grads: {
      grad_output: (g, s) => maxPoolDoubleBackward(g, T(s.indices), 2),
      self: (_g, s) => zerosOfSelf(s),
    },
  }),
  formula({
    op: "aten::adaptive_max_pool2d",
    name: "AdaptiveMaxPool2DBackward0",
    inputs: { self: 0 },
    differentiableOutputs: [0],
    save: (args, out) => ({ self: args[0], indices: (out as Tensor[])[1] }),
    grads: { self: (g, s) => op("aten::adaptive_max_pool2d_backward", g, T(s.self), T(s.indices)) },
  }),
  formula({
    op: "aten::adaptive_max_pool2d_backward",
    name: "AdaptiveMaxPool2DBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ ...saveSelfMeta(args[1] as Tensor), indices: args[2] }),
    grads: {
      grad_output: (g, s) => maxPoolDoubleBackward(g, T(s.indices), 2),
      self: (_g, s) => zerosOfSelf(s),
    },
  }),
  formula({
    op: "aten::avg_pool2d",
    name: "AvgPool2DBackward0",
    inputs: { self: 0 },
    save: (args) => ({ self: args[0], args: args.slice(1) }),
    grads: { self: (g, s) => op("aten::avg_pool2d_backward", g, T(s.self), ...(s.args as unknown[])) },
  }),
  formula({
    op: "aten::avg_pool2d_backward",
    name: "AvgPool2DBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ ...saveSelfMeta(args[1] as Tensor), args: args.slice(2) }),
    grads: {
      grad_output: (g, s) => op("aten::avg_pool2d", g, ...(s.args as unknown[])),
      self: (_g, s) => zerosOfSelf(s),
    },
  }),
  formula({
    op: "aten::_adaptive_avg_pool2d",
    name: "AdaptiveAvgPool2DBackward0",
    inputs: { self: 0 },
    save: (args) => ({ self: args[0] }),
    grads: { self: (g, s) => op("aten::_adaptive_avg_pool2d_backward", g, T(s.self)) },
  }),
  formula({
    op: "aten::_adaptive_avg_pool2d_backward",
    name: "AdaptiveAvgPool2DBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ ...saveSelfMeta(args[1] as Tensor), outSize: (args[0] as Tensor).shape.slice(-2) }),
    grads: {
      grad_output: (g, s) => op("aten::_adaptive_avg_pool2d", g, (s.outSize as number[]).slice()),
      self: (_g, s) => zerosOfSelf(s),
    },
  }),
];
