// Behaviour of the joining and selecting ops that the fixtures cannot show: non-contiguous and
// offset inputs, writes through views, version counters, no partial writes on errors, output
// layouts, the decomposition stack uses, warnings, and the user surface (methods, torch.*).
import { afterEach, describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { type CallbackHandle, addGlobalCallback } from "../../src/dispatcher/record-function.js";
import { type Tensor, makeView } from "../../src/tensor/tensor.js";

const handles: CallbackHandle[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.remove()));

/** The ops that the op called by fn dispatches directly (one level down). */
function opsCalledBy(fn: () => unknown): string[] {
  const names: string[] = [];
  let depth = 0;
  handles.push(
    addGlobalCallback({
      start: (ev) => {
        if (depth++ === 1) names.push(ev.name);
      },
      end: () => void depth--,
    }),
  );
  fn();
  handles.pop()!.remove();
  return names;
}

/** A [rows, cols] tensor holding 0..n-1 in row-major order, then viewed transposed ([cols, rows]). */
function transposed(rows: number, cols: number, dtype: torch.DType = "float32"): Tensor {
  const base = torch.arange(rows * cols, { dtype });
  return makeView(base, [cols, rows], [1, cols], 0);
}

/** The same values in a fresh contiguous tensor. */
const contiguous = (t: Tensor): Tensor => torch.tensor(t.tolist() as torch.NestedData, { dtype: t.dtype });
const layout = (t: Tensor) => ({ shape: [...t.shape], strides: t.stride(), dtype: t.dtype });

describe("cat and stack", () => {
  it("cat reads transposed and offset inputs and promotes to a common dtype", () => {
    const a = transposed(2, 3); // [[0, 2, 4], [1, 3, 5]] as [3, 2]
    const ints = torch.arange(10, { dtype: "int32" });
    const b = makeView(ints, [1, 2], [2, 1], 6); // [[6, 7]], offset 6
    const out = torch.cat([a, b]);
    expect(out.dtype).toBe("float32");
    expect(out.tolist()).toEqual([[0, 3], [1, 4], [2, 5], [6, 7]]);
    expect(out.isContiguous()).toBe(true);
  });

  it("cat skips 1-D empty tensors but still promotes with them", () => {
    const out = torch.cat([torch.ones([2], { dtype: "int32" }), torch.empty([0]), torch.zeros([1], { dtype: "int32" })]);
    expect(out.dtype).toBe("float32");
    expect(out.tolist()).toEqual([1, 1, 0]);
  });

  it("cat keeps a channels-last layout only when every input has one (on CPU and meta)", () => {
    const cl = makeView(torch.arange(120), [2, 3, 4, 5], [60, 1, 15, 3], 0);
    const both = torch.cat([cl, cl], 1);
    expect(layout(both)).toEqual({ shape: [2, 6, 4, 5], strides: [120, 1, 30, 6], dtype: "int64" });
    expect(layout(torch.cat([cl.to("meta"), cl.to("meta")], 1))).toEqual(layout(both));
    expect(both.tolist()).toEqual(torch.cat([contiguous(cl), contiguous(cl)], 1).tolist());
    expect(torch.cat([cl, contiguous(cl)]).stride()).toEqual([60, 20, 5, 1]);
  });

  it("cat of an empty list raises ValueError although no tensor selects a backend", () => {
    expect(() => torch.cat([])).toThrow(expect.objectContaining({ name: "ValueError", message: "torch.cat(): expected a non-empty list of Tensors" }));
  });

  it("stack concatenates then views when the new dim is inside, and unsqueezes then concatenates at the end", () => {
    const a = torch.tensor([[1, 2], [3, 4]]);
    const b = torch.tensor([[5, 6], [7, 8]]);
    const inner = opsCalledBy(() => torch.stack([a, b], 1));
    expect(inner).toEqual(["aten::cat", "aten::view"]);
    const last = opsCalledBy(() => torch.stack([a, b], -1));
    expect(last).toEqual(["aten::unsqueeze", "aten::unsqueeze", "aten::cat"]);
    expect(torch.stack([a, b], 1).tolist()).toEqual([[[1, 2], [5, 6]], [[3, 4], [7, 8]]]);
    expect(torch.stack([a, b], -1).tolist()).toEqual([[[1, 5], [2, 6]], [[3, 7], [4, 8]]]);
  });

  it("stack of non-contiguous inputs matches stack of contiguous copies, on CPU and meta", () => {
    const a = transposed(2, 3);
    for (const dim of [0, 1, 2]) {
      const got = torch.stack([a, a], dim);
      expect(got.tolist()).toEqual(torch.stack([contiguous(a), contiguous(a)], dim).tolist());
      expect(layout(torch.stack([a.to("meta"), a.to("meta")], dim))).toEqual(layout(got));
    }
  });
});

describe("index_select, gather, scatter", () => {
  it("index_select reads a transposed, offset tensor along either dim", () => {
    const base = torch.arange(20);
    const x = makeView(base, [4, 3], [1, 4], 2); // column-major window starting at 2
    const idx = torch.tensor([2, 0], { dtype: "int64" });
    expect(x.indexSelect(0, idx).tolist()).toEqual(contiguous(x).indexSelect(0, idx).tolist());
    expect(torch.indexSelect(x, 1, idx).tolist()).toEqual(contiguous(x).indexSelect(1, idx).tolist());
  });

  it("gather reads through a transposed self with a non-contiguous index", () => {
    const x = transposed(3, 4); // [4, 3]
    const index = makeView(torch.tensor([0, 2, 1, 1, 0, 2], { dtype: "int64" }), [2, 3], [1, 2], 0);
    expect(torch.gather(x, 1, index).tolist()).toEqual(contiguous(x).gather(1, contiguous(index)).tolist());
  });

  it("scatter_ into a view writes through to its base and bumps the shared version", () => {
    const base = torch.zeros([2, 3]);
    const col = makeView(base, [2], [3], 1); // column 1
    const v0 = base.version;
    const r = col.scatter_(0, torch.tensor([1], { dtype: "int64" }), 5);
    expect(r).toBe(col);
    expect(base.tolist()).toEqual([[0, 0, 0], [0, 5, 0]]);
    expect(base.version).toBe(v0 + 1);
  });

  it("scatter_ checks every index before writing: an out-of-range last index leaves self untouched", () => {
    const x = torch.zeros([4]);
    const index = torch.tensor([0, 1, 7], { dtype: "int64" });
    expect(() => x.scatter_(0, index, torch.ones([3]))).toThrow("index 7 is out of bounds for dimension 0 with size 4");
    expect(x.tolist()).toEqual([0, 0, 0, 0]);
  });

  it("scatter with a Tensor src and reduce warns once that the reduce argument is deprecated", () => {
    const run = () => torch.zeros([3]).scatter(0, torch.tensor([0, 0], { dtype: "int64" }), torch.ones([2]), { reduce: "add" });
    const first = torch.catchWarnings(run);
    expect(first.result.tolist()).toEqual([2, 0, 0]);
    expect(first.warnings.length + torch.catchWarnings(run).warnings.length).toBeLessThanOrEqual(1);
  });

  it("scatter of a value converts it like C++: truncation for ints, nonzero-ness for bool", () => {
    const idx = torch.tensor([1], { dtype: "int64" });
    expect(torch.scatter(torch.zeros([2], { dtype: "int64" }), 0, idx, 2.7).tolist()).toEqual([0, 2]);
    expect(torch.scatter(torch.zeros([2], { dtype: "bool" }), 0, idx, 0.5).tolist()).toEqual([false, true]);
  });
});

describe("repeat, flip, tril, triu", () => {
  it("repeat tiles a transposed input; the method takes varargs or a list", () => {
    const x = transposed(2, 2); // [[0, 2], [1, 3]]
    expect(x.repeat(1, 2).tolist()).toEqual([[0, 2, 0, 2], [1, 3, 1, 3]]);
    expect(x.repeat([2, 1, 1]).shape).toEqual([2, 2, 2]);
    expect(layout(x.to("meta").repeat(3, 1))).toEqual(layout(x.repeat(3, 1)));
  });

  it("flip keeps the input's layout (empty_like preserves strides) on CPU and meta", () => {
    const x = transposed(3, 4); // [4, 3], strides [1, 4]
    const f = x.flip(0);
    expect(f.stride()).toEqual([1, 4]);
    expect(f.tolist()).toEqual(contiguous(x).flip([0]).tolist());
    expect(layout(x.to("meta").flip(0))).toEqual(layout(f));
    expect(torch.flip(x, [0, 1]).tolist()).toEqual(contiguous(x).flip(0, 1).tolist());
  });

  it("tril_ on a transposed view zeroes through to the base; triu of a batch returns a contiguous result", () => {
    const base = torch.ones([3, 3]);
    const view = makeView(base, [3, 3], [1, 3], 0);
    view.tril_();
    expect(view.tolist()).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    expect(base.tolist()).toEqual([[1, 1, 1], [0, 1, 1], [0, 0, 1]]);
    const batch = makeView(torch.arange(12), [2, 2, 3], [1, 6, 2], 0);
    const u = torch.triu(batch, 1);
    expect(u.isContiguous()).toBe(true);
    expect(u.tolist()).toEqual(contiguous(batch).triu(1).tolist());
  });
});
