// Data types: PyTorch's scalar types with their names ("float32"), aten enum codes, storage
// arrays and promotion lattice. int64 is stored in a Float64Array: exact for |v| <= 2^53, which
// keeps integer arithmetic on the fast number path (no BigInt); larger values lose precision.

import { RuntimeError } from "../core/errors.js";

/** The dtypes aten-ts implements, by PyTorch's names. */
export type DType = "bool" | "uint8" | "int8" | "int16" | "int32" | "int64" | "float32" | "float64";

/**
 * Every dtype, in aten's ScalarType order.
 * @example
 * torch.DTYPES.includes("float64") // true
 */
export const DTYPES: readonly DType[] = ["uint8", "int8", "int16", "int32", "int64", "float32", "float64", "bool"];

/** The storage array of each dtype. */
export type TypedArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

interface DTypeInfo {
  /** aten's ScalarType code (what schemas print for defaults like `ScalarType dtype=6`). */
  readonly code: number;
  readonly itemsize: number;
  readonly array: new (n: number | ArrayBuffer, offset?: number, length?: number) => TypedArray;
  readonly isFloating: boolean;
  readonly isSigned: boolean;
  /** `torch.float32` */
  readonly torchName: string;
}

const INFO: Record<DType, DTypeInfo> = {
  uint8: { code: 0, itemsize: 1, array: Uint8Array, isFloating: false, isSigned: false, torchName: "torch.uint8" },
  int8: { code: 1, itemsize: 1, array: Int8Array, isFloating: false, isSigned: true, torchName: "torch.int8" },
  int16: { code: 2, itemsize: 2, array: Int16Array, isFloating: false, isSigned: true, torchName: "torch.int16" },
  int32: { code: 3, itemsize: 4, array: Int32Array, isFloating: false, isSigned: true, torchName: "torch.int32" },
  int64: { code: 4, itemsize: 8, array: Float64Array, isFloating: false, isSigned: true, torchName: "torch.int64" },
  float32: { code: 6, itemsize: 4, array: Float32Array, isFloating: true, isSigned: true, torchName: "torch.float32" },
  float64: { code: 7, itemsize: 8, array: Float64Array, isFloating: true, isSigned: true, torchName: "torch.float64" },
  bool: { code: 11, itemsize: 1, array: Uint8Array, isFloating: false, isSigned: false, torchName: "torch.bool" },
};

const ALIASES: Record<string, DType> = {
  float: "float32",
  double: "float64",
  long: "int64",
  int: "int32",
  short: "int16",
  half: "float32",
};

const BY_CODE = new Map<number, DType>(Object.entries(INFO).map(([k, v]) => [v.code, k as DType]));

/** Is s a dtype name (or PyTorch alias such as "float", "long", "torch.int64")? */
export function isDType(s: unknown): s is DType {
  return typeof s === "string" && Object.prototype.hasOwnProperty.call(INFO, s);
}

/**
 * Normalises a dtype given as a name, an alias ("long", "torch.float64") or an aten code (6).
 * @example
 * toDType("torch.float64") // "float64"
 */
export function toDType(v: unknown): DType {
  if (typeof v === "number") {
    const d = BY_CODE.get(v);
    if (d) return d;
  } else if (typeof v === "string") {
    const s = v.startsWith("torch.") ? v.slice(6) : v;
    if (isDType(s)) return s;
    const a = ALIASES[s];
    if (a) return a;
  }
  throw new RuntimeError(`invalid dtype: ${String(v)} (expected one of ${DTYPES.join(", ")})`);
}

/** aten's ScalarType code of a dtype. */
export function dtypeCode(d: DType): number {
  return INFO[d].code;
}
/** Bytes per element. */
export function itemsize(d: DType): number {
  return INFO[d].itemsize;
}
/** A new zero-filled storage array of n elements. */
export function allocArray(d: DType, n: number): TypedArray {
  return new INFO[d].array(n);
}
/** The typed-array constructor of a dtype. */
export function arrayConstructor(d: DType): DTypeInfo["array"] {
  return INFO[d].array;
}
/** float32, float64 */
export function isFloatingType(d: DType): boolean {
  return INFO[d].isFloating;
}
/** uint8 ... int64 (and bool when `includeBool`). */
export function isIntegralType(d: DType, includeBool = false): boolean {
  return d === "bool" ? includeBool : !INFO[d].isFloating;
}
/** `torch.float32` */
export function torchDTypeName(d: DType): string {
  return INFO[d].torchName;
}

/** The default floating dtype (PyTorch's `torch.get_default_dtype()`). */
export const DEFAULT_DTYPE: DType = "float32";

const INT_RANK: Record<string, number> = { int8: 1, int16: 2, int32: 3, int64: 4 };

/**
 * PyTorch's `promote_types` on the implemented dtypes.
 * @example
 * promoteTypes("uint8", "int8") // "int16"
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === "bool") return b;
  if (b === "bool") return a;
  const fa = INFO[a].isFloating;
  const fb = INFO[b].isFloating;
  if (fa || fb) {
    if (fa && fb) return INFO[a].itemsize >= INFO[b].itemsize ? a : b;
    return fa ? a : b;
  }
  if (a === "uint8" || b === "uint8") {
    const other = a === "uint8" ? b : a;
    return other === "int8" ? "int16" : other;
  }
  return INT_RANK[a]! >= INT_RANK[b]! ? a : b;
}

/** The category order bool < integral < floating used by type promotion. */
export function category(d: DType): number {
  return d === "bool" ? 0 : INFO[d].isFloating ? 2 : 1;
}

/** Can a value of dtype `from` be cast to `to` in an in-place or out= op (PyTorch's canCast)? */
export function canCast(from: DType, to: DType): boolean {
  return category(from) <= category(to);
}

const TYPE_META_NAMES: Readonly<Record<DType, string>> = {
  uint8: "unsigned char",
  int8: "signed char",
  int16: "short int",
  int32: "int",
  int64: "long int",
  float32: "float",
  float64: "double",
  bool: "bool",
};

/**
 * caffe2's TypeMeta name of a dtype (`tensor.dtype().name()`), which many PyTorch messages print.
 * @example
 * typeMetaName("int64") // "long int"
 */
export function typeMetaName(d: DType): string {
  return TYPE_META_NAMES[d];
}
