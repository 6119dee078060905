// CPU loops of the 2-d pooling ops (after PyTorch's MaxPoolKernel.cpp, AvgPoolKernel.cpp and
// AdaptiveAvgPoolKernel.cpp; our own code): every plane (n, c) of a [C, H, W] or [N, C, H, W]
// tensor of any strides is pooled window by window. Max pooling keeps the first maximum of a
// window and lets NaN win (a later NaN replaces an earlier one); the indices are flat positions
// `h * W + w` inside the plane. Float32 sums are rounded to float after every addition, as
// PyTorch's float accumulation does; int64 averages divide with C++'s truncation.

import type { Tensor } from "../../tensor/tensor.js";

/** Stride, padding and dilation of one spatial dimension. */
export interface PoolDim {
  readonly k: number;
  readonly s: number;
  readonly p: number;
  readonly d: number;
}

/** Base offsets of every plane (n, c) of a 3-d or 4-d tensor, in logical order. */
function planeOffsets(t: Tensor): number[] {
  const nd = t._shape.length;
  const n = nd === 4 ? t._shape[0]! : 1;
  const c = t._shape[nd - 3]!;
  const sn = nd === 4 ? t._strides[0]! : 0;
  const sc = t._strides[nd - 3]!;
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) out.push(t._offset + i * sn + j * sc);
  return out;
}

const hw = (t: Tensor): [number, number, number, number] => {
  const nd = t._shape.length;
  return [t._shape[nd - 2]!, t._shape[nd - 1]!, t._strides[nd - 2]!, t._strides[nd - 1]!];
};

/**
 * max_pool2d_with_indices: fills `out` and `indices` (same shape) from `input`.
 * @example
 * maxPool2dInto(out, idx, x, { k: 2, s: 2, p: 0, d: 1 }, { k: 2, s: 2, p: 0, d: 1 })
 */
export function maxPool2dInto(out: Tensor, indices: Tensor, input: Tensor, ph: PoolDim, pw: PoolDim): void {
  if (out.numel() === 0) return;
  const id = input.data();
  const od = out.data();
  const xd = indices.data();
  const [ih, iw, sih, siw] = hw(input);
  const [oh, ow, soh, sow] = hw(out);
  const [, , sxh, sxw] = hw(indices);
  const inPlanes = planeOffsets(input);
  const outPlanes = planeOffsets(out);
  const idxPlanes = planeOffsets(indices);
  for (let pl = 0; pl < inPlanes.length; pl++) {
    const ib = inPlanes[pl]!;
    for (let y = 0; y < oh; y++) {
      let h0 = y * ph.s - ph.p;
      const h1 = Math.min(h0 + (ph.k - 1) * ph.d + 1, ih);
      while (h0 < 0) h0 += ph.d;
      for (let x = 0; x < ow; x++) {
        let w0 = x * pw.s - pw.p;
        const w1 = Math.min(w0 + (pw.k - 1) * pw.d + 1, iw);
        while (w0 < 0) w0 += pw.d;
        let maxIndex = h0 * iw + w0;
        let maxVal = -Infinity;
        for (let h = h0; h < h1; h += ph.d) {
          for (let w = w0; w < w1; w += pw.d) {
            const v = id[ib + h * sih + w * siw]!;
            if (v > maxVal || Number.isNaN(v)) {
              maxVal = v;
              maxIndex = h * iw + w;
            }
          }
        }
        od[outPlanes[pl]! + y * soh + x * sow] = maxVal;
        xd[idxPlanes[pl]! + y * sxh + x * sxw] = maxIndex;
      }
    }
  }
}

/**
 * max_pool2d_with_indices_backward: `gradInput` (zeroed, input's shape) receives every output
 * gradient at its window's argmax.
 * @example
 * maxPool2dBackwardInto(gin, gout, indices)
 */
export function maxPool2dBackwardInto(gradInput: Tensor, gradOutput: Tensor, indices: Tensor): void {
  if (gradOutput.numel() === 0 || gradInput.numel() === 0) return;
  const gd = gradInput.data();
  const god = gradOutput.data();
  const xd = indices.data();
  const f32 = gradInput.dtype === "float32";
  const [, iw, sih, siw] = hw(gradInput);
  const [oh, ow, soh, sow] = hw(gradOutput);
  const [, , sxh, sxw] = hw(indices);
  const inPlanes = planeOffsets(gradInput);
  const outPlanes = planeOffsets(gradOutput);
  const idxPlanes = planeOffsets(indices);
  for (let pl = 0; pl < inPlanes.length; pl++) {
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        const m = xd[idxPlanes[pl]! + y * sxh + x * sxw]!;
        if (m === -1) continue;
        const o = inPlanes[pl]! + Math.floor(m / iw) * sih + (m % iw) * siw;
        const v = gd[o]! + god[outPlanes[pl]! + y * soh + x * sow]!;
        gd[o] = f32 ? Math.fround(v) : v;
      }
    }
  }
}

/** One average-pooling window: its clipped bounds and divisor (PyTorch's rule). */
function avgWindow(
  y: number,
  x: number,
  ph: PoolDim,
  pw: PoolDim,
  ih: number,
  iw: number,
  countIncludePad: boolean,
  divisorOverride: number | null,
): [number, number, number, number, number] | null {
  let h0 = y * ph.s - ph.p;
  let w0 = x * pw.s - pw.p;
  let h1 = Math.min(h0 + ph.k, ih + ph.p);
  let w1 = Math.min(w0 + pw.k, iw + pw.p);
  const poolSize = (h1 - h0) * (w1 - w0);
  h0 = Math.max(h0, 0);
  w0 = Math.max(w0, 0);
  h1 = Math.min(h1, ih);
  w1 = Math.min(w1, iw);
  if (h0 >= h1 || w0 >= w1) return null;
  const div = divisorOverride !== null ? divisorOverride : countIncludePad ? poolSize : (h1 - h0) * (w1 - w0);
  return [h0, h1, w0, w1, div];
}

/**
 * avg_pool2d (stride, padding; dilation is 1): fills `out` from `input`.
 * @example
 * avgPool2dInto(out, x, { k: 2, s: 2, p: 0, d: 1 }, { k: 2, s: 2, p: 0, d: 1 }, true, null)
 */
export function avgPool2dInto(out: Tensor, input: Tensor, ph: PoolDim, pw: PoolDim, countIncludePad: boolean, divisorOverride: number | null): void {
  if (out.numel() === 0) return;
  const id = input.data();
  const od = out.data();
  const f32 = out.dtype === "float32";
  const isInt = out.dtype === "int64";
  const [ih, iw, sih, siw] = hw(input);
  const [oh, ow, soh, sow] = hw(out);
  const inPlanes = planeOffsets(input);
  const outPlanes = planeOffsets(out);
  for (let pl = 0; pl < inPlanes.length; pl++) {
    const ib = inPlanes[pl]!;
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        const o = outPlanes[pl]! + y * soh + x * sow;
        const win = avgWindow(y, x, ph, pw, ih, iw, countIncludePad, divisorOverride);
        if (win === null) {
          od[o] = 0;
          continue;
        }
        const [h0, h1, w0, w1, div] = win;
        let sum = 0;
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            sum += id[ib + h * sih + w * siw]!;
            if (f32) sum = Math.fround(sum);
          }
        }
        od[o] = isInt ? Math.trunc(sum / div) || 0 : sum / div;
      }
    }
  }
}

/**
 * avg_pool2d_backward: `gradInput` (zeroed, input's shape) receives each output gradient divided
 * by its window's divisor, spread over the window.
 * @example
 * avgPool2dBackwardInto(gin, gout, ph, pw, true, null)
 */
export function avgPool2dBackwardInto(
  gradInput: Tensor,
  gradOutput: Tensor,
  ph: PoolDim,
  pw: PoolDim,
  countIncludePad: boolean,
  divisorOverride: number | null,
): void {
  if (gradOutput.numel() === 0 || gradInput.numel() === 0) return;
  const gd = gradInput.data();
  const god = gradOutput.data();
  const f32 = gradInput.dtype === "float32";
  const isInt = gradInput.dtype === "int64";
  const [ih, iw, sih, siw] = hw(gradInput);
  const [oh, ow, soh, sow] = hw(gradOutput);
  const inPlanes = planeOffsets(gradInput);
  const outPlanes = planeOffsets(gradOutput);
  for (let pl = 0; pl < inPlanes.length; pl++) {
    const ib = inPlanes[pl]!;
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        const win = avgWindow(y, x, ph, pw, ih, iw, countIncludePad, divisorOverride);
        if (win === null) continue;
        const [h0, h1, w0, w1, div] = win;
        let delta = god[outPlanes[pl]! + y * soh + x * sow]! / div;
        if (f32) delta = Math.fround(delta);
        else if (isInt) delta = Math.trunc(delta) || 0;
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const o = ib + h * sih + w * siw;
            gd[o] = f32 ? Math.fround(gd[o]! + delta) : gd[o]! + delta;
          }
        }
      }
    }
  }
}

/** floor(a * c / b): the first input row of adaptive window a. */
const startIndex = (a: number, b: number, c: number): number => Math.floor((a * c) / b);
/** ceil((a + 1) * c / b): one past the last input row of adaptive window a. */
const endIndex = (a: number, b: number, c: number): number => Math.ceil(((a + 1) * c) / b);

/**
 * _adaptive_avg_pool2d: output cell (y, x) averages input rows [floor(y*H/OH), ceil((y+1)*H/OH))
 * and the matching columns.
 * @example
 * adaptiveAvgPool2dInto(out, x)
 */
export function adaptiveAvgPool2dInto(out: Tensor, input: Tensor): void {
  if (out.numel() === 0) return;
  const id = input.data();
  const od = out.data();
  const f32 = out.dtype === "float32";
  const r = (v: number): number => (f32 ? Math.fround(v) : v);
  const [ih, iw, sih, siw] = hw(input);
  const [oh, ow, soh, sow] = hw(out);
  const inPlanes = planeOffsets(input);
  const outPlanes = planeOffsets(out);
  for (let pl = 0; pl < inPlanes.length; pl++) {
    const ib = inPlanes[pl]!;
    for (let y = 0; y < oh; y++) {
      const h0 = startIndex(y, oh, ih);
      const h1 = endIndex(y, oh, ih);
      for (let x = 0; x < ow; x++) {
        const w0 = startIndex(x, ow, iw);
        const w1 = endIndex(x, ow, iw);
        let sum = 0;
        for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) sum = r(sum + id[ib + h * sih + w * siw]!);
        od[outPlanes[pl]! + y * soh + x * sow] = r(r(sum / (h1 - h0)) / (w1 - w0));
      }
    }
  }
}

/**
 * _adaptive_avg_pool2d_backward: `gradInput` (zeroed, input's shape) receives each output
 * gradient divided by its window's area, over the window.
 * @example
 * adaptiveAvgPool2dBackwardInto(gin, gout)
 */
export function adaptiveAvgPool2dBackwardInto(gradInput: Tensor, gradOutput: Tensor): void {
  if (gradOutput.numel() === 0 || gradInput.numel() === 0) return;
  const gd = gradInput.data();
  const god = gradOutput.data();
  const f32 = gradInput.dtype === "float32";
  const r = (v: number): number => (f32 ? Math.fround(v) : v);
  const [ih, iw, sih, siw] = hw(gradInput);
  const [oh, ow, soh, sow] = hw(gradOutput);
  const inPlanes = planeOffsets(gradInput);
  const outPlanes = planeOffsets(gradOutput);
  for (let pl = 0; pl < inPlanes.length; pl++) {
    const ib = inPlanes[pl]!;
    for (let y = 0; y < oh; y++) {
      const h0 = startIndex(y, oh, ih);
      const h1 = endIndex(y, oh, ih);
      for (let x = 0; x < ow; x++) {
        const w0 = startIndex(x, ow, iw);
        const w1 = endIndex(x, ow, iw);
        const delta = r(r(god[outPlanes[pl]! + y * soh + x * sow]! / (h1 - h0)) / (w1 - w0));
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const o = ib + h * sih + w * siw;
            gd[o] = r(gd[o]! + delta);
          }
        }
      }
    }
  }
}

/**
 * adaptive_max_pool2d: the maximum (NaN wins) of each adaptive window and its flat index
 * `h * W + w` in the input plane.
 * @example
 * adaptiveMaxPool2dInto(out, idx, x)
 */
export function adaptiveMaxPool2dInto(out: Tensor, indices: Tensor, input: Tensor): void {
  if (out.numel() === 0) return;
  const id = input.data();
  const od = out.data();
  const xd = indices.data();
  const [ih, iw, sih, siw] = hw(input);
  const [oh, ow, soh, sow] = hw(out);
  const [, , sxh, sxw] = hw(indices);
  const inPlanes = planeOffsets(input);
  const outPlanes = planeOffsets(out);
  const idxPlanes = planeOffsets(indices);
  for (let pl = 0; pl < inPlanes.length; pl++) {
    const ib = inPlanes[pl]!;
    for (let y = 0; y < oh; y++) {
      const h0 = startIndex(y, oh, ih);
      const h1 = endIndex(y, oh, ih);
      for (let x = 0; x < ow; x++) {
        const w0 = startIndex(x, ow, iw);
        const w1 = endIndex(x, ow, iw);
        let maxIndex = h0 * iw + w0;
        let maxVal = -Infinity;
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const v = id[ib + h * sih + w * siw]!;
            if (v > maxVal || Number.isNaN(v)) {
              maxVal = v;
              maxIndex = h * iw + w;
            }
          }
        }
        od[outPlanes[pl]! + y * soh + x * sow] = maxVal;
        xd[idxPlanes[pl]! + y * sxh + x * sxw] = maxIndex;
      }
    }
  }
}
