// Autograd graph nodes (PyTorch's torch::autograd::Node): each backward function knows its
// edges to the nodes of its inputs and computes input gradients from output gradients.
// AccumulateGrad ends the graph at a leaf; SavedTensor checks the version counter on unpack.

import { dispatchContext } from "../core/dispatch-context.js";
import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { recordFunctionState, runInRecordFunction } from "../dispatcher/record-function.js";
import type { DType } from "../tensor/dtype.js";
import { Tensor, type GradFn } from "../tensor/tensor.js";

/** Where an input gradient goes: a node and which of its inputs. */
export interface Edge {
  readonly node: Node;
  readonly inputNr: number;
}

/** Shape and dtype of a forward input, to reduce/cast its gradient (InputMetadata). */
export interface InputMeta {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * A backward function. Subclasses implement `apply(gradOutputs)` -> gradients of the inputs
 * (one per edge, null where none).
 */
export abstract class Node implements GradFn {
  /** Autograd's sequence number (later nodes run first in backward). */
  readonly sequenceNr: number;
  /** One edge per differentiable input (null: that input needs no gradient). */
  nextEdges: Array<Edge | null> = [];
  /** Shape/dtype per output of the forward op (the gradients this node receives). */
  outputMeta: InputMeta[] = [];
  /** Hooks run on this node's input gradients (the forward outputs' grads). */
  preHooks: Array<(grads: Array<Tensor | null>) => Array<Tensor | null> | void> = [];
  /**
   * Set by the engine while the node runs in an autograd.grad pass: which next edges lead to a
   * requested gradient (PyTorch's task_should_compute_output); null when every edge counts.
   */
  taskMask: readonly boolean[] | null = null;
  /** retainGrad hooks: they run after the pre-hooks and follow their tensor when its node changes. */
  retainHooks: Array<(grads: ReadonlyArray<Tensor | null>) => void> = [];
  protected released = false;

  constructor(sequenceNr?: number) {
    const ctx = dispatchContext();
    this.sequenceNr = sequenceNr ?? ctx.sequenceNr++;
  }

  /** PyTorch's class name of this node. */
  abstract name(): string;
  /** Gradients of the inputs from the gradients of the outputs. */
  abstract apply(gradOutputs: Array<Tensor | null>): Array<Tensor | null>;

  /** Frees saved tensors (after a backward pass without retainGraph). */
  releaseVariables(): void {
    this.released = true;
  }

  protected checkNotReleased(): void {
    if (this.released) {
      throw new RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
          "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True " +
          "if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.",
      );
    }
  }

  toString(): string {
    return `<${this.name()} object>`;
  }
}

/**
 * Calls a node as PyTorch's Node::operator() does: inside a backward_function range named after
 * the node (with its sequence number, so profilers can match it with the forward op).
 */
export function callNode(node: Node, grads: Array<Tensor | null>): Array<Tensor | null> {
  if (!recordFunctionState.active) return node.apply(grads);
  return runInRecordFunction("backward_function", node.name(), "", node.sequenceNr, undefined, () => node.apply(grads));
}

/** Accumulates the incoming gradient into a leaf's `.grad` (PyTorch's AccumulateGrad). */
export class AccumulateGrad extends Node {
  constructor(readonly variable: Tensor) {
    super(Number.MAX_SAFE_INTEGER);
    this.outputMeta = [{ shape: variable.shape, dtype: variable.dtype }];
  }
  name(): string {
    return "torch::autograd::AccumulateGrad";
  }
  apply(grads: Array<Tensor | null>): Array<Tensor | null> {
    const g = grads[0];
    if (!g) return [];
    const v = this.variable;
    accumulateInto(v, g);
    return [];
  }
}

let accumulate: (v: Tensor, g: Tensor) => void = () => {
  throw new RuntimeError("autograd is not initialised");
};
/** @internal set by the engine (it needs dispatched ops). */
export function setAccumulate(fn: (v: Tensor, g: Tensor) => void): void {
  accumulate = fn;
}
function accumulateInto(v: Tensor, g: Tensor): void {
  accumulate(v, g);
}

const accumulators = new WeakMap<Tensor, AccumulateGrad>();
/** The (one) AccumulateGrad node of a leaf. */
export function gradAccumulator(t: Tensor): AccumulateGrad {
  let a = accumulators.get(t);
  if (!a) {
    a = new AccumulateGrad(t);
    accumulators.set(t, a);
  }
  return a;
}

/** PyTorch's Node::forward_op_name: `SliceBackward0` -> `Slice`, `AddBackward1` -> `Add1`, `IdBackward` -> `Id`. */
export function forwardOpName(name: string): string {
  const pos = name.lastIndexOf("Backward");
  if (pos < 0) return name;
  const suffix = name.slice(pos + 8);
  if (!/^\d*$/.test(suffix)) return name;
  return suffix === "0" || suffix === "" ? name.slice(0, pos) : name.slice(0, pos) + suffix;
}

const retainHooks = new WeakMap<Tensor, { node: Node; hook: (grads: ReadonlyArray<Tensor | null>) => void }>();
/** @internal Records the retainGrad hook of a non-leaf (see moveRetainGradHook). */
export function setRetainGradHook(t: Tensor, node: Node, hook: (grads: ReadonlyArray<Tensor | null>) => void): void {
  node.retainHooks.push(hook);
  retainHooks.set(t, { node, hook });
}
/**
 * Moves a tensor's retainGrad hook to its new node (PyTorch's update_tensor_hooks_on_new_gradfn):
 * after an in-place op, `.grad` is the gradient of the new version. Other hooks stay behind.
 */
export function moveRetainGradHook(t: Tensor, to: GradFn | null): void {
  const r = retainHooks.get(t);
  if (!r || !(to instanceof Node) || r.node === to) return;
  r.node.retainHooks.splice(r.node.retainHooks.indexOf(r.hook), 1);
  to.retainHooks.push(r.hook);
  r.node = to;
}

/** The edge a gradient for tensor t flows along (null when t needs no gradient). */
export function gradientEdge(t: Tensor): Edge | null {
  if (!t.requiresGrad) return null;
  const fn = t.gradFn;
  if (fn instanceof Node) return { node: fn, inputNr: t._outputNr };
  return { node: gradAccumulator(t), inputNr: 0 };
}

/**
 * A tensor saved for backward, with the version it had (PyTorch's SavedVariable). A saved output
 * is unpacked as a fresh alias (a dispatched `detach`) that gets its node back, as PyTorch
 * reconstructs it, so higher-order gradients flow through it.
 */
export class SavedTensor {
  private readonly version: number;
  /** A differentiable output of the node that saves it: stored as a detached alias, re-attached on unpack. */
  private readonly isOutput: boolean;
  private readonly outputNr: number;
  private tensor: Tensor | null;
  constructor(
    tensor: Tensor | null,
    /** The saving node's name (the error message names it). */
    private readonly owner: () => string,
    isOutput = false,
  ) {
    if (tensor?.isInference()) {
      throw new RuntimeError(
        "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`.",
      );
    }
    this.version = tensor ? tensor.version : 0;
    this.isOutput = isOutput && tensor !== null && tensor.gradFn !== null;
    this.outputNr = tensor ? tensor._outputNr : 0;
    // PyTorch saves an output without its grad_fn (no reference cycle): a dispatched detach
    this.tensor = this.isOutput ? (callOp("aten::detach", [tensor]) as Tensor) : tensor;
  }
  /** The tensor, after checking that no in-place op modified it since it was saved. */
  unpack(owner?: Node): Tensor | null {
    const t = this.tensor;
    if (t === null) return null;
    this.checkVersion(t);
    if (!this.isOutput) return t;
    // the output is rebuilt as an alias with the node as its grad_fn (so higher-order grads flow)
    const alias = callOp("aten::detach", [t]) as Tensor;
    if (owner) {
      alias.gradFn = owner;
      alias._outputNr = this.outputNr;
    }
    return alias;
  }
  private checkVersion(t: Tensor): void {
    if (t.version !== this.version) {
      const type = `torch.${t.dtype === "float64" ? "Double" : t.dtype === "float32" ? "Float" : "Long"}Tensor`;
      throw new RuntimeError(
        `one of the variables needed for gradient computation has been modified by an inplace operation: [${type} [${t.shape.join(", ")}]]` +
          `${this.isOutput ? `, which is output ${this.outputNr} of ${forwardOpName(this.owner())},` : ""} is at version ${t.version}; expected version ${this.version} instead. ` +
          "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).",
      );
    }
  }
  release(): void {
    this.tensor = null;
  }
}

export { Tensor };
