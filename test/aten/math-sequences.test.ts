// The pointwise math operators make the dispatched calls PyTorch 2.14 makes: a logging
// TorchDispatchMode sees the sequence recorded from real PyTorch (test/fixtures/ops/
// math-sequences.json, made by scripts/fixtures/ops_math.py): square, true_divide, float_power,
// isfinite and isclose decompose; every other overload is seen as itself. Also checks which
// overload the Tensor methods and torch.* functions pick (recorded from PyTorch's Python bindings).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { opsSeen } from "./op-log.js";
import { type FixtureCase, callCase } from "../opinfo/fixture-codec.js";

type SeqCase = FixtureCase & { sequence: string[] };
const seqCases = JSON.parse(readFileSync(new URL("../fixtures/ops/math-sequences.json", import.meta.url), "utf8")) as SeqCase[];



describe("pointwise math ops dispatch the calls PyTorch 2.14 dispatches", () => {
  seqCases.forEach((c, i) => {
    it(`given a logging mode, when ${c.op} #${i} runs, then the mode sees ${c.sequence.join(", ")}`, () => {
      expect(opsSeen(() => callCase(c), true)).toEqual(c.sequence);
    });
  });
});

describe("math methods and functions pick PyTorch's overloads", () => {
  const x = torch.tensor([1.5, -2, 3]);
  const d = x.to("float64");
  const i = torch.tensor([1, 2, 3], { dtype: "int64" });
  const cases: Array<[string, () => unknown, string[]]> = [
    ["x.trueDivide(2)", () => x.trueDivide(2), ["aten::div.Tensor"]],
    ["x.trueDivide(x)", () => x.trueDivide(x), ["aten::div.Tensor"]],
    ["x.trueDivide_(2)", () => x.clone().trueDivide_(2), ["aten::clone", "aten::div_.Tensor"]],
    ["x.fmod(2)", () => x.fmod(2), ["aten::fmod.Scalar"]],
    ["x.fmod(x)", () => x.fmod(x), ["aten::fmod.Tensor"]],
    ["x.fmod_(2)", () => x.clone().fmod_(2), ["aten::clone", "aten::fmod_.Scalar"]],
    ["torch.xlogy(2, x)", () => torch.xlogy(2, x), ["aten::xlogy.Scalar_Self"]],
    ["x.xlogy(2)", () => x.xlogy(2), ["aten::xlogy.Scalar_Other"]],
    ["x.xlogy(x)", () => x.xlogy(x), ["aten::xlogy.Tensor"]],
    ["x.xlogy_(2)", () => x.clone().xlogy_(2), ["aten::clone", "aten::xlogy_.Scalar_Other"]],
    ["x.floatPower(2)", () => x.floatPower(2), ["aten::_to_copy", "aten::pow.Tensor_Scalar"]],
    ["torch.floatPower(2, x)", () => torch.floatPower(2, x), ["aten::_to_copy", "aten::pow.Scalar"]],
    ["d.floatPower_(2)", () => d.clone().floatPower_(2), ["aten::clone", "aten::pow_.Scalar"]],
    ["i.bitwiseAnd(2)", () => i.bitwiseAnd(2), ["aten::bitwise_and.Scalar"]],
    ["torch.bitwiseAnd(2, i)", () => torch.bitwiseAnd(2, i), ["aten::bitwise_and.Scalar_Tensor"]],
    ["i.bitwiseAnd(i)", () => i.bitwiseAnd(i), ["aten::bitwise_and.Tensor"]],
    ["i.bitwiseOr(2)", () => i.bitwiseOr(2), ["aten::bitwise_or.Scalar"]],
    ["i.bitwiseXor(i)", () => i.bitwiseXor(i), ["aten::bitwise_xor.Tensor"]],
    ["i.bitwiseOr_(2)", () => i.clone().bitwiseOr_(2), ["aten::clone", "aten::bitwise_or_.Scalar"]],
    ["x.atan2(x)", () => x.atan2(x), ["aten::atan2"]],
    ["x.allclose(x)", () => x.allclose(x), ["aten::allclose"]],
    ["x.equal(x)", () => x.equal(x), ["aten::equal"]],
    ["x.nanToNum()", () => x.nanToNum(), ["aten::nan_to_num"]],
    ["x.square()", () => x.square(), ["aten::pow.Tensor_Scalar"]],
    ["x.isfinite()", () => x.isfinite(), ["aten::abs", "aten::ne.Scalar", "aten::eq.Tensor", "aten::mul.Tensor"]],
    ["torch.logicalXor(x, x)", () => torch.logicalXor(x, x), ["aten::logical_xor"]],
    ["x.fmax(x)", () => x.fmax(x), ["aten::fmax"]],
    ["x.frac()", () => x.frac(), ["aten::frac"]],
    ["x.hypot(x)", () => x.hypot(x), ["aten::hypot"]],
    ["x.erfinv()", () => x.erfinv(), ["aten::erfinv"]],
    ["x.lgamma()", () => x.lgamma(), ["aten::lgamma"]],
    ["x.digamma()", () => x.digamma(), ["aten::digamma"]],
  ];
  for (const [name, fn, want] of cases) {
    it(`given a logging mode, when ${name} runs, then the mode sees ${want.join(", ")}`, () => {
      expect(opsSeen(fn, true)).toEqual(want);
    });
  }
  it("given meta tensors, when equal/allclose run, then they raise PyTorch 2.14's errors", () => {
    const m = torch.empty([3], { device: "meta" });
    expect(() => torch.equal(m, m)).toThrow(/^aten::equal: attempted to run this operator with Meta tensors, but there was no fake impl or Meta kernel registered/);
    expect(() => torch.allclose(m, m)).toThrow("Tensor.item() cannot be called on meta tensors");
  });
  it("given tensors, when allclose/equal/isclose run, then they answer as PyTorch", () => {
    expect(torch.allclose(x, x.add(1e-7))).toBe(true);
    expect(torch.allclose(x, x.add(1))).toBe(false);
    expect(torch.equal(i, i.clone())).toBe(true);
    expect(torch.equal(i, torch.tensor([1, 2]))).toBe(false);
    expect([...torch.isclose(x, x.add(1e-3), { atol: 1e-2 }).tolist() as boolean[]]).toEqual([true, true, true]);
  });
});
