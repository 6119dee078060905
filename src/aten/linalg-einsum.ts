// einsum: a CompositeImplicitAutograd decomposition following PyTorch 2.14's Linear.cpp: parse the
// equation, take diagonals of repeated labels, unsqueeze/permute every operand to one aligned
// layout, then contract pairs left to right (or along `path`) with `sumproduct_pair`
// (permute -> reshape -> bmm -> view -> permute), summing dimensions only one operand has.

import { RuntimeError } from "../core/errors.js";
import { callOp } from "../dispatcher/call-op.js";
import type { Tensor } from "../tensor/tensor.js";
import type { OpDecl } from "./op-decl.js";
import { callMovedim } from "./linalg-common.js";

const call = (name: string, args: unknown[]) => callOp(name, args) as Tensor;
const permute = (t: Tensor, dims: number[]) => call("aten::permute", [t, dims]);
const sumKeep = (t: Tensor, dims: number[], keepdim: boolean) => call("aten::sum.dim_IntList", [t, dims, keepdim, null]);

const NUM_LETTERS = 26;
const TOTAL_LABELS = 2 * NUM_LETTERS;
const ELLIPSIS = TOTAL_LABELS;

const isAlpha = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
/** [A-Z] -> 0..25, [a-z] -> 26..51 (upper case sorts first, as in PyTorch). */
const toSubscript = (c: string) => (c <= "Z" ? c.charCodeAt(0) - 65 : c.charCodeAt(0) - 97 + NUM_LETTERS);
const toLabel = (s: number) => String.fromCharCode(s < NUM_LETTERS ? s + 65 : s - NUM_LETTERS + 97);
const fail = (msg: string): never => {
  throw new RuntimeError(msg);
};

/**
 * `(left * right).sum(sumDims, keepdim)` for aligned operands (same rank, broadcastable) via one bmm.
 * @example
 * sumproductPair(a, b, [1], true) // a [i, j, 1] and b [1, j, k] -> [i, 1, k], like a @ b
 */
export function sumproductPair(left0: Tensor, right0: Tensor, sumDims: readonly number[], keepdim: boolean): Tensor {
  if (left0.dim() !== right0.dim()) fail("number of dimensions must match");
  if (sumDims.length === 0) return call("aten::mul.Tensor", [left0, right0]);
  const dim = left0.dim();
  const isSum = new Array<boolean>(dim).fill(false);
  for (const d of sumDims) isSum[d] = true;
  const lro: number[] = [];
  const lo: number[] = [];
  const ro: number[] = [];
  let [lroSize, loSize, roSize, sumSize] = [1, 1, 1, 1];
  let left = left0;
  let right = right0;
  for (let i = 0; i < dim; i++) {
    const sl = left._shape[i] !== 1;
    const sr = right._shape[i] !== 1;
    if (isSum[i]) {
      if (sl && sr) {
        if (left._shape[i] !== right._shape[i]) fail("non-broadcast dimensions must match");
        sumSize *= left._shape[i]!;
      } else if (sl) {
        left = sumKeep(left, [i], true);
      } else if (sr) {
        right = sumKeep(right, [i], true);
      }
    } else if (sl && sr) {
      if (left._shape[i] !== right._shape[i]) fail("non-broadcast dimensions must match");
      lro.push(i);
      lroSize *= left._shape[i]!;
    } else if (sl) {
      lo.push(i);
      loSize *= left._shape[i]!;
    } else {
      ro.push(i);
      roSize *= right._shape[i]!;
    }
  }
  const outSize = [...lro.map((d) => left._shape[d]!), ...lo.map((d) => left._shape[d]!), ...sumDims.map(() => 1), ...ro.map((d) => right._shape[d]!)];
  const lperm = [...lro, ...lo, ...sumDims, ...ro];
  const rperm = [...lro, ...sumDims, ...ro, ...lo];
  const operm = new Array<number>(outSize.length).fill(-1);
  [...lro, ...lo, ...sumDims, ...ro].forEach((d, i) => (operm[d] = i));
  left = call("aten::reshape", [permute(left, lperm), [lroSize, loSize, sumSize]]);
  right = call("aten::reshape", [permute(right, rperm), [lroSize, sumSize, roSize]]);
  let result = call("aten::bmm", [left, right]);
  result = permute(call("aten::view", [result, outSize]), operm);
  if (!keepdim) result = call("aten::view", [result, result._shape.filter((_, i) => !isSum[i])]);
  return result;
}

interface Parsed {
  opLabels: number[][];
  labelPermIndex: number[];
  outNumDim: number;
  permIndex: number;
  ellIndex: number;
  ellNumDim: number;
}

/** Parses the equation into per-operand labels and the aligned layout (output dims, then contracted ones). */
function parseEquation(equation: string, operands: readonly Tensor[]): Parsed {
  const numOps = operands.length;
  const arrow = equation.indexOf("->");
  const lhs = arrow === -1 ? equation : equation.slice(0, arrow);
  const opLabels: number[][] = operands.map(() => []);
  let ellInInput = false;
  let cur = 0;
  for (let i = 0; i < lhs.length; i++) {
    const c = lhs[i]!;
    if (c === " ") continue;
    if (c === ".") {
      if (ellInInput) fail(`einsum(): found '.' for operand ${cur} for which an ellipsis was already found`);
      if (!(i + 2 < lhs.length && lhs[++i] === "." && lhs[++i] === ".")) fail(`einsum(): found '.' for operand ${cur} that is not part of any ellipsis`);
      opLabels[cur]!.push(ELLIPSIS);
      ellInInput = true;
    } else if (c === ",") {
      cur++;
      if (cur >= numOps) fail("einsum(): fewer operands were provided than specified in the equation");
      ellInInput = false;
    } else {
      if (!isAlpha(c)) fail(`einsum(): invalid subscript given at index ${i} in the equation string, subscripts must be in [a-zA-Z]`);
      opLabels[cur]!.push(toSubscript(c));
    }
  }
  if (cur !== numOps - 1) fail("einsum(): more operands were provided than specified in the equation");

  const labelCount = new Array<number>(TOTAL_LABELS).fill(0);
  let ellNumDim = 0;
  operands.forEach((operand, i) => {
    const ndims = operand.dim();
    let nlabels = opLabels[i]!.length;
    let hasEllipsis = false;
    for (const label of opLabels[i]!) {
      if (label === ELLIPSIS) {
        nlabels--;
        hasEllipsis = true;
        ellNumDim = Math.max(ellNumDim, ndims - nlabels);
      } else {
        labelCount[label]!++;
      }
    }
    if (hasEllipsis ? nlabels > ndims : nlabels !== ndims) {
      fail(
        `einsum(): the number of subscripts in the equation (${nlabels}${hasEllipsis ? ") is more than the number of dimensions (" : ") does not match the number of dimensions ("}${ndims}) for operand ${i}${hasEllipsis ? "" : " and no ellipsis was given"}`,
      );
    }
  });

  const labelPermIndex = new Array<number>(TOTAL_LABELS).fill(-1);
  let permIndex = 0;
  let ellIndex = 0;
  let ellInOutput = false;
  if (arrow === -1) {
    // implicit output: the ellipsis, then the labels seen exactly once, in label order
    permIndex = ellNumDim;
    ellInOutput = true;
    for (let label = 0; label < TOTAL_LABELS; label++) if (labelCount[label] === 1) labelPermIndex[label] = permIndex++;
  } else {
    const rhs = equation.slice(arrow + 2);
    for (let i = 0; i < rhs.length; i++) {
      const c = rhs[i]!;
      if (c === " ") continue;
      if (c === ".") {
        if (ellInOutput) fail("einsum(): found '.' for output but an ellipsis (...) was already found");
        if (!(i + 2 < rhs.length && rhs[++i] === "." && rhs[++i] === ".")) fail("einsum(): found '.' for output that is not part of any ellipsis (...)");
        ellIndex = permIndex;
        permIndex += ellNumDim;
        ellInOutput = true;
      } else {
        if (!isAlpha(c)) fail(`einsum(): invalid subscript given at index ${lhs.length + 2 + i} in the equation string, subscripts must be in [a-zA-Z]`);
        const index = toSubscript(c);
        if (!(labelCount[index]! > 0 && labelPermIndex[index] === -1)) {
          fail(`einsum(): output subscript ${c}${labelPermIndex[index]! > -1 ? " appears more than once in the output" : " does not appear in the equation for any input operand"}`);
        }
        labelPermIndex[index] = permIndex++;
      }
    }
  }
  const outNumDim = permIndex;
  if (!ellInOutput) {
    ellIndex = permIndex;
    permIndex += ellNumDim;
  }
  for (let label = 0; label < TOTAL_LABELS; label++) {
    if (labelCount[label]! > 0 && labelPermIndex[label] === -1) labelPermIndex[label] = permIndex++;
  }
  return { opLabels, labelPermIndex, outNumDim, permIndex, ellIndex, ellNumDim };
}

/** Checks sizes, takes diagonals, unsqueezes and permutes each operand to the aligned layout. */
function alignOperands(operands: readonly Tensor[], p: Parsed, dimCounts: number[]): Tensor[] {
  const labelSize = new Array<number>(TOTAL_LABELS).fill(1);
  const ellSizes = new Array<number>(p.ellNumDim).fill(1);
  return operands.map((operand, i) => {
    let op = operand;
    const labels = p.opLabels[i]!;
    const permutation = new Array<number>(p.permIndex).fill(-1);
    let dim = 0;
    for (const s of labels) {
      if (s === ELLIPSIS) {
        const ndim = operand.dim() - (labels.length - 1);
        for (let j = p.ellNumDim - ndim; j < p.ellNumDim; j++) {
          const size = op._shape[dim]!;
          if (size !== 1) {
            if (!(ellSizes[j] === 1 || ellSizes[j] === size)) {
              fail(
                `einsum(): dimension ${dim} covered by ellipsis in operand ${i}has size ${size} which does not broadcast with previously seen ellipsis with size ${ellSizes[j]} for the respective dimension`,
              );
            }
            ellSizes[j] = size;
            dimCounts[p.ellIndex + j]!++;
          }
          permutation[p.ellIndex + j] = dim++;
        }
      } else if (permutation[p.labelPermIndex[s]!] === -1) {
        const size = op._shape[dim]!;
        if (size !== 1) {
          if (!(labelSize[s] === 1 || labelSize[s] === size)) {
            fail(`einsum(): subscript ${toLabel(s)} has size ${size} for operand ${i} which does not broadcast with previously seen size ${labelSize[s]}`);
          }
          labelSize[s] = size;
          dimCounts[p.labelPermIndex[s]!]!++;
        }
        permutation[p.labelPermIndex[s]!] = dim++;
      } else {
        // repeated label: take the diagonal and put it where the label first appeared
        const prevDim = permutation[p.labelPermIndex[s]!]!;
        if (op._shape[dim] !== op._shape[prevDim]) {
          fail(`einsum(): subscript ${toLabel(s)} is repeated for operand ${i} but the sizes don't match, ${op._shape[dim]} != ${op._shape[prevDim]}`);
        }
        op = callMovedim(call("aten::diagonal", [op, 0, prevDim, dim]), -1, prevDim);
      }
    }
    for (let v = 0; v < permutation.length; v++) {
      if (permutation[v] === -1) {
        op = call("aten::unsqueeze", [op, dim]);
        permutation[v] = dim++;
      }
    }
    return permute(op, permutation);
  });
}

/**
 * PyTorch's `einsum(equation, tensors, path=None)`.
 * @throws RuntimeError "einsum(): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3"
 * @example
 * einsumImpl("ij,jk->ik", [a, b], null) // one bmm, like a @ b
 */
export function einsumImpl(equation: string, operands: readonly Tensor[], path: readonly number[] | null): Tensor {
  if (operands.length === 0) fail("einsum(): must provide at least one operand");
  const numOps = operands.length;
  if (path !== null) {
    const pathSize = numOps === 1 ? 1 : (numOps - 1) * 2;
    if (path.length !== pathSize) fail(`einsum(): expected contraction path given in path parameter to have size ${pathSize} but got ${path.length}`);
  }
  const p = parseEquation(equation, operands);
  const dimCounts = new Array<number>(p.permIndex).fill(0);
  const ops = alignOperands(operands, p, dimCounts);

  let it = 0;
  while (ops.length > 1) {
    let i = 0;
    let j = 1;
    if (path !== null) {
      i = path[it++]!;
      j = path[it++]!;
      if (j < i) [i, j] = [j, i];
      if (!(i !== j && i >= 0 && j < ops.length)) {
        fail(`einsum(): invalid contraction (${i}, ${j}${i === j ? ") cannot contract an operand with itself" : ") operand index is out of bounds"}`);
      }
    }
    let a = ops[i]!;
    let b = ops[j]!;
    ops.splice(j, 1);
    ops.splice(i, 1);
    const sumDims: number[] = [];
    const aDims: number[] = [];
    const bDims: number[] = [];
    for (let dim = p.outNumDim; dim < p.permIndex; dim++) {
      if (a._shape[dim] !== 1 && b._shape[dim] !== 1) {
        if (--dimCounts[dim]! === 1) {
          sumDims.push(dim);
          dimCounts[dim] = 0;
        }
      } else if (dimCounts[dim] === 1) {
        if (a._shape[dim] !== 1) {
          aDims.push(dim);
          dimCounts[dim] = 0;
        } else if (b._shape[dim] !== 1) {
          bDims.push(dim);
          dimCounts[dim] = 0;
        }
      }
    }
    if (aDims.length > 0) a = sumKeep(a, aDims, true);
    if (bDims.length > 0) b = sumKeep(b, bDims, true);
    const product = sumproductPair(a, b, sumDims, true);
    if (path !== null) ops.push(product);
    else ops.unshift(product);
  }

  if (p.permIndex - p.outNumDim > 0) {
    if (numOps > 1) {
      // every contracted dim has size 1 by now
      return call("aten::view", [ops[0]!, ops[0]!._shape.slice(0, p.outNumDim)]);
    }
    const dims: number[] = [];
    for (let d = p.outNumDim; d < p.permIndex; d++) dims.push(d);
    return sumKeep(ops[0]!, dims, false);
  }
  return ops[0]!;
}

/** einsum, as in native_functions.yaml. */
export const einsumOps: readonly OpDecl[] = [
  {
    schema: "einsum(str equation, Tensor[] tensors, *, int[]? path=None) -> Tensor",
    composite: einsumImpl as never,
  },
];
