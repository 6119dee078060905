// Layers, initialisers and nn.functional against PyTorch 2.14: Linear's default init is
// bit-exact for the same seed, nn.init draws PyTorch's numbers, functional calls PyTorch's ops.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import * as nn from "../../src/nn/index.js";
import { Log, close, flat, fx, thrown } from "./fixture.js";

const F = nn.functional;
const init = fx.init as unknown as Record<string, Record<string, number[]> & number[]>;

describe("default initialisation equals PyTorch's bit for bit", () => {
  it("Linear(5, 3) after manualSeed(0): weight [3, 5] and bias [3]", () => {
    torch.manualSeed(0);
    const l = new nn.Linear(5, 3);
    expect(l.weight.shape).toEqual([3, 5]);
    expect(flat(l.weight)).toEqual(init.linear_5_3!.weight);
    expect(flat(l.bias!)).toEqual(init.linear_5_3!.bias);
  });

  it("Linear without bias draws only the weight; Linear(1, 4) uses bound 1", () => {
    torch.manualSeed(0);
    const l = new nn.Linear(5, 3, { bias: false });
    expect(l.bias).toBeNull();
    expect(l.parameters().length).toBe(1);
    expect(flat(l.weight)).toEqual(init.linear_5_3_nobias!.weight);
    torch.manualSeed(1);
    const one = new nn.Linear(1, 4);
    expect(flat(one.weight)).toEqual(init.linear_1_4!.weight);
    expect(flat(one.bias!)).toEqual(init.linear_1_4!.bias);
  });

  it("the MLP 8-16-3 after manualSeed(0)", () => {
    torch.manualSeed(0);
    const net = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 3));
    for (const [name, p] of net.namedParameters()) expect(flat(p), name).toEqual(fx.mlp.initial[name]);
    expect(flat(torch.randn([32, 8]))).toEqual(fx.mlp.x);
  });

  it("nn.init's uniform initialisers draw PyTorch's numbers", () => {
    torch.manualSeed(0);
    const w = torch.empty([4, 6]);
    expect(flat(nn.init.kaimingUniform_(w, { nonlinearity: "relu" }))).toEqual(init.kaiming_uniform_relu);
    nn.init.kaimingNormal_(w, { mode: "fan_out" });
    close(flat(w), init.kaiming_normal_fan_out!, 1e-6, 0);
    expect(flat(nn.init.xavierUniform_(w))).toEqual(init.xavier_uniform);
    close(flat(nn.init.xavierNormal_(w, { gain: 2 })), init.xavier_normal_gain2!, 1e-6, 0);
    expect(flat(nn.init.uniform_(w, -1, 2))).toEqual(init.uniform_m1_2);
    close(flat(nn.init.normal_(w, 3, 0.5)), init.normal_3_05!, 1e-6, 0);
  });

  it("calculateGain and the fill initialisers", () => {
    for (const [k, v] of Object.entries(fx.init.gains)) expect(nn.init.calculateGain(k as nn.init.Nonlinearity)).toBe(v);
    expect(nn.init.calculateGain("leaky_relu", Math.sqrt(5))).toBe(fx.init.gain_leaky_sqrt5);
    const p = new nn.Parameter(torch.empty([2, 2]));
    expect(flat(nn.init.ones_(p))).toEqual([1, 1, 1, 1]);
    expect(p.isLeaf).toBe(true);
    expect(flat(nn.init.constant_(p, 0.5))).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(flat(nn.init.zeros_(p))).toEqual([0, 0, 0, 0]);
    expect(thrown(() => nn.init.xavierUniform_(torch.empty([3])))?.message).toBe("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  });
});

describe("nn.functional calls PyTorch's ops", () => {
  const x = torch.tensor([[1, -2, 3], [-4, 5, 0.5]]);
  it("linear equals x W^T + b and goes through aten::linear", () => {
    const w = torch.tensor([[1, 0, 0], [0, 1, 1]]);
    const b = torch.tensor([10, 20]);
    const log = new Log();
    const y = log.run(() => F.linear(x, w, b));
    expect(flat(y)).toEqual([11, 21, 6, 25.5]);
    expect(log.calls).toEqual(["aten.t.default", "aten.addmm.default"]);
    expect(flat(F.linear(x, w))).toEqual([1, 1, -4, 5.5]);
  });

  it("relu, softmax, logSoftmax, gelu, sigmoid, tanh", () => {
    expect(flat(F.relu(x))).toEqual([1, 0, 3, 0, 5, 0.5]);
    close(flat(F.softmax(x, -1).sum(-1)), [1, 1]);
    close(flat(F.logSoftmax(x, 1).exp()), flat(F.softmax(x, 1)));
    close(flat(F.sigmoid(torch.tensor([0]))), [0.5]);
    close(flat(F.tanh(torch.tensor([0]))), [0]);
    close(flat(F.gelu(torch.tensor([0, 1]))), [0, 0.8413447]);
    const y = x.clone();
    F.relu(y, { inplace: true });
    expect(flat(y)).toEqual([1, 0, 3, 0, 5, 0.5]);
  });

  it("crossEntropy: cross_entropy_loss with PyTorch's reduction codes and options", () => {
    const logits = torch.tensor([[2, 1, 0.1], [0.5, 2.5, 0.3]]);
    const t = torch.tensor([0n, 1n]);
    const log = new Log();
    const l = log.run(() => F.crossEntropy(logits, t));
    expect(log.calls).toEqual(["aten._log_softmax.default", "aten.nll_loss_forward.default"]);
    const manual = F.logSoftmax(logits, 1).neg();
    const m = flat(manual);
    close([l.item() as number], [(m[0]! + m[4]!) / 2]);
    close([F.crossEntropy(logits, t, { reduction: "sum" }).item() as number], [m[0]! + m[4]!]);
    expect(F.crossEntropy(logits, t, { reduction: "none" }).shape).toEqual([2]);
    close([F.crossEntropy(logits, torch.tensor([0n, -100n])).item() as number], [m[0]!]);
    close([F.crossEntropy(logits, torch.tensor([0n, 1n]), { ignoreIndex: 1 }).item() as number], [m[0]!]);
    close([F.nllLoss(F.logSoftmax(logits, 1), t).item() as number], [l.item() as number]);
    expect(thrown(() => F.crossEntropy(logits, t, { reduction: "avg" as nn.Reduction }))?.message).toBe("avg is not a valid value for reduction");
  });

  it("mseLoss: mse_loss, and a broadcast target warns as PyTorch does", () => {
    const a = torch.tensor([1, 2, 3]);
    const b = torch.tensor([1, 4, 0]);
    expect(F.mseLoss(a, b).item()).toBeCloseTo(13 / 3, 6);
    expect(F.mseLoss(a, b, { reduction: "sum" }).item()).toBe(13);
    expect(flat(F.mseLoss(a, b, { reduction: "none" }))).toEqual([0, 4, 9]);
    const { result, warnings } = torch.catchWarnings(() => F.mseLoss(torch.zeros([2, 3]), torch.ones([3])));
    expect(result.item()).toBe(1);
    expect(warnings[0]?.message).toBe(
      "Using a target size (torch.Size([3])) that is different to the input size (torch.Size([2, 3])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
    );
  });

  it("dropout: the identity when not training, PyTorch's error for a bad p", () => {
    expect(F.dropout(x, { training: false })).toBe(x);
    const d = F.dropout(torch.ones([1000]), { p: 0.5 });
    expect(flat(d).every((v) => v === 0 || v === 2)).toBe(true);
    expect(thrown(() => F.dropout(x, { p: 1.5 }))?.message).toBe("dropout probability has to be between 0 and 1, but got 1.5");
  });

  it("dropout with inplace: true writes the same mask into the input (aten::dropout_)", () => {
    torch.manualSeed(3);
    const expected = flat(F.dropout(torch.ones([64]), { p: 0.25 }));
    torch.manualSeed(3);
    const input = torch.ones([64]);
    const version = input._version.value;
    const out = F.dropout(input, { p: 0.25, inplace: true });
    expect(out).toBe(input);
    expect(flat(input)).toEqual(expected);
    expect(input._version.value).toBeGreaterThan(version);
  });

  it("layerNorm normalizes the last dims", () => {
    const y = F.layerNorm(x, [3]);
    close(flat(y.mean(-1)), [0, 0], 0, 1e-6);
  });
});

describe("layers and containers", () => {
  it("Sequential chains its modules and indexes them like PyTorch", () => {
    const a = new nn.Linear(2, 4);
    const net = new nn.Sequential(a, new nn.ReLU(), new nn.Linear(4, 1));
    expect(net.length).toBe(3);
    expect(net.at(0)).toBe(a);
    expect(net.at(-1)).toBeInstanceOf(nn.Linear);
    expect(thrown(() => net.at(3))?.message).toBe("index 3 is out of range");
    expect([...net].length).toBe(3);
    expect(net.call(torch.ones([5, 2])).shape).toEqual([5, 1]);
    net.append(new nn.Sigmoid());
    expect(net.namedChildren().map(([n]) => n)).toEqual(["0", "1", "2", "3"]);
    const named = new nn.Sequential(new Map<string, nn.Module>([["fc", new nn.Linear(2, 2)], ["act", new nn.Tanh()]]));
    expect(named.namedParameters().map(([n]) => n)).toEqual(["fc.weight", "fc.bias"]);
  });

  it("ModuleList registers its modules as children 0, 1, ...", () => {
    const list = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
    expect(list.namedParameters().map(([n]) => n)).toEqual(["0.weight", "0.bias", "1.weight", "1.bias"]);
    expect(list.length).toBe(2);
  });

  it("Dropout follows train/eval; Flatten, Softmax, Identity and the losses", () => {
    const drop = new nn.Dropout(0.25);
    const x = torch.ones([4, 2, 3]);
    drop.eval();
    expect(drop.call(x)).toBe(x);
    drop.train();
    expect(flat(drop.call(x)).every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    expect(new nn.Flatten().call(x).shape).toEqual([4, 6]);
    close(flat(new nn.Softmax(-1).call(x).sum(-1)), new Array<number>(8).fill(1));
    expect(new nn.Identity().call(x)).toBe(x);
    const logits = torch.tensor([[2, 1, 0.1], [0.5, 2.5, 0.3]]);
    const t = torch.tensor([0n, 1n]);
    expect(new nn.CrossEntropyLoss({ reduction: "sum" }).call(logits, t).item()).toBe(F.crossEntropy(logits, t, { reduction: "sum" }).item());
    const smooth = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).call(logits, t).item() as number;
    expect(smooth).toBeGreaterThan(F.crossEntropy(logits, t).item() as number);
    expect(new nn.MSELoss().call(torch.tensor([1, 2]), torch.tensor([3, 2])).item()).toBe(2);
  });
});
