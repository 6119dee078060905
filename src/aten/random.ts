// Random ops on the PyTorch-identical CPU generator: rand randn randint randperm normal_ uniform_ bernoulli_.
// Each op is declared once as data (see op-decl.ts and docs/adding-ops.md).

import type { OpDecl } from "./op-decl.js";

/** The random operators, in native_functions.yaml order within each name. */
export const randomOps: readonly OpDecl[] = [];
