// The random factories, CompositeExplicitAutograd as in PyTorch's TensorFactories.cpp: rand and
// randn are `empty` + `uniform_(0, 1)` / `normal_(0, 1)`, randint is `empty` + `random_(low, high)`,
// the _like forms start from `empty_like`, normal.float_float is `empty` + `normal_(mean, std)`,
// randperm is `empty` + PyTorch's permutation kernel. On Meta the generator is never touched.

import { RuntimeError } from "../core/errors.js";
import { randperm as randpermKernel } from "../backends/cpu/random-kernels.js";
import type { RandomDtype } from "../backends/cpu/random-kernels.js";
import type { DType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl } from "./op-decl.js";
import { type Opt, op, resolveGenerator } from "./random-util.js";

type Size = number[];
type Int = number | bigint;
type Options = [dtype: Opt<DType>, layout: unknown, device: Opt<string>, pin: Opt<boolean>];
type LikeOptions = [...Options, memoryFormat: unknown];

const empty = (size: Size, [dtype, layout, device, pin]: Options): Tensor =>
  op("aten::empty.memory_format", size, dtype, layout, device, pin, null);
const emptyLike = (self: Tensor, [dtype, layout, device, pin, mf]: LikeOptions): Tensor =>
  op("aten::empty_like", self, dtype, layout, device, pin, mf);

function rand(size: Size, generator: unknown, ...o: Options): Tensor {
  return op("aten::uniform_", empty(size, o), 0, 1, generator);
}

function randn(size: Size, generator: unknown, ...o: Options): Tensor {
  return op("aten::normal_", empty(size, o), 0, 1, generator);
}

function randint(low: Int, high: Int, size: Size, generator: unknown, ...o: Options): Tensor {
  const result = empty(size, o);
  // PyTorch's meta function for randint checks the range itself (random_'s does not)
  if (result.device === "meta" && !(BigInt(low) < BigInt(high))) {
    throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  }
  return op("aten::random_.from", result, low, high, generator);
}

function randperm(n: number, generator: unknown, dtype: Opt<DType>, layout: unknown, device: Opt<string>, pin: Opt<boolean>): Tensor {
  // randperm's C++ fills in a missing dtype with Long itself (the schema default covers only an omitted one)
  const result = empty([n], [dtype ?? "int64", layout, device, pin]);
  if (result.device === "cpu") {
    randpermKernel(resolveGenerator(generator), n, result.dtype as RandomDtype, result.data());
  }
  return result;
}

function randLike(self: Tensor, generator: unknown, ...o: LikeOptions): Tensor {
  return op("aten::uniform_", emptyLike(self, o), 0, 1, generator);
}

function randnLike(self: Tensor, generator: unknown, ...o: LikeOptions): Tensor {
  return op("aten::normal_", emptyLike(self, o), 0, 1, generator);
}

function randintLike(self: Tensor, low: Int, high: Int, generator: unknown, ...o: LikeOptions): Tensor {
  return op("aten::random_.from", emptyLike(self, o), low, high, generator);
}

/**
 * randint_like with a Tensor `high`: a 0-dim CPU tensor, read with item() (truncated to int64).
 * A meta `high` has no value: PyTorch's meta function accepts it, and nothing is drawn.
 */
function randintLikeTensor(self: Tensor, high: Tensor, generator: unknown, ...o: LikeOptions): Tensor {
  if (high.device === "meta") return emptyLike(self, o);
  if (!(high.numel() === 1 && high._shape.length === 0 && high.device === "cpu")) {
    throw new RuntimeError("high must be a scalar tensor and on CPU");
  }
  return randintLike(self, 0, Math.trunc(Number(high.item())), generator, ...o);
}

const G = "Generator? generator";
const OPTS = "ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None";
const LONG_OPTS = "ScalarType? dtype=long, Layout? layout=None, Device? device=None, bool? pin_memory=None";
const LIKE_OPTS = `${OPTS}, MemoryFormat? memory_format=None`;

/** The random factories, in native_functions.yaml order. */
export const randomFactoryOps: readonly OpDecl[] = [
  {
    schema: `rand(SymInt[] size, *, ${OPTS}) -> Tensor`,
    explicit: ((size: Size, ...o: Options) => rand(size, null, ...o)) as never,
  },
  {
    schema: `rand.generator(SymInt[] size, *, ${G}, ${OPTS}) -> Tensor`,
    explicit: rand as never,
  },
  {
    schema: `rand_like(Tensor self, *, ${LIKE_OPTS}) -> Tensor`,
    explicit: ((self: Tensor, ...o: LikeOptions) => randLike(self, null, ...o)) as never,
  },
  {
    schema: `rand_like.generator(Tensor self, *, ${G}, ${LIKE_OPTS}) -> Tensor`,
    explicit: randLike as never,
  },
  {
    schema: `randint(SymInt high, SymInt[] size, *, ${LONG_OPTS}) -> Tensor`,
    explicit: ((high: Int, size: Size, ...o: Options) => randint(0, high, size, null, ...o)) as never,
  },
  {
    schema: `randint.generator(SymInt high, SymInt[] size, *, ${G}, ${LONG_OPTS}) -> Tensor`,
    explicit: ((high: Int, size: Size, g: unknown, ...o: Options) => randint(0, high, size, g, ...o)) as never,
  },
  {
    schema: `randint.low(SymInt low, SymInt high, SymInt[] size, *, ${LONG_OPTS}) -> Tensor`,
    explicit: ((low: Int, high: Int, size: Size, ...o: Options) => randint(low, high, size, null, ...o)) as never,
  },
  {
    schema: `randint.low_generator(SymInt low, SymInt high, SymInt[] size, *, ${G}, ${LONG_OPTS}) -> Tensor`,
    explicit: randint as never,
  },
  {
    schema: `randint_like(Tensor self, SymInt high, *, ${LIKE_OPTS}) -> Tensor`,
    explicit: ((self: Tensor, high: Int, ...o: LikeOptions) => randintLike(self, 0, high, null, ...o)) as never,
  },
  {
    schema: `randint_like.generator(Tensor self, SymInt high, *, ${G}, ${LIKE_OPTS}) -> Tensor`,
    explicit: ((self: Tensor, high: Int, g: unknown, ...o: LikeOptions) => randintLike(self, 0, high, g, ...o)) as never,
  },
  {
    schema: `randint_like.Tensor(Tensor self, Tensor high, *, ${LIKE_OPTS}) -> Tensor`,
    explicit: ((self: Tensor, high: Tensor, ...o: LikeOptions) => randintLikeTensor(self, high, null, ...o)) as never,
  },
  {
    schema: `randint_like.Tensor_generator(Tensor self, Tensor high, *, ${G}, ${LIKE_OPTS}) -> Tensor`,
    explicit: randintLikeTensor as never,
  },
  {
    schema: `randint_like.low_dtype(Tensor self, SymInt low, SymInt high, *, ${LIKE_OPTS}) -> Tensor`,
    explicit: ((self: Tensor, low: Int, high: Int, ...o: LikeOptions) => randintLike(self, low, high, null, ...o)) as never,
  },
  {
    schema: `randint_like.low_generator_dtype(Tensor self, SymInt low, SymInt high, *, ${G}, ${LIKE_OPTS}) -> Tensor`,
    explicit: randintLike as never,
  },
  {
    schema: `randn(SymInt[] size, *, ${OPTS}) -> Tensor`,
    explicit: ((size: Size, ...o: Options) => randn(size, null, ...o)) as never,
  },
  {
    schema: `randn.generator(SymInt[] size, *, ${G}, ${OPTS}) -> Tensor`,
    explicit: randn as never,
  },
  {
    schema: `randn_like(Tensor self, *, ${LIKE_OPTS}) -> Tensor`,
    explicit: ((self: Tensor, ...o: LikeOptions) => randnLike(self, null, ...o)) as never,
  },
  {
    schema: `randn_like.generator(Tensor self, *, ${G}, ${LIKE_OPTS}) -> Tensor`,
    explicit: randnLike as never,
  },
  {
    schema: `randperm(SymInt n, *, ${LONG_OPTS}) -> Tensor`,
    explicit: ((n: number, ...o: Options) => randperm(n, null, ...o)) as never,
  },
  {
    schema: `randperm.generator(SymInt n, *, ${G}, ${LONG_OPTS}) -> Tensor`,
    explicit: randperm as never,
  },
  {
    schema: `normal.float_float(float mean, float std, SymInt[] size, *, Generator? generator=None, ${OPTS}) -> Tensor`,
    explicit: ((mean: number, std: number, size: Size, g: unknown, ...o: Options) => op("aten::normal_", empty(size, o), mean, std, g)) as never,
  },
];
