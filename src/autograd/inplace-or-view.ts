// Kernels at the ADInplaceOrView key (PyTorch's generated ADInplaceOrViewType): an in-place or
// out= op bumps the version counter of what it wrote after running below; a view op marks its
// outputs as views of its input's root base (sharing the version counter) and records how the
// view was made (CreationMeta), so autograd can later rebase in-place changes onto the base.
// Composite-implicit ops get none (their decomposition does it), as in PyTorch.

import { DispatchKey } from "../core/dispatch-key.js";
import { AUTOGRAD_DISPATCH_KEYSET, fullAfter, keySetOf } from "../core/dispatch-key-set.js";
import { dispatchContext } from "../core/dispatch-context.js";
import { type RegistrationHandle, dispatcher } from "../dispatcher/dispatcher.js";
import { callOp } from "../dispatcher/call-op.js";
import { KernelFunction } from "../dispatcher/kernel-function.js";
import type { OperatorHandle } from "../dispatcher/operator-entry.js";
import type { AliasInfo, Argument } from "../dispatcher/schema/schema-types.js";
import { type CreationMeta, Tensor, bumpVersion } from "../tensor/tensor.js";

const BELOW_ADINPLACE = AUTOGRAD_DISPATCH_KEYSET | keySetOf(DispatchKey.ADInplaceOrView);
const AFTER_ADINPLACE_KEYSET = fullAfter(DispatchKey.ADInplaceOrView);
const PYTHON_KEY = keySetOf(DispatchKey.Python);

/**
 * Redispatches with key set `ks` under PyTorch's AutoDispatchBelowADInplaceOrView (the autograd
 * keys and ADInplaceOrView excluded from the TLS), without allocating: the autograd kernels and
 * the ADInplaceOrView kernels run the op below themselves with it.
 */
export function redispatchBelowADInplaceOrView(op: OperatorHandle, ks: number, args: readonly unknown[]): unknown {
  const ctx = dispatchContext();
  const delta = BELOW_ADINPLACE & ~ctx.excluded;
  ctx.excluded |= delta;
  try {
    return dispatcher.redispatch(op, ks, args);
  } finally {
    ctx.excluded &= ~delta;
  }
}

const runBelow = (op: OperatorHandle, ks: number, args: readonly unknown[]): unknown => redispatchBelowADInplaceOrView(op, ks & AFTER_ADINPLACE_KEYSET, args);

/** The alias set of an argument or return (for lists, of their elements). */
function aliasOf(a: Argument | undefined): AliasInfo | undefined {
  const info = a?.aliasInfo;
  if (!info) return undefined;
  if (info.beforeSets.length > 0 || info.isWrite) return info;
  return info.containedTypes[0];
}

/** What an op's ADInplaceOrView kernel does. */
type Kind = { kind: "write"; positions: number[] } | { kind: "view"; multi: boolean } | { kind: "nondiff-view" };

/** Views whose output is not differentiable: they share the version counter but have no `_base`. */
const NON_DIFFERENTIABLE_VIEWS = new Set(["aten::detach", "aten::view.dtype"]);

/**
 * PyTorch's rule: in-place ops (name ends with `_`, `self` written) and out= ops bump versions;
 * ops returning an alias of `self` are views; composite-implicit ops and functional ops with
 * mutable arguments (native_batch_norm's running stats) get nothing.
 */
export function inplaceOrViewKind(op: OperatorHandle): Kind | null {
  const schema = op.schema;
  if (!schema || op.hasKernelFor(DispatchKey.CompositeImplicitAutograd)) return null;
  if (NON_DIFFERENTIABLE_VIEWS.has(op.qualifiedName)) return { kind: "nondiff-view" };
  // returns its input for a fresh tensor; PyTorch does not count it as a view op
  if (op.name === "aten::lift_fresh") return null;
  const args = schema.arguments;
  const writes = args.flatMap((a, i) => (aliasOf(a)?.isWrite ? [i] : []));
  const inplace = op.name.endsWith("_") && writes.includes(0);
  const out = writes.some((i) => args[i]!.kwargOnly);
  if (inplace || out) return { kind: "write", positions: writes };
  const self = aliasOf(args[0]);
  const ret = aliasOf(schema.returns[0]);
  if (self && ret && !self.isWrite && !ret.isWrite && ret.beforeSets.some((s) => self.beforeSets.includes(s))) {
    return { kind: "view", multi: schema.returns[0]!.type.kind === "list" };
  }
  return null;
}

function bump(v: unknown): void {
  if (v instanceof Tensor) bumpVersion(v);
  else if (Array.isArray(v)) for (const t of v) if (t instanceof Tensor) bumpVersion(t);
}

/**
 * The view function of a new view: null (as_strided replays it) unless the base is a
 * Python-dispatch tensor (a subclass or fake tensor), which replays the op itself.
 */
function viewFnFor(op: OperatorHandle, base: Tensor, args: readonly unknown[], index: number | null): ((b: Tensor) => Tensor) | null {
  const prev = base._viewMeta?.viewFn ?? null;
  if ((base.keySet & PYTHON_KEY) === 0 && prev === null) return null;
  const rest = args.slice(1);
  const replay = (b: Tensor): Tensor => {
    const r = callOp(op.qualifiedName, [b, ...rest]);
    return (index === null ? r : (r as Tensor[])[index]) as Tensor;
  };
  if (base._base === null) return replay;
  // chain from the root: through the base's own replay, or through as_strided to the base
  if (prev !== null) return (root) => replay(prev(root));
  const [size, stride, offset] = [base.shape.slice(), base.stride().slice(), base._offset];
  return (root) => replay(callOp("aten::as_strided", [root, size, stride, offset]) as Tensor);
}

/** PyTorch's propagate_creation_meta: a view of a special view stays special. */
function propagate(prev: CreationMeta, next: CreationMeta): CreationMeta {
  return next === "default" ? prev : prev === "inference_mode" ? prev : next;
}

/** Marks `out` as a differentiable view of `base` (PyTorch's as_view). */
export function asView(base: Tensor, out: Tensor, creation: CreationMeta, viewFn: ((b: Tensor) => Tensor) | null): void {
  const root = base._base ?? base;
  out._base = root;
  out._version = root._version;
  const prev = base._viewMeta?.creationMeta ?? "default";
  out._viewMeta = { creationMeta: base._viewMeta ? propagate(prev, creation) : creation, attrVersion: out._version.value, viewFn };
}

function kernelFor(kind: Kind): KernelFunction {
  switch (kind.kind) {
    case "write": {
      const positions = kind.positions;
      return KernelFunction.fromArgs<OperatorHandle>((op, ks, args) => {
        const out = runBelow(op, ks, args);
        for (const p of positions) bump(args[p]);
        return out;
      });
    }
    case "nondiff-view":
      // shares the version counter, is no view for autograd (`_base` is None)
      return KernelFunction.fromArgs<OperatorHandle>((op, ks, args) => {
        const out = runBelow(op, ks, args) as Tensor;
        out._base = null;
        out._viewMeta = null;
        out._version = (args[0] as Tensor)._version;
        return out;
      });
    case "view":
      return KernelFunction.fromArgs<OperatorHandle>((op, ks, args) => {
        const out = runBelow(op, ks, args);
        const self = args[0] as Tensor;
        const c = dispatchContext();
        const special: CreationMeta | null = c.inferenceMode ? "inference_mode" : c.gradEnabled ? null : "no_grad_mode";
        if (kind.multi) {
          const creation = special ?? "multi_output_node";
          (out as Tensor[]).forEach((t, i) => asView(self, t, creation, viewFnFor(op, self, args, i)));
        } else {
          asView(self, out as Tensor, special ?? "default", viewFnFor(op, self, args, null));
        }
        return out;
      });
  }
}

/** Registers the ADInplaceOrView kernels of every aten op defined so far. */
export function registerInplaceOrViewKernels(): RegistrationHandle {
  const handles: RegistrationHandle[] = [];
  for (const op of dispatcher.allOperators()) {
    if (!op.name.startsWith("aten::")) continue;
    const kind = inplaceOrViewKind(op);
    if (kind === null) continue;
    handles.push(dispatcher.registerImpl(op.name, op.overloadName, DispatchKey.ADInplaceOrView, kernelFor(kind), "registered at aten-ts/src/autograd/inplace-or-view.ts"));
  }
  return { dispose: () => handles.forEach((h) => h.dispose()) };
}
