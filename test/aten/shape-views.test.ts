// Behaviour of the shape family that fixtures cannot express: views share storage and version
// counter with their base and writes through them show in the base; which results are views;
// the operator sequences PyTorch 2.14's profiler and logging mode show (reshape = view,
// _reshape_alias, or clone + _unsafe_view; view ops reach as_strided); the Tensor methods.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { Tensor } from "../../src/tensor/tensor.js";

/** A fresh (non-view) float tensor holding 0..n-1. */
const arange = (n: number, shape: number[]) => torch.arange(n).to("float32").reshape(shape).clone();

/** Every operator call fn makes, as `name.overload` indented by nesting depth. */
function trace(fn: () => unknown): string[] {
  const seen: Array<[number, string]> = [];
  const h = torch.addGlobalCallback({
    start: (ev) => void seen.push([ev.depth, `${ev.name.replace("aten::", "")}${ev.overloadName ? `.${ev.overloadName}` : ""}`]),
    scopes: ["function"],
  });
  try {
    fn();
  } finally {
    h.remove();
  }
  const base = Math.min(...seen.map(([d]) => d));
  return seen.map(([d, n]) => `${"  ".repeat(d - base)}${n}`);
}

/** The calls at nesting depth 0 and 1 only (deeper ones belong to other families). */
const shallow = (calls: string[]) => calls.filter((c) => !c.startsWith("    "));

describe("views share storage and version counter", () => {
  it("writes through a view show in the base and bump the shared version", () => {
    const x = torch.zeros([2, 3]);
    const col = x.t().select(0, 1);
    expect(col._storage).toBe(x._storage);
    expect(col._base).toBe(x);
    const before = x.version;
    col.fill_(5);
    expect(x.tolist()).toEqual([
      [0, 5, 0],
      [0, 5, 0],
    ]);
    expect(x.version).toBe(before + 1);
    expect(col.version).toBe(x.version);
  });

  it("every view op returns a view of the original base, also through other views", () => {
    const x = arange(24, [2, 3, 4]);
    const views: Tensor[] = [
      x.view(6, 4),
      x.reshape(-1),
      x.transpose(0, 2),
      x.permute(2, 0, 1),
      x.select(1, 1).t(),
      x.slice(2, 1, 3),
      x.unsqueeze(0).expand(2, 2, 3, 4),
      x.narrow(1, 0, 2).squeeze(),
      x.flatten(1),
      x.unflatten(2, [2, 2]),
      x.asStrided([2], [5], 1),
      ...x.split(1, 1),
      ...x.chunk(2, 2),
      ...x.unbind(0),
      x.expandAs(torch.zeros([3, 2, 3, 4])),
      torch.ops.aten.alias(x) as Tensor,
    ];
    for (const v of views) {
      expect(v._base).toBe(x);
      expect(v._storage).toBe(x._storage);
      expect(v._version).toBe(x._version);
    }
    x.view(24).add_(1);
    expect(views.every((v) => v.version === x.version)).toBe(true);
    expect(x.view(-1).tolist()).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it("_unsafe_view, detach and view(dtype) share the data but are not views (as in PyTorch)", () => {
    const x = arange(12, [3, 4]);
    const u = torch.ops.aten._unsafe_view(x, [12]) as Tensor;
    expect([u._base, u._storage === x._storage, u._version === x._version]).toEqual([null, true, false]);
    const d = x.detach();
    expect([d._base, d._storage === x._storage, d._version === x._version, d.requiresGrad]).toEqual([null, true, true, false]);
    const b = x.view("int32");
    expect([b._base, b._version === x._version, b.dtype]).toEqual([null, true, "int32"]);
    x.view(-1).select(0, 0).fill_(1);
    expect(b.view(-1).select(0, 0).item()).toBe(1065353216);
  });

  it("contiguous returns self when already contiguous and a fresh copy otherwise; clone always copies", () => {
    const x = arange(6, [2, 3]);
    expect(x.contiguous()).toBe(x);
    expect(torch.ops.aten.contiguous(x)).toBe(x);
    const c = x.t().contiguous();
    expect([c._storage !== x._storage, c.isContiguous(), c._base]).toEqual([true, true, null]);
    expect(c.tolist()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    const k = x.t().clone();
    expect([k._storage !== x._storage, k.stride(), k._base]).toEqual([true, [1, 3], null]);
    expect(x.t().clone({ memoryFormat: "contiguous_format" }).stride()).toEqual([2, 1]);
  });

  it("views of meta tensors keep the meta storage and PyTorch's geometry", () => {
    const x = torch.empty([4, 6], { device: "meta" });
    const v = x.t().slice(0, 1, 5, 2);
    expect([v.device, v.shape, v.stride(), v.storageOffset(), v._storage]).toEqual(["meta", [2, 4], [2, 6], 1, x._storage]);
    expect(x.t().reshape(24).stride()).toEqual([1]);
    expect(x.view("float64").shape).toEqual([4, 3]);
  });

  it("view(dtype) cannot reinterpret int64 on CPU (stored as float64 numbers) but can on meta", () => {
    const l = torch.arange(4);
    expect(() => l.view("float64")).toThrow(torch.NotImplementedError);
    expect(l.to("meta").view("int32").shape).toEqual([8]);
  });
});

describe("in-place metadata ops and diagonal", () => {
  it("restride self in place, bump the version once per call, and leave the base alone", () => {
    const x = arange(6, [1, 6]);
    const v = x.view(6);
    const before = x.version;
    expect(v.unsqueeze_(0)).toBe(v);
    expect([v.shape, x.shape, x.version]).toEqual([[1, 6], [1, 6], before + 1]);
    v.squeeze_();
    v.t_();
    v.transpose_(0, 0);
    expect([v.shape, x.version]).toEqual([[6], before + 4]);
    const m = arange(6, [2, 3]);
    m.t_();
    expect([m.shape, m.stride(), m.tolist()]).toEqual([[3, 2], [1, 3], [[0, 3], [1, 4], [2, 5]]]);
    m.asStrided_([2], [2], 1);
    expect([m.shape, m.storageOffset(), m.tolist()]).toEqual([[2], 1, [1, 3]]);
  });

  it("reach as_strided_ as in ATen, and movedim.int permutes without a second movedim", () => {
    const m = arange(6, [2, 3]);
    expect(trace(() => m.t_())).toEqual(["t_", "  transpose_", "    as_strided_"]);
    expect(trace(() => m.squeeze_(0))).toEqual(["squeeze_.dim", "  as_strided_"]);
    expect(trace(() => m.movedim(0, 1))).toEqual(["movedim.int", "  permute", "    as_strided"]);
    expect(trace(() => m.moveaxis([0], [1]))).toEqual(["moveaxis.intlist", "  movedim.intlist", "    permute", "      as_strided"]);
    expect(trace(() => m.swapaxes(0, 1))).toEqual(["swapaxes", "  transpose.int", "    as_strided"]);
  });

  it("diagonal is a view: writes through it land on the base's diagonal", () => {
    const x = torch.zeros([3, 4]);
    x.diagonal(1).fill_(7);
    expect(x.tolist()).toEqual([
      [0, 7, 0, 0],
      [0, 0, 7, 0],
      [0, 0, 0, 7],
    ]);
    expect(torch.diagonal(x, -1).shape).toEqual([2]);
    expect(torch.movedim(torch.zeros([2, 3, 4]), 0, -1).shape).toEqual([3, 4, 2]);
    expect(torch.moveaxis(torch.zeros([2, 3, 4]), [0, 1], [2, 0]).shape).toEqual([3, 4, 2]);
    expect(torch.swapdims(torch.zeros([2, 3]), 0, 1).shape).toEqual([3, 2]);
  });
});

describe("operator sequences (PyTorch 2.14's profiler and logging mode)", () => {
  const x = arange(12, [3, 4]);

  it("reshape: view when contiguous, _reshape_alias when viewable, clone + _unsafe_view otherwise", () => {
    expect(trace(() => x.reshape(12))).toEqual(["reshape", "  view"]);
    expect(trace(() => x.t().reshape(4, 3, 1))).toEqual(["t", "  transpose.int", "    as_strided", "reshape", "  _reshape_alias"]);
    const nc = x.t();
    expect(shallow(trace(() => nc.reshape(12)))).toEqual(["reshape", "  clone", "  _unsafe_view"]);
    const inner = trace(() => nc.reshape(12)).filter((c) => c.startsWith("    ") && !c.startsWith("      "));
    expect(inner).toEqual(["    empty_like", "    copy_"]);
  });

  it("reshape of a non-contiguous tensor logs clone + _unsafe_view under a logging mode, and view when viewable", () => {
    const nc = x.t();
    const copy = torch.LoggingMode.record(() => nc.reshape(-1));
    expect(copy.log.map((c) => c.op)).toEqual(["aten.clone.default", "aten._unsafe_view.default"]);
    expect(copy.result.tolist()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(torch.LoggingMode.record(() => nc.reshape(4, 3, 1)).log.map((c) => c.op)).toEqual(["aten.view.default"]);
    expect(torch.LoggingMode.record(() => x.reshape(12)).log.map((c) => c.op)).toEqual(["aten.view.default"]);
  });

  it("view ops reach as_strided, composites call the ops ATen calls", () => {
    expect(trace(() => x.transpose(0, 1))).toEqual(["transpose.int", "  as_strided"]);
    expect(trace(() => x.transpose(1, 1))).toEqual(["transpose.int", "  alias"]);
    expect(trace(() => x.expandAs(torch.ops.aten.alias(x) as Tensor))).toEqual(["alias", "expand_as", "  expand", "    as_strided"]);
    expect(trace(() => x.split(2))).toEqual([
      "split.Tensor",
      "  narrow",
      "    slice.Tensor",
      "      as_strided",
      "  narrow",
      "    slice.Tensor",
      "      as_strided",
    ]);
    expect(trace(() => x.split([1, 2]))).toEqual(["split_with_sizes", "  as_strided", "  as_strided"]);
    expect(trace(() => x.chunk(3, 1)).slice(0, 2)).toEqual(["chunk", "  split.Tensor"]);
    expect(trace(() => x.unbind(1)).slice(0, 3)).toEqual(["unbind.int", "  select.int", "    as_strided"]);
    expect(trace(() => x.unflatten(1, [2, 2]))).toEqual(["unflatten.int", "  view"]);
    expect(shallow(trace(() => x.t().flatten()))).toEqual(["t", "  transpose.int", "flatten.using_ints", "  clone", "  _unsafe_view"]);
    expect(trace(() => torch.ops.aten.flatten(torch.ops.aten.select(x.select(0, 0), 0, 0)))).toContain("  reshape");
    expect(shallow(trace(() => x.narrow(0, torch.tensor(1n), 2)))).toContain("  item");
    expect(shallow(trace(() => x.slice(1, 0, 4, 2).clone()))).toEqual(["slice.Tensor", "  as_strided", "clone", "  empty_like", "  copy_"]);
    expect(shallow(trace(() => x.t().clone()))).toEqual(["t", "  transpose.int", "clone", "  empty_strided", "  copy_"]);
  });
});

describe("Tensor methods and torch functions", () => {
  it("take sizes as varargs or one array, like PyTorch", () => {
    const x = arange(12, [3, 4]);
    expect(x.view(2, 6).shape).toEqual([2, 6]);
    expect(x.view([4, -1]).shape).toEqual([4, 3]);
    expect(x.reshape(-1).shape).toEqual([12]);
    expect(x.permute(1, 0).shape).toEqual([4, 3]);
    expect(x.permute([1, 0]).shape).toEqual([4, 3]);
    expect(x.select(0, 0).expand(2, 4).stride()).toEqual([0, 1]);
    expect(x.select(0, 0).expand([2, -1]).stride()).toEqual([0, 1]);
    expect(() => x.view(2, [6] as unknown as number)).toThrow(TypeError);
  });

  it("cover squeeze / split / narrow overloads and the top-level functions", () => {
    const x = torch.zeros([1, 3, 1]);
    expect([x.squeeze().shape, x.squeeze(0).shape, x.squeeze([0, 2]).shape]).toEqual([[3], [3, 1], [3]]);
    const y = arange(6, [2, 3]);
    expect(y.split(2, 1).map((p) => p.shape)).toEqual([
      [2, 2],
      [2, 1],
    ]);
    expect(y.split([1, 2], 1).map((p) => p.shape[1])).toEqual([1, 2]);
    expect(y.narrow(1, torch.tensor(1n), 2).tolist()).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(y.slice(1, null, null, 2).tolist()).toEqual([
      [0, 2],
      [3, 5],
    ]);
    expect(torch.reshape(y, [3, 2]).shape).toEqual([3, 2]);
    expect(torch.transpose(y, 0, 1).shape).toEqual([3, 2]);
    expect(torch.permute(y, [1, 0]).shape).toEqual([3, 2]);
    expect(torch.t(y).shape).toEqual([3, 2]);
    expect(torch.flatten(y).shape).toEqual([6]);
    expect(torch.unflatten(y, 1, [3, 1]).shape).toEqual([2, 3, 1]);
    expect(torch.squeeze(x, 2).shape).toEqual([1, 3]);
    expect(torch.unsqueeze(y, -1).shape).toEqual([2, 3, 1]);
    expect(torch.split(y, 1).length).toBe(2);
    expect(torch.chunk(y, 3, 1).length).toBe(3);
    expect(torch.unbind(y, 1).length).toBe(3);
    expect(torch.narrow(y, 0, 1, 1).tolist()).toEqual([[3, 4, 5]]);
    expect(torch.select(y, 1, 2).tolist()).toEqual([2, 5]);
    expect(torch.asStrided(y, [2, 2], [1, 1]).tolist()).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(torch.clone(y.t(), { memoryFormat: "contiguous_format" }).isContiguous()).toBe(true);
    expect(torch.detach(y).isView).toBe(false);
    expect(y.viewAs(torch.zeros([6])).shape).toEqual([6]);
    expect(y.t().reshapeAs(torch.zeros([6])).tolist()).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it("raise PyTorch's errors before producing anything", () => {
    const x = arange(6, [2, 3]);
    expect(() => x.t().view(6)).toThrow(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
    expect(() => x.view(2, 5)).toThrow("shape '[2, 5]' is invalid for input of size 6");
    expect(() => x.transpose(0, 2)).toThrow(torch.IndexError);
    expect(() => x.expand(2, 2)).toThrow(
      "The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 2].  Tensor sizes: [2, 3]",
    );
    expect(() => x.permute(0, 1, 2)).toThrow(
      "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 3",
    );
    expect(() => x.select(1, 3)).toThrow("select(): index 3 out of range for tensor of size [2, 3] at dimension 1");
  });
});
