// Binary cross entropy (PyTorch's Loss.cpp CPU kernels) and logit (UnaryOps.cpp), which its
// target gradient needs: binary_cross_entropy fills empty_like(input) from the squeezed input and
// target (values outside [0, 1] raise), multiplies by the weight and reduces;
// binary_cross_entropy_backward does the same for grad * (x - y) / max((1 - x) x, 1e-12), divided
// by numel for the mean; logit / logit_ are unary float ops, logit_backward a binary op.

import { RuntimeError } from "../core/errors.js";
import { asCompute, map1, map2, map3 } from "../backends/cpu/pointwise-loops.js";
import { toFlatArray } from "../backends/cpu/strided-loops.js";
import { callOp } from "../dispatcher/call-op.js";
import type { DType } from "../tensor/dtype.js";
import { broadcastShapes } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkCanCastTo, cppName } from "../tensor/type-promotion.js";
import type { OpDecl } from "./op-decl.js";
import { type Plan, allocPlan, outputStrides, structuredDecl, structuredInplaceDecl } from "./pointwise-iter.js";
import { binaryPlan, floatDType, notImplementedFor, unaryPlan } from "./pointwise-rules.js";

const FLOATS: readonly DType[] = ["float32", "float64"];
const EPSILON = 1e-12;
const call = (name: string, ...args: unknown[]) => callOp(name, args) as Tensor;

const squeezedShape = (t: Tensor): number[] => t._shape.filter((s) => s !== 1);
const view = (t: Tensor, shape: number[]): Tensor => call("aten::reshape", t, shape);
/** at::squeeze(t) */
const squeezed = (t: Tensor): Tensor => view(t, squeezedShape(t));

/** The iterator over the squeezed operands: every one has the output's dtype, shapes broadcast to the output's. */
function checkOperands(out: Tensor, operands: readonly Tensor[]): number[] {
  const shape = squeezedShape(out);
  for (const t of operands) {
    if (t.dtype !== out.dtype) throw new RuntimeError(`Found dtype ${cppName(t.dtype)} but expected ${cppName(out.dtype)}`);
    const b = broadcastShapes(shape, squeezedShape(t));
    if (b.length !== shape.length || b.some((s, i) => s !== shape[i])) {
      throw new RuntimeError(`output with shape [${shape.join(", ")}] doesn't match the broadcast shape [${b.join(", ")}]`);
    }
  }
  return shape;
}

function emptyLike(device: "cpu" | "meta", input: Tensor): Tensor {
  const strides = outputStrides(input._shape, [input]);
  return allocPlan(device, { shape: input._shape.slice(), dtype: input.dtype, compute: input.dtype, strides });
}

function bceForward(device: "cpu" | "meta") {
  return (input: Tensor, target: Tensor, weight: Tensor | null, reduction: number): Tensor => {
    const loss = emptyLike(device, input);
    const shape = checkOperands(loss, [input, target]);
    if (weight) checkInplaceBroadcast(loss, weight);
    if (device === "meta") return reduction === 0 ? loss : allocPlan("meta", { shape: [], dtype: loss.dtype, compute: loss.dtype, strides: null });
    if (!FLOATS.includes(loss.dtype)) throw notImplementedFor("binary_cross_entropy", loss.dtype);
    const x = toFlatArray(squeezed(input));
    const y = toFlatArray(squeezed(target));
    for (const v of x) if (!(v >= 0 && v <= 1)) throw new RuntimeError("all elements of input should be between 0 and 1");
    for (const v of y) if (!(v >= 0 && v <= 1)) throw new RuntimeError("all elements of target should be between 0 and 1");
    const flat = view(loss, shape);
    map2(flat, squeezed(input), squeezed(target), (a, t) => (t - 1) * Math.max(Math.log1p(-a), -100) - t * Math.max(Math.log(a), -100));
    if (weight) map2(loss, loss, asCompute(weight, loss.dtype), (l, w) => l * w);
    if (reduction === 0) return loss;
    const values = toFlatArray(loss);
    let s = 0;
    for (const v of values) s += v;
    const out = allocPlan("cpu", { shape: [], dtype: loss.dtype, compute: loss.dtype, strides: null });
    out.data()[0] = reduction === 1 ? s / values.length : s;
    return out;
  };
}

/** `t.mul_(weight)`: weight broadcasts to t's shape. */
function checkInplaceBroadcast(t: Tensor, w: Tensor): void {
  const b = broadcastShapes(t._shape, w._shape);
  if (b.length !== t._shape.length || b.some((s, i) => s !== t._shape[i])) {
    throw new RuntimeError(`output with shape [${t._shape.join(", ")}] doesn't match the broadcast shape [${b.join(", ")}]`);
  }
}

function bceBackward(device: "cpu" | "meta") {
  return (grad: Tensor, input: Tensor, target: Tensor, weight: Tensor | null, reduction: number): Tensor => {
    const out = emptyLike(device, input);
    const shape = checkOperands(out, [grad, input, target]);
    if (weight) checkInplaceBroadcast(out, weight);
    if (device === "meta") return out;
    if (!FLOATS.includes(out.dtype)) throw notImplementedFor("binary_cross_entropy_backward", out.dtype);
    map3(view(out, shape), squeezed(grad), squeezed(input), squeezed(target), (gv, x, y) => (gv * (x - y)) / Math.max((1 - x) * x, EPSILON));
    if (weight) map2(out, out, asCompute(weight, out.dtype), (v, w) => v * w);
    if (reduction === 1) {
      const n = input.numel();
      map1(out, out, (v) => v / n);
    }
    return out;
  };
}

/** logit's element function: log(x / (1 - x)), x clamped to [eps, 1 - eps] when eps is given. */
function logitF(eps: number | null): (x: number) => number {
  if (eps === null || eps < 0) return (x) => (x === 1 ? Infinity : Math.log(x / (1 - x)));
  const [lo, hi] = [eps, 1 - eps];
  return (x) => {
    const z = x < lo ? lo : x > hi ? hi : x;
    return z === 1 ? Infinity : Math.log(z / (1 - z));
  };
}

function logitBackwardF(eps: number | null, d: DType): (dy: number, x: number) => number {
  const edge = (dy: number, x: number) => (x === 0 || x === 1 ? dy * Infinity : dy / (x * (1 - x)));
  if (eps === null || eps < 0) return (dy, x) => (x < 0 || x > 1 ? NaN : edge(dy, x));
  const [lo, hi] = [eps, 1 - eps];
  // PyTorch 2.14's CPU loops differ on NaN: the float loop propagates it, the double loop gives 0
  if (d === "float32") return (dy, x) => (x < lo || x > hi ? 0 : edge(dy, x));
  return (dy, x) => (x >= lo && x <= hi ? edge(dy, x) : 0);
}

const logitRule = (self: Tensor): Plan => unaryPlan(self, floatDType(self.dtype));
const logitCpu = (out: Tensor, p: Plan, self: Tensor, eps: number | null): void => {
  map1(out, asCompute(self, p.compute), logitF(eps ?? null));
};

/** binary_cross_entropy, its backward op, and logit. */
export const bceOps: readonly OpDecl[] = [
  structuredDecl("logit(Tensor self, float? eps=None) -> Tensor", logitRule as never, logitCpu as never),
  structuredInplaceDecl(
    "logit_(Tensor(a!) self, float? eps=None) -> Tensor(a!)",
    logitRule as never,
    ((self: Tensor, p: Plan) => checkCanCastTo(p.compute, self.dtype)) as never,
    logitCpu as never,
  ),
  structuredDecl(
    "logit_backward(Tensor grad_output, Tensor self, float? eps=None) -> Tensor",
    ((g: Tensor, self: Tensor) => binaryPlan(g, self, true)) as never,
    ((out: Tensor, p: Plan, g: Tensor, self: Tensor, eps: number | null) => {
      if (!FLOATS.includes(p.compute)) throw notImplementedFor("logit_backward_cpu", p.compute);
      map2(out, asCompute(g, p.compute), asCompute(self, p.compute), logitBackwardF(eps ?? null, p.compute));
    }) as never,
  ),
  {
    schema: "binary_cross_entropy(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean) -> Tensor",
    cpuKernel: bceForward("cpu") as OpDecl["cpuKernel"],
    metaKernel: bceForward("meta") as OpDecl["metaKernel"],
  },
  {
    schema: "binary_cross_entropy_backward(Tensor grad_output, Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean) -> Tensor",
    cpuKernel: bceBackward("cpu") as OpDecl["cpuKernel"],
    metaKernel: bceBackward("meta") as OpDecl["metaKernel"],
  },
];
