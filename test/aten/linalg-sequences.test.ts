// The decompositions of matmul, linear and einsum run the same aten ops, in the same order, as
// PyTorch 2.14 under a logging TorchDispatchMode (test/fixtures/ops/linalg-sequences.json, made by
// scripts/fixtures/ops_linalg.py), including the layout-dependent branches (folding, reshape as
// view or clone) and the ones PyTorch takes because a mode is active (squeeze, out-of-place add).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { opsSeen, qualified } from "./op-log.js";
import { Tensor, makeView } from "../../src/tensor/tensor.js";

interface Layout {
  shape: number[];
  strides: number[];
  offset: number;
  storage: number;
  requires_grad?: boolean;
}

interface SequenceCase {
  name: string;
  op: string;
  args: unknown[];
  /** Layout of each tensor input: a view of a storage of `storage` elements. */
  inputs: Layout[];
  seq: string[];
}

const cases = JSON.parse(readFileSync(new URL("../fixtures/ops/linalg-sequences.json", import.meta.url), "utf8")) as SequenceCase[];

/** A tensor with the recorded layout (ones in a storage of the recorded size). */
function input(l: Layout): Tensor {
  const t = makeView(torch.ones([l.storage]), l.shape.slice(), l.strides.slice(), l.offset);
  t.requiresGrad = l.requires_grad ?? false;
  return t;
}

/** The aten ops a logging mode sees while `fn` runs. */

/** Ops of the expected sequence that aten-ts does not define yet (other families'). */
function missingOps(seq: readonly string[]): string[] {
  const defined = new Set(torch.dispatcher.listOperators());
  return [...new Set(seq)].filter((s) => !defined.has(qualified(s)));
}

describe("op sequences of the linalg decompositions match PyTorch's logging mode", () => {
  for (const c of cases) {
    const missing = missingOps(c.seq);
    const title = missing.length ? `${c.name} (skipped: needs ${missing.join(", ")})` : c.name;
    it.skipIf(missing.length > 0)(title, () => {
      const tensors = c.inputs.map(input);
      const op = torch.lookupOp(c.op)!;
      const args = c.op === "aten::einsum" ? [c.args[0], tensors] : tensors;
      expect(opsSeen(() => op(...args))).toEqual(c.seq);
    });
  }

  it("given no mode, then linear adds a non-contiguous input's bias in place (add_), out of place under a mode", () => {
    const x = input({ shape: [2, 5, 3], strides: [3, 6, 1], offset: 0, storage: 30 });
    const call = () => torch.lookupOp("aten::linear")!(x, torch.zeros([4, 3]), torch.ones([4])) as Tensor;
    const names: string[] = [];
    const h = torch.addGlobalCallback({ start: (ev) => void names.push(`${ev.name}.${ev.overloadName}`) });
    try {
      expect(call().tolist()).toEqual(new Array(2).fill(new Array(5).fill([1, 1, 1, 1])));
    } finally {
      h.remove();
    }
    expect(names).toContain("aten::add_.Tensor");
    expect(names).not.toContain("aten::add.Tensor");
    expect(opsSeen(call)).toContain("aten.add.Tensor");
  });
});
