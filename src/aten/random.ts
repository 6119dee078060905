// Random ops on the PyTorch-identical CPU generator: rand randn randint randperm (and _like forms),
// normal_ uniform_ bernoulli_ random_ exponential_, bernoulli and normal. Each op is declared once
// as data (see op-decl.ts and docs/adding-ops.md); the declarations live in random-factories.ts,
// random-inplace.ts and random-sampling.ts.

import type { OpDecl } from "./op-decl.js";
import { randomFactoryOps } from "./random-factories.js";
import { randomInplaceOps } from "./random-inplace.js";
import { randomSamplingOps } from "./random-sampling.js";

const byName = (decls: readonly OpDecl[], name: string): OpDecl[] => decls.filter((d) => d.schema.startsWith(`${name}(`) || d.schema.startsWith(`${name}.`));
const pick = (name: string): OpDecl[] => [...byName(randomSamplingOps, name), ...byName(randomInplaceOps, name), ...byName(randomFactoryOps, name)];

/** The random operators, in native_functions.yaml order within each name. */
export const randomOps: readonly OpDecl[] = [
  ...pick("bernoulli"),
  ...pick("bernoulli_"),
  ...pick("rand"),
  ...pick("rand_like"),
  ...pick("randint"),
  ...pick("randint_like"),
  ...pick("randn"),
  ...pick("randn_like"),
  ...pick("randperm"),
  ...pick("random_"),
  ...pick("uniform_"),
  ...pick("exponential_"),
  ...pick("normal_"),
  ...pick("normal"),
];
