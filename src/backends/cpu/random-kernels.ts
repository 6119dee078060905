// PyTorch's CPU random kernels (torch.rand, randn, randint, randperm, bernoulli, dropout's mask)
// as pure functions over a contiguous typed array: given a Generator in the same state, they
// consume the same draws and write bit-for-bit the values PyTorch 2.x writes on x86-64 Linux with
// AVX2 and FMA (PyTorch's AVX2 kernels), float32 bit for bit; float64 normals use the JS engine's libm (see below).

import { NotImplementedError, RuntimeError, ValueError } from "../../core/errors.js";
import { warn } from "../../core/warnings.js";
import type { Generator } from "../../tensor/generator.js";

/** The dtypes these kernels write. */
export type RandomDtype = "float32" | "float64" | "int32" | "int64" | "int16" | "int8" | "uint8" | "bool";

/**
 * A contiguous output buffer. int64 may live in a BigInt64Array (exact) or a Float64Array (exact
 * up to 2^53); bool lives in a Uint8Array of 0/1.
 */
export type RandomOut = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Int16Array;

interface DtypeInfo {
  /** PyTorch's ScalarType name, as in `"normal_kernel_cpu" not implemented for 'Long'`. */
  readonly scalarType: string;
  /** The C++ type name PyTorch prints in bounds errors ("to - 1 is out of bounds for int"). */
  readonly cppName: string;
  readonly floating: boolean;
  /** Mantissa digits of a floating type. */
  readonly digits: number;
  /** Inclusive integer bounds of an integral type. */
  readonly min: bigint;
  readonly max: bigint;
  /** Name in "value cannot be converted to type int8_t without overflow". */
  readonly cType: string;
  readonly arrays: readonly string[];
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const TWO_POW_32 = 4294967296;

const DTYPES: Record<RandomDtype, DtypeInfo> = {
  float32: { scalarType: "Float", cppName: "float", floating: true, digits: 24, min: 0n, max: 0n, cType: "float", arrays: ["Float32Array"] },
  float64: { scalarType: "Double", cppName: "double", floating: true, digits: 53, min: 0n, max: 0n, cType: "double", arrays: ["Float64Array"] },
  int64: { scalarType: "Long", cppName: "long int", floating: false, digits: 63, min: INT64_MIN, max: INT64_MAX, cType: "int64_t", arrays: ["BigInt64Array", "Float64Array"] },
  int32: { scalarType: "Int", cppName: "int", floating: false, digits: 31, min: -(1n << 31n), max: (1n << 31n) - 1n, cType: "int32_t", arrays: ["Int32Array"] },
  int16: { scalarType: "Short", cppName: "short int", floating: false, digits: 15, min: -(1n << 15n), max: (1n << 15n) - 1n, cType: "int16_t", arrays: ["Int16Array"] },
  int8: { scalarType: "Char", cppName: "signed char", floating: false, digits: 7, min: -128n, max: 127n, cType: "int8_t", arrays: ["Int8Array"] },
  uint8: { scalarType: "Byte", cppName: "unsigned char", floating: false, digits: 8, min: 0n, max: 255n, cType: "uint8_t", arrays: ["Uint8Array"] },
  bool: { scalarType: "Bool", cppName: "bool", floating: false, digits: 1, min: 0n, max: 1n, cType: "bool", arrays: ["Uint8Array"] },
};

function dtypeInfo(dtype: RandomDtype): DtypeInfo {
  const info = DTYPES[dtype];
  if (info === undefined) throw new TypeError(`unknown dtype ${String(dtype)}`);
  return info;
}

function checkOut(out: RandomOut, dtype: RandomDtype, fn: string): DtypeInfo {
  const info = dtypeInfo(dtype);
  const kind = out.constructor.name;
  if (!info.arrays.includes(kind)) {
    throw new TypeError(`${fn}: a ${dtype} output must be a ${info.arrays.join(" or ")}, got ${kind}`);
  }
  return info;
}

function notImplemented(kernel: string, info: DtypeInfo): NotImplementedError {
  return new NotImplementedError(`"${kernel}" not implemented for '${info.scalarType}'`);
}

// ---------------------------------------------------------------------------------------------
// Number formatting as PyTorch's messages print it.

/** A double as C++'s `ostream << double` prints it (printf "%g", 6 significant digits). */
export function formatCppDouble(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mant, expStr] = x.toExponential(5).split("e") as [string, string];
  const exp = Number(expStr);
  const strip = (s: string): string => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${strip(mant)}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  return strip(x.toFixed(5 - exp));
}

/** A double as Python's `repr(float)` prints it (for the messages PyTorch raises from Python). */
export function formatPythonFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expStr] = x.toExponential().split("e") as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  const s = String(x);
  return s.includes(".") ? s : `${s}.0`;
}

// ---------------------------------------------------------------------------------------------
// Exact floating-point helpers. PyTorch's AVX2 kernels are compiled with FMA contraction, so
// `a * b + c` in its C++ is one rounding; these reproduce that without hardware FMA.

const f32 = Math.fround;

/**
 * fma(a, b, c) rounded once to float32, for float32 a, b, c. The product is exact in a double; the
 * sum may round, which only matters when it lands exactly on a float32 rounding midpoint.
 */
function fmaF32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = f32(s);
  const d = s - r;
  const other = r + 2 * d;
  // Unless s sits exactly between two float32 values (then `other` is the far one), rounding s
  // is rounding the exact sum.
  if (d === 0 || f32(other) !== other) return r;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  if (err === 0) return r;
  return err > 0 === other > r ? other : r;
}

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's split for doubles
const f64Scratch = new Float64Array(1);
const u32Scratch = new Uint32Array(f64Scratch.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW_WORD = LITTLE_ENDIAN ? 0 : 1;

/** The exact error of the double product a * b (Dekker's TwoProduct). */
function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** x + y rounded to odd (Boldo-Melquiond): the sticky rounding that makes a second rounding exact. */
function addRoundToOdd(x: number, y: number): number {
  const s = x + y;
  const bb = s - x;
  const err = x - (s - bb) + (y - bb);
  if (err === 0) return s;
  f64Scratch[0] = s;
  if ((u32Scratch[LOW_WORD]! & 1) === 1) return s;
  // Step one ulp toward the lost part: the magnitude grows when err has the sign of s.
  const away = err > 0 === s > 0;
  const lo = u32Scratch[LOW_WORD]!;
  const hiIdx = 1 - LOW_WORD;
  if (away) {
    if (lo === 0xffffffff) {
      u32Scratch[LOW_WORD] = 0;
      u32Scratch[hiIdx] = u32Scratch[hiIdx]! + 1;
    } else u32Scratch[LOW_WORD] = lo + 1;
  } else if (lo === 0) {
    u32Scratch[LOW_WORD] = 0xffffffff;
    u32Scratch[hiIdx] = u32Scratch[hiIdx]! - 1;
  } else u32Scratch[LOW_WORD] = lo - 1;
  return f64Scratch[0]!;
}

/** fma(a, b, c) for doubles, rounded once (Boldo-Melquiond's emulated FMA). */
function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  const pe = productError(a, b, p);
  if (pe === 0 || !Number.isFinite(p)) return p + c;
  // th + tl = c + pe exactly
  const th = c + pe;
  let bb = th - c;
  const tl = c - (th - bb) + (pe - bb);
  // vh + vl = p + th exactly
  const vh = p + th;
  bb = vh - p;
  const vl = p - (vh - bb) + (th - bb);
  return vh + addRoundToOdd(tl, vl);
}

// ---------------------------------------------------------------------------------------------
// float64 normals use the JS engine's libm (Math.log, log1p, sin, cos). PyTorch's float64 normal
// kernels call the C library's, which differs from V8's fdlibm-based functions in the last bit
// for a few percent of inputs, so float64 normals can differ from PyTorch's by one ulp there.
// (Reproducing glibc's functions bit for bit would mean porting LGPL code, which we do not do.)
const logLibm = Math.log;
const log1pLibm = Math.log1p;
const sinLibm = Math.sin;
const cosLibm = Math.cos;

// ---------------------------------------------------------------------------------------------
// Uniform draws, as at::uniform_real_distribution makes them.

const TWO_POW_M24 = 2 ** -24;
const TWO_POW_M53 = 2 ** -53;

/** uniform_real_distribution<double>(0, 1): the low 53 bits of random64(), times 2^-53. */
function uniformDouble01(gen: Generator): number {
  const hi = gen.random();
  const lo = gen.random();
  return ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_M53;
}

// The bulk paths below draw through Generator.fillRandom into this scratch, in chunks.
const CHUNK = 2048;
const draws = new Int32Array(2 * CHUNK);

/** out[start .. end) = successive uniform_real_distribution<float>(0, 1) samples. */
function fillFloat01(gen: Generator, out: Float32Array, start: number, end: number): void {
  for (let i = start; i < end; i += 2 * CHUNK) {
    const k = Math.min(2 * CHUNK, end - i);
    gen.fillRandom(draws, 0, k);
    for (let j = 0; j < k; j++) out[i + j] = (draws[j]! & 0xffffff) * TWO_POW_M24;
  }
}

/** out[start .. end) = successive uniform_real_distribution<double>(0, 1) samples. */
function fillDouble01(gen: Generator, out: Float64Array, start: number, end: number): void {
  for (let i = start; i < end; i += CHUNK) {
    const k = Math.min(CHUNK, end - i);
    gen.fillRandom(draws, 0, 2 * k);
    for (let j = 0; j < k; j++) {
      out[i + j] = ((draws[2 * j]! & 0x1fffff) * TWO_POW_32 + (draws[2 * j + 1]! >>> 0)) * TWO_POW_M53;
    }
  }
}

const doubles = new Float64Array(CHUNK);

function checkUniformBounds(info: DtypeInfo, from: number, to: number): void {
  const max = info.digits === 24 ? 3.4028234663852886e38 : Number.MAX_VALUE;
  const ok = (v: number): boolean => v >= -max && v <= max;
  if (!ok(from)) throw new RuntimeError(`from is out of bounds for ${info.cppName}`);
  if (!ok(to)) throw new RuntimeError(`to is out of bounds for ${info.cppName}`);
  if (!(from <= to)) {
    throw new RuntimeError(
      `uniform_ expects to return a [from, to) range, but found from=${formatCppDouble(from)} > to=${formatCppDouble(to)}`,
    );
  }
  if (!(to - from <= max)) {
    throw new RuntimeError(
      `uniform_ expects to-from <= std::numeric_limits<${info.scalarType}>::max(), but found to=${formatCppDouble(to)} and from=${formatCppDouble(from)} which result in to-from to exceed the limit`,
    );
  }
}

/**
 * Fills `out` with uniform samples in [from, to), exactly as `torch.rand` / `Tensor.uniform_(from,
 * to)` on CPU: float32 takes 24 bits of one 32-bit draw, float64 53 bits of a 64-bit draw; the
 * scaling `x * (to - from) + from` is one fused rounding, like PyTorch's FMA-contracted build.
 * Only float32 and float64 are supported (like PyTorch). Returns `out`.
 * @example
 * manualSeed(0);
 * uniformFill(defaultGenerator(), new Float32Array(2), "float32"); // [0.4962566, 0.7682218]
 */
export function uniformFill<T extends RandomOut>(gen: Generator, out: T, dtype: RandomDtype, from = 0, to = 1): T {
  const info = checkOut(out, dtype, "uniformFill");
  if (!info.floating) throw notImplemented("check_uniform_bounds", info);
  checkUniformBounds(info, from, to);
  const n = out.length;
  if (n === 0) return out;
  if (dtype === "float32") {
    const o = out as Float32Array;
    const lo = f32(from);
    const range = f32(f32(to) - lo);
    fillFloat01(gen, o, 0, n);
    if (lo !== 0 || range !== 1) {
      for (let i = 0; i < n; i++) o[i] = fmaF32(o[i]!, range, lo);
    }
  } else {
    const o = out as Float64Array;
    const range = to - from;
    fillDouble01(gen, o, 0, n);
    if (from !== 0 || range !== 1) {
      for (let i = 0; i < n; i++) o[i] = fma64(o[i]!, range, from);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Normal samples.

const TWO_PI = 2 * Math.PI;

/**
 * One sample of at::normal_distribution<double>(mean, std) (scalar Box-Muller with the generator's
 * cached second sample): the path PyTorch takes for tensors of fewer than 16 elements.
 */
function normalDouble(gen: Generator, mean: number, std: number): number {
  const cached = gen.nextDoubleNormalSample;
  if (cached !== undefined) {
    gen.nextDoubleNormalSample = undefined;
    return fma64(cached, std, mean);
  }
  const u1 = uniformDouble01(gen);
  const u2 = uniformDouble01(gen);
  const r = Math.sqrt(-2 * log1pLibm(-u2));
  const theta = TWO_PI * u1;
  gen.nextDoubleNormalSample = r * sinLibm(theta);
  return fma64(r * cosLibm(theta), std, mean);
}

// Constants of avx_mathfun.h (Cephes' logf / sinf / cosf), as the float32 values the AVX2 code holds.
const SQRTHF = f32(Math.SQRT1_2);
const LOG_P0 = f32(7.0376836292e-2);
const LOG_P1 = f32(-1.151461031e-1);
const LOG_P2 = f32(1.167699874e-1);
const LOG_P3 = f32(-1.2420140846e-1);
const LOG_P4 = f32(1.4249322787e-1);
const LOG_P5 = f32(-1.6668057665e-1);
const LOG_P6 = f32(2.0000714765e-1);
const LOG_P7 = f32(-2.4999993993e-1);
const LOG_P8 = f32(3.3333331174e-1);
const LOG_Q1 = f32(-2.12194440e-4);
const LOG_Q2 = f32(0.693359375);
const MINUS_DP1 = f32(-0.78515625);
const MINUS_DP2 = f32(-2.4187564849853515625e-4);
const MINUS_DP3 = f32(-3.774894977445941e-8);
const SINCOF_P0 = f32(-1.9515295891e-4);
const SINCOF_P1 = f32(8.3321608736e-3);
const SINCOF_P2 = f32(-1.6666654611e-1);
const COSCOF_P0 = f32(2.443315711809948e-5);
const COSCOF_P1 = f32(-1.388731625493765e-3);
const COSCOF_P2 = f32(4.166664568298827e-2);
const FOPI = f32(1.27323954473516);
const TWO_PI_F = f32(2 * Math.PI);

const f32Bits = new Float32Array(1);
const u32Bits = new Uint32Array(f32Bits.buffer);

// Lanes of many AVX2 registers side by side (lane j of block b at 8 * b + j), processed by loops
// so that V8 keeps the float math unboxed and inlines fmaF32: a call per value would box every
// intermediate result.
const LANE_BLOCKS = 256;
const laneLog = new Float64Array(8 * LANE_BLOCKS);
const laneTheta = new Float64Array(8 * LANE_BLOCKS);
const laneSin = new Float64Array(8 * LANE_BLOCKS);
const laneCos = new Float64Array(8 * LANE_BLOCKS);

// Note [AVX2 Box-Muller in doubles]
// PyTorch's build contracts most `a * b + c` of avx_mathfun into FMAs (one rounding). Here each
// is computed in a double and rounded once to float32, which can differ from the FMA only when
// the double sum itself rounds onto a float32 midpoint. The inputs are finite sets: 1 - k 2^-24
// for the log and fround(2 pi_f * k 2^-24) for sincos, k < 2^24, and
// test/backends/cpu/random-kernels.test.ts checks them against an exact-FMA version (a sample by
// default, all 2^24 of each with RANDOM_EXHAUSTIVE=1): they agree everywhere. Outside these sets
// the shortcut is not claimed.

/** avx_mathfun's log256_ps on v[0 .. count), in place, for Box-Muller's inputs (see the note). */
function logAvx2Lanes(v: Float64Array, count: number): void {
  for (let j = 0; j < count; j++) {
    f32Bits[0] = v[j]!;
    const bits = u32Bits[0]!;
    let e = f32((bits >>> 23) - 127 + 1);
    u32Bits[0] = (bits & ~0x7f800000) | 0x3f000000;
    let x = f32Bits[0]!;
    if (x < SQRTHF) {
      e = f32(e - 1);
      x = f32(f32(x - 1) + x);
    } else {
      x = f32(x - 1);
    }
    const z = f32(x * x);
    let y = f32(LOG_P0 * x + LOG_P1);
    y = f32(y * x + LOG_P2);
    y = f32(y * x + LOG_P3);
    y = f32(y * x + LOG_P4);
    y = f32(y * x + LOG_P5);
    y = f32(y * x + LOG_P6);
    y = f32(y * x + LOG_P7);
    y = f32(y * x + LOG_P8);
    y = f32(y * x);
    y = f32(y * z + f32(e * LOG_Q1));
    y = f32(y - z * 0.5);
    v[j] = f32(e * LOG_Q2 + f32(x + y));
  }
}

/** avx_mathfun's sincos256_ps on theta[0 .. count), for Box-Muller's angles (see the note). */
function sincosAvx2Lanes(theta: Float64Array, count: number, sinOut: Float64Array, cosOut: Float64Array): void {
  for (let l = 0; l < count; l++) {
    let x = theta[l]!; // never negative, so the sine's sign bit starts at 0
    let j = Math.trunc(f32(x * FOPI));
    j = (j + 1) & ~1;
    const y = j;
    x = f32(x + y * MINUS_DP1);
    x = f32(x + y * MINUS_DP2);
    x = f32(x + y * MINUS_DP3);
    const z = f32(x * x);
    let c = f32(COSCOF_P0 * z + COSCOF_P1);
    c = f32(c * z + COSCOF_P2);
    c = f32(c * z);
    c = f32(c * z - z * 0.5);
    c = f32(c + 1);
    let s = f32(SINCOF_P0 * z + SINCOF_P1);
    s = f32(s * z + SINCOF_P2);
    s = f32(s * z);
    s = f32(s * x + x);
    // poly_mask: where bit 1 of j is clear the sine takes the sine polynomial
    const sinPoly = (j & 2) === 0;
    const sinV = sinPoly ? s : c;
    const cosV = sinPoly ? c : s;
    sinOut[l] = (j & 4) !== 0 ? -sinV : sinV;
    cosOut[l] = ((j - 2) & 4) === 0 ? -cosV : cosV;
  }
}

/**
 * normal_fill_16_AVX2 on `blocks` consecutive blocks of 16 from data[at]: uniforms in, normals out.
 * In each block the first 8 values give the radius and the last 8 the angle.
 */
function normalFill16Avx2(data: Float32Array, at: number, blocks: number, mean: number, std: number): void {
  for (let b0 = 0; b0 < blocks; b0 += LANE_BLOCKS) {
    const nb = Math.min(LANE_BLOCKS, blocks - b0);
    const count = 8 * nb;
    for (let b = 0; b < nb; b++) {
      const base = at + 16 * (b0 + b);
      for (let j = 0; j < 8; j++) {
        laneLog[8 * b + j] = f32(1 - data[base + j]!);
        laneTheta[8 * b + j] = f32(TWO_PI_F * data[base + j + 8]!);
      }
    }
    logAvx2Lanes(laneLog, count);
    sincosAvx2Lanes(laneTheta, count, laneSin, laneCos);
    const unit = mean === 0 && std === 1; // then the final fma(n, std, mean) is n itself
    for (let b = 0; b < nb; b++) {
      const base = at + 16 * (b0 + b);
      for (let j = 0; j < 8; j++) {
        const k = 8 * b + j;
        const radius = f32(Math.sqrt(f32(-2 * laneLog[k]!)));
        const n1 = f32(radius * laneCos[k]!);
        const n2 = f32(radius * laneSin[k]!);
        data[base + j] = unit ? n1 : fmaF32(n1, std, mean);
        data[base + j + 8] = unit ? n2 : fmaF32(n2, std, mean);
      }
    }
  }
}

/** normal_fill_16<double>: the same Box-Muller in double with libm's log / cos / sin. */
function normalFill16Double(data: Float64Array, at: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - data[at + j]!;
    const u2 = data[at + j + 8]!;
    const radius = Math.sqrt(-2 * logLibm(u1));
    const theta = TWO_PI * u2;
    data[at + j] = fma64(radius * cosLibm(theta), std, mean);
    data[at + j + 8] = fma64(radius * sinLibm(theta), std, mean);
  }
}

/**
 * Fills `out` with normal samples exactly as `torch.randn` / `Tensor.normal_(mean, std)` on CPU.
 *
 * PyTorch switches algorithm on size: with 16 or more elements it first fills the whole tensor with
 * uniforms, then applies Box-Muller to blocks of 16 (8 pairs), and when the size is not a multiple
 * of 16 draws 16 fresh uniforms for the last 16 elements and transforms them again; float32 uses
 * the AVX2 vector code (Cephes-style log and sincos), float64 the JS engine's log / sin / cos. With fewer
 * than 16 elements each sample comes from the scalar double Box-Muller, which caches its second
 * value in the generator. (PyTorch on a CPU without AVX2 runs float32 through logf / sinf / cosf
 * instead; that variant is not reproduced.) Returns `out`.
 * @example
 * manualSeed(0);
 * normalFill(defaultGenerator(), new Float32Array(5), "float32"); // [1.5410, -0.2934, -2.1788, 0.5684, -1.0845]
 */
export function normalFill<T extends RandomOut>(gen: Generator, out: T, dtype: RandomDtype, mean = 0, std = 1): T {
  const info = checkOut(out, dtype, "normalFill");
  if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${formatCppDouble(std)}`);
  const n = out.length;
  if (n === 0) return out;
  if (!info.floating) throw notImplemented("normal_kernel_cpu", info);
  if (n >= 16) {
    if (dtype === "float32") {
      const data = out as Float32Array;
      const m = f32(mean);
      const s = f32(std);
      fillFloat01(gen, data, 0, n);
      normalFill16Avx2(data, 0, Math.floor(n / 16), m, s);
      if (n % 16 !== 0) {
        fillFloat01(gen, data, n - 16, n);
        normalFill16Avx2(data, n - 16, 1, m, s);
      }
    } else {
      const data = out as Float64Array;
      fillDouble01(gen, data, 0, n);
      for (let i = 0; i + 16 <= n; i += 16) normalFill16Double(data, i, mean, std);
      if (n % 16 !== 0) {
        fillDouble01(gen, data, n - 16, n);
        normalFill16Double(data, n - 16, mean, std);
      }
    }
  } else {
    // Fewer than 16: at::normal_distribution<double>, cast to the output dtype.
    const data = out as Float32Array | Float64Array;
    for (let i = 0; i < n; i++) data[i] = normalDouble(gen, mean, std);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// randint (random_from_to).

function toInt64(v: number | bigint, name: string): bigint {
  if (typeof v === "bigint") {
    if (v < INT64_MIN || v > INT64_MAX) throw new ValueError("Overflow when unpacking long long");
    return v;
  }
  if (!Number.isInteger(v)) throw new TypeError(`randint: ${name} must be an integer, got ${String(v)}`);
  const b = BigInt(v);
  if (b < INT64_MIN || b > INT64_MAX) throw new ValueError("Overflow when unpacking long long");
  return b;
}

/** static_cast<float or double>(int64): round-to-nearest-even to `digits` bits, as a bigint. */
function roundToDigits(v: bigint, digits: number): bigint {
  const a = v < 0n ? -v : v;
  const bits = a.toString(2).length;
  if (bits <= digits) return v;
  const shift = BigInt(bits - digits);
  const unit = 1n << shift;
  let q = a >> shift;
  const rem = a - (q << shift);
  const half = unit >> 1n;
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  const r = q << shift;
  return v < 0n ? -r : r;
}

function bitLengthMinus1(v: bigint): number {
  let a = v < 0n ? -v : v;
  let n = 0;
  while ((a >>= 1n) > 0n) n++;
  return n;
}

/** PyTorch's update_from: move `from` right until it survives the cast to a floating dtype. */
function updateFrom(from: bigint, digits: number): bigint {
  const fromPlus1 = roundToDigits(from + 1n, digits);
  if (fromPlus1 < from) {
    const n = bitLengthMinus1(from + 1n);
    return fromPlus1 + (1n << BigInt(n - digits + 1));
  }
  return from;
}

/** PyTorch's update_to: move `to` left until `to - 1` survives the cast to a floating dtype. */
function updateTo(to: bigint, digits: number): bigint {
  const toMinus1 = roundToDigits(to - 1n, digits);
  if (toMinus1 >= to) {
    const n = bitLengthMinus1(to - 1n);
    return toMinus1 - (1n << BigInt(n - digits + 1));
  }
  return to;
}

function checkFromToInRange(from: bigint, toInc: bigint, info: DtypeInfo): void {
  if (info.floating) {
    // Every int64 is inside float's and double's finite range; only the precision warning remains.
    const lim = 1n << BigInt(info.digits);
    const warnIf = (v: bigint, name: string): void => {
      if (v < -lim || v > lim) {
        warn(
          `${name} is out of bounds [-(2^${info.digits}), 2^${info.digits}]. Due to precision limitations ${info.cppName} can support discrete uniform distribution only within this range. This warning will become an error in version 1.7 release, please fix the code in advance`,
        );
      }
    };
    warnIf(from, "from");
    warnIf(toInc, "to - 1");
    return;
  }
  if (from < info.min || from > info.max) throw new RuntimeError(`from is out of bounds for ${info.cppName}`);
  if (toInc < info.min || toInc > info.max) throw new RuntimeError(`to - 1 is out of bounds for ${info.cppName}`);
}

/** Writes the int64 `v` into out[i] as static_cast<T>(v) does. */
function storeInt64(out: RandomOut, i: number, v: bigint, dtype: RandomDtype): void {
  if (out instanceof BigInt64Array) out[i] = v;
  else if (dtype === "float32") out[i] = Number(roundToDigits(v, 24));
  else if (dtype === "float64" || dtype === "int64") out[i] = Number(roundToDigits(v, 53));
  else if (dtype === "bool") out[i] = v !== 0n ? 1 : 0;
  else out[i] = Number(BigInt.asIntN(32, v));
}

/**
 * Fills `out` with integers uniform in [low, high), exactly as `torch.randint(low, high, ...)` /
 * `Tensor.random_(low, high)` on CPU: `draw % (high - low) + low`, where the draw is 32 bits when
 * the range is below 2^32 and 64 bits (`random64()`) otherwise (the latter only for int64, float
 * and double outputs, like PyTorch). For floating dtypes `low`/`high` are first nudged to values
 * the dtype can hold (PyTorch's update_from/update_to). Returns `out`.
 * @example
 * manualSeed(0);
 * randintFill(defaultGenerator(), new BigInt64Array(3), "int64", 0, 10); // [4n, 9n, 3n]
 */
export function randintFill<T extends RandomOut>(
  gen: Generator,
  out: T,
  dtype: RandomDtype,
  low: number | bigint,
  high: number | bigint,
): T {
  const info = checkOut(out, dtype, "randintFill");
  let from = toInt64(low, "low");
  let to = toInt64(high, "high");
  if (!(from < to)) {
    throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${from} >= to=${to}`);
  }
  if (info.floating) {
    from = updateFrom(from, info.digits);
    to = updateTo(to, info.digits);
    if (!(from < to)) {
      throw new RuntimeError(
        `random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from=${from} >= to=${to}`,
      );
    }
  }
  checkFromToInRange(from, to - 1n, info);
  const n = out.length;
  if (n === 0) return out;
  const range = to - from;
  // PyTorch 2.x draws 64 bits once the range reaches 2^28 (less modulo bias), for every dtype
  const use64 = range >= 268435456n;
  if (!use64 && from >= -(2n ** 52n) && from <= 2n ** 52n) {
    // The common case stays in plain numbers: draw % range + low is exact below 2^53.
    const r = Number(range);
    const base = Number(from);
    const big = out instanceof BigInt64Array;
    const o = out as Exclude<RandomOut, BigInt64Array>;
    for (let i = 0; i < n; i += 2 * CHUNK) {
      const k = Math.min(2 * CHUNK, n - i);
      gen.fillRandom(draws, 0, k);
      if (big) {
        for (let j = 0; j < k; j++) (out as BigInt64Array)[i + j] = BigInt(((draws[j]! >>> 0) % r) + base);
      } else if (dtype === "bool") {
        for (let j = 0; j < k; j++) o[i + j] = ((draws[j]! >>> 0) % r) + base !== 0 ? 1 : 0;
      } else {
        for (let j = 0; j < k; j++) o[i + j] = ((draws[j]! >>> 0) % r) + base;
      }
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const draw = use64 ? gen.random64() : BigInt(gen.random());
    // uint64 arithmetic, then reinterpreted as int64.
    const v = BigInt.asIntN(64, (draw % range) + from);
    storeInt64(out, i, v, dtype);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// randperm.

const RANDPERM_SMALL_N = Math.floor(0xffffffff / 20); // n below this keeps PyTorch's old algorithm

function allocate(dtype: RandomDtype, n: number): RandomOut {
  switch (dtype) {
    case "float32":
      return new Float32Array(n);
    case "float64":
      return new Float64Array(n);
    case "int64":
      return new BigInt64Array(n);
    case "int32":
      return new Int32Array(n);
    case "int16":
      return new Int16Array(n);
    case "int8":
      return new Int8Array(n);
    case "uint8":
    case "bool":
      return new Uint8Array(n);
  }
}

/** The typed array {@link randperm} allocates for each dtype. */
export interface RandomArrayFor {
  float32: Float32Array;
  float64: Float64Array;
  int64: BigInt64Array;
  int32: Int32Array;
  int16: Int16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

/**
 * A random permutation of 0..n-1, exactly as `torch.randperm(n, dtype=...)` on CPU. For n below
 * 214748364 PyTorch swaps element i with element i + (random() % (n - i)) for i = 0..n-2; larger n
 * use an inside-out Fisher-Yates with 64-bit draws (also reproduced). The result is a new typed
 * array of the dtype's natural kind (int64: BigInt64Array), or `out` when given (an int64 `out` may
 * be a Float64Array).
 * @example
 * manualSeed(0);
 * randperm(defaultGenerator(), 5); // BigInt64Array [4n, 0n, 1n, 3n, 2n], as torch.randperm(5)
 */
export function randperm<D extends RandomDtype = "int64">(gen: Generator, n: number, dtype?: D): RandomArrayFor[D];
export function randperm<T extends RandomOut>(gen: Generator, n: number, dtype: RandomDtype, out: T): T;
export function randperm(gen: Generator, n: number, dtype: RandomDtype = "int64", out?: RandomOut): RandomOut {
  if (!Number.isInteger(n)) throw new TypeError(`randperm: n must be an integer, got ${String(n)}`);
  if (n < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${n}: [${n}]`);
  const info = dtypeInfo(dtype);
  if (dtype === "bool") throw notImplemented("randperm", info);
  const last = BigInt(n > 0 ? n - 1 : n);
  if (!info.floating && last > info.max) {
    throw new RuntimeError(`value cannot be converted to type ${info.cType} without overflow`);
  }
  if (dtype === "float32" && n > 2 ** 24 + 1) throw new RuntimeError("n cannot be greater than 2^24+1 for Float type.");
  if (dtype === "float64" && n > 2 ** 53 + 1) throw new RuntimeError("n cannot be greater than 2^53+1 for Double type.");
  let result: RandomOut;
  if (out !== undefined) {
    checkOut(out, dtype, "randperm");
    if (out.length !== n) throw new RuntimeError(`randperm: out has ${out.length} elements, expected ${n}`);
    result = out;
  } else {
    result = allocate(dtype, n);
  }
  // Permute plain numbers (exact: n < 2^53), then store into the output kind.
  const perm = result instanceof BigInt64Array ? new Float64Array(n) : result;
  if (n < RANDPERM_SMALL_N) {
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let c = 0; c < n - 1; c += 2 * CHUNK) {
      const k = Math.min(2 * CHUNK, n - 1 - c);
      gen.fillRandom(draws, 0, k);
      for (let j = 0; j < k; j++) {
        const i = c + j;
        const z = (draws[j]! >>> 0) % (n - i);
        const save = perm[i]!;
        perm[i] = perm[z + i]!;
        perm[z + i] = save;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const z = Number(gen.random64() % BigInt(i + 1));
      perm[i] = perm[z]!;
      perm[z] = i;
    }
  }
  if (result instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) result[i] = BigInt(perm[i]!);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Bernoulli and dropout.

/**
 * Fills `out` with 0/1 samples of Bernoulli(p), exactly as `Tensor.bernoulli_(p)` with a float p on
 * CPU (the non-MKL kernel, which Debian's and most non-Intel-MKL builds run): one 53-bit double
 * uniform per element (two 32-bit draws), 1 when it is below p. Any dtype. Returns `out`.
 * @example
 * manualSeed(0);
 * bernoulliFillScalar(defaultGenerator(), new Float32Array(4), "float32", 0.3); // [0, 0, 0, 0]
 */
export function bernoulliFillScalar<T extends RandomOut>(gen: Generator, out: T, dtype: RandomDtype, p: number): T {
  checkOut(out, dtype, "bernoulliFillScalar");
  if (!(p >= 0 && p <= 1)) {
    throw new RuntimeError(`bernoulli_ expects p to be in [0, 1], but got p=${formatCppDouble(p)}`);
  }
  const n = out.length;
  const big = out instanceof BigInt64Array;
  const o = out as Exclude<RandomOut, BigInt64Array>;
  for (let i = 0; i < n; i += CHUNK) {
    const k = Math.min(CHUNK, n - i);
    fillDouble01(gen, doubles, 0, k);
    if (big) {
      for (let j = 0; j < k; j++) (out as BigInt64Array)[i + j] = doubles[j]! < p ? 1n : 0n;
    } else {
      for (let j = 0; j < k; j++) o[i + j] = doubles[j]! < p ? 1 : 0;
    }
  }
  return out;
}

const P_IN_MESSAGE =
  "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)";

/**
 * Fills `out` with 0/1 samples, element i drawn with probability probs[i], exactly as
 * `torch.bernoulli(probs)` / `out.bernoulli_(probs)` on CPU: float32 probabilities compare against
 * a 24-bit float uniform (one draw), float64 ones against a 53-bit double uniform (two draws).
 * `probs` has out's length or length 1 (broadcast). Like PyTorch, a probability outside [0, 1]
 * throws when its element is reached, after the earlier elements consumed their draws.
 * @example
 * manualSeed(0);
 * bernoulliFillTensor(defaultGenerator(), new Float32Array(3), "float32", new Float32Array([0.7, 0.7, 0.7])); // [1, 0, 1]
 */
export function bernoulliFillTensor<T extends RandomOut>(
  gen: Generator,
  out: T,
  dtype: RandomDtype,
  probs: Float32Array | Float64Array,
): T {
  checkOut(out, dtype, "bernoulliFillTensor");
  const n = out.length;
  if (probs.length !== n && probs.length !== 1) {
    throw new RuntimeError(
      `The size of tensor a (${n}) must match the size of tensor b (${probs.length}) at non-singleton dimension 0`,
    );
  }
  const single = probs.length === 1;
  // PyTorch checks each p as it reaches it: the elements before a bad one still draw.
  let limit = n;
  for (let i = 0; i < n; i++) {
    const p = probs[single ? 0 : i]!;
    if (!(p >= 0 && p <= 1)) {
      limit = i;
      break;
    }
  }
  const big = out instanceof BigInt64Array;
  const o = out as Exclude<RandomOut, BigInt64Array>;
  const isDouble = probs instanceof Float64Array;
  for (let i = 0; i < limit; i += CHUNK) {
    const k = Math.min(CHUNK, limit - i);
    if (isDouble) {
      fillDouble01(gen, doubles, 0, k);
    } else {
      gen.fillRandom(draws, 0, k);
      for (let j = 0; j < k; j++) doubles[j] = (draws[j]! & 0xffffff) * TWO_POW_M24;
    }
    for (let j = 0; j < k; j++) {
      const bit = doubles[j]! < probs[single ? 0 : i + j]! ? 1 : 0;
      if (big) (out as BigInt64Array)[i + j] = BigInt(bit);
      else o[i + j] = bit;
    }
  }
  if (limit < n) throw new RuntimeError(P_IN_MESSAGE);
  return out;
}

/**
 * Draws the keep-mask of `torch.nn.functional.dropout(x, p, training=True)` on CPU for a float32
 * or float64 `x`, exactly as PyTorch does: at::dropout on CPU is `_dropout_impl`, which fills
 * `noise = empty_like(x)` with `bernoulli_(1 - p)` (see {@link bernoulliFillScalar}), divides it by
 * (1 - p) and multiplies x by it.
 *
 * Fills `mask` with 1 (kept) or 0 (dropped) and returns the factor PyTorch gives kept elements:
 * for float32 `fround(1 / fround(1 - p))`, for float64 `1 / (1 - p)`; the caller computes
 * `out[i] = x[i] * (mask[i] * factor)` (that product order is PyTorch's, and it is exact when
 * mask is 0 or 1). p = 0 draws nothing (mask all 1, factor 1; PyTorch returns x itself);
 * p = 1 draws nothing (mask all 0, factor 0; PyTorch multiplies x by zero).
 * @example
 * manualSeed(0);
 * const mask = new Float32Array(30);
 * const scale = dropoutFill(defaultGenerator(), mask, "float32", 0.4); // 1.6666666269302368
 */
export function dropoutFill(gen: Generator, mask: Float32Array | Float64Array, dtype: RandomDtype, p: number): number {
  const info = checkOut(mask, dtype, "dropoutFill");
  if (p < 0 || p > 1) {
    throw new ValueError(`dropout probability has to be between 0 and 1, but got ${formatPythonFloat(p)}`);
  }
  if (!(p >= 0 && p <= 1)) {
    throw new RuntimeError(`dropout probability has to be between 0 and 1, but got ${formatCppDouble(p)}`);
  }
  if (!info.floating) {
    throw new RuntimeError(`result type Float can't be cast to the desired output type ${info.scalarType}`);
  }
  if (p === 0) {
    mask.fill(1);
    return 1;
  }
  if (p === 1) {
    mask.fill(0);
    return 0;
  }
  bernoulliFillScalar(gen, mask, dtype, 1 - p);
  return dtype === "float32" ? f32(1 / f32(1 - p)) : 1 / (1 - p);
}
