// The op sequence a logging mode sees for a program equals the one real PyTorch 2.14's logging
// TorchDispatchMode sees (test/fixtures/op-sequences.json, from scripts/fixtures/op_sequences.py):
// same ops, overloads, argument shapes and normalized arguments.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, Tensor } from "../../src/index.js";

const expected = JSON.parse(readFileSync(new URL("../fixtures/op-sequences.json", import.meta.url), "utf8")) as Record<string, string[]>;
const SHORT: Record<string, string> = { float32: "f32", float64: "f64", int64: "i64", int32: "i32", bool: "b8" };

/** Python's repr of a number (`1e-05`, `2.5`, `7`). */
function pyNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return v.toExponential().replace(/e([+-])(\d)$/, "e$10$2").replace("e+", "e+");
  return String(v);
}

function desc(v: unknown, key?: string): string {
  if (v instanceof torch.Tensor) return `${SHORT[v.dtype] ?? v.dtype}[${v.shape.join(", ")}]`;
  if (Array.isArray(v)) return `[${v.map((x) => desc(x)).join(", ")}]`;
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (key === "memory_format") return v === 0 || v === "contiguous_format" ? "torch.contiguous_format" : String(v);
  if (key === "dtype" && typeof v === "string") return SHORT[v] ?? v;
  if (typeof v === "number") return pyNumber(v);
  if (typeof v === "string") return v === "cpu" || v === "meta" ? v : JSON.stringify(v);
  return String(v);
}

class Log extends torch.TorchDispatchMode {
  calls: string[] = [];
  override torchDispatch(func: OpOverload, _t: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    const out = func(...args, { ...kwargs });
    const parts = [...args.map((a) => desc(a)), ...Object.entries(kwargs).map(([k, v]) => `${k}=${desc(v, k)}`)];
    this.calls.push(`${String(func)}(${parts.join(", ")})`);
    return out;
  }
}

function ar(shape: number[], dtype: "float32" | "float64" = "float32"): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, (_, i) => i / n - 0.3);
  return torch.tensor(data, { dtype: "float64" }).to(dtype).reshape(shape);
}

const aten = torch.ops.aten;
type Program = [() => Tensor[], (...a: Tensor[]) => unknown];
const programs: Record<string, Program> = {
  linear_2d_bias: [() => [ar([4, 3]), ar([5, 3]), ar([5])], (x, w, b) => aten.linear(x, w, b)],
  linear_3d_bias: [() => [ar([2, 4, 3]), ar([5, 3]), ar([5])], (x, w, b) => aten.linear(x, w, b)],
  linear_2d_nobias: [() => [ar([4, 3]), ar([5, 3])], (x, w) => aten.linear(x, w)],
  matmul_1x1: [() => [ar([3]), ar([3])], (a, b) => a.matmul(b)],
  matmul_2x1: [() => [ar([2, 3]), ar([3])], (a, b) => a.matmul(b)],
  matmul_1x2: [() => [ar([3]), ar([3, 4])], (a, b) => a.matmul(b)],
  matmul_2x2: [() => [ar([2, 3]), ar([3, 4])], (a, b) => a.matmul(b)],
  matmul_3x2: [() => [ar([5, 2, 3]), ar([3, 4])], (a, b) => a.matmul(b)],
  matmul_3x3: [() => [ar([5, 2, 3]), ar([5, 3, 4])], (a, b) => a.matmul(b)],
  matmul_2x3: [() => [ar([2, 3]), ar([5, 3, 4])], (a, b) => a.matmul(b)],
  matmul_4x4_broadcast: [() => [ar([1, 5, 2, 3]), ar([4, 1, 3, 2])], (a, b) => a.matmul(b)],
  softmax_last: [() => [ar([2, 5])], (x) => x.softmax(-1)],
  log_softmax_dim1: [() => [ar([2, 5, 3])], (x) => x.logSoftmax(1)],
  reshape_noncontiguous: [() => [ar([3, 4])], (x) => x.t().reshape([-1])],
  reshape_contiguous: [() => [ar([3, 4])], (x) => x.reshape([6, 2])],
  sum_mean: [() => [ar([3, 4])], (x) => [x.sum(), x.mean(0), x.sum(1, true)]],
  scalars: [() => [ar([3])], (x) => [x.add(2), x.mul(2.5), x.add(x, { alpha: 2 }), aten.rsub.Scalar(x, 1)]],
  cross_entropy: [() => [ar([4, 5]), torch.tensor([1n, 0n, 4n, 2n])], (x, t) => aten.cross_entropy_loss(x, t)],
  layer_norm: [() => [ar([2, 3, 4]), ar([4]), ar([4])], (x, w, b) => aten.layer_norm(x, [4], w, b)],
  factories: [() => [], () => [torch.zeros([2]), torch.ones([2, 3], { dtype: "float64" }), torch.full([2], 7), torch.arange(5)]],
  mlp_forward: [
    () => [ar([4, 8]), ar([6, 8]), ar([6]), ar([3, 6]), ar([3])],
    (x, w1, b1, w2, b2) => (aten.linear((aten.linear(x, w1, b1) as Tensor).relu(), w2, b2) as Tensor).softmax(-1),
  ],
};

describe("op sequences under a logging mode match PyTorch 2.14", () => {
  for (const [name, [make, fn]] of Object.entries(programs)) {
    it(`${name}`, () => {
      const inputs = make();
      const log = new Log();
      log.run(() => fn(...inputs));
      expect(log.calls).toEqual(expected[name]);
    });
  }
});
