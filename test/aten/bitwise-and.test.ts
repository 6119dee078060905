// aten::bitwise_and.Tensor / bitwise_and_.Tensor against PyTorch 2.14: bool and integer operands
// (int64 beyond 32 bits), type promotion, and its errors for floats and for an in-place result
// that cannot hold the promoted type.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

const and = torch.lookupOp("aten::bitwise_and.Tensor")!;
const andInPlace = torch.lookupOp("aten::bitwise_and_.Tensor")!;
const long = (v: number[]): Tensor => torch.tensor(v, { dtype: "int64" });

function thrown(fn: () => unknown): [string, string] | null {
  try {
    fn();
    return null;
  } catch (e) {
    return [(e as Error).name, (e as Error).message];
  }
}

describe("bitwise_and", () => {
  it("given a bool and an int64 tensor, when they are and-ed, then the result is int64", () => {
    const r = and(torch.tensor([true, false]), long([3, 2])) as Tensor;
    expect(r.dtype).toBe("int64");
    expect(r.tolist()).toEqual([1, 0]);
  });
  it("given int64 values beyond 32 bits and negative values, when they are and-ed, then every bit is kept", () => {
    expect((and(long([-5, 2 ** 40 + 3]), long([3, 2 ** 40 + 1])) as Tensor).tolist()).toEqual([3, 2 ** 40 + 1]);
  });
  it("given two bool masks, when bitwise_and_ runs, then self holds their conjunction", () => {
    const m = torch.tensor([true, false, true]);
    andInPlace(m, torch.tensor([false, true, true]));
    expect(m.tolist()).toEqual([false, false, true]);
  });
  it("given float operands, when they are and-ed, then PyTorch's NotImplementedError is raised", () => {
    expect(thrown(() => and(torch.tensor([1]), torch.tensor([1])))).toEqual(["NotImplementedError", `"bitwise_and_cpu" not implemented for 'Float'`]);
    expect(thrown(() => and(long([1, 2]), torch.tensor([1])))).toEqual(["NotImplementedError", `"bitwise_and_cpu" not implemented for 'Float'`]);
  });
  it("given a bool self and an int64 other, when bitwise_and_ runs, then the promoted type cannot be cast back", () => {
    expect(thrown(() => andInPlace(torch.tensor([true]), long([3])))).toEqual(["RuntimeError", "result type Long can't be cast to the desired output type Bool"]);
  });
});
