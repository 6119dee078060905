// Gaps below nn/optim, each as the smallest test of PyTorch's behaviour, marked `it.fails` while
// aten-ts lacks it: when one starts failing, the gap is fixed, so remove its marker (and the
// workaround named in its title).
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";

const has = (op: string) => torch.dispatcher.listOperators().includes(op);

describe("known gaps in the layers below nn / optim", () => {
  it.fails("aten::maximum.out exists (Adam's amsgrad uses copy_(maximum(...)) meanwhile)", () => {
    expect(has("aten::maximum.out")).toBe(true);
  });
});
