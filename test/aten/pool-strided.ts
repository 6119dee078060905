// Decoding fixture tensors with their recorded strides (the shared codec makes them contiguous),
// so pooling cases on channels_last and transposed inputs run on those layouts.
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { type Encoded, decode } from "../opinfo/fixture-codec.js";

interface EncT {
  shape: number[];
  strides?: number[];
}

/** decode(), with every tensor laid out with its recorded strides (offset 0). */
export function decodeStrided(v: Encoded): unknown {
  if (Array.isArray(v)) return v.map(decodeStrided);
  if (v !== null && typeof v === "object" && "t" in v) {
    const t = decode(v) as Tensor;
    const e = (v as { t: EncT }).t;
    if (!e.strides || e.strides.every((s, i) => s === t.stride()[i])) return t;
    const out = torch.lookupOp("aten::empty_strided")!(e.shape, e.strides, { dtype: t.dtype }) as Tensor;
    torch.lookupOp("aten::copy_")!(out, t, false);
    return out;
  }
  return decode(v);
}

/** The recorded strides of the tensors of an encoded value, in order. */
export function recordedStrides(v: Encoded): number[][] {
  if (Array.isArray(v)) return v.flatMap(recordedStrides);
  if (v !== null && typeof v === "object" && "t" in v) return [(v as { t: EncT }).t.strides ?? []];
  return [];
}
