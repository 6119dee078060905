// The pooling fixtures (test/fixtures/ops/pool.json, pool-1d.json) run again on their recorded input layouts
// (channels_last, transposed): the values match PyTorch 2.14 and the outputs have PyTorch's
// strides, on CPU and on meta tensors.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { Tensor } from "../../src/tensor/tensor.js";
import { type FixtureCase, expectMatches, expectedError, decode as decodeStrided, recordedStrides } from "../opinfo/fixture-codec.js";

const cases = ["pool.json", "pool-1d.json"].flatMap(
  (f) => JSON.parse(readFileSync(new URL(`../fixtures/ops/${f}`, import.meta.url), "utf8")) as FixtureCase[],
);

const tensorsIn = (v: unknown): Tensor[] => (v instanceof Tensor ? [v] : Array.isArray(v) ? v.flatMap(tensorsIn) : []);
const isContiguous = (t: Tensor): boolean => {
  let s = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    if (t.shape[i] !== 1 && t.stride()[i] !== s) return false;
    s *= t.shape[i]!;
  }
  return true;
};

describe("pooling on recorded layouts", () => {
  cases.forEach((c, i) => {
    if (expectedError(c.out)) return;
    const args = () => decodeStrided(c.args) as unknown[];
    if (!tensorsIn(args()).some((t) => !isContiguous(t)) && !recordedStrides(c.out).some((s) => s.length === 4 && s[1] === 1)) return;
    it(`${c.op} #${i}: values and output strides as PyTorch's`, () => {
      const out = torch.lookupOp(c.op)!(...args());
      expectMatches(out, c.out, `${c.op} #${i}`);
      expect(tensorsIn(out).map((t) => t.stride())).toEqual(recordedStrides(c.out));
    });
    it(`${c.op} #${i}: the same strides on meta`, () => {
      const metaArgs = args().map((a) => (a instanceof Tensor ? a.to("meta") : a));
      const out = torch.lookupOp(c.op)!(...metaArgs);
      expect(tensorsIn(out).map((t) => t.stride())).toEqual(recordedStrides(c.out));
    });
  });
});
