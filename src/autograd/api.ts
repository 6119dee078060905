// The autograd surface users call: Tensor.backward / requiresGrad_ / retainGrad / registerHook,
// autograd.grad, noGrad / enableGrad, and custom autograd.Function classes.

import { RuntimeError } from "../core/errors.js";
import { DispatchKey } from "../core/dispatch-key.js";
import { AUTOGRAD_DISPATCH_KEYSET, keySetOf } from "../core/dispatch-key-set.js";
import { dispatchContext } from "../core/dispatch-context.js";

const ADINPLACE_OR_VIEW = keySetOf(DispatchKey.ADInplaceOrView);
import { callOp } from "../dispatcher/call-op.js";
import { isFloatingType } from "../tensor/dtype.js";
import { Tensor, bumpVersion } from "../tensor/tensor.js";
import { isGradEnabled, runBackward, withGradMode } from "./engine.js";
import { type Edge, Node, gradAccumulator, gradientEdge, setRetainGradHook } from "./node.js";
import { rebaseHistory } from "./view-history.js";

/** Options of backward(). */
export interface BackwardOpts {
  retainGraph?: boolean;
  createGraph?: boolean;
}

function defaultGrad(t: Tensor): Tensor {
  if (t.numel() !== 1) throw new RuntimeError("grad can be implicitly created only for scalar outputs");
  // as the Python binding calls it: pin_memory=False and memory_format=torch.preserve_format are passed
  return callOp("aten::ones_like", [t, null, null, null, false, 1]) as Tensor;
}

function rootEdge(t: Tensor, i: number): Edge {
  const e = gradientEdge(t);
  if (!e) throw new RuntimeError(`element ${i} of tensors does not require grad and does not have a grad_fn`);
  return e;
}

/**
 * Computes gradients of `tensors` (with output gradients `grads`, default ones for scalars) and
 * accumulates them into the leaves' `.grad` (PyTorch's torch.autograd.backward).
 */
export function backward(tensors: Tensor | readonly Tensor[], grads?: Tensor | ReadonlyArray<Tensor | undefined>, opts: BackwardOpts = {}): void {
  const ts = tensors instanceof Tensor ? [tensors] : [...tensors];
  const gs = grads instanceof Tensor ? [grads] : grads ? [...grads] : [];
  const roots = ts.map(rootEdge);
  runBackward(roots, ts.map((t, i) => gs[i] ?? defaultGrad(t)), opts);
}

/**
 * Gradients of `outputs` with respect to `inputs`, returned instead of accumulated
 * (PyTorch's torch.autograd.grad).
 * @example
 * const [dx] = autograd.grad([y], [x], { createGraph: true });
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  opts: BackwardOpts & { gradOutputs?: ReadonlyArray<Tensor | undefined>; allowUnused?: boolean } = {},
): Array<Tensor | null> {
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new RuntimeError(`One of the differentiated Tensors does not require grad (input ${i})`);
  });
  const capture = ins.map((t) => gradientEdge(t));
  return runBackward(
    outs.map(rootEdge),
    outs.map((t, i) => opts.gradOutputs?.[i] ?? defaultGrad(t)),
    { ...opts, capture, allowUnused: opts.allowUnused ?? false },
  );
}

/**
 * Runs fn with gradient recording off (PyTorch's torch.no_grad()).
 * @example
 * const y = noGrad(() => x.mul(2)); y.requiresGrad // false
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}
/**
 * Runs fn in inference mode (PyTorch's torch.inference_mode()): no gradient recording, no version
 * counting or view tracking for the tensors it makes (inference tensors, cheaper than under
 * noGrad); `inferenceMode(fn, false)` turns it off inside an outer one.
 * @example
 * const y = torch.inferenceMode(() => model.call(x)); y.isInference() // true
 */
export function inferenceMode<T>(fn: () => T, enabled = true): T {
  const c = dispatchContext();
  const saved = [c.inferenceMode, c.gradEnabled, c.included, c.excluded] as const;
  c.inferenceMode = enabled;
  c.gradEnabled = !enabled;
  if (enabled) {
    c.included &= ~ADINPLACE_OR_VIEW;
    c.excluded |= AUTOGRAD_DISPATCH_KEYSET;
  } else {
    c.included |= ADINPLACE_OR_VIEW;
    c.excluded &= ~AUTOGRAD_DISPATCH_KEYSET;
  }
  try {
    return fn();
  } finally {
    [c.inferenceMode, c.gradEnabled, c.included, c.excluded] = saved;
  }
}

/**
 * Is inference mode on?
 * @example
 * torch.inferenceMode(() => torch.isInferenceModeEnabled()) // true
 */
export function isInferenceModeEnabled(): boolean {
  return dispatchContext().inferenceMode;
}

/**
 * Runs fn with gradient recording on (PyTorch's torch.enable_grad()).
 * @example
 * torch.noGrad(() => torch.enableGrad(() => x.mul(2))).requiresGrad // true when x requires grad
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
export { isGradEnabled };

/**
 * The `ctx` of a custom Function.
 * @example
 * static forward(ctx: FunctionCtx, x: Tensor) { ctx.saveForBackward(x); return x.mul(x); }
 */
export class FunctionCtx {
  private saved: Tensor[] = [];
  /** @internal Inputs the forward modified in place (markDirty). */
  _dirty = new Set<Tensor>();
  /** @internal Outputs that never require grad (markNonDifferentiable). */
  _nonDifferentiable = new Set<Tensor>();
  /** @internal Are missing output gradients given to backward as zeros? */
  _materializeGrads = true;
  /** Per input: does it need a gradient? */
  needsInputGrad: boolean[] = [];
  /** Saves tensors for backward. */
  saveForBackward(...tensors: Tensor[]): void {
    this.saved = tensors;
  }
  get savedTensors(): readonly Tensor[] {
    return this.saved;
  }
  /**
   * Declares inputs the forward modified in place (PyTorch's mark_dirty): they must be returned,
   * their version is bumped, and their history is rebased onto this Function's node.
   * @example
   * static forward(ctx, x) { ctx.markDirty(x); return x.mul_(2); }
   */
  markDirty(...tensors: Tensor[]): void {
    for (const t of tensors) this._dirty.add(t);
  }
  /**
   * Declares outputs that are not differentiable (PyTorch's mark_non_differentiable): they do
   * not require grad, and backward receives zeros (or null) for them.
   * @example
   * const [v, i] = x.sort(); ctx.markNonDifferentiable(i); return [v, i];
   */
  markNonDifferentiable(...tensors: Tensor[]): void {
    for (const t of tensors) this._nonDifferentiable.add(t);
  }
  /**
   * Whether backward receives zeros (true, the default) or null for outputs that got no gradient
   * (PyTorch's set_materialize_grads).
   * @example
   * ctx.setMaterializeGrads(false);
   */
  setMaterializeGrads(on: boolean): void {
    this._materializeGrads = on;
  }
  [key: string]: unknown;
}

/** How PyTorch names a non-tensor value in "expected Variable or None (got int)". */
function pyTypeName(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  return typeof v;
}

class CustomFunctionNode extends Node {
  constructor(
    private readonly nodeName: string,
    private readonly run: (grads: Array<Tensor | null>) => Array<Tensor | null>,
  ) {
    super();
  }
  name(): string {
    return this.nodeName;
  }
  apply(grads: Array<Tensor | null>): Array<Tensor | null> {
    this.checkNotReleased();
    return this.run(grads);
  }
}

/**
 * A custom differentiable operation (PyTorch's torch.autograd.Function): subclass with static
 * `forward(ctx, ...args)` and `backward(ctx, ...grads)`, call with `apply`. Backward returns one
 * gradient (or null) per forward argument.
 * @example
 * class Square extends autograd.Function {
 *   static forward(ctx, x) { ctx.saveForBackward(x); return x.mul(x); }
 *   static backward(ctx, g) { const [x] = ctx.savedTensors; return g.mul(x).mul(2); }
 * }
 * Square.apply(x).sum().backward();
 */
export class Function {
  static forward(_ctx: FunctionCtx, ..._args: never[]): unknown {
    throw new RuntimeError("You must implement the forward function for custom autograd.Function.");
  }
  static backward(_ctx: FunctionCtx, ..._grads: never[]): unknown {
    throw new RuntimeError("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.");
  }
  static apply(this: typeof Function, ...args: unknown[]): unknown {
    const ctx = new FunctionCtx();
    const tensorIdx = args.map((a, i) => (a instanceof Tensor ? i : -1)).filter((i) => i >= 0);
    ctx.needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
    const forward = this.forward as (ctx: FunctionCtx, ...a: unknown[]) => unknown;
    const out = withGradMode(false, () => forward.call(this, ctx, ...args));
    const flatOut = out instanceof Tensor ? [out] : Array.isArray(out) ? out.filter((o): o is Tensor => o instanceof Tensor) : [];
    for (const d of ctx._dirty) {
      if (!flatOut.includes(d)) {
        throw new RuntimeError(
          "Some elements marked as dirty during the forward method were not returned as output. The inputs that are modified inplace must all be outputs of the Function.",
        );
      }
      bumpVersion(d); // PyTorch's _mark_dirty bumps the version
    }
    if (!isGradEnabled() || !ctx.needsInputGrad.some(Boolean)) return out;
    const backwardFn = this.backward as (ctx: FunctionCtx, ...g: unknown[]) => unknown;
    const nodeName = `${this.name}Backward`;
    let outputMeta: Node["outputMeta"] = [];
    const node = new CustomFunctionNode(nodeName, (grads) => {
      const given = outputMeta.map((m, i) => {
        const g = grads[i] ?? null;
        if (g !== null || !ctx._materializeGrads) return g;
        return callOp("aten::zeros", [m.shape.slice(), m.dtype, null, null, null]) as Tensor;
      });
      const r = backwardFn.call(this, ctx, ...given);
      const list = Array.isArray(r) ? r : [r];
      if (list.length !== args.length && !(list.length > args.length && list.slice(args.length).every((g) => g === null || g === undefined))) {
        throw new RuntimeError(`function ${nodeName} returned an incorrect number of gradients (expected ${args.length}, got ${list.length})`);
      }
      for (const g of list) {
        if (g !== null && g !== undefined && !(g instanceof Tensor)) throw new RuntimeError(`expected Variable or None (got ${pyTypeName(g)})`);
      }
      return tensorIdx.map((i) => (list[i] instanceof Tensor ? (list[i] as Tensor) : null));
    });
    node.nextEdges = tensorIdx.map((i) => gradientEdge(args[i] as Tensor));
    const inputs = new Set(tensorIdx.map((i) => args[i] as Tensor));
    if (flatOut.length > 1 && [...ctx._dirty].some((d) => d._viewMeta !== null)) {
      throw new RuntimeError(
        "If your Function modifies inplace an input that is a view of another Tensor, your Function cannot return more than one Tensor. This is not supported by the current autograd engine. You should either make sure the input is not a view (using .clone() for example) or make your Function only return one Tensor (potentially splitting it into two Functions: one doing the inplace that returns that Tensor and one doing the other computation).",
      );
    }
    // an input returned as-is (and not modified) becomes a fresh view of itself (PyTorch's _view_as_self_with_no_grad)
    const wrap = (o: unknown): unknown =>
      o instanceof Tensor && inputs.has(o) && !ctx._dirty.has(o) ? withGradMode(false, () => callOp("aten::view_as", [o, o])) : o;
    const result = Array.isArray(out) ? out.map(wrap) : wrap(out);
    const outs = result instanceof Tensor ? [result] : Array.isArray(result) ? result.filter((o): o is Tensor => o instanceof Tensor) : [];
    outs.forEach((t, i) => {
      node.outputMeta[i] = { shape: t.shape.slice(), dtype: t.dtype };
      const differentiable = isFloatingType(t.dtype) && !ctx._nonDifferentiable.has(t);
      if (differentiable && ctx._dirty.has(t)) {
        if (t.isLeaf && t.requiresGrad) throw new RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.");
        rebaseHistory(t, node, i);
      } else if (differentiable) {
        t.gradFn = node;
        t._outputNr = i;
      }
      // a view made inside the Function may not be modified in place later (its node would be lost)
      if (t._viewMeta !== null && !(inputs.has(t) && ctx._dirty.has(t))) t._viewMeta.creationMeta = "in_custom_function";
    });
    outputMeta = node.outputMeta;
    return result;
  }
}

/** Makes a leaf require grad (PyTorch's requires_grad_). */
export function requiresGrad_(t: Tensor, on = true): Tensor {
  if (!t.isLeaf) {
    throw new RuntimeError(
      "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
    );
  }
  if (on && !isFloatingType(t.dtype)) throw new RuntimeError("only Tensors of floating point dtype can require gradients");
  if (on && t.isInference() && !dispatchContext().inferenceMode) {
    throw new RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
  }
  t.requiresGrad = on;
  return t;
}

/** Keeps .grad on a non-leaf during backward. */
export function retainGrad(t: Tensor): void {
  if (!t.requiresGrad) throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False");
  if (t.isLeaf || t._retainsGrad) return;
  t._retainsGrad = true;
  setRetainGradHook(t, t.gradFn as Node, (grads) => {
    const g = grads[t._outputNr];
    if (g) t.grad = t.grad === null ? (callOp("aten::clone", [g, null]) as Tensor) : (callOp("aten::add.Tensor", [t.grad, g, 1]) as Tensor);
  });
}

/** Registers a hook on the gradient of t: it may return a replacement gradient. */
export function registerHook(t: Tensor, hook: (grad: Tensor) => Tensor | void): { remove(): void } {
  if (!t.requiresGrad) throw new RuntimeError("cannot register a hook on a tensor that doesn't require gradient");
  const node: Node = t.isLeaf ? gradAccumulator(t) : (t.gradFn as Node);
  const nr = t.isLeaf ? 0 : t._outputNr;
  const h = (grads: Array<Tensor | null>) => {
    const g = grads[nr];
    if (!g) return;
    const r = hook(g);
    if (r instanceof Tensor) {
      const out = grads.slice();
      out[nr] = r;
      return out;
    }
    return undefined;
  };
  node.preHooks.push(h);
  return { remove: () => void node.preHooks.splice(node.preHooks.indexOf(h), 1) };
}
