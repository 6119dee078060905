// The pointwise operators make the dispatched calls PyTorch 2.14 makes: a logging
// TorchDispatchMode sees the sequence recorded from real PyTorch (test/fixtures/ops/
// pointwise-sequences.json, made by scripts/fixtures/ops_pointwise.py): where's Scalar overloads
// decompose into scalar_tensor, _to_copy and where.self; every other overload is seen as itself.
// Also checks which overload the Tensor methods and torch.* functions pick.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { opsSeen } from "./op-log.js";
import { type FixtureCase, callCase } from "../opinfo/fixture-codec.js";

type SeqCase = FixtureCase & { sequence: string[] };
const seqCases = JSON.parse(readFileSync(new URL("../fixtures/ops/pointwise-sequences.json", import.meta.url), "utf8")) as SeqCase[];



describe("pointwise ops dispatch the calls PyTorch 2.14 dispatches", () => {
  seqCases.forEach((c, i) => {
    it(`given a logging mode, when ${c.op} #${i} runs, then the mode sees ${c.sequence.join(", ")}`, () => {
      expect(opsSeen(() => callCase(c), true)).toEqual(c.sequence);
    });
  });
});

describe("methods and functions pick PyTorch's overloads", () => {
  const x = torch.tensor([1.5, -2, 3]);
  const i = torch.tensor([1, 2, 3], { dtype: "int64" });
  const c = x.gt(0);
  const cases: Array<[string, () => unknown, string[]]> = [
    ["x.add(y)", () => x.add(x), ["aten::add.Tensor"]],
    ["x.add(2) wraps the number", () => x.add(2), ["aten::add.Tensor"]],
    ["x.add(y, {alpha})", () => x.add(x, { alpha: 2 }), ["aten::add.Tensor"]],
    ["x.sub(2)", () => x.sub(2), ["aten::sub.Tensor"]],
    ["x.mul(2.5)", () => x.mul(2.5), ["aten::mul.Tensor"]],
    ["x.div(2)", () => x.div(2), ["aten::div.Tensor"]],
    ["x.div(2, floor)", () => x.div(2, { roundingMode: "floor" }), ["aten::div.Tensor_mode"]],
    ["x.add_(2)", () => x.clone().add_(2), ["aten::clone", "aten::add_.Tensor"]],
    ["x.eq(2)", () => x.eq(2), ["aten::eq.Scalar"]],
    ["x.lt(y)", () => x.lt(x), ["aten::lt.Tensor"]],
    ["x.ge_(0)", () => x.clone().ge_(0), ["aten::clone", "aten::ge_.Scalar"]],
    ["x.pow(2)", () => x.pow(2), ["aten::pow.Tensor_Scalar"]],
    ["x.pow(y)", () => x.pow(x), ["aten::pow.Tensor_Tensor"]],
    ["torch.pow(2, x)", () => torch.pow(2, x), ["aten::pow.Scalar"]],
    ["x.pow_(2)", () => x.clone().pow_(2), ["aten::clone", "aten::pow_.Scalar"]],
    ["x.remainder(2)", () => x.remainder(2), ["aten::remainder.Scalar"]],
    ["torch.remainder(2, x)", () => torch.remainder(2, x), ["aten::remainder.Scalar_Tensor"]],
    ["x.floorDivide(2)", () => x.floorDivide(2), ["aten::floor_divide"]],
    ["torch.rsub(x, 2)", () => torch.rsub(x, 2), ["aten::rsub.Scalar"]],
    ["torch.rsub(x, y)", () => torch.rsub(x, x), ["aten::rsub.Tensor"]],
    ["x.clamp(0)", () => x.clamp(0), ["aten::clamp"]],
    ["x.clamp(null, 1)", () => x.clamp(null, 1), ["aten::clamp"]],
    ["x.clamp(t)", () => x.clamp(x), ["aten::clamp.Tensor"]],
    ["x.clampMin(0)", () => x.clampMin(0), ["aten::clamp_min"]],
    ["x.clampMax(t)", () => x.clampMax(x), ["aten::clamp_max.Tensor"]],
    ["torch.where(c, x, 1.5)", () => torch.where(c, x, 1.5), ["aten::scalar_tensor", "aten::where.self"]],
    ["torch.where(c, 1.5, x)", () => torch.where(c, 1.5, x), ["aten::scalar_tensor", "aten::where.self"]],
    ["torch.where(c, 1, 2)", () => torch.where(c, 1, 2), ["aten::scalar_tensor", "aten::scalar_tensor", "aten::where.self"]],
    ["x.where(c, y)", () => x.where(c, x), ["aten::where.self"]],
    ["x.maskedFill(c, 0)", () => x.maskedFill(c, 0), ["aten::masked_fill.Scalar"]],
    ["x.lerp(y, 0.5)", () => x.lerp(x, 0.5), ["aten::lerp.Scalar"]],
    ["x.round({decimals})", () => x.round({ decimals: 1 }), ["aten::round.decimals"]],
    ["x.gelu()", () => x.gelu(), ["aten::gelu"]],
    ["i.isinf()", () => i.isinf(), ["aten::isinf"]],
    ["x.logicalNot_()", () => x.clone().logicalNot_(), ["aten::clone", "aten::logical_not_"]],
  ];
  for (const [name, fn, want] of cases) {
    it(`given a logging mode, when ${name} runs, then the mode sees ${want.join(", ")}`, () => {
      expect(opsSeen(fn, true)).toEqual(want);
    });
  }
});
