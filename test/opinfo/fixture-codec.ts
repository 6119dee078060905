// Reads op-fixture cases written by scripts/fixtures/common.py (real PyTorch 2.x outputs) and
// compares aten-ts results against them.
import { expect } from "vitest";
import { allocArray, type DType } from "../../src/tensor/dtype.js";
import { Tensor, makeView } from "../../src/tensor/tensor.js";
import { lookupOp } from "../../src/index.js";
import { contiguousStrides, isContiguousLayout } from "../../src/tensor/shape.js";

/** An encoded value (see scripts/fixtures/common.py). */
export type Encoded = unknown;
/** One fixture case. */
export interface FixtureCase {
  op: string;
  args: Encoded[];
  kwargs: Record<string, Encoded>;
  out: Encoded;
  /** Optional tolerance override. */
  rtol?: number;
  atol?: number;
}

interface EncTensor {
  shape: number[];
  dtype: DType;
  values?: Array<number | boolean | string>;
  strides?: number[];
  offset?: number;
  meta?: boolean;
}

const num = (v: number | boolean | string): number =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : typeof v === "boolean" ? (v ? 1 : 0) : Number(v);

/** Builds the JS value of an encoded argument (tensors with PyTorch's strides and storage offset). */
export function decode(v: Encoded): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("t" in o) {
      const t = o.t as EncTensor;
      const n = t.shape.reduce((a, b) => a * b, 1);
      const values = (t.values ?? []).map(num);
      const strides = t.strides ?? contiguousStrides(t.shape);
      const offset = t.offset ?? 0;
      if (n === 0 || (offset === 0 && isContiguousLayout(t.shape, strides))) {
        const data = allocArray(t.dtype, n);
        values.forEach((x, i) => (data[i] = x));
        return Tensor.fromArray(data, t.shape, t.dtype);
      }
      // PyTorch's layout: a storage with the recorded strides and offset, filled through them
      let extent = offset + 1;
      t.shape.forEach((s, d) => (extent += (s - 1) * Math.max(strides[d]!, 0)));
      const data = allocArray(t.dtype, extent);
      const index = new Array<number>(t.shape.length).fill(0);
      for (let k = 0; k < n; k++) {
        let at = offset;
        index.forEach((i, d) => (at += i * strides[d]!));
        data[at] = values[k]!;
        for (let d = t.shape.length - 1; d >= 0; d--) {
          if (++index[d]! < t.shape[d]!) break;
          index[d] = 0;
        }
      }
      return makeView(Tensor.fromArray(data, [extent], t.dtype), t.shape.slice(), strides.slice(), offset);
    }
    if ("dtype" in o) return o.dtype;
  }
  return v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v;
}

/** The recorded strides of the tensors of an encoded value, in order. */
export function recordedStrides(v: Encoded): number[][] {
  if (Array.isArray(v)) return v.flatMap(recordedStrides);
  if (v !== null && typeof v === "object" && "t" in v) return [(v as { t: EncTensor }).t.strides ?? []];
  return [];
}

/** Runs a fixture case's operator on its decoded arguments (keyword arguments as the trailing object). */
export function callCase(c: FixtureCase): unknown {
  const op = lookupOp(c.op);
  if (!op) throw new Error(`operator ${c.op} is not defined in aten-ts`);
  const args = decode(c.args) as unknown[];
  const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, decode(v)]));
  return Object.keys(kwargs).length ? op(...args, kwargs) : op(...args);
}

/** Is the expected output an error? */
export function expectedError(out: Encoded): { error: string; message: string } | null {
  return out !== null && typeof out === "object" && !Array.isArray(out) && "error" in (out as object) ? (out as { error: string; message: string }) : null;
}

function flatValues(t: Tensor): number[] {
  const out: number[] = [];
  const rec = (d: number, off: number) => {
    if (d === t._shape.length) {
      out.push(t.data()[off]!);
      return;
    }
    for (let i = 0; i < t._shape[d]!; i++) rec(d + 1, off + i * t._strides[d]!);
  };
  rec(0, t._offset);
  return out;
}

/** Expects `actual` to match the encoded expected value (shape, dtype, values within tolerance). */
export function expectMatches(actual: unknown, expected: Encoded, ctx: string, rtol = 1.3e-6, atol = 1e-5): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${ctx}: expected a list`).toBe(true);
    const a = actual as unknown[];
    expect(a.length, `${ctx}: list length`).toBe(expected.length);
    expected.forEach((e, i) => expectMatches(a[i], e, `${ctx}[${i}]`, rtol, atol));
    return;
  }
  if (expected !== null && typeof expected === "object" && "t" in (expected as object)) {
    const e = (expected as { t: EncTensor }).t;
    expect(actual instanceof Tensor, `${ctx}: expected a tensor`).toBe(true);
    const t = actual as Tensor;
    expect([...t.shape], `${ctx}: shape`).toEqual(e.shape);
    expect(t.dtype, `${ctx}: dtype`).toBe(e.dtype);
    // the layout PyTorch gave the result (sizes of 1 and 0 may carry any stride)
    if (e.strides && t.numel() > 1) {
      const norm = (st: readonly number[]) => st.map((x, d) => (t.shape[d]! <= 1 ? 0 : x));
      expect(norm(t.stride()), `${ctx}: strides`).toEqual(norm(e.strides));
    }
    if (e.meta) return;
    const got = flatValues(t);
    const want = (e.values ?? []).map(num);
    const tol = e.dtype === "float64" ? { rtol: 1e-7, atol: 1e-7 } : { rtol, atol };
    for (let i = 0; i < want.length; i++) {
      const [g, w] = [got[i]!, want[i]!];
      if (Number.isNaN(w)) {
        expect(Number.isNaN(g), `${ctx}: element ${i} should be nan, got ${g}`).toBe(true);
        continue;
      }
      if (e.dtype !== "float32" && e.dtype !== "float64") {
        expect(g, `${ctx}: element ${i}`).toBe(w);
        continue;
      }
      const ok = g === w || Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w);
      expect(ok, `${ctx}: element ${i}: got ${g}, want ${w}`).toBe(true);
    }
    return;
  }
  if (typeof expected === "number" || typeof expected === "string") {
    const w = num(expected as number);
    const g = Number(actual);
    if (Number.isNaN(w)) expect(Number.isNaN(g)).toBe(true);
    else expect(Math.abs(g - w) <= atol + rtol * Math.abs(w), `${ctx}: got ${g}, want ${w}`).toBe(true);
    return;
  }
  expect(actual, ctx).toEqual(expected);
}
