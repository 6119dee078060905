// addcmul and addcdiv: `self + value * tensor1 * tensor2` and `self + value * tensor1 / tensor2`
// (build_ternary_op: the three tensors promote to one dtype, which must cast to an in-place
// self). The CPU kernels evaluate in PyTorch's order, `(value * t1) op t2` then `+ self`, rounding
// each step to float32 where the dtype is float32; addcdiv refuses two integral tensors.

import { RuntimeError } from "../core/errors.js";
import { asCompute, map3 } from "../backends/cpu/pointwise-loops.js";
import { addInt64, castValue, checkedScalar, intMul } from "../backends/cpu/pointwise-math.js";
import { type DType, isFloatingType } from "../tensor/dtype.js";
import { broadcastAll } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { resultType } from "../tensor/type-promotion.js";
import type { OpDecl } from "./op-decl.js";
import { type Plan, outputStrides, structuredDecl, structuredInplaceDecl } from "./pointwise-iter.js";
import { checkInplace, notImplementedFor } from "./pointwise-rules.js";

type Scalar = number | boolean | bigint;

const ADDCDIV_INTEGER =
  "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.";

const isIntegral = (t: Tensor): boolean => !isFloatingType(t.dtype);

function ternaryPlan(self: Tensor, t1: Tensor, t2: Tensor): Plan {
  const inputs = [self, t1, t2];
  const shape = broadcastAll(inputs.map((t) => t._shape));
  const d = resultType(...inputs);
  return { shape, dtype: d, compute: d, strides: outputStrides(shape, inputs) };
}

function addcdivPlan(self: Tensor, t1: Tensor, t2: Tensor): Plan {
  if (isIntegral(t1) && isIntegral(t2)) throw new RuntimeError(ADDCDIV_INTEGER);
  return ternaryPlan(self, t1, t2);
}

/** `s + (v * a) * b` in dtype `d` (integers wrap as C++ does). */
function addcmulValue(d: DType, v: number): (s: number, a: number, b: number) => number {
  if (d === "float32") return (s, a, b) => s + Math.fround(Math.fround(v * a) * b);
  if (d === "float64") return (s, a, b) => s + v * a * b;
  if (d === "int64") return (s, a, b) => addInt64(s, 1, intMul(d, intMul(d, v, a), b));
  return (s, a, b) => castValue(d, s + intMul(d, intMul(d, v, a), b));
}

function addcmulCpu(out: Tensor, p: Plan, self: Tensor, t1: Tensor, t2: Tensor, value: Scalar): void {
  const d = p.compute;
  if (d === "bool") throw notImplementedFor("addcmul_cpu_out", d);
  const f = addcmulValue(d, checkedScalar(d, value));
  map3(out, asCompute(self, d), asCompute(t1, d), asCompute(t2, d), f);
}

function addcdivCpu(out: Tensor, p: Plan, self: Tensor, t1: Tensor, t2: Tensor, value: Scalar): void {
  const d = p.compute;
  const v = checkedScalar(d, value);
  const f =
    d === "float32"
      ? (s: number, a: number, b: number) => s + Math.fround(Math.fround(v * a) / b)
      : (s: number, a: number, b: number) => s + (v * a) / b;
  map3(out, asCompute(self, d), asCompute(t1, d), asCompute(t2, d), f);
}

const inplaceCheck = (self: Tensor, p: Plan): void => checkInplace(self, p.shape, p.compute);

const SIG = "Tensor tensor1, Tensor tensor2, *, Scalar value=1)";

/** addcmul, addcmul_, addcdiv and addcdiv_. */
export const pointwiseAddcOps: readonly OpDecl[] = [
  structuredDecl(`addcmul(Tensor self, ${SIG} -> Tensor`, ternaryPlan as never, addcmulCpu as never),
  structuredInplaceDecl(`addcmul_(Tensor(a!) self, ${SIG} -> Tensor(a!)`, ternaryPlan as never, inplaceCheck as never, addcmulCpu as never),
  structuredDecl(`addcdiv(Tensor self, ${SIG} -> Tensor`, addcdivPlan as never, addcdivCpu as never),
  structuredInplaceDecl(`addcdiv_(Tensor(a!) self, ${SIG} -> Tensor(a!)`, addcdivPlan as never, inplaceCheck as never, addcdivCpu as never),
];
