// F.pad against PyTorch 2.14 (test/fixtures/nn-pad.json, from scripts/fixtures/nn_pad.py):
// constant padding values and shapes (negative pads crop), the one op a mode sees
// (constant_pad_nd under the composite aten::pad), and aten::pad's errors.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { errorOf } from "../error-of.js";
import { OpLogMode } from "../aten/op-log.js";

const F = torch.nn.functional;
const fx = JSON.parse(readFileSync(new URL("../fixtures/nn-pad.json", import.meta.url), "utf8")) as {
  cases: Array<{ pad: number[]; kwargs: { mode?: "constant"; value?: number }; ops: string[]; shape: number[]; values: number[] }>;
  errors: Record<string, [string, string] | null>;
};
const x = () => torch.arange(6, { dtype: "float32" }).reshape([1, 2, 3]);

describe("F.pad", () => {
  fx.cases.forEach((c, i) => {
    it(`case ${i} (pad ${JSON.stringify(c.pad)}): values, shape and the op a mode sees equal PyTorch's`, () => {
      const input = x();
      const log = new OpLogMode();
      const y = log.run(() => F.pad(input, c.pad, c.kwargs));
      expect(log.ops).toEqual(c.ops);
      expect([...y.shape]).toEqual(c.shape);
      expect(y.reshape([-1]).tolist()).toEqual(c.values);
    });
  });

  const cases: Record<string, () => unknown> = {
    odd_length: () => F.pad(x(), [1]),
    value_with_reflect: () => F.pad(x(), [1, 1], { mode: "reflect", value: 2 }),
    too_long: () => F.pad(x(), [1, 1, 1, 1, 1, 1, 1, 1]),
    unknown_mode: () => F.pad(x(), [1, 1], { mode: "bogus" as never }),
  };
  it("every fixture error has a case here", () => expect(Object.keys(cases).sort()).toEqual(Object.keys(fx.errors).sort()));
  for (const [name, run] of Object.entries(cases)) {
    it(`raises PyTorch's error: ${name}`, () => {
      expect(errorOf(run)).toEqual(fx.errors[name]);
    });
  }

  it("the reflect / replicate / circular modes say their kernel is not implemented yet", () => {
    expect(() => F.pad(x(), [1, 1], { mode: "reflect" })).toThrow('padding mode "reflect" needs aten::reflection_pad1d, which aten-ts does not implement yet');
  });
});
