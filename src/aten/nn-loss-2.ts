// Regression losses of torch.nn (PyTorch's Loss.cpp): l1_loss and kl_div (CompositeImplicitAutograd:
// (input - target).abs(), xlogy(t, t) - t * x or exp(t) * (t - x), then mean/sum), smooth_l1_loss (structured: a binary TensorIterator op,
// reduced inside the kernel into a 0-dim result of input's dtype), huber_loss (CPU: empty_like(input)
// filled by the binary op, then reduced), and their backward ops (CompositeExplicitAutograd:
// zeros_like(input) filled by a TensorIterator over input, target and grad_output).

import { RuntimeError } from "../core/errors.js";
import { asCompute, type Fn2, map2, map3 } from "../backends/cpu/pointwise-loops.js";
import { toFlatArray } from "../backends/cpu/strided-loops.js";
import { callOp } from "../dispatcher/call-op.js";
import type { DType } from "../tensor/dtype.js";
import { broadcastShapes, numelOf } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkCanCastTo, cppName, resultType } from "../tensor/type-promotion.js";
import type { OpDecl } from "./op-decl.js";
import { type Plan, allocPlan } from "./pointwise-iter.js";
import { binaryPlan, notImplementedFor } from "./pointwise-rules.js";

const FLOATS: readonly DType[] = ["float32", "float64"];
const call = (name: string, ...args: unknown[]) => callOp(name, args) as Tensor;

function checkDevice(device: "cpu" | "meta", tensors: readonly Tensor[]): void {
  for (const t of tensors) {
    if (t.device !== device && !(t.device === "cpu" && t._shape.length === 0)) {
      throw new RuntimeError(`Tensor on device ${t.device} is not on the expected device ${device}!`);
    }
  }
}

/** Writes the sum (reduction 2) or mean (1) of `values` into a new 0-dim tensor of dtype d. */
function reduced(device: "cpu" | "meta", d: DType, loss: Tensor | null, reduction: number): Tensor {
  const out = allocPlan(device, { shape: [], dtype: d, compute: d, strides: null });
  if (loss) {
    const v = toFlatArray(loss);
    let s = 0;
    for (const x of v) s += x;
    out.data()[out._offset] = reduction === 1 ? s / v.length : s;
  }
  return out;
}

/** A pointwise loss of (input, target) reduced by `reduction` (0 none, 1 mean, 2 sum). */
interface PointwiseLoss {
  readonly schema: string;
  readonly kernel: string;
  readonly check: (param: number) => void;
  readonly f: (param: number) => Fn2;
  /** huber_loss: the unreduced loss has input's dtype (empty_like(input)); smooth_l1_loss: the promoted dtype. */
  readonly inputDType: boolean;
}

function pointwiseLoss(o: PointwiseLoss): OpDecl {
  const plan = (input: Tensor, target: Tensor, reduction: number, param: number): Plan => {
    o.check(param);
    const p = binaryPlan(input, target);
    return o.inputDType ? { ...p, dtype: input.dtype } : p;
  };
  const kernel = (device: "cpu" | "meta") => (input: Tensor, target: Tensor, reduction: number, param: number) => {
    checkDevice(device, [input, target]);
    const p = plan(input, target, reduction, param);
    if (o.inputDType) checkCanCastTo(p.compute, input.dtype);
    if (device === "meta") return reduction === 0 ? allocPlan("meta", p) : reduced("meta", p.dtype, null, reduction);
    if (!FLOATS.includes(p.compute)) throw notImplementedFor(o.kernel, p.compute);
    const loss = allocPlan("cpu", p);
    map2(loss, asCompute(input, p.compute), asCompute(target, p.compute), o.f(param));
    return reduction === 0 ? loss : reduced("cpu", loss.dtype, loss, reduction);
  };
  return { schema: o.schema, cpuKernel: kernel("cpu") as OpDecl["cpuKernel"], metaKernel: kernel("meta") as OpDecl["metaKernel"] };
}

/** A loss backward op: zeros_like(input), filled by an iterator over (input, target, grad_output). */
function lossBackward(
  schema: string,
  kernel: string,
  g: (norm: number, param: number) => (x: number, t: number, gv: number) => number,
  sameDType = false,
): OpDecl {
  return {
    schema,
    explicit: ((gradOutput: Tensor, input: Tensor, target: Tensor, reduction: number, param: number) => {
      const device = [gradOutput, input, target].some((t) => t.device === "meta") ? "meta" : "cpu";
      checkDevice(device, [gradOutput, input, target]);
      const shape = broadcastShapes(broadcastShapes(input._shape, target._shape), gradOutput._shape);
      if (shape.length !== input._shape.length || shape.some((s, i) => s !== input._shape[i])) {
        throw new RuntimeError(`output with shape [${input._shape.join(", ")}] doesn't match the broadcast shape [${shape.join(", ")}]`);
      }
      // huber_loss_backward's iterator does not promote: every operand has grad_input's dtype
      if (sameDType) {
        for (const t of [input, target, gradOutput]) {
          if (t.dtype !== input.dtype) throw new RuntimeError(`Found dtype ${cppName(t.dtype)} but expected ${cppName(input.dtype)}`);
        }
      }
      const compute = resultType(input, target, gradOutput);
      checkCanCastTo(compute, input.dtype);
      const out = allocPlan(device, { shape: input._shape.slice(), dtype: input.dtype, compute, strides: null });
      if (device === "meta" || numelOf(shape) === 0) return out;
      if (!FLOATS.includes(compute)) throw notImplementedFor(kernel, compute);
      const norm = reduction === 1 ? 1 / input.numel() : 1;
      map3(out, asCompute(input, compute), asCompute(target, compute), asCompute(gradOutput, compute), g(norm, param));
      return out;
    }) as never,
  };
}

/** PyTorch's apply_loss_reduction: mean (1) or sum (2) of the unreduced loss, or the loss itself. */
export function applyLossReduction(unreduced: Tensor, reduction: number): Tensor {
  if (reduction === 1) return call("aten::mean", unreduced, null);
  if (reduction === 2) return call("aten::sum", unreduced, null);
  return unreduced;
}

/** The regression losses, kl_div, and the backward ops. */
export const regressionLossOps: readonly OpDecl[] = [
  {
    schema: "l1_loss(Tensor self, Tensor target, int reduction=Mean) -> Tensor",
    composite: ((self: Tensor, target: Tensor, reduction: number) => {
      return applyLossReduction(call("aten::abs", call("aten::sub.Tensor", self, target, 1)), reduction);
    }) as never,
  },
  {
    schema: "kl_div(Tensor self, Tensor target, int reduction=Mean, *, bool log_target=False) -> Tensor",
    composite: ((self: Tensor, target: Tensor, reduction: number, logTarget: boolean) => {
      if (!FLOATS.includes(self.dtype) || !FLOATS.includes(target.dtype)) throw new RuntimeError("kl_div: Integral inputs not supported.");
      // C++ evaluates an operator's right operand first
      let output: Tensor;
      if (logTarget) {
        const diff = call("aten::sub.Tensor", target, self, 1);
        output = call("aten::mul.Tensor", call("aten::exp", target), diff);
      } else {
        const prod = call("aten::mul.Tensor", target, self);
        output = call("aten::sub.Tensor", call("aten::xlogy.Tensor", target, target), prod, 1);
      }
      return applyLossReduction(output, reduction);
    }) as never,
  },
  pointwiseLoss({
    schema: "smooth_l1_loss(Tensor self, Tensor target, int reduction=Mean, float beta=1.0) -> Tensor",
    kernel: "smooth_l1_cpu",
    inputDType: false,
    check: (beta) => {
      if (!(beta >= 0)) throw new RuntimeError("smooth_l1_loss does not support negative values for beta.");
    },
    f: (beta) => (x, t) => {
      const z = Math.abs(x - t);
      return z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
    },
  }),
  lossBackward(
    "smooth_l1_loss_backward(Tensor grad_output, Tensor self, Tensor target, int reduction, float beta) -> Tensor",
    "smooth_l1_backward_cpu_out",
    (norm, beta) => (x, t, gv) => {
      const d = x - t;
      if (d <= -beta) return -norm * gv;
      if (d >= beta) return norm * gv;
      return (norm * d * gv) / beta;
    },
  ),
  pointwiseLoss({
    schema: "huber_loss(Tensor self, Tensor target, int reduction=Mean, float delta=1.0) -> Tensor",
    kernel: "huber_cpu",
    inputDType: true,
    check: (delta) => {
      if (!(delta > 0)) throw new RuntimeError("huber_loss does not support non-positive values for delta.");
    },
    f: (delta) => (x, t) => {
      const z = Math.abs(x - t);
      return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
    },
  }),
  lossBackward(
    "huber_loss_backward(Tensor grad_output, Tensor self, Tensor target, int reduction, float delta) -> Tensor",
    "huber_backward_cpu_out",
    (norm, delta) => (x, t, gv) => {
      const d = x - t;
      if (d <= -delta) return -norm * gv * delta;
      if (d >= delta) return norm * gv * delta;
      return norm * d * gv;
    },
    true,
  ),
];
