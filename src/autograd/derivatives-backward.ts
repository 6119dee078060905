// Double-backward rows: the derivatives of the backward ops that first-order formulas call
// (gelu_backward, mse_loss_backward, _softmax_backward_data, _log_softmax_backward_data,
// embedding_dense_backward, native_layer_norm_backward, native_batch_norm_backward,
// convolution_backward), after PyTorch's derivatives.yaml, the FunctionsManual helpers
// (gelu_double_backward, softmax_double_backward, layer_norm_double_backward,
// batchnorm_double_backward, ...) and ATen's _convolution_double_backward, written in dispatched
// ops in the order C++ evaluates them (operator operands right to left, method chains left to
// right), so a logging mode sees PyTorch's sequence and createGraph reaches third derivatives.
// Inputs PyTorch marks not_implemented(...) raise its NotImplementedError; silu_backward, which
// has no row, gets the NotImplemented node of PyTorch's autograd fallback.

import { NotImplementedError, RuntimeError } from "../core/errors.js";
import { isGradEnabled } from "./engine.js";
import type { Derivative } from "./formula.js";
import { Node, gradientEdge } from "./node.js";
import { type G, T, Tensor, divScalar, expand, formula, mul, mulScalar, neg, op, reshape, scalarMinus, scalarOver, sub, sumDims, toDtype, unsqueeze } from "./derivatives-util.js";

const opt = (v: unknown): Tensor | null => (v === undefined || v === null ? null : T(v));
const add = (a: Tensor, b: Tensor): Tensor => op("aten::add.Tensor", a, b, 1);
const pow = (a: Tensor, e: number): Tensor => op("aten::pow.Tensor_Scalar", a, e);
const exp = (a: Tensor): Tensor => op("aten::exp", a);
// in place on fresh intermediates, as the C++ helpers do
const addInto = (a: Tensor, b: Tensor): Tensor => op("aten::add_.Tensor", a, b, 1);
const subInto = (a: Tensor, b: Tensor): Tensor => op("aten::sub_.Tensor", a, b, 1);
const divInto = (a: Tensor, s: number): Tensor => op("aten::div_.Scalar", a, s);
const mulInto = (a: Tensor, s: number): Tensor => op("aten::mul_.Scalar", a, s);
/** `at::ones({}, like.options())` (or of another size). */
const onesLike = (like: Tensor, size: readonly number[] = []): Tensor => op("aten::ones", size.slice(), like.dtype, null, like.device, null);
const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** A row's input PyTorch declares `not_implemented("<what>")`. */
const notImplemented = (what: string) => (): never => {
  throw new NotImplementedError(`the derivative for '${what}' is not implemented.`);
};

/**
 * PyTorch's gelu_double_backward: ggI * gO * gelu''(input), for both the erf form and the tanh
 * approximation.
 * @example
 * geluDoubleBackward(ggI, gradOutput, x, "none")
 */
export function geluDoubleBackward(ggI: Tensor, gO: Tensor, input: Tensor, approximate: string): Tensor {
  if (approximate === "tanh") {
    const kBeta = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
    const kKappa = 0.044715;
    const inner = mulScalar(add(input, mulScalar(pow(input, 3), kKappa)), kBeta);
    const tanhInner = op("aten::tanh", inner);
    const sechInner = scalarOver(1, op("aten::cosh", inner));
    const f = mulScalar(input, 0.5);
    const g = scalarMinus(1, mul(tanhInner, tanhInner));
    const h = mulScalar(op("aten::add.Scalar", mul(mulScalar(input, 3 * kKappa), input), 1, 1), kBeta);
    const fPrimeGh = mul(mulScalar(g, 0.5), h);
    const right = mul(neg(sechInner), tanhInner);
    const gPrime = mul(mul(mulScalar(sechInner, 2), right), h);
    const gPrimeFh = mul(mul(f, h), gPrime);
    const hPrime = mulScalar(mulScalar(input, 6 * kKappa), kBeta);
    const hPrimeFg = mul(mul(f, g), hPrime);
    const d = add(add(mulScalar(fPrimeGh, 2), gPrimeFh), hPrimeFg);
    return mul(mul(ggI, gO), d);
  }
  const kBeta = (2 / Math.sqrt(Math.PI)) * Math.SQRT1_2 * 0.5;
  const inputSq = mul(input, input);
  const pdf = mulScalar(exp(mulScalar(inputSq, -0.5)), kBeta);
  const right = mul(inputSq, pdf);
  const d = sub(mulScalar(pdf, 2), right);
  return mul(mul(ggI, gO), d);
}

/** PyTorch's mse_loss_double_backward: 2 * grad, divided by numel for a mean. */
function mseLossDoubleBackward(grad: Tensor, input: Tensor, reduction: number): Tensor {
  const g = mulScalar(grad, 2);
  return reduction === 1 ? divInto(g, input.numel()) : g;
}

/** PyTorch's softmax_double_backward: the derivative of softmax_backward_data in its output. */
function softmaxDoubleBackward(grad: Tensor, gO: Tensor, dim: number, output: Tensor): Tensor {
  const c = mul(gO, sumDims(mul(output, grad), [dim], true));
  const b = mul(sumDims(mul(output, gO), [dim], true), grad);
  const a = mul(gO, grad);
  return sub(sub(a, b), c);
}

/** PyTorch's embedding_dense_double_backward: the rows of grad the indices picked (padding rows 0). */
function embeddingDenseDoubleBackward(grad: Tensor, indices: Tensor, paddingIdx: number): Tensor {
  const gg = op("aten::index_select", grad, 0, reshape(indices, [-1]));
  if (paddingIdx >= 0) op("aten::masked_fill_.Scalar", gg, reshape(op("aten::eq.Scalar", indices, paddingIdx), [-1, 1]), 0);
  return op("aten::view", gg, [...indices.shape, -1]);
}

/**
 * PyTorch's layer_norm_double_backward: the gradients of native_layer_norm_backward's
 * (grad_input, grad_weight, grad_bias) = (ggI, ggG, ggB) with respect to input, weight and
 * grad_out (gI, gG, ggO).
 * @example
 * layerNormDoubleBackward(x, w, ggI, ggG, ggB, gO, mean, rstd, [4])
 */
export function layerNormDoubleBackward(
  inputT: Tensor,
  gamma: Tensor | null,
  ggI: G,
  ggG: G,
  ggB: G,
  gOT: Tensor,
  meanT: Tensor,
  invstdT: Tensor,
  normalizedShape: readonly number[],
): G[] {
  const shape = inputT.shape;
  const axis = shape.length - normalizedShape.length;
  const M = prod(shape.slice(0, axis));
  const N = prod(shape.slice(axis));
  const input = reshape(inputT, [M, N]);
  const gO = reshape(gOT, [M, N]);
  const saveMean = reshape(meanT, [M, 1]);
  const saveInvstd = reshape(invstdT, [M, 1]);
  const affine = gamma !== null;
  let gammaE: Tensor;
  let ggGE: G = null;
  let ggBE: G = null;
  if (affine) {
    gammaE = reshape(gamma, [1, N]);
    if (ggG) ggGE = reshape(ggG, [1, N]);
    if (ggB) ggBE = reshape(ggB, [1, N]);
  } else {
    gammaE = onesLike(input, [1]);
  }
  const ggIE = ggI ? reshape(ggI, [M, N]) : null;
  const mu = toDtype(saveMean, input.dtype);
  const inputSubMu = sub(input, mu);
  const s12 = toDtype(saveInvstd, input.dtype);
  const s1 = pow(s12, 2);
  const s32 = pow(s12, 3);
  const inputMuS32 = mul(inputSubMu, s32);
  const rowSum = (x: Tensor) => sumDims(x, [1], true);

  let gI: G = null;
  if (ggIE) {
    const gxhat = mul(gO, gammaE);
    const gxhatMuSum = rowSum(mul(gxhat, inputSubMu));
    const gxhatSum = rowSum(gxhat);
    const ggISum = rowSum(ggIE);
    const ggIMuSum = rowSum(mul(ggIE, inputSubMu));
    const allSub = subInto(divInto(mul(ggISum, gxhatSum), N), rowSum(mul(ggIE, gxhat)));
    addInto(allSub, mulInto(mul(mul(s1, gxhatMuSum), ggIMuSum), 3 / N));
    const gI0 = divInto(mul(inputMuS32, allSub), N);
    const b1 = sub(divScalar(gxhatSum, N), gxhat);
    const gI1 = mul(divInto(mul(ggIMuSum, s32), N), b1);
    const b2 = sub(divScalar(ggISum, N), ggIE);
    const gI2 = mul(divInto(mul(gxhatMuSum, s32), N), b2);
    gI = addInto(addInto(gI0, gI1), gI2);
  }
  if (affine && ggGE) {
    const t0 = mul(mul(gO, ggGE), s12);
    const t1 = divInto(mul(s12, rowSum(mul(gO, ggGE))), -N);
    const t2 = divInto(mul(inputMuS32, rowSum(mul(mul(gO, ggGE), inputSubMu))), -N);
    const term = addInto(addInto(t0, t1), t2);
    gI = gI ? addInto(gI, term) : term;
  }
  if (gI) gI = reshape(gI, shape);

  // grad_input of the first backward, for a given grad_out and gamma
  const firstBackward = (gOLocal: Tensor, gammaLocal: Tensor): Tensor => {
    const h0 = divInto(mul(gammaLocal, s12), N);
    const x = subInto(mulScalar(gOLocal, N), rowSum(gOLocal));
    const b = rowSum(mul(gOLocal, inputSubMu));
    const h1 = subInto(x, mul(mul(inputSubMu, s1), b));
    return mul(h0, h1);
  };
  let gG: G = null;
  if (affine && ggIE) {
    gG = firstBackward(ggIE, onesLike(s12));
    gG = sumDims(mul(gO, gG), [0], false);
    gG = reshape(gG, gamma.shape);
  }
  let ggO: G = null;
  if (ggIE) ggO = firstBackward(ggIE, gammaE);
  if (ggGE) {
    const term = mul(mul(ggGE, inputSubMu), s12);
    ggO = ggO ? addInto(ggO, term) : term;
  }
  if (ggBE) ggO = ggO ? addInto(ggO, ggBE) : ggBE;
  if (ggO) ggO = reshape(expand(ggO, [M, N]), shape);
  return [gI, gG, ggO];
}

/** PyTorch's Error node (made by DelayedError): backprop through it raises its message. */
class ErrorNode extends Node {
  constructor(private readonly msg: string) {
    super();
  }
  name(): string {
    return "torch::autograd::Error";
  }
  apply(): Array<Tensor | null> {
    throw new RuntimeError(this.msg);
  }
}

/**
 * PyTorch's DelayedError(msg).apply(inputs): when grad mode is on and an input requires grad,
 * shallow copies of the inputs (no dispatched op, as tensor_data()) whose node raises `msg` in a
 * later backward; otherwise the inputs themselves.
 */
function delayedError(msg: string, inputs: readonly Tensor[]): Tensor[] {
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return inputs.slice();
  const node = new ErrorNode(msg);
  node.nextEdges = inputs.map((t) => gradientEdge(t));
  return inputs.map((t, i) => {
    const copy = new Tensor(t._storage, t._shape.slice(), t._strides.slice(), t._offset, t.dtype, t.device, t.keySet);
    node.outputMeta[i] = { shape: t.shape.slice(), dtype: t.dtype };
    copy.gradFn = node;
    copy._outputNr = i;
    return copy;
  });
}

/** batchnorm_double_backward's sum over every dim but 1 (dim 0 first, then the last ones down). */
function sumExcludeDim1(x: Tensor, keepdim = true): Tensor {
  let r = sumDims(x, [0], keepdim);
  for (let d = r.shape.length - 1; d > (keepdim ? 1 : 0); d--) r = sumDims(r, [d], keepdim);
  return r;
}

/** A per-channel vector shaped to broadcast against `target` as a keepdim reduction would be. */
function unsqueezeDim1(src: Tensor, target: Tensor): Tensor {
  let r = src;
  while (r.shape.length < target.shape.length - 1) r = unsqueeze(r, 1);
  if (r.shape.length === target.shape.length - 1) r = unsqueeze(r, 0);
  return r;
}

/** A per-channel vector expanded to `target` along dim 1. */
function expandAsDim1(src: Tensor, target: Tensor): Tensor {
  let r = src;
  while (r.shape.length < target.shape.length - 1) r = unsqueeze(r, 1);
  return expand(r, target.shape);
}

/** The statistics batchnorm_double_backward reads. */
interface BatchNormStats {
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly training: boolean;
  readonly eps: number;
  readonly saveMean: Tensor | null;
  readonly saveInvstd: Tensor | null;
}

/**
 * PyTorch's batchnorm_double_backward: the gradients of native_batch_norm_backward's
 * (grad_input, grad_weight, grad_bias) = (ggI, ggG, ggB) with respect to input, weight and
 * grad_out (gI, gG, ggO), in training (batch statistics) or evaluation (running statistics).
 * @example
 * batchNormDoubleBackward(x, w, ggI, ggG, ggB, gO, { training: true, eps: 1e-5, saveMean, saveInvstd, runningMean: null, runningVar: null })
 */
export function batchNormDoubleBackward(input: Tensor, gamma: Tensor | null, ggI: G, ggG: G, ggB: G, gO: Tensor, st: BatchNormStats): G[] {
  const affine = gamma !== null;
  let gammaE: Tensor;
  let ggGE: G = null;
  let ggBE: G = null;
  if (affine) {
    gammaE = expandAsDim1(gamma, input);
    if (ggG) ggGE = expandAsDim1(ggG, input);
    if (ggB) ggBE = expandAsDim1(ggB, input);
  } else {
    gammaE = onesLike(input);
  }
  const M = (input.shape[0] ?? 1) * prod(input.shape.slice(2));
  const training = st.training;
  let saveMean = st.saveMean;
  let saveInvstd = st.saveInvstd;
  if (training) {
    // since 2.14 the batch statistics (functions of the input, taken as constants here) make a
    // third derivative through the input raise instead of coming out wrong
    [saveMean, saveInvstd] = delayedError("batch_norm does not support 3rd+ order derivatives.", [T(saveMean), T(saveInvstd), input]);
  }
  // evaluation: 1 / sqrt(running_var + eps), computed before the mean is shaped
  const invstd = training ? toDtype(T(saveInvstd), input.dtype) : op("aten::pow_.Scalar", op("aten::add.Scalar", T(st.runningVar), st.eps, 1), -0.5);
  const mu = unsqueezeDim1(training ? toDtype(T(saveMean), input.dtype) : T(st.runningMean), input);
  const inputSubMu = sub(input, mu);
  const s12 = unsqueezeDim1(invstd, input);
  const s1 = pow(s12, 2);
  const s32 = pow(s12, 3);
  const inputMuS32 = mul(inputSubMu, s32);
  const gOinmuSum = sumExcludeDim1(mul(gO, inputSubMu));
  const gOSum = sumExcludeDim1(gO);

  let gI: G = null;
  if (ggI && training) {
    const ggISum = sumExcludeDim1(ggI);
    const ggIinmuSum = sumExcludeDim1(mul(ggI, inputSubMu));
    const allSub = subInto(divInto(mul(ggISum, gOSum), M), sumExcludeDim1(mul(gO, ggI)));
    addInto(allSub, mulInto(mul(mul(s1, gOinmuSum), ggIinmuSum), 3 / M));
    const gI0 = divInto(mul(inputMuS32, allSub), M);
    const b1 = sub(divScalar(gOSum, M), gO);
    const gI1 = mul(divInto(mul(ggIinmuSum, s32), M), b1);
    const b2 = sub(divScalar(ggISum, M), ggI);
    const gI2 = mul(divInto(mul(gOinmuSum, s32), M), b2);
    gI = mul(gammaE, addInto(addInto(gI0, gI1), gI2));
  }
  if (affine && ggGE) {
    let term: Tensor;
    if (training) {
      const t0 = mul(gO, s12);
      const t1 = divInto(mul(s12, gOSum), -M);
      const t2 = divInto(mul(inputMuS32, sumExcludeDim1(mul(gO, inputSubMu))), -M);
      term = mul(ggGE, addInto(addInto(t0, t1), t2));
    } else {
      term = mul(mul(ggGE, s12), gO);
    }
    gI = gI ? addInto(gI, term) : term;
  }

  // grad_input of the first backward (training), for a given grad_out and gamma
  const firstBackward = (gOLocal: Tensor, gammaLocal: Tensor): Tensor => {
    const h0 = divInto(mul(gammaLocal, s12), M);
    const x = subInto(mulScalar(gOLocal, M), sumExcludeDim1(gOLocal));
    const b = sumExcludeDim1(mul(gOLocal, inputSubMu));
    const h1 = subInto(x, mul(mul(inputSubMu, s1), b));
    return mul(h0, h1);
  };
  let gG: G = null;
  if (affine && ggI) {
    gG = training ? mul(ggI, firstBackward(gO, onesLike(s12))) : mul(mul(ggI, gO), s12);
    gG = sumExcludeDim1(gG, false);
  }
  let ggO: G = null;
  if (ggI) ggO = training ? firstBackward(ggI, gammaE) : mul(mul(ggI, s12), gammaE);
  if (ggGE) {
    const term = mul(mul(ggGE, inputSubMu), s12);
    ggO = ggO ? addInto(ggO, term) : term;
  }
  if (ggBE) ggO = ggO ? addInto(ggO, ggBE) : ggBE;
  return [gI, gG, ggO];
}

/** A convolution's geometry, each per-dim list expanded to the spatial dims. */
interface ConvParams {
  readonly stride: number[];
  readonly padding: number[];
  readonly dilation: number[];
  readonly transposed: boolean;
  readonly outputPadding: number[];
  readonly groups: number;
}

const convolution = (input: Tensor, weight: Tensor, p: ConvParams): Tensor =>
  op("aten::convolution", input, weight, null, p.stride, p.padding, p.dilation, p.transposed, p.outputPadding, p.groups);
const transpose01 = (x: Tensor): Tensor => op("aten::transpose.int", x, 0, 1);
const narrow = (x: Tensor, dim: number, start: number, length: number): Tensor => op("aten::narrow", x, dim, start, length);

/** Narrows the spatial dims of x that came out longer than `like`'s (asymmetric padding is not supported by the kernels). */
function narrowToSpatial(x: Tensor, like: readonly number[]): Tensor {
  let r = x;
  for (let i = 2; i < r.shape.length; i++) if (r.shape[i]! > like[i]!) r = narrow(r, i, 0, like[i]!);
  return r;
}

/**
 * ATen's _convolution_double_backward: from the gradients (ggI, ggW, ggb) of
 * convolution_backward's (grad_input, grad_weight, grad_bias), the gradients of its grad_output,
 * input and weight: ggO = conv(ggI, w) + conv(input, ggW) + ggb, gI = the adjoint convolution of
 * gO with ggW, gW = the correlation of ggI with gO (per group).
 * @example
 * convolutionDoubleBackward(ggI, ggW, ggb, gO, w, x, [1, 1], [0, 0], [1, 1], false, [0, 0], 1)
 */
export function convolutionDoubleBackward(
  ggI: G,
  ggW: G,
  ggb: G,
  gO: Tensor,
  weight: Tensor,
  input: Tensor,
  stride: readonly number[],
  padding: readonly number[],
  dilation: readonly number[],
  transposed: boolean,
  outputPadding: readonly number[],
  groups: number,
): G[] {
  const dim = weight.shape.length - 2;
  const perDim = (v: readonly number[]): number[] => (v.length === 1 ? new Array<number>(dim).fill(v[0]!) : v.slice());
  // grouped 3-d convolutions infer the groups from the channels, as ATen does
  const inferred = !transposed && input.shape.length > 4 ? (weight.shape[1]! > 0 ? input.shape[1]! / weight.shape[1]! : -1) : groups;
  const p: ConvParams = {
    stride: perDim(stride),
    padding: perDim(padding),
    dilation: perDim(dilation),
    transposed,
    outputPadding: perDim(outputPadding),
    groups: inferred,
  };
  const nonEmpty = input.numel() !== 0;

  let ggO: G = null;
  if (nonEmpty) {
    if (ggI) ggO = convolution(ggI, weight, p);
    if (ggW) {
      const term = convolution(input, ggW, p);
      ggO = ggO ? add(ggO, term) : term;
    }
  }
  if (ggb) {
    const size = gO.shape.map(() => 1);
    size[1] = ggb.shape[0]!;
    const expanded = expand(op("aten::view", op("aten::contiguous", ggb, 0), size), gO.shape);
    ggO = ggO ? add(ggO, expanded) : expanded;
  }

  let gW: G = null;
  if (ggI) {
    // groups are handled one by one; stride and dilation trade places
    const q: ConvParams = { ...p, groups: 1, stride: p.dilation, dilation: p.stride, transposed: false };
    const gOt = transpose01(gO);
    const ggIt = transpose01(ggI);
    const correlate = (gOPart: Tensor, ggIPart: Tensor): Tensor => (p.transposed ? convolution(gOPart, ggIPart, q) : convolution(ggIPart, gOPart, q));
    if (nonEmpty) {
      let gWt: Tensor;
      if (p.groups === 1) {
        gWt = correlate(gOt, ggIt);
      } else {
        const parts: Tensor[] = [];
        for (let g = 0; g < p.groups; g++) {
          const nI = ggIt.shape[0]! / p.groups;
          const ggItG = narrow(ggIt, 0, nI * g, nI);
          const nO = gOt.shape[0]! / p.groups;
          const gOtG = narrow(gOt, 0, nO * g, nO);
          parts.push(correlate(gOtG, ggItG));
        }
        gWt = op("aten::cat", parts, 1);
      }
      gW = narrowToSpatial(transpose01(gWt), weight.shape);
    }
  }

  let gI: G = null;
  if (nonEmpty && ggW) {
    const q = { ...p, transposed: !p.transposed, outputPadding: p.outputPadding.slice() };
    if (p.transposed) {
      gI = narrowToSpatial(convolution(gO, ggW, q), input.shape);
    } else {
      // the output padding that recovers the input's size
      const kernel = weight.shape.slice(2);
      for (let i = 0; i < kernel.length; i++) {
        const expected = (kernel[i]! - 1) * q.dilation[i]! - 2 * q.padding[i]! + (q.stride[i]! * (gO.shape[i + 2]! - 1) + 1);
        if (expected !== input.shape[i + 2]) q.outputPadding[i] = input.shape[i + 2]! - expected;
      }
      gI = convolution(gO, ggW, q);
    }
  }
  return [ggO, gI, gW];
}

/** The double-backward rows of the backward ops (registered with the others in derivatives.ts). */
export const BACKWARD_OP_DERIVATIVES: readonly Derivative[] = [
  formula({
    op: "aten::gelu_backward",
    name: "GeluBackwardBackward0",
    inputs: { grad_output: 0, self: 1 },
    save: (args) => ({ grad_output: args[0], self: args[1], approximate: args[2] ?? "none" }),
    grads: {
      grad_output: (g, s) => op("aten::gelu_backward", g, T(s.self), s.approximate),
      self: (g, s) => geluDoubleBackward(g, T(s.grad_output), T(s.self), s.approximate as string),
    },
  }),
  formula({
    op: "aten::mse_loss_backward",
    name: "MseLossBackwardBackward0",
    inputs: { grad_output: 0, self: 1, target: 2 },
    save: (args) => ({ grad_output: args[0], self: args[1], target: args[2], reduction: args[3] }),
    grads: {
      grad_output: (g, s) => op("aten::mse_loss_backward", g, T(s.self), T(s.target), s.reduction),
      self: (g, s) => mseLossDoubleBackward(mul(g, T(s.grad_output)), T(s.self), s.reduction as number),
      target: (g, s) => neg(mseLossDoubleBackward(mul(g, T(s.grad_output)), T(s.target), s.reduction as number)),
    },
  }),
  formula({
    op: "aten::_softmax_backward_data",
    name: "SoftmaxBackwardDataBackward0",
    inputs: { grad_output: 0, output: 1 },
    save: (args) => ({ grad_output: args[0], output: args[1], dim: args[2], input_dtype: args[3] }),
    grads: {
      grad_output: (g, s) => op("aten::_softmax_backward_data", toDtype(g, T(s.output).dtype), T(s.output), s.dim, s.input_dtype),
      output: (g, s) => {
        const out = T(s.output);
        return toDtype(softmaxDoubleBackward(toDtype(g, out.dtype), T(s.grad_output), s.dim as number, out), out.dtype);
      },
    },
  }),
  formula({
    op: "aten::_log_softmax_backward_data",
    name: "LogSoftmaxBackwardDataBackward0",
    inputs: { grad_output: 0, output: 1 },
    save: (args) => ({ grad_output: args[0], output: args[1], dim: args[2] }),
    grads: {
      // grad - (grad * output.exp()).sum(dim, true)
      grad_output: (g, s) => {
        const out = T(s.output);
        const e = exp(out);
        const right = sumDims(mul(toDtype(g, out.dtype), e), [s.dim as number], true);
        return sub(toDtype(g, out.dtype), right);
      },
      // -grad_output.sum(dim, true) * output.exp() * grad
      output: (g, s) => {
        const out = T(s.output);
        const gd = toDtype(g, out.dtype);
        const e = exp(out);
        const negSum = neg(sumDims(T(s.grad_output), [s.dim as number], true));
        return toDtype(mul(mul(negSum, e), gd), out.dtype);
      },
    },
  }),
  formula({
    op: "aten::embedding_dense_backward",
    name: "EmbeddingDenseBackwardBackward0",
    inputs: { grad_output: 0 },
    save: (args) => ({ indices: args[1], padding_idx: args[3] }),
    grads: { grad_output: (g, s) => embeddingDenseDoubleBackward(g, T(s.indices), Number(s.padding_idx)) },
  }),
  formula({
    op: "aten::native_layer_norm_backward",
    name: "NativeLayerNormBackwardBackward0",
    inputs: { grad_out: 0, input: 1, mean: 3, rstd: 4, weight: 5, bias: 6 },
    anyGrad: true,
    save: (args) => ({ grad_out: args[0], input: args[1], normalized_shape: args[2], mean: args[3], rstd: args[4], weight: opt(args[5]) }),
    grads: {
      "input, weight, grad_out": (_g, s, _needs, grads) =>
        layerNormDoubleBackward(
          T(s.input),
          opt(s.weight),
          grads[0] ?? null,
          grads[1] ?? null,
          grads[2] ?? null,
          T(s.grad_out),
          T(s.mean),
          T(s.rstd),
          s.normalized_shape as number[],
        ),
      bias: () => null,
      mean: notImplemented("native_layer_norm_backward mean"),
      rstd: notImplemented("native_layer_norm_backward rstd"),
    },
  }),
  formula({
    op: "aten::native_batch_norm_backward",
    name: "NativeBatchNormBackwardBackward0",
    inputs: { grad_out: 0, input: 1, weight: 2, save_mean: 5, save_invstd: 6 },
    anyGrad: true,
    save: (args) => ({
      grad_out: args[0],
      input: args[1],
      weight: opt(args[2]),
      running_mean: opt(args[3]),
      running_var: opt(args[4]),
      save_mean: opt(args[5]),
      save_invstd: opt(args[6]),
      train: args[7],
      eps: args[8],
    }),
    grads: {
      "input, weight, grad_out": (_g, s, _needs, grads) =>
        batchNormDoubleBackward(T(s.input), opt(s.weight), grads[0] ?? null, grads[1] ?? null, grads[2] ?? null, T(s.grad_out), {
          runningMean: opt(s.running_mean),
          runningVar: opt(s.running_var),
          training: s.train as boolean,
          eps: s.eps as number,
          saveMean: opt(s.save_mean),
          saveInvstd: opt(s.save_invstd),
        }),
      save_mean: notImplemented("native_batch_norm_backward save_mean"),
      save_invstd: notImplemented("native_batch_norm_backward save_invstd"),
    },
  }),
  formula({
    op: "aten::convolution_backward",
    name: "ConvolutionBackwardBackward0",
    inputs: { grad_output: 0, input: 1, weight: 2 },
    anyGrad: true,
    save: (args) => ({ grad_output: args[0], input: args[1], weight: args[2], rest: args.slice(4, 10) }),
    grads: {
      "grad_output, input, weight": (_g, s, _needs, grads) => {
        const [stride, padding, dilation, transposed, outputPadding, groups] = s.rest as [number[], number[], number[], boolean, number[], number];
        return convolutionDoubleBackward(
          grads[0] ?? null,
          grads[1] ?? null,
          grads[2] ?? null,
          T(s.grad_output),
          T(s.weight),
          T(s.input),
          stride,
          padding,
          dilation,
          transposed,
          outputPadding,
          groups,
        );
      },
    },
  }),
  // no row in derivatives.yaml: PyTorch's autograd fallback records a NotImplemented node that raises
  formula({
    op: "aten::silu_backward",
    name: "torch::autograd::NotImplemented",
    inputs: { grad_output: 0, self: 1 },
    grads: {
      "grad_output, self": () => {
        throw new RuntimeError("derivative for aten::silu_backward is not implemented");
      },
    },
  }),
];

