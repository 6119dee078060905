// Calling an operator by name from library code (kernels, decompositions, Tensor methods), the way
// ATen's C++ calls `at::add`: the full argument list in schema order, through the dispatcher (so
// modes see the call), without argument parsing.

import { RuntimeError } from "../core/errors.js";
import { dispatcher } from "./dispatcher.js";
import type { OperatorHandle } from "./operator-entry.js";

const handles = new Map<string, OperatorHandle>();

/** The handle of `aten::name.overload` (cached). */
export function opHandle(qualifiedName: string): OperatorHandle {
  let h = handles.get(qualifiedName);
  if (h === undefined || h.schema === null) {
    h = dispatcher.findOp(qualifiedName);
    if (h === undefined || h.schema === null) throw new RuntimeError(`operator ${qualifiedName} is not defined (was aten-ts's operator library registered?)`);
    handles.set(qualifiedName, h);
  }
  return h;
}

/**
 * Calls an operator with every argument given, in schema order.
 * @example
 * callOp("aten::add.Tensor", [x, y, 1])
 */
export function callOp(qualifiedName: string, args: unknown[]): unknown {
  return dispatcher.call(opHandle(qualifiedName), args);
}

/** Forgets cached handles (after the aten library was disposed and registered again). */
export function clearOpHandles(): void {
  handles.clear();
}
