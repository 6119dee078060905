// Replays the pointwise fixtures with every input rebuilt in the layout PyTorch recorded
// (transposed, sliced, channels-last, offset views) instead of contiguous copies, and checks the
// values again plus the result's strides against PyTorch's (TensorIterator's output layout), on
// CPU and on meta.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { allocArray, type DType } from "../../src/tensor/dtype.js";
import { Storage, Tensor } from "../../src/tensor/tensor.js";
import { type FixtureCase, expectMatches, expectedError } from "../opinfo/fixture-codec.js";

interface EncTensor {
  shape: number[];
  dtype: DType;
  values: Array<number | boolean | string>;
  strides: number[];
  offset: number;
}

const num = (v: number | boolean | string): number =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : typeof v === "boolean" ? (v ? 1 : 0) : Number(v);

/** A CPU tensor with the recorded shape, strides and storage offset holding the recorded values. */
function strided(t: EncTensor): Tensor {
  const extent = t.shape.some((s) => s === 0) ? 0 : t.shape.reduce((acc, s, i) => acc + (s - 1) * t.strides[i]!, 1);
  const data = allocArray(t.dtype, t.offset + extent);
  const idx = new Array<number>(t.shape.length).fill(0);
  t.values.forEach((v, k) => {
    let off = t.offset;
    for (let d = 0; d < idx.length; d++) off += idx[d]! * t.strides[d]!;
    data[off] = num(v);
    for (let d = idx.length - 1; d >= 0 && k < t.values.length - 1; d--) {
      if (++idx[d]! < t.shape[d]!) break;
      idx[d] = 0;
    }
  });
  return new Tensor(new Storage("cpu", data, data.byteLength), t.shape.slice(), t.strides.slice(), t.offset, t.dtype, "cpu");
}

function decodeStrided(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeStrided);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("t" in o) return strided(o.t as EncTensor);
    if ("dtype" in o) return o.dtype;
  }
  return v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v;
}

function run(c: FixtureCase, toMeta: boolean): unknown {
  const op = torch.lookupOp(c.op)!;
  const conv = (v: unknown): unknown => (v instanceof Tensor && toMeta ? metaLike(v) : v);
  const args = (decodeStrided(c.args) as unknown[]).map(conv);
  const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, conv(decodeStrided(v))]));
  return Object.keys(kwargs).length ? op(...args, kwargs) : op(...args);
}

/** A meta tensor with the same geometry (to("meta") would make it contiguous). */
function metaLike(t: Tensor): Tensor {
  return new Tensor(new Storage("meta", null, t.storage!.nbytes), t._shape.slice(), t._strides.slice(), t._offset, t.dtype, "meta");
}

const cases = JSON.parse(readFileSync(new URL("../fixtures/ops/pointwise.json", import.meta.url), "utf8")) as FixtureCase[];

describe("pointwise fixtures replayed with PyTorch's input layouts", () => {
  cases.forEach((c, i) => {
    const out = c.out as { t?: EncTensor };
    if (expectedError(c.out) || !out.t) return;
    const title = `${c.op} #${i}`;
    it(`given strided inputs, when ${title} runs on CPU, then values and strides match PyTorch`, () => {
      const r = run(c, false) as Tensor;
      expectMatches(r, c.out, title, c.rtol, c.atol);
      if (r.numel() > 1) expect(r.stride(), `${title}: strides`).toEqual(out.t!.strides);
    });
    it(`given strided meta inputs, when ${title} runs on meta, then the layout equals CPU's`, () => {
      const r = run(c, true) as Tensor;
      const cpu = run(c, false) as Tensor;
      expect([r.shape, r.dtype, r.stride()]).toEqual([cpu.shape, cpu.dtype, cpu.stride()]);
    });
  });
});
