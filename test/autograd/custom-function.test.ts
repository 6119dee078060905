// Custom autograd Functions beyond saveForBackward, against PyTorch 2.14
// (test/fixtures/autograd-function.json, from scripts/fixtures/autograd_function.py): markDirty,
// markNonDifferentiable, materialized gradients, inputs returned as-is, and the errors for
// backward results of the wrong count, shape or type.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { errorOf } from "../error-of.js";
import { OpLogMode } from "../aten/op-log.js";
import type { FunctionCtx, Tensor } from "../../src/index.js";

const fx = JSON.parse(readFileSync(new URL("../fixtures/autograd-function.json", import.meta.url), "utf8")) as Record<string, Record<string, unknown>>;

function leaf(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return torch.tensor(Array.from({ length: n }, (_, i) => Math.fround(i / n - 0.3))).reshape(shape).requiresGrad_();
}
const flat = (t: Tensor | null) => (t === null ? null : (t.detach().reshape([-1]).tolist() as number[]));
function close(got: number[] | null, want: unknown) {
  const w = want as number[] | null;
  expect(got === null).toBe(w === null);
  got?.forEach((g, i) => expect(g).toBeCloseTo(w![i]!, 5));
}

class Double_ extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor) {
    ctx.markDirty(x);
    return x.mul_(2);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor) {
    return g.mul(2);
  }
}

describe("custom autograd Functions", () => {
  it("markDirty: the modified input is returned, its version bumped again and its history rebased onto the Function", () => {
    const want = fx.mark_dirty!;
    const x = leaf([2, 3]);
    const y = x.mul(1);
    const before = y.version;
    const fw = new OpLogMode();
    const z = fw.run(() => Double_.apply(y) as Tensor);
    const bw = new OpLogMode();
    bw.run(() => z.mul(z).sum().backward());
    expect({ same_object: z === y, grad_fn: z.gradFn?.name(), version_before: before, version_after: y.version }).toEqual({
      same_object: want.same_object,
      grad_fn: want.grad_fn,
      version_before: want.version_before,
      version_after: want.version_after,
    });
    close(flat(x.grad), want.grad);
    expect(fw.ops).toEqual(want.forward_ops);
    expect(bw.ops).toEqual(want.backward_ops);
  });

  it("markNonDifferentiable: the marked output does not require grad", () => {
    const want = fx.mark_non_differentiable!;
    class SortK extends torch.autograd.Function {
      static override forward(ctx: FunctionCtx, x: Tensor) {
        const [v, i] = x.sort();
        ctx.markNonDifferentiable(i!);
        ctx.saveForBackward(i!);
        return [v, i];
      }
      static override backward(ctx: FunctionCtx, gv: Tensor) {
        const [i] = ctx.savedTensors;
        return torch.zerosLike(gv).scatter(-1, i!, gv);
      }
    }
    const x = leaf([4]);
    const [v, i] = SortK.apply(x.flip([0])) as Tensor[];
    v!.mul(torch.arange(4, { dtype: "float32" })).sum().backward();
    expect({ v_requires_grad: v!.requiresGrad, i_requires_grad: i!.requiresGrad, i_grad_fn: i!.gradFn?.name() ?? null }).toEqual({
      v_requires_grad: want.v_requires_grad,
      i_requires_grad: want.i_requires_grad,
      i_grad_fn: want.i_grad_fn,
    });
    close(flat(x.grad), want.grad);
  });

  for (const materialize of [true, false]) {
    it(`setMaterializeGrads(${materialize}): an unused output's gradient reaches backward as ${materialize ? "zeros" : "null"}`, () => {
      const want = fx[`materialize_${materialize}`]!;
      const seen: { ga: number[] | null; gb: number[] | null } = { ga: null, gb: null };
      class Two extends torch.autograd.Function {
        static override forward(ctx: FunctionCtx, x: Tensor, m: boolean) {
          ctx.setMaterializeGrads(m);
          return [x.mul(2), x.mul(3)];
        }
        static override backward(_ctx: FunctionCtx, ga: Tensor | null, gb: Tensor | null) {
          seen.ga = flat(ga);
          seen.gb = flat(gb);
          const a = ga ? ga.mul(2) : null;
          const b = gb ? gb.mul(3) : null;
          return [a && b ? a.add(b) : (a ?? b), null];
        }
      }
      const x = leaf([3]);
      const [a] = Two.apply(x, materialize) as Tensor[];
      a!.sum().backward();
      close(seen.ga, want.ga);
      close(seen.gb, want.gb);
      close(flat(x.grad), want.grad);
    });
  }

  it("an input returned as-is becomes a view of it carrying the Function's node", () => {
    const want = fx.input_returned!;
    class Ident extends torch.autograd.Function {
      static override forward(_ctx: FunctionCtx, x: Tensor) {
        return x;
      }
      static override backward(_ctx: FunctionCtx, g: Tensor) {
        return g.mul(5);
      }
    }
    const x = leaf([3]);
    const y = x.mul(1);
    const fw = new OpLogMode();
    const z = fw.run(() => Ident.apply(y) as Tensor);
    expect({ same_object: z === y, is_view_of_input: z._base === y, grad_fn: z.gradFn?.name(), forward_ops: fw.ops }).toEqual({
      same_object: want.same_object,
      is_view_of_input: want.is_view_of_input,
      grad_fn: want.grad_fn,
      forward_ops: want.forward_ops,
    });
    z.sum().backward();
    close(flat(x.grad), want.grad);
  });

  const errors = fx.errors as Record<string, [string, string]>;
  class WrongCount extends torch.autograd.Function {
    static override forward(_ctx: FunctionCtx, x: Tensor, y: Tensor) {
      return x.mul(y);
    }
    static override backward(_ctx: FunctionCtx, g: Tensor) {
      return g;
    }
  }
  class WrongShape extends torch.autograd.Function {
    static override forward(_ctx: FunctionCtx, x: Tensor) {
      return x.mul(2);
    }
    static override backward(_ctx: FunctionCtx, g: Tensor) {
      return g.sum(0);
    }
  }
  class NotTensor extends torch.autograd.Function {
    static override forward(_ctx: FunctionCtx, x: Tensor) {
      return x.mul(2);
    }
    static override backward() {
      return 3;
    }
  }
  class DirtyNotReturned extends torch.autograd.Function {
    static override forward(ctx: FunctionCtx, x: Tensor) {
      ctx.markDirty(x);
      x.mul_(2);
      return x.mul(1);
    }
    static override backward(_ctx: FunctionCtx, g: Tensor) {
      return g;
    }
  }
  const cases: Record<string, () => void> = {
    wrong_count: () => (WrongCount.apply(leaf([3]), leaf([3])) as Tensor).sum().backward(),
    wrong_shape: () => (WrongShape.apply(leaf([2, 3])) as Tensor).sum().backward(),
    not_tensor: () => (NotTensor.apply(leaf([3])) as Tensor).sum().backward(),
    dirty_not_returned: () => DirtyNotReturned.apply(leaf([3]).mul(1)),
    dirty_leaf: () => Double_.apply(leaf([3])),
  };
  it("every fixture error has a case here", () => expect(Object.keys(cases).sort()).toEqual(Object.keys(errors).sort()));
  for (const [name, run] of Object.entries(cases)) {
    it(`raises PyTorch's error: ${name}`, () => {
      expect(errorOf(run)).toEqual(errors[name]);
    });
  }
});
