// 2-d pooling operators, after PyTorch 2.14's DilatedMaxPool2d.cpp, AveragePool2d.cpp,
// AdaptiveAveragePooling.cpp and Pool.h (our own code): the structured max_pool2d_with_indices,
// avg_pool2d, _adaptive_avg_pool2d and their backward ops (shape rules with PyTorch's checks and
// messages, output strides following the input's suggested memory format), and the
// CompositeImplicitAutograd max_pool2d (-> max_pool2d_with_indices) and adaptive_avg_pool2d
// (-> mean.dim for a 1x1 output, else _adaptive_avg_pool2d).

import { IndexError, RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import {
  type PoolDim,
  adaptiveAvgPool2dBackwardInto,
  adaptiveAvgPool2dInto,
  adaptiveMaxPool2dInto,
  avgPool2dBackwardInto,
  avgPool2dInto,
  maxPool2dBackwardInto,
  maxPool2dInto,
} from "../backends/cpu/pool-kernels.js";
import { typeMetaName } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { dispatchError, formatStrides, isFloat, type Opt, sizesStr, suggestsChannelsLast } from "./nn-util.js";

/** `input.size(d)` with PyTorch's IndexError for a dimension out of range. */
function sizeAt(t: Tensor, d: number): number {
  const n = t._shape.length;
  if (d < -n || d >= n) throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${d})`);
  return t._shape[d < 0 ? d + n : d]!;
}

/** div_rtn: integer division rounding toward negative infinity. */
const divRtn = (a: number, b: number): number => Math.floor(a / b);

/** Pool.h's pooling_output_shape (with its stride and padding checks). */
function outputShape(inputSize: number, k: number, pad: number, stride: number, dilation: number, ceilMode: boolean): number {
  if (stride === 0) throw new RuntimeError("stride should not be zero");
  if (pad < 0) throw new RuntimeError(`pad must be non-negative, but got pad: ${pad}`);
  if (pad > Math.trunc(((k - 1) * dilation + 1) / 2)) {
    throw new RuntimeError(`pad should be at most half of effective kernel size, but got pad=${pad}, kernel_size=${k} and dilation=${dilation}`);
  }
  let size = divRtn(inputSize + 2 * pad - dilation * (k - 1) - 1 + (ceilMode ? stride - 1 : 0), stride) + 1;
  // in ceil mode the last window must start inside the input or its left padding
  if (ceilMode && (size - 1) * stride >= inputSize + pad) size--;
  return size;
}

/** The pooling parameters of one call, both spatial dims. */
interface Params {
  readonly h: PoolDim;
  readonly w: PoolDim;
}

/** Reads kernel_size / stride / padding / dilation lists with PyTorch's length checks. */
function readParams(name: "max_pool2d" | "avg_pool2d", kernel: readonly number[], stride: readonly number[], padding: readonly number[], dilation: readonly number[]): Params {
  if (kernel.length !== 1 && kernel.length !== 2) throw new RuntimeError(`${name}: kernel_size must either be a single int, or a tuple of two ints`);
  const kH = kernel[0]!;
  const kW = kernel.length === 1 ? kH : kernel[1]!;
  if (stride.length > 2) throw new RuntimeError(`${name}: stride must either be omitted, a single int, or a tuple of two ints`);
  const dH = stride.length === 0 ? kH : stride[0]!;
  const dW = stride.length === 0 ? kW : stride.length === 1 ? dH : stride[1]!;
  if (padding.length !== 1 && padding.length !== 2) throw new RuntimeError(`${name}: padding must either be a single int, or a tuple of two ints`);
  const pH = padding[0]!;
  const pW = padding.length === 1 ? pH : padding[1]!;
  if (dilation.length !== 1 && dilation.length !== 2) throw new RuntimeError(`${name}: dilation must be either a single int, or a tuple of two ints`);
  const lH = dilation[0]!;
  const lW = dilation.length === 1 ? lH : dilation[1]!;
  return { h: { k: kH, s: dH, p: pH, d: lH }, w: { k: kW, s: dW, p: pW, d: lW } };
}

/** Pool.h's pool2d_shape_check. */
function shapeCheck(input: Tensor, p: Params, oh: number, ow: number, channelsLast: boolean): void {
  const { h, w } = p;
  if (!(h.k > 0 && w.k > 0)) throw new RuntimeError(`kernel size should be greater than zero, but got kH: ${h.k} kW: ${w.k}`);
  if (!(h.s > 0 && w.s > 0)) throw new RuntimeError(`stride should be greater than zero, but got dH: ${h.s} dW: ${w.s}`);
  if (!(h.d > 0 && w.d > 0)) throw new RuntimeError(`dilation should be greater than zero, but got dilationH: ${h.d} dilationW: ${w.d}`);
  const s = input._shape;
  const nd = s.length;
  const validDims = s[1] !== 0 && s[2] !== 0;
  if (channelsLast) {
    if (!(nd === 4 && validDims && s[3] !== 0)) {
      throw new RuntimeError(
        `Expected 4D (batch mode) tensor expected for input with channels_last layout with optional 0 dim batch size for input, but got: ${sizesStr(s)}`,
      );
    }
  } else if (!((nd === 3 && s[0] !== 0 && validDims) || (nd === 4 && validDims && s[3] !== 0))) {
    throw new RuntimeError(`Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${sizesStr(s)}`);
  }
  const effW = (w.k - 1) * w.d + 1;
  const effH = (h.k - 1) * h.d + 1;
  if (!(Math.trunc(effW / 2) >= w.p && Math.trunc(effH / 2) >= h.p)) {
    throw new RuntimeError(
      `pad should be smaller than or equal to half of effective kernel size, but got padW = ${w.p}, padH = ${h.p}, effectiveKW = ${effW}, effectiveKH = ${effH}`,
    );
  }
  if (!(ow >= 1 && oh >= 1)) {
    const c = s[nd - 3]!;
    throw new RuntimeError(
      `Given input size: (${c}x${s[nd - 2]}x${s[nd - 1]}). Calculated output size: (${c}x${oh}x${ow}). Output size is too small`,
    );
  }
}

/** TensorUtils' check_dim_size. */
function checkDimSize(t: Tensor, dim: number, dimSize: number, size: number): void {
  if (!(t._shape.length === dim && t._shape[dimSize] === size)) {
    throw new RuntimeError(
      `Expected a tensor of dimension ${dim} and tensor.size[${dimSize}] == ${size} but got: dimension ${t._shape.length} and tensor.size[${dimSize}] = ${t._shape[dimSize]}`,
    );
  }
}

/** The pooled [.., C, OH, OW] shape and strides of `input` (channels-last when it suggests so). */
function pooledSpec(input: Tensor, oh: number, ow: number, channelsLast: boolean, dtype = input.dtype): TensorSpec {
  const shape = [...input._shape.slice(0, -2), oh, ow];
  return { shape, dtype, strides: formatStrides(shape, channelsLast) };
}

/** A tensor shaped and laid out like `input` (the backward ops' grad_input). */
const likeInput = (input: Tensor, channelsLast: boolean): TensorSpec => ({
  shape: input._shape,
  dtype: input.dtype,
  strides: formatStrides(input._shape, channelsLast),
});

/** max_pool2d's checks up to the output size: [params, OH, OW, channelsLast]. */
function maxPoolGeometry(
  input: Tensor,
  kernel: readonly number[],
  stride: readonly number[],
  padding: readonly number[],
  dilation: readonly number[],
  ceilMode: boolean,
  gradOutput?: Tensor,
): [Params, number, number, boolean] {
  const p = readParams("max_pool2d", kernel, stride, padding, dilation);
  if (gradOutput && gradOutput.dtype !== input.dtype) {
    throw new RuntimeError(`expected dtype ${typeMetaName(input.dtype)} for \`gradOutput\` but got dtype ${typeMetaName(gradOutput.dtype)}`);
  }
  const cl = suggestsChannelsLast(input);
  const nd = input._shape.length;
  if (cl) {
    if (nd !== 4) throw new RuntimeError("non-empty 4D (batch mode) tensor expected for input with channels_last layout");
  } else if (nd !== 3 && nd !== 4) {
    throw new RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input");
  }
  const oh = outputShape(input._shape[nd - 2]!, p.h.k, p.h.p, p.h.s, p.h.d, ceilMode);
  const ow = outputShape(input._shape[nd - 1]!, p.w.k, p.w.p, p.w.s, p.w.d, ceilMode);
  shapeCheck(input, p, oh, ow, cl);
  return [p, oh, ow, cl];
}

function maxPoolRule(self: Tensor, kernel: number[], stride: number[], padding: number[], dilation: number[], ceilMode: boolean): TensorSpec[] {
  const [, oh, ow, cl] = maxPoolGeometry(self, kernel, stride, padding, dilation, ceilMode);
  return [pooledSpec(self, oh, ow, cl), pooledSpec(self, oh, ow, cl, "int64")];
}

function maxPoolCpu(out: Tensor[], self: Tensor, kernel: number[], stride: number[], padding: number[], dilation: number[]): void {
  if (self.dtype === "bool") throw dispatchError("max_pool2d", self.dtype);
  const p = readParams("max_pool2d", kernel, stride, padding, dilation);
  maxPool2dInto(out[0]!, out[1]!, self, p.h, p.w);
}

function maxPoolBackwardRule(
  gradOutput: Tensor,
  self: Tensor,
  kernel: number[],
  stride: number[],
  padding: number[],
  dilation: number[],
  ceilMode: boolean,
  indices: Tensor,
): TensorSpec {
  const [, oh, ow, cl] = maxPoolGeometry(self, kernel, stride, padding, dilation, ceilMode, gradOutput);
  const nd = self._shape.length;
  const c = self._shape[nd - 3]!;
  for (const t of [gradOutput, indices]) {
    checkDimSize(t, nd, nd - 3, c);
    checkDimSize(t, nd, nd - 2, oh);
    checkDimSize(t, nd, nd - 1, ow);
  }
  if (nd === 4) {
    checkDimSize(gradOutput, nd, 0, self._shape[0]!);
    checkDimSize(indices, nd, 0, self._shape[0]!);
  }
  return likeInput(self, cl);
}

function maxPoolBackwardCpu(out: Tensor, gradOutput: Tensor, self: Tensor, ...rest: unknown[]): void {
  if (!isFloat(self.dtype)) throw dispatchError("max_pool2d_backward", self.dtype);
  maxPool2dBackwardInto(out, gradOutput, rest[5] as Tensor);
}

/** avg_pool2d's checks up to the output size: [params, OH, OW, channelsLast]. */
function avgPoolGeometry(
  input: Tensor,
  kernel: readonly number[],
  stride: readonly number[],
  padding: readonly number[],
  ceilMode: boolean,
  divisorOverride: Opt<number>,
  gradOutput?: Tensor,
): [Params, number, number, boolean] {
  const p = readParams("avg_pool2d", kernel, stride, padding, [1]);
  if (divisorOverride !== null && divisorOverride !== undefined && divisorOverride === 0) throw new RuntimeError("divisor must be not zero");
  if (gradOutput && gradOutput.dtype !== input.dtype) {
    throw new RuntimeError(`expected dtype ${typeMetaName(input.dtype)} for \`gradOutput\` but got dtype ${typeMetaName(gradOutput.dtype)}`);
  }
  if (input._shape.length === 4) sizeAt(input, -4);
  sizeAt(input, -3);
  const ih = sizeAt(input, -2);
  const iw = sizeAt(input, -1);
  const oh = outputShape(ih, p.h.k, p.h.p, p.h.s, 1, ceilMode);
  const ow = outputShape(iw, p.w.k, p.w.p, p.w.s, 1, ceilMode);
  const cl = suggestsChannelsLast(input);
  shapeCheck(input, p, oh, ow, cl);
  return [p, oh, ow, cl];
}

function avgPoolRule(self: Tensor, kernel: number[], stride: number[], padding: number[], ceilMode: boolean, _cip: boolean, divisor: Opt<number>): TensorSpec {
  const [, oh, ow, cl] = avgPoolGeometry(self, kernel, stride, padding, ceilMode, divisor);
  return pooledSpec(self, oh, ow, cl && self._shape.length === 4);
}

function avgPoolCpu(out: Tensor, self: Tensor, kernel: number[], stride: number[], padding: number[], _ceil: boolean, cip: boolean, divisor: Opt<number>): void {
  if (!isFloat(self.dtype) && self.dtype !== "int64") throw dispatchError("avg_pool2d", self.dtype);
  const p = readParams("avg_pool2d", kernel, stride, padding, [1]);
  avgPool2dInto(out, self, p.h, p.w, cip, divisor ?? null);
}

function avgPoolBackwardRule(
  gradOutput: Tensor,
  self: Tensor,
  kernel: number[],
  stride: number[],
  padding: number[],
  ceilMode: boolean,
  _cip: boolean,
  divisor: Opt<number>,
): TensorSpec {
  const [, oh, ow, cl] = avgPoolGeometry(self, kernel, stride, padding, ceilMode, divisor, gradOutput);
  const nd = self._shape.length;
  checkDimSize(gradOutput, nd, nd - 3, self._shape[nd - 3]!);
  checkDimSize(gradOutput, nd, nd - 2, oh);
  checkDimSize(gradOutput, nd, nd - 1, ow);
  return likeInput(self, cl);
}

function avgPoolBackwardCpu(
  out: Tensor,
  gradOutput: Tensor,
  self: Tensor,
  kernel: number[],
  stride: number[],
  padding: number[],
  _ceil: boolean,
  cip: boolean,
  divisor: Opt<number>,
): void {
  if (!isFloat(self.dtype) && self.dtype !== "int64") throw dispatchError("avg_pool2d_backward", self.dtype);
  const p = readParams("avg_pool2d", kernel, stride, padding, [1]);
  avgPool2dBackwardInto(out, gradOutput, p.h, p.w, cip, divisor ?? null);
}

/** _adaptive_avg_pool2d's checks (adaptive_avg_pool2d_out_cpu_template). */
function adaptiveRule(self: Tensor, outputSize: number[]): TensorSpec {
  if (outputSize.length !== 2) throw new RuntimeError("adaptive_avg_pool2d: output_size must be 2");
  const nd = self._shape.length;
  if (nd !== 3 && nd !== 4) throw new RuntimeError(`adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ${sizesStr(self._shape)}`);
  for (const i of [-2, -1]) {
    if (!(self._shape[nd + i]! > 0)) {
      throw new RuntimeError(
        `adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${sizesStr(self._shape)} with dimension ${i + nd} being empty`,
      );
    }
  }
  const shape = [...self._shape.slice(0, -2), outputSize[0]!, outputSize[1]!];
  // resize_ to a negative size
  if (outputSize.some((s) => s < 0)) throw new RuntimeError("numel: integer multiplication overflow");
  return { shape, dtype: self.dtype, strides: formatStrides(shape, nd === 4 && suggestsChannelsLast(self)) };
}

function adaptiveCpu(out: Tensor, self: Tensor): void {
  if (out.numel() === 0) return;
  if (!isFloat(self.dtype)) throw dispatchError("adaptive_avg_pool2d", self.dtype);
  adaptiveAvgPool2dInto(out, self);
}

function adaptiveBackwardRule(gradOutput: Tensor, self: Tensor): TensorSpec {
  const nd = gradOutput._shape.length;
  for (let i = 1; i < nd; i++) {
    if (!(gradOutput._shape[i]! > 0)) {
      throw new RuntimeError(
        `adaptive_avg_pool2d_backward(): Expected grad_output to have non-zero size for non-batch dimensions, but grad_output has sizes ${sizesStr(gradOutput._shape)} with dimension ${i} being empty`,
      );
    }
  }
  const fn = "adaptive_avg_pool2d_backward_out_cpu_template";
  if (self._shape.length !== nd) throw new RuntimeError(`${fn}: Expected dimensions ${self._shape.length} for \`grad_output\` but got dimensions ${nd}`);
  if (nd !== 3 && nd !== 4) throw new RuntimeError(`${fn}: Expected 3D or 4D tensor, but got ${sizesStr(self._shape)}`);
  if (self.dtype !== gradOutput.dtype) {
    throw new RuntimeError(`${fn}: Expected dtype ${typeMetaName(self.dtype)} for \`grad_output\` but got dtype ${typeMetaName(gradOutput.dtype)}`);
  }
  return likeInput(self, suggestsChannelsLast(self));
}

function adaptiveBackwardCpu(out: Tensor, gradOutput: Tensor, self: Tensor): void {
  if (!isFloat(self.dtype)) throw dispatchError("adaptive_avg_pool2d_backward", self.dtype);
  adaptiveAvgPool2dBackwardInto(out, gradOutput);
}

function adaptiveMaxRule(self: Tensor, outputSize: number[]): TensorSpec[] {
  const nd = self._shape.length;
  if (nd !== 3 && nd !== 4) throw new RuntimeError(`adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: ${sizesStr(self._shape)}`);
  for (let i = 1; i < nd; i++) {
    if (!(self._shape[i]! > 0)) {
      throw new RuntimeError(
        `adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${sizesStr(self._shape)} with dimension ${i} being empty`,
      );
    }
  }
  if (outputSize.length !== 2) throw new RuntimeError("adaptive_max_pool2d(): internal error: output_size.size() must be 2");
  const cl = nd === 4 && suggestsChannelsLast(self);
  return [pooledSpec(self, outputSize[0]!, outputSize[1]!, cl), pooledSpec(self, outputSize[0]!, outputSize[1]!, cl, "int64")];
}

function adaptiveMaxCpu(out: Tensor[], self: Tensor): void {
  if (out[0]!.numel() === 0) return;
  if (!isFloat(self.dtype)) throw dispatchError("adaptive_max_pool2d", self.dtype);
  adaptiveMaxPool2dInto(out[0]!, out[1]!, self);
}

function adaptiveMaxBackwardRule(gradOutput: Tensor, self: Tensor): TensorSpec {
  const nd = gradOutput._shape.length;
  if (nd !== 3 && nd !== 4) throw new RuntimeError(`adaptive_max_pooling2d_backward(): Expected 3D or 4D grad_output, but got: ${sizesStr(gradOutput._shape)}`);
  for (let i = 1; i < nd; i++) {
    if (!(gradOutput._shape[i]! > 0)) {
      throw new RuntimeError(
        `adaptive_max_pool2d_backward(): Expected grad_output to have non-zero size for non-batch dimensions, but grad_output has sizes ${sizesStr(gradOutput._shape)} with dimension ${i} being empty`,
      );
    }
  }
  if (self.dtype !== gradOutput.dtype) {
    throw new RuntimeError(`expected dtype ${typeMetaName(self.dtype)} for \`grad_output\` but got dtype ${typeMetaName(gradOutput.dtype)}`);
  }
  return likeInput(self, suggestsChannelsLast(self));
}

function adaptiveMaxBackwardCpu(out: Tensor, gradOutput: Tensor, self: Tensor, indices: Tensor): void {
  if (!isFloat(self.dtype)) throw dispatchError("adaptive_max_pool2d_backward", self.dtype);
  maxPool2dBackwardInto(out, gradOutput, indices);
}

/** TensorUtils' checkDimRange for argument #1 'self' of a 1-d pooling op. */
function checkDimRange1d(name: string, self: Tensor): void {
  const nd = self._shape.length;
  if (nd < 2 || nd >= 4) {
    throw new RuntimeError(`Expected 2 to 3 dimensions, but got ${nd}-dimensional tensor for argument #1 'self' (while checking arguments for ${name})`);
  }
}

/** Pooling.cpp's check1d. */
function check1d(name: string, arg: string, v: readonly number[]): void {
  if (v.length !== 1) throw new RuntimeError(`${name}() argument '${arg}' should contain one int (got ${v.length})`);
}

const unsqueeze2 = (t: Tensor): Tensor => callOp("aten::unsqueeze", [t, -2]) as Tensor;
const squeeze2 = (t: Tensor): Tensor => callOp("aten::squeeze.dim", [t, -2]) as Tensor;

/** MaxPooling.h's check_max_pool1d. */
function checkMaxPool1d(self: Tensor, kernel: readonly number[], stride: readonly number[], padding: readonly number[], dilation: readonly number[], ceilMode: boolean): void {
  const nd = self._shape.length;
  if (nd !== 2 && nd !== 3) throw new RuntimeError(`max_pool1d() Expected 2D or 3D input tensor, but got ${sizesStr(self._shape)}`);
  if (kernel.length !== 1) throw new RuntimeError(`max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but got size ${kernel.length}`);
  if (stride.length > 1) throw new RuntimeError(`max_pool1d() stride must be None, an int, list of ints, or tuple of ints of size 1 but got size ${stride.length}`);
  if (padding.length !== 1) throw new RuntimeError(`max_pool1d() padding must be an int, list of ints, or tuple of ints of size 1 but got size ${padding.length}`);
  if (dilation.length !== 1) throw new RuntimeError(`max_pool1d() dilation must be an int, list of ints or tuple of ints of size 1 but got size ${dilation.length}`);
  const k = kernel[0]!;
  const s = stride.length === 0 ? k : stride[0]!;
  const p = padding[0]!;
  const d = dilation[0]!;
  if (!(k > 0)) throw new RuntimeError(`max_pool1d() kernel_size must be greater than zero, but got ${k}`);
  if (!(s > 0)) throw new RuntimeError(`max_pool1d() stride must be greater than zero, but got ${s}`);
  if (!(p >= 0)) throw new RuntimeError(`max_pool1d() padding must be non-negative, but got ${p}`);
  if (!(p <= Math.trunc(k / 2))) throw new RuntimeError(`max_pool1d() padding should be at most half of kernel size, but got padding=${p} and kernel_size=${k}`);
  if (!(d > 0)) throw new RuntimeError(`max_pool1d() dilation must be greater than zero, but got ${d}`);
  const ow = outputShape(self._shape[nd - 1]!, k, p, s, d, ceilMode);
  if (!(ow > 0)) throw new RuntimeError(`max_pool1d() Invalid computed output size: ${ow}`);
}

/** max_pool1d_with_indices (CompositeImplicitAutograd): max_pool2d_with_indices over [.., 1, L]. */
function maxPool1dWithIndices(self: Tensor, kernel: number[], stride: number[], padding: number[], dilation: number[], ceilMode: boolean): Tensor[] {
  const st = stride.length === 0 ? kernel : stride;
  checkDimRange1d("max_pool1d", self);
  check1d("max_pool1d", "kernel_size", kernel);
  check1d("max_pool1d", "stride", st);
  check1d("max_pool1d", "padding", padding);
  check1d("max_pool1d", "dilation", dilation);
  const [out, indices] = callOp("aten::max_pool2d_with_indices", [unsqueeze2(self), [1, kernel[0]!], [1, st[0]!], [0, padding[0]!], [1, dilation[0]!], ceilMode]) as Tensor[];
  return [squeeze2(out!), squeeze2(indices!)];
}

/** max_pool1d (CompositeImplicitAutograd): PyTorch's checks, then max_pool1d_with_indices. */
function maxPool1d(self: Tensor, kernel: number[], stride: number[], padding: number[], dilation: number[], ceilMode: boolean): Tensor {
  const s = self._shape;
  if (!((s.length === 2 && s[0] !== 0 && s[1] !== 0) || (s.length === 3 && s[1] !== 0 && s[2] !== 0))) {
    throw new RuntimeError(`max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${sizesStr(s)}`);
  }
  checkMaxPool1d(self, kernel, stride, padding, dilation, ceilMode);
  return (callOp("aten::max_pool1d_with_indices", [self, kernel, stride, padding, dilation, ceilMode]) as Tensor[])[0]!;
}

/** avg_pool1d (CompositeImplicitAutograd): avg_pool2d over [.., 1, L]. */
function avgPool1d(self: Tensor, kernel: number[], stride: number[], padding: number[], ceilMode: boolean, countIncludePad: boolean): Tensor {
  const st = stride.length === 0 ? kernel : stride;
  checkDimRange1d("avg_pool1d", self);
  check1d("avg_pool1d", "kernel_size", kernel);
  check1d("avg_pool1d", "stride", st);
  check1d("avg_pool1d", "padding", padding);
  const out = callOp("aten::avg_pool2d", [unsqueeze2(self), [1, kernel[0]!], [1, st[0]!], [0, padding[0]!], ceilMode, countIncludePad, null]) as Tensor;
  return squeeze2(out);
}

/** adaptive_avg_pool1d (CompositeImplicitAutograd): adaptive_avg_pool2d over [.., 1, L]. */
function adaptiveAvgPool1d(self: Tensor, outputSize: number[]): Tensor {
  checkDimRange1d("adaptive_avg_pool1d", self);
  check1d("adaptive_avg_pool1d", "output_size", outputSize);
  return squeeze2(callOp("aten::adaptive_avg_pool2d", [unsqueeze2(self), [1, outputSize[0]!]]) as Tensor);
}

/** adaptive_max_pool1d (CompositeImplicitAutograd): adaptive_max_pool2d over [.., 1, L]. */
function adaptiveMaxPool1d(self: Tensor, outputSize: number[]): Tensor[] {
  checkDimRange1d("adaptive_max_pool1d", self);
  check1d("adaptive_max_pool1d", "output_size", outputSize);
  const nd = self._shape.length;
  for (let i = 1; i < nd; i++) {
    if (!(self._shape[i]! > 0)) {
      throw new RuntimeError(
        `adaptive_max_pool1d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${sizesStr(self._shape)} with dimension ${i} being empty`,
      );
    }
  }
  const [out, indices] = callOp("aten::adaptive_max_pool2d", [unsqueeze2(self), [1, outputSize[0]!]]) as Tensor[];
  return [squeeze2(out!), squeeze2(indices!)];
}

/** max_pool2d (CompositeImplicitAutograd): the values of max_pool2d_with_indices. */
function maxPool2d(self: Tensor, kernel: number[], stride: number[], padding: number[], dilation: number[], ceilMode: boolean): Tensor {
  return (callOp("aten::max_pool2d_with_indices", [self, kernel, stride, padding, dilation, ceilMode]) as Tensor[])[0]!;
}

/** adaptive_avg_pool2d (CompositeImplicitAutograd): a 1x1 output is a mean over H and W. */
function adaptiveAvgPool2d(self: Tensor, outputSize: number[]): Tensor {
  if (outputSize.length !== 2) throw new RuntimeError("adaptive_avg_pool2d: output_size must be 2");
  const [oh, ow] = outputSize as [number, number];
  if (!(oh >= 0 && ow >= 0)) {
    throw new RuntimeError(`adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {${oh}, ${ow}}`);
  }
  if (oh === 1 && ow === 1) {
    const out = callOp("aten::mean.dim", [self, [-1, -2], true, null]) as Tensor;
    if (suggestsChannelsLast(self)) {
      const [n, c] = self._shape as [number, number];
      callOp("aten::as_strided_", [out, [n, c, 1, 1], [c, 1, c, c], null]);
    }
    return out;
  }
  return callOp("aten::_adaptive_avg_pool2d", [self, outputSize.slice()]) as Tensor;
}

/** The pooling operators, in native_functions.yaml order. */
export const poolOps: readonly OpDecl[] = [
  {
    schema: "avg_pool1d(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, bool ceil_mode=False, bool count_include_pad=True) -> Tensor",
    composite: avgPool1d as never,
  },
  {
    schema: "adaptive_avg_pool1d(Tensor self, int[1] output_size) -> Tensor",
    composite: adaptiveAvgPool1d as never,
  },
  {
    schema: "adaptive_max_pool1d(Tensor self, int[1] output_size) -> (Tensor, Tensor)",
    composite: adaptiveMaxPool1d as never,
  },
  {
    schema:
      "max_pool1d_with_indices(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, int[1] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)",
    composite: maxPool1dWithIndices as never,
  },
  {
    schema: "max_pool1d(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, int[1] dilation=1, bool ceil_mode=False) -> Tensor",
    composite: maxPool1d as never,
  },
  {
    schema: "adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor",
    composite: adaptiveAvgPool2d as never,
  },
  {
    schema: "_adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor",
    meta: adaptiveRule as never,
    cpu: adaptiveCpu as never,
  },
  {
    schema: "_adaptive_avg_pool2d_backward(Tensor grad_output, Tensor self) -> Tensor",
    meta: adaptiveBackwardRule as never,
    cpu: adaptiveBackwardCpu as never,
  },
  {
    schema: "adaptive_max_pool2d(Tensor self, int[2] output_size) -> (Tensor, Tensor)",
    meta: adaptiveMaxRule as never,
    cpu: adaptiveMaxCpu as never,
  },
  {
    schema: "adaptive_max_pool2d_backward(Tensor grad_output, Tensor self, Tensor indices) -> Tensor",
    meta: adaptiveMaxBackwardRule as never,
    cpu: adaptiveMaxBackwardCpu as never,
  },
  {
    schema: "max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> Tensor",
    composite: maxPool2d as never,
  },
  {
    schema:
      "max_pool2d_with_indices(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)",
    meta: maxPoolRule as never,
    cpu: maxPoolCpu as never,
  },
  {
    schema:
      "max_pool2d_with_indices_backward(Tensor grad_output, Tensor self, int[2] kernel_size, int[2] stride, int[2] padding, int[2] dilation, bool ceil_mode, Tensor indices) -> Tensor",
    meta: maxPoolBackwardRule as never,
    cpu: maxPoolBackwardCpu as never,
  },
  {
    schema:
      "avg_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None) -> Tensor",
    meta: avgPoolRule as never,
    cpu: avgPoolCpu as never,
  },
  {
    schema:
      "avg_pool2d_backward(Tensor grad_output, Tensor self, int[2] kernel_size, int[2] stride, int[2] padding, bool ceil_mode, bool count_include_pad, int? divisor_override) -> Tensor",
    meta: avgPoolBackwardRule as never,
    cpu: avgPoolBackwardCpu as never,
  },
];
