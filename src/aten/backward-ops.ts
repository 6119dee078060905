// The backward operators autograd formulas call (as PyTorch's derivatives.yaml does), so that a
// mode sees `aten.threshold_backward`, `aten._softmax_backward_data`... during backward():
// threshold, sigmoid, tanh, softmax, log_softmax and nll_loss backward, with CPU and Meta kernels.

import { RuntimeError } from "../core/errors.js";
import { binaryLoop, toFlatArray } from "../backends/cpu/strided-loops.js";
import { toDType } from "../tensor/dtype.js";
import { broadcastShapes, contiguousStrides, wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { resultType } from "../tensor/type-promotion.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";

type Scalar = number | boolean | bigint;

const sameAs = (g: Tensor, y: Tensor): TensorSpec => ({ shape: broadcastShapes(g._shape, y._shape), dtype: resultType(g, y) });

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

/** Backward operators, schemas as in native_functions-2.14.yaml. */
export const backwardOps: readonly OpDecl[] = [
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
];
