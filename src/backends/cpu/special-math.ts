// Special functions of the pointwise math kernels, in double precision (our own code after the
// algorithms PyTorch's aten/src/ATen/native/Math.h uses): erfinv (a rational first guess refined
// by two Newton steps on erf), lgamma (Lanczos with the reflection formula), digamma (recurrence up
// to x >= 10, then the asymptotic series; reflection for negative x) and trigamma.

import { erf } from "./pointwise-math.js";

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** Horner evaluation of c[0] + c[1] z + c[2] z^2 + ... */
function poly(c: readonly number[], z: number): number {
  let r = 0;
  for (let i = c.length - 1; i >= 0; i--) r = r * z + c[i]!;
  return r;
}

// first-guess rational approximations of erfinv: |y| <= 0.7, and the tail in sqrt(-log((1-|y|)/2))
const ERFINV_CENTRAL_NUM = [0.886226899, -1.645349621, 0.914624893, -0.140543331];
const ERFINV_CENTRAL_DEN = [1, -2.118377725, 1.442710462, -0.329097515, 0.012229801];
const ERFINV_TAIL_NUM = [-1.970840454, -1.624906493, 3.429567803, 1.641345311];
const ERFINV_TAIL_DEN = [1, 3.5438892, 1.6370678];

/**
 * The inverse error function: NaN outside [-1, 1], +-inf at +-1.
 * @example
 * erfinv(0.5) // 0.4769362762044699
 */
export function erfinv(y: number): number {
  const ay = Math.abs(y);
  if (!(ay <= 1)) return NaN;
  if (ay === 1) return y > 0 ? Infinity : -Infinity;
  let x: number;
  if (ay <= 0.7) {
    const z = y * y;
    x = (y * poly(ERFINV_CENTRAL_NUM, z)) / poly(ERFINV_CENTRAL_DEN, z);
  } else {
    const z = Math.sqrt(-Math.log((1 - ay) / 2));
    const num = poly(ERFINV_TAIL_NUM, z);
    x = (y < 0 ? -Math.abs(num) : Math.abs(num)) / poly(ERFINV_TAIL_DEN, z);
  }
  for (let i = 0; i < 2; i++) x -= (erf(x) - y) / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
  return x;
}

const ERFINV_CENTRAL_NUM_F = ERFINV_CENTRAL_NUM.map(Math.fround);
const ERFINV_CENTRAL_DEN_F = ERFINV_CENTRAL_DEN.map(Math.fround);
const ERFINV_TAIL_NUM_F = ERFINV_TAIL_NUM.map(Math.fround);
const ERFINV_TAIL_DEN_F = ERFINV_TAIL_DEN.map(Math.fround);

/** Horner evaluation with every step rounded to float32. */
function polyF(c: readonly number[], z: number): number {
  const f = Math.fround;
  let r = 0;
  for (let i = c.length - 1; i >= 0; i--) r = f(f(r * z) + c[i]!);
  return r;
}

/**
 * erfinv as PyTorch's float kernel computes it: the same first guess and Newton steps, every
 * operation rounded to float32.
 * @example
 * erfinvFloat(0.5) // 0.4769362807273865
 */
export function erfinvFloat(y: number): number {
  const f = Math.fround;
  const ay = Math.abs(y);
  if (!(ay <= 1)) return NaN;
  if (ay === 1) return y > 0 ? Infinity : -Infinity;
  let x: number;
  if (ay <= f(0.7)) {
    const z = f(y * y);
    x = f(f(y * polyF(ERFINV_CENTRAL_NUM_F, z)) / polyF(ERFINV_CENTRAL_DEN_F, z));
  } else {
    const z = f(Math.sqrt(f(-f(Math.log(f(f(1 - ay) / 2))))));
    const num = polyF(ERFINV_TAIL_NUM_F, z);
    x = f((y < 0 ? -Math.abs(num) : Math.abs(num)) / polyF(ERFINV_TAIL_DEN_F, z));
  }
  const k = f(2 / f(Math.sqrt(Math.PI)));
  for (let i = 0; i < 2; i++) x = f(x - f(f(f(erf(x)) - y) / f(k * f(Math.exp(f(-f(x * x)))))));
  return x;
}

// Lanczos approximation, g = 7, n = 9
const LANCZOS_G = 7;
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905,
  -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
];
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const LOG_PI = Math.log(Math.PI);

/** log(Gamma(x)) for x >= 0.5 by the Lanczos series. */
function lgammaPositive(x: number): number {
  if (x === 1 || x === 2) return 0;
  if (x > 1e15) return x * (Math.log(x) - 1);
  const xm1 = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (xm1 + i);
  const t = xm1 + LANCZOS_G + 0.5;
  return LOG_SQRT_2PI + (xm1 + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * log|Gamma(x)|: +inf at the poles (0 and the negative integers) and at +-inf.
 * @example
 * lgamma(0.5) // 0.5723649429247001
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
    const s = Math.abs(sinPi(x));
    return LOG_PI - Math.log(s) - lgammaPositive(1 - x);
  }
  return lgammaPositive(x);
}

/** sin(pi x), exact at integers and accurate near them: sin(pi (x - n)) for the nearest integer n, signed by n's parity. */
function sinPi(x: number): number {
  const n = Math.round(x);
  const s = Math.sin(Math.PI * (x - n));
  return n % 2 === 0 ? s : -s;
}

const PSI_10 = 2.251752589066721;
// asymptotic series of digamma in 1/x^2 (Bernoulli numbers)
const DIGAMMA_SERIES = [
  0.08333333333333333, -0.008333333333333333, 0.003968253968253968, -0.004166666666666667,
  0.007575757575757576, -0.021092796092796094, 0.08333333333333333,
];

/**
 * The digamma function psi(x) = Gamma'(x) / Gamma(x): -inf at +0, +inf at -0, NaN at the negative integers.
 * @example
 * digamma(1) // -0.5772156649015329
 */
export function digamma(x: number): number {
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    // reflection, with tan of the fractional part (x - trunc(x)) for accuracy
    const r = x - Math.trunc(x);
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * r);
  }
  let result = 0;
  let v = x;
  while (v < 10) {
    result -= 1 / v;
    v += 1;
  }
  if (v === 10) return result + PSI_10;
  let y = 0;
  if (v < 1e17) {
    const z = 1 / (v * v);
    y = z * poly(DIGAMMA_SERIES, z);
  }
  return result + Math.log(v) - 0.5 / v - y;
}

const same = (v: number): number => v;

const f = Math.fround;
const PSI_10_F = f(PSI_10);
const DIGAMMA_SERIES_F = DIGAMMA_SERIES.map(f);

/**
 * digamma as PyTorch's float kernel computes it: every step rounded to float32, except the
 * reflection term pi / tan(pi r), which is computed in double and then rounded.
 * @example
 * digammaFloat(1) // -0.5772156715393066
 */
export function digammaFloat(x: number): number {
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    const r = x - Math.trunc(x);
    return f(digammaFloat(f(1 - x)) - f(Math.PI / Math.tan(Math.PI * r)));
  }
  let result = 0;
  let v = x;
  while (v < 10) {
    result = f(result - f(1 / v));
    v = f(v + 1);
  }
  if (v === 10) return f(result + PSI_10_F);
  let y = 0;
  if (v < 1e17) {
    const z = f(1 / f(v * v));
    let p = 0;
    for (let i = DIGAMMA_SERIES_F.length - 1; i >= 0; i--) p = f(f(p * z) + DIGAMMA_SERIES_F[i]!);
    y = f(z * p);
  }
  return f(f(f(result + f(Math.log(v))) - f(0.5 / v)) - y);
}

/**
 * The trigamma function psi'(x) (polygamma of order 1), with reflection below 0.5; `r` rounds
 * every step as the compute dtype does (PyTorch's float kernel works in float32, which gives a
 * finite value at the poles).
 * @example
 * trigamma(1) // 1.6449340668482264 (pi^2 / 6)
 */
export function trigamma(x: number, r: (v: number) => number = same): number {
  let sign = 1;
  let result = 0;
  let v = x;
  if (v < 0.5) {
    sign = -1;
    const pi = r(Math.PI);
    const s = r(Math.sin(r(pi * v)));
    result = r(-r(r(pi * pi) / r(s * s)));
    v = r(1 - v);
  }
  for (let i = 0; i < 6; i++) {
    result = r(result + r(1 / r(v * v)));
    v = r(v + 1);
  }
  const ixx = r(1 / r(v * v));
  const [c6, c30, c42] = [r(1 / 6), r(1 / 30), r(1 / 42)];
  const series = r(r(1 + r(1 / r(2 * v))) + r(ixx * r(c6 - r(ixx * r(c30 - r(ixx * c42))))));
  result = r(result + r(series / v));
  return sign * result;
}

// (2k)! / B_2k for k = 1..12: the Euler-Maclaurin correction terms of the Hurwitz zeta function
const ZETA_EM = [
  12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1892437580.3183792, 7.47242496e10, -2.950130727918164e12, 1.1646782814350067e14,
  -4.597978722407473e15, 1.8152105401943546e17, -7.166165256175667e18,
];
const MACHEP = 1.1102230246251565e-16;

/**
 * The Hurwitz zeta function zeta(x, q) = sum_k (k + q)^-x: direct summation of the first terms,
 * then the Euler-Maclaurin tail. +inf at x = 1 and at the poles q = 0, -1, ...; NaN for x < 1.
 * @example
 * zeta(2, 1) // 1.6449340668482264
 */
export function zeta(x: number, q: number): number {
  if (x === 1) return Infinity;
  if (x < 1) return NaN;
  if (q <= 0) {
    if (q === Math.floor(q)) return Infinity;
    if (x !== Math.floor(x)) return NaN;
  }
  let s = Math.pow(q, -x);
  let a = q;
  let b = 0;
  let i = 0;
  while (i < 9 || a <= 9) {
    i += 1;
    a += 1;
    b = Math.pow(a, -x);
    s += b;
    if (-MACHEP * s < b && b < MACHEP * s) return s;
  }
  const w = a;
  s += (b * w) / (x - 1);
  s -= 0.5 * b;
  let fact = 1;
  let k = 0;
  for (const coef of ZETA_EM) {
    fact *= x + k;
    b /= w;
    const t = (fact * b) / coef;
    s += t;
    if (Math.abs(t / s) < MACHEP) return s;
    k += 1;
    fact *= x + k;
    b /= w;
    k += 1;
  }
  return s;
}

/**
 * The polygamma function of order n >= 0: digamma, trigamma, then (-1)^(n+1) n! zeta(n + 1, x);
 * `r` = Math.fround selects the float32 kernels of digamma and trigamma.
 * @example
 * polygamma(2, 1) // -2.4041138063191885
 */
export function polygamma(n: number, x: number, r: (v: number) => number = same): number {
  if (n === 0) return r === same ? digamma(x) : digammaFloat(x);
  if (n === 1) return trigamma(x, r);
  return (n % 2 ? 1 : -1) * Math.exp(lgamma(n + 1)) * zeta(n + 1, x);
}
