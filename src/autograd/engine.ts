// The backward engine (PyTorch's torch::autograd::Engine, single-threaded): from the roots, count
// dependencies, then run ready nodes in decreasing sequence-number order, summing gradients that
// meet at a node (with dispatched adds), reducing broadcast gradients to their input's shape,
// capturing the gradients autograd.grad asked for, and opening a backward_function range per node.

import { dispatchContext } from "../core/dispatch-context.js";
import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { recordFunctionState, runInRecordFunction } from "../dispatcher/record-function.js";
import { isNonOverlappingAndDense as isDenseLayout } from "../aten/shape-geometry.js";
import { contiguousStrides } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { type Edge, type InputMeta, Node, callNode, setAccumulate } from "./node.js";

/** Runs fn with grad mode set to `on` (restored afterwards, also on throw). */
export function withGradMode<T>(on: boolean, fn: () => T): T {
  const c = dispatchContext();
  const prev = c.gradEnabled;
  c.gradEnabled = on;
  try {
    return fn();
  } finally {
    c.gradEnabled = prev;
  }
}

/**
 * Is grad mode on?
 * @example
 * torch.noGrad(() => torch.isGradEnabled()) // false
 */
export function isGradEnabled(): boolean {
  return dispatchContext().gradEnabled;
}

/** a + b through the dispatcher (so modes see gradient accumulation, as in PyTorch). */
function add(a: Tensor, b: Tensor): Tensor {
  return callOp("aten::add.Tensor", [a, b, 1]) as Tensor;
}

/** PyTorch's at::sum_to: sums a broadcast gradient back to `shape`. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  const gs = g.shape;
  if (gs.length === shape.length && gs.every((s, i) => s === shape[i])) return g;
  if (shape.length === 0) return callOp("aten::sum", [g, null]) as Tensor;
  const lead = gs.length - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < gs.length; i++) {
    if (i < lead) dims.push(i);
    else if (shape[i - lead] === 1 && gs[i] !== 1) dims.push(i);
  }
  let r = g;
  if (dims.length > 0) r = callOp("aten::sum.dim_IntList", [g, dims, true, null]) as Tensor;
  if (lead > 0) r = callOp("aten::view", [r, shape.slice()]) as Tensor;
  return r;
}

/** at::is_expandable_to: can `shape` be broadcast to `desired`? */
function isExpandableTo(shape: readonly number[], desired: readonly number[]): boolean {
  if (shape.length > desired.length) return false;
  for (let i = 1; i <= shape.length; i++) {
    const s = shape[shape.length - i]!;
    if (s !== desired[desired.length - i] && s !== 1) return false;
  }
  return true;
}

/**
 * validate_outputs for one gradient: reduce a broadcast gradient to its input's shape and cast it
 * to its dtype; a gradient of an incompatible shape is an error naming the node that made it.
 */
function validate(meta: InputMeta | undefined, g: Tensor | null, producer?: Node, index = 0): Tensor | null {
  if (g === null || meta === undefined) return g;
  if (producer && !isExpandableTo(meta.shape, g.shape)) {
    throw new RuntimeError(
      `Function ${producer.name()} returned an invalid gradient at index ${index} - got [${g.shape.join(", ")}] but expected shape compatible with [${meta.shape.join(", ")}]`,
    );
  }
  let r = sumTo(g, meta.shape);
  if (r.dtype !== meta.dtype) r = callOp("aten::_to_copy", [r, meta.dtype, null, null, null, false, null]) as Tensor;
  return r;
}

/** PyTorch's gradient layout contract: a dense variable's .grad has its strides, else it is contiguous. */
function obeysLayoutContract(g: Tensor, v: Tensor): boolean {
  if (isDenseLayout(v.shape, v.stride())) return g.stride().every((s, i) => s === v.stride()[i] || v.shape[i]! <= 1);
  return g.isContiguous();
}

/**
 * The gradients the caller of the running backward pass holds (the output gradients it passed):
 * PyTorch steals a gradient into `.grad` only when nobody else references it, so these are copied.
 */
let heldGrads: ReadonlySet<Tensor> = new Set();

setAccumulate((v, g) => {
  const ctx = dispatchContext();
  if (v.grad === null) {
    if (!ctx.gradEnabled && !heldGrads.has(g) && obeysLayoutContract(g, v)) {
      v.grad = callOp("aten::detach", [g]) as Tensor; // PyTorch steals a fresh gradient (a detached alias)
    } else {
      // clone_obey_contract: a copy laid out like the variable
      const strides = isDenseLayout(v.shape, v.stride()) ? v.stride() : contiguousStrides(v.shape);
      const fresh = callOp("aten::new_empty_strided", [g, v.shape.slice(), strides, null, null, null, null]) as Tensor;
      v.grad = callOp("aten::copy_", [fresh, g, false]) as Tensor;
    }
    return;
  }
  // accumulate: out of place when the graph of the gradient is wanted (createGraph), else in place
  if (ctx.gradEnabled) v.grad = add(v.grad, g);
  else callOp("aten::add_.Tensor", [v.grad, g, 1]);
});

/** Options of a backward pass. */
export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
  /** For autograd.grad: capture the gradients reaching these edges instead of accumulating. */
  capture?: ReadonlyArray<Edge | null>;
  allowUnused?: boolean;
}

/** The nodes from which some captured node can be reached (PyTorch's exec_info `needed_`). */
function neededNodes(roots: ReadonlyArray<Edge | null>, captureAt: ReadonlyMap<Node, unknown>): Set<Node> {
  const needed = new Set<Node>();
  const state = new Map<Node, boolean>();
  const visit = (n: Node): boolean => {
    const known = state.get(n);
    if (known !== undefined) return known;
    state.set(n, false); // the graph is acyclic; this only guards against revisiting
    let any = false;
    for (const e of n.nextEdges) if (e && (visit(e.node) || captureAt.has(e.node))) any = true;
    state.set(n, any);
    if (any) needed.add(n);
    return any;
  };
  for (const r of roots) if (r) visit(r.node);
  return needed;
}

/**
 * Runs backward from `roots` (edges of the output tensors) with the given output gradients.
 * Returns the captured gradients when `capture` is given.
 */
export function runBackward(roots: ReadonlyArray<Edge | null>, grads: ReadonlyArray<Tensor>, opts: BackwardOptions = {}): Array<Tensor | null> {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  // dependencies: how many edges point at each node from the part of the graph reachable from the roots
  const deps = new Map<Node, number>();
  const seen = new Set<Node>();
  const stack: Node[] = [];
  const visit = (n: Node) => {
    if (seen.has(n)) return;
    seen.add(n);
    stack.push(n);
  };
  for (const r of roots) if (r) visit(r.node);
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const e of n.nextEdges) {
      if (!e) continue;
      deps.set(e.node, (deps.get(e.node) ?? 0) + 1);
      visit(e.node);
    }
  }
  const captureAt = new Map<Node, Array<[number, number]>>();
  opts.capture?.forEach((e, i) => {
    if (!e) return;
    const list = captureAt.get(e.node) ?? [];
    list.push([e.inputNr, i]);
    captureAt.set(e.node, list);
  });
  const captured: Array<Tensor | null> = new Array(opts.capture?.length ?? 0).fill(null);
  // autograd.grad (PyTorch's exec_info): only nodes on a path to a requested gradient run, and each
  // computes only the gradients whose edge leads to one
  const needed = opts.capture ? neededNodes(roots, captureAt) : null;
  const leadsToCapture = (e: Edge | null): boolean => e !== null && (captureAt.has(e.node) || needed!.has(e.node));
  const buffers = new Map<Node, Array<Tensor | null>>();
  const addTo = (e: Edge, g: Tensor) => {
    let b = buffers.get(e.node);
    if (!b) buffers.set(e.node, (b = []));
    const prev = b[e.inputNr];
    b[e.inputNr] = prev ? add(prev, g) : g;
  };
  const ready: Node[] = [];
  // kept sorted by sequence number, ascending: pop() takes the highest (PyTorch's ready queue)
  const pushReady = (n: Node) => {
    let lo = 0;
    let hi = ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ready[mid]!.sequenceNr < n.sequenceNr) lo = mid + 1;
      else hi = mid;
    }
    ready.splice(lo, 0, n);
  };
  const prevHeld = heldGrads;
  heldGrads = new Set(grads);
  try {
    withGradMode(createGraph, () => {
      roots.forEach((r, i) => r && addTo(r, validate(r.node.outputMeta[r.inputNr], grads[i]!)!));
      for (const r of roots) if (r && (deps.get(r.node) ?? 0) === 0 && !ready.includes(r.node)) pushReady(r.node);
      const executed: Node[] = [];
      while (ready.length > 0) {
        const node = ready.pop()!;
        let inputs = (buffers.get(node) ?? []).slice();
        buffers.delete(node);
        for (const h of node.preHooks) inputs = h(inputs) ?? inputs;
        for (const h of node.retainHooks) h(inputs);
        const caps = captureAt.get(node);
        if (caps) {
          for (const [nr, idx] of caps) captured[idx] = inputs[nr] ?? null;
        }
        // autograd.grad returns gradients instead of accumulating them into leaves
        if (opts.capture && node.name() === "torch::autograd::AccumulateGrad") continue;
        if (needed !== null && !needed.has(node)) continue;
        const mask = needed === null ? null : node.nextEdges.map(leadsToCapture);
        node.taskMask = mask;
        let outs: Array<Tensor | null>;
        try {
          outs = recordFunctionState.active
            ? runInRecordFunction("function", `autograd::engine::evaluate_function: ${node.name()}`, "", node.sequenceNr, undefined, () => callNode(node, inputs))
            : node.apply(inputs);
        } finally {
          node.taskMask = null;
        }
        executed.push(node);
        // validate_outputs: reduce/cast each gradient to its destination's shape and dtype right away
        node.nextEdges.forEach((e, i) => {
          if (!e) return;
          const g = mask !== null && !mask[i] ? null : validate(e.node.outputMeta[e.inputNr], outs[i] ?? null, node, i);
          if (g) addTo(e, g);
          const left = (deps.get(e.node) ?? 1) - 1;
          deps.set(e.node, left);
          if (left === 0) pushReady(e.node);
        });
      }
      if (!retainGraph) for (const n of executed) n.releaseVariables();
    });
  } finally {
    heldGrads = prevHeld;
  }
  if (opts.capture && !opts.allowUnused) {
    captured.forEach((g, i) => {
      if (g === null && opts.capture![i]) {
        throw new RuntimeError(
          "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.",
        );
      }
    });
  }
  return captured;
}

export { Node, Tensor };
