// Activation operators of torch.nn (PyTorch's Activation.cpp): leaky_relu elu softplus hardtanh
// relu6 hardsigmoid hardswish mish log_sigmoid glu softshrink hardshrink threshold selu celu,
// their in-place forms and their backward ops. The structured ones are TensorIterator unary ops
// (`build_unary_op`: an integer input keeps its dtype and the float-only CPU loop refuses it);
// the backward ops are binary ops of (grad_output, self). relu6 and selu are
// CompositeImplicitAutograd (hardtanh / elu), celu is CompositeExplicitAutograd over elu,
// hardtanh runs clamp, log_sigmoid is log_sigmoid_forward's first output.

import { NotImplementedError, RuntimeError } from "../core/errors.js";
import { asCompute, type Fn1, type Fn2, map1, map2, map3 } from "../backends/cpu/pointwise-loops.js";
import { callOp } from "../dispatcher/call-op.js";
import { type DType, isFloatingType } from "../tensor/dtype.js";
import { contiguousStrides, wrapDim } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkCanCastTo } from "../tensor/type-promotion.js";
import type { OpDecl, TensorSpec } from "./op-decl.js";
import { type Plan, allocPlan as allocPlanOn, bothBackends, structuredDecl, structuredInplaceDecl } from "./pointwise-iter.js";
import { binaryPlan, notImplementedFor, toStored, unaryPlan } from "./pointwise-rules.js";

type Scalar = number | boolean | bigint;
const num = (s: unknown): number => (typeof s === "boolean" ? (s ? 1 : 0) : Number(s as Scalar));
const FLOATS: readonly DType[] = ["float32", "float64"];

/** The element function of a unary activation for its scalar arguments. */
type MakeUnary = (a: number, b: number, c: number) => Fn1;

interface UnaryActivation {
  readonly schema: string;
  readonly inplaceSchema?: string;
  /** CPU kernel name in "not implemented for" errors. */
  readonly kernel: string;
  readonly make: MakeUnary;
  /** Validation of the scalar arguments on every backend. */
  readonly check?: (self: Tensor, extra: readonly unknown[]) => void;
  /** dtypes the loop accepts (default: floats). */
  readonly dtypes?: readonly DType[];
}

/** A structured unary activation (build_unary_op) and its in-place form. */
function unaryActivation(o: UnaryActivation): OpDecl[] {
  const rule = (self: Tensor, a?: unknown, b?: unknown, c?: unknown): Plan => {
    o.check?.(self, [a, b, c]);
    return unaryPlan(self, self.dtype);
  };
  const cpu = (out: Tensor, p: Plan, self: Tensor, a?: unknown, b?: unknown, c?: unknown): void => {
    if (!(o.dtypes ?? FLOATS).includes(p.compute)) throw notImplementedFor(o.kernel, p.compute);
    const f = o.make(num(a), num(b), num(c));
    const d = out.dtype;
    map1(out, asCompute(self, p.compute), isFloatingType(d) ? f : (x) => toStored(d, f(x)));
  };
  const decls = [structuredDecl(o.schema, rule as never, cpu as never)];
  if (o.inplaceSchema) {
    const check = (self: Tensor, p: Plan) => checkCanCastTo(p.compute, self.dtype);
    decls.push(structuredInplaceDecl(o.inplaceSchema, rule as never, check as never, cpu as never));
  }
  return decls;
}

interface BinaryBackward {
  readonly schema: string;
  readonly kernel: string;
  /** f(grad, self) for the scalar arguments (those after self). */
  readonly make: (a: unknown, b: unknown) => Fn2;
  readonly check?: (a: unknown, b: unknown) => void;
  /** The iterator's operand order is (self, grad) (leaky_relu_backward), not (grad, self). */
  readonly selfFirst?: boolean;
  /** The output is allocated with self's dtype before the iterator runs (mish_backward). */
  readonly selfDType?: boolean;
}

/** A backward op computed as a binary TensorIterator op of (grad_output, self). */
function binaryBackward(o: BinaryBackward): OpDecl {
  const rule = (g: Tensor, self: Tensor, a?: unknown, b?: unknown): Plan => {
    o.check?.(a, b);
    const p = o.selfFirst ? binaryPlan(self, g) : binaryPlan(g, self);
    return o.selfDType ? { ...p, dtype: self.dtype } : p;
  };
  const cpu = (out: Tensor, p: Plan, g: Tensor, self: Tensor, a?: unknown, b?: unknown): void => {
    if (!FLOATS.includes(p.compute)) throw notImplementedFor(o.kernel, p.compute);
    map2(out, asCompute(g, p.compute), asCompute(self, p.compute), o.make(a, b));
  };
  return structuredDecl(o.schema, rule as never, cpu as never);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const softplusF = (x: number): number => Math.log1p(Math.exp(x));

// ---- elu
/** x <= 0 ? (exp(x * input_scale) - 1) * alpha * scale : x * scale */
const eluF: MakeUnary = (alpha, scale, inputScale) => {
  const neg = alpha * scale;
  return (x) => (x <= 0 ? Math.expm1(x * inputScale) * neg : x * scale);
};
function eluBackwardF(alpha: unknown, scale: unknown, inputScale: unknown, isResult: unknown): Fn2 {
  const [negcoef, poscoef, negiptcoef] = [num(alpha) * num(scale), num(scale), num(inputScale)];
  if (isResult) return (g, y) => (y <= 0 ? g * negiptcoef * (y + negcoef) : g * poscoef);
  return (g, x) => (x <= 0 ? g * negiptcoef * negcoef * Math.exp(x * negiptcoef) : g * poscoef);
}

/** elu_backward(grad_output, alpha, scale, input_scale, is_result, self_or_result): grad first, then 4 scalars, then the tensor. */
const eluBackward: OpDecl = (() => {
  const rule = (g: Tensor, alpha: Scalar, _s: Scalar, _i: Scalar, isResult: boolean, x: Tensor): Plan => {
    if (isResult && num(alpha) < 0) {
      throw new RuntimeError(
        "In-place elu backward calculation is triggered with a negative slope which is not supported. This is caused by calling in-place forward function with a negative slope, please call out-of-place version instead.",
      );
    }
    return binaryPlan(g, x);
  };
  const kernel = (device: "cpu" | "meta") => (g: Tensor, alpha: Scalar, scale: Scalar, inputScale: Scalar, isResult: boolean, x: Tensor) => {
    const p = rule(g, alpha, scale, inputScale, isResult, x);
    if (device === "meta") return allocMeta(p, [g, x]);
    const out = allocCpu(p, [g, x]);
    if (!FLOATS.includes(p.compute)) throw notImplementedFor("elu_backward_cpu", p.compute);
    map2(out, asCompute(g, p.compute), asCompute(x, p.compute), eluBackwardF(alpha, scale, inputScale, isResult));
    return out;
  };
  return {
    schema: "elu_backward(Tensor grad_output, Scalar alpha, Scalar scale, Scalar input_scale, bool is_result, Tensor self_or_result) -> Tensor",
    cpuKernel: kernel("cpu") as OpDecl["cpuKernel"],
    metaKernel: kernel("meta") as OpDecl["metaKernel"],
  };
})();

// structuredDecl's allocation, for kernels with other argument layouts
function allocCpu(p: Plan, tensors: readonly Tensor[]): Tensor {
  checkOn("cpu", tensors);
  return allocPlanOn("cpu", p);
}
function allocMeta(p: Plan, tensors: readonly Tensor[]): Tensor {
  checkOn("meta", tensors);
  return allocPlanOn("meta", p);
}
function checkOn(device: string, tensors: readonly Tensor[]): void {
  for (const t of tensors) {
    if (t.device !== device && !(t.device === "cpu" && t._shape.length === 0)) {
      throw new RuntimeError(`Tensor on device ${t.device} is not on the expected device ${device}!`);
    }
  }
}

// ---- hardtanh (CPU kernel = clamp with integer bounds for integer tensors)
function hardtanhBounds(self: Tensor, min: Scalar, max: Scalar): [number, number] {
  if (self.dtype === "bool") throw new NotImplementedError("Bool inputs not supported for hardtanh");
  if (!isFloatingType(self.dtype)) {
    const [lo, hi] = [Math.trunc(num(min)), Math.trunc(num(max))];
    if (self.dtype === "uint8" && (lo < 0 || hi < 0)) throw new RuntimeError("cannot do hardtanh on an unsigned type with negative limits");
    return [lo, hi];
  }
  return [num(min), num(max)];
}

// ---- log_sigmoid_forward: (min(x, 0) - log1p(exp(-|x|)), buffer exp(-|x|))
const logSigmoidForward: OpDecl = {
  schema: "log_sigmoid_forward(Tensor self) -> (Tensor output, Tensor buffer)",
  meta: ((self: Tensor): TensorSpec[] => {
    // PyTorch's CPU kernel allocates both contiguous (LEGACY_CONTIGUOUS_MEMORY_FORMAT)
    const strides = contiguousStrides(self._shape);
    return [
      { shape: self._shape.slice(), dtype: self.dtype, strides },
      { shape: self._shape.slice(), dtype: self.dtype, strides },
    ];
  }) as never,
  cpu: ((outs: Tensor[], self: Tensor) => {
    if (!FLOATS.includes(self.dtype)) throw notImplementedFor("log_sigmoid_cpu", self.dtype);
    map1(outs[1]!, self, (x) => Math.exp(-Math.abs(x)));
    map1(outs[0]!, self, (x) => Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x))));
  }) as never,
};

const logSigmoidBackward: OpDecl = {
  schema: "log_sigmoid_backward(Tensor grad_output, Tensor self, Tensor buffer) -> Tensor",
  meta: ((g: Tensor, self: Tensor, buffer: Tensor): TensorSpec => {
    const p = binaryPlan(self, g);
    void buffer;
    return { shape: p.shape, dtype: p.compute, strides: p.strides ?? undefined };
  }) as never,
  cpu: ((out: Tensor, g: Tensor, self: Tensor, buffer: Tensor) => {
    if (!FLOATS.includes(out.dtype)) throw notImplementedFor("log_sigmoid_backward_cpu", out.dtype);
    const d = out.dtype;
    // (max_deriv - sign * (z / (1 + z))) * grad with z the forward's buffer exp(-|x|)
    map3(out, asCompute(self, d), asCompute(buffer, d), asCompute(g, d), (x, z, gv) => {
      const neg = x < 0;
      return ((neg ? 1 : 0) - (neg ? 1 : -1) * (z / (1 + z))) * gv;
    });
  }) as never,
};

// ---- glu
function gluHalves(self: Tensor, dim: number): [number, number] {
  if (self._shape.length === 0) {
    throw new RuntimeError("glu does not support 0-dimensional tensors");
  }
  const d = wrapDim(dim, self._shape.length);
  const n = self._shape[d]!;
  if (n % 2 !== 0) throw new RuntimeError(`Halving dimension must be even, but dimension ${d} is size ${n}`);
  return [d, n / 2];
}
const narrow = (t: Tensor, d: number, start: number, len: number): Tensor => callOp("aten::narrow", [t, d, start, len]) as Tensor;

const glu: OpDecl = (() => {
  const plan = (self: Tensor, dim: number): [Plan, Tensor, Tensor] => {
    const [d, h] = gluHalves(self, dim);
    const a = narrow(self, d, 0, h);
    const b = narrow(self, d, h, h);
    return [binaryPlan(a, b), a, b];
  };
  return {
    schema: "glu(Tensor self, int dim=-1) -> Tensor",
    cpuKernel: ((self: Tensor, dim: number) => {
      const [p, a, b] = plan(self, dim);
      const out = allocCpu(p, [self]);
      if (!FLOATS.includes(p.compute)) throw notImplementedFor("glu_cpu", p.compute);
      map2(out, a, b, (x, y) => x * sigmoid(y));
      return out;
    }) as OpDecl["cpuKernel"],
    metaKernel: ((self: Tensor, dim: number) => allocMeta(plan(self, dim)[0], [self])) as OpDecl["metaKernel"],
  };
})();

const gluBackward: OpDecl = {
  schema: "glu_backward(Tensor grad_output, Tensor self, int dim) -> Tensor",
  meta: ((g: Tensor, self: Tensor, dim: number): TensorSpec => {
    const [d, h] = gluHalves(self, dim);
    const want = self._shape.map((s, i) => (i === d ? h : s));
    if (g._shape.length !== want.length || g._shape.some((s, i) => s !== want[i])) {
      throw new RuntimeError(`grad_output shape [${g._shape.join(", ")}] does not match the glu output shape [${want.join(", ")}]`);
    }
    return { shape: self._shape.slice(), dtype: self.dtype };
  }) as never,
  cpu: ((out: Tensor, g: Tensor, self: Tensor, dim: number) => {
    if (!FLOATS.includes(self.dtype)) throw notImplementedFor("glu_backward_cpu", self.dtype);
    const [d, h] = gluHalves(self, dim);
    const a = narrow(self, d, 0, h);
    const b = narrow(self, d, h, h);
    const gc = asCompute(g, self.dtype);
    // first half: sigmoid(b) * g; second half: (1 - sigmoid(b)) * sigmoid(b) * a * g
    const sig = callOp("aten::empty_like", [b, null, null, null, null, "contiguous_format"]) as Tensor;
    map1(sig, b, sigmoid);
    map2(narrow(out, d, 0, h), sig, gc, (s, gv) => s * gv);
    const prod = callOp("aten::empty_like", [b, null, null, null, null, "contiguous_format"]) as Tensor;
    map2(prod, a, gc, (x, gv) => x * gv);
    map2(narrow(out, d, h, h), sig, prod, (s, ag) => (1 - s) * s * ag);
  }) as never,
};

// ---- softshrink / hardshrink
/** softshrink's meta checks: a floating dtype, then 0 <= lambd <= the dtype's max. */
function checkLambd(self: Tensor, extra: readonly unknown[]): void {
  if (!FLOATS.includes(self.dtype)) throw notImplementedFor("softshrink_check", self.dtype);
  const l = num(extra[0]);
  const max = self.dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
  if (!(l >= 0 && l <= max)) {
    const range = self.dtype === "float32" ? "3.40282e+38" : "1.79769e+308";
    throw new RuntimeError(`lambda must be in range [0, ${range}] for input dtype ${self.dtype === "float32" ? "Float" : "Double"}, but found ${cppDouble(l)}`);
  }
}
/** A double as C++'s ostream prints it (6 significant digits, %g). */
function cppDouble(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const [m, e] = v.toExponential(5).split("e") as [string, string];
  const ex = Number(e);
  const trim = (t: string) => (t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t);
  if (ex < -5 || ex >= 6) return `${trim(m)}e${ex < 0 ? "-" : "+"}${String(Math.abs(ex)).padStart(2, "0")}`;
  return trim(v.toFixed(Math.max(0, 5 - ex)));
}

/**
 * mish_backward: a CPU kernel, and math_mish_backward (CompositeImplicitAutograd) for the backends
 * without one (Meta): grad * (tanh(softplus(x)) + x * sigmoid(x) * (1 - tanh(softplus(x))^2)).
 */
function mishBackward(): OpDecl {
  const d = binaryBackward({
    schema: "mish_backward(Tensor grad_output, Tensor self) -> Tensor",
    kernel: "mish_backward_cpu",
    selfDType: true,
    make: () => (g, x) => {
      const s = sigmoid(x);
      const ts = Math.tanh(softplusF(x));
      return g * (ts + x * s * (1 - ts * ts));
    },
  });
  const call = (name: string, ...args: unknown[]) => callOp(name, args) as Tensor;
  const composite = (g: Tensor, self: Tensor): Tensor => {
    const ts = call("aten::tanh", call("aten::softplus", self, 1, 20));
    const s = call("aten::sigmoid", self);
    // C++'s `1 - t`: empty_like(t).fill_(1).sub_(t)
    const t2 = call("aten::mul.Tensor", ts, ts);
    const oneMinus = call("aten::sub_.Tensor", call("aten::fill_.Scalar", call("aten::empty_like", t2, null, null, null, null, null), 1), t2, 1);
    const inner = call("aten::add.Tensor", ts, call("aten::mul.Tensor", call("aten::mul.Tensor", self, s), oneMinus), 1);
    return call("aten::mul.Tensor", g, inner);
  };
  return { schema: d.schema, cpuKernel: d.cpuKernel!, composite: composite as never };
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** The activation operators, in native_functions.yaml order. */
export const activationOps: readonly OpDecl[] = [
  ...unaryActivation({
    schema: "threshold(Tensor self, Scalar threshold, Scalar value) -> Tensor",
    inplaceSchema: "threshold_(Tensor(a!) self, Scalar threshold, Scalar value) -> Tensor(a!)",
    kernel: "threshold_cpu",
    dtypes: ["float32", "float64", "int64", "int32", "int16", "int8", "uint8"],
    make: (t, v) => (x) => (x <= t ? v : x),
  }),
  {
    schema: "selu(Tensor self) -> Tensor",
    composite: ((self: Tensor) => callOp("aten::elu", [self, SELU_ALPHA, SELU_SCALE, 1])) as never,
  },
  {
    schema: "selu_(Tensor(a!) self) -> Tensor(a!)",
    composite: ((self: Tensor) => callOp("aten::elu_", [self, SELU_ALPHA, SELU_SCALE, 1])) as never,
  },
  ...(["celu", "celu_"] as const).map(
    (n): OpDecl => ({
      schema: n === "celu" ? "celu(Tensor self, Scalar alpha=1.0) -> Tensor" : "celu_(Tensor(a!) self, Scalar alpha=1.0) -> Tensor(a!)",
      explicit: ((self: Tensor, alpha: Scalar) => {
        if (num(alpha) === 0) throw new RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU");
        return callOp(n === "celu" ? "aten::elu" : "aten::elu_", [self, alpha, 1.0, 1 / num(alpha)]);
      }) as never,
    }),
  ),
  ...unaryActivation({
    schema: "mish(Tensor self) -> Tensor",
    inplaceSchema: "mish_(Tensor(a!) self) -> Tensor(a!)",
    kernel: "mish_cpu",
    make: () => (x) => x * Math.tanh(softplusF(x)),
  }),
  mishBackward(),
  {
    schema: "relu6(Tensor self) -> Tensor",
    composite: ((self: Tensor) => callOp("aten::hardtanh", [self, 0, 6])) as never,
  },
  {
    schema: "relu6_(Tensor(a!) self) -> Tensor(a!)",
    composite: ((self: Tensor) => callOp("aten::hardtanh_", [self, 0, 6])) as never,
  },
  ...unaryActivation({
    schema: "hardshrink(Tensor self, Scalar lambd=0.5) -> Tensor",
    kernel: "hardshrink_cpu",
    make: (l) => (x) => (x >= -l && x <= l ? 0 : x),
  }),
  binaryBackward({
    schema: "hardshrink_backward(Tensor grad_out, Tensor self, Scalar lambd) -> Tensor",
    kernel: "hardshrink_backward_cpu",
    make: (l) => (g, x) => (x >= -num(l) && x <= num(l) ? 0 : g),
  }),
  ...unaryActivation({
    schema: "elu(Tensor self, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1) -> Tensor",
    inplaceSchema: "elu_(Tensor(a!) self, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1) -> Tensor(a!)",
    kernel: "elu_cpu",
    make: eluF,
  }),
  eluBackward,
  glu,
  gluBackward,
  ...unaryActivation({
    schema: "hardsigmoid(Tensor self) -> Tensor",
    inplaceSchema: "hardsigmoid_(Tensor(a!) self) -> Tensor(a!)",
    kernel: "hardsigmoid_cpu",
    make: () => (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
  }),
  binaryBackward({
    schema: "hardsigmoid_backward(Tensor grad_output, Tensor self) -> Tensor",
    kernel: "hardsigmoid_backward_cpu",
    make: () => (g, x) => (x > -3 && x < 3 ? g / 6 : 0),
  }),
  bothBackends("hardtanh(Tensor self, Scalar min_val=-1, Scalar max_val=1) -> Tensor", ((self: Tensor, min: Scalar, max: Scalar) => {
    const [lo, hi] = hardtanhBounds(self, min, max);
    return callOp("aten::clamp", [self, lo, hi]);
  }) as never),
  bothBackends("hardtanh_(Tensor(a!) self, Scalar min_val=-1, Scalar max_val=1) -> Tensor(a!)", ((self: Tensor, min: Scalar, max: Scalar) => {
    const [lo, hi] = hardtanhBounds(self, min, max);
    return callOp("aten::clamp_", [self, lo, hi]);
  }) as never),
  binaryBackward({
    schema: "hardtanh_backward(Tensor grad_output, Tensor self, Scalar min_val, Scalar max_val) -> Tensor",
    kernel: "hardtanh_backward_cpu",
    make: (lo, hi) => (g, x) => (x <= num(lo) || x >= num(hi) ? 0 : g),
  }),
  ...unaryActivation({
    schema: "hardswish(Tensor self) -> Tensor",
    inplaceSchema: "hardswish_(Tensor(a!) self) -> Tensor(a!)",
    kernel: "hardswish_cpu",
    make: () => (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  }),
  binaryBackward({
    schema: "hardswish_backward(Tensor grad_output, Tensor self) -> Tensor",
    kernel: "hardswish_backward_cpu",
    make: () => (g, x) => (x <= -3 ? 0 : x < 3 ? g * (x / 3 + 0.5) : g),
  }),
  ...unaryActivation({
    schema: "leaky_relu(Tensor self, Scalar negative_slope=0.01) -> Tensor",
    inplaceSchema: "leaky_relu_(Tensor(a!) self, Scalar negative_slope=0.01) -> Tensor(a!)",
    kernel: "leaky_relu_cpu",
    make: (slope) => (x) => (x > 0 ? x : x * slope),
  }),
  binaryBackward({
    schema: "leaky_relu_backward(Tensor grad_output, Tensor self, Scalar negative_slope, bool self_is_result) -> Tensor",
    kernel: "leaky_relu_backward_cpu",
    selfFirst: true,
    check: (slope, isResult) => {
      if (isResult && num(slope) < 0) {
        throw new RuntimeError(
          "In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. This is caused by calling in-place forward function with a negative slope, please call out-of-place version instead. File an issue at https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu backward calculation with negative slope",
        );
      }
    },
    make: (slope) => (g, x) => (x > 0 ? g : g * num(slope)),
  }),
  {
    schema: "log_sigmoid(Tensor self) -> Tensor",
    composite: ((self: Tensor) => (callOp("aten::log_sigmoid_forward", [self]) as Tensor[])[0]) as never,
  },
  logSigmoidForward,
  logSigmoidBackward,
  ...unaryActivation({
    schema: "softplus(Tensor self, Scalar beta=1, Scalar threshold=20) -> Tensor",
    kernel: "softplus_cpu",
    make: (beta, threshold) => (x) => (x * beta > threshold ? x : Math.log1p(Math.exp(x * beta)) / beta),
  }),
  binaryBackward({
    schema: "softplus_backward(Tensor grad_output, Tensor self, Scalar beta, Scalar threshold) -> Tensor",
    kernel: "softplus_backward_cpu",
    make: (beta, threshold) => (g, x) => {
      const bx = x * num(beta);
      if (bx > num(threshold)) return g;
      const z = Math.exp(bx);
      return (g * z) / (z + 1);
    },
  }),
  ...unaryActivation({
    schema: "softshrink(Tensor self, Scalar lambd=0.5) -> Tensor",
    kernel: "softshrink_cpu",
    check: checkLambd,
    make: (l) => (x) => (Number.isNaN(x) ? x : x > l ? x - l : x < -l ? x + l : x * 0),
  }),
  binaryBackward({
    schema: "softshrink_backward(Tensor grad_output, Tensor self, Scalar lambd) -> Tensor",
    kernel: "softshrink_backward_cpu",
    make: (l) => (g, x) => (x >= -num(l) && x <= num(l) ? 0 : g),
  }),
];
