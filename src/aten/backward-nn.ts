// Backward operators of the nn layers: native_layer_norm_backward, native_batch_norm_backward,
// convolution_backward (input as a transposed convolution, weight by correlation, bias by
// summing) and embedding_dense_backward. Outputs masked off by output_mask are undefined (null).

import { RuntimeError } from "../core/errors.js";
import { convolutionInto } from "../backends/cpu/nn-conv-kernels.js";
import { valuesOf } from "../backends/cpu/indexing-kernels.js";
import { forEachOffset3 } from "../backends/cpu/strided-loops.js";
import { numelOf } from "../tensor/shape.js";
import type { Device, Tensor } from "../tensor/tensor.js";
import { allocate, type OpDecl } from "./op-decl.js";
import { legacyTypeName } from "./nn-util.js";

type Opt = Tensor | null | undefined;
const def = (t: Opt): t is Tensor => t !== null && t !== undefined;

/** Writes row-major values into a (possibly strided) tensor. */
function store(t: Tensor, vals: ArrayLike<number>): void {
  const d = t.data();
  let k = 0;
  forEachOffset3(t._shape, t._strides, t._offset, t._strides, 0, t._strides, 0, (i) => void (d[i] = vals[k++]!));
}

/** Allocates an output (or null when masked off); fills it on CPU. */
function output(device: Device, on: boolean, shape: readonly number[], like: Tensor, fill: () => ArrayLike<number>): Tensor | null {
  if (!on) return null;
  const t = allocate(device, { shape, dtype: like.dtype });
  if (device === "cpu" && numelOf(shape) > 0) store(t, fill());
  return t;
}

function layerNormBackward(g: Tensor, input: Tensor, ns: number[], mean: Tensor, rstd: Tensor, weight: Opt, _bias: Opt, mask: boolean[]): Array<Tensor | null> {
  const axis = input._shape.length - ns.length;
  if (axis < 0) throw new RuntimeError("native_layer_norm_backward: normalized_shape does not match the input");
  const n = numelOf(ns);
  const m = numelOf(input._shape.slice(0, axis));
  const cpu = input.device === "cpu";
  const x = cpu ? valuesOf(input) : [];
  const dy = cpu ? valuesOf(g) : [];
  const mu = cpu ? valuesOf(mean) : [];
  const rs = cpu ? valuesOf(rstd) : [];
  const w = cpu && def(weight) ? valuesOf(weight) : null;
  const gi = output(input.device, mask[0]!, input._shape, input, () => {
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      let ds = 0;
      let db = 0;
      for (let j = 0; j < n; j++) {
        const gw = dy[i * n + j]! * (w ? w[j]! : 1);
        ds += gw * x[i * n + j]!;
        db += gw;
      }
      const a = rs[i]!;
      const b = ((db * mu[i]! - ds) * a * a * a) / n;
      const c = -b * mu[i]! - (db * a) / n;
      for (let j = 0; j < n; j++) out[i * n + j] = a * dy[i * n + j]! * (w ? w[j]! : 1) + b * x[i * n + j]! + c;
    }
    return out;
  });
  const column = (f: (i: number, j: number) => number) => () => {
    const out = new Float64Array(n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j] = out[j]! + f(i, j);
    return out;
  };
  const gw = output(input.device, mask[1]!, def(weight) ? weight._shape : ns, input, column((i, j) => dy[i * n + j]! * (x[i * n + j]! - mu[i]!) * rs[i]!));
  const gb = output(input.device, mask[2]!, def(weight) ? weight._shape : ns, input, column((i, j) => dy[i * n + j]!));
  return [gi, gw, gb];
}

function batchNormBackward(
  g: Tensor, input: Tensor, weight: Opt, rm: Opt, rv: Opt, saveMean: Opt, saveInvstd: Opt, train: boolean, eps: number, mask: boolean[],
): Array<Tensor | null> {
  const shape = input._shape;
  const c = shape[1] ?? 1;
  const nb = shape[0] ?? 1;
  const inner = numelOf(shape.slice(2));
  const count = nb * inner;
  const cpu = input.device === "cpu";
  const x = cpu ? valuesOf(input) : [];
  const dy = cpu ? valuesOf(g) : [];
  const at = (b: number, f: number, k: number) => (b * c + f) * inner + k;
  const stats = Array.from({ length: cpu ? c : 0 }, (_, f) => {
    const mean = train ? valuesOf(saveMean!)[f]! : valuesOf(rm!)[f]!;
    const invstd = train ? valuesOf(saveInvstd!)[f]! : 1 / Math.sqrt(valuesOf(rv!)[f]! + eps);
    let sum = 0;
    let dot = 0;
    for (let b = 0; b < nb; b++) {
      for (let k = 0; k < inner; k++) {
        sum += dy[at(b, f, k)]!;
        dot += (x[at(b, f, k)]! - mean) * dy[at(b, f, k)]!;
      }
    }
    return { mean, invstd, sum, dot, w: def(weight) ? valuesOf(weight)[f]! : 1 };
  });
  const gi = output(input.device, mask[0]!, shape, input, () => {
    const out = new Float64Array(x.length);
    stats.forEach((s, f) => {
      const k0 = (s.dot * s.invstd * s.invstd) / count;
      const gradMean = s.sum / count;
      for (let b = 0; b < nb; b++) {
        for (let k = 0; k < inner; k++) {
          const i = at(b, f, k);
          out[i] = train ? (dy[i]! - gradMean - (x[i]! - s.mean) * k0) * s.invstd * s.w : dy[i]! * s.invstd * s.w;
        }
      }
    });
    return out;
  });
  const gw = output(input.device, mask[1]!, [c], input, () => stats.map((s) => s.dot * s.invstd));
  const gb = output(input.device, mask[2]!, [c], input, () => stats.map((s) => s.sum));
  return [gi, gw, gb];
}

/** Expands a per-dim parameter given once to every spatial dim. */
const perDim = (v: readonly number[], n: number): number[] => (v.length === 1 ? new Array<number>(n).fill(v[0]!) : v.slice());

/** gw[a][b][k] = sum over batch and small-side positions p of S[a'][p] * L[b'][p * stride - pad + k * dilation]. */
function weightGrad(out: Tensor, small: Tensor, large: Tensor, g: { stride: number[]; padding: number[]; dilation: number[]; groups: number }, transposed: boolean): void {
  const ws = out._shape;
  const kernel = ws.slice(2);
  const sp = small._shape.slice(2);
  const lp = large._shape.slice(2);
  const sv = valuesOf(small);
  const lv = valuesOf(large);
  const [nb, cs] = [small._shape[0]!, small._shape[1]!];
  const cl = large._shape[1]!;
  const ns = numelOf(sp);
  const nl = numelOf(lp);
  const nk = numelOf(kernel);
  const idx = (flat: number, shape: readonly number[]) => shape.map((_, d) => Math.floor(flat / numelOf(shape.slice(d + 1))) % shape[d]!);
  // pos[p * nk + k]: the large-side flat position, or -1 in the padding
  const pos = new Int32Array(ns * nk);
  for (let p = 0; p < ns; p++) {
    const pi = idx(p, sp);
    for (let k = 0; k < nk; k++) {
      const ki = idx(k, kernel);
      let flat = 0;
      for (let d = 0; d < sp.length && flat >= 0; d++) {
        const q = pi[d]! * g.stride[d]! - g.padding[d]! + ki[d]! * g.dilation[d]!;
        flat = q < 0 || q >= lp[d]! ? -1 : flat * lp[d]! + q;
      }
      pos[p * nk + k] = flat;
    }
  }
  // direct: a = out channel (small = grad_output), b = in channel per group; transposed: a = input channel
  const [aN, bN] = [ws[0]!, ws[1]!];
  const aPerGroup = (transposed ? cs : aN) / g.groups;
  const res = new Float64Array(numelOf(ws));
  for (let a = 0; a < aN; a++) {
    const grp = Math.floor(a / aPerGroup);
    for (let b = 0; b < bN; b++) {
      const lc = grp * bN + b;
      for (let k = 0; k < nk; k++) {
        let acc = 0;
        for (let n = 0; n < nb; n++) {
          const sb = (n * cs + a) * ns;
          const lb = (n * cl + lc) * nl;
          for (let p = 0; p < ns; p++) {
            const q = pos[p * nk + k]!;
            if (q >= 0) acc += sv[sb + p]! * lv[lb + q]!;
          }
        }
        res[(a * bN + b) * nk + k] = acc;
      }
    }
  }
  store(out, res);
}

function convolutionBackward(
  go: Tensor, input: Tensor, weight: Tensor, biasSizes: number[] | null, stride: number[], padding: number[], dilation: number[],
  transposed: boolean, _outputPadding: number[], groups: number, mask: boolean[],
): Array<Tensor | null> {
  const nd = weight._shape.length - 2;
  const geo = { stride: perDim(stride, nd), padding: perDim(padding, nd), dilation: perDim(dilation, nd), groups };
  const cpu = input.device === "cpu";
  let gi: Tensor | null = null;
  if (mask[0]) {
    gi = allocate(input.device, { shape: input._shape, dtype: input.dtype });
    // the input's gradient is the adjoint convolution: transposed for a direct one and vice versa
    if (cpu && numelOf(input._shape) > 0) convolutionInto(gi, go, weight, null, { ...geo, transposed: !transposed });
  }
  let gw: Tensor | null = null;
  if (mask[1]) {
    gw = allocate(input.device, { shape: weight._shape, dtype: weight.dtype });
    if (cpu && numelOf(weight._shape) > 0) weightGrad(gw, transposed ? input : go, transposed ? go : input, geo, transposed);
  }
  let gb: Tensor | null = null;
  if (mask[2]) {
    const c = biasSizes ? biasSizes[0]! : go._shape[1]!;
    gb = allocate(input.device, { shape: [c], dtype: go.dtype });
    if (cpu) {
      const v = valuesOf(go);
      const inner = numelOf(go._shape.slice(2));
      const sums = new Float64Array(c);
      v.forEach((x, i) => (sums[Math.floor(i / inner) % c] += x));
      store(gb, sums);
    }
  }
  return [gi, gw, gb];
}

function embeddingBackward(g: Tensor, indices: Tensor, numWeights: number, paddingIdx: number, scaleByFreq: boolean): Tensor {
  if (indices.dtype !== "int64" && indices.dtype !== "int32") {
    throw new RuntimeError(
      `Expected tensor for argument #2 'indices' to have one of the following scalar types: Long, Int; but got ${legacyTypeName(indices)} instead (while checking arguments for embedding_backward)`,
    );
  }
  const dim = g._shape[g._shape.length - 1] ?? 1;
  const out = allocate(g.device, { shape: [numWeights, dim], dtype: g.dtype });
  if (g.device !== "cpu") return out;
  const idx = valuesOf(indices);
  const gv = valuesOf(g);
  const counts = new Map<number, number>();
  if (scaleByFreq) for (const k of idx) counts.set(k, (counts.get(k) ?? 0) + 1);
  const acc = new Float64Array(numWeights * dim);
  idx.forEach((k, i) => {
    if (k === paddingIdx) return;
    if (k < 0 || k >= numWeights) throw new RuntimeError(`embedding_dense_backward: index ${k} is out of bounds for ${numWeights} rows`);
    const scale = scaleByFreq ? 1 / counts.get(k)! : 1;
    for (let j = 0; j < dim; j++) acc[k * dim + j] = acc[k * dim + j]! + gv[i * dim + j]! * scale;
  });
  store(out, acc);
  return out;
}

/** The nn backward operators, schemas as in native_functions-2.14.yaml. */
export const backwardNnOps: readonly OpDecl[] = [
  {
    schema:
      "native_layer_norm_backward(Tensor grad_out, Tensor input, SymInt[] normalized_shape, Tensor mean, Tensor rstd, Tensor? weight, Tensor? bias, bool[3] output_mask) -> (Tensor, Tensor, Tensor)",
    cpuKernel: layerNormBackward as never,
    metaKernel: layerNormBackward as never,
  },
  {
    schema:
      "native_batch_norm_backward(Tensor grad_out, Tensor input, Tensor? weight, Tensor? running_mean, Tensor? running_var, Tensor? save_mean, Tensor? save_invstd, bool train, float eps, bool[3] output_mask) -> (Tensor, Tensor, Tensor)",
    cpuKernel: batchNormBackward as never,
    metaKernel: batchNormBackward as never,
  },
  {
    schema:
      "convolution_backward(Tensor grad_output, Tensor input, Tensor weight, SymInt[]? bias_sizes, SymInt[] stride, SymInt[] padding, SymInt[] dilation, bool transposed, SymInt[] output_padding, SymInt groups, bool[3] output_mask) -> (Tensor, Tensor, Tensor)",
    explicit: convolutionBackward as never,
  },
  {
    schema: "embedding_dense_backward(Tensor grad_output, Tensor indices, SymInt num_weights, SymInt padding_idx, bool scale_grad_by_freq) -> Tensor",
    cpuKernel: embeddingBackward as never,
    metaKernel: embeddingBackward as never,
  },
];
