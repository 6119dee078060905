// In-place ops on views and view metadata, against PyTorch 2.14 (test/fixtures/autograd-views.json,
// from scripts/fixtures/autograd_views.py): the base's history is rebased with CopySlices, a view
// whose base changed gets a fresh AsStridedBackward0, as_strided's gradient handles overlapping
// geometries, and the view+inplace misuses raise PyTorch's errors.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { errorOf } from "../error-of.js";
import { OpLogMode } from "../aten/op-log.js";
import type { Tensor } from "../../src/index.js";

interface Scenario {
  inputs: Array<{ shape: number[]; scale: number }>;
  forward_ops: string[];
  backward_ops: string[];
  out: number[];
  loss: number;
  grads: Array<number[] | null>;
  tensors: Record<string, { grad_fn: string | null; version: number; requires_grad: boolean; is_leaf: boolean }>;
}
const fx = JSON.parse(readFileSync(new URL("../fixtures/autograd-views.json", import.meta.url), "utf8")) as {
  scenarios: Record<string, Scenario>;
  next_functions: Record<string, Array<[string | null, number]>>;
  meta: Record<string, unknown>;
  errors: Record<string, [string, string] | null>;
  logging_tensor: { ops: string[]; grad_fn: Record<string, string>; grad: number[] };
  fake: { grad_fn: Record<string, string>; grad_shape: number[] };
  hooks: { y_grad: number[]; seen: Array<[string, number[]]>; b_grad: number[]; v_grad: number[] | null };
};


/** The fixture's deterministic inputs: (arange(n) / n - 0.3) * scale, as float32. */
function ar(shape: number[], scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, (_, i) => Math.fround((i / n - 0.3) * scale));
  return torch.tensor(data).reshape(shape);
}
const leaf = (shape: number[], scale = 1) => ar(shape, scale).requiresGrad_();
function weights(t: Tensor): Tensor {
  const n = t.numel();
  return torch.tensor(Array.from({ length: n }, (_, i) => ((i % 5) + 1) / 5)).reshape(t.shape);
}
/** Python names a node by its class: PyTorch's name() of CopySlices is torch::autograd::CopySlices. */
const nodeName = (t: Tensor) => t.gradFn?.name().replace("torch::autograd::", "") ?? null;
const flat = (t: Tensor) => t.detach().reshape([-1]).tolist() as number[];
function close(got: number[] | null, want: number[] | null) {
  expect(got === null).toBe(want === null);
  if (got === null || want === null) return;
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 5));
}

type Run = (...leaves: Tensor[]) => [Tensor[], Tensor, Record<string, Tensor>];
const scenarios: Record<string, Run> = {
  select_mul_: (x) => {
    const y = x.mul(1);
    y.select(0, 0).mul_(2);
    return [[x], y, { y }];
  },
  slice_add_tensor: (x, z) => {
    const y = x.mul(1);
    const v = y.select(1, 1);
    v.add_(z!, { alpha: 3 });
    return [[x, z!], y, { y, v }];
  },
  base_without_grad_copy_: (w) => {
    const b = torch.zeros([2, 3]);
    b.select(0, 1).copy_(w.mul(2));
    return [[w], b, { b }];
  },
  view_after_base_inplace: (x) => {
    const y = x.mul(1);
    const v = y.select(1, 1);
    y.mul_(3);
    return [[x], v, { y, v }];
  },
  inplace_view_then_view_used: (x) => {
    const y = x.mul(1);
    const v = y.select(0, 0);
    v.exp_();
    return [[x], v, { y, v }];
  },
  transposed_view_inplace: (x, z) => {
    const y = x.mul(1);
    y.t().select(0, 1).mul_(z!);
    return [[x, z!], y, { y }];
  },
  view_of_view_inplace: (x) => {
    const y = x.mul(1);
    const w = y.slice(0, 1, 3).select(0, 0);
    w.add_(1);
    return [[x], y, { y, w }];
  },
  diagonal_zero_: (x) => {
    const y = x.mul(1);
    y.diagonal().zero_();
    return [[x], y, { y }];
  },
  flat_view_inplace: (x) => {
    const y = x.mul(1);
    const v = y.view([6]);
    v.mul_(v.detach().add(1));
    return [[x], y, { y, v }];
  },
  base_and_view_both_used: (x) => {
    const y = x.mul(1);
    const v = y.select(0, 0);
    v.mul_(2);
    return [[x], torch.cat([y.reshape([-1]), v]), { y, v }];
  },
  sibling_view_after_inplace: (x) => {
    const y = x.mul(1);
    const a = y.select(0, 0);
    const b = y.select(0, 1);
    a.mul_(2);
    return [[x], b, { a, b, y }];
  },
  base_modified_twice: (x) => {
    const y = x.mul(1);
    const v = y.select(0, 1);
    y.add_(1);
    y.mul_(2);
    return [[x], v.mul(y.select(0, 0)), { v, y }];
  },
  inplace_sigmoid_on_slice: (x) => {
    const y = x.mul(1);
    y.slice(1, 1, 3).sigmoid_();
    return [[x], y, { y }];
  },
  view_then_view_inplace_twice: (x) => {
    const y = x.mul(1);
    const v = y.select(0, 0);
    v.mul_(2);
    v.add_(x.select(0, 1));
    return [[x], y, { y, v }];
  },
  as_strided_plain: (x) => {
    const y = x.asStrided([2, 2], [1, 2], 1);
    return [[x], y, { y }];
  },
  as_strided_overlapping_out: (x) => {
    const y = x.asStrided([3, 2], [1, 1]);
    return [[x], y, { y }];
  },
  as_strided_expanded_out: (x) => {
    const y = x.asStrided([2, 3], [0, 1], 1);
    return [[x], y, { y }];
  },
  as_strided_overlapping_input: (x) => {
    const y = x.expand([2, 3]).asStrided([2, 2], [1, 1]);
    return [[x], y, { y }];
  },
  as_strided_nonleaf_transposed: (x) => {
    const z = x.mul(1).t().asStrided([2, 2], [1, 2], 2);
    return [[x], z, { z }];
  },
  inplace_on_view_of_view_base_not_requiring: (w) => {
    const b = torch.zeros([3, 4]);
    b.select(0, 1).slice(0, 1, 3).add_(w);
    return [[w], b, { b }];
  },
};

describe("in-place ops on views (PyTorch's CopySlices) and as_strided's gradient", () => {
  it("every fixture scenario has a program here", () => {
    expect(Object.keys(scenarios).sort()).toEqual(Object.keys(fx.scenarios).sort());
  });
  for (const [name, run] of Object.entries(scenarios)) {
    it(`${name}: values, gradients, nodes, versions and the ops seen forward and backward equal PyTorch's`, () => {
      const want = fx.scenarios[name]!;
      const leaves = want.inputs.map((i) => leaf(i.shape, i.scale));
      const fw = new OpLogMode();
      const [ls, out, named] = fw.run(() => run(...leaves));
      expect(fw.ops).toEqual(want.forward_ops);
      for (const [n, info] of Object.entries(want.tensors)) {
        const t = named[n]!;
        expect({ grad_fn: nodeName(t), version: t.version, requires_grad: t.requiresGrad, is_leaf: t.isLeaf }, n).toEqual(info);
      }
      const loss = out.mul(weights(out)).sum();
      const bw = new OpLogMode();
      bw.run(() => loss.backward());
      close(flat(out), want.out);
      expect(loss.item()).toBeCloseTo(want.loss, 5);
      ls.forEach((l, i) => close(l.grad ? flat(l.grad) : null, want.grads[i]!));
      expect(bw.ops).toEqual(want.backward_ops);
    });
  }

  it("CopySlices sends the base's gradient to the base's old node and the others to the in-place op's inputs", () => {
    const x = leaf([2, 3]);
    const y = x.mul(1);
    const v = y.select(0, 0);
    v.mul_(leaf([3]));
    const names = (n: unknown) =>
      (n as { nextEdges: Array<{ node: { name(): string }; inputNr: number } | null> }).nextEdges.map((e) => [e ? e.node.name().replace("torch::autograd::", "") : null, e ? e.inputNr : 0]);
    expect(names(y.gradFn)).toEqual(fx.next_functions.y);
    expect(names(v.gradFn)).toEqual(fx.next_functions.v);
  });

  it("views share their root's version counter; detach and view(dtype) share it without being views", () => {
    const m = fx.meta;
    const x = leaf([2, 3]);
    const y = x.mul(1);
    expect(y.detach()._base === null).toBe(m.detach_base_is_none);
    expect(y.t()._base === y).toBe(m.t_base_is_y);
    expect(y.slice(0, 0, 2).slice(0, 0, 1)._base === y).toBe(m.view_of_view_base_is_root);
    const i = torch.arange(4);
    expect(i.select(0, 0)._base === i).toBe(m.int_view_has_base);
    const z = torch.zeros([4]);
    const v1 = z.slice(0, 0, 2);
    const v2 = z.slice(0, 2);
    v1.add_(1);
    expect([z.version, v1.version, v2.version]).toEqual(m.shared_versions);
    const d = torch.zeros([3]);
    d.detach().mul_(2);
    expect(d.version).toBe(m.detach_shares_version);
    const u = torch.zeros([3]);
    u.add_(1).mul_(2);
    u.zero_();
    expect(u.version).toBe(m.versions_after_three);
    const rm = torch.zeros([3]);
    const rv = torch.ones([3]);
    torch.ops.aten.native_batch_norm.default(ar([2, 3]), null, null, rm, rv, true, 0.1, 1e-5);
    expect([rm.version, rv.version]).toEqual(m.batch_norm_running_stats_versions);
  });

  const a = () => leaf([3]);
  const errorCases: Record<string, () => void> = {
    multi_output_view_inplace: () => a().mul(1).unbind()[0]!.mul_(2),
    multi_output_view_indirect: () => {
      const y = a().mul(1);
      const [p] = y.unbind();
      y.mul_(2);
      p!.sum();
    },
    split_view_inplace: () => a().mul(1).split(1)[0]!.add_(1),
    chunk_view_inplace: () => a().mul(1).chunk(3)[1]!.add_(1),
    no_grad_view_inplace: () => {
      const y = a().mul(1);
      const v = torch.noGrad(() => y.slice(0, 0, 2));
      v.mul_(2);
    },
    no_grad_view_indirect: () => {
      const y = a().mul(1);
      const v = torch.noGrad(() => y.slice(0, 0, 2));
      y.mul_(2);
      v.sum();
    },
    no_grad_view_of_view_inplace: () => {
      const y = a().mul(1);
      const v = torch.noGrad(() => y.slice(0, 0, 2));
      v.slice(0, 0, 1).mul_(2);
    },
    leaf_view_inplace: () => a().view([3]).mul_(2),
    leaf_view_inplace_under_no_grad: () => {
      const x = a();
      torch.noGrad(() => x.view([3]).mul_(1));
    },
    saved_output_modified_through_view: () => {
      const y = a().exp();
      y.select(0, 0).mul_(2);
      y.sum().backward();
    },
    expanded_view_inplace: () => a().mul(1).unsqueeze(0).expand([2, 3]).mul_(2),
  };
  it("every fixture error has a program here", () => {
    expect(Object.keys(errorCases).sort()).toEqual(Object.keys(fx.errors).sort());
  });
  for (const [name, run] of Object.entries(errorCases)) {
    it(`${name}: ${fx.errors[name] ? "raises PyTorch's error" : "is allowed, as in PyTorch"}`, () => {
      expect(errorOf(run)).toEqual(fx.errors[name]);
    });
  }

  it("a view made inside a custom Function may not be modified in place afterwards", () => {
    class Id extends torch.autograd.Function {
      static override forward(_ctx: torch.FunctionCtx, x: Tensor) {
        return x.viewAs(x);
      }
      static override backward(_ctx: torch.FunctionCtx, g: Tensor) {
        return g;
      }
    }
    const y = a().mul(1);
    const z = Id.apply(y) as Tensor;
    expect(z.gradFn?.name()).toBe("IdBackward");
    expect(z._base).toBe(y);
    expect(() => z.mul_(2)).toThrow(
      "Output 0 of Id is a view and is being modified inplace. This view was created inside a custom Function (or because an input was returned as-is) and the autograd logic to handle view+inplace would override the custom backward associated with the custom Function, leading to incorrect gradients. This behavior is forbidden. You can fix this by cloning the output of the custom Function.",
    );
  });

  it("a failed in-place check leaves the tensor's version and history as they were", () => {
    const y = a().mul(1);
    const [p] = y.unbind();
    const before = [y.version, y.gradFn?.name()];
    expect(() => p!.mul_(2)).toThrow();
    expect([y.version, y.gradFn?.name()]).toEqual(before);
  });

  it("a subclass's view is replayed with its own view op (PyTorch's view_fn), forward and in CopySlices", () => {
    const want = fx.logging_tensor;
    torch.LoggingTensor.log = [];
    const x = torch.LoggingTensor.wrap(ar([2, 3])).requiresGrad_();
    const y = x.mul(1);
    y.select(0, 0).mul_(2);
    const v = y.select(0, 1);
    y.add_(1);
    expect({ y: nodeName(y), v: nodeName(v) }).toEqual(want.grad_fn);
    y.mul(weights(y)).sum().add(v.mul(weights(v)).sum()).backward();
    expect(torch.LoggingTensor.log.map((c) => c.op)).toEqual(want.ops);
    close(flat((x.grad as torch.LoggingTensor).elem), want.grad);
  });

  it("under FakeTensorMode, in-place ops on views record the same nodes and backward gives shapes", () => {
    const want = fx.fake;
    const mode = new torch.FakeTensorMode();
    mode.run(() => {
      const x = torch.empty([2, 3]).requiresGrad_();
      const y = x.mul(1);
      y.select(0, 0).mul_(2);
      const v = y.select(0, 1);
      y.add_(1);
      expect({ y: nodeName(y), v: nodeName(v) }).toEqual(want.grad_fn);
      y.sum().add(v.sum()).backward();
      expect([...x.grad!.shape]).toEqual(want.grad_shape);
    });
  });

  it("retainGrad follows a tensor to its new node after an in-place op; other hooks stay with the old one", () => {
    const want = fx.hooks;
    const x = leaf([3]);
    const y = x.mul(1);
    y.retainGrad();
    const seen: Array<[string, number[]]> = [];
    y.registerHook((g) => void seen.push(["before", flat(g)]));
    y.mul_(2);
    y.registerHook((g) => void seen.push(["after", flat(g)]));
    y.mul(weights(y)).sum().backward();
    close(flat(y.grad!), want.y_grad);
    expect(seen.map((s) => s[0])).toEqual(want.seen.map((s) => s[0]));
    seen.forEach((s, i) => close(s[1], want.seen[i]![1]));
    const b = x.mul(1);
    const v = b.slice(0, 1);
    v.retainGrad();
    b.retainGrad();
    v.mul_(3);
    b.mul(weights(b)).sum().backward();
    close(flat(b.grad!), want.b_grad);
    close(v.grad ? flat(v.grad) : null, want.v_grad);
  });
});
