// Behaviour of the linalg kernels and BLAS-like ops beyond the PyTorch fixtures: the blocked fast
// path agrees with the strided reference loop for any layout and dtype, ops accept non-contiguous
// inputs (strides, offsets, broadcast addends), meta gives CPU's layout, and the user surface works.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { type GemmArgs, type MatView, gemm, gemmBlocked, gemmReference } from "../../src/backends/cpu/linalg-gemm.js";
import { allocArray, type DType } from "../../src/tensor/dtype.js";
import { Tensor, makeView } from "../../src/tensor/tensor.js";

/** Deterministic pseudo-random values (small integers for integer dtypes). */
function fill(dtype: DType, n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const u = s / 2147483648;
    out[i] = dtype === "float32" || dtype === "float64" ? u * 2 - 1 : Math.floor(u * 9) - 4;
  }
  return out;
}

function tensorOf(shape: number[], dtype: DType, seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocArray(dtype, n);
  fill(dtype, n, seed).forEach((v, i) => (data[i] = v));
  return Tensor.fromArray(data, shape, dtype);
}

/** The transpose of a 2-D tensor as a strided view (no copy). */
function tr(t: Tensor): Tensor {
  return makeView(t, [t.shape[1]!, t.shape[0]!], [t.stride(1), t.stride(0)], t.storageOffset());
}

/** Every other column of a [m, 2n] tensor: a [m, n] view with column stride 2 and an offset. */
function strided(t: Tensor): Tensor {
  return makeView(t, [t.shape[0]!, t.shape[1]! / 2], [t.stride(0), 2], 1);
}

function values(t: Tensor): number[] {
  return (t.tolist() as unknown[]).flat(3).map(Number);
}

function expectClose(got: number[], want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i]! - want[i]!) > tol * (1 + Math.abs(want[i]!))) expect(got[i], `element ${i}`).toBe(want[i]);
  }
}

describe("gemm kernels", () => {
  const layouts: Array<[string, (m: number, k: number, data: Float64Array) => MatView]> = [
    ["row-major", (m, k, d) => ({ data: d, offset: 0, rs: k, cs: 1 })],
    ["column-major", (m, k, d) => ({ data: d, offset: 0, rs: 1, cs: m })],
    ["strided with offset", (m, k, d) => ({ data: d, offset: 3, rs: 2 * k + 1, cs: 2 })],
    ["broadcast rows", (m, k, d) => ({ data: d, offset: 0, rs: 0, cs: 1 })],
  ];
  const sizes: Array<[number, number, number]> = [[37, 29, 41], [64, 64, 64], [5, 300, 9], [4, 4, 256], [70, 3, 70]];

  for (const [name, make] of layouts) {
    it(`the blocked path equals the strided reference for ${name} operands`, () => {
      for (const [m, n, k] of sizes) {
        const a = make(m, k, fill("float64", 4 * m * k + 8, m));
        const b = make(k, n, fill("float64", 4 * k * n + 8, n));
        const self: MatView = { data: fill("float64", n, 7), offset: 0, rs: 0, cs: 1 };
        const run = (kernel: (g: GemmArgs) => void) => {
          const out = new Float64Array(m * n);
          kernel({ m, n, k, a, b, out: { data: out, offset: 0, rs: n, cs: 1 }, self, alpha: 1.5, beta: -0.5 });
          return Array.from(out);
        };
        expectClose(run(gemmBlocked), run(gemmReference), 1e-12);
      }
    });
  }

  it("given integer dtypes, then both paths agree exactly and stores wrap like C integers", () => {
    for (const dtype of ["int64", "int32", "uint8", "int8", "int16"] as DType[]) {
      const [m, n, k] = [33, 18, 50];
      const a: MatView = { data: Float64Array.from(fill(dtype, m * k, 1)), offset: 0, rs: k, cs: 1 };
      const b: MatView = { data: Float64Array.from(fill(dtype, k * n, 2)), offset: 0, rs: 1, cs: k };
      const run = (kernel: (g: GemmArgs) => void) => {
        const out = allocArray(dtype, m * n);
        kernel({ m, n, k, a, b, out: { data: out, offset: 0, rs: n, cs: 1 }, self: null, alpha: 2, beta: 0 });
        return Array.from(out);
      };
      expect(run(gemmBlocked)).toEqual(run(gemmReference));
    }
  });

  it("given beta = 0, then the addend is ignored, NaNs included", () => {
    const out = new Float64Array(16);
    const nan: MatView = { data: Float64Array.of(NaN), offset: 0, rs: 0, cs: 0 };
    const one: MatView = { data: Float64Array.of(1), offset: 0, rs: 0, cs: 0 };
    for (const kernel of [gemmBlocked, gemmReference]) {
      kernel({ m: 4, n: 4, k: 3, a: one, b: one, out: { data: out, offset: 0, rs: 4, cs: 1 }, self: nan, alpha: 1, beta: 0 });
      expect(Array.from(out)).toEqual(new Array(16).fill(3));
    }
  });

  it("given a float32 output, then the result is rounded once to single precision", () => {
    const out = new Float32Array(1);
    const third: MatView = { data: Float64Array.of(1 / 3), offset: 0, rs: 0, cs: 0 };
    gemm({ m: 1, n: 1, k: 3, a: third, b: { data: Float64Array.of(1), offset: 0, rs: 0, cs: 0 }, out: { data: out, offset: 0, rs: 0, cs: 0 }, self: null, alpha: 1, beta: 0 });
    expect(out[0]).toBe(Math.fround(1));
  });
});

describe("mm / addmm on CPU and meta", () => {
  it("given transposed and strided inputs, then mm equals mm of contiguous copies", () => {
    const sa = strided(tensorOf([20, 24], "float32", 1)); // [20, 12], column stride 2, offset 1
    const tb = tr(tensorOf([16, 12], "float32", 2)); // [12, 16], column-major
    const copy = (t: Tensor) => torch.tensor(t.tolist() as number[][]);
    const got = torch.mm(sa, tb);
    expect(got.shape).toEqual([20, 16]);
    expectClose(values(got), values(torch.mm(copy(sa), copy(tb))), 1e-6);
  });

  it("given a large product, then the blocked path gives the reference's values and a contiguous result", () => {
    const a = tensorOf([70, 50], "float64", 3);
    const b = tensorOf([50, 60], "float64", 4);
    const out = torch.mm(a, b);
    const ref = new Float64Array(70 * 60);
    gemmReference({ m: 70, n: 60, k: 50, a: { data: a.data(), offset: 0, rs: 50, cs: 1 }, b: { data: b.data(), offset: 0, rs: 60, cs: 1 }, out: { data: ref, offset: 0, rs: 60, cs: 1 }, self: null, alpha: 1, beta: 0 });
    expectClose(values(out), Array.from(ref), 1e-12);
    expect(out.stride()).toEqual([60, 1]);
  });

  it("given a broadcast row bias and scalars, then addmm computes beta*bias + alpha*(m1 @ m2)", () => {
    const bias = torch.tensor([1, 2, 3]);
    const m1 = torch.tensor([[1, 0], [0, 1]]);
    const m2 = torch.tensor([[1, 1, 1], [2, 2, 2]]);
    expect(torch.addmm(bias, m1, m2, { beta: 2, alpha: 10 }).tolist()).toEqual([[12, 14, 16], [22, 24, 26]]);
    expect(bias.addmm(m1, m2).tolist()).toEqual([[2, 3, 4], [3, 4, 5]]);
  });

  it("given meta inputs, then mm, addmm, bmm, baddbmm, dot and mv give CPU's shape, dtype and strides", () => {
    const m = (shape: number[], dtype: DType = "float32") => torch.zeros(shape, { dtype, device: "meta" });
    const c = (shape: number[], dtype: DType = "float32") => torch.zeros(shape, { dtype });
    const pairs: Array<[Tensor, Tensor]> = [
      [torch.mm(m([2, 3]), m([3, 4])), torch.mm(c([2, 3]), c([3, 4]))],
      [torch.addmm(m([4]), m([2, 3]), m([3, 4])), torch.addmm(c([4]), c([2, 3]), c([3, 4]))],
      [torch.bmm(m([2, 2, 3], "int64"), m([2, 3, 5], "int64")), torch.bmm(c([2, 2, 3], "int64"), c([2, 3, 5], "int64"))],
      [torch.baddbmm(m([5]), m([2, 2, 3]), m([2, 3, 5])), torch.baddbmm(c([5]), c([2, 2, 3]), c([2, 3, 5]))],
      [torch.dot(m([3]), m([3])), torch.dot(c([3]), c([3]))],
      [torch.mv(m([2, 3], "float64"), m([3], "float64")), torch.mv(c([2, 3], "float64"), c([3], "float64"))],
    ];
    for (const [meta, cpu] of pairs) {
      expect(meta.device).toBe("meta");
      expect([meta.shape, meta.dtype, meta.stride()]).toEqual([cpu.shape, cpu.dtype, cpu.stride()]);
    }
  });

  it("given bad shapes on meta, then the shape rule raises PyTorch's error there too", () => {
    const m = (shape: number[]) => torch.zeros(shape, { device: "meta" });
    expect(() => torch.mm(m([2, 3]), m([4, 5]))).toThrow("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
    expect(() => torch.bmm(m([2, 2, 3]), m([3, 3, 4]))).toThrow("Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [3, 3].");
    expect(() => torch.dot(m([3]), m([4]))).toThrow("inconsistent tensor size, expected tensor [3] and src [4]");
  });

  it("given a CPU tensor and a meta tensor, then the device check refuses the mix", () => {
    expect(() => torch.mm(torch.zeros([2, 2]), torch.zeros([2, 2], { device: "meta" }))).toThrow(/same device/);
  });
});

describe("bmm / baddbmm / dot / mv", () => {
  it("given batch-strided operands, then bmm multiplies each batch", () => {
    const a = tensorOf([3, 4, 5], "float64", 5);
    const b = tensorOf([3, 6, 5], "float64", 6);
    const bT = makeView(b, [3, 5, 6], [30, 1, 5], 0); // each batch transposed
    const out = torch.bmm(a, bT);
    for (let i = 0; i < 3; i++) {
      const ai = makeView(a, [4, 5], [5, 1], i * 20);
      const bi = makeView(b, [5, 6], [1, 5], i * 30);
      expectClose(values(out).slice(i * 24, i * 24 + 24), values(torch.mm(ai, bi)), 1e-12);
    }
  });

  it("given a large batched product, then the per-batch addmm path matches the small kernel's math", () => {
    const a = tensorOf([2, 20, 30], "float64", 8);
    const b = tensorOf([2, 30, 40], "float64", 9);
    const bias = tensorOf([40], "float64", 10);
    const got = torch.baddbmm(bias, a, b, { beta: 0.5, alpha: 2 });
    const mm0 = torch.addmm(bias, makeView(a, [20, 30], [30, 1], 0), makeView(b, [30, 40], [40, 1], 0), { beta: 0.5, alpha: 2 });
    expectClose(values(got).slice(0, 800), values(mm0), 1e-12);
  });

  it("given strided vectors, then dot and mv read them through their strides", () => {
    const v = tensorOf([6], "float32", 11);
    const every2 = makeView(v, [3], [2], 1);
    const w = torch.tensor([1, 10, 100]);
    const want = v.data()[1]! + 10 * v.data()[3]! + 100 * v.data()[5]!;
    expect(torch.dot(every2, w).item()).toBeCloseTo(want, 4);
    const mat = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(tr(tr(mat)).mv(every2).tolist()).toEqual(torch.mv(mat, torch.tensor([...(every2.tolist() as number[])])).tolist());
  });

  it("given uint8 inputs, then the products wrap modulo 256 as in C", () => {
    const a = torch.full([1, 3], 100, { dtype: "uint8" });
    expect(torch.mm(a, torch.ones([3, 1], { dtype: "uint8" })).tolist()).toEqual([[44]]);
    expect(torch.dot(torch.full([3], 100, { dtype: "uint8" }), torch.ones([3], { dtype: "uint8" })).item()).toBe(44);
  });

  it("given an empty contraction, then the result is beta*self (zeros for bmm)", () => {
    expect(torch.baddbmm(torch.ones([2]), torch.zeros([1, 2, 0]), torch.zeros([1, 0, 2]), { beta: 3 }).tolist()).toEqual([[[3, 3], [3, 3]]]);
    expect(torch.bmm(torch.zeros([1, 2, 0]), torch.zeros([1, 0, 2])).tolist()).toEqual([[[0, 0], [0, 0]]]);
    expect(torch.mv(torch.zeros([2, 0]), torch.zeros([0])).tolist()).toEqual([0, 0]);
  });

  it("given a 0-dim input, then mv raises IndexError before anything else", () => {
    expect(() => torch.mv(torch.tensor(1), torch.zeros([3]))).toThrow(expect.objectContaining({ name: "IndexError", message: "Dimension specified as 0 but tensor has no dimensions" }));
  });
});

describe("user surface", () => {
  it("given tensors, then the methods and top-level functions call the operators", () => {
    const a = torch.tensor([[1, 2], [3, 4]]);
    const v = torch.tensor([1, 1]);
    expect(a.mm(a).tolist()).toEqual([[7, 10], [15, 22]]);
    expect(a.mv(v).tolist()).toEqual([3, 7]);
    expect(v.dot(v).item()).toBe(2);
    expect(torch.bmm(torch.ones([2, 1, 3]), torch.ones([2, 3, 1])).tolist()).toEqual([[[3]], [[3]]]);
    expect(torch.ones([1, 1, 1]).baddbmm(torch.ones([1, 1, 2]), torch.ones([1, 2, 1]), { alpha: 2 }).tolist()).toEqual([[[5]]]);
    expect(torch.ops.aten.linear).toBeDefined();
  });
});
