// callOp, the internal way library code calls an operator: trailing arguments left out take the
// schema's defaults (as C++ default arguments do for `at::` calls); a missing required one is a
// clear error naming it.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { callOp } from "../../src/dispatcher/call-op.js";
import type { Tensor } from "../../src/index.js";

describe("callOp", () => {
  it("given trailing arguments left out, then they take the schema's defaults", () => {
    const x = torch.tensor([-1, 1]);
    const full = callOp("aten::elu", [x, 1, 1, 1]) as Tensor;
    expect((callOp("aten::elu", [x]) as Tensor).tolist()).toEqual(full.tolist());
    const a = torch.tensor([1, 2, 3]);
    const b = torch.tensor([2, 2, 2]);
    expect((callOp("aten::mse_loss", [a, b]) as Tensor).item()).toBeCloseTo((callOp("aten::mse_loss", [a, b, 1]) as Tensor).item() as number, 6);
  });

  it("given a required argument left out, then the error names the operator and the argument", () => {
    expect(() => callOp("aten::add.Tensor", [torch.tensor([1])])).toThrow("aten::add.Tensor: missing argument 'other' (it has no default)");
  });

  it("given a mode, then it sees the call with the defaults filled in", () => {
    const x = torch.tensor([1]);
    const { log } = torch.LoggingMode.record(() => callOp("aten::elu", [x]));
    expect(log.map((c) => c.op)).toEqual(["aten.elu.default"]);
  });
});
