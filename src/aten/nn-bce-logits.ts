// binary_cross_entropy_with_logits (PyTorch's Loss.cpp, CompositeExplicitAutograd: a mode sees
// the one op, its kernel runs dispatched ops below it): loss = (1 - y) x - w_pos log sigmoid(x),
// times the weight, reduced; with pos_weight the log-sigmoid term is scaled by 1 + (p - 1) y.

import { callOp } from "../dispatcher/call-op.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl } from "./op-decl.js";
import { applyLossReduction } from "./nn-loss-2.js";

const call = (name: string, ...args: unknown[]) => callOp(name, args) as Tensor;

function bceWithLogits(input: Tensor, target: Tensor, weight: Tensor | null, posWeight: Tensor | null, reduction: number): Tensor {
  const logSigmoid = call("aten::log_sigmoid", input);
  if (posWeight) {
    // pos_weight broadcasts, so its product with the target is not in place
    const logWeight = call("aten::add_.Scalar", call("aten::mul.Tensor", call("aten::sub.Scalar", posWeight, 1, 1), target), 1, 1);
    call("aten::mul_.Tensor", logSigmoid, logWeight);
  }
  const loss = call("aten::sub_.Tensor", call("aten::mul_.Tensor", call("aten::rsub.Scalar", target, 1, 1), input), logSigmoid, 1);
  if (weight) call("aten::mul_.Tensor", loss, weight);
  return applyLossReduction(loss, reduction);
}

/** binary_cross_entropy_with_logits. */
export const bceLogitsOps: readonly OpDecl[] = [
  {
    schema:
      "binary_cross_entropy_with_logits(Tensor self, Tensor target, Tensor? weight=None, Tensor? pos_weight=None, int reduction=Mean) -> Tensor",
    explicit: bceWithLogits as never,
  },
];
