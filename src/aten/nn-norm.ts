// Normalization operators: native_layer_norm / native_batch_norm (shape rules with PyTorch's
// checks; CPU loops in backends/cpu/nn-norm-kernels.ts) and their CompositeImplicitAutograd
// front ends layer_norm, batch_norm and _batch_norm_impl_index (Normalization.cpp's dispatch).

import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { batchNormInto, layerNormInto } from "../backends/cpu/nn-norm-kernels.js";
import type { DType } from "../tensor/dtype.js";
import { numelOf, wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { defined, dispatchError, formatStrides, isFloat, type Opt, sizesStr, suggestsChannelsLast } from "./nn-util.js";

const orNull = (t: Opt<Tensor>): Tensor | null => (defined(t) ? t : null);

/**
 * CPU's mixed-dtype rule (mixed_data_type.h): parameters of another dtype than the input are only
 * allowed as float32 parameters of a reduced-precision input; otherwise the kernel rejects them.
 */
function checkMixedDType(input: Tensor, params: ReadonlyArray<Tensor | null>): void {
  const first = params.find((p) => p !== null);
  if (!first || first.dtype === input.dtype) return;
  if (params.some((p) => p !== null && p.dtype !== "float32")) {
    throw new RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float");
  }
  throw new RuntimeError("mixed dtype (CPU): all inputs must share same datatype.");
}

/** The kernels' `data_ptr<scalar_t>()` check on parameters of another dtype. */
function checkParamDTypes(input: Tensor, params: ReadonlyArray<Tensor | null>): void {
  for (const p of params) {
    if (p !== null && p.dtype !== input.dtype) {
      throw new RuntimeError(`expected scalar type ${cppName(input.dtype)} but found ${cppName(p.dtype)}`);
    }
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** _check_layer_norm_inputs: returns [M, N]. */
function checkLayerNormInputs(input: Tensor, ns: readonly number[], weight: Tensor | null, bias: Tensor | null): [number, number] {
  if (ns.length < 1) {
    throw new RuntimeError(
      `Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = ${sizesStr(ns)}`,
    );
  }
  if (weight && !sameShape(weight._shape, ns)) {
    throw new RuntimeError(`Expected weight to be of same shape as normalized_shape, but got weight of shape ${sizesStr(weight._shape)} and normalized_shape = ${sizesStr(ns)}`);
  }
  if (bias && !sameShape(bias._shape, ns)) {
    throw new RuntimeError(`Expected bias to be of same shape as normalized_shape, but got bias of shape ${sizesStr(bias._shape)} and normalized_shape = ${sizesStr(ns)}`);
  }
  const nd = input._shape.length;
  const axis = nd - ns.length;
  if (axis < 0 || !sameShape(input._shape.slice(axis), ns)) {
    throw new RuntimeError(
      `Given normalized_shape=${sizesStr(ns)}, expected input with shape [*${ns.map((s) => `, ${s}`).join("")}], but got input of size${sizesStr(input._shape)}`,
    );
  }
  return [numelOf(input._shape.slice(0, axis)), numelOf(ns)];
}

function layerNormRule(input: Tensor, ns: number[], weight: Opt<Tensor>, bias: Opt<Tensor>): TensorSpec[] {
  const [w, b] = [orNull(weight), orNull(bias)];
  checkMixedDType(input, [w, b]);
  checkLayerNormInputs(input, ns, w, b);
  const axis = input._shape.length - ns.length;
  const stat = [...input._shape.slice(0, axis), ...ns.map(() => 1)];
  return [{ shape: input._shape, dtype: input.dtype }, { shape: stat, dtype: input.dtype }, { shape: stat, dtype: input.dtype }];
}

function layerNormCpu([out, mean, rstd]: Tensor[], input: Tensor, ns: number[], weight: Opt<Tensor>, bias: Opt<Tensor>, eps: number): void {
  const [w, b] = [orNull(weight), orNull(bias)];
  const [m, n] = checkLayerNormInputs(input, ns, w, b);
  if (!isFloat(input.dtype)) throw dispatchError("LayerNormKernelImpl", input.dtype);
  checkParamDTypes(input, [w, b]);
  layerNormInto(out!, mean!, rstd!, input, w, b, eps, m, n);
}

function batchNormRule(input: Tensor, weight: Opt<Tensor>, bias: Opt<Tensor>, rm: Opt<Tensor>, rv: Opt<Tensor>, training: boolean): TensorSpec[] {
  const c = input._shape[wrapDim(1, input._shape.length)]!;
  const params = [orNull(weight), orNull(bias), orNull(rm), orNull(rv)];
  checkMixedDType(input, params);
  const names = ["weight", "bias", "running_mean", "running_var"];
  params.forEach((p, i) => {
    // PyTorch reads C elements of each parameter without a check; fewer would read out of bounds
    if (p && p.numel() < c) throw new RuntimeError(`${names[i]} should contain ${c} elements not ${p.numel()}`);
  });
  if (!training && (!params[2] || !params[3])) {
    throw new RuntimeError(`${params[2] ? "running_var" : "running_mean"} must be defined in evaluation mode`);
  }
  const stat = training ? [c] : [0];
  return [
    { shape: input._shape, dtype: input.dtype, strides: formatStrides(input._shape, suggestsChannelsLast(input)) },
    { shape: stat, dtype: input.dtype },
    { shape: stat, dtype: input.dtype },
  ];
}

function batchNormCpu(
  [out, saveMean, saveInvstd]: Tensor[],
  input: Tensor,
  weight: Opt<Tensor>,
  bias: Opt<Tensor>,
  rm: Opt<Tensor>,
  rv: Opt<Tensor>,
  training: boolean,
  momentum: number,
  eps: number,
): void {
  if (!isFloat(input.dtype)) throw dispatchError("batch_norm", input.dtype);
  const [w, b, m, v] = [orNull(weight), orNull(bias), orNull(rm), orNull(rv)];
  checkParamDTypes(input, [w, b, m, v]);
  batchNormInto(out!, saveMean!, saveInvstd!, input, { weight: w, bias: b, runningMean: m, runningVar: v, training, momentum, eps });
}

/** at::toAccumulateType(dtype, CPU): floats accumulate in double, integers in int64. */
function accType(d: DType): DType {
  return d === "bool" ? "bool" : isFloat(d) ? "float64" : "int64";
}

/** _batch_norm_impl_index: the checks, then native_batch_norm (CPU has no cuDNN/MIOpen path). */
function batchNormImplIndex(
  input: Tensor,
  weight: Opt<Tensor>,
  bias: Opt<Tensor>,
  rm: Opt<Tensor>,
  rv: Opt<Tensor>,
  training: boolean,
  momentum: number,
  eps: number,
): unknown[] {
  const [w, b, m, v] = [orNull(weight), orNull(bias), orNull(rm), orNull(rv)];
  const c = input._shape[1]!;
  const empty = (size: number[], dtype: DType): Tensor => callOp("aten::empty.memory_format", [size, dtype, null, input.device, null, null]) as Tensor;
  if (input.numel() === 0) {
    const reserve = empty([0], "uint8");
    const saveMean = empty([c], accType(input.dtype));
    const saveInvstd = empty([c], accType(input.dtype));
    // not a view of the input, and not a fresh tensor: keeps the gradient chain
    let out = callOp("aten::clone", [input, null]) as Tensor;
    if (w) out = callOp("aten::mul.Tensor", [out, callOp("aten::select.int", [w, 0, 0])]) as Tensor;
    if (b) out = callOp("aten::add.Tensor", [out, callOp("aten::select.int", [b, 0, 0]), 1]) as Tensor;
    return [out, saveMean, saveInvstd, reserve, 0];
  }
  const check = (name: string, t: Tensor | null): void => {
    if (t && t.numel() !== c) throw new RuntimeError(`${name} should contain ${c} elements not ${t.numel()}`);
  };
  if (m) check("running_mean", m);
  else if (!training) throw new RuntimeError("running_mean must be defined in evaluation mode");
  if (v) check("running_var", v);
  else if (!training) throw new RuntimeError("running_var must be defined in evaluation mode");
  check("weight", w);
  check("bias", b);
  const reserve = empty([0], "uint8");
  const outs = callOp("aten::native_batch_norm", [input, w, b, m, v, training, momentum, eps]) as Tensor[];
  return [...outs, reserve, 0];
}

/** The normalization operators, in native_functions.yaml order. */
export const normOps: readonly OpDecl[] = [
  {
    schema: "batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps, bool cudnn_enabled) -> Tensor",
    composite: ((...args: unknown[]) => (callOp("aten::_batch_norm_impl_index", args) as unknown[])[0]) as never,
  },
  {
    schema: "_batch_norm_impl_index(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps, bool cudnn_enabled) -> (Tensor, Tensor, Tensor, Tensor, int)",
    composite: batchNormImplIndex as never,
  },
  {
    schema: "layer_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, bool cudnn_enable=True) -> Tensor",
    composite: ((input: Tensor, ns: number[], weight: Opt<Tensor>, bias: Opt<Tensor>, eps: number) =>
      (callOp("aten::native_layer_norm", [input, ns, orNull(weight), orNull(bias), eps]) as Tensor[])[0]) as never,
  },
  {
    schema: "native_layer_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight, Tensor? bias, float eps) -> (Tensor, Tensor, Tensor)",
    meta: layerNormRule as never,
    cpu: layerNormCpu as never,
  },
  {
    schema: "native_batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps) -> (Tensor, Tensor, Tensor)",
    meta: batchNormRule as never,
    cpu: batchNormCpu as never,
  },
];
