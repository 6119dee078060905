// torch.nn: Module and Parameter, layers (Linear, activations, Dropout, containers), losses, and
// the nn.functional / nn.init namespaces, after PyTorch's torch.nn with camelCase names.
// The package root exports it as `nn` (`torch.nn.Linear`, `torch.nn.functional.crossEntropy`).

export { Module, type StateDict, type IncompatibleKeys, type ForwardHook, type ForwardPreHook, type ForwardArgs, type RemovableHandle } from "./module.js";
export { Parameter } from "./parameter.js";
export { Linear, Identity, type LinearOptions } from "./linear.js";
export { ReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax, Dropout, Flatten } from "./activation.js";
export { LeakyReLU, ELU, CELU, SELU, Softplus, Hardtanh, ReLU6, Hardsigmoid, Hardswish, Mish, LogSigmoid, GLU, Softshrink, Hardshrink, Threshold } from "./activation-2.js";
export { L1Loss, SmoothL1Loss, HuberLoss, KLDivLoss, BCELoss, BCEWithLogitsLoss } from "./loss-2.js";
export { Sequential, ModuleList, ModuleDict } from "./container.js";
export { Conv1d, Conv2d, type ConvLayerOptions } from "./conv.js";
export { LayerNorm, BatchNorm1d, BatchNorm2d, type LayerNormLayerOptions, type BatchNormLayerOptions } from "./normalization.js";
export { Embedding, type EmbeddingLayerOptions } from "./sparse.js";
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d } from "./pooling.js";
export { CrossEntropyLoss, NLLLoss, MSELoss, type WeightedLossOptions } from "./loss.js";
export type { Reduction } from "./util.js";
export * as functional from "./functional.js";
export * as init from "./init.js";
