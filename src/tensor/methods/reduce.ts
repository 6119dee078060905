// Tensor methods and top-level functions of the reduce family (x.sum(1, true), torch.sort(x)),
// mapped onto aten overloads the way PyTorch's Python bindings pick them (x.var() calls
// var.correction, x.norm() calls linalg_vector_norm). Multi-output ops return [values, indices].

import { callOp } from "../../dispatcher/call-op.js";
import { isKwargs } from "../../dispatcher/argument-parser.js";
import type { DType } from "../dtype.js";
import { Tensor } from "../tensor.js";

/** A dim, several dims, or null for all of them. */
export type Dims = number | readonly number[] | null;
/** Options of the reductions that take an output dtype. */
export interface DTypeOptions {
  dtype?: DType;
}
/** Options of var/std: PyTorch's correction (default 1) or unbiased, and keepdim. */
export interface VarianceOptions {
  correction?: number;
  unbiased?: boolean;
  keepdim?: boolean;
}
/** Options of sort. */
export interface SortOptions {
  stable?: boolean;
  dim?: number;
  descending?: boolean;
}

declare module "../tensor.js" {
  interface Tensor {
    /** Sum of all elements, or over `dim` (`aten::sum` / `sum.dim_IntList`); ints and bool sum to int64. */
    sum(opts?: DTypeOptions): Tensor;
    sum(dim: Dims, opts: DTypeOptions): Tensor;
    sum(dim: Dims, keepdim?: boolean, opts?: DTypeOptions): Tensor;
    /** Mean (`aten::mean` / `mean.dim`); needs a floating dtype. */
    mean(opts?: DTypeOptions): Tensor;
    mean(dim: Dims, opts: DTypeOptions): Tensor;
    mean(dim: Dims, keepdim?: boolean, opts?: DTypeOptions): Tensor;
    /** Product of all elements, or along one dim (`aten::prod` / `prod.dim_int`). */
    prod(opts?: DTypeOptions): Tensor;
    prod(dim: number, opts: DTypeOptions): Tensor;
    prod(dim: number, keepdim?: boolean, opts?: DTypeOptions): Tensor;
    /** Largest value over dims (all by default); NaN propagates. */
    amax(dim?: Dims, keepdim?: boolean): Tensor;
    amin(dim?: Dims, keepdim?: boolean): Tensor;
    /** Largest value of all (`aten::max`), or `[values, indices]` along `dim` (`max.dim`). */
    max(): Tensor;
    max(dim: number, keepdim?: boolean): [Tensor, Tensor];
    min(): Tensor;
    min(dim: number, keepdim?: boolean): [Tensor, Tensor];
    /** Index of the first largest value (of the flattened tensor when dim is omitted). */
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
    /** Variance (`aten::var.correction`): `x.var()`, `x.var(1, { correction: 0 })`, `x.var(1, false, true)`. */
    var(dim?: Dims | VarianceOptions, unbiased?: boolean | VarianceOptions, keepdim?: boolean): Tensor;
    /** Standard deviation (`aten::std.correction`), arguments as var. */
    std(dim?: Dims | VarianceOptions, unbiased?: boolean | VarianceOptions, keepdim?: boolean): Tensor;
    /** Are all elements nonzero (`all`, `all.dim`, `all.dims`)? */
    all(dim?: Dims, keepdim?: boolean): Tensor;
    /** Is any element nonzero (`any`, `any.dim`, `any.dims`)? */
    any(dim?: Dims, keepdim?: boolean): Tensor;
    /** log(sum(exp(x))) over `dim`, computed stably. */
    logsumexp(dim: Dims, keepdim?: boolean): Tensor;
    /** Cumulative sum along `dim`. */
    cumsum(dim: number, opts?: DTypeOptions): Tensor;
    cumsum_(dim: number, opts?: DTypeOptions): Tensor;
    /** Vector norm (PyTorch's torch.norm: `aten::linalg_vector_norm`); p "fro" is 2. */
    norm(p?: number | string | null, dim?: Dims, keepdim?: boolean, opts?: DTypeOptions): Tensor;
    /** Sorted values and their indices along `dim` (default -1). */
    sort(dim?: number | SortOptions, descending?: boolean, opts?: SortOptions): [Tensor, Tensor];
    /** The k largest (or smallest) values and their indices along `dim` (default -1). */
    topk(k: number, dim?: number, largest?: boolean, sorted?: boolean): [Tensor, Tensor];
  }
}

const P = Tensor.prototype;

function dimList(dim: Dims): number[] | null {
  return dim === null ? null : typeof dim === "number" ? [dim] : dim.slice();
}

/** Splits `(dim?, keepdim?, opts?)` where the options object may come at any position. */
function splitArgs<O extends object>(args: readonly unknown[]): { dim: Dims | undefined; keepdim: boolean; opts: O } {
  const rest = args.slice();
  while (rest.length > 0 && rest[rest.length - 1] === undefined) rest.pop();
  const opts = (isKwargs(rest[rest.length - 1]) ? rest.pop() : {}) as O;
  return { dim: rest[0] as Dims | undefined, keepdim: (rest[1] as boolean | undefined) ?? false, opts };
}

P.sum = function (this: Tensor, ...args: unknown[]) {
  const { dim, keepdim, opts } = splitArgs<DTypeOptions>(args);
  const dtype = opts.dtype ?? null;
  return (dim === undefined ? callOp("aten::sum", [this, dtype]) : callOp("aten::sum.dim_IntList", [this, dimList(dim), keepdim, dtype])) as Tensor;
} as Tensor["sum"];

P.mean = function (this: Tensor, ...args: unknown[]) {
  const { dim, keepdim, opts } = splitArgs<DTypeOptions>(args);
  const dtype = opts.dtype ?? null;
  return (dim === undefined ? callOp("aten::mean", [this, dtype]) : callOp("aten::mean.dim", [this, dimList(dim), keepdim, dtype])) as Tensor;
} as Tensor["mean"];

P.prod = function (this: Tensor, ...args: unknown[]) {
  const { dim, keepdim, opts } = splitArgs<DTypeOptions>(args);
  const dtype = opts.dtype ?? null;
  return (dim === undefined || dim === null ? callOp("aten::prod", [this, dtype]) : callOp("aten::prod.dim_int", [this, dim, keepdim, dtype])) as Tensor;
} as Tensor["prod"];

P.amax = function (this: Tensor, dim: Dims = [], keepdim = false) {
  return callOp("aten::amax", [this, dimList(dim) ?? [], keepdim]) as Tensor;
};
P.amin = function (this: Tensor, dim: Dims = [], keepdim = false) {
  return callOp("aten::amin", [this, dimList(dim) ?? [], keepdim]) as Tensor;
};

P.max = function (this: Tensor, dim?: number, keepdim = false) {
  return dim === undefined ? callOp("aten::max", [this]) : callOp("aten::max.dim", [this, dim, keepdim]);
} as Tensor["max"];
P.min = function (this: Tensor, dim?: number, keepdim = false) {
  return dim === undefined ? callOp("aten::min", [this]) : callOp("aten::min.dim", [this, dim, keepdim]);
} as Tensor["min"];

P.argmax = function (this: Tensor, dim: number | null = null, keepdim = false) {
  return callOp("aten::argmax", [this, dim, keepdim]) as Tensor;
};
P.argmin = function (this: Tensor, dim: number | null = null, keepdim = false) {
  return callOp("aten::argmin", [this, dim, keepdim]) as Tensor;
};

/** var/std arguments -> var.correction's (dim, correction, keepdim), as PyTorch's bindings map them. */
function varianceArgs(a: unknown, b: unknown, c: unknown): [number[] | null, number | null, boolean] {
  let dim: Dims = null;
  let opts: VarianceOptions = {};
  if (isKwargs(a)) opts = a as VarianceOptions;
  else if (a !== undefined) dim = a as Dims;
  if (isKwargs(b)) opts = b as VarianceOptions;
  else if (typeof b === "boolean") opts = { unbiased: b, keepdim: (c as boolean | undefined) ?? false };
  const correction = opts.correction ?? (opts.unbiased === undefined ? null : opts.unbiased ? 1 : 0);
  return [dimList(dim), correction, opts.keepdim ?? false];
}

P.var = function (this: Tensor, a?: unknown, b?: unknown, c?: unknown) {
  return callOp("aten::var.correction", [this, ...varianceArgs(a, b, c)]) as Tensor;
} as Tensor["var"];
P.std = function (this: Tensor, a?: unknown, b?: unknown, c?: unknown) {
  return callOp("aten::std.correction", [this, ...varianceArgs(a, b, c)]) as Tensor;
} as Tensor["std"];

function allAny(name: "all" | "any") {
  return function (this: Tensor, dim?: Dims, keepdim = false): Tensor {
    if (dim === undefined) return callOp(`aten::${name}`, [this]) as Tensor;
    if (typeof dim === "number") return callOp(`aten::${name}.dim`, [this, dim, keepdim]) as Tensor;
    return callOp(`aten::${name}.dims`, [this, dimList(dim), keepdim]) as Tensor;
  };
}
P.all = allAny("all");
P.any = allAny("any");

P.logsumexp = function (this: Tensor, dim: Dims, keepdim = false) {
  return callOp("aten::logsumexp", [this, dimList(dim) ?? [], keepdim]) as Tensor;
};
P.cumsum = function (this: Tensor, dim: number, opts?: DTypeOptions) {
  return callOp("aten::cumsum", [this, dim, opts?.dtype ?? null]) as Tensor;
};
P.cumsum_ = function (this: Tensor, dim: number, opts?: DTypeOptions) {
  return callOp("aten::cumsum_", [this, dim, opts?.dtype ?? null]) as Tensor;
};

P.norm = function (this: Tensor, p: number | string | null = "fro", dim: Dims = null, keepdim = false, opts?: DTypeOptions) {
  const dims = dimList(dim);
  const dtype = opts?.dtype ?? null;
  if (typeof p === "string") {
    if (p === "fro" && (dims === null || typeof dim === "number" || dims.length <= 2)) {
      return callOp("aten::linalg_vector_norm", [this, 2, dims, keepdim, dtype]) as Tensor;
    }
    const matrixDims = dims ?? [...this.shape.keys()];
    return callOp("aten::linalg_matrix_norm.str_ord", [this, p, matrixDims, keepdim, dtype]) as Tensor;
  }
  return callOp("aten::linalg_vector_norm", [this, p ?? 2, dims, keepdim, dtype]) as Tensor;
};

P.sort = function (this: Tensor, a?: number | SortOptions, b?: boolean, c?: SortOptions) {
  const opts: SortOptions = isKwargs(a) ? (a as SortOptions) : (c ?? {});
  const dim = typeof a === "number" ? a : (opts.dim ?? -1);
  const descending = b ?? opts.descending ?? false;
  const out = opts.stable === undefined ? callOp("aten::sort", [this, dim, descending]) : callOp("aten::sort.stable", [this, opts.stable, dim, descending]);
  return out as [Tensor, Tensor];
};
P.topk = function (this: Tensor, k: number, dim = -1, largest = true, sorted = true) {
  return callOp("aten::topk", [this, k, dim, largest, sorted]) as [Tensor, Tensor];
};

type Rest<K extends keyof Tensor> = Tensor[K] extends (...args: infer A) => unknown ? A : never;
type Call = (...args: unknown[]) => Tensor;

/** torch.sum(x, dim?, keepdim?, { dtype }?): see Tensor.sum. @example torch.sum(x, 1, true) */
export function sum(x: Tensor, opts?: DTypeOptions): Tensor;
export function sum(x: Tensor, dim: Dims, opts: DTypeOptions): Tensor;
export function sum(x: Tensor, dim: Dims, keepdim?: boolean, opts?: DTypeOptions): Tensor;
export function sum(x: Tensor, ...args: unknown[]): Tensor {
  return (x.sum as Call)(...args);
}
/** torch.mean(x, dim?, keepdim?, { dtype }?): see Tensor.mean. @example torch.mean(x, [0, 1]) */
export function mean(x: Tensor, opts?: DTypeOptions): Tensor;
export function mean(x: Tensor, dim: Dims, opts: DTypeOptions): Tensor;
export function mean(x: Tensor, dim: Dims, keepdim?: boolean, opts?: DTypeOptions): Tensor;
export function mean(x: Tensor, ...args: unknown[]): Tensor {
  return (x.mean as Call)(...args);
}
/** torch.prod(x, dim?, keepdim?, { dtype }?): see Tensor.prod. @example torch.prod(x, 0) */
export function prod(x: Tensor, opts?: DTypeOptions): Tensor;
export function prod(x: Tensor, dim: number, opts: DTypeOptions): Tensor;
export function prod(x: Tensor, dim: number, keepdim?: boolean, opts?: DTypeOptions): Tensor;
export function prod(x: Tensor, ...args: unknown[]): Tensor {
  return (x.prod as Call)(...args);
}
/** torch.amax(x, dim?, keepdim?). @example torch.amax(x, [0]) */
export const amax = (x: Tensor, dim?: Dims, keepdim?: boolean): Tensor => x.amax(dim, keepdim);
/** torch.amin(x, dim?, keepdim?). @example torch.amin(x, -1, true) */
export const amin = (x: Tensor, dim?: Dims, keepdim?: boolean): Tensor => x.amin(dim, keepdim);
/** torch.max(x) or torch.max(x, dim, keepdim?) -> [values, indices]. @example const [v, i] = torch.max(x, 1) */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): [Tensor, Tensor];
export function max(x: Tensor, dim?: number, keepdim?: boolean): Tensor | [Tensor, Tensor] {
  return dim === undefined ? x.max() : x.max(dim, keepdim);
}
/** torch.min(x) or torch.min(x, dim, keepdim?) -> [values, indices]. @example torch.min(x) */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): [Tensor, Tensor];
export function min(x: Tensor, dim?: number, keepdim?: boolean): Tensor | [Tensor, Tensor] {
  return dim === undefined ? x.min() : x.min(dim, keepdim);
}
/** torch.argmax(x, dim?, keepdim?). @example torch.argmax(x) */
export const argmax = (x: Tensor, dim?: number | null, keepdim?: boolean): Tensor => x.argmax(dim, keepdim);
/** torch.argmin(x, dim?, keepdim?). @example torch.argmin(x, 0) */
export const argmin = (x: Tensor, dim?: number | null, keepdim?: boolean): Tensor => x.argmin(dim, keepdim);
const variance = (x: Tensor, ...args: Rest<"var">): Tensor => x.var(...args);
/** torch.std(x, ...): see Tensor.std. @example torch.std(x, 0, { correction: 0 }) */
export const std = (x: Tensor, ...args: Rest<"std">): Tensor => x.std(...args);
/** torch.all(x, dim?, keepdim?). @example torch.all(mask) */
export const all = (x: Tensor, dim?: Dims, keepdim?: boolean): Tensor => x.all(dim, keepdim);
/** torch.any(x, dim?, keepdim?). @example torch.any(mask, 1) */
export const any = (x: Tensor, dim?: Dims, keepdim?: boolean): Tensor => x.any(dim, keepdim);
/** torch.logsumexp(x, dim, keepdim?). @example torch.logsumexp(logits, -1) */
export const logsumexp = (x: Tensor, dim: Dims, keepdim?: boolean): Tensor => x.logsumexp(dim, keepdim);
/** torch.cumsum(x, dim, { dtype }?). @example torch.cumsum(x, 0) */
export const cumsum = (x: Tensor, dim: number, opts?: DTypeOptions): Tensor => x.cumsum(dim, opts);
/** torch.norm(x, p?, dim?, keepdim?, { dtype }?). @example torch.norm(x, 1, 0) */
export const norm = (x: Tensor, ...args: Rest<"norm">): Tensor => x.norm(...args);
/** torch.sort(x, dim?, descending?, { stable }?) -> [values, indices]. @example const [v, i] = torch.sort(x, 0, true) */
export const sort = (x: Tensor, ...args: Rest<"sort">): [Tensor, Tensor] => x.sort(...args);
/** torch.topk(x, k, dim?, largest?, sorted?) -> [values, indices]. @example torch.topk(x, 3) */
export const topk = (x: Tensor, ...args: Rest<"topk">): [Tensor, Tensor] => x.topk(...args);
/** torch.var(x, ...): see Tensor.var (exported as `var`). @example torch.var(x, 1, { correction: 0 }) */
export { variance as var };
