// CPU loops of N-d convolution (any number of spatial dims) over strided tensors: direct
// (cross-correlation, as PyTorch's convolution) and transposed, with stride, padding, dilation,
// groups and bias. Sums accumulate in double; integer outputs store the exact sums.

import type { Tensor } from "../../tensor/tensor.js";

/** Geometry of one convolution call (expanded to the number of spatial dims). */
export interface ConvGeometry {
  stride: readonly number[];
  padding: readonly number[];
  dilation: readonly number[];
  transposed: boolean;
  groups: number;
}

/** All multi-indices of a shape, row-major. */
function indices(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  const idx = new Array<number>(shape.length).fill(0);
  const n = shape.reduce((a, b) => a * b, 1);
  for (let k = 0; k < n; k++) {
    out.push(idx.slice());
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * For each (small-side position, kernel position) pair, the offset on the large side, or -1 where
 * it falls into the padding. Direct convolution: small = output, large = input; transposed: small
 * = input, large = output (the same index relation `large = small * stride - pad + k * dilation`).
 */
function pairTable(small: readonly number[], kernel: readonly number[], large: readonly number[], largeStrides: readonly number[], g: ConvGeometry): Int32Array {
  const smallIdx = indices(small);
  const kIdx = indices(kernel);
  const table = new Int32Array(smallIdx.length * kIdx.length);
  smallIdx.forEach((o, i) => {
    kIdx.forEach((kk, j) => {
      let off = 0;
      for (let d = 0; d < o.length; d++) {
        const pos = o[d]! * g.stride[d]! - g.padding[d]! + kk[d]! * g.dilation[d]!;
        if (pos < 0 || pos >= large[d]!) {
          off = -1;
          break;
        }
        off += pos * largeStrides[d]!;
      }
      table[i * kIdx.length + j] = off;
    });
  });
  return table;
}

/** Offsets of every position of the spatial dims of t (dims 2..), relative to t[n, c]. */
function spatialOffsets(t: Tensor): Int32Array {
  const sp = t._shape.slice(2);
  const st = t._strides.slice(2);
  return Int32Array.from(indices(sp), (ix) => ix.reduce((acc, v, d) => acc + v * st[d]!, 0));
}

/**
 * Fills `out` with the convolution of `input` by `weight` (+ `bias`). Shapes: direct: input
 * [N, Cin, *S], weight [Cout, Cin/groups, *K], out [N, Cout, *O]; transposed: weight
 * [Cin, Cout/groups, *K].
 * @example
 * convolutionInto(out, x, w, b, { stride: [1, 1], padding: [0, 0], dilation: [1, 1], transposed: false, groups: 1 })
 */
export function convolutionInto(out: Tensor, input: Tensor, weight: Tensor, bias: Tensor | null, g: ConvGeometry): void {
  const od = out.data();
  const id = input.data();
  const wd = weight.data();
  const [n, cin] = input._shape as [number, number];
  const cout = out._shape[1]!;
  const kernel = weight._shape.slice(2);
  const kOffsets = spatialOffsets(weight);
  const kn = kOffsets.length;
  const inOffsets = spatialOffsets(input);
  const outOffsets = spatialOffsets(out);
  const cinG = cin / g.groups;
  const coutG = cout / g.groups;
  const bd = bias?.data();
  // the bias is cast to the output dtype first (an integer output truncates a float bias)
  const intOut = out.dtype !== "float32" && out.dtype !== "float64";
  const biasAt = (co: number): number => {
    const v = bias ? bd![bias._offset + co * bias._strides[0]!]! : 0;
    return intOut ? Math.trunc(v) : v;
  };
  const base = (t: Tensor, b: number, c: number): number => t._offset + b * t._strides[0]! + c * t._strides[1]!;
  if (!g.transposed) {
    const table = pairTable(out._shape.slice(2), kernel, input._shape.slice(2), input._strides.slice(2), g);
    for (let b = 0; b < n; b++) {
      for (let co = 0; co < cout; co++) {
        const grp = Math.floor(co / coutG);
        const ob = base(out, b, co);
        for (let o = 0; o < outOffsets.length; o++) {
          let acc = biasAt(co);
          for (let ci = 0; ci < cinG; ci++) {
            const ib = base(input, b, grp * cinG + ci);
            const wb = base(weight, co, ci);
            for (let k = 0; k < kn; k++) {
              const off = table[o * kn + k]!;
              if (off >= 0) acc += id[ib + off]! * wd[wb + kOffsets[k]!]!;
            }
          }
          od[ob + outOffsets[o]!] = acc;
        }
      }
    }
    return;
  }
  const acc = new Float64Array(n * cout * outOffsets.length);
  const table = pairTable(input._shape.slice(2), kernel, out._shape.slice(2), out._shape.slice(2).map((_, d, sp) => sp.slice(d + 1).reduce((a, x) => a * x, 1)), g);
  const np = outOffsets.length;
  for (let b = 0; b < n; b++) {
    for (let ci = 0; ci < cin; ci++) {
      const grp = Math.floor(ci / cinG);
      const ib = base(input, b, ci);
      for (let co = 0; co < coutG; co++) {
        const wb = base(weight, ci, co);
        const ab = (b * cout + grp * coutG + co) * np;
        for (let i = 0; i < inOffsets.length; i++) {
          const x = id[ib + inOffsets[i]!]!;
          for (let k = 0; k < kn; k++) {
            const pos = table[i * kn + k]!;
            if (pos >= 0) acc[ab + pos] = acc[ab + pos]! + x * wd[wb + kOffsets[k]!]!;
          }
        }
      }
    }
  }
  for (let b = 0; b < n; b++) {
    for (let co = 0; co < cout; co++) {
      const ob = base(out, b, co);
      const bv = biasAt(co);
      for (let p = 0; p < np; p++) od[ob + outOffsets[p]!] = acc[(b * cout + co) * np + p]! + bv;
    }
  }
}
