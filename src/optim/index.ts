// torch.optim: the Optimizer base with parameter groups and state dicts, SGD and Adam with
// PyTorch's update math (single-tensor implementations, the CPU default).
// The package root exports it as `optim` (`new torch.optim.SGD(net.parameters(), { lr: 0.1 })`).

export { Optimizer, type ParamGroup, type ParamGroupInput, type Params, type OptimizerStateDict } from "./optimizer.js";
export { SGD, type SGDOptions, type SGDState } from "./sgd.js";
export { Adam, type AdamOptions, type AdamState } from "./adam.js";
