// Behaviour of the pointwise family that fixtures cannot express: in-place semantics (self
// returned, version bumped, views written through, nothing written before an error), memory
// overlap errors, warnings, devices, registrations, the fast paths agreeing with the generic
// loops, and the top-level functions.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { catchWarnings } from "../../src/index.js";
import { erf } from "../../src/backends/cpu/pointwise-math.js";
import { outputStrides } from "../../src/aten/pointwise-iter.js";

const t = torch.tensor;

describe("in-place pointwise ops", () => {
  it("given x, when x.add_(1) runs, then it returns x itself and bumps its version", () => {
    const x = t([1, 2, 3]);
    const v = x.version;
    expect(x.add_(1)).toBe(x);
    expect(x.version).toBe(v + 1);
    expect(x.tolist()).toEqual([2, 3, 4]);
  });

  it("given a transposed view, when it is multiplied in place, then the base sees the result", () => {
    const x = t([[1, 2], [3, 4]]);
    x.t().mul_(t([10, 100]));
    expect(x.tolist()).toEqual([[10, 20], [300, 400]]);
  });

  it("given an int tensor and a zero divisor, when floor_divide_ raises ZeroDivisionError, then no element was written", () => {
    const x = t([7, 8, 9], { dtype: "int64" });
    expect(() => x.floorDivide_(t([1, 0, 1], { dtype: "int64" }))).toThrow("ZeroDivisionError");
    expect(x.tolist()).toEqual([7, 8, 9]);
  });

  it("given an int8 tensor, when masked_fill_ gets a value that overflows int8, then it raises and leaves the tensor alone", () => {
    const x = t([1, 2], { dtype: "int8" });
    expect(() => x.maskedFill_(t([true, false]), 1000)).toThrow("value cannot be converted to type int8_t without overflow");
    expect(x.tolist()).toEqual([1, 2]);
  });

  it("given an int tensor, when it is divided in place, then the float result cannot be cast back", () => {
    const x = t([1, 2], { dtype: "int64" });
    expect(() => x.div_(2)).toThrow("result type Float can't be cast to the desired output type Long");
  });

  it("given x and its transpose, when x.add_(x.t()) runs, then it refuses the partial overlap", () => {
    const x = t([[1, 2], [3, 4]]);
    expect(() => x.add_(x.t())).toThrow("some elements of the input tensor and the written-to tensor refer to a single memory location");
  });

  it("given an expanded tensor, when it is written in place, then it refuses the internal overlap", () => {
    const x = t([1]).expand([3]);
    expect(() => x.add_(1)).toThrow("more than one element of the written-to tensor refers to a single memory location");
  });

  it("given x, when x.add_(x) runs, then the full overlap is allowed", () => {
    const x = t([1, 2]);
    expect(x.add_(x).tolist()).toEqual([2, 4]);
  });

  it("given an expanded tensor, when masked_fill_ writes it, then PyTorch's deprecation warning is emitted", () => {
    const x = t([[1, 2, 3]]).expand([2, 3]);
    const { warnings } = catchWarnings(() => x.maskedFill_(t([false, false, false]), 0));
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining("Use of masked_fill_ on expanded tensors is deprecated")]);
  });
});

describe("promotion and values", () => {
  it("given an int64 tensor, when a fractional number is added, then the result is float32", () => {
    const r = t([1, 2], { dtype: "int64" }).add(2.5);
    expect([r.dtype, r.tolist()]).toEqual(["float32", [3.5, 4.5]]);
  });

  it("given a float32 tensor and a float64 0-dim tensor, when multiplied, then the result stays float32", () => {
    expect(t([1, 2]).mul(t(0.1, { dtype: "float64" })).dtype).toBe("float32");
  });

  it("given int64 values whose product overflows, when multiplied, then they wrap like C++ int64", () => {
    const big = 2 ** 62;
    expect(t([big, 3], { dtype: "int64" }).mul(t([4, 5], { dtype: "int64" })).tolist()).toEqual([0, 15]);
  });

  it("given an int32 tensor, when raised to a negative int Scalar, then it raises PyTorch's error", () => {
    expect(() => t([2], { dtype: "int32" }).pow(-1)).toThrow("Integers to negative integer powers are not allowed.");
  });

  it("given erf, when evaluated at reference points, then it is accurate to about 1e-15", () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(-2.5)).toBeCloseTo(-0.999593047982555, 14);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 15);
    expect(erf(0)).toBe(0);
  });
});

describe("fast paths agree with the strided loops", () => {
  const values = Array.from({ length: 24 }, (_, k) => Math.sin(k * 1.7) * 10);
  const base = t(values).reshape([4, 6]);
  const other = t(values.map((v) => v / 3 + 1)).reshape([4, 6]);
  for (const op of ["add", "sub", "mul", "div"] as const) {
    it(`given contiguous and transposed operands, when ${op} runs on both, then the values are identical`, () => {
      const fast = base[op](other).tolist();
      const slow = base.t().contiguous().t()[op](other.t().contiguous().t()).tolist();
      expect(slow).toEqual(fast);
      const scalarFast = base[op](1.3).tolist();
      const scalarSlow = base.t()[op](1.3).t().tolist();
      expect(scalarSlow).toEqual(scalarFast);
    });
  }

  it("given a broadcast over three dims, when added, then every element matches a naive reference", () => {
    const a = t(values).reshape([2, 3, 4]).permute([2, 0, 1]);
    const b = t([1, 2, 3]).reshape([1, 1, 3]);
    const r = a.add(b).tolist() as number[][][];
    const av = a.tolist() as number[][][];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 3; k++) expect(r[i]![j]![k]).toBe(Math.fround(av[i]![j]![k]! + k + 1));
  });
});

describe("layouts and devices", () => {
  it("given a permuted input broadcast with a column, when the output layout is planned, then dims follow the input's strides", () => {
    const a = torch.ones([3, 1, 2]).permute([2, 1, 0]);
    expect(outputStrides([2, 4, 3], [a, torch.ones([4, 1])])).toEqual([1, 2, 8]);
  });

  it("given meta tensors, when a binary op runs, then the result is a meta tensor with CPU's layout", () => {
    const a = torch.ones([3, 2]).t();
    const m = a.to("meta").add(torch.ones([3]).to("meta"));
    expect([m.device, m.shape, m.stride()]).toEqual(["meta", [2, 3], a.add(torch.ones([3])).stride()]);
  });

  it("given a meta tensor and a CPU 0-dim tensor, when added, then the 0-dim CPU tensor is allowed", () => {
    expect(torch.ones([2]).to("meta").add(t(1.5)).device).toBe("meta");
  });

  it("given a meta tensor and a CPU tensor with dims, when added, then it raises PyTorch's device error", () => {
    expect(() => torch.ones([2]).to("meta").add(torch.ones([2]))).toThrow("Tensor on device cpu is not on the expected device meta!");
  });

  it("given the registrations, then structured overloads have CPU and Meta kernels and Scalar wrappers are CompositeExplicitAutograd", () => {
    const table = (name: string) => torch.dispatcher.dumpTable(name);
    expect(table("aten::add.Tensor")).toMatch(/^CPU: .* \[kernel\]$/m);
    expect(table("aten::add.Tensor")).toMatch(/^Meta: .* \[kernel\]$/m);
    expect(table("aten::add.Scalar")).toMatch(/^CPU: .* \[default backend kernel\]$/m);
    expect(table("aten::where.ScalarOther")).toMatch(/^CPU: .* \[math kernel\]$/m);
  });
});

describe("uint8 conditions in where", () => {
  it("given a uint8 condition, when where runs, then it works like bool (with PyTorch's deprecation warning at most once)", () => {
    const { result, warnings } = catchWarnings(() => [0, 1].map(() => torch.where(t([1, 0], { dtype: "uint8" }), t([1, 2]), t([3, 4]))));
    expect(result[0]!.tolist()).toEqual([1, 4]);
    expect(warnings.length).toBeLessThanOrEqual(1);
  });
});

describe("top-level functions", () => {
  const x = t([-1.5, 0, 2.5]);
  it("given tensors and scalars, when the torch.* functions run, then they compute like PyTorch", () => {
    expect(torch.add(x, 1, { alpha: 2 }).tolist()).toEqual([0.5, 2, 4.5]);
    expect(torch.sub(x, x).tolist()).toEqual([0, 0, 0]);
    expect(torch.rsub(x, 1).tolist()).toEqual([2.5, 1, -1.5]);
    expect(torch.div(t([7, -7], { dtype: "int64" }), 2, { roundingMode: "floor" }).tolist()).toEqual([3, -4]);
    expect(torch.remainder(t([-7], { dtype: "int64" }), 3).tolist()).toEqual([2]);
    expect(torch.floorDivide(t([-7], { dtype: "int64" }), 2).tolist()).toEqual([-4]);
    expect(torch.pow(2, t([3], { dtype: "int64" })).tolist()).toEqual([8]);
    expect(torch.clamp(x, 0, 1).tolist()).toEqual([0, 0, 1]);
    expect(torch.clampMin(x, 0).tolist()).toEqual([0, 0, 2.5]);
    expect(torch.clampMax(x, 0).tolist()).toEqual([-1.5, 0, 0]);
    expect(torch.where(x.gt(0), x, 0).tolist()).toEqual([0, 0, 2.5]);
    expect(torch.where(x.gt(0), 1, 0).tolist()).toEqual([0, 0, 1]);
    expect(torch.maskedFill(x, x.lt(0), 9).tolist()).toEqual([9, 0, 2.5]);
    expect(torch.lerp(x, t([0.5, 0, 2.5]), 0.5).tolist()).toEqual([-0.5, 0, 2.5]);
    expect(torch.maximum(x, t([0, 0, 0])).tolist()).toEqual([0, 0, 2.5]);
    expect(torch.minimum(x, t([0, 0, 0])).tolist()).toEqual([-1.5, 0, 0]);
    expect(torch.relu(x).tolist()).toEqual([0, 0, 2.5]);
    expect(torch.abs(x).tolist()).toEqual([1.5, 0, 2.5]);
    expect(torch.sign(x).tolist()).toEqual([-1, 0, 1]);
    expect(torch.round(t([0.5, 1.5, 2.5])).tolist()).toEqual([0, 2, 2]);
    expect(torch.logicalAnd(t([true, false]), t([true, true])).tolist()).toEqual([true, false]);
    expect(torch.logicalNot(t([true, false])).tolist()).toEqual([false, true]);
    expect(torch.isnan(t([NaN, 1])).tolist()).toEqual([true, false]);
    expect(torch.isinf(t([Infinity, 1])).tolist()).toEqual([true, false]);
    expect(torch.eq(x, 0).tolist()).toEqual([false, true, false]);
    expect(torch.sigmoid(t([0])).tolist()).toEqual([0.5]);
    expect(torch.gelu(t([0])).tolist()).toEqual([0]);
  });
});
