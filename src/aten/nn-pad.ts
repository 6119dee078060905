// constant_pad_nd (CompositeExplicitAutograd, PyTorch's PadNd.cpp; torch.nn.functional.pad's
// constant mode, used by conv padding="same" with even kernels): pads (or, with negative pads,
// crops) the last dims, pads given last dim first, filling new elements with `value`. And
// aten::pad (CompositeImplicitAutograd), which F.pad calls: PyTorch's checks, then the kernel of
// the mode (the reflect / replicate / circular kernels are not implemented yet: a clear error).

import { NotImplementedError, RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import { dispatcher } from "../dispatcher/dispatcher.js";
import { forEachOffset3 } from "../backends/cpu/strided-loops.js";
import { isFloatingType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { allocate, type OpDecl } from "./op-decl.js";
import { formatStrides, suggestsChannelsLast } from "./nn-util.js";

type Scalar = number | boolean | bigint;

/**
 * `constant_pad_nd(self, pad, value)`: `pad = [left_last, right_last, left_prev, right_prev, ...]`.
 * @example
 * callOp("aten::constant_pad_nd", [x, [1, 1], 0]) // one zero on each side of the last dim
 */
function constantPadNd(self: Tensor, pad: readonly number[], value: Scalar): Tensor {
  if (pad.length % 2 !== 0) throw new RuntimeError(`Length of pad must be even but instead it equals ${pad.length}`);
  const nd = self._shape.length;
  const lPad = pad.length / 2;
  const lDiff = nd - lPad;
  if (lDiff < 0) {
    throw new RuntimeError(
      `Length of pad should be no more than twice the number of dimensions of the input. Pad length is ${pad.length}while the input has ${nd}dimensions.`,
    );
  }
  // the part of the input that is kept (negative pads crop it, as narrow() would)
  const start = new Array<number>(nd).fill(0);
  const kept = self._shape.slice();
  let allNonPositive = true;
  for (let i = lDiff; i < nd; i++) {
    const [lo, hi] = [pad[2 * (nd - i - 1)]!, pad[2 * (nd - i - 1) + 1]!];
    if (lo < 0) {
      if (kept[i]! + lo < 0) throw new RuntimeError("narrow(): length must be non-negative.");
      start[i] = -lo;
      kept[i] = kept[i]! + lo;
    } else if (lo !== 0) allNonPositive = false;
    if (hi < 0) {
      if (kept[i]! + hi < 0) throw new RuntimeError("narrow(): length must be non-negative.");
      kept[i] = kept[i]! + hi;
    } else if (hi !== 0) allNonPositive = false;
  }
  const shape = self._shape.slice();
  // where the kept part lands in the output
  const dst = new Array<number>(nd).fill(0);
  if (allNonPositive) {
    kept.forEach((k, i) => (shape[i] = k));
  } else {
    for (let i = lDiff; i < nd; i++) {
      const [lo, hi] = [pad[2 * (nd - i - 1)]!, pad[2 * (nd - i - 1) + 1]!];
      const size = self._shape[i]! + lo + hi;
      if (size < 0) {
        throw new RuntimeError(
          `The input size ${self._shape[i]}, plus negative padding ${lo} and ${hi} resulted in a negative output size, which is invalid. Check dimension ${i} of your input.`,
        );
      }
      shape[i] = size;
      dst[i] = Math.max(lo, 0);
    }
  }
  const out = allocate(self.device, { shape, dtype: self.dtype, strides: formatStrides(shape, suggestsChannelsLast(self)) });
  if (out.device !== "cpu") return out;
  const od = out.data();
  const sd = self.data();
  const v = Number(value);
  const fill = self.dtype === "bool" ? (v !== 0 ? 1 : 0) : isFloatingType(self.dtype) ? v : Number.isFinite(v) ? Math.trunc(v) : 0;
  forEachOffset3(shape, out._strides, out._offset, out._strides, 0, out._strides, 0, (o) => {
    od[o] = fill;
  });
  const srcOff = self._offset + start.reduce((acc, s, i) => acc + s * self._strides[i]!, 0);
  const dstOff = out._offset + dst.reduce((acc, s, i) => acc + s * out._strides[i]!, 0);
  forEachOffset3(kept, out._strides, dstOff, self._strides, srcOff, self._strides, 0, (o, i) => {
    od[o] = sd[i]!;
  });
  return out;
}

/** PyTorch's pad_symint / _pad_enum: checks, then the op of the mode. */
function padComposite(self: Tensor, pad: number[], mode: string, value: number | null): Tensor {
  if (!["constant", "reflect", "replicate", "circular"].includes(mode)) throw new NotImplementedError(`Unrecognised padding mode ${mode}`);
  const dim = self._shape.length;
  if (pad.length % 2 !== 0) throw new RuntimeError("Padding length must be divisible by 2");
  if (pad.length > dim * 2) {
    throw new RuntimeError(`Padding length should be less than or equal to two times the input dimension but got padding length ${pad.length} and input of dimension ${dim}`);
  }
  if (mode === "constant") return callOp("aten::constant_pad_nd", [self, pad, value ?? 0.0]) as Tensor;
  if (value !== null && value !== 0) throw new RuntimeError(`Padding mode "${mode}" doesn't take in value argument`);
  const n = pad.length / 2;
  if (n < 1 || n > 3 || dim < n + 1 || dim > n + 2) throw new NotImplementedError("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
  const name = mode === "circular" ? "aten::_pad_circular" : `aten::${mode === "reflect" ? "reflection" : "replication"}_pad${n}d`;
  if (!dispatcher.findOp(name)) throw new NotImplementedError(`padding mode "${mode}" needs ${name}, which aten-ts does not implement yet`);
  return callOp(name, [self, pad]) as Tensor;
}

/** The padding operators. */
export const padOps: readonly OpDecl[] = [
  {
    schema: "constant_pad_nd(Tensor self, SymInt[] pad, Scalar value=0) -> Tensor",
    explicit: constantPadNd as never,
  },
  {
    schema: 'pad(Tensor self, SymInt[] pad, str mode="constant", float? value=None) -> Tensor',
    composite: padComposite as never,
  },
];
