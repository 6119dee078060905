// The random family against real PyTorch 2.14, bit for bit: every case of
// test/fixtures/random-seeded.json (scripts/fixtures/ops_random.py) runs after manualSeed(seed),
// with its inputs rebuilt with their storage, strides and offset (views), and must give PyTorch's
// values, dtype, shape and strides or its error, leave the input's storage as PyTorch left it, and
// leave the default (and any explicit) generator where PyTorch's was: the next draws match too.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { allocArray, type DType, itemsize } from "../../src/tensor/dtype.js";
import { Generator } from "../../src/tensor/generator.js";
import { Storage, Tensor } from "../../src/tensor/tensor.js";
import { expectedError } from "../opinfo/fixture-codec.js";

interface EncTensor {
  shape: number[];
  dtype: DType;
  values: Array<number | boolean | string>;
  strides: number[];
  offset: number;
  storage?: Array<number | boolean | string>;
}
type Enc = unknown;
interface SeededCase {
  op: string;
  args: Enc[];
  kwargs: Record<string, Enc>;
  seed: number;
  out: Enc;
  storage_after?: Array<number | boolean | string>;
  next_rand: number[];
  gen_next?: number[];
  note?: string;
}
interface Sequence {
  name: string;
  seed: number;
  values: Enc[];
  next_rand: number[];
}
interface Fixture {
  torch_version: string;
  cases: SeededCase[];
  sequences: Sequence[];
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/random-seeded.json", import.meta.url), "utf8")) as Fixture;

const num = (v: number | boolean | string): number =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : typeof v === "boolean" ? (v ? 1 : 0) : Number(v);

/** Builds an argument: tensors over a storage of their own with PyTorch's strides and offset. */
function rebuild(v: Enc, gens: Generator[]): unknown {
  if (Array.isArray(v)) return v.map((x) => rebuild(x, gens));
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("t" in o) {
      const t = o.t as EncTensor;
      const src = t.storage ?? t.values;
      const data = allocArray(t.dtype, src.length);
      src.forEach((x, i) => (data[i] = num(x)));
      return new Tensor(new Storage("cpu", data, data.length * itemsize(t.dtype)), t.shape.slice(), t.strides.slice(), t.offset, t.dtype, "cpu");
    }
    if ("dtype" in o) return o.dtype;
    if ("generator_seed" in o) {
      const g = new Generator(o.generator_seed as number);
      gens.push(g);
      return g;
    }
  }
  return v === "nan" || v === "inf" || v === "-inf" ? num(v) : v;
}

/** Elements of t in logical (row-major) order. */
function logical(t: Tensor): number[] {
  const out: number[] = [];
  const rec = (d: number, off: number): void => {
    if (d === t._shape.length) {
      out.push(t.data()[off]!);
      return;
    }
    for (let i = 0; i < t._shape[d]!; i++) rec(d + 1, off + i * t._strides[d]!);
  };
  rec(0, t._offset);
  return out;
}

/**
 * Exactly equal (NaN equals NaN); with `ulps`, values may differ by that many units of
 * max(1, |PyTorch's value|) * 2^-52, as test/backends/cpu/random-kernels.test.ts allows float64 normals.
 */
function sameNumber(g: number, w: number, ulps = 0): boolean {
  if (Number.isNaN(w)) return Number.isNaN(g);
  if (g === w) return true;
  if (ulps === 0 || !Number.isFinite(w)) return false;
  return Math.abs(g - w) <= ulps * Math.max(1, Math.abs(w)) * Number.EPSILON;
}

function expectValues(got: ArrayLike<number>, want: ReadonlyArray<number | boolean | string>, ctx: string, ulps = 0): void {
  expect(got.length, `${ctx}: number of elements`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i]!, num(want[i]!)];
    if (!sameNumber(g, w, ulps)) expect.fail(`${ctx}: element ${i}: got ${g}, PyTorch ${w}`);
  }
}

function expectTensor(actual: unknown, expected: Enc, ctx: string, ulps = 0): void {
  if (Array.isArray(expected)) {
    expected.forEach((e, i) => expectTensor((actual as unknown[])[i], e, `${ctx}[${i}]`, ulps));
    return;
  }
  const e = (expected as { t: EncTensor }).t;
  expect(actual, `${ctx}: a tensor`).toBeInstanceOf(Tensor);
  const t = actual as Tensor;
  expect([...t.shape], `${ctx}: shape`).toEqual(e.shape);
  expect(t.dtype, `${ctx}: dtype`).toBe(e.dtype);
  expect(t.stride(), `${ctx}: strides`).toEqual(e.strides);
  expectValues(logical(t), e.values, `${ctx}: values`, ulps);
}

/**
 * float64 samples that go through libm (normals: log, sin, cos; exponential_: log1p) use the JS
 * engine's functions, which differ from glibc's in the last bit for a few percent of inputs
 * (random-kernels.ts and random-ops-extra.ts): within 4 ulp, like the kernels' own tests.
 * float32 results, uniforms, integers and Bernoulli samples are compared bit for bit.
 */
const LIBM_OPS = /^aten::(randn|normal|exponential_)/;
function ulpsFor(c: SeededCase): number {
  const f64 = (v: Enc): boolean => JSON.stringify(v).includes('"float64"');
  return LIBM_OPS.test(c.op) && (f64(c.out) || f64(c.args) || f64(c.kwargs)) ? 4 : 0;
}

function title(c: SeededCase): string {
  const desc = (v: Enc): string => {
    if (Array.isArray(v)) return `[${v.map(desc).join(", ")}]`;
    if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if ("t" in o) {
        const t = o.t as EncTensor;
        const contiguous = t.strides.every((s, i) => s === t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
        return `${t.dtype}[${t.shape.join(",")}]${contiguous && t.offset === 0 ? "" : `@${t.strides.join(",")}+${t.offset}`}`;
      }
      if ("dtype" in o) return String(o.dtype);
      if ("generator_seed" in o) return `Generator(${String(o.generator_seed)})`;
    }
    return JSON.stringify(v);
  };
  const kw = Object.entries(c.kwargs).map(([k, v]) => `${k}=${desc(v)}`);
  return `${c.op}(${[...c.args.map(desc), ...kw].join(", ")}) seed ${c.seed}`;
}

describe(`random ops draw PyTorch ${fixture.torch_version}'s numbers`, () => {
  fixture.cases.forEach((c, i) => {
    const err = expectedError(c.out);
    const name = `#${i} ${title(c)}${err ? ` raises ${err.error}` : ""}`;
    it(name, () => {
      const gens: Generator[] = [];
      const args = rebuild(c.args, gens) as unknown[];
      const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, rebuild(v, gens)]));
      const op = torch.lookupOp(c.op)!;
      torch.manualSeed(c.seed);
      let out: unknown;
      let thrown: Error | null = null;
      try {
        out = op(...args, kwargs);
      } catch (e) {
        thrown = e as Error;
      }
      if (err) {
        expect(thrown, `expected ${err.error}: ${err.message}`).not.toBeNull();
        expect(thrown!.message.split("\n")[0]).toBe(err.message);
        expect(thrown!.name).toBe(err.error);
      } else {
        if (thrown) throw thrown;
        expectTensor(out, c.out, "result", ulpsFor(c));
      }
      if (c.storage_after) expectValues((args[0] as Tensor).data(), c.storage_after, "input storage afterwards", ulpsFor(c));
      expectValues(logical(torch.rand([4])), c.next_rand, "the default generator's next draws");
      if (c.gen_next) expectValues(logical(torch.rand([4], { generator: gens[0]! })), c.gen_next, "the explicit generator's next draws");
    });
  });
});

/** The calls of each recorded sequence, by name (as in scripts/fixtures/ops_random.py). */
const meta = (...s: number[]): Tensor => torch.empty(s, { device: "meta" });
const SEQUENCES: Record<string, () => unknown[]> = {
  "randn(3) randn(3,f64) randn(1) randn(2): the cached double sample carries over": () => [
    torch.randn([3]),
    torch.randn([3], { dtype: "float64" }),
    torch.randn([1]),
    torch.randn([2]),
  ],
  "normal_ on 5 then randn(20) then normal_ on 3": () => [torch.zeros([5]).normal_(), torch.randn([20]), torch.zeros([3]).normal_(2, 3)],
  "meta factories and meta in-place ops do not draw": () => [
    torch.randn([100], { device: "meta" }),
    torch.rand([5], { device: "meta" }),
    torch.randperm(10, { device: "meta" }),
    torch.randint(5, [3], { device: "meta" }),
    meta(3).normal_(),
    meta(3).uniform_(),
    meta(3).bernoulli_(0.5),
    meta(3).random_(),
    meta(4).exponential_(),
    torch.bernoulli(meta(3)),
    torch.normal(meta(3), 1.0),
    torch.rand([3]),
  ],
  "dropout's mask: empty_like + bernoulli_(1 - p) + div_ + mul": () => [
    torch.dropout(torch.ones([30]), 0.4, true),
    torch.dropout(torch.ones([6], { dtype: "float64" }), 0.5, true),
  ],
  "native_dropout: bool mask from bernoulli_": () => torch.ops.aten!.native_dropout!(torch.ones([20]), 0.3, true) as Tensor[],
  "rand, randint, randperm, bernoulli interleaved": () => [
    torch.rand([3]),
    torch.randint(0, 100, [4]),
    torch.randperm(6),
    torch.bernoulli(torch.full([5], 0.5)),
    torch.rand([2], { dtype: "float64" }),
  ],
};

describe("sequences of draws continue from where PyTorch's generator is", () => {
  for (const s of fixture.sequences) {
    it(`${s.name} (seed ${s.seed})`, () => {
      const run = SEQUENCES[s.name];
      expect(run, `no TypeScript twin for sequence "${s.name}"`).toBeDefined();
      torch.manualSeed(s.seed);
      const outs = run!();
      expect(outs.length).toBe(s.values.length);
      outs.forEach((o, k) => {
        const e = (s.values[k] as { t: EncTensor & { meta?: boolean } }).t;
        const t = o as Tensor;
        expect([...t.shape], `output ${k}: shape`).toEqual(e.shape);
        expect(t.dtype, `output ${k}: dtype`).toBe(e.dtype);
        if (!e.meta) expectValues(logical(t), e.values, `output ${k}`);
      });
      expectValues(logical(torch.rand([4])), s.next_rand, "the next draws");
    });
  }
});
