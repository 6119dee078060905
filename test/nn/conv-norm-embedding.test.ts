// nn layers beyond Linear against PyTorch 2.14 (test/fixtures/nn-layers.json, from
// scripts/fixtures/nn_layers.py): the same seed gives the same initial parameters; outputs,
// updated buffers, reprs, state-dict keys, the ops a logging mode sees forward, parameter
// gradients and the constructor/forward errors are PyTorch's.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { errorOf } from "../error-of.js";
import { OpLogMode } from "../aten/op-log.js";
import type { Tensor } from "../../src/index.js";

const { nn } = torch;
interface LayerCase {
  input: number[];
  input_shape: number[];
  int_input: boolean;
  state0: Record<string, number[]>;
  state_keys: string[];
  state_after: Record<string, number[]>;
  outputs: number[][];
  out_shape: number[];
  repr: string;
  forward_ops: string[];
  grads: Record<string, number[] | null>;
}
const fx = JSON.parse(readFileSync(new URL("../fixtures/nn-layers.json", import.meta.url), "utf8")) as Record<string, LayerCase> & {
  errors: Record<string, [string, string] | null>;
};

const flat = (t: Tensor) => (t.detach().reshape([-1]).tolist() as Array<number | bigint>).map(Number);
function close(got: number[], want: number[] | null | undefined, what: string) {
  expect(want, what).toBeTruthy();
  expect(got.length, what).toBe(want!.length);
  got.forEach((g, i) => expect(g, `${what}[${i}]`).toBeCloseTo(want![i]!, 4));
}

const makers: Record<string, () => torch.nn.Module> = {
  conv1d: () => new nn.Conv1d(3, 4, 3, { stride: 2, padding: 1 }),
  conv1d_nobias_dilation: () => new nn.Conv1d(2, 2, 2, { dilation: 2, bias: false }),
  conv2d: () => new nn.Conv2d(3, 4, [3, 2], { padding: 1 }),
  conv2d_groups_stride: () => new nn.Conv2d(4, 6, 3, { stride: 2, groups: 2 }),
  conv2d_same: () => new nn.Conv2d(2, 3, 3, { padding: "same" }),
  conv2d_unbatched: () => new nn.Conv2d(2, 2, 1),
  layer_norm: () => new nn.LayerNorm(4),
  layer_norm_2d_no_affine: () => new nn.LayerNorm([3, 4], { elementwiseAffine: false }),
  layer_norm_no_bias: () => new nn.LayerNorm(4, { eps: 1e-3, bias: false }),
  embedding: () => new nn.Embedding(10, 3),
  embedding_padding_idx: () => new nn.Embedding(5, 2, { paddingIdx: 0 }),
  batch_norm1d: () => new nn.BatchNorm1d(4),
  batch_norm1d_3d: () => new nn.BatchNorm1d(3, { momentum: null }),
  batch_norm2d: () => new nn.BatchNorm2d(3),
  batch_norm2d_eval: () => new nn.BatchNorm2d(3),
  batch_norm2d_no_stats: () => new nn.BatchNorm2d(2, { affine: false, trackRunningStats: false }),
  module_dict: () => new nn.ModuleDict({ a: new nn.Linear(3, 2), b: new nn.ReLU() }),
};
const evalMode = new Set(["batch_norm2d_eval"]);

describe("nn layers", () => {
  it("every fixture layer has a maker here", () => {
    expect(Object.keys(makers).sort()).toEqual(Object.keys(fx).filter((k) => k !== "errors").sort());
  });

  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: PyTorch's initial state, repr, forward ops, outputs, buffers and gradients`, () => {
      const want = fx[name]!;
      torch.manualSeed(0);
      const m = make();
      const state = m.stateDict();
      expect([...state.keys()]).toEqual(want.state_keys);
      for (const [k, v] of state) close(flat(v), want.state0[k], `${name} initial ${k}`);
      expect(String(m)).toBe(want.repr);
      m.train(!evalMode.has(name));
      const x = want.int_input ? torch.tensor(want.input.map(BigInt)).reshape(want.input_shape) : torch.randn(want.input_shape);
      if (!want.int_input) close(flat(x), want.input, `${name} input`);
      const log = new OpLogMode();
      let y: Tensor;
      if (m instanceof nn.ModuleDict) {
        y = log.run(() => (m.get("b").call(m.get("a").call(x) as Tensor) as Tensor));
        close(flat(y), want.outputs[0], `${name} output`);
      } else {
        y = log.run(() => m.call(x) as Tensor);
        close(flat(y), want.outputs[0], `${name} output 0`);
        for (let i = 1; i < want.outputs.length; i++) {
          y = torch.noGrad(() => m.call(x.mul(i + 1)) as Tensor);
          close(flat(y), want.outputs[i], `${name} output ${i}`);
        }
      }
      expect(log.ops).toEqual(want.forward_ops);
      expect([...y.shape]).toEqual(want.out_shape);
      for (const [k, v] of m.stateDict()) close(flat(v), want.state_after[k], `${name} final ${k}`);
      if (y.requiresGrad) y.mul(y).sum().backward();
      for (const [k, p] of m.namedParameters()) {
        const g = want.grads[k];
        if (g === null) expect(p.grad, `${name} grad ${k}`).toBeNull();
        else close(flat(p.grad!), g, `${name} grad ${k}`);
      }
    });
  }

  const cases: Record<string, () => unknown> = {
    conv_groups: () => new nn.Conv2d(3, 4, 3, { groups: 2 }),
    conv_out_groups: () => new nn.Conv2d(4, 3, 3, { groups: 2 }),
    conv_same_stride: () => new nn.Conv2d(2, 2, 3, { stride: 2, padding: "same" }),
    conv_bad_padding_string: () => new nn.Conv2d(2, 2, 3, { padding: "full" as never }),
    conv_wrong_channels: () => new nn.Conv2d(3, 4, 3).call(torch.randn([1, 2, 5, 5])),
    embedding_padding_idx_range: () => new nn.Embedding(5, 2, { paddingIdx: 5 }),
    batch_norm_wrong_dim: () => new nn.BatchNorm2d(3).call(torch.randn([2, 3, 4])),
    batch_norm1d_single_value: () => new nn.BatchNorm1d(3).call(torch.randn([1, 3])),
    layer_norm_shape: () => new nn.LayerNorm(5).call(torch.randn([2, 4])),
  };
  it("every fixture error has a case here", () => expect(Object.keys(cases).sort()).toEqual(Object.keys(fx.errors).sort()));
  for (const [name, run] of Object.entries(cases)) {
    it(`raises PyTorch's error: ${name}`, () => {
      expect(errorOf(run)).toEqual(fx.errors[name]);
    });
  }

  it("BatchNorm exposes its buffers under PyTorch's names and as camelCase getters", () => {
    const bn = new nn.BatchNorm1d(2);
    bn.call(torch.tensor([[1, 2], [3, 6]]));
    expect(bn.numBatchesTracked!.item()).toBe(1);
    expect(bn.runningMean!.tolist()).toEqual([Math.fround(0.2), Math.fround(0.4)]);
    expect((bn as unknown as Record<string, Tensor>).running_mean).toBe(bn.runningMean);
  });

  it("ModuleDict iterates its keys in insertion order and registers its children", () => {
    const md = new nn.ModuleDict({ b: new nn.ReLU(), a: new nn.Linear(2, 2) });
    expect([...md]).toEqual(["b", "a"]);
    expect(md.namedParameters().map(([n]) => n)).toEqual(["a.weight", "a.bias"]);
    expect(() => md.get("c")).toThrow("'c'");
    md.pop("a");
    expect(md.keys()).toEqual(["b"]);
  });
});
