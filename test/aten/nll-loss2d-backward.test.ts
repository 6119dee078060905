// aten::nll_loss2d_backward on CPU against PyTorch 2.14: its checks, in PyTorch's order and with
// its messages, and the gradient with a weight, an ignored class and a one-element grad_output.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

const nll2dBackward = torch.lookupOp("aten::nll_loss2d_backward")!;
const input = (): Tensor => torch.zeros([2, 3, 2, 2]);
const target = (): Tensor => torch.tensor([0, 2, 1, 1, 2, 0, 2, 1], { dtype: "int64" }).reshape([2, 2, 2]);
const tw = (): Tensor => torch.tensor(8);

function thrown(fn: () => unknown): [string, string] | null {
  try {
    fn();
    return null;
  } catch (e) {
    return [(e as Error).name, (e as Error).message];
  }
}

describe("nll_loss2d_backward's checks", () => {
  const cases: Array<[string, () => unknown, string, string]> = [
    ["a 3-d input", () => nll2dBackward(torch.tensor(1), input().select(0, 0), target(), null, 1, -100, tw()), "RuntimeError", "only batches of spatial inputs supported (4D tensors), but got input of dimension: 3"],
    ["a 2-d target", () => nll2dBackward(torch.tensor(1), input(), target().select(0, 0), null, 1, -100, tw()), "RuntimeError", "only batches of spatial targets supported (3D tensors) but got targets of dimension: 2"],
    ["a weight of 2 classes", () => nll2dBackward(torch.tensor(1), input(), target(), torch.ones([2]), 1, -100, tw()), "RuntimeError", "weight tensor should be defined either for all or no classes"],
    ["a target of another size", () => nll2dBackward(torch.tensor(1), input(), target().slice(1, 0, 1), null, 1, -100, tw()), "RuntimeError", "size mismatch (got input: [2, 3, 2, 2] , target: [2, 1, 2]"],
    ["a total_weight of two elements", () => nll2dBackward(torch.tensor(1), input(), target(), null, 1, -100, torch.ones([2])), "RuntimeError", "expected total_weight to be a single element tensor, got: [2] (2 elements)"],
    ["an integer input", () => nll2dBackward(torch.tensor(1, { dtype: "int64" }), torch.zeros([2, 3, 2, 2], { dtype: "int64" }), target(), null, 1, -100, torch.tensor(8, { dtype: "int64" })), "NotImplementedError", `"nll_loss2d_backward_out_frame" not implemented for 'Long'`],
    ["a 2-d grad_output for reduction none", () => nll2dBackward(torch.ones([2, 2]), input(), target(), null, 0, -100, tw()), "RuntimeError", "grad_output must have same dimension as target (3) but got dimension: [2, 2]"],
    ["a grad_output of another size for reduction none", () => nll2dBackward(torch.ones([2, 2, 3]), input(), target(), null, 0, -100, tw()), "RuntimeError", "size mismatch (got grad_output: [2, 2, 3] target: [2, 2, 2]"],
    ["two grad_output elements for reduction mean", () => nll2dBackward(torch.ones([2]), input(), target(), null, 1, -100, tw()), "RuntimeError", "Expected a single element grad_output tensor, but got: [2]"],
    ["a target out of bounds", () => nll2dBackward(torch.tensor(1), input(), target().mul(2), null, 2, -100, tw()), "IndexError", "Target 4 is out of bounds."],
  ];
  for (const [what, call, type, message] of cases) {
    it(`given ${what}, when nll_loss2d_backward runs, then PyTorch's ${type} is raised`, () => {
      expect(thrown(call)).toEqual([type, message]);
    });
  }
});

describe("nll_loss2d_backward's gradient", () => {
  it("given a weight, ignore_index 1 and a one-element 1-d grad_output (mean), when it runs, then each kept target gets -weight * grad / total_weight", () => {
    const g = nll2dBackward(torch.tensor([2]), input(), target(), torch.tensor([1, 2, 3]), 1, 1, tw()) as Tensor;
    const want = new Array<number>(24).fill(0);
    // targets per (n, h, w): [0, 2, 1, 1], [2, 0, 2, 1]; class 1 is ignored
    [[0, 0, 0, -0.25], [0, 2, 1, -0.75], [1, 2, 0, -0.75], [1, 0, 1, -0.25], [1, 2, 2, -0.75]].forEach(([n, c, p, v]) => (want[n! * 12 + c! * 4 + p!] = v!));
    expect(g.reshape([-1]).tolist()).toEqual(want);
  });
});
