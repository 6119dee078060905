// Behaviour of the nn family that the PyTorch fixtures cannot express: non-contiguous and
// channels-last inputs, in-place running-stat updates, identity of dropout's result, warnings,
// meta tensors, the Tensor methods and top-level functions, and algebraic properties
// (transposed convolution is the adjoint of convolution).
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

const aten = torch.ops.aten!;

/** A tensor of varied, deterministic values. */
function data(shape: number[], dtype: torch.DType = "float32", seed = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => Math.sin(i * 1.37 + seed) * 2);
  return torch.tensor(values, { dtype }).reshape(shape);
}

function flat(t: Tensor): number[] {
  return (t.contiguous().reshape([-1]).tolist() as Array<number | boolean>).map(Number);
}

function expectClose(a: Tensor, b: Tensor, tol = 1e-5): void {
  expect([...a.shape]).toEqual([...b.shape]);
  const [x, y] = [flat(a), flat(b)];
  x.forEach((v, i) => expect(Math.abs(v - y[i]!), `element ${i}: ${v} vs ${y[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]!))));
}

/** A 4-D tensor with NHWC storage (PyTorch's channels_last), same logical values. */
function channelsLast(t: Tensor): Tensor {
  return t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}

describe("softmax", () => {
  it("normalises along dim: rows of x.softmax(1) sum to 1 and logSoftmax is their log", () => {
    const x = data([2, 5]);
    const s = x.softmax(1);
    const rows = s.tolist() as number[][];
    for (const r of rows) expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    flat(x.logSoftmax(1)).forEach((v, i) => expect(v).toBeCloseTo(Math.log(flat(s)[i]!), 5));
  });

  it("is numerically stable: huge logits give the softmax of their differences", () => {
    const big = torch.tensor([[1e4, 1e4 + 1, 1e4 + 2]]);
    expectClose(big.softmax(-1), torch.tensor([[0, 1, 2]]).softmax(-1));
    expectClose(big.logSoftmax(-1), torch.tensor([[0, 1, 2]]).logSoftmax(-1));
  });

  it("converts to the dtype option first, and rejects integer inputs without one", () => {
    const x = torch.tensor([1, 2, 3], { dtype: "int64" });
    expect(torch.softmax(x, 0, { dtype: "float64" }).dtype).toBe("float64");
    expect(() => torch.softmax(x, 0)).toThrow(torch.NotImplementedError);
  });

  it("works on a transposed input and returns a contiguous result", () => {
    const xt = data([3, 4]).t();
    const out = torch.softmax(xt, 0);
    expect(out.isContiguous()).toBe(true);
    expectClose(out, torch.softmax(xt.contiguous(), 0));
    expectClose(torch.logSoftmax(xt, 1), torch.logSoftmax(xt.contiguous(), 1));
  });
});

describe("layer norm", () => {
  it("returns (out, mean, rstd) with mean/rstd shaped [*leading, 1, ...]", () => {
    const [out, mean, rstd] = aten.native_layer_norm!(data([2, 3, 4]), [3, 4], null, null, 1e-5) as Tensor[];
    expect(out!.shape).toEqual([2, 3, 4]);
    expect(mean!.shape).toEqual([2, 1, 1]);
    expect(rstd!.shape).toEqual([2, 1, 1]);
  });

  it("gives the same result for a non-contiguous input, with weight and bias", () => {
    const x = data([4, 3]).t();
    const opts = { weight: data([4], "float32", 1), bias: data([4], "float32", 2) };
    expectClose(torch.layerNorm(x, [4], opts), torch.layerNorm(x.contiguous(), [4], opts));
  });
});

describe("batch norm", () => {
  it("training normalises with batch stats and updates the running stats in place", () => {
    const x = torch.tensor([[1, 2], [3, 6]]);
    const rm = torch.zeros([2]);
    const rv = torch.ones([2]);
    const y = torch.batchNorm(x, rm, rv, { training: true, momentum: 0.5, eps: 0 });
    expectClose(y, torch.tensor([[-1, -1], [1, 1]]));
    expectClose(rm, torch.tensor([1, 2])); // 0.5 * mean [2, 4]
    expectClose(rv, torch.tensor([1.5, 4.5])); // 0.5 * unbiased var [2, 8] + 0.5 * 1
  });

  it("evaluation uses the running stats and leaves them alone", () => {
    const rm = torch.tensor([1, 2]);
    const rv = torch.tensor([4, 16]);
    const y = torch.batchNorm(torch.tensor([[3, 6]]), rm, rv, { eps: 0 });
    expectClose(y, torch.tensor([[1, 1]]));
    expectClose(rm, torch.tensor([1, 2]));
  });

  it("keeps a channels-last input's layout and values", () => {
    const x = data([2, 3, 2, 2]);
    const cl = channelsLast(x);
    const y = torch.batchNorm(cl, null, null, { training: true });
    expect(y.stride()).toEqual(cl.stride());
    expectClose(y, torch.batchNorm(x, null, null, { training: true }));
  });

  it("raises before touching the running stats", () => {
    const rm = torch.zeros([2]);
    expect(() => aten.native_batch_norm!(torch.tensor([[1, 2]], { dtype: "int64" }), null, null, rm, torch.ones([2]), true, 0.1, 1e-5)).toThrow(
      "mixed dtype (CPU): all inputs must share same datatype.",
    );
    expect(() => aten.native_batch_norm!(data([2, 2], "float64"), null, null, rm, torch.ones([2], { dtype: "float64" }), true, 0.1, 1e-5)).toThrow(
      "mixed dtype (CPU): expect parameter to have scalar type of Float",
    );
    expect(flat(rm)).toEqual([0, 0]);
    expect(() => torch.batchNorm(data([2, 2]), null, torch.ones([2]))).toThrow("running_mean must be defined in evaluation mode");
  });
});

describe("dropout", () => {
  it("returns the input itself when not training or when p is 0", () => {
    const x = data([3]);
    expect(torch.dropout(x, 0.5, false)).toBe(x);
    expect(torch.dropout(x, 0, true)).toBe(x);
  });

  it("p = 1 gives zeros of the input's dtype", () => {
    const y = torch.dropout(torch.tensor([1, 2], { dtype: "int64" }), 1, true);
    expect(y.dtype).toBe("int64");
    expect(flat(y)).toEqual([0, 0]);
  });

  it("training zeroes each element or scales it by 1 / (1 - p)", () => {
    const x = data([200]);
    const y = torch.dropout(x, 0.5, true);
    const [xs, ys] = [flat(x), flat(y)];
    ys.forEach((v, i) => expect(v === 0 || Math.abs(v - 2 * xs[i]!) < 1e-5).toBe(true));
    expect(ys.some((v) => v === 0)).toBe(true);
  });

  it("native_dropout returns the scaled output and a bool keep-mask, laid out like the input (also on meta)", () => {
    const x = data([4, 5]).t();
    const [out, mask] = aten.native_dropout!(x, 0.25, true) as Tensor[];
    expect(mask!.dtype).toBe("bool");
    const [xs, os, ms] = [flat(x), flat(out!), flat(mask!)];
    os.forEach((v, i) => expect(v).toBeCloseTo(ms[i]! ? xs[i]! / 0.75 : 0, 5));
    const [mo, mm] = aten.native_dropout!(x.to("meta"), 0.25, true) as Tensor[];
    expect([mo!.stride(), mm!.stride()]).toEqual([out!.stride(), mask!.stride()]);
  });
});

describe("embedding", () => {
  it("picks rows of the weight, shaped indices.shape + [D], also from a non-contiguous weight", () => {
    const w = data([3, 5]).t(); // [5, 3]
    const e = torch.embedding(w, torch.tensor([[4, 0], [1, 1]], { dtype: "int64" }));
    expect(e.shape).toEqual([2, 2, 3]);
    expectClose(e.select(0, 0).select(0, 0), w.select(0, 4));
    expectClose(e.select(0, 1).select(0, 1), w.select(0, 1));
  });
});

describe("convolution", () => {
  const x = data([2, 4, 5, 6]);
  const w = data([6, 2, 3, 3], "float32", 1);

  it("gives the same values for channels-last and transposed-stride inputs, keeping channels-last", () => {
    const ref = torch.conv2d(x, w, null, { groups: 2, padding: 1 });
    const cl = torch.conv2d(channelsLast(x), w, null, { groups: 2, padding: 1 });
    expect(cl.stride()).toEqual([180, 1, 36, 6]);
    expectClose(cl, ref);
    const xt = x.transpose(2, 3).contiguous().transpose(2, 3);
    expectClose(torch.conv2d(xt, w, null, { groups: 2, padding: 1 }), ref);
  });

  it("padding 'same' keeps the spatial size; an even kernel pads the right side first and warns once", () => {
    const w3 = data([3, 4, 3, 3], "float32", 2);
    expectClose(torch.conv2d(x, w3, null, { padding: "same" }), torch.conv2d(x, w3, null, { padding: 1 }));
    const w2 = data([3, 4, 2, 2], "float32", 3);
    const { result, warnings } = torch.catchWarnings(() => [
      torch.conv2d(x, w2, null, { padding: "same" }),
      torch.conv2d(x, w2, null, { padding: "same" }),
    ]);
    expect(result[0]!.shape).toEqual([2, 3, 5, 6]);
    expectClose(result[0]!, torch.conv2d(torch.constantPadNd(x, [0, 1, 0, 1]), w2));
    expect(warnings.length).toBeLessThanOrEqual(1);
  });

  it("squeezes the batch dim of unbatched inputs (conv1d, conv2d, conv3d)", () => {
    expect(torch.conv1d(data([4, 7]), data([3, 4, 3])).shape).toEqual([3, 5]);
    expect(torch.conv2d(data([4, 5, 6]), data([3, 4, 3, 3])).shape).toEqual([3, 3, 4]);
    expect(torch.conv3d(data([2, 3, 4, 5]), data([1, 2, 2, 2, 2]), null, { padding: "same" }).shape).toEqual([1, 3, 4, 5]);
  });

  it("transposed convolution is the adjoint of convolution: <conv(x, w), y> = <x, convT(y, w)>", () => {
    const xi = data([1, 2, 7, 6]);
    const wk = data([3, 2, 3, 2], "float32", 4);
    const geo = [[2, 1], [1, 0], [1, 2]] as const;
    const y = aten.convolution!(xi, wk, null, geo[0], geo[1], geo[2], false, [0, 0], 1) as Tensor;
    const g = data(y.shape.slice(), "float32", 5);
    const xt = aten.convolution!(g, wk, null, geo[0], geo[1], geo[2], true, [0, 0], 1) as Tensor;
    expect(xt.shape).toEqual([1, 2, 7, 6]);
    const dot = (a: Tensor, b: Tensor) => flat(a).reduce((s, v, i) => s + v * flat(b)[i]!, 0);
    expect(dot(y, g)).toBeCloseTo(dot(xi, xt), 3);
  });

  it("runs on meta tensors: shape and layout without data", () => {
    const out = torch.conv2d(channelsLast(x).to("meta"), w, null, { stride: 2, groups: 2 });
    expect(out.device).toBe("meta");
    expect(out.shape).toEqual([2, 6, 2, 2]);
    expect(out.stride()).toEqual(torch.conv2d(channelsLast(x), w, null, { stride: 2, groups: 2 }).stride());
  });

  it("an integer convolution casts a float bias to the output dtype first (as PyTorch: 8 + trunc(1.5))", () => {
    const xi = torch.ones([1, 2, 3, 3], { dtype: "int64" });
    const wi = torch.ones([2, 2, 2, 2], { dtype: "int64" });
    const out = aten.convolution!(xi, wi, torch.tensor([1.5, 1.5]), [1], [0], [1], false, [0], 1) as Tensor;
    expect(out.dtype).toBe("int64");
    expect(flat(out)).toEqual(new Array<number>(8).fill(9));
  });

  it("constantPadNd pads with a value and crops with negative pads", () => {
    const t = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(torch.constantPadNd(t, [1, -1], 9).tolist()).toEqual([[9, 1, 2], [9, 4, 5]]);
    expect(torch.constantPadNd(t, [0, 0, 1, 0]).tolist()).toEqual([[0, 0, 0], [1, 2, 3], [4, 5, 6]]);
  });
});

describe("result layouts for channels-last inputs (as observed in PyTorch 2.14)", () => {
  const x = data([2, 4, 5, 6]);
  const cl = channelsLast(x);
  const w = data([6, 4, 3, 3], "float32", 1);
  const strides = (v: unknown): unknown => (Array.isArray(v) ? v.map(strides) : (v as Tensor).stride());
  const cases: Array<[string, () => unknown, unknown]> = [
    ["native_batch_norm keeps NHWC", () => aten.native_batch_norm!(cl, null, null, null, null, true, 0.1, 1e-5), [[120, 1, 24, 4], [1], [1]]],
    ["native_layer_norm is contiguous", () => aten.native_layer_norm!(cl, [6], null, null, 1e-5), [[120, 30, 6, 1], [20, 5, 1, 1], [20, 5, 1, 1]]],
    ["convolution of an NHWC input is NHWC", () => aten.convolution!(cl, w, null, [1], [0], [1], false, [0], 1), [72, 1, 24, 6]],
    ["convolution by an NHWC weight is NHWC", () => aten.convolution!(x, channelsLast(w), null, [1], [0], [1], false, [0], 1), [72, 1, 24, 6]],
    ["dilated float64 convolution is NHWC", () => aten.convolution!(cl.to("float64"), w.to("float64"), null, [1], [0], [2], false, [0], 1), [12, 1, 12, 6]],
    ["transposed convolution is NHWC", () => aten.convolution!(cl, data([4, 2, 3, 3]), null, [1], [0], [1], true, [0], 1), [112, 1, 16, 2]],
    ["constant_pad_nd keeps NHWC", () => aten.constant_pad_nd!(cl, [1, 1]), [160, 1, 32, 4]],
    ["_softmax is contiguous", () => aten._softmax!(cl, 1, false), [120, 30, 6, 1]],
    ["mse_loss (none) keeps NHWC", () => aten.mse_loss!(cl, cl, 0), [120, 1, 24, 4]],
  ];
  for (const [title, run, want] of cases) {
    it(title, () => {
      expect(strides(run())).toEqual(want);
    });
  }
});

describe("losses", () => {
  it("cross_entropy_loss over non-contiguous logits equals the contiguous result", () => {
    const logits = data([3, 4]).t();
    const target = torch.tensor([0, 2, 1, 2], { dtype: "int64" });
    expectClose(aten.cross_entropy_loss!(logits, target) as Tensor, aten.cross_entropy_loss!(logits.contiguous(), target) as Tensor);
  });

  it("mse_loss without reduction lays out its result like the input (TensorIterator order)", () => {
    const a = data([2, 3, 4]).transpose(0, 2);
    const out = aten.mse_loss!(a, a.contiguous().add(1), 0) as Tensor;
    expect(out.stride()).toEqual([1, 4, 12]);
    expect(flat(out).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
  });

  it("nll_loss checks every target before writing: an out-of-range one raises IndexError", () => {
    const lp = data([2, 3]);
    expect(() => aten.nll_loss!(lp, torch.tensor([0, 3], { dtype: "int64" }))).toThrow(torch.IndexError);
    expect(() => aten.nll_loss!(lp, torch.tensor([0, 3], { dtype: "int64" }), null, 1, 3)).not.toThrow();
  });
});
