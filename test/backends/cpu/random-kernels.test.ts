// The CPU random kernels against real PyTorch: every case of test/fixtures/random.json (written by
// scripts/fixtures/random_fixtures.py beside PyTorch 2.14) bit for bit, PyTorch's error texts, and
// an exhaustive check of the float32 Box-Muller shortcut described in Note [AVX2 Box-Muller in
// doubles] of src/backends/cpu/random-kernels.ts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NotImplementedError, RuntimeError, ValueError } from "../../../src/core/errors.js";
import { catchWarnings } from "../../../src/core/warnings.js";
import { Generator } from "../../../src/tensor/generator.js";
import {
  bernoulliFillScalar,
  bernoulliFillTensor,
  dropoutFill,
  formatCppDouble,
  formatPythonFloat,
  normalFill,
  randintFill,
  randperm,
  uniformFill,
} from "../../../src/backends/cpu/random-kernels.js";

interface Case {
  readonly call: string;
  readonly dtype: string;
  readonly values: readonly (number | string | boolean)[];
}
interface Fixtures {
  readonly torch_version: string;
  readonly seeds: Record<string, Record<string, Case>>;
  readonly stress: Record<string, Case>;
  readonly errors: Record<string, { type: string; message: string }>;
}

const fixtures = JSON.parse(
  readFileSync(new URL("../../fixtures/random.json", import.meta.url), "utf8"),
) as Fixtures;
const err = (name: string): string => fixtures.errors[name]!.message;

type Values = ArrayLike<number | bigint>;

function concat(...parts: Values[]): (number | bigint)[] {
  return parts.flatMap((p) => Array.from(p));
}

function repeat(times: number, draw: () => Values): (number | bigint)[] {
  return concat(...Array.from({ length: times }, draw));
}

/** How each fixture case is drawn with the kernels, from a generator seeded like the fixture. */
const RUNNERS: Record<string, (g: Generator) => Values> = {
  rand_5: (g) => uniformFill(g, new Float32Array(5), "float32"),
  rand_20: (g) => uniformFill(g, new Float32Array(20), "float32"),
  rand_3_f64: (g) => uniformFill(g, new Float64Array(3), "float64"),
  randn_5: (g) => normalFill(g, new Float32Array(5), "float32"),
  randn_16: (g) => normalFill(g, new Float32Array(16), "float32"),
  randn_17: (g) => normalFill(g, new Float32Array(17), "float32"),
  randn_40: (g) => normalFill(g, new Float32Array(40), "float32"),
  randn_7_f64: (g) => normalFill(g, new Float64Array(7), "float64"),
  randn_33_f64: (g) => normalFill(g, new Float64Array(33), "float64"),
  randint_0_10: (g) => randintFill(g, new BigInt64Array(12), "int64", 0, 10),
  randint_big: (g) => randintFill(g, new BigInt64Array(6), "int64", -5, 2 ** 40),
  randint_i32: (g) => randintFill(g, new Int32Array(8), "int32", -100, 100),
  randint_f32: (g) => randintFill(g, new Float32Array(8), "float32", 3, 1000),
  randperm_10: (g) => randperm(g, 10),
  randperm_30: (g) => randperm(g, 30),
  randperm_12_i32: (g) => randperm(g, 12, "int32"),
  uniform_m2_3: (g) => uniformFill(g, new Float32Array(20), "float32", -2, 3),
  uniform_odd: (g) => uniformFill(g, new Float32Array(20), "float32", -0.3, 1.7),
  uniform_m2_3_f64: (g) => uniformFill(g, new Float64Array(6), "float64", -2, 3),
  normal_20: (g) => normalFill(g, new Float32Array(20), "float32", 1.5, 0.5),
  normal_5: (g) => normalFill(g, new Float32Array(5), "float32", 1.5, 0.5),
  normal_odd_24: (g) => normalFill(g, new Float32Array(24), "float32", -0.7, 0.3),
  normal_20_f64: (g) => normalFill(g, new Float64Array(20), "float64", 1.5, 0.3),
  normal_5_f64: (g) => normalFill(g, new Float64Array(5), "float64", 1.5, 0.3),
  bernoulli_scalar: (g) => bernoulliFillScalar(g, new Float32Array(25), "float32", 0.3),
  bernoulli_tensor: (g) => bernoulliFillTensor(g, new Float32Array(25), "float32", new Float32Array(25).fill(0.7)),
  bernoulli_tensor_f64: (g) =>
    bernoulliFillTensor(g, new Float64Array(10), "float64", new Float64Array(10).fill(0.7)),
  dropout_mask: (g) => {
    const mask = new Float32Array(30);
    dropoutFill(g, mask, "float32", 0.4);
    return mask;
  },
  dropout_out: (g) => {
    const mask = new Float32Array(30);
    const scale = dropoutFill(g, mask, "float32", 0.4);
    return mask.map((m) => Math.fround(1 * Math.fround(m * scale)));
  },
  sequence: (g) =>
    concat(
      uniformFill(g, new Float32Array(3), "float32"),
      normalFill(g, new Float32Array(20), "float32"),
      uniformFill(g, new Float32Array(2), "float32"),
    ),
  sequence_cached_normal: (g) =>
    concat(
      normalFill(g, new Float32Array(3), "float32"),
      normalFill(g, new Float64Array(3), "float64"),
      normalFill(g, new Float32Array(1), "float32"),
      normalFill(g, new Float32Array(2), "float32"),
    ),
  randn_4099: (g) => normalFill(g, new Float32Array(4099), "float32"),
  randn_2051_f64: (g) => normalFill(g, new Float64Array(2051), "float64"),
  randn_15_x40_f64: (g) => repeat(40, () => normalFill(g, new Float64Array(15), "float64")),
  randn_15_x40: (g) => repeat(40, () => normalFill(g, new Float32Array(15), "float32")),
  uniform_2000: (g) => uniformFill(g, new Float32Array(2000), "float32", -1.3, 2.9),
};

/**
 * float64 normals go through the JS engine's log/sin/cos, which differ from the C library's
 * PyTorch uses in the last bit for a few percent of inputs: those are compared to within 4 ulp.
 */
const FLOAT64_NORMAL = /randn|normal/;

/** Element-wise comparison (bit-exact except float64 normals); returns the first few differences. */
function differences(c: Case, got: Values, name = ""): string[] {
  const out: string[] = [];
  if (got.length !== c.values.length) out.push(`length ${got.length}, expected ${c.values.length}`);
  c.values.forEach((want, i) => {
    const g = got[i];
    let same: boolean;
    if (typeof want === "string") same = String(g) === want; // int64
    else if (typeof want === "boolean") same = Number(g) === (want ? 1 : 0);
    else if (c.dtype === "float32") same = Object.is(Math.fround(want), g);
    else if (FLOAT64_NORMAL.test(name)) same = Math.abs(want - Number(g)) <= 4 * Number.EPSILON * Math.max(1, Math.abs(want));
    else same = Object.is(want, g) || (want === 0 && g === 0);
    if (!same && out.length < 5) out.push(`[${i}] expected ${String(want)}, got ${String(g)}`);
  });
  return out;
}

describe(`fixtures from PyTorch ${fixtures.torch_version}`, () => {
  it("given the fixture file, when listing its cases, then every case has a runner", () => {
    const names = new Set([
      ...Object.values(fixtures.seeds).flatMap((cases) => Object.keys(cases)),
      ...Object.keys(fixtures.stress),
    ]);
    expect([...names].filter((n) => !(n in RUNNERS))).toEqual([]);
  });

  for (const [seed, cases] of Object.entries(fixtures.seeds)) {
    describe(`given torch.manual_seed(${seed})`, () => {
      it.each(Object.entries(cases))("when drawing %s, then every value is PyTorch's (bit for bit; float64 normals within 4 ulp)", (name, c) => {
        const got = RUNNERS[name]!(new Generator(BigInt(seed)));
        expect(differences(c, got, c.dtype === "float64" ? name : ""), c.call).toEqual([]);
      });
    });
  }

  it.each(Object.entries(fixtures.stress))(
    "given seed 0, when drawing the large case %s, then every value is PyTorch's (bit for bit; float64 normals within 4 ulp)",
    (name, c) => {
      const got = RUNNERS[name]!(new Generator(0));
      expect(differences(c, got, c.dtype === "float64" ? name : ""), c.call).toEqual([]);
    },
  );
});

describe("uniformFill", () => {
  it("given an integer dtype, when filling, then PyTorch's NotImplementedError is thrown", () => {
    expect(() => uniformFill(new Generator(), new Float64Array(3), "int64")).toThrow(NotImplementedError);
    expect(() => uniformFill(new Generator(), new Float64Array(3), "int64")).toThrow(
      `"check_uniform_bounds" not implemented for 'Long'`,
    );
  });

  it("given from > to, when filling, then PyTorch's message is thrown", () => {
    expect(() => uniformFill(new Generator(), new Float32Array(3), "float32", 3, 2)).toThrow(
      new RuntimeError(err("uniform_reversed")),
    );
  });

  it("given bounds beyond float32, when filling, then the bound is named like PyTorch", () => {
    const g = new Generator();
    expect(() => uniformFill(g, new Float32Array(3), "float32", -1e39, 3)).toThrow("from is out of bounds for float");
    expect(() => uniformFill(g, new Float32Array(3), "float32", 0, Infinity)).toThrow("to is out of bounds for float");
    expect(() => uniformFill(g, new Float32Array(3), "float32", -3e38, 3e38)).toThrow(
      "uniform_ expects to-from <= std::numeric_limits<Float>::max(), but found to=3e+38 and from=-3e+38 which result in to-from to exceed the limit",
    );
  });

  it("given a buffer of the wrong kind, when filling, then a TypeError names the expected kind", () => {
    expect(() => uniformFill(new Generator(), new Float64Array(3), "float32")).toThrow(TypeError);
  });

  it("given an empty buffer, when filling, then no draw is made", () => {
    const g = new Generator(3);
    const before = g.getState();
    uniformFill(g, new Float32Array(0), "float32");
    expect(g.getState()).toEqual(before);
  });
});

describe("normalFill", () => {
  it("given a negative or NaN std, when filling, then PyTorch's message is thrown", () => {
    expect(() => normalFill(new Generator(), new Float32Array(3), "float32", 0, -1)).toThrow(
      new RuntimeError(err("normal_negative_std")),
    );
    expect(() => normalFill(new Generator(), new Float32Array(3), "float32", 0, Number.NaN)).toThrow(
      "normal expects std >= 0.0, but found std nan",
    );
  });

  it("given an integer dtype, when filling, then PyTorch's NotImplementedError is thrown", () => {
    expect(() => normalFill(new Generator(), new Int32Array(3), "int32")).toThrow(
      `"normal_kernel_cpu" not implemented for 'Int'`,
    );
  });

  it("given fewer than 16 elements, when filling twice with odd sizes, then the cached second sample is used first", () => {
    const g = new Generator(0);
    const a = normalFill(g, new Float64Array(3), "float64");
    expect(g.nextDoubleNormalSample).toBeDefined();
    const b = normalFill(g, new Float64Array(1), "float64");
    expect(g.nextDoubleNormalSample).toBeUndefined();
    const all = normalFill(new Generator(0), new Float64Array(4), "float64");
    expect([...a, ...b]).toEqual(Array.from(all));
  });

  it("given 16 or more elements, when filling, then the cached sample is neither used nor cleared", () => {
    const g = new Generator(0);
    g.nextDoubleNormalSample = 42;
    const withCache = normalFill(g, new Float32Array(16), "float32");
    expect(g.nextDoubleNormalSample).toBe(42);
    expect(withCache).toEqual(normalFill(new Generator(0), new Float32Array(16), "float32"));
  });

  it("given a size that is not a multiple of 16, when filling, then 16 extra uniforms are drawn for the tail", () => {
    const g = new Generator(9);
    normalFill(g, new Float32Array(17), "float32");
    const h = new Generator(9);
    h.fillRandom(new Uint32Array(17 + 16));
    expect(g.getState()).toEqual(h.getState());
  });
});

describe("randintFill", () => {
  it("given high <= low, when filling, then PyTorch's message is thrown", () => {
    expect(() => randintFill(new Generator(), new BigInt64Array(3), "int64", 5, 5)).toThrow(
      new RuntimeError(err("randint_equal")),
    );
    expect(() => randintFill(new Generator(), new BigInt64Array(3), "int64", 5, 3)).toThrow(err("randint_reversed"));
  });

  it("given bounds outside the dtype, when filling, then the bound and C++ type are named like PyTorch", () => {
    const g = new Generator();
    expect(() => randintFill(g, new Int32Array(3), "int32", 0, 2 ** 40)).toThrow(err("randint_int32_out_of_bounds"));
    expect(() => randintFill(g, new Uint8Array(3), "uint8", -1, 5)).toThrow(err("randint_uint8_negative"));
    expect(() => randintFill(g, new Int16Array(3), "int16", 0, 2 ** 20)).toThrow("to - 1 is out of bounds for short int");
    expect(() => randintFill(g, new Int8Array(3), "int8", 0, 2 ** 20)).toThrow("to - 1 is out of bounds for signed char");
    expect(() => randintFill(g, new Uint8Array(3), "bool", 0, 3)).toThrow("to - 1 is out of bounds for bool");
  });

  it("given a bound beyond int64, when filling, then Python's overflow message is thrown", () => {
    expect(() => randintFill(new Generator(), new BigInt64Array(1), "int64", 0, 2n ** 63n)).toThrow(ValueError);
  });

  it("given int64 stored as float64, when filling, then the values equal the BigInt64Array ones", () => {
    const a = randintFill(new Generator(4), new BigInt64Array(50), "int64", -7, 2 ** 40);
    const b = randintFill(new Generator(4), new Float64Array(50), "int64", -7, 2 ** 40);
    expect(Array.from(b)).toEqual(Array.from(a, Number));
  });

  it("given a float dtype and a range beyond 2^24, when filling, then PyTorch's precision warning is emitted", () => {
    const { warnings } = catchWarnings(() => randintFill(new Generator(), new Float32Array(2), "float32", 0, 2 ** 30));
    expect(warnings.map((w) => w.message)).toEqual([
      "to - 1 is out of bounds [-(2^24), 2^24]. Due to precision limitations float can support discrete uniform distribution only within this range. This warning will become an error in version 1.7 release, please fix the code in advance",
    ]);
  });

  it("given bool, when filling [0, 2), then values are 0 or 1 from one 32-bit draw each", () => {
    const g = new Generator(8);
    const out = randintFill(g, new Uint8Array(64), "bool", 0, 2);
    const h = new Generator(8);
    expect(Array.from(out)).toEqual(Array.from({ length: 64 }, () => h.random() % 2));
  });
});

describe("randperm", () => {
  it("given n < 0, when permuting, then torch.randperm's message is thrown", () => {
    expect(() => randperm(new Generator(), -1)).toThrow(new RuntimeError(err("randperm_negative")));
  });

  it("given n = 0 or 1, when permuting, then no draw is made", () => {
    const g = new Generator(1);
    const before = g.getState();
    expect(Array.from(randperm(g, 0))).toEqual([]);
    expect(Array.from(randperm(g, 1))).toEqual([0n]);
    expect(g.getState()).toEqual(before);
  });

  it("given n, when permuting, then the result is a permutation of 0..n-1 drawn with n-1 draws", () => {
    const g = new Generator(13);
    const p = randperm(g, 1000, "int32");
    expect([...p].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const h = new Generator(13);
    h.fillRandom(new Uint32Array(999));
    expect(g.getState()).toEqual(h.getState());
  });

  it("given dtypes too small for n, when permuting, then PyTorch's messages are thrown", () => {
    const g = new Generator();
    expect(() => randperm(g, 129, "int8")).toThrow("value cannot be converted to type int8_t without overflow");
    expect(Array.from(randperm(g, 128, "int8")).length).toBe(128);
    expect(() => randperm(g, 257, "uint8")).toThrow("value cannot be converted to type uint8_t without overflow");
    expect(() => randperm(g, 2 ** 24 + 2, "float32")).toThrow("n cannot be greater than 2^24+1 for Float type.");
    expect(() => randperm(g, 3, "bool")).toThrow(`"randperm" not implemented for 'Bool'`);
  });

  it("given an int64 out buffer as float64, when permuting, then it is filled like the bigint result", () => {
    const out = new Float64Array(30);
    expect(randperm(new Generator(42), 30, "int64", out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(randperm(new Generator(42), 30), Number));
  });
});

describe("bernoulli", () => {
  it("given p outside [0, 1], when filling with a scalar p, then PyTorch's message is thrown", () => {
    expect(() => bernoulliFillScalar(new Generator(), new Float32Array(3), "float32", 1.5)).toThrow(
      new RuntimeError(err("bernoulli_p_1_5")),
    );
    expect(() => bernoulliFillScalar(new Generator(), new Float32Array(3), "float32", -0.25)).toThrow(
      err("bernoulli_p_neg"),
    );
    expect(() => bernoulliFillScalar(new Generator(), new Float32Array(3), "float32", Number.NaN)).toThrow(
      "bernoulli_ expects p to be in [0, 1], but got p=nan",
    );
  });

  it("given p = 1, when filling, then every value is 1 and the draws are still made", () => {
    const g = new Generator(2);
    expect(Array.from(bernoulliFillScalar(g, new Int32Array(5), "int32", 1))).toEqual([1, 1, 1, 1, 1]);
    const h = new Generator(2);
    h.fillRandom(new Uint32Array(10));
    expect(g.getState()).toEqual(h.getState());
  });

  it("given a probability outside [0, 1] mid-tensor, when filling, then the earlier elements drew and PyTorch's message is thrown", () => {
    const g = new Generator(6);
    const probs = new Float32Array([0.5, 0.5, 0.5, 1.5, 0.5]);
    expect(() => bernoulliFillTensor(g, new Float32Array(5), "float32", probs)).toThrow(
      new RuntimeError(err("bernoulli_tensor_p_1_5")),
    );
    const h = new Generator(6);
    h.fillRandom(new Uint32Array(3));
    expect(g.getState()).toEqual(h.getState());
  });

  it("given one probability, when filling, then it is broadcast to every element", () => {
    const a = bernoulliFillTensor(new Generator(3), new Uint8Array(40), "bool", new Float64Array([0.25]));
    const b = bernoulliFillTensor(new Generator(3), new Uint8Array(40), "bool", new Float64Array(40).fill(0.25));
    expect(a).toEqual(b);
    expect(() => bernoulliFillTensor(new Generator(), new Uint8Array(4), "bool", new Float64Array(3))).toThrow(
      "The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 0",
    );
  });

  it("given an int64 BigInt64Array, when filling, then it holds 0n/1n like the float results", () => {
    const a = bernoulliFillScalar(new Generator(5), new BigInt64Array(20), "int64", 0.5);
    const b = bernoulliFillScalar(new Generator(5), new Float32Array(20), "float32", 0.5);
    expect(Array.from(a, Number)).toEqual(Array.from(b));
  });
});

describe("dropoutFill", () => {
  it("given p = 0 or p = 1, when drawing the mask, then no draw is made", () => {
    const g = new Generator(1);
    const before = g.getState();
    const mask = new Float32Array(4);
    expect(dropoutFill(g, mask, "float32", 0)).toBe(1);
    expect(Array.from(mask)).toEqual([1, 1, 1, 1]);
    expect(dropoutFill(g, mask, "float32", 1)).toBe(0);
    expect(Array.from(mask)).toEqual([0, 0, 0, 0]);
    expect(g.getState()).toEqual(before);
  });

  it("given p, when drawing the mask, then it is bernoulli_(1 - p) and the factor is 1 / (1 - p) in the dtype", () => {
    const mask = new Float64Array(50);
    expect(dropoutFill(new Generator(8), mask, "float64", 0.25)).toBe(1 / 0.75);
    expect(mask).toEqual(bernoulliFillScalar(new Generator(8), new Float64Array(50), "float64", 0.75));
    expect(dropoutFill(new Generator(8), new Float32Array(2), "float32", 0.4)).toBe(Math.fround(1 / Math.fround(0.6)));
  });

  it("given p outside [0, 1], when drawing the mask, then F.dropout's messages are thrown", () => {
    expect(() => dropoutFill(new Generator(), new Float32Array(3), "float32", 1.5)).toThrow(
      new ValueError(err("dropout_p_1_5")),
    );
    expect(() => dropoutFill(new Generator(), new Float32Array(3), "float32", Number.NaN)).toThrow(
      new RuntimeError("dropout probability has to be between 0 and 1, but got nan"),
    );
  });
});

describe("message formatting", () => {
  it.each([
    [1.5, "1.5"],
    [-0.25, "-0.25"],
    [3, "3"],
    [3e38, "3e+38"],
    [1e-7, "1e-07"],
    [1234567, "1.23457e+06"],
    [0.30000000000000004, "0.3"],
    [1e-7 - 1, "-1"],
    [Number.NaN, "nan"],
  ])("given %s, when printed as C++ streams a double, then it reads %s", (x, text) => {
    expect(formatCppDouble(x)).toBe(text);
  });

  it.each([
    [1.5, "1.5"],
    [2, "2.0"],
    [1e-7, "1e-07"],
    [0.0001, "0.0001"],
    [1e16, "1e+16"],
    [0.30000000000000004, "0.30000000000000004"],
  ])("given %s, when printed as Python's repr, then it reads %s", (x, text) => {
    expect(formatPythonFloat(x)).toBe(text);
  });
});

// ------------------------------------------------------------------------------------------------
// Exhaustive check of the float32 vector path. normal_fill_16_AVX2 only ever sees uniforms k 2^-24
// (k < 2^24), so its log sees 2^24 distinct inputs and its sincos 2^24 distinct angles. A scripted
// generator feeds every k once to each, and the kernel's output is compared with a straight
// transcription of avx_mathfun.h in which every place GCC contracts into an FMA uses an exact
// float32 FMA (computed independently of the kernel's: round-to-odd in double, then to float32).
// All 2^24 take about 10 s of CPU, so by default a scattered 1/16 of them runs (k = i * 0x9E3779B1
// mod 2^24, a bijection); RANDOM_EXHAUSTIVE=1 runs every k (it passes: 0 mismatches).
const EXHAUSTIVE = process.env.RANDOM_EXHAUSTIVE === "1";

const refF64 = new Float64Array(1);
const refU32 = new Uint32Array(refF64.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

function fmaF32Reference(a: number, b: number, c: number): number {
  const p = a * b; // exact: two float32 significands fit in a double
  const s = p + c;
  const bb = s - p;
  const e = p - (s - bb) + (c - bb);
  if (e === 0) return Math.fround(s);
  refF64[0] = s;
  const lo = refU32[LO]!;
  if ((lo & 1) === 0) {
    // Round to odd: the exact sum lies strictly between s and its neighbour toward e, and for a
    // fixed sign that neighbour is the bit pattern plus or minus one (lo is even: +1 cannot carry).
    if (e > 0 === s > 0) refU32[LO] = lo + 1;
    else if (lo !== 0) refU32[LO] = lo - 1;
    else {
      refU32[LO] = 0xffffffff;
      refU32[HI] = refU32[HI]! - 1;
    }
  }
  return Math.fround(refF64[0]!);
}

const F = Math.fround;
const f32Box = new Float32Array(1);
const u32Box = new Uint32Array(f32Box.buffer);

const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(F);

function logReference(v: number): number {
  f32Box[0] = v;
  const imm0 = (u32Box[0]! >>> 23) - 0x7f;
  u32Box[0] = (u32Box[0]! & ~0x7f800000) | 0x3f000000;
  let x = f32Box[0]!;
  let e = F(imm0 + 1);
  const mask = x < F(Math.SQRT1_2);
  const tmp = mask ? x : 0;
  x = F(x - 1);
  e = F(e - (mask ? 1 : 0));
  x = F(x + tmp);
  const z = F(x * x);
  let y = LOG_P[0]!;
  for (let k = 1; k <= 8; k++) y = fmaF32Reference(y, x, LOG_P[k]!);
  y = F(y * x);
  y = fmaF32Reference(y, z, F(e * F(-2.12194440e-4)));
  y = fmaF32Reference(-z, 0.5, y);
  return fmaF32Reference(e, F(0.693359375), F(x + y));
}

let sinRef = 0;
let cosRef = 0;

function sincosReference(theta: number): void {
  let x = Math.abs(theta);
  let j = Math.trunc(F(x * F(1.27323954473516)));
  j = (j + 1) & ~1;
  const y = j;
  const sinSwap = (j & 4) !== 0;
  const polyMask = (j & 2) === 0;
  x = fmaF32Reference(y, F(-0.78515625), x);
  x = fmaF32Reference(y, F(-2.4187564849853515625e-4), x);
  x = fmaF32Reference(y, F(-3.774894977445941e-8), x);
  const cosSign = ((j - 2) & 4) === 0;
  const z = F(x * x);
  let c = fmaF32Reference(F(2.443315711809948e-5), z, F(-1.388731625493765e-3));
  c = fmaF32Reference(c, z, F(4.166664568298827e-2));
  c = F(c * z);
  c = fmaF32Reference(c, z, -F(z * 0.5));
  c = F(c + 1);
  let s = fmaF32Reference(F(-1.9515295891e-4), z, F(8.3321608736e-3));
  s = fmaF32Reference(s, z, F(-1.6666654611e-1));
  s = F(s * z);
  s = fmaF32Reference(s, x, x);
  const sin = polyMask ? s : c;
  const cos = polyMask ? c : s;
  sinRef = sinSwap ? -sin : sin;
  cosRef = cosSign ? -cos : cos;
}

/** A generator whose 32-bit draws are chosen by the test. */
class ScriptedGenerator extends Generator {
  private position = 0;
  constructor(private readonly draw: (index: number) => number) {
    super(0);
  }

  override random(): number {
    return this.draw(this.position++) >>> 0;
  }

  override fillRandom(dst: Uint32Array | Int32Array, start = 0, count = dst.length - start): void {
    for (let i = 0; i < count; i++) dst[start + i] = this.draw(this.position++);
  }
}

describe("the float32 Box-Muller shortcut", () => {
  it(
    "given the uniforms the AVX2 path can see (all of them with RANDOM_EXHAUSTIVE=1), when transformed, then the results equal exact-FMA avx_mathfun",
    () => {
      const TOTAL = EXHAUSTIVE ? 1 << 24 : 1 << 20; // pairs: each k once for the radius, once for the angle
      const PER_CALL = 1 << 20; // floats per normalFill call = 2^16 blocks of 16
      const kOf = (i: number): number => (EXHAUSTIVE ? i : Math.imul(i, 0x9e3779b1) & 0xffffff);
      // Draw d belongs to block d >> 4, lane d & 15; lanes 0-7 carry k for u1, lanes 8-15 for theta.
      const gen = new ScriptedGenerator((d) => kOf(((d >>> 4) << 3) + (d & 7)));
      const out = new Float32Array(PER_CALL);
      const mismatches: string[] = [];
      const twoPi = F(2 * Math.PI);
      for (let call = 0; call < (2 * TOTAL) / PER_CALL; call++) {
        normalFill(gen, out, "float32");
        for (let b = 0; b < PER_CALL / 16; b++) {
          for (let j = 0; j < 8; j++) {
            const k = kOf((call * (PER_CALL / 16) + b) * 8 + j);
            const u = k * 2 ** -24;
            const radius = F(Math.sqrt(F(-2 * logReference(F(1 - u)))));
            sincosReference(F(twoPi * u));
            const n1 = F(radius * cosRef);
            const n2 = F(radius * sinRef);
            if ((!Object.is(out[16 * b + j], n1) || !Object.is(out[16 * b + j + 8], n2)) && mismatches.length < 5) {
              mismatches.push(`k=${k}: ${out[16 * b + j]} / ${out[16 * b + j + 8]} vs ${n1} / ${n2}`);
            }
          }
        }
      }
      expect(mismatches).toEqual([]);
    },
    600_000,
  );

  it("given mean and std, when transforming, then the last step is one fused rounding", () => {
    const gen = new ScriptedGenerator((d) => (d * 2654435761) & 0xffffff);
    const out = normalFill(gen, new Float32Array(16 * 64), "float32", -0.7, 0.3);
    const unit = normalFill(new ScriptedGenerator((d) => (d * 2654435761) & 0xffffff), new Float32Array(16 * 64), "float32");
    for (let i = 0; i < out.length; i++) {
      expect(out[i]).toBe(fmaF32Reference(unit[i]!, F(0.3), F(-0.7)));
    }
  });
});

describe("speed", () => {
  it("given 1M float32 elements, when drawing rand and randn, then each takes well under a second", () => {
    const g = new Generator(0);
    const out = new Float32Array(1 << 20);
    for (const fill of [() => uniformFill(g, out, "float32"), () => normalFill(g, out, "float32")]) {
      fill(); // warm up the JIT
      const t = performance.now();
      fill();
      expect(performance.now() - t).toBeLessThan(1000);
    }
  });
});
