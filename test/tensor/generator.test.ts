// The CPU generator: the Mersenne twister against its reference outputs, PyTorch's seeding and
// state layout against fixtures from real PyTorch (test/fixtures/random.json, written by
// scripts/fixtures/random_fixtures.py), and the draws the kernels build on.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RuntimeError, ValueError } from "../../src/core/errors.js";
import {
  CPU_RNG_STATE_SIZE,
  DEFAULT_RNG_SEED,
  Generator,
  defaultGenerator,
  initialSeed,
  manualSeed,
} from "../../src/tensor/generator.js";
import { normalFill, uniformFill } from "../../src/backends/cpu/random-kernels.js";

interface SeedFixture {
  readonly initial_seed: string;
  readonly rand_3: number[];
}
interface Fixtures {
  readonly manual_seed: Record<string, SeedFixture>;
  readonly new_generator_initial_seed: string;
  readonly rng_state_after_seed42_randn3f64_randn20: string;
  readonly rand_4_after_that_state: number[];
  readonly errors: Record<string, { type: string; message: string } | null>;
}

const fixtures = JSON.parse(
  readFileSync(new URL("../fixtures/random.json", import.meta.url), "utf8"),
) as Fixtures;

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function rand(g: Generator, n: number): number[] {
  return Array.from(uniformFill(g, new Float32Array(n), "float32"));
}

describe("mt19937 engine", () => {
  it("given the reference seed 5489, when drawing, then the first output is 3499211612", () => {
    expect(new Generator(5489).random()).toBe(3499211612);
  });

  it("given seed 5489, when drawing 10000 times, then the last output is the C++ standard's 4123659995", () => {
    const g = new Generator(5489);
    let v = 0;
    for (let i = 0; i < 10000; i++) v = g.random();
    expect(v).toBe(4123659995);
  });

  it("given seed 42, when drawing, then the outputs are std::mt19937(42)'s", () => {
    const g = new Generator(42);
    expect([g.random(), g.random(), g.random()]).toEqual([1608637542, 3421126067, 4083286876]);
  });

  it("given any seed, when drawing, then every output is an unsigned 32-bit integer", () => {
    const g = new Generator(123);
    for (let i = 0; i < 2000; i++) {
      const v = g.random();
      expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
    }
  });
});

describe("Generator seeding", () => {
  it("given a new Generator, when reading its seed, then it is PyTorch's default 67280421310721", () => {
    expect(new Generator().initialSeed()).toBe(BigInt(fixtures.new_generator_initial_seed));
    expect(DEFAULT_RNG_SEED).toBe(67280421310721);
  });

  it.each(Object.entries(fixtures.manual_seed))(
    "given torch.manual_seed(%s), when reading the seed and drawing rand(3), then both match PyTorch",
    (seed, fx) => {
      const g = new Generator().manualSeed(BigInt(seed));
      expect(g.initialSeed()).toBe(BigInt(fx.initial_seed));
      expect(rand(g, 3)).toEqual(fx.rand_3);
    },
  );

  it("given a seed as a number, when seeding, then it equals the same seed as a bigint", () => {
    expect(rand(new Generator(12345), 4)).toEqual(rand(new Generator(12345n), 4));
    expect(new Generator(-1).initialSeed()).toBe(2n ** 64n - 1n);
  });

  it("given a seed outside [-2^63, 2^64), when seeding, then PyTorch's ValueError is thrown", () => {
    const expected = fixtures.errors.manual_seed_too_big!;
    expect(() => new Generator(2n ** 64n)).toThrow(ValueError);
    expect(() => new Generator(2n ** 64n)).toThrow(expected.message);
    expect(() => new Generator(-(2n ** 63n) - 1n)).toThrow(expected.message);
  });

  it("given a non-integral number, when seeding, then it is truncated like Python's int()", () => {
    expect(new Generator(7.9).initialSeed()).toBe(7n);
    expect(() => new Generator(Number.NaN)).toThrow(ValueError);
  });

  it("given draws already made, when re-seeding with the same seed, then the sequence repeats", () => {
    const g = new Generator(99);
    const first = rand(g, 50);
    g.random();
    g.manualSeed(99);
    expect(rand(g, 50)).toEqual(first);
  });

  it("given a cached normal sample, when re-seeding, then the cache is dropped", () => {
    const g = new Generator(1);
    g.nextDoubleNormalSample = 0.5;
    g.nextFloatNormalSample = 0.25;
    g.manualSeed(1);
    expect(g.nextDoubleNormalSample).toBeUndefined();
    expect(g.nextFloatNormalSample).toBeUndefined();
  });

  it("given seed(), when called, then the generator is re-seeded with the returned value below 2^63", () => {
    const g = new Generator(0);
    const s = g.seed();
    expect(g.initialSeed()).toBe(s);
    expect(s >= 0n && s < 2n ** 63n).toBe(true);
    expect(rand(g, 3)).toEqual(rand(new Generator(s), 3));
  });
});

describe("the default generator", () => {
  it("given the process default, when reading it twice, then it is one object", () => {
    expect(defaultGenerator()).toBe(defaultGenerator());
  });

  it("given manualSeed, when drawing from the default generator, then torch.manual_seed's numbers come out", () => {
    const g = manualSeed(0);
    expect(g).toBe(defaultGenerator());
    expect(initialSeed()).toBe(0n);
    expect(rand(defaultGenerator(), 3)).toEqual(fixtures.manual_seed["0"]!.rand_3);
  });
});

describe("64-bit and bulk draws", () => {
  it("given two generators in the same state, when one draws random64, then it is (first << 32) | second", () => {
    const a = new Generator(7);
    const b = new Generator(7);
    const hi = BigInt(b.random());
    const lo = BigInt(b.random());
    expect(a.random64()).toBe((hi << 32n) | lo);
  });

  it.each([1, 5, 623, 624, 625, 1000, 1248, 5000])(
    "given chunks of %i, when filling in bulk across twists, then draws and state equal one-by-one draws",
    (chunk) => {
      const bulk = new Generator(2024);
      const single = new Generator(2024);
      bulk.random(); // start mid-way through a block
      single.random();
      const got = new Uint32Array(3 * chunk + 7);
      for (let at = 0; at < got.length; at += chunk) bulk.fillRandom(got, at, Math.min(chunk, got.length - at));
      const want = Array.from({ length: got.length }, () => single.random());
      expect(Array.from(got)).toEqual(want);
      expect(bulk.random()).toBe(single.random());
      expect(bulk.getState()).toEqual(single.getState());
    },
  );

  it("given an Int32Array, when filling in bulk, then it holds the same bits as signed numbers", () => {
    const got = new Int32Array(10);
    new Generator(3).fillRandom(got);
    const g = new Generator(3);
    expect(Array.from(got)).toEqual(Array.from({ length: 10 }, () => g.random() | 0));
  });
});

describe("generator state", () => {
  it("given seed 42, randn(3, float64) and randn(20), when saving the state, then the 5056 bytes equal torch.get_rng_state()", () => {
    const g = new Generator(42);
    normalFill(g, new Float64Array(3), "float64"); // scalar path: leaves a cached double sample
    normalFill(g, new Float32Array(20), "float32"); // vectorised path: 20 + 16 float draws
    const state = g.getState();
    expect(state.length).toBe(CPU_RNG_STATE_SIZE);
    expect(state).toEqual(hexToBytes(fixtures.rng_state_after_seed42_randn3f64_randn20));
  });

  it("given torch.get_rng_state() bytes, when loading them, then the next draws are PyTorch's", () => {
    const g = new Generator(0).setState(hexToBytes(fixtures.rng_state_after_seed42_randn3f64_randn20));
    expect(g.initialSeed()).toBe(42n);
    expect(g.nextDoubleNormalSample).toBeDefined();
    expect(rand(g, 4)).toEqual(fixtures.rand_4_after_that_state);
  });

  it("given loaded PyTorch state, when saving it again, then the bytes round-trip exactly", () => {
    const bytes = hexToBytes(fixtures.rng_state_after_seed42_randn3f64_randn20);
    expect(new Generator(0).setState(bytes).getState()).toEqual(bytes);
  });

  it("given a saved state, when restoring it after more draws, then the draws replay", () => {
    const g = new Generator(5);
    g.random();
    g.nextDoubleNormalSample = -1.25;
    g.nextFloatNormalSample = 0.5;
    const saved = g.getState();
    const a = rand(g, 700);
    g.setState(saved);
    expect(g.nextDoubleNormalSample).toBe(-1.25);
    expect(g.nextFloatNormalSample).toBe(0.5);
    expect(rand(g, 700)).toEqual(a);
  });

  it("given the state as plain data, when sent through JSON and restored, then the generator continues identically", () => {
    const g = new Generator(77);
    rand(g, 1000);
    g.nextDoubleNormalSample = 0.125;
    const copy = new Generator(0).setStateObject(JSON.parse(JSON.stringify(g.getStateObject())));
    expect(copy.initialSeed()).toBe(77n);
    expect(copy.nextDoubleNormalSample).toBe(0.125);
    expect(rand(copy, 900)).toEqual(rand(g, 900));
  });

  it("given a clone, when both draw, then they agree and stay independent", () => {
    const g = new Generator(11);
    g.random();
    const c = g.clone();
    expect(c.random()).toBe(g.random());
    c.random();
    expect(c.getState()).not.toEqual(g.getState());
  });

  it("given a state of the wrong size, when loading it, then PyTorch's message is thrown", () => {
    expect(() => new Generator().setState(new Uint8Array(10))).toThrow(
      new RuntimeError("Expected a CPUGeneratorImplState of size 5056 but found the input RNG state size to be 10"),
    );
  });

  it("given a state with an impossible position, when loading it, then 'Invalid mt19937 state' is thrown", () => {
    const bytes = new Generator(1).getState();
    new DataView(bytes.buffer).setInt32(8, 0, true); // left = 0
    expect(() => new Generator().setState(bytes)).toThrow("Invalid mt19937 state");
  });
});
