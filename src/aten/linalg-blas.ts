// The BLAS-like linear-algebra operators: mm, addmm, bmm, baddbmm (structured: a shape rule
// shared by CPU and Meta, then a CPU body), dot (CPU + Meta kernels) and mv (one
// CompositeExplicitAutograd kernel), with PyTorch 2.14's checks in its order and wording.

import { RuntimeError } from "../core/errors.js";
import { gemm, type MatView } from "../backends/cpu/linalg-gemm.js";
import { fillTensor } from "../backends/cpu/strided-loops.js";
import { isFloatingType, typeMetaName } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { cppName } from "../tensor/type-promotion.js";
import { checkSameDevice, type OpDecl, type TensorSpec } from "./op-decl.js";
import {
  type Scalar, expandedStrides, matView, notImplementedFor, scalarAs, sizeAt, vectorView,
} from "./linalg-common.js";

const shapeStr = (t: Tensor) => `${t._shape[0]}x${t._shape[1]}`;

/** `TORCH_META_FUNC(mm)`. */
function mmRule(self: Tensor, mat2: Tensor): TensorSpec {
  if (self._shape.length !== 2) throw new RuntimeError("self must be a matrix");
  if (mat2._shape.length !== 2) throw new RuntimeError("mat2 must be a matrix");
  if (self._shape[1] !== mat2._shape[0]) {
    throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${shapeStr(self)} and ${shapeStr(mat2)})`);
  }
  return { shape: [self._shape[0]!, mat2._shape[1]!], dtype: self.dtype };
}

/** `ADDMM_META()`: dtype, rank and shape checks of addmm / addmm_. */
function addmmRule(self: Tensor, mat1: Tensor, mat2: Tensor): TensorSpec {
  if (self.dtype !== mat2.dtype) {
    throw new RuntimeError(`self and mat2 must have the same dtype, but got ${cppName(self.dtype)} and ${cppName(mat2.dtype)}`);
  }
  if (mat1.dtype !== mat2.dtype) {
    throw new RuntimeError(`mat1 and mat2 must have the same dtype, but got ${cppName(mat1.dtype)} and ${cppName(mat2.dtype)}`);
  }
  if (mat1._shape.length !== 2) throw new RuntimeError(`mat1 must be a matrix, got ${mat1._shape.length}-D tensor`);
  if (mat2._shape.length !== 2) throw new RuntimeError(`mat2 must be a matrix, got ${mat2._shape.length}-D tensor`);
  if (mat1._shape[1] !== mat2._shape[0]) {
    throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${shapeStr(mat1)} and ${shapeStr(mat2)})`);
  }
  return { shape: [mat1._shape[0]!, mat2._shape[1]!], dtype: mat1.dtype };
}

/** `result = beta * self` for empty contractions (PyTorch's `mul_(beta)`, with its cast check). */
function scaleInto(out: Tensor, self: MatView | null, beta: Scalar, rows: number, cols: number, outView: MatView): void {
  if (typeof beta === "number" && !Number.isInteger(beta) && !isFloatingType(out.dtype)) {
    throw new RuntimeError(`result type Float can't be cast to the desired output type ${cppName(out.dtype)}`);
  }
  const b = scalarAs(beta, out.dtype);
  const od = outView.data;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = self ? self.data[self.offset + i * self.rs + j * self.cs]! : 0;
      od[outView.offset + i * outView.rs + j * outView.cs] = b * v;
    }
  }
}

/**
 * `addmm_impl_cpu_`: out (m x n) = beta*self + alpha*(m1 @ m2) on CPU, with its dtype check,
 * its empty-contraction shortcut and its dtype dispatch (no bool).
 */
function addmmImplCpu(out: Tensor, outView: MatView, self: MatView | null, m1: Tensor, m1v: MatView, m2: Tensor, m2v: MatView, beta: Scalar, alpha: Scalar): void {
  if (m1.dtype !== m2.dtype) {
    throw new RuntimeError(`expected m1 and m2 to have the same dtype, but got: ${typeMetaName(m1.dtype)} != ${typeMetaName(m2.dtype)}`);
  }
  const m = m1._shape[m1._shape.length - 2]!;
  const k = m1._shape[m1._shape.length - 1]!;
  const n = m2._shape[m2._shape.length - 1]!;
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (Number(beta) === 0) scaleInto(out, null, 0, m, n, outView);
    else scaleInto(out, self, beta, m, n, outView);
    return;
  }
  if (out.dtype === "bool") throw notImplementedFor("addmm_impl_cpu_", out.dtype);
  const b = Number(beta) === 0 ? 0 : scalarAs(beta, out.dtype);
  gemm({ m, n, k, a: m1v, b: m2v, out: outView, self, alpha: scalarAs(alpha, out.dtype), beta: b });
}

/** `common_checks_baddbmm_bmm`: ranks and batch/contraction sizes; the result takes batch2's dtype. */
function bmmRule(batch1: Tensor, batch2: Tensor): TensorSpec {
  if (batch1._shape.length !== 3) throw new RuntimeError("batch1 must be a 3D tensor");
  if (batch2._shape.length !== 3) throw new RuntimeError("batch2 must be a 3D tensor");
  const [bs, rows, contraction] = batch1._shape as [number, number, number];
  if (batch2._shape[0] !== bs || batch2._shape[1] !== contraction) {
    throw new RuntimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${bs}, ${contraction}] but got: [${batch2._shape[0]}, ${batch2._shape[1]}].`,
    );
  }
  return { shape: [bs, rows, batch2._shape[2]!], dtype: batch2.dtype };
}

/** The addend of baddbmm broadcast to the result shape (`expand_size` in its meta function). */
function baddbmmTarget(batch1: Tensor, batch2: Tensor): number[] {
  return [sizeAt(batch1, 0), sizeAt(batch1, 1), sizeAt(batch2, 2)];
}

/**
 * `bmm_out_or_baddbmm_` on CPU: small products use a per-dtype kernel (its dtype errors), larger
 * ones run addmm per batch (addmm's errors), as PyTorch's non-MKL build does.
 */
function bmmImplCpu(out: Tensor, self: Tensor | null, selfStrides: number[] | null, b1: Tensor, b2: Tensor, beta: Scalar, alpha: Scalar, isBmm: boolean): void {
  const [bs, rows, contraction] = b1._shape as [number, number, number];
  const cols = b2._shape[2]!;
  if (out.numel() === 0) return;
  const selfView = (i: number): MatView | null =>
    self && selfStrides ? { data: self.data(), offset: self._offset + i * selfStrides[0]!, rs: selfStrides[1]!, cs: selfStrides[2]! } : null;
  const outView = (i: number) => matView(out, out._offset + i * out._strides[0]!);
  if (contraction === 0) {
    if (isBmm || Number(beta) === 0) fillTensor(out, 0);
    else for (let i = 0; i < bs; i++) scaleInto(out, selfView(i), beta, rows, cols, outView(i));
    return;
  }
  const small = contraction * rows * cols < 400;
  if (small) {
    if (b1.dtype === "bool") throw notImplementedFor(isBmm ? "bmm" : "baddbmm", b1.dtype);
    if (out.dtype !== b1.dtype) throw new RuntimeError(`expected scalar type ${cppName(b1.dtype)} but found ${cppName(out.dtype)}`);
  } else if (!isBmm && b1.dtype !== b2.dtype) {
    throw new RuntimeError(`mat1 and mat2 must have the same dtype, but got ${cppName(b1.dtype)} and ${cppName(b2.dtype)}`);
  }
  const useBeta = !isBmm && Number(beta) !== 0;
  for (let i = 0; i < bs; i++) {
    const m1v = matView(b1, b1._offset + i * b1._strides[0]!);
    const m2v = matView(b2, b2._offset + i * b2._strides[0]!);
    if (small) {
      gemm({
        m: rows, n: cols, k: contraction, a: m1v, b: m2v, out: outView(i), self: useBeta ? selfView(i) : null,
        alpha: isBmm ? 1 : scalarAs(alpha, out.dtype), beta: useBeta ? scalarAs(beta, out.dtype) : 0,
      });
    } else {
      addmmImplCpu(out, outView(i), useBeta ? selfView(i) : null, b1, m1v, b2, m2v, isBmm ? 0 : useBeta ? beta : 0, isBmm ? 1 : alpha);
    }
  }
}

/** `dot_check`. */
function dotRule(self: Tensor, other: Tensor): TensorSpec {
  if (self._shape.length !== 1 || other._shape.length !== 1) {
    throw new RuntimeError(`1D tensors expected, but got ${self._shape.length}D and ${other._shape.length}D tensors`);
  }
  if (self.dtype !== other.dtype) {
    throw new RuntimeError(`dot : expected both vectors to have same dtype, but found ${cppName(self.dtype)} and ${cppName(other.dtype)}`);
  }
  const [a, b] = [self._shape[0]!, other._shape[0]!];
  if (a !== b) {
    throw new RuntimeError(
      `inconsistent tensor size, expected tensor [${a}] and src [${b}] to have the same number of elements, but got ${a} and ${b} elements respectively`,
    );
  }
  return { shape: [], dtype: self.dtype };
}

function dotKernel(device: "cpu" | "meta") {
  return (self: Tensor, other: Tensor): Tensor => {
    checkSameDevice(device, [self, other]);
    const spec = dotRule(self, other);
    if (device === "cpu" && self.dtype === "bool") throw notImplementedFor("dot", self.dtype);
    const out = Tensor.empty(spec.shape, spec.dtype, device);
    if (device === "cpu") {
      gemm({ m: 1, n: 1, k: self._shape[0]!, a: vectorView(self, false), b: vectorView(other, true), out: { data: out.data(), offset: out._offset, rs: 0, cs: 0 }, self: null, alpha: 1, beta: 0 });
    }
    return out;
  };
}

/** `mv` = `addmv_(empty({self.size(0)}, vec.options()), self, vec, 0, 1)`: addmv's checks and kernel. */
function mvKernel(self: Tensor, vec: Tensor): Tensor {
  const device = self.device;
  checkSameDevice(device, [self, vec]);
  const rows = sizeAt(self, 0);
  if (self._shape.length !== 2 || vec._shape.length !== 1) {
    throw new RuntimeError(`vector + matrix @ vector expected, got 1, ${self._shape.length}, ${vec._shape.length}`);
  }
  if (self._shape[1] !== vec._shape[0]) {
    throw new RuntimeError(`size mismatch, got input (${rows}), mat (${shapeStr(self)}), vec (${vec._shape[0]})`);
  }
  if (self.dtype !== vec.dtype) {
    throw new RuntimeError(
      `addmv input tensors must have the same dtype, but got ${cppName(vec.dtype)}, ${cppName(self.dtype)}, and ${cppName(vec.dtype)}`,
    );
  }
  if (device === "cpu" && self.numel() !== 0 && self.dtype === "bool") throw notImplementedFor("addmv_impl_cpu", self.dtype);
  const out = Tensor.empty([rows], vec.dtype, device);
  if (device === "cpu" && self.numel() !== 0) {
    gemm({ m: rows, n: 1, k: self._shape[1]!, a: matView(self), b: vectorView(vec, true), out: vectorView(out, true), self: null, alpha: 1, beta: 0 });
  }
  return out;
}

/** mm, addmm, bmm, baddbmm, dot and mv, in native_functions.yaml order within each name. */
export const blasOps: readonly OpDecl[] = [
  {
    schema: "bmm(Tensor self, Tensor mat2) -> Tensor",
    meta: bmmRule as never,
    cpu: ((out: Tensor, self: Tensor, mat2: Tensor) => bmmImplCpu(out, null, null, self, mat2, 0, 1, true)) as never,
  },
  {
    schema: "dot(Tensor self, Tensor tensor) -> Tensor",
    cpuKernel: dotKernel("cpu") as never,
    metaKernel: dotKernel("meta") as never,
  },
  {
    schema: "mm(Tensor self, Tensor mat2) -> Tensor",
    meta: mmRule as never,
    cpu: ((out: Tensor, self: Tensor, mat2: Tensor) => addmmImplCpu(out, matView(out), null, self, matView(self), mat2, matView(mat2), 0, 1)) as never,
  },
  {
    schema: "mv(Tensor self, Tensor vec) -> Tensor",
    explicit: mvKernel as never,
  },
  {
    schema: "addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor",
    meta: addmmRule as never,
    cpu: ((out: Tensor, self: Tensor, mat1: Tensor, mat2: Tensor, beta: Scalar, alpha: Scalar) => {
      const strides = expandedStrides(self, out._shape);
      const selfView: MatView = { data: self.data(), offset: self._offset, rs: strides[0]!, cs: strides[1]! };
      addmmImplCpu(out, matView(out), selfView, mat1, matView(mat1), mat2, matView(mat2), beta, alpha);
    }) as never,
  },
  {
    schema: "baddbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor",
    meta: ((self: Tensor, batch1: Tensor, batch2: Tensor) => {
      expandedStrides(self, baddbmmTarget(batch1, batch2));
      if (self.dtype !== batch1.dtype) {
        throw new RuntimeError(
          `Input dtypes must be the same, got: input ${typeMetaName(self.dtype)}, batch1: ${typeMetaName(batch1.dtype)}, batch2: ${typeMetaName(batch2.dtype)}`,
        );
      }
      return bmmRule(batch1, batch2);
    }) as never,
    cpu: ((out: Tensor, self: Tensor, batch1: Tensor, batch2: Tensor, beta: Scalar, alpha: Scalar) => {
      const strides = expandedStrides(self, out._shape);
      bmmImplCpu(out, self, strides, batch1, batch2, beta, alpha, false);
    }) as never,
  },
];
