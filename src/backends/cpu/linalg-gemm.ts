// Matrix-multiply kernels behind mm/addmm/bmm/baddbmm/mv/dot: `out = beta*self + alpha*(a @ b)`
// on strided matrices of any dtype. `gemmReference` is the plain strided triple loop (the
// reference); `gemmBlocked` packs a and b into 4-wide panels and runs cache-blocked 4x4
// register-tiled micro-kernels in double precision. `gemm` picks one by size.

import type { TypedArray } from "../../tensor/dtype.js";

/** A strided matrix in a storage array: element (i, j) is `data[offset + i*rs + j*cs]`. */
export interface MatView {
  readonly data: TypedArray;
  readonly offset: number;
  /** Row stride. */
  readonly rs: number;
  /** Column stride. */
  readonly cs: number;
}

/** Operands of one matrix product: out (m x n) = beta*self + alpha*(a (m x k) @ b (k x n)). */
export interface GemmArgs {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: MatView;
  readonly b: MatView;
  readonly out: MatView;
  /** Read only when beta != 0 (beta == 0 ignores it, NaNs included, as BLAS does). */
  readonly self: MatView | null;
  readonly alpha: number;
  readonly beta: number;
}

/** Products with at least this many multiply-adds take the blocked path. */
export const BLOCKED_MIN_WORK = 4096;

/**
 * out = beta*self + alpha*(a @ b), choosing the blocked kernel for large products.
 * @example
 * gemm({ m: 2, n: 2, k: 3, a, b, out, self: null, alpha: 1, beta: 0 });
 */
export function gemm(g: GemmArgs): void {
  if (g.m === 0 || g.n === 0) return;
  if (g.m * g.n * g.k >= BLOCKED_MIN_WORK && g.m >= 4 && g.n >= 4) gemmBlocked(g);
  else gemmReference(g);
}

/** Writes one result element: the epilogue shared by both kernels. */
function store(g: GemmArgs, i: number, j: number, sum: number): void {
  const { out, self, alpha, beta } = g;
  let v = alpha === 1 ? sum : alpha * sum;
  if (beta !== 0 && self !== null) v += beta * self.data[self.offset + i * self.rs + j * self.cs]!;
  out.data[out.offset + i * out.rs + j * out.cs] = v;
}

/**
 * The reference: a plain triple loop over strided operands, accumulating in double.
 * @example
 * gemmReference({ m, n, k, a, b, out, self: null, alpha: 1, beta: 0 });
 */
export function gemmReference(g: GemmArgs): void {
  const { m, n, k, a, b } = g;
  const ad = a.data;
  const bd = b.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let ai = a.offset + i * a.rs;
      let bi = b.offset + j * b.cs;
      for (let p = 0; p < k; p++) {
        s += ad[ai]! * bd[bi]!;
        ai += a.cs;
        bi += b.rs;
      }
      store(g, i, j, s);
    }
  }
}

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 512;

/** Packs rows [i0, i0+mc) x cols [p0, p0+kc) of a into MR-row panels, k-major, zero-padded. */
function packA(a: MatView, i0: number, mc: number, p0: number, kc: number, ap: Float64Array): void {
  const ad = a.data;
  let w = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    const base = a.offset + (i0 + ir) * a.rs + p0 * a.cs;
    if (rows === MR) {
      let o0 = base;
      const rs = a.rs;
      for (let p = 0; p < kc; p++) {
        ap[w] = ad[o0]!;
        ap[w + 1] = ad[o0 + rs]!;
        ap[w + 2] = ad[o0 + 2 * rs]!;
        ap[w + 3] = ad[o0 + 3 * rs]!;
        w += MR;
        o0 += a.cs;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) ap[w + r] = r < rows ? ad[base + r * a.rs + p * a.cs]! : 0;
        w += MR;
      }
    }
  }
}

/** Packs rows [p0, p0+kc) x cols [j0, j0+nc) of b into NR-column panels, k-major, zero-padded. */
function packB(b: MatView, p0: number, kc: number, j0: number, nc: number, bp: Float64Array): void {
  const bd = b.data;
  let w = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    const base = b.offset + p0 * b.rs + (j0 + jr) * b.cs;
    if (cols === NR) {
      let o0 = base;
      const cs = b.cs;
      for (let p = 0; p < kc; p++) {
        bp[w] = bd[o0]!;
        bp[w + 1] = bd[o0 + cs]!;
        bp[w + 2] = bd[o0 + 2 * cs]!;
        bp[w + 3] = bd[o0 + 3 * cs]!;
        w += NR;
        o0 += b.rs;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < NR; c++) bp[w + c] = c < cols ? bd[base + p * b.rs + c * b.cs]! : 0;
        w += NR;
      }
    }
  }
}

/** acc[ci.., 4x4 tile] += Ap panel (kc x 4) ^T-product Bp panel (kc x 4); `rows`/`cols` clip edges. */
function micro(kc: number, ap: Float64Array, ai: number, bp: Float64Array, bi: number, acc: Float64Array, ci: number, ldc: number, rows: number, cols: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  // b's four values stay in registers; a's are loaded one at a time (fewer live registers)
  for (const end = ai + kc * MR; ai < end; ai += MR, bi += NR) {
    const b0 = bp[bi]!, b1 = bp[bi + 1]!, b2 = bp[bi + 2]!, b3 = bp[bi + 3]!;
    let a = ap[ai]!;
    c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
    a = ap[ai + 1]!;
    c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
    a = ap[ai + 2]!;
    c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
    a = ap[ai + 3]!;
    c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
  }
  if (rows === MR && cols === NR) {
    let o = ci;
    acc[o] += c00; acc[o + 1] += c01; acc[o + 2] += c02; acc[o + 3] += c03;
    o += ldc;
    acc[o] += c10; acc[o + 1] += c11; acc[o + 2] += c12; acc[o + 3] += c13;
    o += ldc;
    acc[o] += c20; acc[o + 1] += c21; acc[o + 2] += c22; acc[o + 3] += c23;
    o += ldc;
    acc[o] += c30; acc[o + 1] += c31; acc[o + 2] += c32; acc[o + 3] += c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) acc[ci + r * ldc + c] += tile[r * NR + c]!;
}

/**
 * The fast path: a (m x k) and b (k x n), any strides, packed into double-precision panels;
 * blocked over n (NC), k (KC) and m (MC); 4x4 micro-tiles accumulate in registers.
 * @example
 * gemmBlocked({ m: 256, n: 256, k: 256, a, b, out, self: null, alpha: 1, beta: 0 });
 */
export function gemmBlocked(g: GemmArgs): void {
  const { m, n, k, a, b } = g;
  const acc = new Float64Array(m * n);
  const roundUp = (x: number, r: number) => Math.ceil(x / r) * r;
  const kcMax = Math.min(KC, k);
  const bp = new Float64Array(kcMax * roundUp(Math.min(NC, n), NR));
  const ap = new Float64Array(kcMax * roundUp(Math.min(MC, m), MR));
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, pc, kc, jc, nc, bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, ic, mc, pc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const bi = (jr / NR) * kc * NR;
          const cols = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            micro(kc, ap, (ir / MR) * kc * MR, bp, bi, acc, (ic + ir) * n + jc + jr, n, Math.min(MR, mc - ir), cols);
          }
        }
      }
    }
  }
  writeOut(g, acc);
}

/** The epilogue of the blocked path: out = alpha*acc (+ beta*self), over out's strides. */
function writeOut(g: GemmArgs, acc: Float64Array): void {
  const { m, n, out, self, alpha, beta } = g;
  const od = out.data;
  const useSelf = beta !== 0 && self !== null;
  for (let i = 0; i < m; i++) {
    let o = out.offset + i * out.rs;
    let q = i * n;
    if (!useSelf) {
      if (alpha === 1) for (let j = 0; j < n; j++, o += out.cs) od[o] = acc[q++]!;
      else for (let j = 0; j < n; j++, o += out.cs) od[o] = alpha * acc[q++]!;
      continue;
    }
    const sd = self.data;
    let s = self.offset + i * self.rs;
    for (let j = 0; j < n; j++, o += out.cs, s += self.cs) od[o] = alpha * acc[q++]! + beta * sd[s]!;
  }
}
