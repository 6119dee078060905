// repr()/str() of a tensor exactly as PyTorch 2.x prints it (torch/_tensor_str.py): the element formatter
// (int mode, fixed or scientific), summarization with `...`, line wrapping, nested brackets and the suffixes
// (device, size, dtype, grad_fn / requires_grad). A pure function over plain data: no Tensor class needed.
import { formatFixed, formatSci, roundToDtype } from "./printing/float-format.js";
import { getPrintOptions, type PrintOptions } from "./printing/options.js";

export { formatFixed, formatSci, roundToDtype } from "./printing/float-format.js";
export { defaultPrintOptions, getPrintOptions, setPrintOptions, type PrintOptions } from "./printing/options.js";

/** The dtypes the printer knows. */
export type PrintDtype =
  | "bool"
  | "uint8"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "float16"
  | "bfloat16"
  | "float32"
  | "float64";

/** What the printer needs to know of a tensor. */
export interface TensorPrintInfo {
  shape: readonly number[];
  dtype: PrintDtype;
  /** "cpu" prints no device; anything else prints `device='…'` as given (e.g. "cuda:0"); "meta" prints `...`. */
  device: "cpu" | "meta" | string;
  /**
   * Element i in row-major (logical, contiguous) order; undefined for meta tensors. int64 may be number or
   * bigint. Floats are rounded to the dtype first (so a float32 tensor may hand out unrounded doubles).
   */
  get?: (flatIndex: number) => number | bigint | boolean;
  requiresGrad?: boolean;
  /** e.g. "AddBackward0" -> ", grad_fn=<AddBackward0>"; it replaces requires_grad=True, as in PyTorch. */
  gradFnName?: string;
  /** Same effect as requiresGrad (a leaf that requires grad prints requires_grad=True). */
  isLeafRequiringGrad?: boolean;
  /** The prefix, default "tensor" (a subclass prints its class name). */
  name?: string;
}

type Element = number | bigint | boolean;

const floatingDtypes: ReadonlySet<PrintDtype> = new Set(["float16", "bfloat16", "float32", "float64"]);
/** Dtypes whose repr omits `dtype=` when the tensor has elements (the default float dtype, int64, bool). */
const impliedDtypes: ReadonlySet<PrintDtype> = new Set(["float32", "int64", "bool"]);

function intString(v: Element): string {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? "1" : "0";
  const n = Math.trunc(v);
  if (!Number.isFinite(n)) return String(n);
  // exact digits past 2^53 (String() would give the shortest round-trip ones); n + 0 turns -0 into "0"
  return Number.isSafeInteger(n) ? String(n + 0) : BigInt(n).toString();
}

/** str(value) for an integer or bool element. */
function plainString(v: Element, dtype: PrintDtype): string {
  if (dtype === "bool") return v === true || (v !== false && Number(v) !== 0) ? "True" : "False";
  return intString(v);
}

/** torch's _Formatter: picks int mode / scientific mode and the common width from the elements it is shown. */
class ElementFormatter {
  readonly floating: boolean;
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(
    values: readonly Element[],
    private readonly dtype: PrintDtype,
    private readonly opts: PrintOptions,
  ) {
    this.floating = floatingDtypes.has(dtype);
    if (!this.floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, plainString(v, dtype).length);
      return;
    }
    const finite = (values as readonly number[]).filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) return; // PyTorch returns before even applying sci_mode
    let min = Infinity;
    let max = 0;
    for (const v of finite) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
      if (this.intMode && !Number.isInteger(v)) this.intMode = false;
    }
    this.sciMode = opts.sciMode ?? (max / min > 1000 || max > 1e8 || min < 1e-4);
    for (const v of finite) {
      let width: number;
      if (this.sciMode) width = formatSci(v, opts.precision).length;
      else if (this.intMode) width = formatFixed(v, 0).length + 1;
      else width = formatFixed(v, opts.precision).length;
      this.maxWidth = Math.max(this.maxWidth, width);
    }
  }

  format(v: Element): string {
    let text: string;
    if (!this.floating) text = plainString(v, this.dtype);
    else {
      const x = v as number;
      if (this.sciMode) text = formatSci(x, this.opts.precision);
      else if (this.intMode) text = formatFixed(x, 0) + (Number.isFinite(x) ? "." : "");
      else text = formatFixed(x, this.opts.precision);
    }
    return text.padStart(this.maxWidth);
  }
}

/** The shape, strides and element reader shared by the recursive printers. */
interface Layout {
  shape: readonly number[];
  strides: readonly number[];
  at: (flat: number) => Element;
  opts: PrintOptions;
  summarize: boolean;
}

/** Indices kept along one dimension when summarizing; null for "all". */
function edgeIndices(size: number, edge: number): number[] | null {
  if (size <= 2 * edge) return null;
  const out: number[] = [];
  for (let i = 0; i < edge; i++) out.push(i);
  for (let i = size - edge; i < size; i++) out.push(i);
  return out;
}

/** The elements torch's get_summarized_data keeps (all of them when not summarizing), in order. */
function formatterInput(l: Layout): Element[] {
  const out: Element[] = [];
  const edge = l.opts.edgeitems;
  const visit = (offset: number, dim: number): void => {
    if (dim === l.shape.length) {
      out.push(l.at(offset));
      return;
    }
    const size = l.shape[dim];
    const last = dim === l.shape.length - 1;
    let picked: number[] | null = null;
    if (l.summarize) {
      // 1-D with edgeitems 0 keeps everything (t[:0] ++ t[-0:]); deeper ones keep nothing at all.
      if (!last && edge === 0) return;
      if (edge !== 0) picked = edgeIndices(size, edge);
    }
    if (picked === null) for (let i = 0; i < size; i++) visit(offset + i * l.strides[dim], dim + 1);
    else for (const i of picked) visit(offset + i * l.strides[dim], dim + 1);
  };
  visit(0, 0);
  return out;
}

function vectorString(l: Layout, f: ElementFormatter, offset: number, indent: number): string {
  const { opts } = l;
  const size = l.shape[l.shape.length - 1];
  const stride = l.strides[l.shape.length - 1];
  const perLine = Math.max(1, Math.floor((opts.linewidth - indent) / (f.maxWidth + 2)));
  const edge = opts.edgeitems;
  let data: string[];
  if (l.summarize && edge === 0) data = ["..."];
  else if (l.summarize && size > 2 * edge) {
    data = [];
    for (let i = 0; i < edge; i++) data.push(f.format(l.at(offset + i * stride)));
    data.push(" ...");
    for (let i = size - edge; i < size; i++) data.push(f.format(l.at(offset + i * stride)));
  } else {
    data = [];
    for (let i = 0; i < size; i++) data.push(f.format(l.at(offset + i * stride)));
  }
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(", "));
  return "[" + lines.join(",\n" + " ".repeat(indent + 1)) + "]";
}

function nestedString(l: Layout, f: ElementFormatter, offset: number, dim: number, indent: number): string {
  const rank = l.shape.length - dim;
  if (rank === 0) return f.format(l.at(offset));
  if (rank === 1) return vectorString(l, f, offset, indent);
  const size = l.shape[dim];
  const edge = l.opts.edgeitems;
  const row = (i: number): string => nestedString(l, f, offset + i * l.strides[dim], dim + 1, indent + 1);
  const slices: string[] = [];
  if (l.summarize && size > 2 * edge) {
    for (let i = 0; i < edge; i++) slices.push(row(i));
    slices.push("...");
    for (let i = size - edge; i < size; i++) slices.push(row(i));
  } else {
    for (let i = 0; i < size; i++) slices.push(row(i));
  }
  return "[" + slices.join("," + "\n".repeat(rank - 1) + " ".repeat(indent + 1)) + "]";
}

/** Python's str(tuple(shape)). */
function sizeString(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** torch's _add_suffixes, including its count of the last line (two more than its length). */
function addSuffixes(text: string, suffixes: readonly string[], indent: number, linewidth: number): string {
  let out = text;
  let lastLineLen = text.length - text.lastIndexOf("\n") + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > linewidth) {
      out += ",\n" + " ".repeat(indent) + suffix;
      lastLineLen = indent + suffix.length;
    } else {
      out += ", " + suffix;
      lastLineLen += suffix.length + 2;
    }
  }
  return out + ")";
}

function elementReader(t: TensorPrintInfo): (flat: number) => Element {
  const get = t.get;
  if (get === undefined) throw new Error("formatTensor: a non-meta tensor with elements needs `get`");
  if (floatingDtypes.has(t.dtype)) return (i) => roundToDtype(Number(get(i)), t.dtype);
  return get;
}

/**
 * repr(tensor) (= str(tensor)) exactly as PyTorch 2.x prints it, under `opts` (default: the current
 * process-wide options of setPrintOptions).
 * @example
 * formatTensor({ shape: [2, 2], dtype: "float32", device: "cpu", get: (i) => i + 1 });
 * // "tensor([[1., 2.],\n        [3., 4.]])"
 * formatTensor({ shape: [], dtype: "int64", device: "meta" });
 * // "tensor(..., device='meta', size=(), dtype=torch.int64)"
 */
export function formatTensor(t: TensorPrintInfo, opts: PrintOptions = getPrintOptions()): string {
  const prefix = (t.name ?? "tensor") + "(";
  const indent = prefix.length;
  const suffixes: string[] = [];
  const numel = t.shape.reduce((a, b) => a * b, 1);
  const dtypeSuffix = "dtype=torch." + t.dtype;
  if (t.device !== "cpu") suffixes.push(`device='${t.device}'`);

  let body: string;
  if (t.device === "meta") {
    suffixes.push("size=" + sizeString(t.shape));
    if (t.dtype !== "float32") suffixes.push(dtypeSuffix);
    body = "...";
  } else if (numel === 0) {
    if (t.shape.length !== 1) suffixes.push("size=" + sizeString(t.shape));
    if (t.dtype !== "float32") suffixes.push(dtypeSuffix);
    body = "[]";
  } else {
    if (opts.edgeitems === 0) suffixes.push("size=" + sizeString(t.shape));
    if (!impliedDtypes.has(t.dtype)) suffixes.push(dtypeSuffix);
    const strides: number[] = new Array<number>(t.shape.length);
    for (let d = t.shape.length - 1, s = 1; d >= 0; d--) {
      strides[d] = s;
      s *= t.shape[d];
    }
    const layout: Layout = { shape: t.shape, strides, at: elementReader(t), opts, summarize: numel > opts.threshold };
    const formatter = new ElementFormatter(formatterInput(layout), t.dtype, opts);
    body = nestedString(layout, formatter, 0, 0, indent);
  }

  if (t.gradFnName !== undefined) suffixes.push(`grad_fn=<${t.gradFnName}>`);
  else if (t.requiresGrad === true || t.isLeafRequiringGrad === true) suffixes.push("requires_grad=True");

  return addSuffixes(prefix + body, suffixes, indent, opts.linewidth);
}
