// Tensor repr against real PyTorch 2.x: every case of test/fixtures/printing.json (made by
// scripts/fixtures/printing_fixtures.py) must print identically, plus hand-written behaviour checks.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  defaultPrintOptions,
  formatFixed,
  formatSci,
  formatTensor,
  getPrintOptions,
  setPrintOptions,
  type PrintDtype,
  type PrintOptions,
  type TensorPrintInfo,
} from "../../src/tensor/tensor-printing.js";

interface FixtureCase {
  name: string;
  shape: number[];
  dtype: PrintDtype;
  device: string;
  values: (number | string | boolean)[] | null;
  requiresGrad: boolean;
  gradFn?: string;
  subclass?: string;
  options?: Partial<PrintOptions> & { profile?: "default" | "short" | "full" };
  repr: string;
}

const fixtures = JSON.parse(
  readFileSync(new URL("../fixtures/printing.json", import.meta.url), "utf8"),
) as FixtureCase[];

function decode(v: number | string | boolean): number | bigint | boolean {
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return typeof v === "string" ? BigInt(v) : v;
}

function infoOf(c: FixtureCase): TensorPrintInfo {
  const values = c.values?.map(decode);
  return {
    shape: c.shape,
    dtype: c.dtype,
    device: c.device,
    get: values === undefined ? undefined : (i) => values[i],
    requiresGrad: c.requiresGrad,
    gradFnName: c.gradFn,
    name: c.subclass,
  };
}

const vec = (values: (number | bigint | boolean)[], dtype: PrintDtype = "float32"): TensorPrintInfo => ({
  shape: [values.length],
  dtype,
  device: "cpu",
  get: (i) => values[i],
});

afterEach(() => setPrintOptions({ profile: "default" }));

describe("formatTensor matches PyTorch's repr", () => {
  it("has a broad fixture set", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
  });

  it.each(fixtures.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    if (c.options !== undefined) setPrintOptions(c.options);
    expect(formatTensor(infoOf(c))).toBe(c.repr);
  });
});

describe("formatTensor behaviour", () => {
  it("prints a 2-d float tensor with aligned, indented rows", () => {
    const t: TensorPrintInfo = { shape: [2, 2], dtype: "float32", device: "cpu", get: (i) => i + 1 };
    expect(formatTensor(t)).toBe("tensor([[1., 2.],\n        [3., 4.]])");
  });

  it("rounds float32 elements handed out as doubles before choosing the notation", () => {
    // fround(1e-4) is just below 1e-4, so float32 goes scientific while float64 stays fixed
    expect(formatTensor(vec([1e-4]))).toBe("tensor([1.0000e-04])");
    expect(formatTensor(vec([1e-4], "float64"))).toBe("tensor([0.0001], dtype=torch.float64)");
  });

  it("prints int64 elements given as bigint or as large numbers", () => {
    expect(formatTensor(vec([2n ** 63n - 1n, -1n], "int64"))).toBe(
      "tensor([9223372036854775807,                  -1])",
    );
    expect(formatTensor(vec([2 ** 60, 3], "int64"))).toBe("tensor([1152921504606846976,                   3])");
  });

  it("prints bool elements stored as 0/1 numbers as True/False", () => {
    expect(formatTensor(vec([1, 0], "bool"))).toBe("tensor([ True, False])");
  });

  it("prints any non-cpu device in the suffix", () => {
    const t = { ...vec([1, 2]), device: "cuda:0" };
    expect(formatTensor(t)).toBe("tensor([1., 2.], device='cuda:0')");
  });

  it("prints meta tensors without reading elements", () => {
    const t: TensorPrintInfo = { shape: [2, 3], dtype: "float16", device: "meta", requiresGrad: true };
    // the suffixes wrap at linewidth, indented under the opening parenthesis
    expect(formatTensor(t)).toBe(
      "tensor(..., device='meta', size=(2, 3), dtype=torch.float16,\n       requires_grad=True)",
    );
  });

  it("throws for a non-empty, non-meta tensor without an element reader", () => {
    expect(() => formatTensor({ shape: [2], dtype: "float32", device: "cpu" })).toThrow(/needs `get`/);
  });

  it("prefers grad_fn over requires_grad and treats isLeafRequiringGrad like requiresGrad", () => {
    expect(formatTensor({ ...vec([1]), requiresGrad: true, gradFnName: "AddBackward0" })).toBe(
      "tensor([1.], grad_fn=<AddBackward0>)",
    );
    expect(formatTensor({ ...vec([1]), isLeafRequiringGrad: true })).toBe("tensor([1.], requires_grad=True)");
  });

  it("uses the given name as the prefix and indents by it", () => {
    const t: TensorPrintInfo = { shape: [2, 1], dtype: "int64", device: "cpu", get: (i) => i, name: "Param" };
    expect(formatTensor(t)).toBe("Param([[0],\n       [1]])");
  });

  it("takes explicit options without touching the process-wide ones", () => {
    const opts: PrintOptions = { ...defaultPrintOptions, precision: 1, sciMode: true };
    expect(formatTensor(vec([1.25, 2]), opts)).toBe("tensor([1.2e+00, 2.0e+00])");
    expect(getPrintOptions()).toEqual(defaultPrintOptions);
  });
});

describe("print options", () => {
  it("starts at PyTorch's defaults", () => {
    expect(getPrintOptions()).toEqual({ precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null });
  });

  it("applies a profile first, then the given fields", () => {
    setPrintOptions({ profile: "full", precision: 6 });
    expect(getPrintOptions()).toEqual({ precision: 6, threshold: Infinity, edgeitems: 3, linewidth: 80, sciMode: null });
  });

  it("resets sciMode whenever it is not given, as torch.set_printoptions does", () => {
    setPrintOptions({ sciMode: true });
    expect(getPrintOptions().sciMode).toBe(true);
    setPrintOptions({ linewidth: 120 });
    expect(getPrintOptions()).toMatchObject({ sciMode: null, linewidth: 120 });
  });

  it("hands out a copy", () => {
    getPrintOptions().precision = 9;
    expect(getPrintOptions().precision).toBe(4);
  });
});

describe("Python float formatting", () => {
  it("rounds exact ties half to even, unlike toFixed and toExponential", () => {
    expect(formatFixed(2.5, 0)).toBe("2");
    expect(formatFixed(0.125, 2)).toBe("0.12");
    expect(formatFixed(-0.375, 2)).toBe("-0.38");
    expect(formatSci(1.03125, 4)).toBe("1.0312e+00");
    expect(formatSci(12345.5, 4)).toBe("1.2346e+04");
  });

  it("keeps the sign of negative zero and of negatives that round to zero", () => {
    expect(formatFixed(-0, 4)).toBe("-0.0000");
    expect(formatFixed(-1e-9, 2)).toBe("-0.00");
    expect(formatSci(-0, 2)).toBe("-0.00e+00");
  });

  it("spells non-finite values as Python does", () => {
    expect([formatFixed(NaN, 4), formatFixed(-Infinity, 4), formatSci(Infinity, 4)]).toEqual(["nan", "-inf", "inf"]);
  });

  it("writes huge values in full and exponents with at least two digits", () => {
    expect(formatFixed(1e22, 1)).toBe("10000000000000000000000.0");
    expect(formatSci(5e-324, 4)).toBe("4.9407e-324");
    expect(formatSci(1e5, 0)).toBe("1e+05");
  });
});
