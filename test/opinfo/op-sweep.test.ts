// The op-info sweep: every fixture case recorded from real PyTorch 2.14 (test/fixtures/ops/*.json)
// runs on CPU and must match PyTorch (values, shapes, dtypes, or the error); on meta tensors and
// under FakeTensorMode it must give the CPU result's shape, dtype and strides; under LoggingMode it
// must give the same result; and a makeFx trace of it must replay to the eager result.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { Tensor, makeView } from "../../src/tensor/tensor.js";
import { type FixtureCase, decode, expectMatches, expectedError } from "./fixture-codec.js";

const dir = new URL("../fixtures/ops/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

/** A meta tensor with the same layout (strides and storage offset) as a CPU one. */
function metaLike(v: Tensor): Tensor {
  if (v.storageOffset() === 0 && v.isContiguous()) return v.to("meta");
  const storage = Tensor.empty([v._storage!.data.length], v.dtype, "meta");
  return makeView(storage, v.shape.slice(), v.stride().slice(), v.storageOffset());
}

function run(c: FixtureCase, toMeta: boolean): unknown {
  const op = torch.lookupOp(c.op);
  if (!op) throw new Error(`operator ${c.op} is not defined in aten-ts`);
  const conv = (v: unknown): unknown => (v instanceof Tensor ? (toMeta ? metaLike(v) : v) : Array.isArray(v) ? v.map(conv) : v);
  const args = (decode(c.args) as unknown[]).map(conv);
  const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, conv(decode(v))]));
  return Object.keys(kwargs).length ? op(...args, kwargs) : op(...args);
}

/** The tensors inside a (nested) value, in order. */
function tensorsIn(v: unknown): Tensor[] {
  if (v instanceof Tensor) return [v];
  return Array.isArray(v) ? v.flatMap(tensorsIn) : [];
}

/** Runs a case with the given (already decoded) positional arguments. */
function runWith(c: FixtureCase, args: unknown[]): unknown {
  const op = torch.lookupOp(c.op)!;
  const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, decode(v)]));
  return Object.keys(kwargs).length ? op(...args, kwargs) : op(...args);
}

function layout(v: unknown): unknown {
  if (v instanceof Tensor) return { shape: [...v.shape], dtype: v.dtype, strides: v.stride() };
  if (Array.isArray(v)) return v.map(layout);
  return typeof v;
}

for (const file of files) {
  const cases = JSON.parse(readFileSync(new URL(file, dir), "utf8")) as Array<FixtureCase & { meta?: boolean }>;
  describe(`op sweep: ${file}`, () => {
    cases.forEach((c, i) => {
      const title = `${c.op} #${i}`;
      const err = expectedError(c.out);
      if (err) {
        it(`${title} raises ${err.error} like PyTorch`, () => {
          let thrown: Error | null = null;
          try {
            run(c, false);
          } catch (e) {
            thrown = e as Error;
          }
          expect(thrown, `${title}: expected ${err.error}: ${err.message}`).not.toBeNull();
          expect(thrown!.message.split("\n")[0]).toBe(err.message);
          expect(thrown!.name, `${title}: error type`).toBe(err.error);
        });
        return;
      }
      it(`${title} matches PyTorch on CPU`, () => expectMatches(run(c, false), c.out, title, c.rtol, c.atol));
      if (c.meta !== false) {
        it(`${title} has the same layout on meta`, () => expect(layout(run(c, true))).toEqual(layout(run(c, false))));
        it(`${title} has the same layout under FakeTensorMode`, () => {
          const eager = layout(run(c, false));
          const fake = new torch.FakeTensorMode().run(() => run(c, false));
          expect(layout(fake)).toEqual(eager);
        });
      }
      it(`${title} gives the same result under LoggingMode`, () => {
        const mode = new torch.LoggingMode();
        const out = mode.run(() => run(c, false));
        expectMatches(out, c.out, `${title} (logged)`, c.rtol, c.atol);
      });
      it(`${title} replays from a makeFx trace to the eager result`, () => {
        // fresh inputs for tracing and for the replay: in-place ops mutate them
        const gm = torch.makeFx((...ts: Tensor[]) => {
          let k = 0;
          const swap = (v: unknown): unknown => (v instanceof Tensor ? ts[k++] : Array.isArray(v) ? v.map(swap) : v);
          return runWith(c, (decode(c.args) as unknown[]).map(swap));
        })(...tensorsIn(decode(c.args)));
        expectMatches(gm.forward(...tensorsIn(decode(c.args))), c.out, `${title} (replayed)`, c.rtol, c.atol);
      });
    });
  });
}
