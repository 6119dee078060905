// Library: PyTorch's torch.library.Library, the registration scope users (and aten-ts itself)
// define operators and register kernels through. Kinds DEF (one per namespace), FRAGMENT and
// IMPL; `dispose()` deregisters everything the library registered. §4.2.

import { DispatchKey, dispatchKeyName, parseDispatchKey } from "../core/dispatch-key.js";
import { DispatchKeySet } from "../core/dispatch-key-set.js";
import { RuntimeError, ValueError } from "../core/errors.js";
import { callerLocation } from "../core/warnings.js";
import { type RegistrationHandle, dispatcher } from "./dispatcher.js";
import { FALLTHROUGH_KERNEL, KernelFunction, type UnboxedKernel } from "./kernel-function.js";
import { type OpOverload, getOpOverload, isOpOverload } from "./op-overload.js";
import type { OperatorHandle } from "./operator-entry.js";
import { parseOperatorName, parseSchema } from "./schema/index.js";

/** The kinds of library: DEF (the unique definer of a namespace), FRAGMENT (more definitions), IMPL (kernels only). */
export type LibraryKind = "DEF" | "IMPL" | "FRAGMENT";

/**
 * The fallthrough kernel: registered for a key, it makes the dispatcher skip that key.
 * @example
 * lib.impl("twice", fallthrough, "AutogradCPU")
 */
export function fallthrough(): never {
  return FALLTHROUGH_KERNEL.boxed!({ numArguments: 0, numReturns: 0 }, 0, []) as never;
}

/** A user-level boxed fallback: receives the operator, the key set and the arguments in schema order. */
export type FallbackFn = (op: OpOverload, keySet: DispatchKeySet, args: unknown[]) => unknown;

/** Options of {@link Library.impl}. */
export interface ImplOptions {
  /** Pass the call's DispatchKeySet as the kernel's first argument. */
  withKeyset?: boolean;
  /** Allow a second kernel for the same (operator, key) from user code (default true, as PyTorch 2.x). */
  allowOverride?: boolean;
  /** The "registered at" text; defaults to where the Library was created. */
  debug?: string;
}

const DEF_NAMESPACES = new Map<string, string>();
/** (namespace/op/key) triples registered through Library.impl, for allowOverride=false. */
const HOST_IMPLS = new Set<string>();

const BLOCK: Record<LibraryKind, string> = { DEF: "TORCH_LIBRARY", FRAGMENT: "TORCH_LIBRARY_FRAGMENT", IMPL: "TORCH_LIBRARY_IMPL" };

/**
 * A registration scope for one namespace.
 * @example
 * const lib = new Library("myns", "DEF");
 * lib.define("twice(Tensor x) -> Tensor");
 * lib.impl("twice", (x) => x.mul(2), "CPU");
 * ops.myns.twice(x);
 * lib.dispose();
 */
export class Library implements Disposable {
  readonly ns: string;
  readonly kind: LibraryKind;
  /** The fixed dispatch key of an IMPL library, if any. */
  readonly dispatchKey: DispatchKey | undefined;
  /** `registered at <file>:<line>` of the code that created this library. */
  readonly debug: string;
  private readonly handles: RegistrationHandle[] = [];
  private readonly implKeys: string[] = [];
  private disposed = false;

  constructor(ns: string, kind: LibraryKind, dispatchKey?: string, opts: { debug?: string } = {}) {
    if (kind !== "DEF" && kind !== "IMPL" && kind !== "FRAGMENT") throw new ValueError(`Unsupported kind: ${String(kind)}`);
    if (ns === "prim" && kind !== "IMPL") throw new ValueError("prim is a reserved namespace. Please try creating a library with another name.");
    this.ns = ns;
    this.kind = kind;
    this.dispatchKey = dispatchKey ? parseDispatchKey(dispatchKey) : undefined;
    this.debug = opts.debug ?? `registered at ${callerLocation()}`;
    if (ns === "_" && kind !== "IMPL") {
      throw new RuntimeError(
        `${BLOCK[kind]}: cannot define ${BLOCK[kind]} with the wildcard namespace _ (every ${BLOCK[kind]} defines operators for a distinct namespace!) ` +
          `Did you mean to use TORCH_LIBRARY_IMPL instead?  ${this.where()}`,
      );
    }
    if (kind === "DEF") {
      const prev = DEF_NAMESPACES.get(ns);
      if (prev !== undefined) {
        throw new RuntimeError(
          `Only a single TORCH_LIBRARY can be used to register the namespace ${ns}; please put all of your definitions in a single TORCH_LIBRARY block.  ` +
            `If you were trying to specify implementations, consider using TORCH_LIBRARY_IMPL (which can be duplicated).  ` +
            `If you really intended to define operators for a single namespace in a distributed way, you can use TORCH_LIBRARY_FRAGMENT to explicitly indicate this.  ` +
            `Previous registration of TORCH_LIBRARY was ${prev}; latest registration was ${this.debug}`,
        );
      }
      DEF_NAMESPACES.set(ns, this.debug);
    }
  }

  private where(): string {
    return `(Error occurred while processing ${BLOCK[this.kind]} block at ${this.debug.replace(/^registered at /, "")})`;
  }

  private checkOpen(): void {
    if (this.disposed) throw new RuntimeError(`Library ${this.ns} (${this.kind}) has been disposed`);
  }

  /**
   * Defines an operator from a schema string; the library's namespace is filled in when the
   * schema has none. Returns the qualified name (`myns::foo.overload`).
   */
  define(schema: string, opts: { debug?: string } = {}): string {
    this.checkOpen();
    const parsed = parseSchema(schema);
    if (this.kind === "IMPL") {
      throw new RuntimeError(
        `def("${schema.split("(")[0]}"): Cannot define an operator inside of a TORCH_LIBRARY_IMPL block.  ` +
          `All def()s should be placed in the (unique) TORCH_LIBRARY block for their namespace.  ${this.where()}`,
      );
    }
    const ns = parsed.namespace;
    if (ns !== undefined && ns !== this.ns) {
      throw new RuntimeError(
        `Explicitly provided namespace (${ns}) in schema string does not match namespace of enclosing ${BLOCK[this.kind]} block (${this.ns}).  ` +
          `Move this definition to the (unique) TORCH_LIBRARY block corresponding to this namespace (and consider deleting the namespace from your schema string.)  ${this.where()}`,
      );
    }
    const full = ns === undefined ? parsed.withNamespace(this.ns) : parsed;
    this.handles.push(dispatcher.registerDef(full, opts.debug ?? this.debug));
    return full.qualifiedName;
  }

  /**
   * Registers a kernel for an operator at a dispatch key (or alias key; none = the library's
   * key, else CompositeImplicitAutograd). The kernel receives the arguments in schema order
   * with defaults filled in (preceded by the DispatchKeySet with `withKeyset`).
   * Pass {@link fallthrough} to register a fallthrough.
   */
  impl(name: string | OpOverload, fn: UnboxedKernel, dispatchKey = "", opts: ImplOptions = {}): void {
    this.checkOpen();
    if (typeof fn !== "function") {
      throw new TypeError(`Input function is required to be a callable but found type ${typeof fn}`);
    }
    const opName = typeof name === "string" ? name : name.name;
    const { name: parsedName, overloadName } = resolveName(name);
    const sep = parsedName.indexOf("::");
    let qualified = parsedName;
    if (sep >= 0) {
      const ns = parsedName.slice(0, sep);
      if (this.ns !== "_" && ns !== this.ns) {
        throw new RuntimeError(
          `impl("${opName}", ...): Explicitly provided namespace (${ns}) in operator name does not match namespace of enclosing ${BLOCK[this.kind]} block (${this.ns}).  ` +
            `Move this definition to the ${BLOCK[this.kind]} block corresponding to this namespace (and consider deleting the namespace from your schema string.)  ${this.where()}`,
        );
      }
    } else {
      qualified = `${this.ns}::${parsedName}`;
    }
    let key: DispatchKey;
    if (dispatchKey === "") {
      key = this.dispatchKey ?? DispatchKey.CompositeImplicitAutograd;
    } else {
      key = parseDispatchKey(dispatchKey);
      if (this.dispatchKey !== undefined && key !== this.dispatchKey) {
        throw new RuntimeError(
          `impl("${opName}", ...): Explicitly provided dispatch key (${dispatchKey}) is inconsistent with the dispatch key of the enclosing ${BLOCK[this.kind]} block (${dispatchKeyName(this.dispatchKey)}).  ` +
            `Please declare a separate ${BLOCK[this.kind]} block for this dispatch key and move your impl() there.  ${this.where()}`,
        );
      }
    }
    const implKey = `${qualified}.${overloadName}/${dispatchKeyName(key)}`;
    if (opts.allowOverride === false && HOST_IMPLS.has(implKey)) {
      throw new RuntimeError(
        `This is not allowed since there's already a kernel registered from python overriding ${qualified}${overloadName ? "." + overloadName : ""}'s behavior for ${dispatchKeyName(key)} dispatch key and ${this.ns} namespace.`,
      );
    }
    const kernel =
      (fn as unknown) === fallthrough
        ? FALLTHROUGH_KERNEL
        : opts.withKeyset
          ? KernelFunction.fromUnboxed(withKeysetObject(fn), { withKeyset: true })
          : KernelFunction.fromUnboxed(fn);
    this.handles.push(dispatcher.registerImpl(qualified, overloadName, key, kernel, opts.debug ?? this.debug));
    HOST_IMPLS.add(implKey);
    this.implKeys.push(implKey);
  }

  /**
   * Registers a fallback for every operator at a key (only in an IMPL library with namespace
   * `_`). The fallback receives the OpOverload, the call's key set, and the arguments in schema
   * order, and returns the result. Pass {@link fallthrough} for a fallthrough fallback.
   */
  fallback(fn: FallbackFn | typeof fallthrough, dispatchKey: string, opts: { debug?: string } = {}): void {
    this.checkOpen();
    if (this.ns !== "_" || this.kind !== "IMPL") {
      throw new RuntimeError(`Fallback can only be registered using library fragment on the global namespace "_" but it is ${this.ns}`);
    }
    if (typeof fn !== "function") throw new TypeError(`Input function is required to be a callable but found type ${typeof fn}`);
    const key = parseDispatchKey(dispatchKey);
    const kernel =
      fn === fallthrough
        ? FALLTHROUGH_KERNEL
        : KernelFunction.fromArgs<OperatorHandle>((op, ks, args) =>
            (fn as FallbackFn)(getOpOverload(op), DispatchKeySet.fromRaw(ks), args.slice()),
          );
    this.handles.push(dispatcher.registerFallback(key, kernel, opts.debug ?? this.debug));
  }

  /** Deregisters everything this library registered (newest first). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (let i = this.handles.length - 1; i >= 0; i--) this.handles[i]!.dispose();
    this.handles.length = 0;
    for (const k of this.implKeys) HOST_IMPLS.delete(k);
    if (this.kind === "DEF" && DEF_NAMESPACES.get(this.ns) === this.debug) DEF_NAMESPACES.delete(this.ns);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

function resolveName(name: string | OpOverload): { name: string; overloadName: string } {
  if (isOpOverload(name)) return { name: name.handle.name, overloadName: name.handle.overloadName };
  return parseOperatorName(name);
}

function withKeysetObject(fn: UnboxedKernel): UnboxedKernel {
  const f = fn as unknown as (...a: unknown[]) => unknown;
  return ((ks: number, ...args: unknown[]) => f(DispatchKeySet.fromRaw(ks), ...args)) as unknown as UnboxedKernel;
}
