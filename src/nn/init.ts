// nn.init, after torch/nn/init.py: in-place initialisers run under noGrad, with bounds computed
// in double precision as PyTorch's Python does, then one uniform_/normal_ call on the generator,
// so the same seed gives PyTorch's exact numbers.

import { ValueError } from "../core/errors.js";
import { warn } from "../core/warnings.js";
import { noGrad } from "../autograd/api.js";
import type { Generator } from "../tensor/generator.js";
import type { Tensor } from "../tensor/tensor.js";

/** Nonlinearities calculateGain knows. */
export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";
/** Fan mode of the Kaiming initialisers. */
export type FanMode = "fan_in" | "fan_out";
/** The generator option (default: the global generator). */
export interface GeneratorOpt {
  generator?: Generator | null;
}
/** Options of kaimingUniform_ / kaimingNormal_. */
export interface KaimingOptions extends GeneratorOpt {
  /** The negative slope of leaky_relu (default 0). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

const LINEAR_FNS = new Set(["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]);

/**
 * The recommended gain for a nonlinearity (PyTorch's calculate_gain).
 * @example
 * nn.init.calculateGain("relu") // Math.SQRT2
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  if (LINEAR_FNS.has(nonlinearity) || nonlinearity === "sigmoid") return 1;
  if (nonlinearity === "tanh") return 5.0 / 3;
  if (nonlinearity === "relu") return Math.sqrt(2.0);
  if (nonlinearity === "leaky_relu") {
    if (param !== undefined && param !== null && typeof param !== "number") throw new ValueError(`negative_slope ${String(param)} not a valid number`);
    const slope = param ?? 0.01;
    return Math.sqrt(2.0 / (1 + slope ** 2));
  }
  if (nonlinearity === "selu") return 3.0 / 4;
  throw new ValueError(`Unsupported nonlinearity ${String(nonlinearity)}`);
}

/**
 * [fanIn, fanOut] of a weight of at least 2 dims: size(1) and size(0) times the receptive field.
 * @example
 * calculateFanInAndFanOut(torch.empty([16, 8])) // [8, 16]
 */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  if (tensor.dim() < 2) throw new ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  const receptive = tensor.shape.slice(2).reduce((a, b) => a * b, 1);
  return [tensor.size(1) * receptive, tensor.size(0) * receptive];
}

function correctFan(tensor: Tensor, mode: string): number {
  const m = mode.toLowerCase();
  if (m !== "fan_in" && m !== "fan_out") throw new ValueError(`Mode ${m} not supported, please use one of ['fan_in', 'fan_out']`);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return m === "fan_in" ? fanIn : fanOut;
}

function empty(tensor: Tensor): boolean {
  if (!tensor.shape.includes(0)) return false;
  warn("Initializing zero-element tensors is a no-op");
  return true;
}

/**
 * Fills with U(a, b) in place, without recording gradients.
 * @example
 * nn.init.uniform_(w, -0.1, 0.1)
 */
export function uniform_(tensor: Tensor, a = 0.0, b = 1.0, opts: GeneratorOpt = {}): Tensor {
  return noGrad(() => tensor.uniform_(a, b, { generator: opts.generator ?? null }));
}

/**
 * Fills with N(mean, std) in place.
 * @example
 * nn.init.normal_(w, 0, 0.02)
 */
export function normal_(tensor: Tensor, mean = 0.0, std = 1.0, opts: GeneratorOpt = {}): Tensor {
  return noGrad(() => tensor.normal_(mean, std, { generator: opts.generator ?? null }));
}

/**
 * Fills with `val` in place.
 * @example
 * nn.init.constant_(b, 0.1)
 */
export function constant_(tensor: Tensor, val: number): Tensor {
  return noGrad(() => tensor.fill_(val));
}
/** Fills with zeros in place. */
export function zeros_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.zero_());
}
/** Fills with ones in place. */
export function ones_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.fill_(1.0));
}

/**
 * Kaiming (He) uniform: U(-bound, bound) with bound = gain * sqrt(3 / fan). Linear's default
 * weight init is `kaimingUniform_(w, { a: Math.sqrt(5) })`.
 * @example
 * nn.init.kaimingUniform_(w, { nonlinearity: "relu" })
 */
export function kaimingUniform_(tensor: Tensor, opts: KaimingOptions = {}): Tensor {
  if (empty(tensor)) return tensor;
  const fan = correctFan(tensor, opts.mode ?? "fan_in");
  const std = calculateGain(opts.nonlinearity ?? "leaky_relu", opts.a ?? 0) / Math.sqrt(fan);
  const bound = Math.sqrt(3.0) * std;
  return noGrad(() => tensor.uniform_(-bound, bound, { generator: opts.generator ?? null }));
}

/**
 * Kaiming (He) normal: N(0, gain / sqrt(fan)).
 * @example
 * nn.init.kaimingNormal_(w, { mode: "fan_out", nonlinearity: "relu" })
 */
export function kaimingNormal_(tensor: Tensor, opts: KaimingOptions = {}): Tensor {
  if (empty(tensor)) return tensor;
  const fan = correctFan(tensor, opts.mode ?? "fan_in");
  const std = calculateGain(opts.nonlinearity ?? "leaky_relu", opts.a ?? 0) / Math.sqrt(fan);
  return noGrad(() => tensor.normal_(0, std, { generator: opts.generator ?? null }));
}

/** Options of the Xavier initialisers. */
export interface XavierOptions extends GeneratorOpt {
  gain?: number;
}

/**
 * Xavier (Glorot) uniform: U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)).
 * @example
 * nn.init.xavierUniform_(w)
 */
export function xavierUniform_(tensor: Tensor, opts: XavierOptions = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = (opts.gain ?? 1.0) * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(tensor, -a, a, opts);
}

/**
 * Xavier (Glorot) normal: N(0, gain * sqrt(2 / (fanIn + fanOut))).
 * @example
 * nn.init.xavierNormal_(w, { gain: nn.init.calculateGain("tanh") })
 */
export function xavierNormal_(tensor: Tensor, opts: XavierOptions = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return normal_(tensor, 0.0, (opts.gain ?? 1.0) * Math.sqrt(2.0 / (fanIn + fanOut)), opts);
}
