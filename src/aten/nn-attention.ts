// Scaled dot-product attention, after PyTorch 2.14's transformers/attention.cpp, sdp_utils_cpp.cpp
// and cpu/FlashAttentionKernel.cpp (our own code):
// - `scaled_dot_product_attention` (CompositeImplicitAutograd): input checks, 3-d inputs run as a
//   batch of one (unsqueeze, then squeeze.dim), empty inputs give zeros tied to the inputs, and
//   the CPU backend choice: the flash kernel for 4-d float inputs without dropout with matching
//   batch/heads (or MQA/GQA), a 2-d/4-d mask of broadcastable shape not requiring grad, equal
//   head sizes and unit last-dim strides; otherwise the math path. A bool mask becomes an additive
//   float mask (scalar_tensor, scalar_tensor, where.self) first.
// - `_scaled_dot_product_attention_math` (CompositeImplicitAutograd): q, k scaled by sqrt(scale),
//   matmul, + mask, `_safe_softmax`, dropout (consuming the RNG as `dropout` does), matmul.
// - `_safe_softmax` (CompositeExplicitAutograd): softmax with fully -inf rows set to 0.
// - `_scaled_dot_product_flash_attention_for_cpu` and its backward (CPU + Meta), with PyTorch's
//   checks, messages and output layouts (output like `empty_like(query)`, logsumexp [B, H, L]
//   laid out as [B, L, H], gradients laid out as [B, T, H, D]).

import { IndexError, RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { flashAttentionBackwardInto, flashAttentionInto, maskView } from "../backends/cpu/attention-kernels.js";
import { type DType, typeMetaName } from "../tensor/dtype.js";
import { contiguousStrides } from "../tensor/shape.js";
import { cppName } from "../tensor/type-promotion.js";
import type { Tensor } from "../tensor/tensor.js";
import { DispatchKey } from "../core/dispatch-key.js";
import { ksHas } from "../core/dispatch-key-set.js";
import { dispatchModeEnabled } from "../torch-dispatch/mode-stack.js";
import { expandedStrides } from "./linalg-common.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { inferDenseStrides, isNonOverlappingAndDense } from "./shape-geometry.js";
import { isFloat, type Opt } from "./nn-util.js";

const op = (name: string, ...args: unknown[]): Tensor => callOp(name, args) as Tensor;
const ops = (name: string, ...args: unknown[]): Tensor[] => callOp(name, args) as Tensor[];
const FLASH = "scaled_dot_product_attention_flash_attention";


/** `t.size(d)` with PyTorch's IndexError. */
function sizeAt(t: Tensor, d: number): number {
  const n = t._shape.length;
  if (d < -n || d >= n) throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${d})`);
  return t._shape[d < 0 ? d + n : d]!;
}

const has = (t: Opt<Tensor>): t is Tensor => t !== null && t !== undefined;

/** sdp::calculate_scale: the given scale, else 1 / sqrt(head size). */
function softmaxScale(query: Tensor, scale: Opt<number>): number {
  return scale === null || scale === undefined ? 1 / Math.sqrt(sizeAt(query, -1)) : scale;
}

/** at::areAnyTensorSubclassLike: a dispatch mode is active or a tensor carries the Python key. */
function subclassLike(...ts: Tensor[]): boolean {
  return dispatchModeEnabled() || ts.some((t) => ksHas(t.keySet, DispatchKey.Python));
}

// ---------------------------------------------------------------- flash attention (CPU kernel)

/** The checks of `_scaled_dot_product_flash_attention_cpu` and its outputs' layouts. */
function flashRule(query: Tensor, key: Tensor, value: Tensor, dropoutP: number, _causal: boolean, attnMask: Opt<Tensor>): TensorSpec[] {
  const dtype = query.dtype;
  const B = sizeAt(query, 0);
  const L = sizeAt(query, 2);
  const H = sizeAt(query, 1);
  if (!isFloat(dtype)) throw new RuntimeError(`${FLASH}: Expected data type in FP32, FP64, BF16, FP16, but got ${cppName(dtype)} instead.`);
  if (query._shape.length !== 4 || key._shape.length !== 4 || value._shape.length !== 4) {
    throw new RuntimeError(`${FLASH}: Accept only 4 dims inputs shape of {B, H, T, K}`);
  }
  if (dropoutP !== 0) throw new RuntimeError(`${FLASH}: Currently do not support dropout > 0`);
  if (query._shape[3] !== value._shape[3] || key._shape[3] !== value._shape[3]) throw new RuntimeError(`${FLASH}: Q/K/V should have the same head size`);
  if (has(attnMask) && attnMask.dtype !== "float32" && attnMask.dtype !== dtype) throw new RuntimeError(`${FLASH}: Attention mask is the same data type as query`);
  if (has(attnMask) && attnMask._shape.length !== 2 && attnMask._shape.length !== 4) throw new RuntimeError(`${FLASH}: Attention mask dim in {2, 4}`);
  const outStrides = isNonOverlappingAndDense(query._shape, query._strides) ? query._strides.slice() : inferDenseStrides(query._shape, query._strides);
  const [sb, sl, sh] = contiguousStrides([B, L, H]) as [number, number, number];
  return [
    { shape: query._shape, dtype, strides: outStrides },
    { shape: [B, H, L], dtype, strides: [sb, sh, sl] },
  ];
}

/** The kernel's own checks: key/value read as the query's type, the mask expanded to [B, H, L, S]. */
function kernelInputs(query: Tensor, key: Tensor, value: Tensor, attnMask: Opt<Tensor>): ReturnType<typeof maskView> | null {
  for (const t of [key, value]) {
    if (t.dtype !== query.dtype) throw new RuntimeError(`expected scalar type ${cppName(query.dtype)} but found ${cppName(t.dtype)}`);
  }
  if (!has(attnMask)) return null;
  const [B, H, L] = query._shape as [number, number, number];
  return maskView(attnMask, expandedStrides(attnMask, [B, H, L, key._shape[2]!]));
}

function flashCpu(outs: Tensor[], query: Tensor, key: Tensor, value: Tensor, _p: number, causal: boolean, attnMask: Opt<Tensor>, scale: Opt<number>): void {
  const mask = kernelInputs(query, key, value, attnMask);
  flashAttentionInto(outs[0]!, outs[1]!, query, key, value, causal, mask, softmaxScale(query, scale));
}

/** Gradients laid out as [B, T, H, D] (zeros of the transposed sizes, transposed back). */
function transposedSpec(t: Tensor): TensorSpec {
  const [b, h, s, d] = t._shape as [number, number, number, number];
  const [sb, ss, sh, sd] = contiguousStrides([b, s, h, d]) as [number, number, number, number];
  return { shape: t._shape, dtype: t.dtype, strides: [sb, sh, ss, sd] };
}

function flashBackwardRule(_g: Tensor, query: Tensor, key: Tensor, value: Tensor): TensorSpec[] {
  for (const t of [query, key, value]) {
    if (t._shape.length !== 4) throw new RuntimeError(`${FLASH}: Accept only 4 dims inputs shape of {B, H, T, K}`);
  }
  return [transposedSpec(query), transposedSpec(key), transposedSpec(value)];
}

function flashBackwardCpu(
  outs: Tensor[],
  grad: Tensor,
  query: Tensor,
  key: Tensor,
  value: Tensor,
  out: Tensor,
  logsumexp: Tensor,
  _p: number,
  causal: boolean,
  attnMask: Opt<Tensor>,
  scale: Opt<number>,
): void {
  const mask = kernelInputs(query, key, value, attnMask);
  flashAttentionBackwardInto(outs[0]!, outs[1]!, outs[2]!, grad, query, key, value, out, logsumexp, causal, mask, softmaxScale(query, scale));
}

// ---------------------------------------------------------------- math path

/** `_safe_softmax`: softmax, with rows that are entirely -inf set to 0. */
function safeSoftmax(self: Tensor, dim: number, dtype: Opt<DType>): Tensor {
  const out = op("aten::softmax.int", self, dim, dtype ?? null);
  const negInf = op("aten::scalar_tensor", -Infinity, out.dtype, null, out.device, null);
  const masked = op("aten::eq.Tensor", self, negInf);
  const maskedRows = op("aten::all.dim", masked, dim, true);
  const zero = op("aten::scalar_tensor", 0, out.dtype, null, out.device, null);
  return op("aten::where.self", maskedRows, zero, out);
}

/** convert_boolean_attn_mask: a bool mask (True = attend) as an additive mask of `dtype`. */
function convertBooleanMask(mask: Opt<Tensor>, dtype: DType): Tensor | null {
  if (!has(mask)) return null;
  if (mask.dtype !== "bool") return mask;
  // C++ evaluates the arguments right to left
  const minusInf = op("aten::scalar_tensor", -Infinity, dtype, null, mask.device, null);
  const zero = op("aten::scalar_tensor", 0, dtype, null, mask.device, null);
  return op("aten::where.self", mask, zero, minusInf);
}

/** `t.repeat_interleave(repeats, dim)` for an int repeat (unsqueeze, expand, contiguous clone, view). */
function repeatInterleave(t: Tensor, repeats: number, dim: number): Tensor {
  const n = t._shape.length;
  const d = dim < 0 ? dim + n : dim;
  const u = op("aten::unsqueeze", t, d + 1);
  const sizes = u._shape.slice();
  sizes[d + 1] = repeats;
  const e = op("aten::expand", u, sizes, false);
  const outSize = t._shape.slice();
  outSize[d] = outSize[d]! * repeats;
  return op("aten::view", op("aten::clone", e, "contiguous_format"), outSize);
}

/** pre_process_group_query_attention_input: repeat key/value heads up to the query's (enable_gqa). */
function groupQueryInput(query: Tensor, key: Tensor, value: Tensor, enableGqa: boolean): [Tensor, Tensor] {
  if (!enableGqa) return [key, value];
  const [hq, hk, hv] = [sizeAt(query, -3), sizeAt(key, -3), sizeAt(value, -3)];
  const allEqual = hq === hk && hk === hv;
  if (!(allEqual || (hq % hk === 0 && hq % hv === 0))) throw new RuntimeError("Number of heads in key and value must divide the number of heads in ");
  if (allEqual) return [key, value];
  return [repeatInterleave(key, Math.trunc(hq / hk), -3), repeatInterleave(value, Math.trunc(hq / hv), -3)];
}

/** `_scaled_dot_product_attention_math`: returns (output, attention weights). */
function sdpaMath(
  query_: Tensor,
  key: Tensor,
  value: Tensor,
  attnMask_: Opt<Tensor>,
  dropoutP: number,
  isCausal: boolean,
  dropoutMask: Opt<Tensor>,
  scale: Opt<number>,
  enableGqa: boolean,
): Tensor[] {
  let attnMask: Tensor | null = has(attnMask_) ? attnMask_ : null;
  const negative = typeof scale === "number" && scale < 0;
  const factor = Math.sqrt(negative ? Math.abs(scale) : softmaxScale(query_, scale));
  const query = op("aten::mul.Scalar", query_, negative ? 0 - factor : factor);
  if (isCausal) {
    if (attnMask !== null) throw new RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
    const L = sizeAt(query, -2);
    const S = sizeAt(key, -2);
    attnMask = op("aten::tril", op("aten::ones", [L, S], "bool", null, query.device, null), 0);
    attnMask = convertBooleanMask(attnMask, query.dtype);
  }
  const [keyExpanded, valueExpanded] = groupQueryInput(query, key, value, enableGqa);
  let attn = op("aten::matmul", query, op("aten::mul.Scalar", op("aten::transpose.int", keyExpanded, -2, -1), factor));
  if (attnMask !== null) {
    attn = subclassLike(attn, attnMask) ? op("aten::add.Tensor", attn, attnMask, 1) : op("aten::add_.Tensor", attn, attnMask, 1);
  }
  attn = op("aten::_safe_softmax", attn, -1, null);
  if (dropoutP > 0) {
    if (has(dropoutMask)) {
      attn = op("aten::masked_fill.Scalar", attn, op("aten::logical_not", dropoutMask), 0);
      const scaling = 1 / (1 - dropoutP);
      return [op("aten::matmul", attn, op("aten::mul.Scalar", valueExpanded, scaling)), attn];
    }
    attn = op("aten::dropout", attn, dropoutP, true);
  }
  return [op("aten::matmul", attn, valueExpanded), attn];
}

// ---------------------------------------------------------------- scaled_dot_product_attention

function validateInput(query: Tensor, key: Tensor, value: Tensor, attnMask: Opt<Tensor>): void {
  if (query.dtype !== key.dtype || query.dtype !== value.dtype) {
    throw new RuntimeError(
      `Expected query, key, and value to have the same dtype, but got query.dtype: ${typeMetaName(query.dtype)} key.dtype: ${typeMetaName(key.dtype)} and value.dtype: ${typeMetaName(value.dtype)} instead.`,
    );
  }
  if (query.device !== key.device || query.device !== value.device) {
    throw new RuntimeError(
      `Expected query, key, and value to have the same device type, but got query.device: ${query.device} key.device: ${key.device} and value.device: ${value.device} instead.`,
    );
  }
  const [dq, dk, dv] = [query._shape.length, key._shape.length, value._shape.length];
  if (dq < 2 || dk < 2 || dv < 2) {
    throw new RuntimeError(`Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: ${dq} key.dim: ${dk} and value.dim: ${dv} instead.`);
  }
  if (has(attnMask)) {
    const m = attnMask.dtype;
    if (m !== "bool" && m !== "float32" && m !== query.dtype) {
      throw new RuntimeError(
        `Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: ${typeMetaName(m)} and  query.dtype: ${typeMetaName(query.dtype)} instead.`,
      );
    }
  }
}

/** sdp_utils_cpp's use_flash_attention_cpp: can the CPU flash kernel run these inputs? */
export function useFlashAttentionCpu(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  attnMask: Tensor | null,
  dropoutP: number,
  isCausal: boolean,
  enableGqa: boolean,
): boolean {
  if (dropoutP > 0) return false;
  // PyTorch 2.14 leaves a causal call with an explicit mask to the math path (which rejects it)
  if (isCausal && attnMask !== null) return false;
  if (query._shape.length !== 4 || key._shape.length !== 4 || value._shape.length !== 4) return false;
  const [B, H, L] = query._shape as [number, number, number];
  const [hk, hv] = [key._shape[1]!, value._shape[1]!];
  if (key._shape[0] !== B || value._shape[0] !== B) return false;
  if (enableGqa) {
    if (hk !== hv || H % hk !== 0) return false;
  } else if (!(H === hk && H === hv) && !(hk === 1 && hv === 1)) return false;
  if (attnMask !== null) {
    if (attnMask.requiresGrad) return false;
    const S = key._shape[2]!;
    const ms = attnMask._shape;
    const n = ms.length;
    const fits = (m: number | undefined, t: number) => m === t || m === 1;
    if (n < 2 || !fits(ms[n - 2], L) || !fits(ms[n - 1], S)) return false;
    if (n !== 2 && !(n === 4 && fits(ms[0], B) && fits(ms[1], H))) return false;
  }
  const D = query._shape[3]!;
  if (key._shape[3] !== D || value._shape[3] !== D) return false;
  if (L === 0 || key._shape[2] === 0) return false;
  if (query._strides[3] !== 1 || key._strides[3] !== 1 || value._strides[3] !== 1) return false;
  return isFloat(query.dtype);
}

function scaledDotProductAttention(
  query_: Tensor,
  key_: Tensor,
  value_: Tensor,
  attnMask_: Opt<Tensor>,
  dropoutP: number,
  isCausal: boolean,
  scale: Opt<number>,
  enableGqa: boolean,
): Tensor {
  validateInput(query_, key_, value_, attnMask_);
  let [query, key, value] = [query_, key_, value_];
  let attnMask: Tensor | null = has(attnMask_) ? attnMask_ : null;
  // 3-d inputs run as a batch of one
  const unbatched = query._shape.length === 3 && key._shape.length === 3 && value._shape.length === 3;
  if (unbatched) {
    query = op("aten::unsqueeze", query, 0);
    key = op("aten::unsqueeze", key, 0);
    value = op("aten::unsqueeze", value, 0);
    while (attnMask !== null && attnMask._shape.length < 4) attnMask = op("aten::unsqueeze", attnMask, 0);
  }
  const finish = (t: Tensor): Tensor => (unbatched ? op("aten::squeeze.dim", t, 0) : t);
  if (query.numel() === 0 || key.numel() === 0 || value.numel() === 0) {
    // zeros of the output's shape, still connected to the inputs for autograd
    const size = [...query._shape.slice(0, -1), value._shape[value._shape.length - 1]!];
    const zeros = op("aten::zeros", size, query.dtype, null, query.device, null);
    const qs = op("aten::sum", query, null);
    const ks = op("aten::sum", key, null);
    const vs = op("aten::sum", value, null);
    const total = op("aten::add.Tensor", op("aten::add.Tensor", qs, ks, 1), vs, 1);
    return finish(op("aten::add.Tensor", zeros, op("aten::mul.Scalar", total, 0), 1));
  }
  const flash = query.device === "cpu" && useFlashAttentionCpu(query, key, value, attnMask, dropoutP, isCausal, enableGqa);
  const mask = convertBooleanMask(attnMask, query.dtype);
  if (flash) return finish(ops("aten::_scaled_dot_product_flash_attention_for_cpu", query, key, value, dropoutP, isCausal, mask, scale ?? null)[0]!);
  return finish(ops("aten::_scaled_dot_product_attention_math", query, key, value, mask, dropoutP, isCausal, null, scale ?? null, enableGqa)[0]!);
}

/** The attention operators, in native_functions.yaml order. */
export const attentionOps: readonly OpDecl[] = [
  {
    schema: "_safe_softmax(Tensor self, int dim, ScalarType? dtype=None) -> Tensor",
    explicit: safeSoftmax as never,
  },
  {
    schema:
      "scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, float dropout_p=0.0, bool is_causal=False, *, float? scale=None, bool enable_gqa=False) -> Tensor",
    composite: scaledDotProductAttention as never,
  },
  {
    schema:
      "_scaled_dot_product_attention_math(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, float dropout_p=0.0, bool is_causal=False, Tensor? dropout_mask=None, *, float? scale=None, bool enable_gqa=False) -> (Tensor, Tensor)",
    composite: sdpaMath as never,
  },
  {
    schema:
      "_scaled_dot_product_flash_attention_for_cpu(Tensor query, Tensor key, Tensor value, float dropout_p=0.0, bool is_causal=False, *, Tensor? attn_mask=None, float? scale=None) -> (Tensor output, Tensor logsumexp)",
    meta: flashRule as never,
    cpu: flashCpu as never,
  },
  {
    schema:
      "_scaled_dot_product_flash_attention_for_cpu_backward(Tensor grad_out, Tensor query, Tensor key, Tensor value, Tensor out, Tensor logsumexp, float dropout_p, bool is_causal, *, Tensor? attn_mask=None, float? scale=None) -> (Tensor grad_query, Tensor grad_key, Tensor grad_value)",
    meta: flashBackwardRule as never,
    cpu: flashBackwardCpu as never,
  },
];
