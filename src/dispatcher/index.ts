// The dispatcher layer's surface: schemas, the registry and hot path, Library, torch.ops and
// record-function hooks. Knows nothing of tensors: it sees objects carrying a key set.
export * from "./schema/index.js";
export * from "./kernel-function.js";
export * from "./operator-entry.js";
export * from "./dispatcher.js";
export * from "./argument-parser.js";
export * from "./op-overload.js";
export * from "./library.js";
export * from "./record-function.js";
export * from "./standard-fallbacks.js";
