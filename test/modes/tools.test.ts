// The tools built on the Python key: LoggingMode/LoggingTensor logs, FakeTensorMode (no data,
// meta shapes, conversion of real tensors, data-dependent errors, bytes), makeFx (graph, code,
// JSON, replay equals eager), profile (ranges, Chrome trace, table).
import { describe, expect, it } from "vitest";
import ts from "typescript";
import * as torch from "../../src/index.js";

const x = torch.tensor([[1, 2], [3, 4]]);

describe("LoggingMode", () => {
  it("records each call with argument and result shapes/dtypes and leaves results unchanged", () => {
    const { result, log, text } = torch.LoggingMode.record(() => x.add(x, { alpha: 2 }).exp());
    expect(log.map((c) => c.op)).toEqual(["aten.add.Tensor", "aten.exp.default"]);
    expect(text.split("\n")[0]).toBe("aten.add.Tensor(f32[2, 2], f32[2, 2], alpha=2) -> f32[2, 2]");
    expect((result as torch.Tensor).tolist()).toEqual(x.add(x, { alpha: 2 }).exp().tolist());
  });

  it("LoggingTensor logs ops run on it and returns LoggingTensors", () => {
    torch.LoggingTensor.log = [];
    const t = torch.LoggingTensor.wrap(x);
    const y = t.neg();
    expect(y).toBeInstanceOf(torch.LoggingTensor);
    expect((y as torch.LoggingTensor).elem.tolist()).toEqual([[-1, -2], [-3, -4]]);
    expect(torch.LoggingTensor.log.map(torch.formatCall)).toEqual(["aten.neg.default(f32[2, 2]) -> f32[2, 2]"]);
  });
});

describe("FakeTensorMode", () => {
  it("in-place metadata ops (transpose_, as_strided_) update the fake tensor itself and return it, as on real tensors", () => {
    const mode = new torch.FakeTensorMode();
    mode.run(() => {
      const x = torch.empty([2, 3]);
      const r = x.transpose_(0, 1);
      expect(r).toBe(x);
      expect([[...x.shape], x.stride()]).toEqual([[3, 2], [1, 3]]);
      const y = torch.empty([2, 4]);
      y.asStrided_([4, 2], [1, 4]);
      expect([[...y.shape], y.stride()]).toEqual([[4, 2], [1, 4]]);
    });
  });

  it("computes shapes, dtypes and strides through the Meta kernels, without data", () => {
    const mode = new torch.FakeTensorMode();
    const y = mode.run(() => torch.zeros([3, 4], { dtype: "float64" }).add(torch.ones([4], { dtype: "int32" })));
    expect(y).toBeInstanceOf(torch.FakeTensor);
    expect([...y.shape]).toEqual([3, 4]);
    expect(y.dtype).toBe("float64");
    expect(y.device).toBe("cpu");
    expect(y.stride()).toEqual([4, 1]);
    expect(() => y.data()).toThrow();
    expect(String(y)).toBe("FakeTensor(..., size=(3, 4), dtype=torch.float64)");
  });

  it("converts real tensors entering the mode, and counts the bytes a real run would allocate", () => {
    const mode = new torch.FakeTensorMode();
    const out = mode.run(() => x.mul(x).exp());
    expect(out).toBeInstanceOf(torch.FakeTensor);
    expect(mode.peakBytes).toBe(2 * 16);
  });

  it("raises a clear error naming a data-dependent op", () => {
    const mode = new torch.FakeTensorMode();
    expect(() => mode.run(() => x.item())).toThrow(/aten\.(_local_scalar_dense|item)/);
    try {
      mode.run(() => torch.zeros([1]).item());
    } catch (e) {
      expect((e as Error).name).toBe("DataDependentOutputException");
      expect((e as Error).message).toContain("aten._local_scalar_dense.default");
    }
  });

  it("a fake tensor used after the mode exits still computes fake", () => {
    const mode = new torch.FakeTensorMode();
    const f = mode.run(() => torch.ones([2]));
    const g = f.mul(3);
    expect(g).toBeInstanceOf(torch.FakeTensor);
  });

  it("a mode or kernel that throws leaves the mode stack and TLS as they were", () => {
    const before = String(torch.dispatcher.tlsLocalIncludeSet());
    const mode = new torch.FakeTensorMode();
    expect(() => mode.run(() => torch.ones([2]).add(torch.ones([3])))).toThrow("must match the size of tensor b");
    expect(torch.dispatchModeStack()).toHaveLength(0);
    expect(String(torch.dispatcher.tlsLocalIncludeSet())).toBe(before);
  });
});

describe("makeFx", () => {
  const fn = (a: torch.Tensor, b: torch.Tensor) => a.mul(b).add(a, { alpha: 2 }).exp();
  const a = torch.tensor([0.5, 1]);
  const b = torch.tensor([2, -1]);

  it("records placeholders (named after the parameters), call_function nodes and the output, printed exactly as PyTorch's make_fx prints them", () => {
    const gm = torch.makeFx(fn)(a, b);
    expect(String(gm.graph)).toBe(
      [
        "graph():",
        "    %a_1 : [num_users=2] = placeholder[target=a_1]",
        "    %b_1 : [num_users=1] = placeholder[target=b_1]",
        "    %mul : [num_users=1] = call_function[target=torch.ops.aten.mul.Tensor](args = (%a_1, %b_1), kwargs = {})",
        "    %add : [num_users=1] = call_function[target=torch.ops.aten.add.Tensor](args = (%mul, %a_1), kwargs = {alpha: 2})",
        "    %exp : [num_users=1] = call_function[target=torch.ops.aten.exp.default](args = (%add,), kwargs = {})",
        "    return exp",
      ].join("\n"),
    );
  });

  it("replays to the same result as eager, also from its generated TypeScript code", () => {
    const gm = torch.makeFx(fn)(a, b);
    const eager = fn(a, b).tolist();
    expect((gm.forward(a, b) as torch.Tensor).tolist()).toEqual(eager);
    const js = ts.transpileModule(gm.code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const mod: { exports: { default?: (...args: unknown[]) => unknown } } = { exports: {} };
    new Function("module", "exports", "require", js)(mod, mod.exports, () => ({}));
    const replay = mod.exports.default!(torch, {}, a, b) as torch.Tensor;
    expect(replay.tolist()).toEqual(eager);
  });

  it("exports JSON with node metadata and tracks constants", () => {
    const c = torch.tensor([10, 20]);
    const gm = torch.makeFx((t: torch.Tensor) => t.add(c))(a);
    const j = gm.toJSON();
    expect(j.constants).toEqual(["_tensor_constant0"]);
    expect(j.nodes.map((n) => (n as { op: string }).op)).toEqual(["placeholder", "get_attr", "call_function", "output"]);
    expect((j.nodes[2] as { meta: { shape: number[] } }).meta.shape).toEqual([2]);
    expect((gm.forward(a) as torch.Tensor).tolist()).toEqual(a.add(c).tolist());
    expect(gm.toDot()).toContain('"t_1" -> "add"');
  });

  it("prints tuple outputs, builtin-named nodes and getitem as torch.fx does", () => {
    const gm = torch.makeFx((v: torch.Tensor) => [v.relu(), v.sum(0)])(a);
    expect(String(gm.graph).split("\n").slice(-2)).toEqual([
      "    %sum_1 : [num_users=1] = call_function[target=torch.ops.aten.sum.dim_IntList](args = (%v_1, [0]), kwargs = {})",
      "    return (relu, sum_1)",
    ]);
    const mx = torch.makeFx((v: torch.Tensor) => torch.max(v.view(2, 1), 0))(a);
    expect(String(mx.graph)).toContain("%getitem_1 : [num_users=1] = call_function[target=operator.getitem](args = (%max_1, 1), kwargs = {})");
  });

  it("traces on fake tensors with tracingMode fake, and at PreDispatch with preDispatch", () => {
    const gm = torch.makeFx((t: torch.Tensor) => t.mul(t).relu(), { tracingMode: "fake" })(a);
    expect(gm.graph.nodes.filter((n) => n.op === "call_function").map((n) => n.targetName)).toEqual([
      "torch.ops.aten.mul.Tensor",
      "torch.ops.aten.relu.default",
    ]);
    expect((gm.forward(a) as torch.Tensor).tolist()).toEqual(a.mul(a).relu().tolist());
    const pre = torch.makeFx((t: torch.Tensor) => t.mul(t), { preDispatch: true })(a);
    expect(pre.graph.nodes.map((n) => n.op)).toEqual(["placeholder", "call_function", "output"]);
  });
});

describe("profile", () => {
  it("records nested ranges with input shapes and exports a Chrome trace and a table", () => {
    class M extends torch.TorchDispatchMode {}
    const p = torch.profile(() => new M().run(() => x.add(x)));
    expect(p.events.map((e) => `${e.depth}:${e.name}`)).toEqual(["0:aten::add", "1:PythonDispatchMode", "2:aten::add"]);
    expect(p.events[0]!.inputShapes).toEqual([[2, 2], [2, 2], []]);
    const trace = p.toChromeTrace();
    expect(trace.traceEvents).toHaveLength(3);
    expect(trace.traceEvents[0]).toMatchObject({ name: "aten::add", ph: "X", pid: 1, tid: 1 });
    expect(p.table()).toMatch(/^Name\s+Calls\s+Total \(us\)\s+Self \(us\)/);
    expect(p.rows()[0]!.calls).toBe(2);
  });
});
