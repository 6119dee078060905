// Finite-difference gradient checking (PyTorch's gradcheck, for first derivatives): analytical
// gradients from autograd.grad against central differences in float64 (eps 1e-6, atol 1e-5,
// rtol 1e-3), on small deterministic inputs. Cases are (label, op or function, arguments).
import { expect } from "vitest";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

/** A differentiable float64 input of the case: values in [-1, 1) * scale + offset, no ties. */
export interface Leaf {
  readonly leaf: true;
  readonly shape: number[];
  readonly scale: number;
  readonly offset: number;
  /** Values are given (e.g. away from a kink). */
  readonly values?: number[];
  /** Not differentiated (a constant float input). */
  readonly constant?: boolean;
}

/** A float64 leaf of `shape` (optionally scaled/shifted, or with explicit values). */
export function x(shape: number[], opts: { scale?: number; offset?: number; values?: number[]; constant?: boolean } = {}): Leaf {
  return { leaf: true, shape, scale: opts.scale ?? 1, offset: opts.offset ?? 0, values: opts.values, constant: opts.constant };
}
/** A positive leaf (logs, roots, divisors). */
export const pos = (shape: number[], offset = 1.5): Leaf => x(shape, { scale: 0.5, offset });
/** An int64 tensor. */
export const ints = (values: number[], shape = [values.length]): Tensor => torch.tensor(values, { dtype: "int64" }).reshape(shape);
/** A bool tensor. */
export const bools = (values: boolean[], shape = [values.length]): Tensor => torch.tensor(values).reshape(shape);

/** One gradcheck case. */
export interface Case {
  readonly label: string;
  /** The aten op (`aten::sub.Tensor`) or a function of the materialized arguments. */
  readonly op: string | ((...args: unknown[]) => unknown);
  readonly args: readonly unknown[];
  readonly kwargs?: Readonly<Record<string, unknown>>;
  /** Which output of a multi-output op is differentiated (default 0). */
  readonly pick?: number;
}

/** A case calling an aten op. */
export const c = (label: string, op: string, args: unknown[], kwargs?: Record<string, unknown>, pick?: number): Case => ({ label, op, args, kwargs, pick });
/** A case running a function (in-place forms on an intermediate, compositions). */
export const f = (label: string, fn: (...args: Tensor[]) => unknown, args: unknown[], pick?: number): Case => ({ label, op: fn as (...a: unknown[]) => unknown, args, pick });

const isLeaf = (v: unknown): v is Leaf => typeof v === "object" && v !== null && (v as Leaf).leaf === true;

/** Deterministic distinct values in [-1, 1): a permutation of a uniform grid. */
function valuesFor(l: Leaf, salt: number): number[] {
  const n = l.shape.reduce((a, b) => a * b, 1);
  if (l.values) return l.values.slice();
  const m = [7, 11, 13, 17, 19, 23].find((p) => (n + 1) % p !== 0)!;
  return Array.from({ length: n }, (_, i) => {
    const k = (i * m + salt * 3 + 1) % (n + 1);
    return ((2 * (k + 0.37)) / (n + 1) - 1) * l.scale + l.offset;
  });
}

function materialize(args: readonly unknown[], data: number[][]): { args: unknown[]; leaves: Tensor[] } {
  const leaves: Tensor[] = [];
  let k = 0;
  const conv = (v: unknown): unknown => {
    if (isLeaf(v)) {
      const t = torch.tensor(data[k++]!, { dtype: "float64" }).reshape(v.shape);
      if (!v.constant) leaves.push(t.requiresGrad_(true));
      return t;
    }
    return Array.isArray(v) ? v.map(conv) : v;
  };
  return { args: args.map(conv), leaves };
}

function leafSpecs(args: readonly unknown[]): Leaf[] {
  const out: Leaf[] = [];
  const walk = (v: unknown): void => {
    if (isLeaf(v)) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
  };
  args.forEach(walk);
  return out;
}

function evaluate(cs: Case, args: unknown[]): Tensor {
  const r = typeof cs.op === "string" ? call(cs.op, args, cs.kwargs) : cs.op(...args);
  return (Array.isArray(r) ? r[cs.pick ?? 0] : r) as Tensor;
}

function call(name: string, args: unknown[], kwargs?: Readonly<Record<string, unknown>>): unknown {
  const op = torch.lookupOp(name);
  if (!op) throw new Error(`no operator ${name}`);
  return kwargs && Object.keys(kwargs).length ? op(...args, { ...kwargs }) : op(...args);
}

/** Fixed output weights, so every output element contributes differently. */
function weights(out: Tensor): Tensor {
  const n = out.numel();
  return torch.tensor(Array.from({ length: n }, (_, i) => 0.3 + ((i * 5) % 7) / 7), { dtype: "float64" }).reshape([...out.shape]);
}

/**
 * Checks the case's analytical gradients against central differences of sum(out * W).
 * @example
 * gradcheck(c("sin", "aten::sin", [x([2, 3])]))
 */
export function gradcheck(cs: Case, eps = 1e-6, atol = 1e-5, rtol = 1e-3): void {
  const specs = leafSpecs(cs.args);
  const data = specs.map((s, i) => valuesFor(s, i));
  const { args, leaves } = materialize(cs.args, data);
  const out = evaluate(cs, args);
  expect(out.requiresGrad, `${cs.label}: the output requires grad`).toBe(true);
  const w = weights(out);
  const analytic = torch.autograd.grad([out.mul(w).sum()], leaves, { allowUnused: true });
  const lossAt = (d: number[][]): number =>
    torch.noGrad(() => {
      const o = evaluate(cs, materialize(cs.args, d).args);
      return Number(o.to("float64").mul(w).sum().item());
    });
  let li = 0;
  specs.forEach((spec, si) => {
    if (spec.constant) return;
    const got = analytic[li++];
    const gotVals = got ? (got.reshape([-1]).tolist() as number[]) : new Array<number>(data[si]!.length).fill(0);
    data[si]!.forEach((v, e) => {
      const plus = data.map((d) => d.slice());
      const minus = data.map((d) => d.slice());
      plus[si]![e] = v + eps;
      minus[si]![e] = v - eps;
      const numeric = (lossAt(plus) - lossAt(minus)) / (2 * eps);
      const a = gotVals[e]!;
      expect(Math.abs(a - numeric), `${cs.label}: d/d input${si}[${e}]: analytic ${a}, numeric ${numeric}`).toBeLessThanOrEqual(atol + rtol * Math.abs(numeric));
    });
  });
}

/**
 * Second derivatives, as PyTorch's gradgradcheck: h = sum(grad_x(sum(out * W)) * V) is
 * differentiated (createGraph) with respect to the inputs and to the output weights W (which
 * reaches the double-backward rows of backward ops), against central differences of h.
 * @example
 * gradgradcheck(c("tanh", "aten::tanh", [x([2, 3])]))
 */
export function gradgradcheck(cs: Case, eps = 1e-6, atol = 1e-5, rtol = 1e-3): void {
  const specs = leafSpecs(cs.args);
  const data = specs.map((s, i) => valuesFor(s, i));
  const probe = torch.noGrad(() => evaluate(cs, materialize(cs.args, data).args));
  data.push(weights(probe).reshape([-1]).tolist() as number[]);
  const firstOrder = (d: number[][], create: boolean): { inputs: Tensor[]; h: Tensor } => {
    const { args, leaves } = materialize(cs.args, d);
    const out = evaluate(cs, args);
    const w = torch.tensor(d[d.length - 1]!, { dtype: "float64" }).reshape([...out.shape]).requiresGrad_(create);
    const grads = torch.autograd.grad([out.mul(w).sum()], leaves, { createGraph: create, allowUnused: true });
    let h: Tensor | null = null;
    for (const g of grads) {
      if (!g) continue;
      const term = g.mul(weights(g)).sum();
      h = h === null ? term : h.add(term);
    }
    return { inputs: [...leaves, w], h: h! };
  };
  const { inputs, h } = firstOrder(data, true);
  const analytic = h.requiresGrad ? torch.autograd.grad([h], inputs, { allowUnused: true }) : inputs.map(() => null);
  const rows = [...specs.map((s, i) => (s.constant ? -1 : i)).filter((i) => i >= 0), data.length - 1];
  rows.forEach((row, k) => {
    const got = analytic[k];
    const gotVals = got ? (got.reshape([-1]).tolist() as number[]) : new Array<number>(data[row]!.length).fill(0);
    data[row]!.forEach((v, e) => {
      const at = (delta: number) => {
        const d = data.map((r) => r.slice());
        d[row]![e] = v + delta;
        return Number(firstOrder(d, false).h.item());
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      expect(Math.abs(gotVals[e]! - numeric), `${cs.label}: d2/d input${row}[${e}]: analytic ${gotVals[e]}, numeric ${numeric}`).toBeLessThanOrEqual(
        atol + rtol * Math.abs(numeric),
      );
    });
  });
}
