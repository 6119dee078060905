// Behaviour of advanced indexing (index.Tensor, index_put_/index_put), masked_select and nonzero
// beyond the fixtures: strided inputs, writes through views, atomicity on errors, meta kernels of
// data-dependent ops, device rules for indices, warnings, and the Tensor methods.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { type Tensor, makeView } from "../../src/tensor/tensor.js";

const long = (v: number[]) => torch.tensor(v, { dtype: "int64" });
const mask = (v: boolean[]) => torch.tensor(v, { dtype: "bool" });
const contiguous = (t: Tensor): Tensor => torch.tensor(t.tolist() as torch.NestedData, { dtype: t.dtype });

/** [2, 3, 4] holding 0..23, viewed with its dims in the order (2, 0, 1) -> shape [4, 2, 3]. */
function permuted(): Tensor {
  return makeView(torch.arange(24), [4, 2, 3], [1, 12, 4], 0);
}

describe("index.Tensor", () => {
  it("reads a permuted (non-contiguous) tensor like its contiguous copy, for adjacent and split indices", () => {
    const x = permuted();
    const cases: Array<Array<Tensor | null>> = [
      [long([3, 0])],
      [null, long([1, 0, 1])],
      [long([1, 2]), null, long([0, 2])],
      [null, long([1]), long([2, 0])],
    ];
    for (const idx of cases) expect(x.index(idx).tolist()).toEqual(contiguous(x).index(idx).tolist());
  });

  it("moves the indexed dims to the front only when the index tensors are not adjacent", () => {
    const x = torch.zeros([5, 6, 7]);
    expect(x.index([long([0, 1]), null, long([2, 3])]).shape).toEqual([2, 6]);
    expect(x.index([null, long([0, 1]), long([2, 3])]).shape).toEqual([5, 2]);
    const split = torch.zeros([5, 6, 7, 8]).index([torch.tensor([[0]], { dtype: "int64" }), null, long([1, 2]), null]);
    expect(split.shape).toEqual([1, 2, 6, 8]);
  });

  it("on meta computes the result shape, also with a mask that lives on the CPU", () => {
    const x = torch.zeros([3, 4], { device: "meta" });
    expect(x.index([null, long([1, 2, 3])]).shape).toEqual([3, 3]);
    expect(x.index([mask([true, false, true])]).shape).toEqual([2, 4]);
  });

  it("refuses a meta mask on meta: the shape depends on data (the error names nonzero)", () => {
    const x = torch.zeros([3], { device: "meta" });
    const m = mask([true, false, true]).to("meta");
    expect(() => x.index([m])).toThrow(expect.objectContaining({ name: "NotImplementedError", message: expect.stringContaining("aten::nonzero") }));
  });

  it("refuses indices on another device than CPU or self's", () => {
    expect(() => torch.zeros([3]).index([long([0]).to("meta")])).toThrow(
      "indices should be either on cpu or on the same device as the indexed tensor (cpu)",
    );
  });

  it("raises when no index tensor is left (only None entries), as PyTorch does", () => {
    expect(() => torch.zeros([2, 2]).index([null])).toThrow(expect.objectContaining({ name: "RuntimeError" }));
  });

  it("warns that uint8 masks are deprecated", () => {
    const { result, warnings } = torch.catchWarnings(() => torch.tensor([5, 6, 7]).index([torch.tensor([1, 0, 1], { dtype: "uint8" })]));
    expect(result.tolist()).toEqual([5, 7]);
    expect(warnings.map((w) => w.message)).toEqual(["indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead."]);
  });
});

describe("index_put_ and index_put", () => {
  it("writes through a transposed view into its base and bumps the version once", () => {
    const base = torch.zeros([2, 3]);
    const view = makeView(base, [3, 2], [1, 3], 0);
    const v0 = base.version;
    const r = view.indexPut_([long([2, 0]), long([1, 0])], torch.tensor([7, 8]));
    expect(r).toBe(view);
    expect(base.tolist()).toEqual([[8, 0, 0], [0, 0, 7]]);
    expect(base.version).toBe(v0 + 1);
  });

  it("checks every index before writing: one bad index leaves self untouched", () => {
    const x = torch.zeros([3]);
    expect(() => x.indexPut_([long([0, 1, 5])], torch.tensor(1))).toThrow("index 5 is out of bounds for dimension 0 with size 3");
    expect(x.tolist()).toEqual([0, 0, 0]);
  });

  it("accumulates duplicates with accumulate=true; without it the last write wins", () => {
    const idx = [long([1, 1, 1])];
    expect(torch.zeros([3]).indexPut_(idx, torch.tensor([1, 2, 4]), true).tolist()).toEqual([0, 7, 0]);
    expect(torch.zeros([3]).indexPut_(idx, torch.tensor([1, 2, 4])).tolist()).toEqual([0, 4, 0]);
  });

  it("fills through one bool mask with a one-element value of another dtype (PyTorch's masked_fill_ path)", () => {
    const x = torch.zeros([2, 3], { dtype: "int64" });
    x.indexPut_([null, mask([true, false, true])], torch.tensor(2.5));
    expect(x.tolist()).toEqual([[2, 0, 2], [2, 0, 2]]);
    // a JS number becomes a 0-dim tensor of self's dtype
    expect(torch.zeros([3]).indexPut_([mask([false, true, false])], 9).tolist()).toEqual([0, 9, 0]);
  });

  it("warns when self is expanded (its elements overlap)", () => {
    const expanded = makeView(torch.zeros([1]), [3], [0], 0);
    const { warnings } = torch.catchWarnings(() => expanded.indexPut_([long([0])], torch.tensor(1)));
    expect(warnings[0]!.message).toMatch(/^Use of index_put_ on expanded tensors is deprecated/);
  });

  it("index_put works on a clone and leaves self as it was", () => {
    const x = torch.zeros([2, 2]);
    const y = x.indexPut([long([1])], torch.tensor(3));
    expect(y.tolist()).toEqual([[0, 0], [3, 3]]);
    expect(x.tolist()).toEqual([[0, 0], [0, 0]]);
  });

  it("on meta validates shapes and dtypes and writes nothing", () => {
    const x = torch.zeros([3, 4], { device: "meta" });
    expect(x.indexPut_([long([0]).to("meta")], torch.zeros([4], { device: "meta" }))).toBe(x);
    expect(() => x.indexPut_([long([0]).to("meta")], torch.zeros([3], { device: "meta" }))).toThrow(
      "shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [1, 4]",
    );
  });
});

describe("masked_select and nonzero", () => {
  it("nonzero returns [n, ndim] int64 laid out column-major (strides [1, n]) like PyTorch's CPU kernel", () => {
    const nz = torch.nonzero(torch.tensor([[0, 1], [2, 0], [3, 4]]));
    expect(nz.dtype).toBe("int64");
    expect(nz.shape).toEqual([4, 2]);
    expect(nz.stride()).toEqual([1, 4]);
    expect(nz.tolist()).toEqual([[0, 1], [1, 0], [2, 0], [2, 1]]);
  });

  it("nonzero and masked_select refuse meta tensors with NotImplementedError naming the op", () => {
    const m = torch.zeros([3], { device: "meta" });
    expect(() => m.nonzero()).toThrow(expect.objectContaining({ name: "NotImplementedError", message: expect.stringMatching(/^aten::nonzero/) }));
    expect(() => m.maskedSelect(mask([true, false, true]).to("meta"))).toThrow(expect.objectContaining({ message: expect.stringMatching(/^aten::masked_select/) }));
  });

  it("masked_select broadcasts a non-contiguous self against the mask", () => {
    const x = permuted(); // [4, 2, 3]
    const m = mask([true, false, true]);
    expect(torch.maskedSelect(x, m).tolist()).toEqual(contiguous(x).maskedSelect(m).tolist());
    expect(torch.maskedSelect(x, m).shape).toEqual([16]);
  });
});
