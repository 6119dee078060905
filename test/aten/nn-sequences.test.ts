// The nn decompositions run the same aten ops, in the same order, as PyTorch 2.14: a logging
// TorchDispatchMode sees the sequence recorded from real PyTorch (test/fixtures/ops/
// nn-sequences.json, made by scripts/fixtures/ops_nn.py), and so does a RecordFunction callback
// that expands CompositeImplicitAutograd ranges. Also checks the in-place running-stat updates
// of batch norm recorded in test/fixtures/ops/nn.json ("mutated").
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { OpLogMode } from "./op-log.js";
import type { RecordFunctionEvent } from "../../src/index.js";
import { OP_FAMILIES } from "../../src/aten/index.js";
import { type FixtureCase, decode, expectMatches, callCase } from "../opinfo/fixture-codec.js";

type SeqCase = FixtureCase & { sequence: string[] };
type MutCase = FixtureCase & { mutated?: Record<string, unknown> };

const seqCases = JSON.parse(readFileSync(new URL("../fixtures/ops/nn-sequences.json", import.meta.url), "utf8")) as SeqCase[];
const nnCases = JSON.parse(readFileSync(new URL("../fixtures/ops/nn.json", import.meta.url), "utf8")) as MutCase[];


/** Operators declared CompositeImplicitAutograd in aten-ts (a mode sees through them). */
const composite = new Set(
  Object.values(OP_FAMILIES)
    .flat()
    .filter((d) => d.composite)
    .map((d) => `aten::${d.schema.slice(0, d.schema.indexOf("("))}`),
);

/**
 * The ops a mode would see for one top-level call, from RecordFunction ranges: walking down
 * from the call, a CompositeImplicitAutograd range is expanded, any other range (the call itself
 * included) is recorded and its own children are not.
 */
function recordedLeaves(fn: () => unknown): string[] {
  const leaves: string[] = [];
  const open: boolean[] = [];
  const handle = torch.addGlobalCallback({
    scopes: ["function"],
    start: (ev: RecordFunctionEvent) => {
      const name = `${ev.name}${ev.overloadName ? `.${ev.overloadName}` : ""}`;
      const parentOpen = open.length === 0 || open[open.length - 1]!;
      if (parentOpen && composite.has(name)) open.push(true);
      else {
        if (parentOpen) leaves.push(name);
        open.push(false);
      }
    },
    end: () => void open.pop(),
  });
  try {
    fn();
  } finally {
    handle.remove();
  }
  return leaves;
}

describe("nn decompositions call the ops PyTorch 2.14 calls", () => {
  seqCases.forEach((c, i) => {
    const title = `${c.op} #${i}: ${c.sequence.join(", ") || "(no ops)"}`;
    it(`a logging mode sees ${title}`, () => {
      const mode = new OpLogMode(true);
      mode.run(() => callCase(c));
      expect(mode.ops).toEqual(c.sequence);
    });
    it(`RecordFunction ranges expand to ${title}`, () => {
      expect(recordedLeaves(() => callCase(c))).toEqual(c.sequence);
    });
  });

  it("softmax.int's first-level decomposition is _to_copy (via to.dtype) then _softmax", () => {
    const x = torch.tensor([[1, 2], [3, 4]], { dtype: "float32" });
    const children: string[] = [];
    const handle = torch.addGlobalCallback({
      start: (ev) => {
        if (ev.depth === 1) children.push(`${ev.name}${ev.overloadName ? `.${ev.overloadName}` : ""}`);
      },
    });
    try {
      torch.ops.aten!.softmax!.int!(x, 1, { dtype: "float64" });
    } finally {
      handle.remove();
    }
    expect(children).toEqual(["aten::to.dtype", "aten::_softmax"]);
  });
});

describe("batch norm updates running statistics in place like PyTorch", () => {
  nnCases.forEach((c, i) => {
    if (!c.mutated) return;
    it(`${c.op} #${i} leaves the running stats PyTorch leaves`, () => {
      const args = decode(c.args) as unknown[];
      const op = torch.lookupOp(c.op)!;
      op(...args);
      for (const [idx, want] of Object.entries(c.mutated!)) expectMatches(args[Number(idx)], want, `${c.op} #${i} arg ${idx}`);
    });
  });
});
