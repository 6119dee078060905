// In-place ops on views, as PyTorch's autograd handles them: check_inplace (the view+inplace
// errors), rebase_history (the base's history gets a CopySlices node wrapping the in-place op's
// node) and the view's own node, rebuilt whenever the shared version counter moved (an
// AsStridedBackward0 reading from the base, or the replayed view for subclasses).

import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { type CreationMeta, type GradFn, Tensor, setViewGradFnHook } from "../tensor/tensor.js";
import { withGradMode } from "./engine.js";
import { Node, callNode, forwardOpName, gradientEdge, moveRetainGradHook } from "./node.js";

const op = (name: string, ...args: unknown[]): Tensor => callOp(name, args) as Tensor;

const WHY: Partial<Record<CreationMeta, string>> = {
  multi_output_node:
    " This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.",
  no_grad_mode:
    " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).",
  inference_mode:
    " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the inference_mode block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).",
  in_custom_function:
    " This view was created inside a custom Function (or because an input was returned as-is) and the autograd logic to handle view+inplace would override the custom backward associated with the custom Function, leading to incorrect gradients. This behavior is forbidden. You can fix this by cloning the output of the custom Function.",
};

/**
 * PyTorch's handle_view_on_rebase: a view made in no-grad mode, by a multi-output op or inside a
 * custom Function may not be rebased; `indirect` when its base or a sibling view was modified.
 */
export function handleViewOnRebase(view: Tensor, indirect: boolean): void {
  const creation = view._viewMeta!.creationMeta;
  if (creation === "default") return;
  const fn = view._gradFn;
  const modified = indirect ? "its base or another view of its base has been" : "is being";
  let msg: string;
  if (creation === "inference_mode" || creation === "no_grad_mode" || fn === null) {
    const prefix = fn ? `Output ${view._outputNr} of ${forwardOpName(fn.name())} is a view of a view which was created in` : "A view was created in";
    msg =
      creation === "inference_mode"
        ? `${prefix} inference mode and ${modified} modified inplace in normal mode.`
        : `${prefix} no_grad mode and ${modified} modified inplace with grad mode enabled.`;
  } else {
    msg = `Output ${view._outputNr} of ${forwardOpName(fn.name())} is a view and ${modified} modified inplace.`;
  }
  throw new RuntimeError(msg + (WHY[creation] ?? ""));
}

/** PyTorch's check_inplace: may `self` be modified in place by an op recording a node? */
export function checkInplace(self: Tensor): void {
  if (self._viewMeta !== null) {
    handleViewOnRebase(self, false);
    if (self.requiresGrad && self._base!.isLeaf) throw new RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.");
  }
  if (self.requiresGrad && self.isLeaf) throw new RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.");
}

interface Geometry {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}
const geometry = (t: Tensor): Geometry => ({ shape: t.shape.slice(), strides: t.stride().slice(), offset: t._offset });

/**
 * The node of a base whose view was modified in place (PyTorch's CopySlices): the base's
 * gradient, with the view's slice replaced by what the in-place op's node makes of it.
 */
export class CopySlices extends Node {
  private fn: Node | null;
  private readonly base: Geometry;
  private readonly view: Geometry;
  constructor(
    base: Tensor,
    view: Tensor,
    private readonly viewFn: ((b: Tensor) => Tensor) | null,
    fn: Node,
  ) {
    super();
    this.fn = fn;
    this.base = geometry(base);
    this.view = geometry(view);
    this.outputMeta = [{ shape: base.shape.slice(), dtype: base.dtype }];
    // the in-place op's edges, except that the first goes to the base instead of the view
    this.nextEdges = [gradientEdge(base), ...fn.nextEdges.slice(1)];
  }
  name(): string {
    return "torch::autograd::CopySlices";
  }
  apply(grads: Array<Tensor | null>): Array<Tensor | null> {
    const out: Array<Tensor | null> = this.nextEdges.map(() => null);
    const grad = grads[0] ?? null;
    if (grad === null) return out;
    this.checkNotReleased();
    const fn = this.fn!;
    const b = this.base;
    const v = this.view;
    const result = op("aten::new_empty_strided", grad, b.shape.slice(), b.strides.slice(), null, null, null, null);
    op("aten::copy_", result, grad, false);
    const slice = this.viewFn ? this.viewFn(result) : op("aten::as_strided", result, v.shape.slice(), v.strides.slice(), v.offset - b.offset);
    const res = callNode(fn, [op("aten::clone", slice, "contiguous_format")]);
    const mask = this.taskMask;
    for (let i = 0; i < res.length && i < out.length; i++) {
      const r = res[i] ?? null;
      if (this.nextEdges[i] === null || (mask !== null && !mask[i]) || r === null) continue;
      if (i === 0) {
        op("aten::copy_", slice, r, false);
        out[0] = result;
      } else {
        out[i] = r;
      }
    }
    return out;
  }
  override releaseVariables(): void {
    super.releaseVariables();
    this.fn?.releaseVariables();
    this.fn = null;
  }
}

/**
 * PyTorch's rebase_history for an op that modified `self` in place and recorded `fn`: a view's
 * base gets CopySlices (and the view a fresh node reading from it); anything else gets `fn`.
 */
export function rebaseHistory(self: Tensor, fn: Node, outputNr = 0): void {
  fn.outputMeta[outputNr] = { shape: self.shape.slice(), dtype: self.dtype };
  const vm = self._viewMeta;
  if (vm !== null) {
    if (fn.outputMeta.length !== 1) throw new RuntimeError("Functions which modify views in-place must return a single Variable");
    const base = self._base!;
    const cs = new CopySlices(base, self, vm.viewFn, fn);
    base.gradFn = cs;
    base._outputNr = 0;
    moveRetainGradHook(base, cs);
    void self.gradFn; // rebuilds the view's node (its version moved)
    return;
  }
  self.gradFn = fn;
  self._outputNr = outputNr;
  moveRetainGradHook(self, fn);
}

/** The node of a view rebuilt by as_strided (PyTorch regenerates AsStridedBackward0). */
class AsStridedViewNode extends Node {
  constructor(
    private readonly base: Geometry,
    private readonly view: Geometry,
  ) {
    super();
  }
  name(): string {
    return "AsStridedBackward0";
  }
  apply(grads: Array<Tensor | null>): Array<Tensor | null> {
    const g = grads[0] ?? null;
    if (g === null) return [null];
    return [asStridedBackward(g, this.base, this.view.shape, this.view.strides, this.view.offset)];
  }
}

/** A view's node after its version moved (PyTorch's VariableHooks::grad_fn for views). */
function regenerate(t: Tensor): GradFn | null {
  const vm = t._viewMeta!;
  const base = t._base!;
  if (t._gradFn === null && !base.requiresGrad) return null;
  handleViewOnRebase(t, true);
  let fn: GradFn | null;
  if (vm.viewFn !== null) {
    const replayed = withGradMode(true, () => vm.viewFn!(base));
    fn = replayed.gradFn;
  } else {
    const node = new AsStridedViewNode(geometry(base), geometry(t));
    node.nextEdges = [gradientEdge(base)];
    node.outputMeta = [{ shape: t.shape.slice(), dtype: t.dtype }];
    fn = node;
  }
  t._gradFn = fn;
  t._outputNr = 0;
  vm.attrVersion = t._version.value;
  moveRetainGradHook(t, fn);
  return fn;
}
setViewGradFnHook(regenerate);

/** PyTorch's _maybe_overlapping_memory: might two indices of this geometry share an element? */
function maybeOverlapping(sizes: readonly number[], strides: readonly number[]): boolean {
  const order = sizes.map((_, i) => i).sort((a, b) => strides[a]! - strides[b]!);
  let maxIndex = 0;
  for (const i of order) {
    if (strides[i]! <= maxIndex) return true;
    maxIndex += strides[i]! * (sizes[i]! - 1);
  }
  return false;
}

/** PyTorch's _min_storage_size. */
function minStorageSize(sizes: readonly number[], strides: readonly number[], offset: number): number {
  let size = offset + 1;
  for (let i = 0; i < sizes.length; i++) {
    if (sizes[i] === 0) return offset;
    size += (sizes[i]! - 1) * strides[i]!;
  }
  return size;
}

/**
 * The gradient of `as_strided(input, sizes, strides, offset)` (PyTorch's as_strided_backward):
 * scatter the gradient into a storage-shaped buffer by the output geometry (summing where
 * output elements overlap), divide by how often the input geometry reads each element, and
 * read it back with the input geometry.
 */
export function asStridedBackward(grad: Tensor, input: Geometry, sizes: readonly number[], strides: readonly number[], offset: number | null): Tensor {
  const storageOffset = offset ?? input.offset;
  let g = grad;
  const outSizes: number[] = [];
  const outStrides: number[] = [];
  for (let i = g.shape.length - 1; i >= 0; i--) {
    const size = sizes[i]!;
    if (size === 0) return op("aten::zeros", input.shape.slice(), grad.dtype, null, grad.device, null);
    if (size === 1) g = op("aten::squeeze.dim", g, i);
    else if (strides[i] === 0) g = op("aten::sum.dim_IntList", g, [i], false, null);
    else {
      outSizes.unshift(size);
      outStrides.unshift(strides[i]!);
    }
  }
  const outOverlap = maybeOverlapping(outSizes, outStrides);
  const inSizes: number[] = [];
  const inStrides: number[] = [];
  for (let i = input.shape.length - 1; i >= 0; i--) {
    const size = input.shape[i]!;
    if (size === 0) return op("aten::zeros", input.shape.slice(), grad.dtype, null, grad.device, null);
    if (size !== 1) {
      inSizes.unshift(size);
      inStrides.unshift(input.strides[i]!);
    }
  }
  const inOverlap = maybeOverlapping(inSizes, inStrides);
  const shared = Math.min(input.offset, storageOffset);
  const inOffset = input.offset - shared;
  const outOffset = storageOffset - shared;
  const baseSize = Math.max(minStorageSize(inSizes, inStrides, inOffset), minStorageSize(outSizes, outStrides, outOffset));
  const storage = op("aten::new_zeros", g, [baseSize], null, null, null, null);
  const indices = inOverlap || outOverlap ? op("aten::arange.start", 0, baseSize, "int64", null, g.device, null) : null;
  if (outOverlap) {
    const outIndices = op("aten::as_strided", indices!, outSizes, outStrides, outOffset);
    // C++ evaluates the arguments right to left: grad's reshape first
    const src = op("aten::reshape", g, [-1]);
    op("aten::index_add_", storage, 0, op("aten::reshape", outIndices, [-1]), src, 1);
  } else {
    op("aten::copy_", op("aten::as_strided", storage, outSizes, outStrides, outOffset), g, false);
  }
  if (inOverlap) {
    const count = op("aten::zeros_like", storage, null, null, null, null, "contiguous_format");
    const inIndices = op("aten::reshape", op("aten::as_strided", indices!, inSizes, inStrides, inOffset), [-1]);
    const ones = op("aten::expand", op("aten::ones", [1], g.dtype, null, g.device, null), inIndices.shape.slice(), false);
    op("aten::index_add_", count, 0, inIndices, ones, 1);
    op("aten::div_.Tensor", storage, count);
  }
  return op("aten::as_strided", storage, input.shape.slice(), input.strides.slice(), inOffset);
}

export { Tensor };
