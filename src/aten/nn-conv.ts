// Convolution operators as PyTorch's Convolution.cpp: the CompositeImplicitAutograd front ends
// (conv1d/2d/3d and their padding="same"/"valid" overloads, _convolution_mode) decompose into
// `convolution` (CompositeExplicitAutograd -> `_convolution`), which checks shapes with PyTorch's
// messages and runs the N-d loops of backends/cpu/nn-conv-kernels.ts (allocation only on meta).

import { RuntimeError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { callOp } from "../dispatcher/call-op.js";
import { convolutionInto, type ConvGeometry } from "../backends/cpu/nn-conv-kernels.js";
import type { Tensor } from "../tensor/tensor.js";
import { allocate, type OpDecl } from "./op-decl.js";
import { defined, dispatchError, formatStrides, legacyTypeName, type Opt, sizesStr, suggestsChannelsLast } from "./nn-util.js";
import { cppName, resultType } from "../tensor/type-promotion.js";
import { typeMetaName } from "../tensor/dtype.js";

const ints = (v: number | readonly number[]): number[] => (typeof v === "number" ? [v] : v.slice());

/** expand_param_if_needed: one value stands for every spatial dim. */
function expand(list: number | readonly number[], name: string, dim: number): number[] {
  const l = ints(list);
  if (l.length === 1) return new Array<number>(dim).fill(l[0]!);
  if (l.length !== dim) {
    throw new RuntimeError(
      `expected ${name} to be a single integer value or a list of ${dim} values to match the convolution dimensions, but got ${name}=${sizesStr(l)}`,
    );
  }
  return l;
}

/** check_shape_forward, in PyTorch's order of checks. */
function checkShapeForward(input: Tensor, weight: Tensor, bias: Tensor | null, g: ConvGeometry, outputPadding: number[]): void {
  if (g.padding.some((p) => p < 0)) throw new RuntimeError("negative padding is not supported");
  if (outputPadding.some((p) => p < 0)) throw new RuntimeError("negative output_padding is not supported");
  if (g.stride.some((s) => s <= 0)) throw new RuntimeError("non-positive stride is not supported");
  if (g.dilation.some((d) => d < 0)) throw new RuntimeError("dilation should be greater than zero");
  const ws = weight._shape;
  const is = input._shape;
  const k = is.length;
  const groups = g.groups;
  if (ws.length !== k) {
    throw new RuntimeError(`Expected ${ws.length}-dimensional input for ${ws.length}-dimensional weight ${sizesStr(ws)}, but got ${k}-dimensional input of size ${sizesStr(is)} instead`);
  }
  if (ws[0]! < groups) {
    throw new RuntimeError(`Given groups=${groups}, expected weight to be at least ${groups} at dimension 0, but got weight of size ${sizesStr(ws)} instead`);
  }
  if (ws[0]! % groups !== 0) {
    throw new RuntimeError(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${sizesStr(ws)}] instead`);
  }
  const biasBad = (n: number): boolean => bias !== null && !(bias._shape.length === 1 && bias._shape[0] === n);
  if (!g.transposed) {
    if (is[1] !== ws[1]! * groups) {
      throw new RuntimeError(`Given groups=${groups}, weight of size ${sizesStr(ws)}, expected input${sizesStr(is)} to have ${ws[1]! * groups} channels, but got ${is[1]} channels instead`);
    }
    if (biasBad(ws[0]!)) {
      throw new RuntimeError(`Given weight of size ${sizesStr(ws)}, expected bias to be 1-dimensional with ${ws[0]} elements, but got bias of size ${sizesStr(bias!._shape)} instead`);
    }
    const padded = is.slice(2).map((s, i) => s + 2 * g.padding[i]!);
    const kernel = ws.slice(2).map((s, i) => g.dilation[i]! * (s - 1) + 1);
    if (padded.some((s, i) => s < kernel[i]!)) {
      throw new RuntimeError(`Calculated padded input size per channel: (${padded.join(" x ")}). Kernel size: (${kernel.join(" x ")}). Kernel size can't be greater than actual input size`);
    }
  } else {
    if (is[1] !== ws[0]) {
      throw new RuntimeError(`Given transposed=1, weight of size ${sizesStr(ws)}, expected input${sizesStr(is)} to have ${ws[0]} channels, but got ${is[1]} channels instead`);
    }
    if (biasBad(ws[1]! * groups)) {
      throw new RuntimeError(`Given transposed=1, weight of size ${sizesStr(ws)}, expected bias to be 1-dimensional with ${ws[1]! * groups} elements, but got bias of size ${sizesStr(bias!._shape)} instead`);
    }
  }
}

/** Would PyTorch's CPU convolution pick mkldnn (ConvParams::use_mkldnn; threads assumed > 1)? */
function usesMkldnn(input: Tensor, weight: Tensor, g: ConvGeometry, outputPadding: number[]): boolean {
  if (input.dtype !== "float32") return false;
  if (g.transposed && outputPadding.some((p, i) => p >= g.stride[i]!)) return false;
  const sh = [...input._shape];
  const ws = [...weight._shape];
  if (sh.length === 3) sh.splice(2, 0, 1);
  const kw = ws[ws.length - 1]!;
  const kh = ws.length > 3 ? ws[ws.length - 2]! : 1;
  const numel = sh.reduce((a, b) => a * b, 1);
  return g.groups > 1 || (kw > 3 && kh > 3) || sh[0]! > 1 || numel > 20480;
}

/** The dtype checks of the chosen CPU backend (mkldnn's same-type check, or the slow kernels'). */
function checkDTypes(input: Tensor, weight: Tensor, bias: Tensor | null, g: ConvGeometry, outputPadding: number[]): void {
  if (usesMkldnn(input, weight, g, outputPadding)) {
    for (const [t, name] of [[weight, "weight"], [bias, "bias"]] as const) {
      if (t && t.dtype !== input.dtype) {
        throw new RuntimeError(
          `Input type (${legacyTypeName(input)}) and ${name} type (${legacyTypeName(t)}) should be the same or input should be a MKLDNN tensor and ${name} is a dense tensor`,
        );
      }
    }
    return;
  }
  if (input.dtype === "bool") {
    const dilated = g.dilation.some((d) => d !== 1);
    throw dispatchError(g.transposed ? "slow_conv_transpose2d_out_cpu" : dilated ? "slow_conv_dilated<>" : "slow_conv2d_cpu", input.dtype);
  }
  if (weight.dtype !== input.dtype) throw new RuntimeError(`expected scalar type ${cppName(input.dtype)} but found ${cppName(weight.dtype)}`);
}

/** The output-padding limit of the transposed kernels. */
function checkOutputPadding(g: ConvGeometry, op: number[]): void {
  const ok = op.every((p, i) => p < g.stride[i]! || p < g.dilation[i]!);
  if (ok) return;
  // 1-d convolutions run as 2-d ones with a leading size-1 dim (stride 1, dilation 1, no padding)
  const lift = (v: readonly number[], fill: number): readonly number[] => (v.length === 1 ? [fill, v[0]!] : v);
  const names = op.length === 3 ? ["depth", "height", "width"] : ["height", "width"];
  const part = (what: string, v: readonly number[]): string => names.map((n, i) => `${what}_${n}: ${v[i]}`).join(" ");
  throw new RuntimeError(
    `output padding must be smaller than either stride or dilation, but got ${part("output_padding", lift(op, 0))} ${part("stride", lift(g.stride, 1))} ${part("dilation", lift(g.dilation, 1))}`,
  );
}

/** `_convolution`: checks, output allocation and (on CPU) the loops. */
function convolutionImpl(
  input: Tensor, weight: Tensor, biasOpt: Opt<Tensor>, stride: number[], padding: number[], dilation: number[],
  transposed: boolean, outputPadding: number[], groups: number,
): Tensor {
  const bias = defined(biasOpt) ? biasOpt : null;
  const dim = weight._shape.length - 2;
  if (!(dim > 0)) throw new RuntimeError("weight should have at least three dimensions");
  if (!(groups > 0)) throw new RuntimeError("non-positive groups is not supported");
  const g: ConvGeometry = { stride: expand(stride, "stride", dim), padding: expand(padding, "padding", dim), dilation: expand(dilation, "dilation", dim), transposed, groups };
  const op = expand(outputPadding, "output_padding", dim);
  checkShapeForward(input, weight, bias, g, op);
  if (g.dilation.some((d) => d <= 0)) throw new RuntimeError("non-positive dilation is not supported");
  const sp = input._shape.slice(2);
  const ks = weight._shape.slice(2);
  const outSpatial = transposed
    ? sp.map((s, i) => (s - 1) * g.stride[i]! - 2 * g.padding[i]! + g.dilation[i]! * (ks[i]! - 1) + op[i]! + 1)
    : sp.map((s, i) => Math.floor((s + 2 * g.padding[i]! - g.dilation[i]! * (ks[i]! - 1) - 1) / g.stride[i]!) + 1);
  const channels = transposed ? weight._shape[1]! * groups : weight._shape[0]!;
  if (input._shape[0] === 0 || input._shape[1] === 0) {
    // PyTorch's "Empty" backend: no kernel runs; no input channels give no output channels
    const shape = [input._shape[0]!, input._shape[1] === 0 ? 0 : channels, ...outSpatial];
    return allocate(input.device, { shape, dtype: resultType(input, weight) });
  }
  checkDTypes(input, weight, bias, g, op);
  if (transposed) checkOutputPadding(g, op);
  if (outSpatial.some((s) => s <= 0)) {
    throw new RuntimeError(`Given input size per channel: (${sp.join(" x ")}). Calculated output size per channel: (${outSpatial.join(" x ")}). Output size is too small`);
  }
  const shape = [input._shape[0]!, channels, ...outSpatial];
  const cl = shape.length === 4 && (suggestsChannelsLast(input) || suggestsChannelsLast(weight));
  const out = allocate(input.device, { shape, dtype: input.dtype, strides: formatStrides(shape, cl) });
  if (out.device === "cpu") convolutionInto(out, input, weight, bias, g);
  return out;
}

/** batchify: adds the batch dim to an unbatched input (and says whether it was batched). */
function batchify(input: Tensor, spatial: number, name: string): [Tensor, boolean] {
  const nb = spatial + 1;
  const batched = input._shape.length === nb + 1;
  if (input._shape.length !== nb && !batched) {
    throw new RuntimeError(`Expected ${nb}D (unbatched) or ${nb + 1}D (batched) input to ${name}, but got input of size: ${sizesStr(input._shape)}`);
  }
  return [batched ? input : (callOp("aten::unsqueeze", [input, 0]) as Tensor), batched];
}

const unbatch = (out: Tensor, batched: boolean): Tensor => (batched ? out : (callOp("aten::squeeze.dim", [out, 0]) as Tensor));

/** conv1d / conv2d / conv3d with integer padding. */
function convNd(spatial: number) {
  const name = `conv${spatial}d`;
  return (input: Tensor, weight: Tensor, bias: Opt<Tensor>, stride: number[], padding: number[], dilation: number[], groups: number): Tensor => {
    if (defined(bias) && bias.dtype !== input.dtype) {
      throw new RuntimeError(`Input type (${typeMetaName(input.dtype)}) and bias type (${typeMetaName(bias.dtype)}) should be the same`);
    }
    const [inp, batched] = batchify(input, spatial, name);
    const zeros = new Array<number>(spatial).fill(0);
    const out = callOp("aten::convolution", [inp, weight, bias ?? null, stride, padding, dilation, false, zeros, groups]) as Tensor;
    return unbatch(out, batched);
  };
}

/** conv1d.padding / conv2d.padding / conv3d.padding ("same" or "valid"). */
function convNdPadding(spatial: number) {
  const name = `conv${spatial}d`;
  return (input: Tensor, weight: Tensor, bias: Opt<Tensor>, stride: number[], padding: string, dilation: number[], groups: number): Tensor => {
    const [inp, batched] = batchify(input, spatial, name);
    const out = callOp("aten::_convolution_mode", [inp, weight, bias ?? null, stride, padding, dilation, groups]) as Tensor;
    return unbatch(out, batched);
  };
}

let warnedSamePadding = false;

/** convolution_same: symmetric padding when possible, else pad the input first. */
function convolutionSame(input: Tensor, weight: Tensor, bias: Tensor | null, stride: number[], dilation: number[], groups: number): Tensor {
  const k = weight._shape.length;
  if (k <= 2) throw new RuntimeError("weight should have at least three dimensions");
  if (groups <= 0) throw new RuntimeError("non-positive groups is not supported");
  const dim = k - 2;
  if (k !== input._shape.length) {
    throw new RuntimeError(`Expected ${k}-dimensional input for ${k}-dimensional weight${sizesStr(weight._shape)}, but got ${input._shape.length}-dimensional input of size ${sizesStr(input._shape)} instead`);
  }
  if (stride.length !== dim && stride.length !== 1) throw new RuntimeError(`stride cannot broadcast to ${dim} dimensions`);
  if (dilation.length !== dim && dilation.length !== 1) throw new RuntimeError(`dilation cannot broadcast to ${dim} dimensions`);
  if (stride.some((s) => s !== 1)) throw new RuntimeError("padding='same' is not supported for strided convolutions");
  const left: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < dim; i++) {
    const d = dilation.length === 1 ? dilation[0]! : dilation[i]!;
    const total = d * (weight._shape[i + 2]! - 1);
    left.push(Math.floor(total / 2));
    right.push(total - Math.floor(total / 2));
  }
  const zeros = new Array<number>(dim).fill(0);
  if (left.every((l, i) => l === right[i])) {
    return callOp("aten::convolution", [input, weight, bias, stride, left, dilation, false, zeros, groups]) as Tensor;
  }
  if (!warnedSamePadding) {
    warnedSamePadding = true;
    warn("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy of the input be created");
  }
  const padNd = new Array<number>(2 * dim).fill(0);
  for (let i = 0; i < dim; i++) {
    const delta = right[i]! - left[i]!;
    const idx = 2 * (dim - 1 - i);
    if (delta > 0) padNd[idx + 1] = delta;
    else {
      padNd[idx] = delta;
      left[i] = right[i]!;
    }
  }
  const padded = callOp("aten::constant_pad_nd", [input, padNd, 0]) as Tensor;
  return callOp("aten::convolution", [padded, weight, bias, stride, left, dilation, false, zeros, groups]) as Tensor;
}

function convolutionMode(input: Tensor, weight: Tensor, bias: Opt<Tensor>, stride: number[], padding: string, dilation: number[], groups: number): Tensor {
  const b = defined(bias) ? bias : null;
  if (padding === "same") return convolutionSame(input, weight, b, stride, dilation, groups);
  if (padding === "valid") return callOp("aten::convolution", [input, weight, b, stride, [0], dilation, false, [0], groups]) as Tensor;
  throw new RuntimeError(`Invalid padding string: '${padding}'`);
}

/** The convolution operators, in native_functions.yaml order. */
export const convOps: readonly OpDecl[] = [
  {
    schema: "convolution(Tensor input, Tensor weight, Tensor? bias, SymInt[] stride, SymInt[] padding, SymInt[] dilation, bool transposed, SymInt[] output_padding, SymInt groups) -> Tensor",
    explicit: ((...args: unknown[]) => callOp("aten::_convolution", [...args, false, false, true, true])) as never,
  },
  {
    schema: "_convolution(Tensor input, Tensor weight, Tensor? bias, SymInt[] stride, SymInt[] padding, SymInt[] dilation, bool transposed, SymInt[] output_padding, SymInt groups, bool benchmark, bool deterministic, bool cudnn_enabled, bool allow_tf32) -> Tensor",
    explicit: convolutionImpl as never,
  },
  {
    schema: "_convolution_mode(Tensor input, Tensor weight, Tensor? bias, SymInt[] stride, str padding, SymInt[] dilation, SymInt groups) -> Tensor",
    composite: convolutionMode as never,
  },
  { schema: "conv1d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[1] stride=1, SymInt[1] padding=0, SymInt[1] dilation=1, SymInt groups=1) -> Tensor", composite: convNd(1) as never },
  { schema: "conv2d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=1, SymInt[2] padding=0, SymInt[2] dilation=1, SymInt groups=1) -> Tensor", composite: convNd(2) as never },
  { schema: "conv3d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[3] stride=1, SymInt[3] padding=0, SymInt[3] dilation=1, SymInt groups=1) -> Tensor", composite: convNd(3) as never },
  { schema: 'conv1d.padding(Tensor input, Tensor weight, Tensor? bias=None, SymInt[1] stride=1, str padding="valid", SymInt[1] dilation=1, SymInt groups=1) -> Tensor', composite: convNdPadding(1) as never },
  { schema: 'conv2d.padding(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=1, str padding="valid", SymInt[2] dilation=1, SymInt groups=1) -> Tensor', composite: convNdPadding(2) as never },
  { schema: 'conv3d.padding(Tensor input, Tensor weight, Tensor? bias=None, SymInt[3] stride=1, str padding="valid", SymInt[3] dilation=1, SymInt groups=1) -> Tensor', composite: convNdPadding(3) as never },
];

