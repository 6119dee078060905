// nn.functional activations / regression losses and their modules: the ops a logging mode sees
// (forward, and forward + backward for the "_bwd" programs) equal what real PyTorch 2.14's
// logging TorchDispatchMode sees (test/fixtures/op-sequences-activation.json, from
// scripts/fixtures/op_sequences_activation.py), and the modules' reprs are PyTorch's.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, Tensor } from "../../src/index.js";

const { nn } = torch;
const F = nn.functional;
const expected = JSON.parse(readFileSync(new URL("../fixtures/op-sequences-activation.json", import.meta.url), "utf8")) as Record<string, string[]>;
const SHORT: Record<string, string> = { float32: "f32", float64: "f64", int64: "i64", int32: "i32", bool: "b8" };

/** Python's repr of a number (`1e-05`, `2.5`, `7`). */
function pyNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return v.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return String(v);
}

function desc(v: unknown, key?: string): string {
  if (v instanceof torch.Tensor) return `${SHORT[v.dtype] ?? v.dtype}[${v.shape.join(", ")}]`;
  if (Array.isArray(v)) return `[${v.map((x) => desc(x)).join(", ")}]`;
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (key === "memory_format") return v === 0 || v === "contiguous_format" ? "torch.contiguous_format" : String(v);
  if (key === "dtype" && typeof v === "string") return SHORT[v] ?? v;
  if (typeof v === "number") return pyNumber(v);
  if (typeof v === "string") return v === "cpu" || v === "meta" ? v : JSON.stringify(v);
  return String(v);
}

class Log extends torch.TorchDispatchMode {
  calls: string[] = [];
  override torchDispatch(func: OpOverload, _t: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    const out = func(...args, { ...kwargs });
    const parts = [...args.map((a) => desc(a)), ...Object.entries(kwargs).map(([k, v]) => `${k}=${desc(v, k)}`)];
    this.calls.push(`${String(func)}(${parts.join(", ")})`);
    return out;
  }
}

function ar(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, (_, i) => (i / n - 0.3) * 4);
  return torch.tensor(data, { dtype: "float64" }).to("float32").reshape(shape);
}
const m = (x: Tensor): Tensor => x.mul(1);
const flip = (x: Tensor): Tensor => x.flip([0]);
const bwd =
  (f: (...a: Tensor[]) => Tensor) =>
  (...a: Tensor[]): void => {
    const leaves = a.map((t) => t.detach().requiresGrad_(true));
    f(...leaves).sum().backward();
  };
const x34 = (): Tensor[] => [ar([3, 4])];
const pair = (): Tensor[] => [ar([3, 4]), flip(ar([3, 4]))];
const probs = (): Tensor[] => [ar([3, 4]).sigmoid(), flip(ar([3, 4]).sigmoid())];
const logp = (): Tensor[] => [F.logSoftmax(ar([3, 4]), 1), F.softmax(flip(ar([3, 4])), 1)];

/**
 * JS numbers do not tell 2.0 from 2, so a Scalar PyTorch got as a float prints as an int here,
 * and a float argument equal to an int default (hardtanh's -1.0 for -1) is dropped as a default
 * where Python keeps it: calls are compared with integral floats printed as ints and trailing
 * scalar arguments that equal the schema default removed on both sides.
 */
function normalize(call: string): string {
  // (PyTorch also keeps an optional tensor passed as None, binary_cross_entropy_backward's weight)
  let s = call.replace(/(-?\d+)\.0\b/g, "$1").replace("pin_memory=false, ", "").replace(/, None\)$/, ")");
  // schema defaults by argument index
  const trailing: Record<string, Record<number, string>> = {
    "aten.softplus.default": { 1: "1", 2: "20" },
    "aten.hardtanh.default": { 1: "-1", 2: "1" },
    "aten.hardtanh_.default": { 1: "-1", 2: "1" },
    "aten.elu.default": { 1: "1", 2: "1", 3: "1" },
    "aten.elu_.default": { 1: "1", 2: "1", 3: "1" },
    "aten.celu.default": { 1: "1" },
    "aten.smooth_l1_loss.default": { 2: "1", 3: "1" },
    "aten.huber_loss.default": { 2: "1", 3: "1" },
    "aten.leaky_relu.default": { 1: "0.01" },
    "aten.softshrink.default": { 1: "0.5" },
    "aten.hardshrink.default": { 1: "0.5" },
    "aten.glu.default": { 1: "-1" },
  };
  const name = s.slice(0, s.indexOf("("));
  const defaults = trailing[name];
  if (defaults) {
    const parts = s.slice(name.length + 1, -1).split(/, (?![^[]*\])/);
    while (parts.length > 1 && defaults[parts.length - 1] === parts[parts.length - 1]) parts.pop();
    s = `${name}(${parts.join(", ")})`;
  }
  return s;
}

type Program = [() => Tensor[], (...a: Tensor[]) => unknown];
const programs: Record<string, Program> = {
  leaky_relu: [x34, (x) => F.leakyRelu(x)],
  leaky_relu_slope_inplace: [x34, (x) => F.leakyRelu(m(x), 0.2, { inplace: true })],
  elu: [x34, (x) => F.elu(x, 0.5)],
  elu_inplace: [x34, (x) => F.elu(m(x), { inplace: true })],
  selu: [x34, (x) => F.selu(x)],
  selu_inplace: [x34, (x) => F.selu(m(x), { inplace: true })],
  celu: [x34, (x) => F.celu(x, 0.7)],
  softplus: [x34, (x) => F.softplus(x, 2, 5)],
  hardtanh: [x34, (x) => F.hardtanh(x, -2.0, 2.0)],
  hardtanh_inplace: [x34, (x) => F.hardtanh(m(x), { inplace: true })],
  relu6: [x34, (x) => F.relu6(x)],
  relu6_inplace: [x34, (x) => F.relu6(m(x), { inplace: true })],
  hardsigmoid: [x34, (x) => F.hardsigmoid(x)],
  hardswish_inplace: [x34, (x) => F.hardswish(m(x), { inplace: true })],
  mish: [x34, (x) => F.mish(x)],
  logsigmoid: [x34, (x) => F.logsigmoid(x)],
  glu: [x34, (x) => F.glu(x)],
  glu_dim0: [() => [ar([4, 3])], (x) => F.glu(x, 0)],
  softshrink: [x34, (x) => F.softshrink(x, 0.3)],
  hardshrink: [x34, (x) => F.hardshrink(x)],
  threshold: [x34, (x) => F.threshold(x, 0.1, 20.0)],
  threshold_inplace: [x34, (x) => F.threshold(m(x), 0.1, 20.0, { inplace: true })],
  l1_loss: [pair, (a, b) => F.l1Loss(a, b)],
  l1_loss_sum_broadcast: [() => [ar([3, 4]), ar([4])], (a, b) => F.l1Loss(a, b, { reduction: "sum" })],
  l1_loss_weight: [() => [ar([3, 4]), flip(ar([3, 4])), ar([3, 4]).abs()], (a, b, w) => F.l1Loss(a, b, { weight: w })],
  smooth_l1_loss: [pair, (a, b) => F.smoothL1Loss(a, b, { beta: 0.5 })],
  smooth_l1_loss_beta0: [pair, (a, b) => F.smoothL1Loss(a, b, { reduction: "none", beta: 0.0 })],
  huber_loss: [pair, (a, b) => F.huberLoss(a, b, { delta: 0.5 })],
  huber_loss_weight_sum: [() => [ar([3, 4]), flip(ar([3, 4])), ar([3, 4]).abs()], (a, b, w) => F.huberLoss(a, b, { reduction: "sum", weight: w })],
  kl_div: [logp, (a, b) => F.klDiv(a, b, { reduction: "batchmean" })],
  kl_div_log_target: [
    () => [F.logSoftmax(ar([3, 4]), 1), F.logSoftmax(flip(ar([3, 4])), 1)],
    (a, b) => F.klDiv(a, b, { reduction: "sum", logTarget: true }),
  ],
  kl_div_mean: [logp, (a, b) => F.klDiv(a, b)],
  module_leaky_relu: [x34, (x) => new nn.LeakyReLU(0.2).call(x)],
  module_elu: [x34, (x) => new nn.ELU().call(x)],
  module_celu: [x34, (x) => new nn.CELU(0.5).call(x)],
  module_selu: [x34, (x) => new nn.SELU().call(x)],
  module_softplus: [x34, (x) => new nn.Softplus().call(x)],
  module_hardtanh: [x34, (x) => new nn.Hardtanh().call(x)],
  module_relu6: [x34, (x) => new nn.ReLU6().call(x)],
  module_hardsigmoid: [x34, (x) => new nn.Hardsigmoid().call(x)],
  module_hardswish: [x34, (x) => new nn.Hardswish().call(x)],
  module_mish: [x34, (x) => new nn.Mish().call(x)],
  module_logsigmoid: [x34, (x) => new nn.LogSigmoid().call(x)],
  module_glu: [x34, (x) => new nn.GLU().call(x)],
  module_softshrink: [x34, (x) => new nn.Softshrink().call(x)],
  module_hardshrink: [x34, (x) => new nn.Hardshrink().call(x)],
  module_threshold: [x34, (x) => new nn.Threshold(0.1, 20).call(x)],
  module_l1: [pair, (a, b) => new nn.L1Loss().call(a, b)],
  module_smooth_l1: [pair, (a, b) => new nn.SmoothL1Loss({ beta: 2.0 }).call(a, b)],
  module_huber: [pair, (a, b) => new nn.HuberLoss({ reduction: "sum" }).call(a, b)],
  module_kl_div: [logp, (a, b) => new nn.KLDivLoss({ reduction: "batchmean" }).call(a, b)],
  bce: [probs, (a, b) => F.binaryCrossEntropy(a, b)],
  bce_weight_sum: [() => [...probs(), ar([4]).abs()], (a, b, w) => F.binaryCrossEntropy(a, b, { weight: w, reduction: "sum" })],
  module_bce: [() => [...probs(), ar([3, 4]).abs()], (a, b, w) => new nn.BCELoss({ weight: w }).call(a, b)],
  bce_bwd: [probs, bwd((a, b) => F.binaryCrossEntropy(a, b))],
  bce_weight_bwd: [() => [...probs(), ar([4]).abs()], bwd((a, b, w) => F.binaryCrossEntropy(a, b, { weight: w.detach() }))],
  logit_bwd: [() => [ar([3, 4]).sigmoid()], bwd((x) => torch.ops.aten.logit.default(x) as Tensor)],
  leaky_relu_bwd: [x34, bwd((x) => F.leakyRelu(x, 0.2))],
  leaky_relu_inplace_bwd: [x34, bwd((x) => F.leakyRelu(m(x), 0.2, { inplace: true }))],
  elu_bwd: [x34, bwd((x) => F.elu(x))],
  elu_inplace_bwd: [x34, bwd((x) => F.elu(m(x), { inplace: true }))],
  celu_bwd: [x34, bwd((x) => F.celu(x, 0.7))],
  selu_bwd: [x34, bwd((x) => F.selu(x))],
  softplus_bwd: [x34, bwd((x) => F.softplus(x))],
  hardtanh_inplace_bwd: [x34, bwd((x) => F.hardtanh(m(x), { inplace: true }))],
  relu6_bwd: [x34, bwd((x) => F.relu6(x))],
  hardsigmoid_bwd: [x34, bwd((x) => F.hardsigmoid(x))],
  hardswish_bwd: [x34, bwd((x) => F.hardswish(x))],
  mish_bwd: [x34, bwd((x) => F.mish(x))],
  mish_inplace_bwd: [x34, bwd((x) => F.mish(m(x), { inplace: true }))],
  logsigmoid_bwd: [x34, bwd((x) => F.logsigmoid(x))],
  glu_bwd: [x34, bwd((x) => F.glu(x))],
  softshrink_bwd: [x34, bwd((x) => F.softshrink(x))],
  hardshrink_bwd: [x34, bwd((x) => F.hardshrink(x))],
  threshold_inplace_bwd: [x34, bwd((x) => F.threshold(m(x), 0.1, 20.0, { inplace: true }))],
  l1_loss_bwd: [pair, bwd((a, b) => F.l1Loss(a, b))],
  smooth_l1_loss_bwd: [pair, bwd((a, b) => F.smoothL1Loss(a, b))],
  huber_loss_bwd: [pair, bwd((a, b) => F.huberLoss(a, b, { reduction: "none" }))],
  kl_div_bwd: [logp, bwd((a, b) => F.klDiv(a, b, { reduction: "batchmean" }))],
};

describe("op sequences of the nn activations and regression losses match PyTorch 2.14", () => {
  it("covers every recorded program", () => expect(Object.keys(programs).sort()).toEqual(Object.keys(expected).sort()));
  for (const [name, [make, fn]] of Object.entries(programs)) {
    it(name, () => {
      const args = make();
      const log = new Log();
      log.run(() => fn(...args));
      expect(log.calls.map(normalize)).toEqual(expected[name]!.map(normalize));
    });
  }
});

describe("activation and loss modules", () => {
  it("print as PyTorch's", () => {
    expect(String(new nn.LeakyReLU())).toBe("LeakyReLU(negative_slope=0.01)");
    expect(String(new nn.LeakyReLU(0.2, { inplace: true }))).toBe("LeakyReLU(negative_slope=0.2, inplace=True)");
    expect(String(new nn.ELU())).toBe("ELU(alpha=1.0)");
    expect(String(new nn.CELU(0.5, { inplace: true }))).toBe("CELU(alpha=0.5, inplace=True)");
    expect(String(new nn.SELU())).toBe("SELU()");
    expect(String(new nn.Softplus())).toBe("Softplus(beta=1.0, threshold=20.0)");
    expect(String(new nn.Hardtanh())).toBe("Hardtanh(min_val=-1.0, max_val=1.0)");
    expect(String(new nn.ReLU6({ inplace: true }))).toBe("ReLU6(inplace=True)");
    expect(String(new nn.Hardsigmoid())).toBe("Hardsigmoid()");
    expect(String(new nn.Mish())).toBe("Mish()");
    expect(String(new nn.GLU())).toBe("GLU(dim=-1)");
    expect(String(new nn.Softshrink())).toBe("Softshrink(0.5)");
    expect(String(new nn.Hardshrink(1))).toBe("Hardshrink(1.0)");
    expect(String(new nn.Threshold(0.1, 20))).toBe("Threshold(threshold=0.1, value=20.0)");
    expect(String(new nn.L1Loss())).toBe("L1Loss()");
    expect(String(new nn.KLDivLoss())).toBe("KLDivLoss()");
  });
  it("raise PyTorch's errors", () => {
    expect(() => F.hardtanh(ar([2]), 2, 1)).toThrow("min_val cannot be greater than max_val");
    expect(() => F.glu(torch.tensor(1.0))).toThrow("glu does not support scalars because halving size must be even");
    expect(() => F.l1Loss(ar([3, 4]), ar([3, 4]), { weight: ar([4]) })).toThrow("Weights and input must have the same size.");
  });
  it("compute the values of their functional forms", () => {
    const x = torch.tensor([-2, -0.5, 0, 0.5, 2]);
    expect(new nn.ReLU6().call(x.mul(4)).tolist()).toEqual([0, 0, 0, 2, 6]);
    expect(new nn.LeakyReLU(0.5).call(x).tolist()).toEqual([-1, -0.25, 0, 0.5, 2]);
    expect(new nn.Hardshrink(1).call(x).tolist()).toEqual([-2, 0, 0, 0, 2]);
    expect(new nn.Threshold(0, -1).call(x).tolist()).toEqual([-1, -1, -1, 0.5, 2]);
    expect(new nn.L1Loss({ reduction: "sum" }).call(x, torch.zerosLike(x)).item()).toBe(5);
  });
});

describe("torch.* activation functions and methods", () => {
  it("call the aten operators", () => {
    const p = torch.tensor([0.25, 0.5]);
    expect((torch.logit(p).tolist() as number[])[0]).toBeCloseTo(Math.log(1 / 3), 6);
    expect((p.logit(0.3).tolist() as number[])[0]).toBeCloseTo(Math.log(0.3 / 0.7), 6);
    expect(torch.tensor([-1, 0.2, 1]).hardshrink().tolist()).toEqual([-1, 0, 1]);
    expect(torch.threshold(torch.tensor([0.5, 2]), 1, 0).tolist()).toEqual([0, 2]);
    const x = torch.tensor([-1, 1], { dtype: "float64" });
    expect((torch.celu(x, 0.5).tolist() as number[])[0]).toBeCloseTo(0.5 * Math.expm1(-2), 12);
    expect((torch.selu(x).tolist() as number[])[1]).toBeCloseTo(1.0507009873554805, 12);
    const y = x.clone();
    torch.threshold_(y, 0, 7);
    expect(y.tolist()).toEqual([7, 1]);
    const logp = F.logSoftmax(ar([2, 3]), 1);
    const q = F.softmax(flip(ar([2, 3])), 1);
    expect(torch.klDiv(logp, q, { reduction: 2 }).item()).toBeCloseTo(F.klDiv(logp, q, { reduction: "sum" }).item() as number, 6);
  });
});
