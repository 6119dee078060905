// Metadata queries of wrapper subclasses with a sizes/strides policy (§7.6): `shape`, `stride()`,
// `dim()`... call the handler protocol directly (no dispatcher, TLS untouched, under
// tls_on_entry), with the subclass instance as the only overloaded argument; modes see them too.

import { lookupOp } from "../dispatcher/op-overload.js";
import { type MetadataQuery, type Tensor, setMetadataQueryHook } from "../tensor/tensor.js";
import { handleTorchDispatch } from "./host-dispatch.js";
import type { TensorClass } from "./torch-dispatch-mode.js";
import { withTLSOnEntry } from "./tls-on-entry.js";

/** Routes policy-governed metadata queries to the handlers. */
export function installMetadataQueries(): void {
  setMetadataQueryHook((t: Tensor, q: MetadataQuery) =>
    withTLSOnEntry(() => {
      const op = lookupOp(`aten::${q}`);
      if (!op) return null;
      return handleTorchDispatch([t], [t.constructor as TensorClass], op, [t], {}, `torch.ops.aten.${q}`);
    }),
  );
}
