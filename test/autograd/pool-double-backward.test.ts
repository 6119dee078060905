// Double backward through the pooling ops against PyTorch 2.14 (test/fixtures/pool-double-backward.json,
// made by scripts/fixtures/ops_pool.py): gx = d(out * w).sum()/dx with createGraph, then
// d(gx * v).sum()/d(w, x) runs the backward ops' double-backward rows; the gradients and the ops
// a logging mode sees (max_pool_double_backward's view, view, gather, view; re-pooling; zeros for
// self) match.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import * as F from "../../src/nn/pooling.js";
import { OpLogMode } from "../aten/op-log.js";
import { type Encoded, decode, expectMatches } from "../opinfo/fixture-codec.js";

interface Row {
  label: string;
  input: Encoded;
  w: Encoded;
  v: Encoded;
  gw: Encoded;
  gxx: Encoded;
  node: string;
  sequence: string[];
}
const rows = JSON.parse(readFileSync(new URL("../fixtures/pool-double-backward.json", import.meta.url), "utf8")) as Row[];

const CALLS: Record<string, (x: Tensor) => Tensor> = {
  max_pool2d: (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1 }),
  "max_pool2d channels_last": (x) => F.maxPool2d(x, 2),
  avg_pool2d: (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }),
  adaptive_avg_pool2d: (x) => F.adaptiveAvgPool2d(x, [4, 3]),
  adaptive_max_pool2d: (x) => F.adaptiveMaxPool2d(x, [4, 3]),
  max_pool1d: (x) => F.maxPool1d(x, 2),
};

describe("double backward through pooling matches PyTorch 2.14", () => {
  for (const row of rows) {
    it(`${row.label}: ${row.node}, gradient and op sequence`, () => {
      const x = (decode(row.input) as Tensor).detach().requiresGrad_(true);
      const w = (decode(row.w) as Tensor).requiresGrad_(true);
      const v = decode(row.v) as Tensor;
      const out = CALLS[row.label]!(x);
      const [gx] = torch.autograd.grad(out.mul(w).sum(), x, { createGraph: true });
      expect(gx!.gradFn?.name()).toBe(row.node);
      const mode = new OpLogMode(true);
      const [gw, gxx] = mode.run(() => torch.autograd.grad(gx!.mul(v).sum(), [w, x]));
      expect(mode.ops).toEqual(row.sequence);
      expectMatches(gw, row.gw, `${row.label} gw`);
      expectMatches(gxx, row.gxx, `${row.label} d/dx`);
    });
  }
});
