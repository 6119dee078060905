// The backward operators autograd formulas call (as PyTorch's derivatives.yaml does), so that a
// mode sees `aten.threshold_backward`, `aten._softmax_backward_data`... during backward():
// activations, softmax, nll/mse losses, dropout, and the views' select/slice/diagonal backward.
// The nn layers' backward ops and the forward ops formulas need are in backward-nn/-support.ts.

import { RuntimeError } from "../core/errors.js";
import { binaryLoop, copyInto, ternaryLoop, toFlatArray } from "../backends/cpu/strided-loops.js";
import { erf } from "../backends/cpu/pointwise-math.js";
import { toDType } from "../tensor/dtype.js";
import { broadcastShapes, contiguousStrides, wrapDim } from "../tensor/shape.js";
import { outputStrides } from "./pointwise-iter.js";
import { Tensor } from "../tensor/tensor.js";
import { resultType } from "../tensor/type-promotion.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { backwardNnOps } from "./backward-nn.js";
import { backwardSupportOps } from "./backward-support.js";

type Scalar = number | boolean | bigint;

/** A TensorIterator output over (g, y): broadcast shape, promoted dtype, the inputs' layout. */
function sameAs(g: Tensor, y: Tensor): TensorSpec {
  const shape = broadcastShapes(g._shape, y._shape);
  const strides = outputStrides(shape, [g, y]);
  return strides ? { shape, dtype: resultType(g, y), strides } : { shape, dtype: resultType(g, y) };
}

/** Iterates a tensor as (outer, dim, inner) over contiguous copies of its values. */
function alongDim(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i]!;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[dim] ?? 1, inner];
}

function softmaxBackward(log: boolean) {
  return {
    meta: ((g: Tensor, y: Tensor, dim: number, inputDtype: string) => {
      wrapDim(dim, y._shape.length);
      if (g._shape.length !== y._shape.length || g._shape.some((s, i) => s !== y._shape[i])) {
        throw new RuntimeError(`grad_output and output must have the same shape, got [${g._shape.join(", ")}] and [${y._shape.join(", ")}]`);
      }
      return { shape: y._shape, dtype: toDType(inputDtype) === y.dtype ? y.dtype : toDType(inputDtype) };
    }) as never,
    cpu: ((out: Tensor, g: Tensor, y: Tensor, dim: number) => {
      const d = wrapDim(dim, Math.max(y._shape.length, 1));
      const gv = toFlatArray(g);
      const yv = toFlatArray(y);
      const [outer, n, inner] = alongDim(y._shape, d);
      const od = out.data();
      const base = out._offset;
      const strides = contiguousStrides(out._shape);
      const contiguous = out._strides.every((s, i) => s === strides[i]);
      const res = contiguous ? null : new Float64Array(gv.length);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          let acc = 0;
          for (let k = 0; k < n; k++) {
            const at = (o * n + k) * inner + i;
            acc += log ? gv[at]! : gv[at]! * yv[at]!;
          }
          for (let k = 0; k < n; k++) {
            const at = (o * n + k) * inner + i;
            const v = log ? gv[at]! - Math.exp(yv[at]!) * acc : yv[at]! * (gv[at]! - acc);
            if (res) res[at] = v;
            else od[base + at] = v;
          }
        }
      }
      if (res) {
        let k = 0;
        const rec = (dd: number, off: number) => {
          if (dd === out._shape.length) od[off] = res[k++]!;
          else for (let i = 0; i < out._shape[dd]!; i++) rec(dd + 1, off + i * out._strides[dd]!);
        };
        rec(0, out._offset);
      }
    }) as never,
  };
}

/** gelu's derivative times the gradient (PyTorch's GeluBackward CPU kernel, both forms). */
function geluGrad(approximate: string): (dy: number, x: number) => number {
  if (approximate === "tanh") {
    const beta = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
    const kappa = 0.044715;
    return (dy, x) => {
      const inner = beta * (x + kappa * x * x * x);
      const th = Math.tanh(inner);
      const left = 0.5 * x;
      const dInner = beta * (1 + 3 * kappa * x * x);
      return dy * (0.5 * (1 + th) + left * (1 - th * th) * dInner);
    };
  }
  if (approximate !== "none") throw new RuntimeError(`approximate argument must be either none or tanh.`);
  const beta = (2 / Math.sqrt(Math.PI)) * Math.SQRT1_2 * 0.5;
  return (dy, x) => dy * (0.5 * (1 + erf(x * Math.SQRT1_2)) + x * beta * Math.exp(-0.5 * x * x));
}

/** The view's start/end clamped as slice does. */
function sliceBounds(size: number, start: number, end: number): [number, number] {
  let s = start < 0 ? start + size : start;
  let e = end < 0 ? end + size : end;
  s = Math.min(Math.max(s, 0), size);
  e = Math.min(Math.max(e, s), size);
  return [s, e];
}

/** A view of `out` (zeros) that the incoming gradient is copied into. */
function embedInZeros(out: Tensor, g: Tensor, view: (o: Tensor) => Tensor): void {
  copyInto(view(out), g);
}
const viewOf = (o: Tensor, shape: number[], strides: number[], offset: number): Tensor =>
  new Tensor(o._storage, shape, strides, offset, o.dtype, o.device, o.keySet, o._version);

/** select_backward / slice_backward / diagonal_backward: zeros of input_sizes, grad in the view. */
const embedSpec = (g: Tensor, sizes: number[]): TensorSpec => ({ shape: sizes, dtype: g.dtype });

/** Backward operators, schemas as in native_functions-2.14.yaml. */
export const backwardOps: readonly OpDecl[] = [
  {
    schema: "gelu_backward(Tensor grad_output, Tensor self, *, str approximate='none') -> Tensor",
    meta: ((g: Tensor, self: Tensor) => sameAs(g, self)) as never,
    cpu: ((out: Tensor, g: Tensor, self: Tensor, approximate: string) => binaryLoop(out, g, self, geluGrad(approximate))) as never,
  },
  {
    schema: "silu_backward(Tensor grad_output, Tensor self) -> Tensor",
    meta: ((g: Tensor, self: Tensor) => sameAs(g, self)) as never,
    cpu: ((out: Tensor, g: Tensor, self: Tensor) =>
      binaryLoop(out, g, self, (dy, x) => {
        const s = 1 / (1 + Math.exp(-x));
        return dy * s * (1 + x * (1 - s));
      })) as never,
  },
  {
    schema: "mse_loss_backward(Tensor grad_output, Tensor self, Tensor target, int reduction) -> Tensor",
    meta: ((g: Tensor, self: Tensor, target: Tensor): TensorSpec => ({
      shape: broadcastShapes(broadcastShapes(self._shape, target._shape), g._shape),
      dtype: resultType(self, target),
    })) as never,
    cpu: ((out: Tensor, g: Tensor, self: Tensor, target: Tensor, reduction: number) => {
      const norm = reduction === 1 ? 2 / self.numel() : 2;
      ternaryLoop(out, self, target, g, (x, t, dy) => norm * (x - t) * dy);
    }) as never,
  },
  {
    schema: "native_dropout_backward(Tensor grad_output, Tensor mask, float scale) -> Tensor",
    meta: ((g: Tensor, mask: Tensor): TensorSpec => ({ ...sameAs(g, mask), dtype: g.dtype })) as never,
    cpu: ((out: Tensor, g: Tensor, mask: Tensor, scale: number) => binaryLoop(out, g, mask, (dy, m) => dy * m * scale)) as never,
  },
  {
    schema: "select_backward(Tensor grad_output, SymInt[] input_sizes, int dim, SymInt index) -> Tensor",
    meta: ((g: Tensor, sizes: number[], dim: number, index: number) => {
      const d = wrapDim(dim, sizes.length);
      if (index < -sizes[d]! || index >= sizes[d]!) throw new RuntimeError(`select_backward: index ${index} out of range for dimension ${d} of size ${sizes[d]}`);
      return embedSpec(g, sizes);
    }) as never,
    cpu: ((out: Tensor, g: Tensor, sizes: number[], dim: number, index: number) => {
      const d = wrapDim(dim, sizes.length);
      const i = index < 0 ? index + sizes[d]! : index;
      const keep = (_: number, k: number) => k !== d;
      embedInZeros(out, g, (o) => viewOf(o, o._shape.filter(keep), o._strides.filter(keep), o._offset + i * o._strides[d]!));
    }) as never,
  },
  {
    schema: "slice_backward(Tensor grad_output, SymInt[] input_sizes, int dim, SymInt start, SymInt end, SymInt step) -> Tensor",
    meta: ((g: Tensor, sizes: number[], dim: number, _s: number, _e: number, step: number) => {
      wrapDim(dim, sizes.length);
      if (step <= 0) throw new RuntimeError("slice step must be positive");
      return embedSpec(g, sizes);
    }) as never,
    cpu: ((out: Tensor, g: Tensor, sizes: number[], dim: number, start: number, end: number, step: number) => {
      const d = wrapDim(dim, sizes.length);
      const [s, e] = sliceBounds(sizes[d]!, start, end);
      const shape = out._shape.slice();
      shape[d] = Math.ceil((e - s) / step);
      const strides = out._strides.slice();
      strides[d] = strides[d]! * step;
      embedInZeros(out, g, (o) => viewOf(o, shape, strides, o._offset + s * o._strides[d]!));
    }) as never,
  },
  {
    schema: "diagonal_backward(Tensor grad_output, SymInt[] input_sizes, int offset, int dim1, int dim2) -> Tensor",
    meta: ((g: Tensor, sizes: number[], _offset: number, dim1: number, dim2: number) => {
      if (wrapDim(dim1, sizes.length) === wrapDim(dim2, sizes.length)) throw new RuntimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
      return embedSpec(g, sizes);
    }) as never,
    cpu: ((out: Tensor, g: Tensor, sizes: number[], offset: number, dim1: number, dim2: number) => {
      const [d1, d2] = [wrapDim(dim1, sizes.length), wrapDim(dim2, sizes.length)];
      const len = Math.max(0, offset >= 0 ? Math.min(sizes[d1]!, sizes[d2]! - offset) : Math.min(sizes[d1]! + offset, sizes[d2]!));
      const start = offset >= 0 ? offset * out._strides[d2]! : -offset * out._strides[d1]!;
      const keep = (_: number, k: number) => k !== d1 && k !== d2;
      const shape = [...out._shape.filter(keep), len];
      const strides = [...out._strides.filter(keep), out._strides[d1]! + out._strides[d2]!];
      embedInZeros(out, g, (o) => viewOf(o, shape, strides, o._offset + (len > 0 ? start : 0)));
    }) as never,
  },
  {
    schema: "threshold_backward(Tensor grad_output, Tensor self, Scalar threshold) -> Tensor",
    meta: ((g: Tensor, self: Tensor) => sameAs(g, self)) as never,
    cpu: ((out: Tensor, g: Tensor, self: Tensor, threshold: Scalar) => {
      const t = Number(threshold);
      binaryLoop(out, self, g, (x, gv) => (x <= t ? 0 : gv));
    }) as never,
  },
  {
    schema: "sigmoid_backward(Tensor grad_output, Tensor output) -> Tensor",
    meta: ((g: Tensor, y: Tensor) => sameAs(g, y)) as never,
    cpu: ((out: Tensor, g: Tensor, y: Tensor) => binaryLoop(out, g, y, (gv, yv) => gv * (1 - yv) * yv)) as never,
  },
  {
    schema: "tanh_backward(Tensor grad_output, Tensor output) -> Tensor",
    meta: ((g: Tensor, y: Tensor) => sameAs(g, y)) as never,
    cpu: ((out: Tensor, g: Tensor, y: Tensor) => binaryLoop(out, g, y, (gv, yv) => gv * (1 - yv * yv))) as never,
  },
  { schema: "_softmax_backward_data(Tensor grad_output, Tensor output, int dim, ScalarType input_dtype) -> Tensor", ...softmaxBackward(false) },
  { schema: "_log_softmax_backward_data(Tensor grad_output, Tensor output, int dim, ScalarType input_dtype) -> Tensor", ...softmaxBackward(true) },
  {
    schema:
      "nll_loss_backward(Tensor grad_output, Tensor self, Tensor target, Tensor? weight, int reduction, SymInt ignore_index, Tensor total_weight) -> Tensor",
    meta: ((_g: Tensor, self: Tensor, target: Tensor) => {
      if (self._shape.length < 1 || self._shape.length > 2) throw new RuntimeError("input tensor should be 1D or 2D");
      if (self._shape.length === 2 && target._shape[0] !== self._shape[0]) {
        throw new RuntimeError(`size mismatch (got input: [${self._shape.join(", ")}] , target: [${target._shape.join(", ")}]`);
      }
      return { shape: self._shape, dtype: self.dtype };
    }) as never,
    cpu: ((out: Tensor, g: Tensor, self: Tensor, target: Tensor, weight: Tensor | null, reduction: number, ignoreIndex: number, totalWeight: Tensor) => {
      const od = out.data();
      const strides = out._strides;
      const n = self._shape.length === 2 ? self._shape[0]! : 1;
      const c = self._shape[self._shape.length - 1]!;
      const t = toFlatArray(target);
      const w = weight ? toFlatArray(weight) : null;
      const gv = toFlatArray(g);
      const tw = toFlatArray(totalWeight)[0]!;
      for (let i = 0; i < n * c; i++) {
        const [r, k] = [Math.floor(i / c), i % c];
        od[out._offset + (self._shape.length === 2 ? r * strides[0]! + k * strides[1]! : k * strides[0]!)] = 0;
      }
      for (let r = 0; r < n; r++) {
        const cls = t[r]!;
        if (cls === ignoreIndex) continue;
        const scale = reduction === 0 ? gv[r]! : reduction === 1 ? gv[0]! / tw : gv[0]!;
        const at = out._offset + (self._shape.length === 2 ? r * strides[0]! + cls * strides[1]! : cls * strides[0]!);
        od[at] = -(w ? w[cls]! : 1) * scale;
      }
    }) as never,
  },
  ...backwardNnOps,
  ...backwardSupportOps,
];
