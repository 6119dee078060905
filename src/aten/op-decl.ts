// How an aten operator is declared: once, as data (schema string from PyTorch 2.14's
// native_functions.yaml, shape/dtype rule, decomposition, kernels), and registered through the
// public Library API by `registerOpDecls`, which returns a handle that undoes it.

import { RuntimeError } from "../core/errors.js";
import type { RegistrationHandle } from "../dispatcher/dispatcher.js";
import type { UnboxedKernel } from "../dispatcher/kernel-function.js";
import type { Library } from "../dispatcher/library.js";
import type { DType } from "../tensor/dtype.js";
import { contiguousStrides } from "../tensor/shape.js";
import { type Device, Storage, Tensor } from "../tensor/tensor.js";

/** Metadata of one output tensor, computed by a shape rule. */
export interface TensorSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Defaults to contiguous strides. */
  readonly strides?: readonly number[];
}

/** A kernel taking the operator's arguments in schema order. */
export type Kernel = (...args: never[]) => unknown;
type AnyKernel = (...args: unknown[]) => unknown;

/**
 * One operator overload. Exactly one way of computing it is given:
 * - `composite`: a CompositeImplicitAutograd decomposition into other dispatched ops (what
 *   PyTorch marks CompositeImplicitAutograd; a logging mode sees its parts);
 * - `explicit`: one kernel for every backend (CompositeExplicitAutograd), e.g. views;
 * - `meta` + `cpu`: a structured op: the shape/dtype rule (the Meta kernel just runs it and
 *   allocates) and a CPU body that fills the outputs allocated from the rule;
 * - `cpuKernel` + `metaKernel`: kernels with their own outputs (data-dependent shapes, views).
 */
export interface OpDecl {
  /** Schema without namespace, as in native_functions-2.14.yaml. */
  readonly schema: string;
  readonly composite?: Kernel;
  readonly explicit?: Kernel;
  readonly meta?: (...args: never[]) => TensorSpec | readonly TensorSpec[];
  readonly cpu?: (out: never, ...args: never[]) => void;
  /** In-place (`add_`) or out-like: the output is the first argument; the rule only validates. */
  readonly inplace?: boolean;
  readonly cpuKernel?: Kernel;
  readonly metaKernel?: Kernel;
  /** Extra kernels at other keys (e.g. BackendSelect for factories). */
  readonly extra?: ReadonlyArray<readonly [string, Kernel]>;
}

/** Allocates outputs for specs on a device. */
export function allocate(device: Device, spec: TensorSpec): Tensor {
  const shape = spec.shape.slice();
  const strides = spec.strides ? spec.strides.slice() : contiguousStrides(shape);
  let extent = 1;
  for (let i = 0; i < shape.length; i++) extent += (shape[i]! - 1) * strides[i]!;
  if (shape.some((s) => s === 0)) extent = 0;
  return new Tensor(Storage.allocate(device, spec.dtype, extent), shape, strides, 0, spec.dtype, device);
}

function allocateAll(device: Device, specs: TensorSpec | readonly TensorSpec[]): Tensor | Tensor[] {
  return isSpecList(specs) ? specs.map((s) => allocate(device, s)) : allocate(device, specs);
}

function isSpecList(s: TensorSpec | readonly TensorSpec[]): s is readonly TensorSpec[] {
  return Array.isArray(s);
}

/**
 * Checks that every tensor argument lives on `device` (0-dim CPU tensors, like wrapped numbers,
 * are allowed anywhere), with PyTorch's message.
 */
export function checkSameDevice(device: Device, args: readonly unknown[]): void {
  for (const a of args) {
    if (a instanceof Tensor) {
      if (a.device !== device && !(a.device === "cpu" && a._shape.length === 0)) {
        throw new RuntimeError(`Expected all tensors to be on the same device, but found at least two devices, ${device} and ${a.device}!`);
      }
    } else if (Array.isArray(a)) {
      checkSameDevice(device, a);
    }
  }
}

function structured(decl: OpDecl, device: Device): AnyKernel {
  const rule = decl.meta as unknown as AnyKernel;
  const body = decl.cpu as unknown as ((out: unknown, ...args: unknown[]) => void) | undefined;
  if (decl.inplace) {
    return (...args: unknown[]) => {
      checkSameDevice(device, args);
      rule(...args);
      const self = args[0] as Tensor;
      if (device === "cpu") body!(self, ...args);
      return self;
    };
  }
  return (...args: unknown[]) => {
    checkSameDevice(device, args);
    const out = allocateAll(device, rule(...args) as TensorSpec | TensorSpec[]);
    if (device === "cpu") body!(out, ...args);
    return out;
  };
}

/**
 * Defines every declared operator in `lib` (an `aten` DEF or FRAGMENT library) and registers its
 * kernels at CompositeImplicitAutograd, CompositeExplicitAutograd, CPU and Meta as declared.
 */
export function registerOpDecls(lib: Library, decls: readonly OpDecl[], debug: string): RegistrationHandle {
  for (const d of decls) {
    const name = lib.define(d.schema, { debug });
    const impl = (fn: AnyKernel, key: string) => lib.impl(name, fn as unknown as UnboxedKernel, key, { debug });
    if (d.composite) impl(d.composite as unknown as AnyKernel, "CompositeImplicitAutograd");
    if (d.explicit) impl(d.explicit as unknown as AnyKernel, "CompositeExplicitAutograd");
    if (d.meta) {
      if (!d.cpu && !d.inplace) throw new RuntimeError(`${name}: a shape rule needs a cpu body`);
      impl(structured(d, "cpu"), "CPU");
      impl(structured(d, "meta"), "Meta");
    }
    if (d.cpuKernel) impl(d.cpuKernel as unknown as AnyKernel, "CPU");
    if (d.metaKernel) impl(d.metaKernel as unknown as AnyKernel, "Meta");
    for (const [key, fn] of d.extra ?? []) impl(fn as unknown as AnyKernel, key);
  }
  return lib;
}

