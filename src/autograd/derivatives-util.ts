// The vocabulary derivative formulas are written in: dispatched ops (so modes see the backward
// ops), PyTorch's FunctionsManual helpers that several formulas share, and `formula()`, which
// turns a derivatives.yaml-style row into a `Derivative` computing gradients in PyTorch's order.

import { DispatchKey } from "../core/dispatch-key.js";
import { ksHas } from "../core/dispatch-key-set.js";
import { callOp } from "../dispatcher/call-op.js";
import { Tensor } from "../tensor/tensor.js";
import { dispatchModeEnabled } from "../torch-dispatch/mode-stack.js";
import type { Derivative, Saved } from "./formula.js";

/** A JS scalar where a schema says `Scalar`. */
export type Scalar = number | boolean | bigint;
/** A gradient that may be undefined (PyTorch's undefined Tensor). */
export type G = Tensor | null;

/** The value as a Tensor (formulas read their saved values untyped). */
export const T = (v: unknown): Tensor => v as Tensor;
/** Calls `aten::<name>` with every argument in schema order. */
export const op = (name: string, ...args: unknown[]): Tensor => callOp(name, args) as Tensor;
/** The same for multi-output ops. */
export const ops = (name: string, ...args: unknown[]): Tensor[] => callOp(name, args) as Tensor[];

/** `a * b` (mul.Tensor). */
export const mul = (a: Tensor, b: Tensor): Tensor => op("aten::mul.Tensor", a, b);
/** `a * s` with a C++ scalar (mul.Scalar). */
export const mulScalar = (a: Tensor, s: Scalar): Tensor => op("aten::mul.Scalar", a, s);
/** `a / b` (div.Tensor). */
export const div = (a: Tensor, b: Tensor): Tensor => op("aten::div.Tensor", a, b);
/** `a / s` with a C++ scalar (div.Scalar). */
export const divScalar = (a: Tensor, s: Scalar): Tensor => op("aten::div.Scalar", a, s);
/** `a - b` (sub.Tensor). */
export const sub = (a: Tensor, b: Tensor): Tensor => op("aten::sub.Tensor", a, b, 1);
/** `-a`. */
export const neg = (a: Tensor): Tensor => op("aten::neg", a);
/** The transpose of a matrix (aten::t). */
export const t = (a: Tensor): Tensor => op("aten::t", a);
/** `a.unsqueeze(d)`. */
export const unsqueeze = (a: Tensor, d: number): Tensor => op("aten::unsqueeze", a, d);
/** `a.expand(size)`. */
export const expand = (a: Tensor, size: readonly number[]): Tensor => op("aten::expand", a, size.slice(), false);
/** `a.reshape(size)` (CompositeImplicit: a view or a copy). */
export const reshape = (a: Tensor, size: readonly number[]): Tensor => op("aten::reshape", a, size.slice());
/** `a.sum(dims, keepdim)` (sum.dim_IntList). */
export const sumDims = (a: Tensor, dims: readonly number[] | null, keepdim: boolean): Tensor =>
  op("aten::sum.dim_IntList", a, dims === null ? null : dims.slice(), keepdim, null);
/**
 * `zeros_like(a)`.
 * @example
 * torch.zerosLike(x)
 */
export const zerosLike = (a: Tensor): Tensor => op("aten::zeros_like", a, null, null, null, null, null);
/**
 * `at::scalar_tensor(v, like.options())`.
 * @example
 * torch.scalarTensor(3) // tensor(3.)
 */
export const scalarTensor = (v: number, like: Tensor): Tensor => op("aten::scalar_tensor", v, like.dtype, null, like.device, null);
/** `where(cond, a, b)` (where.self). */
export const where = (cond: Tensor, a: Tensor, b: Tensor): Tensor => op("aten::where.self", cond, a, b);
/** `like.new_zeros(size)`. */
export const newZeros = (like: Tensor, size: readonly number[]): Tensor => op("aten::new_zeros", like, size.slice(), null, null, null, null);
/** `t.to(dtype)`: no op when the dtype already matches. */
export const toDtype = (a: Tensor, dtype: string): Tensor => op("aten::to.dtype", a, dtype, false, false, null);

/** C++'s `scalar - tensor`: empty_like(t).fill_(scalar).sub_(t). */
export function scalarMinus(v: number, x: Tensor): Tensor {
  return op("aten::sub_.Tensor", filledLike(x, v), x, 1);
}

/** C++'s `scalar / tensor`: empty_like(t).fill_(scalar).div_(t). */
export function scalarOver(v: Scalar, x: Tensor): Tensor {
  return op("aten::div_.Tensor", filledLike(x, v), x);
}

const filledLike = (x: Tensor, v: Scalar): Tensor => op("aten::fill_.Scalar", op("aten::empty_like", x, null, null, null, null, null), v);

/** PyTorch's maybe_multiply: `t * s` (mul.Scalar) unless s is 1. */
export function maybeMultiply(a: Tensor, s: Scalar): Tensor {
  return Number(s) === 1 ? a : mulScalar(a, s);
}

/**
 * PyTorch's isTensorSubclassLike over several tensors: a dispatch mode is active, or a tensor
 * carries the Python key. Formulas then take their out-of-place branches, as PyTorch does.
 */
export function subclassLike(...ts: ReadonlyArray<Tensor | null>): boolean {
  if (dispatchModeEnabled()) return true;
  return ts.some((x) => x !== null && ksHas(x.keySet, DispatchKey.Python));
}

/** A dim wrapped into [0, n) (0-dim tensors accept -1 and 0). */
export function wrap(d: number, n: number): number {
  return d < 0 ? d + Math.max(n, 1) : d;
}

/** PyTorch's unsqueeze_multiple: unsqueezes the (reduced) dims, in increasing order. */
export function unsqueezeMultiple(g: Tensor, dims: readonly number[] | null, n: number): Tensor {
  if (dims !== null && dims.length === 0) return g;
  if (dims !== null && dims.length === 1) return unsqueeze(g, dims[0]!);
  const set = new Set((dims ?? Array.from({ length: n }, (_, i) => i)).map((d) => wrap(d, n)));
  let r = g;
  for (let i = 0; i < n; i++) if (set.has(i)) r = unsqueeze(r, i);
  return r;
}

/** PyTorch's sum_backward: unsqueeze the reduced dims (when !keepdim), then expand. */
export function sumBackward(g: Tensor, sizes: readonly number[], dims: readonly number[] | null, keepdim: boolean): Tensor {
  if (!keepdim && sizes.length > 0 && dims !== null && dims.length > 0) return expand(unsqueezeMultiple(g, dims, sizes.length), sizes);
  return expand(g, sizes);
}

/** PyTorch's _safe_size: the number of elements a reduction over `dims` combines. */
export function safeSize(sizes: readonly number[], dims: readonly number[]): number {
  if (sizes.length === 0) return 1;
  return dims.reduce((acc, d) => acc * sizes[wrap(d, sizes.length)]!, 1);
}

/** The gradient of one input (or, for a group key "a, b", of several) from the node's grads. */
type GradRule = (g: Tensor, s: Saved, needs: Readonly<Record<string, boolean>>, grads: readonly G[]) => G | G[];

/** A derivatives.yaml row with named inputs. */
export interface FormulaSpec {
  /** `aten::sub.Tensor` */
  readonly op: string;
  /** `SubBackward0` */
  readonly name: string;
  /** Differentiable inputs by name, in argument order: `{ self: 0, other: 1 }`. */
  readonly inputs: Readonly<Record<string, number>>;
  /** Saved values: inputs first, then outputs in name order (outputs unpack as a `detach`). */
  readonly save?: (args: readonly unknown[], out: unknown) => Saved;
  /** Gradient rules by input name, or by a group "input, weight, bias" returning one per name. */
  readonly grads: Readonly<Record<string, GradRule>>;
  /** Which outputs are differentiable (default: floating tensor outputs). */
  readonly differentiableOutputs?: readonly number[];
  /** Compute even when the first output's gradient is undefined (multi-output formulas). */
  readonly anyGrad?: boolean;
}

/**
 * A `Derivative` from a row. As PyTorch's generated code, rules run in the sorted order of their
 * keys (`other` before `self`), each only when one of its inputs needs a gradient.
 */
export function formula(spec: FormulaSpec): Derivative {
  const names = Object.keys(spec.inputs);
  const keys = Object.keys(spec.grads).sort();
  return {
    op: spec.op,
    name: spec.name,
    inputs: names.map((n) => spec.inputs[n]!),
    save: spec.save ?? (() => ({})),
    ...(spec.differentiableOutputs ? { differentiableOutputs: spec.differentiableOutputs } : {}),
    backward: (rawGrads, saved, needs) => {
      const out: G[] = names.map(() => null);
      // the engine leaves holes for outputs that received no gradient
      const grads = Array.from(rawGrads, (x) => x ?? null);
      const g = grads[0] ?? null;
      if (g === null && !(spec.anyGrad && grads.some((x) => x !== null))) return out;
      const need: Record<string, boolean> = {};
      names.forEach((n, i) => (need[n] = needs[i] ?? false));
      for (const key of keys) {
        const group = key.split(",").map((s) => s.trim());
        if (!group.some((n) => need[n])) continue;
        const r = spec.grads[key]!(g as Tensor, saved, need, grads);
        const list = Array.isArray(r) ? r : [r];
        group.forEach((n, i) => {
          const at = names.indexOf(n);
          if (at >= 0 && need[n]) out[at] = list[i] ?? null;
        });
      }
      return out;
    },
  };
}

/** A one-input row: `self` is argument 0; `save` keeps what the rule reads. */
export function unaryFormula(
  opName: string,
  name: string,
  rule: (g: Tensor, s: Saved) => Tensor | null,
  save: (args: readonly unknown[], out: unknown) => Saved = () => ({}),
): Derivative {
  return formula({ op: opName, name, inputs: { self: 0 }, save, grads: { self: (g, s) => rule(g, s) } });
}

/** Saves `self` (argument 0). */
export const saveSelf = (args: readonly unknown[]): Saved => ({ self: args[0] });
/** Saves the result (an output: it unpacks as a `detach`, as PyTorch's saved outputs). */
export const saveResult = (_args: readonly unknown[], out: unknown): Saved => ({ result: out });

/** The same row for the op and its in-place form (PyTorch derives `exp_`'s from `exp`'s). */
export function withInplace(d: Derivative, inplaceOp: string): Derivative[] {
  return [d, { ...d, op: inplaceOp }];
}

export { Tensor };
