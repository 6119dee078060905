// aten-ts: PyTorch's operator dispatcher rebuilt in TypeScript. This file is the public surface
// (api.md); nothing else is public. Importing it sets up the standard backend fallbacks.

import { tlsLocalExcludeSet, tlsLocalIncludeSet } from "./core/dispatch-context.js";
import { dispatcher as theDispatcher } from "./dispatcher/dispatcher.js";
import { initRuntime } from "./runtime.js";

export { DispatchKey, BackendComponent, parseDispatchKey, dispatchKeyName } from "./core/dispatch-key.js";
export { DispatchKeySet } from "./core/dispatch-key-set.js";
export {
  ExcludeDispatchKeyGuard,
  ForceDispatchKeyGuard,
  IncludeDispatchKeyGuard,
  PreserveDispatchKeyGuard,
  withExcludedKeys,
  withForcedKeys,
  withIncludedKeys,
  withBelowAutograd,
  tlsSnapshot,
  tlsForce,
  type LocalDispatchKeySet,
  type KeysArg,
} from "./core/dispatch-context.js";
export { RuntimeError, NotImplementedError, AttributeError, AssertionError, ValueError, IndexError } from "./core/errors.js";
export { catchWarnings, type Warning } from "./core/warnings.js";
export {
  parseSchema,
  FunctionSchema,
  Argument,
  SchemaParseError,
  type AliasInfo,
  type DefaultKind,
  type DefaultValue,
  type SchemaType,
  type ArgumentInit,
} from "./dispatcher/schema/index.js";
export type { OperatorHandle } from "./dispatcher/operator-entry.js";
export type { Dispatcher } from "./dispatcher/dispatcher.js";
export type { UnboxedKernel } from "./dispatcher/kernel-function.js";
export { Library, fallthrough, type LibraryKind, type FallbackFn, type ImplOptions } from "./dispatcher/library.js";
export { ops, lookupOp, isOpOverload, isOpOverloadPacket, type OpOverload, type OpOverloadPacket, type OpNamespace } from "./dispatcher/op-overload.js";
export {
  addGlobalCallback,
  enableRecordFunction,
  recordFunction,
  type RecordFunctionCallback,
  type RecordFunctionEvent,
  type CallbackHandle,
  type RecordScope,
} from "./dispatcher/record-function.js";

initRuntime();

export { Tensor, Storage, isTensor, type Device, type TensorOptions, type TorchDispatchHandler } from "./tensor/tensor.js";
export type { TensorSubclass, WrapperOptions } from "./tensor/subclass.js";
export { type DType, type TypedArray, DTYPES, promoteTypes } from "./tensor/dtype.js";
export { resultType } from "./tensor/type-promotion.js";
export { contiguousFormat, preserveFormat, channelsLast, channelsLast3d, type MemoryFormatValue } from "./tensor/memory-format.js";
export {
  tensor,
  empty,
  zeros,
  ones,
  full,
  arange,
  linspace,
  eye,
  scalarTensor,
  zerosLike,
  onesLike,
  fullLike,
  emptyLike,
  type NestedData,
} from "./tensor/creation.js";
export {
  TorchDispatchMode,
  NotImplemented,
  getCurrentDispatchMode,
  dispatchModeStack,
  noDispatch,
  enablePythonDispatcher,
  noPythonDispatcher,
  enableReentrantDispatch,
  withModePopped,
  withModesDisabled,
  HigherOrderOperator,
  type TensorClass,
  type StackMode,
  type InfraModeKey,
} from "./torch-dispatch/index.js";
export {
  LoggingMode,
  LoggingTensor,
  formatCall,
  describeValue,
  type LoggedCall,
  FakeTensorMode,
  FakeTensor,
  DataDependentOutputException,
  DynamicOutputShapeException,
  makeFx,
  ProxyTorchDispatchMode,
  type MakeFxOptions,
  profile,
  Profile,
  type ProfileEvent,
  type ProfileRow,
} from "./modes/index.js";
export { Graph, Node, GraphModule, type NodeArg, type NodeOp, type NodeMeta } from "./fx/index.js";
export {
  autograd,
  noGrad,
  inferenceMode,
  isInferenceModeEnabled,
  enableGrad,
  isGradEnabled,
  Function as AutogradFunction,
  FunctionCtx,
  type BackwardOpts,
} from "./autograd/index.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export { setPrintOptions, getPrintOptions, type PrintOptions } from "./tensor/tensor-printing.js";
export type { TensorOrScalar } from "./tensor/tensor-methods.js";
export * from "./tensor/methods/pointwise.js";
export * from "./tensor/methods/math.js";
export * from "./tensor/methods/reduce.js";
export * from "./tensor/methods/shape.js";
export * from "./tensor/methods/shape-more.js";
export * from "./tensor/methods/indexing.js";
export * from "./tensor/methods/linalg.js";
export * from "./tensor/methods/nn.js";
export * from "./tensor/methods/activation.js";
export * from "./tensor/methods/pool.js";
export * from "./tensor/methods/random.js";

/**
 * Dispatcher introspection, like PyTorch's `torch._C._dispatch_*` functions.
 * @example
 * torch.dispatcher.dumpTable("aten::add.Tensor");
 * String(torch.dispatcher.tlsLocalIncludeSet()); // "DispatchKeySet(BackendSelect, ADInplaceOrView)"
 */
export const dispatcher = {
  /** Per-key kernels of one operator (`_dispatch_dump_table`). */
  dumpTable: (name: string): string => theDispatcher.dumpTable(name),
  /** Registrations of one operator (`_dispatch_dump`). */
  dumpState: (name: string): string => theDispatcher.dumpState(name),
  /** Every defined operator, `ns::op.overload`, sorted. */
  listOperators: (): string[] => theDispatcher.listOperators(),
  /** The TLS include set. */
  tlsLocalIncludeSet,
  /** The TLS exclude set. */
  tlsLocalExcludeSet,
  /** The underlying Dispatcher (advanced: call, callBoxed, redispatch, registerImpl...). */
  instance: theDispatcher,
};
