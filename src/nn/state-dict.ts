// Module.loadStateDict, after module.py's load_state_dict / _load_from_state_dict: per module,
// copy (or assign) each parameter and persistent buffer, collect missing and unexpected keys
// and errors, and raise PyTorch's "Error(s) in loading state_dict for ..." text.

import { RuntimeError } from "../core/errors.js";
import { noGrad } from "../autograd/api.js";
import { Tensor } from "../tensor/tensor.js";
import type { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { pyClass, sizeString } from "./util.js";

/** A state dict: name -> tensor, as a Map (ordered) or a plain object. */
export type StateDict = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;
/** The result of loadStateDict (PyTorch's _IncompatibleKeys). */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((s, i) => s === b[i]);

/** One module's own parameters and persistent buffers from `sd` (keys `prefix + name`). */
export function loadLocalState(m: Module, sd: ReadonlyMap<string, unknown>, prefix: string, assign: boolean, keys: IncompatibleKeys, errors: string[]): void {
  const local = new Map<string, Tensor>();
  for (const [k, v] of m._parameters) if (v) local.set(k, v);
  for (const [k, v] of m._buffers) if (v && !m._nonPersistent.has(k)) local.set(k, v);
  const slots = m as unknown as Record<string, unknown>;
  for (const [name, param] of local) {
    const key = prefix + name;
    if (!sd.has(key)) {
      keys.missingKeys.push(key);
      continue;
    }
    const input = sd.get(key);
    if (!(input instanceof Tensor)) {
      errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyClass(input)}`);
      continue;
    }
    const src = param.dim() === 0 && input.dim() === 1 && input.shape[0] === 1 ? input.reshape([]) : input;
    if (!sameShape(src.shape, param.shape)) {
      errors.push(`size mismatch for ${key}: copying a param with shape ${sizeString(src.shape)} from checkpoint, the shape in current model is ${sizeString(param.shape)}.`);
      continue;
    }
    try {
      noGrad(() => {
        if (!assign) param.copy_(src);
        else if (param instanceof Parameter) slots[name] = src instanceof Parameter ? src.requiresGrad_(param.requiresGrad) : new Parameter(src, param.requiresGrad);
        else slots[name] = src;
      });
    } catch (e) {
      errors.push(`While copying the parameter named "${key}", whose dimensions in the model are ${sizeString(param.shape)} and whose dimensions in the checkpoint are ${sizeString(src.shape)}, an exception occurred : ${(e as Error).message}.`);
    }
  }
  for (const key of sd.keys()) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf(".");
    if (dot >= 0 ? !m._modules.has(rest.slice(0, dot)) : !local.has(rest)) keys.unexpectedKeys.push(key);
  }
}

/** Loads a whole state dict into `root` and its submodules (Module.loadStateDict). */
export function loadStateDict(root: Module, stateDict: StateDict, strict: boolean, assign: boolean): IncompatibleKeys {
  if (stateDict === null || typeof stateDict !== "object") throw new TypeError(`Expected state_dict to be dict-like, got ${pyClass(stateDict)}.`);
  const sd = new Map<string, unknown>(stateDict instanceof Map ? stateDict : Object.entries(stateDict));
  const keys: IncompatibleKeys = { missingKeys: [], unexpectedKeys: [] };
  const errors: string[] = [];
  const load = (m: Module, local: Map<string, unknown>, prefix: string): void => {
    m._loadFromStateDict(local, prefix, assign, keys, errors);
    for (const [name, child] of m._modules) {
      if (!child) continue;
      const p = `${prefix}${name}.`;
      load(child, new Map([...local].filter(([k]) => k.startsWith(p))), p);
    }
  };
  load(root, sd, "");
  if (strict) {
    if (keys.unexpectedKeys.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${keys.unexpectedKeys.map((k) => `"${k}"`).join(", ")}. `);
    if (keys.missingKeys.length > 0) errors.unshift(`Missing key(s) in state_dict: ${keys.missingKeys.map((k) => `"${k}"`).join(", ")}. `);
  }
  if (errors.length > 0) throw new RuntimeError(`Error(s) in loading state_dict for ${root.constructor.name}:\n\t${errors.join("\n\t")}`);
  return keys;
}
