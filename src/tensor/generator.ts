// PyTorch's CPU random generator (CPUGeneratorImpl): a 32-bit Mersenne twister seeded the way
// PyTorch seeds it, the 32/64-bit draws its kernels consume, the cached Box-Muller samples, and
// a process-wide default generator. Same seed, same numbers as `torch.manual_seed` on CPU.
// The random kernels that turn these draws into tensors live in src/backends/cpu/random-kernels.ts.

import { RuntimeError, ValueError } from "../core/errors.js";

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** PyTorch's `default_rng_seed_val`: the seed of a new `torch.Generator()`. */
export const DEFAULT_RNG_SEED = 67280421310721;

/** Byte size of PyTorch's `CPUGeneratorImplState`, what `torch.get_rng_state()` returns. */
export const CPU_RNG_STATE_SIZE = 5056;

// Byte offsets inside CPUGeneratorImplState (x86-64 layout of the C++ POD).
const OFF_SEED = 0; // uint64 the_initial_seed
const OFF_LEFT = 8; // int left
const OFF_SEEDED = 12; // int seeded
const OFF_NEXT = 16; // uint64 next
const OFF_STATE = 24; // uint64 state[624] (each holding a uint32)
const OFF_NORMAL_X = OFF_STATE + 8 * N; // double normal_x (unused, 0)
const OFF_NORMAL_Y = OFF_NORMAL_X + 8; // double normal_y: the cached double normal sample
const OFF_NORMAL_RHO = OFF_NORMAL_Y + 8; // double normal_rho (unused, 0)
const OFF_NORMAL_VALID = OFF_NORMAL_RHO + 8; // int normal_is_valid
const OFF_FLOAT_NORMAL = 5048; // float next_float_normal_sample
const OFF_FLOAT_NORMAL_VALID = 5052; // bool is_next_float_normal_sample_valid

const TWO_POW_64 = 1n << 64n;
const MIN_SEED = -(1n << 63n);

/**
 * Converts a seed the way `torch.manual_seed` does: any integer in [-2^63, 2^64 - 1], negative
 * values taken as their 64-bit two's complement. Non-integral numbers are truncated like Python's
 * `int(seed)`.
 */
function seedToUint64(seed: number | bigint): bigint {
  let s: bigint;
  if (typeof seed === "bigint") {
    s = seed;
  } else {
    if (!Number.isFinite(seed)) {
      throw new ValueError(`cannot convert float ${String(seed)} to integer`);
    }
    s = BigInt(Math.trunc(seed));
  }
  if (s < MIN_SEED || s >= TWO_POW_64) throw new ValueError("Overflow when unpacking long long");
  return s < 0n ? s + TWO_POW_64 : s;
}

/** A generator's complete state, as plain data (see {@link Generator.getStateObject}). */
export interface GeneratorStateObject {
  /** The seed the engine was last seeded with, as a decimal string (a uint64). */
  readonly initialSeed: string;
  /** Draws left before the next twist (1..624). */
  readonly left: number;
  /** Index of the next state word to temper (0..624). */
  readonly next: number;
  /** The 624 state words. */
  readonly state: readonly number[];
  /** The cached double Box-Muller sample, or null. */
  readonly nextDoubleNormalSample: number | null;
  /** The cached float Box-Muller sample, or null. */
  readonly nextFloatNormalSample: number | null;
}

/**
 * PyTorch's CPU generator: an mt19937 engine (PyTorch's own implementation, identical to the
 * reference mt19937 with `init_genrand`) plus the cached second sample of Box-Muller.
 *
 * `random()` is PyTorch's 32-bit draw; `random64()` joins two draws, the first as the high
 * word. Kernels draw in bulk with `fillRandom()` (same numbers, no per-draw call or BigInt).
 * @example
 * const g = new Generator(42);
 * g.random();          // 1608637542: mt19937's first output for seed 42, as PyTorch draws it
 * g.manualSeed(0).initialSeed(); // 0n
 */
export class Generator {
  private readonly mt = new Uint32Array(N);
  /** mt19937's outputs for the current state words, tempered once per twist (a speed cache). */
  private readonly tempered = new Int32Array(N);
  private left = 1;
  private next = 0;
  private seedLo = 0;
  private seedHi = 0;
  private floatNormal: number | undefined = undefined;
  private doubleNormal: number | undefined = undefined;

  /**
   * Creates a generator seeded with `seed` (default PyTorch's `default_rng_seed_val`,
   * 67280421310721, the seed of a fresh `torch.Generator()`).
   * @example
   * const g = new Generator(); g.initialSeed(); // 67280421310721n
   */
  constructor(seed: number | bigint = DEFAULT_RNG_SEED) {
    this.manualSeed(seed);
  }

  /**
   * Re-seeds the engine and drops any cached normal sample (`Generator.manual_seed`).
   * Accepts integers in [-2^63, 2^64 - 1]; negatives wrap to their two's complement like PyTorch.
   * Only the low 32 bits reach the Mersenne twister, as in PyTorch.
   * @example
   * g.manualSeed(-1).initialSeed(); // 18446744073709551615n
   */
  manualSeed(seed: number | bigint): this {
    const s = seedToUint64(seed);
    this.seedLo = Number(s & 0xffffffffn);
    this.seedHi = Number(s >> 32n);
    this.floatNormal = undefined;
    this.doubleNormal = undefined;
    const mt = this.mt;
    mt[0] = this.seedLo;
    for (let j = 1; j < N; j++) {
      const prev = mt[j - 1]!;
      mt[j] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
    return this;
  }

  /**
   * The seed last given to {@link manualSeed} (or the constructor), as a uint64 (`initial_seed()`).
   * @example
   * new Generator(7).initialSeed(); // 7n
   */
  initialSeed(): bigint {
    return (BigInt(this.seedHi) << 32n) | BigInt(this.seedLo);
  }

  /**
   * Seeds from a non-deterministic source (`Generator.seed()`) and returns the new seed.
   * Uses Web Crypto where present, otherwise Math.random and the clock.
   * @example
   * const s = g.seed(); g.initialSeed() === s; // true
   */
  seed(): bigint {
    const words = new Uint32Array(2);
    const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
    if (c?.getRandomValues) {
      c.getRandomValues(words);
    } else {
      words[0] = (Math.random() * 0x100000000) >>> 0;
      words[1] = (Date.now() ^ (Math.random() * 0x100000000)) >>> 0;
    }
    // PyTorch keeps non-deterministic seeds below 2^63 (they come from a signed 64-bit source).
    const s = (BigInt(words[1]! & 0x7fffffff) << 32n) | BigInt(words[0]!);
    this.manualSeed(s);
    return s;
  }

  /**
   * One 32-bit draw of the engine, as a number in [0, 2^32) (`CPUGeneratorImpl::random`).
   * @example
   * new Generator(5489).random(); // 3499211612, mt19937's reference first output
   */
  random(): number {
    if (--this.left === 0) this.twist();
    return this.tempered[this.next++]! >>> 0;
  }

  /**
   * Writes the next `count` 32-bit draws into `dst` from `start` (as `count` calls of
   * {@link random} would, the same state afterwards), copying whole runs from the tempered cache:
   * the bulk path of the kernels. An Int32Array receives the same bits as signed numbers.
   * @example
   * const draws = new Uint32Array(1000); g.fillRandom(draws);
   */
  fillRandom(dst: Uint32Array | Int32Array, start = 0, count = dst.length - start): void {
    let i = start;
    const end = start + count;
    while (i < end) {
      let avail = this.left - 1;
      if (avail === 0) {
        this.twist();
        // random() would now hand out tempered[0] and leave left = N: one more than after twist().
        this.left = N + 1;
        avail = N;
      }
      const k = Math.min(avail, end - i);
      dst.set(this.tempered.subarray(this.next, this.next + k), i);
      this.next += k;
      this.left -= k;
      i += k;
    }
  }

  /**
   * A 64-bit draw: the first 32-bit draw is the high word (`CPUGeneratorImpl::random64`).
   * @example
   * new Generator(0).random64(); // 10123822223749065263n
   */
  random64(): bigint {
    const hi = this.random();
    const lo = this.random();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /**
   * The cached float Box-Muller sample, if any (`next_float_normal_sample`). PyTorch's CPU kernels
   * never fill it today (their scalar normal path samples in double), but it is part of the state.
   */
  get nextFloatNormalSample(): number | undefined {
    return this.floatNormal;
  }

  set nextFloatNormalSample(v: number | undefined) {
    this.floatNormal = v === undefined ? undefined : Math.fround(v);
  }

  /** The cached double Box-Muller sample, if any (`next_double_normal_sample`). */
  get nextDoubleNormalSample(): number | undefined {
    return this.doubleNormal;
  }

  set nextDoubleNormalSample(v: number | undefined) {
    this.doubleNormal = v;
  }

  /**
   * The state in PyTorch's byte layout (`torch.get_rng_state()` / `Generator.get_state()`):
   * 5056 bytes that `torch.set_rng_state(torch.tensor(list(bytes), dtype=torch.uint8))` accepts,
   * and vice versa.
   * @example
   * const saved = g.getState(); g.random(); g.setState(saved); // replays the same draw
   */
  getState(): Uint8Array {
    const bytes = new Uint8Array(CPU_RNG_STATE_SIZE);
    const view = new DataView(bytes.buffer);
    view.setUint32(OFF_SEED, this.seedLo, true);
    view.setUint32(OFF_SEED + 4, this.seedHi, true);
    view.setInt32(OFF_LEFT, this.left, true);
    view.setInt32(OFF_SEEDED, 1, true);
    view.setUint32(OFF_NEXT, this.next, true);
    for (let i = 0; i < N; i++) view.setUint32(OFF_STATE + 8 * i, this.mt[i]!, true);
    if (this.doubleNormal !== undefined) {
      view.setInt32(OFF_NORMAL_VALID, 1, true);
      view.setFloat64(OFF_NORMAL_Y, this.doubleNormal, true);
    }
    if (this.floatNormal !== undefined) {
      view.setUint8(OFF_FLOAT_NORMAL_VALID, 1);
      view.setFloat32(OFF_FLOAT_NORMAL, this.floatNormal, true);
    }
    return bytes;
  }

  /**
   * Restores a state from {@link getState} (or from PyTorch's `get_rng_state()` bytes).
   * Throws PyTorch's errors for a wrong size or an invalid engine state.
   * @example
   * g.setState(other.getState());
   */
  setState(state: Uint8Array): this {
    if (state.length !== CPU_RNG_STATE_SIZE) {
      throw new RuntimeError(
        `Expected a CPUGeneratorImplState of size ${CPU_RNG_STATE_SIZE} but found the input RNG state size to be ${state.length}`,
      );
    }
    const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
    const left = view.getInt32(OFF_LEFT, true);
    const seeded = view.getInt32(OFF_SEEDED, true);
    const next = view.getUint32(OFF_NEXT, true); // PyTorch keeps the low 32 bits of the uint64
    if (seeded === 0 || !(left > 0 && left <= N) || next > N) {
      throw new RuntimeError("Invalid mt19937 state");
    }
    this.seedLo = view.getUint32(OFF_SEED, true);
    this.seedHi = view.getUint32(OFF_SEED + 4, true);
    this.left = left;
    this.next = next;
    for (let i = 0; i < N; i++) this.mt[i] = view.getUint32(OFF_STATE + 8 * i, true);
    this.temperAll();
    this.doubleNormal = view.getInt32(OFF_NORMAL_VALID, true) !== 0 ? view.getFloat64(OFF_NORMAL_Y, true) : undefined;
    this.floatNormal = view.getUint8(OFF_FLOAT_NORMAL_VALID) !== 0 ? view.getFloat32(OFF_FLOAT_NORMAL, true) : undefined;
    return this;
  }

  /**
   * The state as JSON-friendly data (the same information as {@link getState}).
   * @example
   * const json = JSON.stringify(g.getStateObject());
   */
  getStateObject(): GeneratorStateObject {
    return {
      initialSeed: this.initialSeed().toString(),
      left: this.left,
      next: this.next,
      state: Array.from(this.mt),
      nextDoubleNormalSample: this.doubleNormal ?? null,
      nextFloatNormalSample: this.floatNormal ?? null,
    };
  }

  /**
   * Restores a state from {@link getStateObject}.
   * @example
   * g.setStateObject(JSON.parse(json));
   */
  setStateObject(obj: GeneratorStateObject): this {
    if (!Array.isArray(obj.state) || obj.state.length !== N) {
      throw new RuntimeError(`Expected ${N} mt19937 state words but found ${String(obj.state?.length)}`);
    }
    if (!(Number.isInteger(obj.left) && obj.left > 0 && obj.left <= N) || !(Number.isInteger(obj.next) && obj.next >= 0 && obj.next <= N)) {
      throw new RuntimeError("Invalid mt19937 state");
    }
    const seed = seedToUint64(BigInt(obj.initialSeed));
    this.seedLo = Number(seed & 0xffffffffn);
    this.seedHi = Number(seed >> 32n);
    for (let i = 0; i < N; i++) this.mt[i] = obj.state[i]! >>> 0;
    this.temperAll();
    this.left = obj.left;
    this.next = obj.next;
    this.doubleNormal = obj.nextDoubleNormalSample ?? undefined;
    this.floatNormal = obj.nextFloatNormalSample === null ? undefined : Math.fround(obj.nextFloatNormalSample);
    return this;
  }

  /**
   * An independent copy with the same state (`Generator.clone_state` / `graphsafe_get_state`).
   * @example
   * const g2 = g.clone(); g2.random() === g.random(); // true
   */
  clone(): Generator {
    const g = new Generator(0);
    g.mt.set(this.mt);
    g.tempered.set(this.tempered);
    g.left = this.left;
    g.next = this.next;
    g.seedLo = this.seedLo;
    g.seedHi = this.seedHi;
    g.floatNormal = this.floatNormal;
    g.doubleNormal = this.doubleNormal;
    return g;
  }

  /** Regenerates all 624 words (mt19937's "next_state"), in PyTorch's order. */
  private twist(): void {
    const mt = this.mt;
    this.left = N;
    this.next = 0;
    let k = 0;
    for (; k < N - M; k++) {
      const u = mt[k]!;
      const v = mt[k + 1]!;
      mt[k] = mt[k + M]! ^ (((u & UPPER_MASK) | (v & LOWER_MASK)) >>> 1) ^ (v & 1 ? MATRIX_A : 0);
    }
    for (; k < N - 1; k++) {
      const u = mt[k]!;
      const v = mt[k + 1]!;
      mt[k] = mt[k + M - N]! ^ (((u & UPPER_MASK) | (v & LOWER_MASK)) >>> 1) ^ (v & 1 ? MATRIX_A : 0);
    }
    const u = mt[N - 1]!;
    const v = mt[0]!;
    mt[N - 1] = mt[M - 1]! ^ (((u & UPPER_MASK) | (v & LOWER_MASK)) >>> 1) ^ (v & 1 ? MATRIX_A : 0);
    this.temperAll();
  }

  /** Tempers every state word into the output cache (mt19937's output transform). */
  private temperAll(): void {
    const mt = this.mt;
    const out = this.tempered;
    for (let i = 0; i < N; i++) {
      let y = mt[i]!;
      y ^= y >>> 11;
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= y >>> 18;
      out[i] = y;
    }
  }
}

let defaultGen: Generator | undefined;

/**
 * The process-wide default CPU generator (`torch.default_generator`), used when a kernel gets no
 * generator. Its initial seed is 67280421310721; real PyTorch seeds its default generator from a
 * non-deterministic source at start-up, so call {@link manualSeed} for reproducible runs.
 * @example
 * defaultGenerator().random();
 */
export function defaultGenerator(): Generator {
  defaultGen ??= new Generator(DEFAULT_RNG_SEED);
  return defaultGen;
}

/**
 * Seeds the default generator, like `torch.manual_seed(seed)`, and returns it.
 * @example
 * manualSeed(0); // then uniformFill(defaultGenerator(), out, "float32") = torch.rand
 */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator().manualSeed(seed);
}

/**
 * The default generator's seed, like `torch.initial_seed()`.
 * @example
 * manualSeed(3); initialSeed(); // 3n
 */
export function initialSeed(): bigint {
  return defaultGenerator().initialSeed();
}
