// Ready-made modes and tools on top of torch-dispatch: logging, fake tensors, tracing, profiling.
export * from "./logging-mode.js";
export * from "./fake-tensor.js";
export * from "./make-fx.js";
export * from "./profiler.js";
