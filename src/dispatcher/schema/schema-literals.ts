// The literals of the schema language, read the way PyTorch reads them: numbers (C's strtod
// and std::stod/stoll, hex floats included), string literals with their escapes, device
// strings (c10::Device), and the identifiers that stand for dtype, layout and other codes.
// Failures throw LiteralError; the parser turns it into a positioned SchemaParseError.

/**
 * A literal PyTorch would refuse; `message` is PyTorch's wording where it has one.
 * @example
 * try { parseDevice("gpu") } catch (e) { e instanceof LiteralError } // true
 */
export class LiteralError extends Error {}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** End of the longest prefix of s from i that C's strtod reads as a number (i when none). */
function floatPrefixEnd(s: string, i: number): number {
  let j: number;
  if (s.charCodeAt(i) === 48 && (s[i + 1] === "x" || s[i + 1] === "X")) {
    j = i + 2;
    while (isHexDigit(s.charCodeAt(j))) j++;
    let digits = j - i - 2;
    if (s[j] === ".") {
      let k = j + 1;
      while (isHexDigit(s.charCodeAt(k))) k++;
      digits += k - j - 1;
      if (digits > 0) j = k;
    }
    if (digits > 0) return exponentEnd(s, j, "p", "P");
  }
  j = i;
  while (isDigit(s.charCodeAt(j))) j++;
  let digits = j - i;
  if (s[j] === ".") {
    const k = ++j;
    while (isDigit(s.charCodeAt(j))) j++;
    digits += j - k;
  }
  return digits === 0 ? i : exponentEnd(s, j, "e", "E");
}

function exponentEnd(s: string, j: number, lower: string, upper: string): number {
  if (s[j] !== lower && s[j] !== upper) return j;
  let k = j + 1;
  if (s[k] === "+" || s[k] === "-") k++;
  if (!isDigit(s.charCodeAt(k))) return j;
  while (isDigit(s.charCodeAt(k))) k++;
  return k;
}

/**
 * The end of a number token starting at i (i when there is none): what strtod reads, plus a
 * trailing `j` for an imaginary literal. Like PyTorch's lexer, no sign and no `inf`/`nan`.
 * @example
 * scanNumber("x=1e-5)", 2) // 6
 */
export function scanNumber(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 45 || c === 43 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return i;
  const end = floatPrefixEnd(s, i);
  return end > i && s[end] === "j" ? end + 1 : end;
}

const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * std::stod: reads the longest number prefix (sign, decimal or hex float).
 * @throws LiteralError when nothing can be read, or the value over- or underflows (glibc
 *   reports subnormal results as a range error too)
 * @example
 * stod("0x1p3") // 8
 */
export function stod(s: string): number {
  let i = 0;
  while (i < s.length && /\s/.test(s[i]!)) i++;
  const negative = s[i] === "-";
  if (s[i] === "-" || s[i] === "+") i++;
  const end = floatPrefixEnd(s, i);
  if (end === i) throw new LiteralError(`cannot read a number from '${s}'`);
  const text = s.slice(i, end);
  const isHex = text.length > 1 && (text[1] === "x" || text[1] === "X");
  const v = isHex ? hexFloat(text) : Number(text);
  const nonzero = /[1-9a-fA-F]/.test(isHex ? text.slice(2).split(/[pP]/)[0]! : text.split(/[eE]/)[0]!);
  if (!Number.isFinite(v) || (v === 0 && nonzero) || (v !== 0 && v < MIN_NORMAL)) {
    throw new LiteralError(`numeric default value out of range: '${s}'`);
  }
  return negative ? -v : v;
}

function hexFloat(text: string): number {
  const [mantissa, exponent] = text.slice(2).split(/[pP]/) as [string, string | undefined];
  const [whole, frac = ""] = mantissa.split(".") as [string, string | undefined];
  const m = BigInt(`0x${whole || "0"}${frac}`);
  return Number(m) * 2 ** (Number(exponent ?? "0") - 4 * frac.length);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * std::stoll: an optional sign and the decimal digits that follow (`1.5` reads as 1, `0x10`
 * as 0). Values beyond 2^53 lose precision (JavaScript numbers).
 * @throws LiteralError without digits, or outside int64
 * @example
 * stoll("-12abc") // -12
 */
export function stoll(s: string): number {
  const m = /^\s*([+-]?)(\d+)/.exec(s);
  if (m === null) throw new LiteralError(`invalid integer '${s}'`);
  const v = BigInt(m[1] === "-" ? `-${m[2]}` : m[2]!);
  if (v < INT64_MIN || v > INT64_MAX) throw new LiteralError(`integer out of range: '${s}'`);
  return Number(v);
}

/**
 * The end of a string literal token starting at i (i when there is none): one or three
 * quotes of either kind, backslash escapes skipped, no raw newline in a one-quote string.
 * @example
 * scanString(`s="a\\"b") -> ()`, 2) // 8
 */
export function scanString(s: string, i: number): number {
  const quote = s[i];
  if (quote !== '"' && quote !== "'") return i;
  const q = s.startsWith(quote.repeat(3), i) ? 3 : 1;
  const closing = quote.repeat(q);
  let end = i + q;
  while (end < s.length && !s.startsWith(closing, end)) {
    if (s[end] === "\n" && q !== 3) return i;
    if (s[end] === "\\") end++;
    end++;
  }
  return end < s.length ? end + q : i;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\", "'": "'", '"': '"', "\n": "\n", a: "\x07", b: "\b", f: "\f", n: "\n", v: "\v", t: "\t",
};

/**
 * The value of a string literal token (PyTorch's parseStringLiteral): `\\ \' \" \a \b \f \n
 * \t \v`, a backslash-newline, and three-digit octal escapes (bytes, read as UTF-8); `\r` is not
 * one of them.
 * @throws LiteralError with PyTorch's message for `\x`, `\u` and malformed escapes
 * @example
 * parseStringLiteral(`"a\\n\\101"`) // "a\nA"
 */
export function parseStringLiteral(token: string): string {
  const q = token.length >= 6 && token.startsWith(token[0]!.repeat(3)) ? 3 : 1;
  const body = token.slice(q, token.length - q);
  if (!body.includes("\\")) return body;
  let out = "";
  let bytes = false; // octal escapes made raw bytes: `out` holds bytes, one char each
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += bytes && c > "\x7f" ? asByteChars(c) : c;
      continue;
    }
    const e = body[i + 1]!;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (e === "x") {
      throw new LiteralError("unsupported hex specifier");
    } else if (e === "u" || e === "U") {
      throw new LiteralError("unsupported unicode specifier");
    } else {
      const m = /^[0-7]{3}/.exec(body.slice(i + 1, i + 4));
      const code = m === null ? 256 : parseInt(m[0], 8);
      if (code >= 256 || i + 3 >= body.length) throw new LiteralError(" ill formed octal specifier");
      if (code > 0x7f && !bytes) {
        out = asByteChars(out);
        bytes = true;
      }
      out += String.fromCharCode(code);
      i += 3;
    }
  }
  // C++ strings are bytes: `"\\303\\251"` is the UTF-8 of "é", and reads as "é"
  return bytes ? new TextDecoder().decode(Uint8Array.from(out, (ch) => ch.charCodeAt(0))) : out;
}

/** The UTF-8 bytes of s, one char per byte. */
function asByteChars(s: string): string {
  return String.fromCharCode(...new TextEncoder().encode(s));
}

const DEVICE_TYPES = [
  "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia", "xla", "lazy", "vulkan", "mps",
  "meta", "hpu", "mtia", "privateuseone",
];

/**
 * A device string as c10::Device reads and prints it: `type[:index]`, the index kept as the
 * int8 PyTorch stores (so `cuda:200` prints `cuda:-56`, as in PyTorch).
 * @throws LiteralError with PyTorch's message for an empty or malformed string or unknown type
 * @example
 * parseDevice("cuda:1") // "cuda:1"
 */
export function parseDevice(s: string): string {
  if (s === "") throw new LiteralError("Device string must not be empty");
  const m = /^([A-Za-z_]*)(?::(0|[1-9]\d*))?$/.exec(s);
  if (m === null || m[1] === "") throw new LiteralError(`Invalid device string: '${s}'`);
  const name = m[1]!;
  let index = -1;
  if (m[2] !== undefined) {
    const big = BigInt(m[2]);
    if (big > 2147483647n) throw new LiteralError(`Could not parse device index '${m[2]}' in device string '${s}'`);
    index = Number(BigInt.asIntN(8, big));
  }
  if (!DEVICE_TYPES.includes(name)) {
    throw new LiteralError(`Expected one of ${DEVICE_TYPES.join(", ")} device type at start of device string: ${name}`);
  }
  return index === -1 ? name : `${name}:${index}`;
}

/** Identifiers PyTorch accepts as a default of any number type (its "BC" list). */
export const CODE_IDENTIFIERS: ReadonlyMap<string, number> = new Map([
  ["float", 6], ["complex", 9], ["long", 4], ["strided", 0], ["Mean", 1], ["contiguous_format", 0],
]);

/** Dtype names accepted as the default of a `ScalarType` (or `ScalarType?`) parameter, and their codes. */
export const DTYPE_CODES: ReadonlyMap<string, number> = new Map([
  ["uint8", 0], ["int8", 1], ["int16", 2], ["short", 2], ["int32", 3], ["int", 3], ["int64", 4], ["long", 4],
  ["float16", 5], ["half", 5], ["float32", 6], ["float", 6], ["float64", 7], ["double", 7], ["complex32", 8], ["chalf", 8],
  ["complex64", 9], ["cfloat", 9], ["complex128", 10], ["cdouble", 10], ["bool", 11], ["qint8", 12], ["quint8", 13],
  ["qint32", 14], ["bfloat16", 15], ["quint4x2", 16], ["quint2x4", 17], ["bits1x8", 18], ["bits2x4", 19], ["bits4x2", 20],
  ["bits8", 21], ["bits16", 22], ["float8_e5m2", 23], ["float8_e4m3fn", 24], ["float8_e5m2fnuz", 25], ["float8_e4m3fnuz", 26],
  ["uint16", 27], ["uint32", 28], ["uint64", 29], ["uint1", 30], ["bit", 30], ["uint2", 31], ["uint3", 32], ["uint4", 33],
  ["uint5", 34], ["uint6", 35], ["uint7", 36], ["int1", 37], ["int2", 38], ["int3", 39], ["int4", 40], ["int5", 41],
  ["int6", 42], ["int7", 43], ["float8_e8m0fnu", 44], ["float4_e2m1fn_x2", 45], ["bcomplex32", 46],
]);
