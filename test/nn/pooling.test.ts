// Pooling against PyTorch 2.14 (test/fixtures/pool-functional*.json and
// test/fixtures/ops/pool*-sequences.json, made by scripts/fixtures/ops_pool.py): the functional
// wrappers and modules give PyTorch's values, gradients and grad_fn names; a logging mode sees
// PyTorch's forward op sequence (max_pool2d -> max_pool2d_with_indices, adaptive_avg_pool2d ->
// mean.dim [+ as_strided_] or _adaptive_avg_pool2d, the 1-d forms -> unsqueeze, the 2-d op, squeeze) and backward op sequence; reprs match.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { Module } from "../../src/nn/module.js";
import * as pooling from "../../src/nn/pooling.js";
import type { Tensor } from "../../src/index.js";
import { OpLogMode } from "../aten/op-log.js";
import { type Encoded, type FixtureCase, expectMatches, decode as decodeStrided } from "../opinfo/fixture-codec.js";

// (imported from src/nn/pooling.ts; nn.functional and nn re-export them)
const F = pooling;
const nn = pooling;

interface Row {
  label: string;
  input: Encoded;
  out: Encoded;
  grad: Encoded;
  node: string;
  sequence: string[];
  backward: string[];
}
const load = (f: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${f}`, import.meta.url), "utf8"));
type Fx = { calls: Row[]; reprs: Record<string, string> };
const [fx2, fx1] = [load("pool-functional.json") as Fx, load("pool-functional-1d.json") as Fx];
const fx: Fx = { calls: [...fx2.calls, ...fx1.calls], reprs: { ...fx2.reprs, ...fx1.reprs } };
const seqCases = [...(load("ops/pool-sequences.json") as SeqCase[]), ...(load("ops/pool-1d-sequences.json") as SeqCase[])];
type SeqCase = FixtureCase & { sequence: string[] };

/** The JS form of each recorded Python call. */
const CALLS: Record<string, (x: Tensor) => Tensor | [Tensor, Tensor]> = {
  "F.max_pool2d(x, 2)": (x) => F.maxPool2d(x, 2),
  "F.max_pool2d(x, 3, stride=2, padding=1, dilation=1, ceil_mode=True)": (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
  "F.max_pool2d(x, (2, 3), stride=(1, 2), dilation=(2, 1))": (x) => F.maxPool2d(x, [2, 3], { stride: [1, 2], dilation: [2, 1] }),
  "F.max_pool2d(x, 2, return_indices=True)": (x) => F.maxPool2d(x, 2, { returnIndices: true }),
  "F.max_pool2d(x, 2) channels_last": (x) => F.maxPool2d(x, 2),
  "F.avg_pool2d(x, 2)": (x) => F.avgPool2d(x, 2),
  "F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)": (x) =>
    F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  "F.avg_pool2d(x, (2, 3), divisor_override=4)": (x) => F.avgPool2d(x, [2, 3], { divisorOverride: 4 }),
  "F.adaptive_avg_pool2d(x, 3)": (x) => F.adaptiveAvgPool2d(x, 3),
  "F.adaptive_avg_pool2d(x, (4, None))": (x) => F.adaptiveAvgPool2d(x, [4, null]),
  "F.adaptive_avg_pool2d(x, 1)": (x) => F.adaptiveAvgPool2d(x, 1),
  "F.adaptive_avg_pool2d(x, 1) channels_last": (x) => F.adaptiveAvgPool2d(x, 1),
  "F.adaptive_avg_pool2d(x, (2, 4)) unbatched": (x) => F.adaptiveAvgPool2d(x, [2, 4]),
  "nn.MaxPool2d(2)": (x) => new nn.MaxPool2d(2).call(x),
  "nn.MaxPool2d(3, stride=1, padding=1, return_indices=True)": (x) => new nn.MaxPool2d(3, { stride: 1, padding: 1, returnIndices: true }).call(x),
  "nn.AvgPool2d(2, stride=1)": (x) => new nn.AvgPool2d(2, { stride: 1 }).call(x) as Tensor,
  "nn.AvgPool2d(3, padding=1, count_include_pad=False)": (x) => new nn.AvgPool2d(3, { padding: 1, countIncludePad: false }).call(x) as Tensor,
  "nn.AdaptiveAvgPool2d((5, 4))": (x) => new nn.AdaptiveAvgPool2d([5, 4]).call(x) as Tensor,
  "nn.AdaptiveAvgPool2d(1)": (x) => new nn.AdaptiveAvgPool2d(1).call(x) as Tensor,
  "F.adaptive_max_pool2d(x, 3)": (x) => F.adaptiveMaxPool2d(x, 3),
  "F.adaptive_max_pool2d(x, (None, 4), return_indices=True)": (x) => F.adaptiveMaxPool2d(x, [null, 4], { returnIndices: true }),
  "F.max_pool1d(x, 2)": (x) => F.maxPool1d(x, 2),
  "F.max_pool1d(x, 3, stride=2, padding=1, ceil_mode=True, return_indices=True)": (x) =>
    F.maxPool1d(x, 3, { stride: 2, padding: 1, ceilMode: true, returnIndices: true }),
  "F.avg_pool1d(x, 3, stride=1, padding=1, count_include_pad=False)": (x) => F.avgPool1d(x, 3, { stride: 1, padding: 1, countIncludePad: false }),
  "F.adaptive_avg_pool1d(x, 4)": (x) => F.adaptiveAvgPool1d(x, 4),
  "F.adaptive_max_pool1d(x, 4)": (x) => F.adaptiveMaxPool1d(x, 4),
  "nn.AdaptiveMaxPool2d((2, 3))": (x) => new nn.AdaptiveMaxPool2d([2, 3]).call(x),
  "nn.MaxPool1d(2)": (x) => new nn.MaxPool1d(2).call(x),
  "nn.AvgPool1d(2)": (x) => new nn.AvgPool1d(2).call(x) as Tensor,
  "nn.AdaptiveAvgPool1d(3)": (x) => new nn.AdaptiveAvgPool1d(3).call(x) as Tensor,
  "nn.AdaptiveMaxPool1d(3, return_indices=True)": (x) => new nn.AdaptiveMaxPool1d(3, { returnIndices: true }).call(x),
};

const MODULES: Record<string, () => Module> = {
  "MaxPool2d(2)": () => new nn.MaxPool2d(2),
  "MaxPool2d(3, stride=1, padding=1, return_indices=True)": () => new nn.MaxPool2d(3, { stride: 1, padding: 1, returnIndices: true }),
  "MaxPool2d((2, 3), dilation=2, ceil_mode=True)": () => new nn.MaxPool2d([2, 3], { dilation: 2, ceilMode: true }),
  "AvgPool2d(2)": () => new nn.AvgPool2d(2),
  "AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False, divisor_override=2)": () =>
    new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false, divisorOverride: 2 }),
  "AdaptiveAvgPool2d(3)": () => new nn.AdaptiveAvgPool2d(3),
  "AdaptiveAvgPool2d((4, None))": () => new nn.AdaptiveAvgPool2d([4, null]),
  "AdaptiveMaxPool2d((2, 3))": () => new nn.AdaptiveMaxPool2d([2, 3]),
  "AdaptiveMaxPool2d(3, return_indices=True)": () => new nn.AdaptiveMaxPool2d(3, { returnIndices: true }),
  "MaxPool1d(3, stride=2, padding=1, dilation=2, ceil_mode=True)": () => new nn.MaxPool1d(3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }),
  "AvgPool1d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)": () =>
    new nn.AvgPool1d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  "AdaptiveAvgPool1d(3)": () => new nn.AdaptiveAvgPool1d(3),
  "AdaptiveMaxPool1d(3)": () => new nn.AdaptiveMaxPool1d(3),
};

const asList = (v: Tensor | [Tensor, Tensor]): Tensor[] => (Array.isArray(v) ? v : [v]);

describe("pooling wrappers and modules match PyTorch 2.14", () => {
  for (const row of fx.calls) {
    const call = CALLS[row.label];
    it(`${row.label}: values, gradient and grad_fn`, () => {
      expect(call, `no JS form for ${row.label}`).toBeDefined();
      const x = (decodeStrided(row.input) as Tensor).detach().requiresGrad_(true);
      const outs = asList(call!(x));
      expectMatches(outs.map((o) => o.detach()), row.out, row.label);
      expect(outs[0]!.gradFn?.name()).toBe(row.node);
      outs[0]!.sum().backward();
      expectMatches(x.grad, row.grad, `${row.label} grad`);
    });
    it(`${row.label}: a logging mode sees PyTorch's forward and backward ops`, () => {
      const x = (decodeStrided(row.input) as Tensor).detach().requiresGrad_(true);
      const fwd = new OpLogMode(true);
      const outs = fwd.run(() => asList(call!(x)));
      expect(fwd.ops).toEqual(row.sequence);
      const bwd = new OpLogMode(true);
      bwd.run(() => outs[0]!.sum().backward());
      expect(bwd.ops).toEqual(row.backward);
    });
  }
  for (const [py, repr] of Object.entries(fx.reprs)) {
    it(`repr of ${py}`, () => expect(String(MODULES[py]!())).toBe(repr));
  }
  it("adaptiveAvgPool2d's None sizes need enough input dims (ValueError)", () => {
    expect(() => F.adaptiveAvgPool2d(torch.zeros([4]), [2, null])).toThrow("Input dimension should be at least 3");
  });
  it("MaxPool2d's stride defaults to the kernel size; returnIndices gives int64 indices", () => {
    const [y, idx] = new nn.MaxPool2d(2, { returnIndices: true }).call(torch.arange(16, { dtype: "float32" }).reshape([1, 1, 4, 4])) as [Tensor, Tensor];
    expect(y.reshape([-1]).tolist()).toEqual([5, 7, 13, 15]);
    expect(idx.dtype).toBe("int64");
    expect(idx.reshape([-1]).tolist()).toEqual([5, 7, 13, 15]);
  });
});

describe("pooling exports", () => {
  it("torch.nn has the modules and torch.nn.functional the functions", () => {
    for (const m of ["MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "MaxPool1d", "AvgPool1d", "AdaptiveAvgPool1d", "AdaptiveMaxPool1d"]) {
      expect((torch.nn as unknown as Record<string, unknown>)[m], m).toBe((pooling as Record<string, unknown>)[m]);
    }
    for (const f of ["maxPool2d", "avgPool2d", "adaptiveAvgPool2d", "adaptiveMaxPool2d", "maxPool1d", "avgPool1d", "adaptiveAvgPool1d", "adaptiveMaxPool1d"]) {
      expect((torch.nn.functional as unknown as Record<string, unknown>)[f], f).toBe((pooling as Record<string, unknown>)[f]);
    }
  });
});

describe("torch.* pooling functions (torch.max_pool2d, max_pool1d, ...)", () => {
  const x3 = torch.randn([2, 3, 9]);
  const x4 = torch.randn([2, 3, 6, 7]);
  const same = (a: Tensor, b: Tensor) => expect(a.tolist()).toEqual(b.tolist());
  it("give the functional forms' results through the same operators", () => {
    same(torch.maxPool2d(x4, 3, 2, 1, 1, true), F.maxPool2d(x4, 3, { stride: 2, padding: 1, ceilMode: true }));
    same(torch.maxPool2d(x4, [2, 3]), F.maxPool2d(x4, [2, 3]));
    same(torch.maxPool1d(x3, 2), F.maxPool1d(x3, 2));
    const [y, i] = torch.maxPool1dWithIndices(x3, 3, 2, 1);
    const [fy, fi] = F.maxPool1d(x3, 3, { stride: 2, padding: 1, returnIndices: true });
    same(y, fy);
    same(i, fi);
    same(torch.avgPool1d(x3, 3, 2, 1, false, false), F.avgPool1d(x3, 3, { stride: 2, padding: 1, countIncludePad: false }));
    same(torch.adaptiveAvgPool1d(x3, 4), F.adaptiveAvgPool1d(x3, 4));
    same(torch.adaptiveMaxPool1d(x3, 4)[1], F.adaptiveMaxPool1d(x3, 4, { returnIndices: true })[1]);
    const mode = new OpLogMode(true);
    mode.run(() => torch.maxPool1d(x3, 2));
    expect(mode.ops).toEqual(["aten::unsqueeze", "aten::max_pool2d_with_indices", "aten::squeeze.dim", "aten::squeeze.dim"]);
  });
});

describe("pooling composites call the ops PyTorch 2.14 calls", () => {
  seqCases.forEach((c, i) => {
    it(`${c.op} #${i}: ${c.sequence.join(", ")}`, () => {
      const op = torch.lookupOp(c.op)!;
      const args = decodeStrided(c.args) as unknown[];
      const mode = new OpLogMode(true);
      const out = mode.run(() => op(...args));
      expect(mode.ops).toEqual(c.sequence);
      expectMatches(out, c.out, c.op);
    });
  });
});
