// Tensor methods and top-level functions of the random family: torch.manual_seed / rand / randn /
// randint / randperm / bernoulli / normal and x.normal_() / uniform_() / bernoulli_() ..., mapped
// onto aten overloads the way PyTorch's Python bindings pick them (a `generator` option, even
// null, selects the `.generator` overload), so a logging mode sees PyTorch's calls.

import { callOp } from "../../dispatcher/call-op.js";
import { dtypeCode, toDType } from "../dtype.js";
import { Generator, defaultGenerator, initialSeed, manualSeed } from "../generator.js";
import { Tensor, type TensorOptions } from "../tensor.js";
import { variableFactory } from "../creation.js";

export { Generator, defaultGenerator, initialSeed, manualSeed };

/** Options of the random factories: TensorOptions plus the generator to draw from. */
export interface RandomOptions extends TensorOptions {
  /** A Generator, or null for the default one (either selects the `.generator` overload). */
  generator?: Generator | null;
}
/** The generator option of sampling methods. */
export interface GeneratorOption {
  generator?: Generator | null;
}

type Size = readonly number[];
type Int = number | bigint;

/** dtype, layout, device, pin_memory as PyTorch's binding passes them to a factory. */
const factoryOpts = (o: TensorOptions, dtype: unknown = o.dtype ?? null): unknown[] => [dtype, null, o.device ?? "cpu", false];
/** ... and to a `_like` factory (device only when given), plus memory_format. */
const likeOpts = (o: TensorOptions): unknown[] => [o.dtype ?? null, null, o.device ?? null, false, null];
/**
 * randint and randperm default to `long`: an omitted or int64 dtype is passed as the schema's
 * default (aten code 4), which a mode shows as omitted, as PyTorch's does.
 */
const longDefault = (o: TensorOptions): unknown => (o.dtype === undefined || toDType(o.dtype) === "int64" ? dtypeCode("int64") : o.dtype);

/** Calls `name`, or `generatorName` with the generator when the option is given (even null, as in PyTorch). */
function factory(name: string, generatorName: string, lead: unknown[], opts: RandomOptions, rest: unknown[]): Tensor {
  return variableFactory(
    () => (opts.generator === undefined ? callOp(name, [...lead, ...rest]) : callOp(generatorName, [...lead, opts.generator, ...rest])),
    opts.requiresGrad,
  );
}

/**
 * `torch.rand`: uniform samples in [0, 1) (`aten::rand`), the same numbers as PyTorch for the
 * same seed.
 * @example
 * torch.manualSeed(0); torch.rand([2]) // tensor([0.4963, 0.7682])
 */
export function rand(size: Size, opts: RandomOptions = {}): Tensor {
  return factory("aten::rand", "aten::rand.generator", [size.slice()], opts, factoryOpts(opts));
}

/**
 * `torch.randn`: standard normal samples (`aten::randn`).
 * @example
 * torch.manualSeed(0); torch.randn([2]) // tensor([ 1.5410, -0.2934])
 */
export function randn(size: Size, opts: RandomOptions = {}): Tensor {
  return factory("aten::randn", "aten::randn.generator", [size.slice()], opts, factoryOpts(opts));
}

/**
 * `torch.randint(high, size)` / `torch.randint(low, high, size)`: integers in [low, high), int64
 * unless `dtype` says otherwise.
 * @example
 * torch.manualSeed(0); torch.randint(0, 10, [3]) // tensor([4, 9, 3])
 */
export function randint(high: Int, size: Size, opts?: RandomOptions): Tensor;
export function randint(low: Int, high: Int, size: Size, opts?: RandomOptions): Tensor;
export function randint(a: Int, b: Int | Size, c?: Size | RandomOptions, d?: RandomOptions): Tensor {
  if (Array.isArray(b)) {
    const opts = (c as RandomOptions | undefined) ?? {};
    return factory("aten::randint", "aten::randint.generator", [a, (b as Size).slice()], opts, factoryOpts(opts, longDefault(opts)));
  }
  const opts = d ?? {};
  return factory("aten::randint.low", "aten::randint.low_generator", [a, b, (c as Size).slice()], opts, factoryOpts(opts, longDefault(opts)));
}

/**
 * `torch.randperm`: a random permutation of 0..n-1 (int64 by default).
 * @example
 * torch.randperm(5, { dtype: "int32" })
 */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  return factory("aten::randperm", "aten::randperm.generator", [n], opts, factoryOpts(opts, longDefault(opts)));
}

/**
 * `torch.rand_like`: uniform samples with the shape (and by default dtype, device, strides) of t.
 * @example
 * torch.randLike(x, { dtype: "float64" })
 */
export function randLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return factory("aten::rand_like", "aten::rand_like.generator", [t], opts, likeOpts(opts));
}

/**
 * `torch.randn_like`: normal samples shaped like t.
 * @example
 * torch.randnLike(x)
 */
export function randnLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return factory("aten::randn_like", "aten::randn_like.generator", [t], opts, likeOpts(opts));
}

/**
 * `torch.randint_like(t, high)` / `torch.randint_like(t, low, high)`: integers in [low, high) in
 * t's shape and (by default) dtype.
 * @example
 * torch.randintLike(x, 3, 10)
 */
export function randintLike(t: Tensor, high: Int, opts?: RandomOptions): Tensor;
export function randintLike(t: Tensor, low: Int, high: Int, opts?: RandomOptions): Tensor;
export function randintLike(t: Tensor, a: Int, b?: Int | RandomOptions, c?: RandomOptions): Tensor {
  if (typeof b === "number" || typeof b === "bigint") {
    const opts = c ?? {};
    return factory("aten::randint_like.low_dtype", "aten::randint_like.low_generator_dtype", [t, a, b], opts, likeOpts(opts));
  }
  const opts = b ?? {};
  return factory("aten::randint_like", "aten::randint_like.generator", [t, a], opts, likeOpts(opts));
}

/**
 * `torch.bernoulli(input)`: 0/1 samples with probabilities `input` (`aten::bernoulli`), or with
 * one probability `p` for every element (`aten::bernoulli.p`).
 * @example
 * torch.bernoulli(torch.full([3], 0.7)); torch.bernoulli(x, 0.3)
 */
export function bernoulli(input: Tensor, p?: number | GeneratorOption, opts?: GeneratorOption): Tensor {
  if (typeof p === "number") return callOp("aten::bernoulli.p", [input, p, opts?.generator ?? null]) as Tensor;
  return callOp("aten::bernoulli", [input, p?.generator ?? null]) as Tensor;
}

/**
 * `torch.normal`: samples of N(mean, std) where mean and/or std are tensors (broadcast), or
 * numbers with a `size` (`normal.float_float`).
 * @example
 * torch.normal(means, 1.0); torch.normal(0, stds); torch.normal(2, 3, [4])
 */
export function normal(mean: Tensor, std?: number | Tensor, opts?: GeneratorOption): Tensor;
export function normal(mean: number, std: Tensor, opts?: GeneratorOption): Tensor;
export function normal(mean: number, std: number, size: Size, opts?: RandomOptions): Tensor;
export function normal(mean: Tensor | number, std: Tensor | number = 1, c?: Size | GeneratorOption, d?: RandomOptions): Tensor {
  if (mean instanceof Tensor) {
    const g = (c as GeneratorOption | undefined)?.generator ?? null;
    if (std instanceof Tensor) return callOp("aten::normal.Tensor_Tensor", [mean, std, g]) as Tensor;
    return callOp("aten::normal.Tensor_float", [mean, std, g]) as Tensor;
  }
  if (std instanceof Tensor) return callOp("aten::normal.float_Tensor", [mean, std, (c as GeneratorOption | undefined)?.generator ?? null]) as Tensor;
  if (!Array.isArray(c)) throw new TypeError("normal(mean: number, std: number) needs a size");
  const opts = d ?? {};
  return variableFactory(() => callOp("aten::normal.float_float", [mean, std, (c as Size).slice(), opts.generator ?? null, ...factoryOpts(opts)]), opts.requiresGrad);
}

/**
 * Seeds the default generator from a non-deterministic source (`torch.seed()`); returns the seed.
 * @example
 * const s = torch.seed(); torch.initialSeed() === s // true
 */
export function seed(): bigint {
  return defaultGenerator().seed();
}

/**
 * The default generator's state as PyTorch's 5056-byte uint8 tensor (`torch.get_rng_state()`).
 * @example
 * const s = torch.getRngState(); torch.rand([2]); torch.setRngState(s); // replays
 */
export function getRngState(): Tensor {
  const bytes = defaultGenerator().getState();
  return Tensor.fromArray(bytes, [bytes.length], "uint8");
}

/**
 * Restores the default generator's state from `getRngState()` (or PyTorch's own bytes).
 * @example
 * torch.setRngState(saved)
 */
export function setRngState(state: Tensor): void {
  if (state.dtype !== "uint8" || state.device !== "cpu") throw new TypeError("RNG state must be a torch.ByteTensor");
  const values = [state.tolist()].flat(Infinity) as number[];
  defaultGenerator().setState(Uint8Array.from(values));
}

declare module "../tensor.js" {
  interface Tensor {
    /** Fills with N(mean, std) samples in place (`aten::normal_`). */
    normal_(mean?: number, std?: number, opts?: GeneratorOption): Tensor;
    /** Fills with uniform samples in [from, to) in place (`aten::uniform_`). */
    uniform_(from?: number, to?: number, opts?: GeneratorOption): Tensor;
    /** Fills with 0/1 samples of probability p (a number, `bernoulli_.float`, or a tensor, `bernoulli_.Tensor`). */
    bernoulli_(p?: number | Tensor, opts?: GeneratorOption): Tensor;
    /** 0/1 samples with this tensor's values as probabilities, or with probability p (`bernoulli.p`). */
    bernoulli(p?: number | GeneratorOption, opts?: GeneratorOption): Tensor;
    /** Integers in place: `random_()`, `random_(to)`, `random_(from, to)`; `to` null means up to the dtype's maximum. */
    random_(from?: Int | GeneratorOption, to?: Int | null | GeneratorOption, opts?: GeneratorOption): Tensor;
    /** Fills with exponential samples of rate lambd in place (`aten::exponential_`). */
    exponential_(lambd?: number, opts?: GeneratorOption): Tensor;
  }
}

const P = Tensor.prototype;
P.normal_ = function (this: Tensor, mean = 0, std = 1, opts?: GeneratorOption) {
  return callOp("aten::normal_", [this, mean, std, opts?.generator ?? null]) as Tensor;
};
P.uniform_ = function (this: Tensor, from = 0, to = 1, opts?: GeneratorOption) {
  return callOp("aten::uniform_", [this, from, to, opts?.generator ?? null]) as Tensor;
};
P.bernoulli_ = function (this: Tensor, p: number | Tensor = 0.5, opts?: GeneratorOption) {
  const name = p instanceof Tensor ? "aten::bernoulli_.Tensor" : "aten::bernoulli_.float";
  return callOp(name, [this, p, opts?.generator ?? null]) as Tensor;
};
P.bernoulli = function (this: Tensor, p?: number | GeneratorOption, opts?: GeneratorOption) {
  return bernoulli(this, p, opts);
};
P.random_ = function (this: Tensor, a?: Int | GeneratorOption, b?: Int | null | GeneratorOption, c?: GeneratorOption) {
  const isInt = (v: unknown): v is Int => typeof v === "number" || typeof v === "bigint";
  if (!isInt(a)) return callOp("aten::random_", [this, a?.generator ?? null]) as Tensor;
  if (isInt(b) || b === null) return callOp("aten::random_.from", [this, a, b, c?.generator ?? null]) as Tensor;
  return callOp("aten::random_.to", [this, a, b?.generator ?? null]) as Tensor;
};
P.exponential_ = function (this: Tensor, lambd = 1, opts?: GeneratorOption) {
  return callOp("aten::exponential_", [this, lambd, opts?.generator ?? null]) as Tensor;
};
