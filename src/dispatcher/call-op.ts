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
 * Calls an operator with its arguments in schema order; trailing arguments left out take their
 * schema defaults (as C++ default arguments do for `at::` calls).
 * @example
 * callOp("aten::add.Tensor", [x, y, 1])
 * callOp("aten::elu", [x]) // alpha=1, scale=1, input_scale=1
 */
export function callOp(qualifiedName: string, args: unknown[]): unknown {
  const h = opHandle(qualifiedName);
  return dispatcher.call(h, args.length < h.numArguments ? withDefaults(h, args) : args);
}

/** The arguments completed with the schema's defaults; a missing argument without one is an error. */
function withDefaults(h: OperatorHandle, args: readonly unknown[]): unknown[] {
  const params = h.schema!.arguments;
  const full = args.slice();
  for (let i = args.length; i < params.length; i++) {
    const d = params[i]!.defaultValue;
    if (d === undefined) throw new RuntimeError(`${h.qualifiedName}: missing argument '${params[i]!.name}' (it has no default)`);
    full.push(Array.isArray(d) ? d.slice() : d);
  }
  return full;
}

/** Forgets cached handles (after the aten library was disposed and registered again). */
export function clearOpHandles(): void {
  handles.clear();
}
