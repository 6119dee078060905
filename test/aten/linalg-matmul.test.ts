// Behaviour of the matmul / linear / einsum decompositions that the fixtures (contiguous inputs)
// cannot show: non-contiguous and broadcast layouts, operands that require grad, meta tensors
// with those layouts, and the user-facing functions.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { Tensor, makeView } from "../../src/tensor/tensor.js";

/** A float64 tensor of `shape` with values 0.5, 1.5, ... - 0.1 * i^2 (distinct, deterministic). */
function seq(shape: number[], offset = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float64Array.from({ length: n + offset }, (_, i) => 0.5 + i - 0.1 * ((i * i) % 7));
  return makeView(Tensor.fromArray(data, [n + offset], "float64"), shape, contiguous(shape), offset);
}

function contiguous(shape: number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= Math.max(shape[i]!, 1);
  }
  return out;
}

/** A view of `t` with its dims permuted (no copy). */
function perm(t: Tensor, dims: number[]): Tensor {
  return makeView(t, dims.map((d) => t.shape[d]!), dims.map((d) => t.stride(d)), t.storageOffset());
}

/** A contiguous copy with the same values. */
function copy(t: Tensor): Tensor {
  return torch.tensor(t.tolist() as number[], { dtype: t.dtype });
}

function flat(t: Tensor): number[] {
  const v = t.tolist();
  return Array.isArray(v) ? (v as unknown[]).flat(8).map(Number) : [Number(v)];
}

function expectSameValues(got: Tensor, want: Tensor): void {
  expect(got.shape).toEqual(want.shape);
  const [g, w] = [flat(got), flat(want)];
  for (let i = 0; i < w.length; i++) expect(Math.abs(g[i]! - w[i]!), `element ${i}: ${g[i]} vs ${w[i]}`).toBeLessThan(1e-9 * (1 + Math.abs(w[i]!)));
}

describe("matmul with non-contiguous operands", () => {
  const views: Array<[string, () => [Tensor, Tensor]]> = [
    ["3-D transposed batch @ 2-D (bmm path)", () => [perm(seq([3, 2, 4]), [1, 0, 2]), seq([4, 5])]],
    ["3-D with transposed matrices @ 1-D", () => [perm(seq([2, 4, 3]), [0, 2, 1]), seq([4])]],
    ["2-D transposed @ 3-D", () => [perm(seq([3, 2]), [1, 0]), seq([4, 3, 5])]],
    ["1-D strided @ 3-D", () => [makeView(seq([8]), [4], [2], 1), seq([2, 4, 3])]],
    ["4-D permuted @ 4-D broadcast", () => [perm(seq([3, 1, 2, 4]), [1, 0, 2, 3]), seq([2, 1, 4, 2])]],
    ["expanded batch (stride 0) @ 2-D", () => [makeView(seq([5, 4]), [3, 5, 4], [0, 4, 1], 0), seq([4, 2])]],
    ["sliced batch of one @ 1-D (folds)", () => [makeView(seq([5, 2, 4]), [5, 1, 4], [8, 4, 1], 0), seq([4])]],
    ["2-D @ 2-D both transposed", () => [perm(seq([4, 3]), [1, 0]), perm(seq([2, 4]), [1, 0])]],
    ["1-D @ 1-D with offsets", () => [seq([4], 3), makeView(seq([8]), [4], [-1], 7)]],
  ];
  for (const [name, make] of views) {
    it(`given ${name}, then the result equals matmul of contiguous copies, on meta too`, () => {
      const [a, b] = make();
      const got = torch.matmul(a, b);
      expectSameValues(got, torch.matmul(copy(a), copy(b)));
      const meta = torch.matmul(a.to("meta"), b.to("meta"));
      expect([meta.shape, meta.dtype]).toEqual([got.shape, got.dtype]);
    });
  }

  it("given an operand that requires grad, then matmul folds into one mm instead of a broadcast bmm", () => {
    const a = seq([2, 3]);
    const b = seq([5, 3, 4]);
    const opsOf = (fn: () => Tensor) => {
      const names: string[] = [];
      const h = torch.addGlobalCallback({ start: (ev) => void names.push(ev.name) });
      try {
        return { out: fn(), names };
      } finally {
        h.remove();
      }
    };
    const plain = opsOf(() => torch.matmul(a, b));
    a.requiresGrad = true;
    const folded = opsOf(() => torch.matmul(a, b));
    expect(plain.names).toContain("aten::bmm");
    expect(folded.names).toContain("aten::mm");
    expect(folded.names).not.toContain("aten::bmm");
    expect(folded.out.stride()).toEqual([8, 4, 1]);
    expectSameValues(folded.out, plain.out);
  });

  it("given int64 operands, then every path computes exact integers", () => {
    const a = torch.tensor([[1, 2], [3, 4]], { dtype: "int64" });
    const batch = torch.tensor([[[1, 0], [0, 1]], [[2, 0], [0, 2]]], { dtype: "int64" });
    expect(torch.matmul(batch, a).tolist()).toEqual([[[1, 2], [3, 4]], [[2, 4], [6, 8]]]);
    expect(torch.matmul(torch.tensor([1, 1], { dtype: "int64" }), batch).tolist()).toEqual([[1, 1], [2, 2]]);
    expect(a.matmul(a).dtype).toBe("int64");
  });
});

describe("linear", () => {
  it("given non-contiguous 3-D input with a bias, then it equals the contiguous input's result", () => {
    const x = perm(seq([5, 2, 3]), [1, 0, 2]);
    const w = seq([4, 3]);
    const b = seq([4]);
    const linear = torch.lookupOp("aten::linear")!;
    expectSameValues(linear(x, w, b) as Tensor, linear(copy(x), w, b) as Tensor);
    expectSameValues(linear(x, w) as Tensor, torch.matmul(copy(x), perm(w, [1, 0])));
  });

  it("given a 1-D weight, then linear is a dot product (a 0-dim result)", () => {
    const out = torch.lookupOp("aten::linear")!(seq([3]), seq([3])) as Tensor;
    expect(out.shape).toEqual([]);
    expect(out.item()).toBeCloseTo(flat(seq([3])).reduce((s, v) => s + v * v, 0), 9);
  });
});

describe("einsum", () => {
  it("given operands as arguments or as an array, then torch.einsum gives the same result", () => {
    const a = seq([2, 3]);
    const b = seq([3, 4]);
    expectSameValues(torch.einsum("ij,jk->ik", a, b), torch.mm(a, b));
    expectSameValues(torch.einsum("ij,jk->ik", [a, b]), torch.mm(a, b));
  });

  it("given non-contiguous operands, then einsum equals the same contraction of copies", () => {
    const q = perm(seq([2, 3, 2, 4]), [0, 2, 1, 3]); // b h q d
    const k = perm(seq([2, 5, 2, 4]), [0, 2, 1, 3]); // b h k d
    expectSameValues(torch.einsum("bhqd,bhkd->bhqk", q, k), torch.einsum("bhqd,bhkd->bhqk", copy(q), copy(k)));
    expectSameValues(torch.einsum("bhqd,bhkd->bhqk", q, k), torch.matmul(q, perm(k, [0, 1, 3, 2])));
  });

  it("given a contraction path, then the result is the same as left to right", () => {
    const [a, b, c] = [seq([2, 3]), seq([3, 4]), seq([4, 5])];
    const withPath = torch.lookupOp("aten::einsum")!("ij,jk,kl->il", [a, b, c], { path: [1, 2, 0, 1] }) as Tensor;
    expectSameValues(withPath, torch.einsum("ij,jk,kl->il", a, b, c));
  });
});
