// Autograd kernels at the Autograd alias key (PyTorch's VariableType): for an op with a derivative
// formula, record a node (inputs saved with their versions, edges to the inputs' nodes), run the op
// below autograd, and attach the node to the outputs; in-place ops rebase the history of `self`.
// Ops without a formula keep the autograd fallback, which marks outputs with a node that warns
// during backward, as PyTorch 2.x's fallback does.

import { DispatchKey } from "../core/dispatch-key.js";
import { AFTER_AUTOGRAD_KEYSET, AUTOGRAD_DISPATCH_KEYSET, keySetOf } from "../core/dispatch-key-set.js";
import { dispatchContext, withExcludedRaw } from "../core/dispatch-context.js";
import { warn } from "../core/warnings.js";
import { type RegistrationHandle, dispatcher } from "../dispatcher/dispatcher.js";
import { KernelFunction } from "../dispatcher/kernel-function.js";
import type { OperatorHandle } from "../dispatcher/operator-entry.js";
import { isFloatingType } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { type Edge, Node, SavedTensor, gradientEdge } from "./node.js";
import { checkInplace, rebaseHistory } from "./view-history.js";
import { redispatchBelowADInplaceOrView } from "./inplace-or-view.js";
import { registerHook } from "./api.js";

/** Values a formula saved: tensors are checked for in-place modification when read. */
export type Saved = Record<string, unknown>;

/** One op's derivative, as a row of PyTorch's derivatives.yaml. */
export interface Derivative {
  /** `aten::mul.Tensor` */
  readonly op: string;
  /** The node's name: `MulBackward0`. */
  readonly name: string;
  /** Argument positions of the differentiable tensor inputs. */
  readonly inputs: readonly number[];
  /**
   * What backward needs, from the arguments and the result (read after the op ran, so an in-place
   * op's formula must not need the original `self`).
   */
  readonly save: (args: readonly unknown[], out: unknown, before: Saved) => Saved;
  /**
   * What must be captured before the op runs (in-place ops whose formula needs the original
   * `self`: PyTorch clones it first).
   */
  readonly saveBefore?: (args: readonly unknown[]) => Saved;
  /** Input gradients (one per `inputs` entry) from the output gradients. */
  readonly backward: (grads: ReadonlyArray<Tensor | null>, saved: Saved, needs: readonly boolean[]) => Array<Tensor | null>;
  /** Which outputs are differentiable (default: floating tensor outputs). */
  readonly differentiableOutputs?: readonly number[];
}

/** A node running a formula. */
export class FormulaNode extends Node {
  private saved: Saved;
  constructor(
    private readonly def: Derivative,
    saved: Saved,
    private readonly needs: readonly boolean[],
  ) {
    super();
    this.saved = saved;
  }
  name(): string {
    return this.def.name;
  }
  apply(grads: Array<Tensor | null>): Array<Tensor | null> {
    this.checkNotReleased();
    const unpacked: Saved = {};
    for (const [k, v] of Object.entries(this.saved)) unpacked[k] = v instanceof SavedTensor ? v.unpack(this) : v;
    const mask = this.taskMask;
    return this.def.backward(grads, unpacked, mask === null ? this.needs : this.needs.map((n, i) => n && mask[i] === true));
  }
  /** Wraps the saved tensors once the outputs exist (outputs are saved as outputs). */
  setSaved(saved: Saved): void {
    this.saved = saved;
  }
  override releaseVariables(): void {
    super.releaseVariables();
    for (const v of Object.values(this.saved)) if (v instanceof SavedTensor) v.release();
  }
}

/** PyTorch's warning when backprop reaches an op without an autograd kernel. */
function warnNotImplemented(opName: string): void {
  warn(
    `${opName}: an autograd kernel was not registered to the Autograd key(s) but we are trying to backprop through it. ` +
      "This may lead to silently incorrect behavior. This behavior is deprecated and will be removed in a future version of PyTorch. " +
      "If your operator is differentiable, please ensure you have registered an autograd kernel to the correct Autograd key " +
      "(e.g. DispatchKey::Autograd, DispatchKey::CompositeImplicitAutograd).",
  );
}

/** A node for an op without an autograd kernel: backprop through it warns and yields nothing. */
class NotRegisteredNode extends Node {
  constructor(private readonly opName: string) {
    super();
  }
  name(): string {
    return "torch::autograd::NotImplemented";
  }
  apply(): Array<Tensor | null> {
    warnNotImplemented(this.opName);
    return this.nextEdges.map(() => null);
  }
}

const BELOW_ADINPLACE = AUTOGRAD_DISPATCH_KEYSET | keySetOf(DispatchKey.ADInplaceOrView);

function tensorsOf(v: unknown): Tensor[] {
  if (v instanceof Tensor) return [v];
  return Array.isArray(v) ? v.filter((x): x is Tensor => x instanceof Tensor) : [];
}

function saveTensors(saved: Saved, owner: () => string, outputs: readonly Tensor[]): Saved {
  const out: Saved = {};
  for (const [k, v] of Object.entries(saved)) {
    out[k] = v instanceof Tensor ? new SavedTensor(v, owner, outputs.includes(v)) : v;
  }
  return out;
}

/** The outputs by position: an undefined output (a masked-off gradient) keeps its slot as null. */
function outputsOf(v: unknown): Array<Tensor | null> {
  if (v instanceof Tensor) return [v];
  return Array.isArray(v) ? v.map((x) => (x instanceof Tensor ? x : null)) : [];
}

function attach(node: Node, outputs: ReadonlyArray<Tensor | null>, differentiable: readonly number[] | undefined): void {
  outputs.forEach((t, i) => {
    if (t === null) return;
    const diff = differentiable ? differentiable.includes(i) : isFloatingType(t.dtype);
    node.outputMeta[i] = { shape: t.shape.slice(), dtype: t.dtype };
    if (!diff) return;
    t.gradFn = node;
    t._outputNr = i;
  });
}

/** Runs an op below autograd (PyTorch's AutoDispatchBelowADInplaceOrView + redispatch). */
const runBelow = (op: OperatorHandle, ks: number, args: readonly unknown[]): unknown => redispatchBelowADInplaceOrView(op, ks & AFTER_AUTOGRAD_KEYSET, args);

/** Runs fn below autograd (no graph recording), restoring TLS afterwards. */
const withBelow = <T>(fn: () => T): T => withExcludedRaw(BELOW_ADINPLACE, fn);

/** The autograd kernel of an op with a formula. */
export function autogradKernel(def: Derivative): KernelFunction {
  const positions = def.inputs;
  return KernelFunction.fromArgs<OperatorHandle>((op, ks, args) => {
    // fast path: grad mode off, or no input requires grad
    if (!dispatchContext().gradEnabled) return runBelow(op, ks, args);
    let any = false;
    for (let i = 0; i < positions.length && !any; i++) {
      const t = args[positions[i]!];
      if (t instanceof Tensor) any = t.requiresGrad;
      else if (Array.isArray(t)) any = t.some((e) => e instanceof Tensor && e.requiresGrad);
    }
    if (!any) return runBelow(op, ks, args);
    // a Tensor[] argument (cat, stack) contributes one differentiable input per element
    const inputs = positions.flatMap((i) => (Array.isArray(args[i]) ? (args[i] as unknown[]) : [args[i]]));
    const needs = inputs.map((t) => t instanceof Tensor && t.requiresGrad);
    const inplace = op.schema!.arguments[0]?.aliasInfo?.isWrite === true;
    if (inplace) checkInplace(args[0] as Tensor);
    const edges: Array<Edge | null> = inputs.map((t, i) => (needs[i] ? gradientEdge(t as Tensor) : null));
    // the node is made before the op runs (its sequence number orders backward), saved values after
    const node = new FormulaNode(def, {}, needs);
    node.nextEdges = edges;
    const before = def.saveBefore ? withBelow(() => def.saveBefore!(args)) : {};
    const out = runBelow(op, ks, args);
    const outputs = outputsOf(out);
    if (inplace) rebaseHistory(args[0] as Tensor, node);
    else attach(node, outputs, def.differentiableOutputs);
    node.setSaved(saveTensors(def.save(args, out, before), () => def.name, outputs.filter((t): t is Tensor => t !== null)));
    return out;
  });
}

/** The autograd fallback used for ops without a formula (replaces the plain redispatch). */
export const warningAutogradFallback = (op: OperatorHandle, ks: number, args: readonly unknown[]): unknown => {
  const ctx = dispatchContext();
  const self = args[0];
  if (ctx.gradEnabled && self instanceof Tensor && op.schema!.arguments[0]?.aliasInfo?.isWrite === true && self.requiresGrad) checkInplace(self);
  const out = dispatcher.redispatch(op, ks & AFTER_AUTOGRAD_KEYSET, args);
  if (!ctx.gradEnabled) return out;
  const edges: Array<Edge | null> = [];
  for (const pos of op.tensorArgPositions) for (const t of tensorsOf(args[pos])) if (t.requiresGrad) edges.push(gradientEdge(t));
  if (edges.length === 0) return out;
  const returns = op.schema!.returns;
  const fresh: Tensor[] = [];
  tensorsOf(out).forEach((t, i) => {
    if (!isFloatingType(t.dtype)) return;
    const mutable = returns[Math.min(i, returns.length - 1)]?.aliasInfo?.isWrite === true;
    if (t.requiresGrad) {
      // an output that already requires grad (an input modified in place): warn when its gradient flows
      const hook = () => warnNotImplemented(op.qualifiedName);
      registerHook(t, hook);
      if (mutable && t._viewMeta !== null && t._base!.requiresGrad) registerHook(t._base!, hook);
    } else if (!mutable) {
      fresh.push(t);
    }
  });
  if (fresh.length === 0) return out;
  const node = new NotRegisteredNode(op.qualifiedName);
  node.nextEdges = edges;
  attach(node, fresh, undefined);
  return out;
};

/**
 * Ops whose outputs never require grad (PyTorch's non-differentiable ops and outputs): their
 * autograd kernel just runs below autograd.
 */
export const NON_DIFFERENTIABLE: readonly string[] = [
  "aten::detach",
  "aten::zeros_like",
  "aten::ones_like",
  "aten::empty_like",
  "aten::full_like",
  "aten::rand_like",
  "aten::randn_like",
  "aten::randint_like",
  "aten::randint_like.low_dtype",
  "aten::bernoulli_.float",
  "aten::bernoulli_.Tensor",
  "aten::normal_",
  "aten::uniform_",
  "aten::random_",
];

const belowOnly = KernelFunction.fromArgs<OperatorHandle>((op, ks, args) => runBelow(op, ks, args));

/** Registers the autograd kernels of all derivatives; returns a handle that removes them. */
export function registerDerivatives(defs: readonly Derivative[]): RegistrationHandle {
  const handles: RegistrationHandle[] = [];
  const withFormula = new Set(defs.map((d) => d.op));
  for (const name of NON_DIFFERENTIABLE) {
    if (withFormula.has(name)) continue;
    const h = dispatcher.findOp(name);
    if (h && h.schema) handles.push(dispatcher.registerImpl(h.name, h.overloadName, DispatchKey.Autograd, belowOnly, "registered at aten-ts/src/autograd/formula.ts"));
  }
  for (const d of defs) {
    const h = dispatcher.findOp(d.op);
    if (!h || !h.schema) continue; // an op another layer has not defined (tests check every formula is registered)
    handles.push(dispatcher.registerImpl(h.name, h.overloadName, DispatchKey.Autograd, autogradKernel(d), "registered at aten-ts/src/autograd/derivatives.ts"));
  }
  return { dispose: () => handles.forEach((h) => h.dispose()) };
}
