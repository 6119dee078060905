// The aten operator library: every family's declarations, defined and registered through one
// `aten` DEF library by `registerAten()`, which returns a handle that undoes it all.

import type { RegistrationHandle } from "../dispatcher/dispatcher.js";
import { clearOpHandles } from "../dispatcher/call-op.js";
import { Library } from "../dispatcher/library.js";
import { factoryOps } from "./factory.js";
import { type OpDecl, registerOpDecls } from "./op-decl.js";
import { pointwiseOps } from "./pointwise.js";
import { reduceOps } from "./reduce.js";
import { shapeOps } from "./shape.js";
import { shapeMoreOps } from "./shape-more.js";
import { indexingOps } from "./indexing.js";
import { linalgOps } from "./linalg.js";
import { nnOps } from "./nn.js";
import { activationOps } from "./nn-activation-2.js";
import { regressionLossOps } from "./nn-loss-2.js";
import { bceOps } from "./nn-bce.js";
import { bceLogitsOps } from "./nn-bce-logits.js";
import { randomOps } from "./random.js";
import { backwardOps } from "./backward-ops.js";
import { attentionOps } from "./nn-attention.js";
import { metadataOps } from "./metadata.js";

/** Every family, in registration order (order does not change any dispatch table). */
export const OP_FAMILIES: Readonly<Record<string, readonly OpDecl[]>> = {
  factory: factoryOps,
  pointwise: pointwiseOps,
  reduce: reduceOps,
  shape: shapeOps,
  "shape-more": shapeMoreOps,
  indexing: indexingOps,
  linalg: linalgOps,
  nn: nnOps,
  activation: activationOps,
  regressionLoss: regressionLossOps,
  bce: bceOps,
  bceLogits: bceLogitsOps,
  random: randomOps,
  backward: backwardOps,
  attention: attentionOps,
  metadata: metadataOps,
};

/**
 * Defines the aten operators and registers their kernels.
 * @example
 * const h = registerAten(); ...; h.dispose();
 */
export function registerAten(): RegistrationHandle {
  const lib = new Library("aten", "DEF", undefined, { debug: "registered at aten-ts/src/aten" });
  for (const [family, decls] of Object.entries(OP_FAMILIES)) registerOpDecls(lib, decls, `registered at aten-ts/src/aten/${family}.ts`);
  return {
    dispose: () => {
      lib.dispose();
      clearOpHandles();
    },
  };
}

let registered: RegistrationHandle | null = null;
/** Registers the aten library once per process. */
export function ensureAten(): void {
  registered ??= registerAten();
}
