// Pure functions on schema types: which arguments carry tensors, the alias annotation PyTorch
// derives for an argument, and the normalisation PyTorch applies when it builds Optional and
// Union types (`int??` is `int?`, `Union(int, None)` is `int?`, members sorted and deduplicated).

import type { AliasInfo, SchemaType } from "./schema-types.js";
import { typeToString } from "./schema-printer.js";

/**
 * Classifies a type for dispatch: the four shapes of argument whose tensors contribute to the
 * dispatch key set. Alias annotations are ignored.
 * @example
 * isTensorLike(parseSchema("f(Tensor?[] i) -> ()").arguments[0].type) // "optional-tensor-list"
 */
export function isTensorLike(t: SchemaType): "tensor" | "optional-tensor" | "tensor-list" | "optional-tensor-list" | null {
  if (isTensor(t)) return "tensor";
  if (t.kind === "optional") return isTensor(t.elem) ? "optional-tensor" : null;
  if (t.kind !== "list") return null;
  if (isTensor(t.elem)) return "tensor-list";
  return t.elem.kind === "optional" && isTensor(t.elem.elem) ? "optional-tensor-list" : null;
}

function isTensor(t: SchemaType): boolean {
  return t.kind === "base" && t.name === "Tensor";
}

/**
 * The fixed size of the outermost list (looking through one `?`).
 * @example
 * listSizeOf(parseSchema("f(int[2]? k) -> ()").arguments[0].type) // 2
 */
export function listSizeOf(t: SchemaType): number | undefined {
  const u = t.kind === "optional" ? t.elem : t;
  return u.kind === "list" ? u.size : undefined;
}

/**
 * The annotation PyTorch attaches to an argument of this type: the annotation of the type,
 * through `?`; for a list whose elements are annotated, a container annotation (the list's own,
 * or an empty one that copies the elements' write flag) holding the elements' in containedTypes.
 * @example
 * aliasInfoOfType(tensorListWrittenInA) // { beforeSets: [], afterSets: [], isWrite: true, containedTypes: [(a!)] }
 */
export function aliasInfoOfType(t: SchemaType): AliasInfo | undefined {
  switch (t.kind) {
    case "optional":
      return aliasInfoOfType(t.elem);
    case "list": {
      const inner = aliasInfoOfType(t.elem);
      if (inner === undefined) return t.alias;
      const own = t.alias;
      return own === undefined
        ? { beforeSets: [], afterSets: [], isWrite: inner.isWrite, containedTypes: [inner] }
        : { beforeSets: own.beforeSets, afterSets: own.afterSets, isWrite: own.isWrite, containedTypes: [inner] };
    }
    case "base":
    case "var":
    case "dict":
    case "union":
      return t.alias;
    default:
      return undefined;
  }
}

/** Base types PyTorch carries as int at runtime ("fake" type int, "real" type kept for printing). */
const FAKE_INT = new Set(["ScalarType", "Layout", "MemoryFormat", "SymInt"]);

/**
 * A member type of a tuple, Dict, Union or Future/RRef/Await as PyTorch stores it: without
 * alias annotations, and with ScalarType/Layout/MemoryFormat/SymInt as `int`.
 * @example
 * memberType({ kind: "base", name: "SymInt" }) // { kind: "base", name: "int" }
 */
export function memberType(t: SchemaType): SchemaType {
  switch (t.kind) {
    case "base":
      return FAKE_INT.has(t.name) ? baseType("int") : t.alias === undefined ? t : baseType(t.name);
    case "var":
      return t.alias === undefined ? t : { kind: "var", name: t.name };
    case "list": {
      const elem = memberType(t.elem);
      return elem === t.elem && t.alias === undefined && t.size === undefined ? t : { kind: "list", elem };
    }
    case "optional": {
      const elem = memberType(t.elem);
      return elem === t.elem ? t : { kind: "optional", elem };
    }
    case "dict":
      return t.alias === undefined ? t : { kind: "dict", key: t.key, value: t.value };
    case "union":
      return t.alias === undefined ? t : { kind: "union", elems: t.elems };
    default:
      return t;
  }
}

type BaseType = Extract<SchemaType, { kind: "base" }>;
const BASE_CACHE = new Map<string, BaseType>();

/**
 * The shared, frozen node of a base type without annotation.
 * @example
 * baseType("Tensor") === baseType("Tensor") // true
 */
export function baseType(name: string): BaseType {
  let t = BASE_CACHE.get(name);
  if (t === undefined) {
    t = Object.freeze<BaseType>({ kind: "base", name });
    BASE_CACHE.set(name, t);
  }
  return t;
}

// PyTorch's TypeKind order (c10 C10_FORALL_TYPES), by which Union members are sorted.
const BASE_RANK: Record<string, number> = {
  Any: 0, AnyEnumType: 2, Tensor: 3, Storage: 4, Scalar: 8, float: 9, complex: 10, int: 14, NoneType: 15,
  str: 16, Generator: 17, Quantizer: 18, bool: 19, Device: 22, Stream: 23, Capsule: 27, QScheme: 29,
  ScalarType: 30, Layout: 31, MemoryFormat: 32, AnyClassType: 35, SymInt: 36, SymBool: 38,
};
const KIND_RANK: Record<SchemaType["kind"], number> = {
  base: 0, tuple: 5, list: 6, dict: 7, future: 11, await: 12, rref: 13, optional: 20, var: 21, class: 25, union: 39,
};

function rank(t: SchemaType): number {
  return t.kind === "base" ? (BASE_RANK[t.name] ?? 40) : KIND_RANK[t.kind];
}

function isBase(t: SchemaType, name: string): boolean {
  return t.kind === "base" && t.name === name;
}

function flatten(t: SchemaType, out: SchemaType[]): void {
  if (t.kind === "union") for (const e of t.elems) flatten(e, out);
  else if (t.kind === "optional") {
    flatten(t.elem, out);
    out.push(baseType("NoneType"));
  } else if (isBase(t, "Scalar")) out.push(baseType("int"), baseType("float"), baseType("complex"));
  else out.push(t);
}

// The common supertype of two members, for the cases that arise in schemas: equal types, Any,
// custom classes under AnyClassType, type variables (PyTorch merges any two). None never merges
// with another type.
function supertype(a: SchemaType, b: SchemaType): SchemaType | undefined {
  if (isBase(a, "NoneType") !== isBase(b, "NoneType")) return undefined;
  if ((a.kind === "var" && b.kind === "var") || typeToString(a) === typeToString(b)) return b;
  if (isBase(a, "Any") || isBase(b, "Any")) return baseType("Any");
  if (a.kind === "class" && isBase(b, "AnyClassType")) return b;
  if (b.kind === "class" && isBase(a, "AnyClassType")) return a;
  return undefined;
}

/** PyTorch's standardizeVectorForUnion: flatten, merge duplicates and subtypes, sort. */
function standardize(types: readonly SchemaType[]): SchemaType[] {
  const v: SchemaType[] = [];
  for (const t of types) flatten(t, v);
  let end = v.length - 1;
  for (let i = v.length - 1; i > 0; i--) {
    for (let j = Math.min(i - 1, end); ; j--) {
      const u = supertype(v[i]!, v[j]!);
      if (u !== undefined) {
        v[j] = u;
        v[i] = v[end]!;
        end--;
        break;
      }
      if (j === 0) break;
    }
  }
  v.length = end + 1;
  return v.sort((a, b) => rank(a) - rank(b) || compareStrings(typeToString(a), typeToString(b)));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function holdsNumbers(types: readonly SchemaType[]): boolean {
  return ["int", "float", "complex"].every((n) => types.some((t) => isBase(t, n)));
}

function annotationStr(t: SchemaType): string {
  switch (t.kind) {
    case "list":
      return `List[${annotationStr(t.elem)}]`;
    case "optional":
      return `Optional[${annotationStr(t.elem)}]`;
    case "tuple":
      return `Tuple[${t.elems.map(annotationStr).join(", ")}]`;
    case "dict":
      return `Dict[${annotationStr(t.key)}, ${annotationStr(t.value)}]`;
    case "union":
      return `Union[${t.elems.map(annotationStr).join(", ")}]`;
    default:
      return typeToString(t);
  }
}

function singleTypeMessage(original: readonly SchemaType[], single: SchemaType): string {
  const list = original.map((t, i) => `${annotationStr(t)}${i > 0 ? "," : ""} `).join("");
  return (
    `After type unification was performed, the Union with the original types {${list}} has the single type ` +
    `${annotationStr(single)}. Use the common supertype instead of creating a Uniontype`
  );
}

/**
 * `T?` as PyTorch builds it: `int??` is `int?`, `Scalar??` is `Union(Scalar)?`, `NoneType?` is
 * refused. An annotation on T is kept.
 * @param fail called with PyTorch's message when the type cannot be built
 * @example
 * makeOptional(optionalInt, fail) // optionalInt: `int??` is `int?`
 */
export function makeOptional(elem: SchemaType, fail: (message: string) => never): SchemaType {
  // the common case: a type that neither holds None nor splits into several members
  if (elem.kind !== "optional" && elem.kind !== "union" && !isBase(elem, "Scalar") && !isBase(elem, "NoneType")) {
    return { kind: "optional", elem };
  }
  const original = [elem, baseType("NoneType")];
  const members = standardize(original);
  if (members.length === 1) fail(singleTypeMessage(original, members[0]!));
  if (members.length === 2) {
    if (elem.kind === "optional") return elem;
    if (elem.kind !== "union" && !isBase(elem, "Scalar")) return { kind: "optional", elem };
    return { kind: "optional", elem: members.find((m) => !isBase(m, "NoneType"))! };
  }
  if (isBase(elem, "Scalar") || (elem.kind === "union" && elem.elems.length === 3 && holdsNumbers(elem.elems))) {
    return { kind: "optional", elem: baseType("Scalar") };
  }
  return { kind: "optional", elem: { kind: "union", elems: members.filter((m) => !isBase(m, "NoneType")) } };
}

/**
 * `Union(...)` as PyTorch builds it: nested unions and optionals flattened, `Scalar` split into
 * int/float/complex, duplicates merged, members sorted; with None and one other member (or
 * the three numbers) it becomes an Optional, which takes the annotation onto its element.
 * @param fail called with PyTorch's message when a single type remains
 * @example
 * makeUnion([int, noneType], undefined, fail) // { kind: "optional", elem: int }
 */
export function makeUnion(elems: readonly SchemaType[], alias: AliasInfo | undefined, fail: (message: string) => never): SchemaType {
  const members = standardize(elems);
  if (members.length === 1) fail(singleTypeMessage(elems, members[0]!));
  if (members.some((m) => isBase(m, "NoneType"))) {
    let inner: SchemaType | undefined;
    if (members.length === 4 && holdsNumbers(members)) inner = baseType("Scalar");
    else if (members.length === 2) inner = members.find((m) => !isBase(m, "NoneType"))!;
    if (inner !== undefined) return { kind: "optional", elem: alias === undefined ? inner : withAlias(inner, alias) };
  }
  return alias === undefined ? { kind: "union", elems: members } : { kind: "union", elems: members, alias };
}

function withAlias(t: SchemaType, alias: AliasInfo): SchemaType {
  switch (t.kind) {
    case "base":
    case "var":
    case "list":
    case "dict":
    case "union":
      return { ...t, alias };
    default:
      return t;
  }
}
