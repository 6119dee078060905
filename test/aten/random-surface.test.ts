// The random family's user surface and decompositions against PyTorch 2.14: the calls a logging
// TorchDispatchMode sees for torch.rand / randint / x.normal_() ... (recorded from real PyTorch's
// mode in test/fixtures/random-seeded.json "logs"), the ops each op calls one level down (PyTorch's
// profiler children, "children"), and behaviour fixtures cannot express: seeding, RNG state,
// explicit generators, version counters, FakeTensorMode not drawing.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, RecordFunctionEvent } from "../../src/index.js";
import { Generator } from "../../src/tensor/generator.js";
import { Tensor } from "../../src/tensor/tensor.js";

type Call = [string, unknown[], Record<string, unknown>];
interface Fixture {
  logs: Record<string, Call[]>;
  children: Record<string, string[]>;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/random-seeded.json", import.meta.url), "utf8")) as Fixture;

/** An argument as scripts/fixtures/ops_random.py's `norm` writes it. */
function norm(v: unknown): unknown {
  if (v instanceof Tensor) return `T:${v.dtype}[${v.shape.join(", ")}]`;
  if (v instanceof Generator) return "G";
  if (Array.isArray(v)) return v.map(norm);
  return v;
}

class Log extends torch.TorchDispatchMode {
  readonly calls: Call[] = [];
  override torchDispatch(func: OpOverload, _types: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) {
    this.calls.push([String(func), args.map(norm), Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, norm(v)]))]);
    return func(...args, { ...kwargs });
  }
}

const x = torch.ones([2, 3]);
const G = new Generator();
const clone = (t: Tensor): Tensor => torch.ops.aten!.clone!(t) as Tensor;

/** The TypeScript twin of each user-level call in ops_random.py's USER table. */
const USER: Record<string, () => unknown> = {
  rand: () => torch.rand([2, 3]),
  rand_f64: () => torch.rand([2, 3], { dtype: "float64" }),
  rand_gen: () => torch.rand([4], { generator: G }),
  rand_gen_none: () => torch.rand([3], { generator: null }),
  rand_grad: () => torch.rand([3], { requiresGrad: true }),
  randn: () => torch.randn([2, 3]),
  randn_meta: () => torch.randn([2, 3], { device: "meta" }),
  randint_high: () => torch.randint(10, [2, 3]),
  randint_low: () => torch.randint(3, 10, [2, 3]),
  randint_low_i64: () => torch.randint(0, 5, [3], { dtype: "int64" }),
  randint_i32: () => torch.randint(5, [3], { dtype: "int32" }),
  randint_gen: () => torch.randint(3, 10, [2], { generator: G }),
  randperm: () => torch.randperm(5),
  randperm_f32: () => torch.randperm(4, { dtype: "float32" }),
  randperm_gen: () => torch.randperm(5, { generator: G }),
  rand_like: () => torch.randLike(x),
  rand_like_f64: () => torch.randLike(x, { dtype: "float64" }),
  randn_like: () => torch.randnLike(x),
  randn_like_gen: () => torch.randnLike(x, { generator: G }),
  randint_like: () => torch.randintLike(x, 10),
  randint_like_low: () => torch.randintLike(x, 3, 10),
  normal_: () => clone(x).normal_(),
  normal_args: () => clone(x).normal_(1, 2),
  uniform_: () => clone(x).uniform_(-1, 1),
  bernoulli_float: () => clone(x).bernoulli_(0.3),
  bernoulli_default: () => clone(x).bernoulli_(),
  bernoulli_tensor: () => clone(x).bernoulli_(torch.full([2, 3], 0.3)),
  bernoulli: () => torch.bernoulli(torch.full([2, 3], 0.3)),
  bernoulli_p: () => torch.bernoulli(x, 0.3),
  method_bernoulli_p: () => x.bernoulli(0.3),
  normal_tf: () => torch.normal(x, 1.0),
  normal_tf2: () => torch.normal(x, 2.0),
  normal_ft: () => torch.normal(1.0, x),
  normal_tt: () => torch.normal(x, x),
  normal_tt_gen: () => torch.normal(x, x, { generator: G }),
  normal_ff: () => torch.normal(0.0, 1.0, [2, 3]),
  random_: () => clone(x).random_(),
  random_to: () => clone(x).random_(5),
  random_from: () => clone(x).random_(2, 5),
  random_from_none: () => clone(x).random_(3, null),
  exponential_: () => clone(x).exponential_(),
  exponential_2: () => clone(x).exponential_(2.0),
};

describe("a logging mode sees the calls PyTorch's sees", () => {
  for (const [name, calls] of Object.entries(fixture.logs)) {
    it(`${name}: ${calls.map((c) => c[0]).join(", ")}`, () => {
      const fn = USER[name];
      expect(fn, `no TypeScript twin for "${name}"`).toBeDefined();
      const mode = new Log();
      mode.run(fn!);
      expect(mode.calls).toEqual(calls);
    });
  }
});

/** Names of the operators a call makes one level down, from RecordFunction ranges. */
function childrenOf(fn: () => unknown): string[] {
  const names: string[] = [];
  const handle = torch.addGlobalCallback({
    scopes: ["function"],
    start: (ev: RecordFunctionEvent) => {
      if (ev.depth === 1) names.push(ev.name);
    },
  });
  try {
    fn();
  } finally {
    handle.remove();
  }
  return names;
}

const A = torch.ops.aten!;
/** Each op's call, its inputs made first (so only the op's own children are recorded). */
const CALLS: Record<string, () => () => unknown> = {
  "aten::rand": () => () => A.rand!([2, 3]),
  "aten::rand.generator": () => () => A.rand!.generator!([2, 3], { generator: null }),
  "aten::randn": () => () => A.randn!([2, 3]),
  "aten::randint": () => () => A.randint!(10, [2, 3]),
  "aten::randint.low": () => () => A.randint!.low!(3, 10, [2, 3]),
  "aten::rand_like": () => () => A.rand_like!(x),
  "aten::randn_like": () => () => A.randn_like!(x),
  "aten::randint_like": () => () => A.randint_like!(x, 10),
  "aten::randint_like.low_dtype": () => () => A.randint_like!.low_dtype!(x, 3, 10),
  "aten::randint_like.Tensor": () => {
    const high = torch.tensor(10);
    return () => A.randint_like!.Tensor!(x, high);
  },
  "aten::randperm": () => () => A.randperm!(5),
  "aten::normal.float_float": () => () => A.normal!.float_float!(0.0, 1.0, [3]),
  "aten::bernoulli": () => {
    const p = torch.full([2, 3], 0.3);
    return () => A.bernoulli!(p);
  },
  "aten::bernoulli.p": () => () => A.bernoulli!.p!(x, 0.3),
  "aten::normal.Tensor_float": () => () => A.normal!.Tensor_float!(x, 1.0),
  "aten::normal.float_Tensor": () => () => A.normal!.float_Tensor!(1.0, x),
  "aten::normal.Tensor_Tensor": () => () => A.normal!.Tensor_Tensor!(x, x),
  "aten::normal_": () => {
    const t = clone(x);
    return () => A.normal_!(t);
  },
  "aten::uniform_": () => {
    const t = clone(x);
    return () => A.uniform_!(t);
  },
  "aten::bernoulli_.float": () => {
    const t = clone(x);
    return () => A.bernoulli_!.float!(t, 0.5);
  },
  "aten::random_.from": () => {
    const t = clone(x);
    return () => A.random_!.from!(t, 0, 5);
  },
};

/**
 * Where aten-ts's decomposition is knowingly shallower than PyTorch's: randperm's C++ calls
 * randperm.generator_out (a CPU kernel); aten-ts, which defines no .out overloads, runs that
 * kernel inside randperm's own CompositeExplicitAutograd kernel.
 */
const DEVIATIONS: Record<string, string[]> = { "aten::randperm": ["aten::empty"] };

describe("each op calls the ops PyTorch's kernel calls (profiler children)", () => {
  for (const [name, want] of Object.entries(fixture.children)) {
    const expected = DEVIATIONS[name] ?? want;
    it(`${name} calls ${expected.join(", ") || "nothing"}`, () => {
      const prepare = CALLS[name];
      expect(prepare, `no TypeScript twin for "${name}"`).toBeDefined();
      expect(childrenOf(prepare!())).toEqual(expected);
    });
  }
});

describe("seeding and generator state", () => {
  it("given manualSeed(3), then the default generator is returned and initialSeed() is 3n", () => {
    expect(torch.manualSeed(3)).toBe(torch.defaultGenerator());
    expect(torch.initialSeed()).toBe(3n);
  });

  it("given seed(), then the default generator is reseeded with the returned seed", () => {
    const s = torch.seed();
    expect(torch.initialSeed()).toBe(s);
  });

  it("given a state from getRngState(), when restored with setRngState, then the same numbers are drawn again", () => {
    torch.manualSeed(5);
    torch.randn([3], { dtype: "float64" }); // leaves a cached normal sample in the state
    const state = torch.getRngState();
    expect(state.dtype).toBe("uint8");
    expect(state.shape).toEqual([5056]);
    const first = [torch.randn([5]).tolist(), torch.rand([20]).tolist()];
    torch.setRngState(state);
    expect([torch.randn([5]).tolist(), torch.rand([20]).tolist()]).toEqual(first);
  });

  it("given two generators with one seed, then they draw the same numbers and leave the default generator alone", () => {
    torch.manualSeed(0);
    const expected = torch.rand([3]).tolist();
    torch.manualSeed(0);
    const a = torch.randn([7], { generator: new Generator(11) }).tolist();
    const b = torch.randn([7], { generator: new Generator(11) }).tolist();
    expect(a).toEqual(b);
    expect(torch.rand([3]).tolist()).toEqual(expected);
  });

  it("given a FakeTensorMode, when random factories and in-place ops run under it, then nothing is drawn", () => {
    torch.manualSeed(0);
    const expected = torch.rand([3]).tolist();
    torch.manualSeed(0);
    new torch.FakeTensorMode().run(() => {
      torch.randn([100]);
      torch.rand([3]);
      torch.empty([5]).normal_();
    });
    expect(torch.rand([3]).tolist()).toEqual(expected);
  });

  it("given something other than a Generator as the generator, then a TypeError is raised", () => {
    expect(() => A.rand!.generator!([2], { generator: 5 })).toThrow(TypeError);
  });
});

describe("in-place sampling", () => {
  it("given normal_, uniform_, bernoulli_, random_, exponential_, then each returns self and bumps its version", () => {
    const t = torch.zeros([4]);
    const start = t.version; // zeros is empty + zero_, already one write
    const steps: Array<() => Tensor> = [
      () => t.normal_(),
      () => t.uniform_(),
      () => t.bernoulli_(0.5),
      () => t.bernoulli_(torch.full([4], 0.5)),
      () => t.random_(0, 10),
      () => t.random_(10),
      () => t.random_(),
      () => t.exponential_(),
    ];
    steps.forEach((step, i) => {
      expect(step()).toBe(t);
      expect(t.version).toBe(start + i + 1);
    });
  });

  it("given a meta tensor, then in-place sampling keeps it meta and returns it", () => {
    const m = torch.empty([3], { device: "meta" });
    expect(m.normal_().uniform_().bernoulli_(0.2).random_()).toBe(m);
    expect(m.isMeta).toBe(true);
  });

  it("given requiresGrad, then the random factory's result requires grad (floating dtypes only)", () => {
    expect(torch.randn([2], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(() => torch.randint(0, 3, [2], { requiresGrad: true })).toThrow("Only Tensors of floating point and complex dtype can require gradients");
  });
});
