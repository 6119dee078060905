// Sets up the runtime once: standard backend fallbacks, the aten operators, the tensor hooks.
// Called by the package entry point; tests of single layers call the parts they need.

import { ensureStandardFallbacks } from "./dispatcher/standard-fallbacks.js";
import { ensureAten } from "./aten/index.js";
import { installValueHooks } from "./tensor/value-hooks.js";
import { ensurePythonFallbacks } from "./torch-dispatch/python-fallback.js";
import { ensureAutograd } from "./autograd/index.js";
import "./tensor/tensor-methods.js";
import "./tensor/methods/pointwise.js";
import "./tensor/methods/reduce.js";
import "./tensor/methods/shape.js";
import "./tensor/methods/indexing.js";
import "./tensor/methods/linalg.js";
import "./tensor/methods/nn.js";
import "./tensor/methods/random.js";

let ready = false;
/** Idempotent initialisation of the whole runtime. */
export function initRuntime(): void {
  if (ready) return;
  ready = true;
  ensureStandardFallbacks();
  ensurePythonFallbacks();
  installValueHooks();
  ensureAten();
  ensureAutograd();
}
