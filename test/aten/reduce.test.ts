// Behaviour of the reduce family that the PyTorch fixtures (test/fixtures/ops/reduce.json) cannot
// express: strided, offset and expanded inputs (fixtures decode to contiguous tensors), output
// layouts on meta, warnings, the dispatched op sequence, the Tensor-method surface, large inputs.
import { afterEach, describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { type CallbackHandle, addGlobalCallback } from "../../src/dispatcher/record-function.js";
import { callOp } from "../../src/dispatcher/call-op.js";
import { Tensor, makeView } from "../../src/tensor/tensor.js";

const handles: CallbackHandle[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.remove()));

/** The aten ops dispatched while fn runs, nested calls included, as `aten::name.overload`. */
function opsCalled(fn: () => unknown): string[] {
  const names: string[] = [];
  handles.push(addGlobalCallback({ start: (ev) => void names.push(ev.overloadName ? `${ev.name}.${ev.overloadName}` : ev.name) }));
  fn();
  handles.splice(0).forEach((h) => h.remove());
  return names;
}

const f = torch.tensor([
  [0.5, -1.25, 3, 2],
  [4, 4, -0.75, 1.5],
  [-2, 7, 7, 0.25],
]);
/** f.t() as a real strided view: shape [4, 3], strides [1, 4]. */
const ft = makeView(f, [4, 3], [1, 4], 0);
/** Every other column of f, starting at column 1: shape [3, 2], strides [4, 2], offset 1. */
const fs = makeView(f, [3, 2], [4, 2], 1);
/** A copy of a view as a fresh contiguous tensor with the same values. */
const dense = (t: Tensor): Tensor => torch.tensor(t.tolist() as number[][], { dtype: t.dtype });

const results = (v: unknown): unknown => (Array.isArray(v) ? v.map(results) : (v as Tensor).tolist());

describe("reductions over strided views", () => {
  const cases: Array<[string, (t: Tensor) => unknown]> = [
    ["sum", (t) => t.sum()],
    ["sum(0)", (t) => t.sum(0)],
    ["sum(1, keepdim)", (t) => t.sum(1, true)],
    ["mean(0)", (t) => t.mean(0)],
    ["prod(1)", (t) => t.prod(1)],
    ["amax(0)", (t) => t.amax(0)],
    ["amin()", (t) => t.amin()],
    ["max(1)", (t) => t.max(1)],
    ["min(0)", (t) => t.min(0)],
    ["argmax()", (t) => t.argmax()],
    ["argmin(0)", (t) => t.argmin(0)],
    ["var(0)", (t) => t.var(0)],
    ["std()", (t) => t.std()],
    ["all(1)", (t) => t.all(1)],
    ["any()", (t) => t.any()],
    ["cumsum(0)", (t) => t.cumsum(0)],
    ["sort(0)", (t) => t.sort(0)],
    ["sort(1, descending)", (t) => t.sort(1, true)],
    ["topk(2, 0)", (t) => t.topk(2, 0)],
    ["norm(1, 0)", (t) => t.norm(1, 0)],
    ["sum as int64", (t) => t.sum(0, false, { dtype: "int64" })],
  ];
  for (const [name, op] of cases) {
    it(`given a transposed view, when ${name}, then the values equal those of a contiguous copy`, () => {
      expect(results(op(ft))).toEqual(results(op(dense(ft))));
    });
    it(`given an offset view with stride 2, when ${name}, then the values equal those of a contiguous copy`, () => {
      expect(results(op(fs))).toEqual(results(op(dense(fs))));
    });
  }

  it("given int32 columns, when summed over dim 0, then the lane-wise gather gives each column's sum", () => {
    const rows = Array.from({ length: 64 }, (_, r) => [0, 1, 2, 3, 4].map((c) => r * 5 + c));
    const x = torch.tensor(rows, { dtype: "int32" });
    const want = [0, 1, 2, 3, 4].map((c) => rows.reduce((acc, row) => acc + row[c]!, 0));
    expect(x.sum(0).tolist()).toEqual(want);
    expect(x.sum(0).dtype).toBe("int64");
  });

  it("given an expanded dim (stride 0), when sorted along it, then values stay and indices are 0, 1, 2 as in PyTorch", () => {
    const row = torch.tensor([[5, 1, 5]]);
    const ex = makeView(row, [3, 3], [0, 1], 0);
    const [v, i] = ex.sort(0);
    expect(v.tolist()).toEqual([[5, 1, 5], [5, 1, 5], [5, 1, 5]]);
    expect(i.tolist()).toEqual([[0, 0, 0], [1, 1, 1], [2, 2, 2]]);
  });
});

describe("output layouts", () => {
  it("given a transposed input, when sorted, then values and indices keep its memory layout on CPU and meta", () => {
    for (const t of [ft, ft.to("meta")]) {
      const [v, i] = t.sort(0);
      expect([v.stride(), i.stride()]).toEqual([[1, 4], [1, 4]]);
    }
  });
  it("given a non-dense input, when sorted, then outputs get dense strides in its order (infer_dense_strides)", () => {
    expect(fs.sort(1)[0].stride()).toEqual([2, 1]);
    const onMeta = makeView(Tensor.empty([12], "float32", "meta"), [2, 3, 4], [0, 4, 1], 0);
    expect(onMeta.sort(0)[1].stride()).toEqual([12, 4, 1]);
    expect(makeView(f, [2, 3, 4], [0, 4, 1], 0).sort(0)[1].stride()).toEqual([12, 4, 1]);
  });
  it("given a transposed input, when reduced, then the output is contiguous (resize_reduction)", () => {
    expect(ft.sum(1).stride()).toEqual([1]);
    expect(ft.max(1, true)[1].stride()).toEqual([1, 1]);
    expect(ft.cumsum(0).stride()).toEqual([3, 1]);
  });
});

describe("checks that PyTorch makes only on CPU", () => {
  const b = torch.tensor([true, false]);
  it("given a bool tensor, when argmax runs on meta, then it gives an int64 scalar; on CPU it raises", () => {
    expect(b.to("meta").argmax().dtype).toBe("int64");
    expect(() => b.argmax()).toThrow("argmax(): does not support bool input");
  });
  it("given a bool tensor, when topk runs on meta, then it gives shapes; on CPU it raises", () => {
    expect(b.to("meta").topk(1)[0].shape).toEqual([1]);
    expect(() => b.topk(1)).toThrow("topk does not support bool dtypes on CPU");
  });
});

describe("warnings", () => {
  it("given a correction not below the reduced size, when var runs, then PyTorch's UserWarning is emitted and the result is inf or nan", () => {
    const { result, warnings } = torch.catchWarnings(() => torch.tensor([1, 2, 4]).var({ correction: 3 }));
    expect(warnings).toEqual([
      {
        category: "UserWarning",
        message: "var(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor (input numel divided by output numel).",
      },
    ]);
    expect(result.item()).toBe(Infinity);
  });
  it("given an ordinary std, when it runs, then no warning", () => {
    expect(torch.catchWarnings(() => torch.tensor([1, 2, 4]).std()).warnings).toEqual([]);
  });
});

describe("dispatched op sequences", () => {
  const x = torch.tensor([[1, 2], [3, 4]]);
  it("given the CompositeImplicitAutograd var and std overloads, when called, then they call the correction overloads", () => {
    expect(opsCalled(() => callOp("aten::var", [x, false]))).toEqual(["aten::var", "aten::var.correction"]);
    expect(opsCalled(() => callOp("aten::std.dim", [x, [0], true, false]))).toEqual(["aten::std.dim", "aten::std.correction"]);
  });
  it("given the default overloads of sum, mean, sort and norm, when called, then they call the overloads PyTorch's kernels call", () => {
    expect(opsCalled(() => callOp("aten::sum", [x, null]))).toEqual(["aten::sum", "aten::sum.dim_IntList"]);
    expect(opsCalled(() => callOp("aten::mean", [x, null]))).toEqual(["aten::mean", "aten::mean.dim"]);
    expect(opsCalled(() => callOp("aten::sort", [x, -1, false]))).toEqual(["aten::sort", "aten::sort.stable"]);
    expect(opsCalled(() => callOp("aten::norm.Scalar", [x, 2]))).toEqual(["aten::norm.Scalar", "aten::norm.ScalarOpt_dim", "aten::linalg_vector_norm"]);
  });
  it("given Tensor methods, when called, then they pick the overloads PyTorch's Python bindings pick", () => {
    expect(opsCalled(() => x.var())).toEqual(["aten::var.correction"]);
    expect(opsCalled(() => x.std(0, false))).toEqual(["aten::std.correction"]);
    expect(opsCalled(() => x.norm())).toEqual(["aten::linalg_vector_norm"]);
    expect(opsCalled(() => x.max())).toEqual(["aten::max"]);
    expect(opsCalled(() => x.max(0))).toEqual(["aten::max.dim"]);
    expect(opsCalled(() => x.all([0, 1]))).toEqual(["aten::all.dims"]);
    expect(opsCalled(() => x.sort({ stable: true }))).toEqual(["aten::sort.stable"]);
    expect(opsCalled(() => x.sum({ dtype: "float64" }))).toEqual(["aten::sum", "aten::sum.dim_IntList"]);
  });
});

describe("the Tensor-method and torch.* surface", () => {
  const x = torch.tensor([[1, 2, 3], [4, 5, 6]]);
  it("given the api.md calls, when x.sum() and x.sum(1, true), then a scalar and a [2, 1] column", () => {
    expect(x.sum().item()).toBe(21);
    expect(x.sum(1, true).tolist()).toEqual([[6], [15]]);
  });
  it("given dims as a list, null or a number, when reducing, then each means what PyTorch's dim means", () => {
    expect(x.sum([0, 1]).item()).toBe(21);
    expect(x.sum(null).item()).toBe(21);
    expect(x.mean(-1).tolist()).toEqual([2, 5]);
    expect(x.sum(0, { dtype: "int64" }).dtype).toBe("int64");
  });
  it("given multi-output ops, when called, then they return [values, indices] arrays", () => {
    const [v, i] = x.max(1);
    expect([v.tolist(), i.tolist()]).toEqual([[3, 6], [2, 2]]);
    const [sv, si] = torch.sort(x, 1, true);
    expect([sv.tolist(), si.tolist()]).toEqual([[[3, 2, 1], [6, 5, 4]], [[2, 1, 0], [2, 1, 0]]]);
    expect(torch.topk(x, 1)[1].tolist()).toEqual([[2], [2]]);
    expect(torch.min(x, 0)[0].tolist()).toEqual([1, 2, 3]);
  });
  it("given var options, when correction, unbiased or positional unbiased are used, then the divisor follows", () => {
    const v = torch.tensor([1, 2, 3, 4]);
    expect(v.var().item()).toBeCloseTo(5 / 3, 6);
    expect(v.var({ correction: 0 }).item()).toBeCloseTo(1.25, 6);
    expect(v.var(0, false).item()).toBeCloseTo(1.25, 6);
    expect(torch.var(v, null, { unbiased: false }).item()).toBeCloseTo(1.25, 6);
    expect(torch.std(v, 0, { keepdim: true }).shape).toEqual([1]);
  });
  it("given the remaining functions, when called at top level, then they match the methods", () => {
    expect(torch.sum(x, 0).tolist()).toEqual([5, 7, 9]);
    expect(torch.prod(x, 1).tolist()).toEqual([6, 120]);
    expect(torch.amax(x, -1).tolist()).toEqual([3, 6]);
    expect(torch.amin(x).item()).toBe(1);
    expect(torch.argmax(x).item()).toBe(5);
    expect(torch.argmin(x, 1).tolist()).toEqual([0, 0]);
    expect(torch.all(x).item()).toBe(true);
    expect(torch.any(x.mul(0), 1).tolist()).toEqual([false, false]);
    expect(torch.cumsum(x, 1).tolist()).toEqual([[1, 3, 6], [4, 9, 15]]);
    expect(torch.norm(x, 1).item()).toBe(21);
    expect(torch.mean(x).item()).toBe(3.5);
    expect(torch.logsumexp(torch.tensor([0, 0]), 0).item()).toBeCloseTo(Math.LN2, 6);
  });
  it("given cumsum_, when called, then it writes into self, bumps the version and returns self", () => {
    const y = torch.tensor([1, 2, 3]);
    const before = y.version;
    expect(y.cumsum_(0)).toBe(y);
    expect(y.tolist()).toEqual([1, 3, 6]);
    expect(y.version).toBe(before + 1);
  });
});

describe("large inputs", () => {
  it("given 2^20 float32 values, when summed, then the result is the float64 sum rounded once", () => {
    const n = 1 << 20;
    const a = new Float32Array(n).map((_, i) => Math.sin(i) * 3);
    let exact = 0;
    for (const v of a) exact += v;
    const x = torch.tensor(a);
    expect(x.sum().item()).toBe(Math.fround(exact));
    expect(x.mean().item()).toBeCloseTo(exact / n, 6);
  });
  it("given a tall matrix, when reduced over rows, then each column reduces like its own slice", () => {
    const a = new Float32Array(300 * 70).map((_, i) => ((i * 7919) % 101) - 50);
    const x = torch.tensor(a).to("float32");
    const m = makeView(x, [300, 70], [70, 1], 0);
    const col = (c: number) => Array.from({ length: 300 }, (_, r) => a[r * 70 + c]!);
    expect(m.amax(0).tolist()).toEqual(Array.from({ length: 70 }, (_, c) => Math.max(...col(c))));
    expect(m.argmin(0).tolist()).toEqual(Array.from({ length: 70 }, (_, c) => col(c).indexOf(Math.min(...col(c)))));
  });
});
