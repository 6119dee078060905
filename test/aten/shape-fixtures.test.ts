// Replays every shape-family case recorded from real PyTorch 2.14 (test/fixtures/shape-layout.json,
// written by scripts/fixtures/ops_shape.py) with inputs rebuilt exactly: same storage contents,
// strides and storage offset. On CPU the results must match PyTorch's values, strides and offsets
// (or its error); on meta, PyTorch's shapes, strides and offsets (or the same error).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { allocArray, type DType, itemsize } from "../../src/tensor/dtype.js";
import { type Device, Storage, Tensor } from "../../src/tensor/tensor.js";
import { type FixtureCase, decode, expectMatches, expectedError } from "../opinfo/fixture-codec.js";

interface EncTensor {
  shape: number[];
  dtype: DType;
  strides: number[];
  offset: number;
  storage: Array<number | boolean | string>;
}
interface OutTensor {
  shape: number[];
  dtype: DType;
  strides: number[];
  offset: number;
}

const cases = JSON.parse(readFileSync(new URL("../fixtures/shape-layout.json", import.meta.url), "utf8")) as Array<FixtureCase & { meta?: boolean }>;

const num = (v: number | boolean | string): number =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : typeof v === "boolean" ? (v ? 1 : 0) : Number(v);

/** Rebuilds an encoded argument; tensors get PyTorch's storage, strides and offset. */
function rebuild(v: unknown, device: Device): unknown {
  if (Array.isArray(v)) return v.map((x) => rebuild(x, device));
  if (v !== null && typeof v === "object" && "t" in v) {
    const t = (v as { t: EncTensor }).t;
    const n = t.storage.length;
    let storage: Storage;
    if (device === "meta") {
      storage = new Storage("meta", null, n * itemsize(t.dtype));
    } else {
      const data = allocArray(t.dtype, n);
      t.storage.forEach((x, i) => (data[i] = num(x)));
      storage = new Storage("cpu", data, n * itemsize(t.dtype));
    }
    return new Tensor(storage, t.shape.slice(), t.strides.slice(), t.offset, t.dtype, device);
  }
  return decode(v);
}

function run(c: FixtureCase, device: Device): unknown {
  const op = torch.lookupOp(c.op);
  if (!op) throw new Error(`operator ${c.op} is not defined`);
  const args = (c.args as unknown[]).map((a) => rebuild(a, device));
  const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, rebuild(v, device)]));
  return Object.keys(kwargs).length ? op(...args, kwargs) : op(...args);
}

/** Pairs each result tensor with PyTorch's recorded layout. */
function expectLayout(actual: unknown, expected: unknown, ctx: string): void {
  if (Array.isArray(expected)) {
    const a = actual as unknown[];
    expected.forEach((e, i) => expectLayout(a[i], e, `${ctx}[${i}]`));
    return;
  }
  const e = (expected as { t: OutTensor }).t;
  const t = actual as Tensor;
  expect({ shape: [...t.shape], dtype: t.dtype, strides: t.stride(), offset: t.storageOffset() }, ctx).toEqual({
    shape: e.shape,
    dtype: e.dtype,
    strides: e.strides,
    offset: e.offset,
  });
}

/** PyTorch names the tensor type in some messages: `torch.FloatTensor` / `CPUBoolType` on CPU, `MetaFloatType` on meta. */
function onDevice(message: string, device: Device): string {
  if (device === "cpu") return message;
  return message.replace(/torch\.(\w+)Tensor\{/g, "Meta$1Type{").replace(/CPU(\w+)Type\{/g, "Meta$1Type{");
}

function thrownBy(f: () => unknown): Error | null {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  return null;
}

describe("shape ops on PyTorch's exact input layouts", () => {
  cases.forEach((c, i) => {
    const title = `${c.op} #${i}`;
    const err = expectedError(c.out);
    const devices: Device[] = c.meta === false ? ["cpu"] : ["cpu", "meta"];
    for (const device of devices) {
      if (err) {
        it(`${title} raises ${err.error} like PyTorch (${device})`, () => {
          const thrown = thrownBy(() => run(c, device));
          expect(thrown, `${title}: expected ${err.error}: ${err.message}`).not.toBeNull();
          expect(thrown!.message.split("\n")[0]).toBe(onDevice(err.message, device));
          expect(thrown!.name).toBe(err.error);
        });
      } else {
        it(`${title} gives PyTorch's ${device === "cpu" ? "values, strides and offsets" : "layout"} (${device})`, () => {
          const out = run(c, device);
          if (device === "cpu") expectMatches(out, c.out, title);
          expectLayout(out, c.out, title);
        });
      }
    }
  });
});
