// The shape-more family (roll, tile, broadcast_to, broadcast_tensors, meshgrid, atleast_Nd,
// h/v/dstack, outer, argsort, take_along_dim, new_*, one_hot, count_nonzero, aminmax) against
// PyTorch 2.14 (fixtures from scripts/fixtures/ops_shape_more.py):
// - every case replayed on PyTorch's exact input layouts (test/fixtures/shape-more-layout.json):
//   values, strides and storage offsets on CPU, the layout on meta, or the same error;
// - the op sequence a logging mode sees (test/fixtures/shape-more-sequences.json);
// - the JS API's calling conventions.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { allocArray, type DType, itemsize } from "../../src/tensor/dtype.js";
import { type Device, Storage, Tensor } from "../../src/tensor/tensor.js";
import { type FixtureCase, decode, expectMatches, expectedError } from "../opinfo/fixture-codec.js";
import { OpLogMode } from "./op-log.js";

interface EncTensor {
  shape: number[];
  dtype: DType;
  strides: number[];
  offset: number;
  storage: Array<number | boolean | string>;
}
type Case = FixtureCase & { meta?: boolean; sequence?: string[] };

const load = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8")) as Case[];
const layoutCases = load("shape-more-layout.json");
const seqCases = load("shape-more-sequences.json");

const num = (v: number | boolean | string): number =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : typeof v === "boolean" ? (v ? 1 : 0) : Number(v);

/** Rebuilds an encoded argument; tensors get PyTorch's storage, strides and offset. */
function rebuild(v: unknown, device: Device): unknown {
  if (Array.isArray(v)) return v.map((x) => rebuild(x, device));
  if (v !== null && typeof v === "object" && "t" in v) {
    const t = (v as { t: EncTensor }).t;
    const n = t.storage.length;
    let storage: Storage;
    if (device === "meta") {
      storage = new Storage("meta", null, n * itemsize(t.dtype));
    } else {
      const data = allocArray(t.dtype, n);
      t.storage.forEach((x, i) => (data[i] = num(x)));
      storage = new Storage("cpu", data, n * itemsize(t.dtype));
    }
    return new Tensor(storage, t.shape.slice(), t.strides.slice(), t.offset, t.dtype, device);
  }
  return decode(v);
}

function run(c: Case, device: Device): unknown {
  const op = torch.lookupOp(c.op)!;
  const args = (c.args as unknown[]).map((a) => rebuild(a, device));
  const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, rebuild(v, device)]));
  return Object.keys(kwargs).length ? op(...args, kwargs) : op(...args);
}

function expectLayout(actual: unknown, expected: unknown, ctx: string): void {
  if (Array.isArray(expected)) {
    expect((actual as unknown[]).length, ctx).toBe(expected.length);
    expected.forEach((e, i) => expectLayout((actual as unknown[])[i], e, `${ctx}[${i}]`));
    return;
  }
  const e = (expected as { t: { shape: number[]; dtype: DType; strides: number[]; offset: number } }).t;
  const t = actual as Tensor;
  expect({ shape: [...t.shape], dtype: t.dtype, strides: t.stride(), offset: t.storageOffset() }, ctx).toEqual({
    shape: e.shape,
    dtype: e.dtype,
    strides: e.strides,
    offset: e.offset,
  });
}

function thrownBy(f: () => unknown): Error | null {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  return null;
}

describe("shape-more ops on PyTorch's exact input layouts", () => {
  layoutCases.forEach((c, i) => {
    const title = `${c.op} #${i}`;
    const err = expectedError(c.out);
    const devices: Device[] = c.meta === false || err ? ["cpu"] : ["cpu", "meta"];
    for (const device of devices) {
      if (err) {
        it(`${title} raises ${err.error} like PyTorch`, () => {
          const thrown = thrownBy(() => run(c, device));
          expect(thrown, `${title}: expected ${err.error}: ${err.message}`).not.toBeNull();
          expect(thrown!.message.split("\n")[0]).toBe(err.message);
          expect(thrown!.name).toBe(err.error);
        });
      } else {
        it(`${title} gives PyTorch's ${device === "cpu" ? "values, strides and offsets" : "layout"} (${device})`, () => {
          const out = run(c, device);
          if (device === "cpu") expectMatches(out, c.out, title);
          // new_empty's storage is uninitialized: only its layout is compared
          expectLayout(out, c.out, title);
        });
      }
    }
  });
});

describe("shape-more decompositions run the aten ops PyTorch's logging mode sees", () => {
  seqCases.forEach((c, i) => {
    // with no tensor argument PyTorch's mode sees the composite itself (nothing to dispatch on)
    if (c.sequence!.length === 1 && c.sequence![0] === c.op) return;
    it(`${c.op} #${i}: ${c.sequence!.join(", ") || "(no ops)"}`, () => {
      const mode = new OpLogMode(true);
      const args = decode(c.args) as unknown[];
      const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, decode(v)]));
      const op = torch.lookupOp(c.op)!;
      try {
        mode.run(() => (Object.keys(kwargs).length ? op(...args, kwargs) : op(...args)));
      } catch {
        // error cases: the ops seen before the error
      }
      expect(mode.ops).toEqual(c.sequence);
    });
  });
});

describe("shape-more JS API", () => {
  it("roll, tile, broadcastTo, outer", () => {
    expect(torch.roll(torch.arange(5), 2).tolist()).toEqual([3, 4, 0, 1, 2]);
    expect(torch.arange(6).view(2, 3).roll([1, -1], [0, 1]).tolist()).toEqual([[4, 5, 3], [1, 2, 0]]);
    expect(torch.tile(torch.tensor([1, 2]), [2]).tolist()).toEqual([1, 2, 1, 2]);
    const b = torch.broadcastTo(torch.tensor([1, 2, 3]), [2, 3]);
    expect([b.shape, b.stride()]).toEqual([[2, 3], [0, 1]]);
    expect(torch.outer(torch.tensor([1, 2]), torch.tensor([3, 4])).tolist()).toEqual([[3, 4], [6, 8]]);
  });
  it("broadcastTensors, meshgrid (indexing as a keyword), stacks", () => {
    const [x, y] = torch.broadcastTensors(torch.zeros([3]), torch.zeros([2, 1]));
    expect([x!.shape, y!.shape]).toEqual([[2, 3], [2, 3]]);
    const [gx, gy] = torch.meshgrid([torch.arange(3), torch.arange(2)], { indexing: "xy" });
    expect([gx!.shape, gx!.tolist(), gy!.tolist()]).toEqual([[2, 3], [[0, 1, 2], [0, 1, 2]], [[0, 0, 0], [1, 1, 1]]]);
    const { warnings } = torch.catchWarnings(() => torch.meshgrid([torch.arange(2)]));
    expect(warnings.length).toBeLessThanOrEqual(1);
    expect(torch.hstack([torch.tensor([1, 2]), torch.tensor([3])]).tolist()).toEqual([1, 2, 3]);
    expect(torch.vstack([torch.tensor([1, 2]), torch.tensor([3, 4])]).shape).toEqual([2, 2]);
    expect(torch.dstack([torch.tensor([1, 2]), torch.tensor([3, 4])]).shape).toEqual([1, 2, 2]);
    expect(torch.atleast3d(torch.tensor([1, 2])).shape).toEqual([1, 2, 1]);
    expect(torch.atleast1d(torch.tensor(1), torch.tensor([2])).map((t) => t.shape)).toEqual([[1], [1]]);
  });
  it("argsort with positional and keyword arguments", () => {
    const v = torch.tensor([2, 1, 2, 1, 0]);
    expect(torch.argsort(v).shape).toEqual([5]);
    expect(v.argsort({ stable: true }).tolist()).toEqual([4, 1, 3, 0, 2]);
    expect(v.argsort({ stable: true, descending: true }).tolist()).toEqual([0, 2, 1, 3, 4]);
    expect(torch.argsort(torch.tensor([[3, 1], [0, 2]]), 0, true).tolist()).toEqual([[0, 1], [1, 0]]);
  });
  it("takeAlongDim, countNonzero, aminmax, oneHot", () => {
    expect(torch.takeAlongDim(torch.tensor([[10, 30, 20]]), torch.tensor([[1, -1]], { dtype: "int64" }), 1).tolist()).toEqual([[30, 20]]);
    expect(torch.countNonzero(torch.tensor([[0, 1], [2, 0]]), 0).tolist()).toEqual([1, 1]);
    expect(torch.countNonzero(torch.tensor([[0, 1], [2, 0]])).item()).toBe(2);
    expect(torch.tensor([[0, 1], [2, 3]]).countNonzero([0, 1]).item()).toBe(3);
    const [lo, hi] = torch.aminmax(torch.tensor([[3, 1], [2, 5]]), { dim: 1, keepdim: true });
    expect([lo.tolist(), hi.tolist()]).toEqual([[[1], [2]], [[3], [5]]]);
    expect(torch.oneHot(torch.tensor([0, 2], { dtype: "int64" }), 3).tolist()).toEqual([[1, 0, 0], [0, 0, 1]]);
    // meta tensors take PyTorch's functional path (arange + eq): the layout without data
    const m = torch.oneHot(torch.tensor([[0, 2]], { dtype: "int64" }).to("meta"), 4);
    expect([m.shape, m.dtype, m.device]).toEqual([[1, 2, 4], "int64", "meta"]);
  });
  it("new_full / new_ones / new_empty / new_zeros keep self's dtype unless given", () => {
    const x = torch.zeros([2], { dtype: "float64" });
    expect(x.newFull([2, 2], 1.5).tolist()).toEqual([[1.5, 1.5], [1.5, 1.5]]);
    expect(x.newOnes([3], { dtype: "int32" }).dtype).toBe("int32");
    const e = x.newEmpty([2, 3]);
    expect([e.shape, e.dtype, e.stride()]).toEqual([[2, 3], "float64", [3, 1]]);
    expect(x.newZeros([2]).tolist()).toEqual([0, 0]);
    expect(x.newEmptyStrided([2, 2], [1, 2]).stride()).toEqual([1, 2]);
    const r = torch.ones([2], { requiresGrad: true }).newFull([2], 3);
    expect(r.requiresGrad).toBe(false);
  });
});

describe("shape-more autograd", () => {
  it("roll's node is RollBackward0 and rolls the gradient back", () => {
    const x = torch.arange(6, { dtype: "float64" }).view(2, 3).requiresGrad_(true);
    const y = x.roll([1, 2], [0, 1]);
    expect(y.gradFn?.name()).toBe("RollBackward0");
    const w = torch.arange(6, { dtype: "float64" }).view(2, 3);
    y.mul(w).sum().backward();
    expect(x.grad!.tolist()).toEqual(w.roll([-2, -1], [1, 0]).tolist());
  });
  it("count_nonzero and new_* results do not require grad", () => {
    const x = torch.ones([2, 2], { requiresGrad: true });
    expect(x.countNonzero().requiresGrad).toBe(false);
    expect(x.newOnes([2]).requiresGrad).toBe(false);
    expect(x.newEmpty([2]).requiresGrad).toBe(false);
  });
});

describe("shape-more backward: PyTorch's node names and backward ops (test/fixtures/shape-more-backward.json)", () => {
  const cases = JSON.parse(readFileSync(new URL("../fixtures/shape-more-backward.json", import.meta.url), "utf8")) as Array<{
    label: string;
    node: string;
    ops: string[];
    x: unknown;
    grad: unknown;
  }>;
  const fns: Record<string, [(x: Tensor) => Tensor | Tensor[], number[]]> = {
    roll: [(x) => torch.roll(x, [1, -2], [0, 1]), [2, 3]],
    nansum: [(x) => torch.nansum(x, 1), [2, 3]],
    var_mean: [(x) => torch.varMean(x, 0), [2, 3]],
    "std_mean keepdim": [(x) => torch.stdMean(x, [1], { keepdim: true }), [2, 3]],
    "diag of a matrix": [(x) => torch.diag(x, 1), [3, 3]],
    diag_embed: [(x) => torch.diagEmbed(x, -1), [2, 3]],
    aminmax: [(x) => torch.aminmax(x), [2, 3]],
    "aminmax dim": [(x) => torch.aminmax(x, { dim: 1 }), [2, 3]],
    "aminmax keepdim, max only": [(x) => torch.aminmax(x, { dim: 0, keepdim: true }).slice(1), [2, 3]],
    "aminmax ties": [(x) => torch.aminmax(x.round()), [4, 3]],
    trace: [(x) => torch.trace(x), [3, 4]],
    index_fill: [(x) => x.indexFill(1, torch.tensor([0, 2], { dtype: "int64" }), 1.5), [2, 3]],
    "index_fill_ on a copy": [(x) => x.mul(1).indexFill_(0, torch.tensor([1], { dtype: "int64" }), -1), [2, 3]],
  };
  for (const c of cases) {
    it(`${c.label}: ${c.node}`, () => {
      const [fn, shape] = fns[c.label]!;
      const x = (decode(c.x) as Tensor).requiresGrad_(true);
      expect(x.shape).toEqual(shape);
      const out = fn(x);
      const outs = Array.isArray(out) ? out : [out];
      expect(outs[0]!.gradFn?.name()).toBe(c.node);
      const loss = outs.map((o, i) => o.mul(i + 1).sum()).reduce((acc, t) => acc.add(t));
      const mode = new OpLogMode(true);
      const [gx] = mode.run(() => torch.autograd.grad([loss], [x]));
      expect(mode.ops).toEqual(c.ops);
      expectMatches(gx, c.grad, c.label);
    });
  }
});
