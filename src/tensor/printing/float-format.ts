// Python's float formatting ('{:.Nf}' and '{:.Ne}') for doubles, digit for digit: exact decimal expansion,
// ties rounded half to even, a sign on negative zero, 'nan'/'inf' spelled as Python does, exponents of two
// digits or more. Also the rounding of a double to float32 / float16 / bfloat16, as a tensor stores it.

const scratch = new DataView(new ArrayBuffer(8));

/** A finite nonzero |x| as m * 2^e, m a positive integer below 2^53 (odd when e < 0). */
function decompose(x: number): { m: number; e: number } {
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (hi & 0xfffff) * 2 ** 32 + lo;
  let m = biased === 0 ? frac : frac + 2 ** 52;
  let e = biased === 0 ? -1074 : biased - 1075;
  while (e < 0 && m % 2 === 0) {
    m /= 2;
    e += 1;
  }
  return { m, e };
}

/** |x| = digits * 10^-scale exactly (digits without sign). */
function exactDecimal(x: number): { digits: string; scale: number } {
  const { m, e } = decompose(x);
  if (e >= 0) return { digits: (BigInt(m) << BigInt(e)).toString(), scale: 0 };
  return { digits: (BigInt(m) * 5n ** BigInt(-e)).toString(), scale: -e };
}

/** Keeps the first `keep` (>= 1) digits of `digits`, rounding the rest away half to even; may carry to keep+1 digits. */
function roundDigits(digits: string, keep: number): string {
  if (digits.length <= keep) return digits;
  const kept = digits.slice(0, keep);
  const first = digits.charCodeAt(keep) - 48;
  const restNonzero = /[1-9]/.test(digits.slice(keep + 1));
  const lastOdd = (kept.charCodeAt(keep - 1) - 48) % 2 === 1;
  const up = first > 5 || (first === 5 && (restNonzero || lastOdd));
  return up ? (BigInt(kept) + 1n).toString().padStart(keep, "0") : kept;
}

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return undefined;
}

function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? "-" : "";
}

/**
 * Python's `'{:.{precision}f}'.format(x)` for a double.
 * @example formatFixed(2.675, 2) // "2.67" (the double is below 2.675); formatFixed(0.125, 2) // "0.12"
 */
export function formatFixed(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const sign = signOf(x);
  const a = Math.abs(x);
  if (a === 0) return sign + (precision > 0 ? "0." + "0".repeat(precision) : "0");
  if (a < 1e21 && precision <= 100) {
    // toFixed rounds the exact value too, but ties away from zero: only a value with exactly
    // precision+1 decimals (scale) can be a tie, so those take the exact path.
    const { e } = decompose(a);
    if (e >= 0 || -e !== precision + 1) return sign + a.toFixed(precision);
  }
  const { digits, scale } = exactDecimal(a);
  let units: string; // the value times 10^precision, rounded, as digits
  if (scale <= precision) units = digits + "0".repeat(precision - scale);
  else {
    const drop = scale - precision;
    const padded = digits.padStart(drop + 1, "0");
    units = roundDigits(padded, padded.length - drop);
  }
  units = units.padStart(precision + 1, "0");
  if (precision === 0) return sign + units;
  return sign + units.slice(0, -precision) + "." + units.slice(-precision);
}

/** Could |x| = m * 2^e with precision+2 significant digits end in a 5 (a tie at precision+1 digits)? */
function sciTiePossible(m: number, e: number, precision: number): boolean {
  const limit = 10 ** (precision + 2);
  if (e < 0) return m * 5 ** -e < limit * 1.01; // digits of m*5^k, all significant (it is odd)
  if (e === 0 && m < 2 ** 53) {
    let s = m;
    while (s % 10 === 0) s /= 10;
    return s % 10 === 5 && s >= limit / 10 && s < limit;
  }
  return true; // big integers: decide exactly
}

/**
 * Python's `'{:.{precision}e}'.format(x)` for a double.
 * @example formatSci(1e10, 4) // "1.0000e+10"; formatSci(1.03125, 4) // "1.0312e+00"
 */
export function formatSci(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const sign = signOf(x);
  const a = Math.abs(x);
  if (a === 0) return sign + (precision > 0 ? "0." + "0".repeat(precision) : "0") + "e+00";
  let mantissa: string;
  let exp10: number;
  const { m, e } = decompose(a);
  if (precision <= 100 && !sciTiePossible(m, e, precision)) {
    const js = a.toExponential(precision);
    const at = js.indexOf("e");
    mantissa = js.slice(0, at);
    exp10 = Number(js.slice(at + 1));
  } else {
    const { digits, scale } = exactDecimal(a);
    let kept = roundDigits(digits, precision + 1);
    exp10 = digits.length - 1 - scale;
    if (kept.length > precision + 1) {
      kept = kept.slice(0, precision + 1);
      exp10 += 1;
    }
    kept = kept.padEnd(precision + 1, "0");
    mantissa = precision > 0 ? kept[0] + "." + kept.slice(1) : kept;
  }
  const expSign = exp10 < 0 ? "-" : "+";
  return sign + mantissa + "e" + expSign + String(Math.abs(exp10)).padStart(2, "0");
}

/** floor(log2(a)) for a normal double a > 0, read from its bits. */
function binaryExponent(a: number): number {
  scratch.setFloat64(0, a);
  return ((scratch.getUint32(0) >>> 20) & 0x7ff) - 1023;
}

/** Rounds x to `bits` significant bits, half to even, with subnormals below 2^minExp and overflow past max. */
function roundToBits(x: number, bits: number, minExp: number, max: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  const quantum = 2 ** (Math.max(binaryExponent(a), minExp) - bits + 1);
  const q = a / quantum; // exact: a scaling by a power of two
  const f = Math.floor(q);
  const diff = q - f;
  const n = diff > 0.5 || (diff === 0.5 && f % 2 === 1) ? f + 1 : f;
  const r = n * quantum;
  return Math.sign(x) * (r > max ? Infinity : r);
}

/**
 * The value a tensor of `dtype` holds for the double `x` (float32/float16/bfloat16 round; others pass through).
 * @example roundToDtype(0.1, "float32") // 0.10000000149011612
 */
export function roundToDtype(x: number, dtype: string): number {
  switch (dtype) {
    case "float32":
      return Math.fround(x);
    case "float16":
      return roundToBits(Math.fround(x), 11, -14, 65504);
    case "bfloat16":
      return roundToBits(Math.fround(x), 8, -126, 3.3895313892515355e38);
    default:
      return x;
  }
}
