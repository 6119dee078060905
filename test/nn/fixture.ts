// Shared helpers of the nn / optim tests: the PyTorch fixture (test/fixtures/nn-training.json from
// scripts/fixtures/nn_training.py), flat values of tensors, closeness checks, and a logging mode.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import * as torch from "../../src/index.js";
import type { OpOverload, Tensor } from "../../src/index.js";

/** Flat float32 values, keyed by parameter name. */
export type Params = Record<string, number[]>;
/** A caught error: Python type name and message. */
export interface ErrorCase {
  error: string;
  message: string;
}
interface Run {
  losses: number[];
  final: Params;
}
export interface Fixture {
  init: Record<string, unknown> & { gains: Record<string, number>; gain_leaky_sqrt5: number };
  mlp: {
    named_parameters: string[];
    state_dict_keys: string[];
    named_modules: string[];
    named_children: string[];
    repr: string;
    initial: Params;
    x: number[];
    target: number[];
    y: number[];
  };
  load_errors: Record<string, ErrorCase>;
  load_non_strict: { missing_keys: string[]; unexpected_keys: string[] };
  parameter_repr: string;
  module_reprs: Record<string, string>;
  sgd_ce: Run;
  adam_mse: Run;
  adam_sq_err: Run;
  ops_sgd_ce: Record<string, string[]>;
  ops_adam_mse: Record<string, string[]>;
  fixed: {
    p0: number[];
    grads: number[][];
    sgd: Record<string, { opts: Record<string, unknown>; params: number[][] }>;
    adam: Record<string, { opts: Record<string, unknown>; params: number[][] }>;
  };
  optim_errors: Record<string, ErrorCase>;
}

export const fx = JSON.parse(readFileSync(new URL("../fixtures/nn-training.json", import.meta.url), "utf8")) as Fixture;

/** The values of a tensor, row-major. */
export const flat = (t: Tensor): number[] => t.reshape([-1]).tolist() as number[];

/** Elementwise |got - want| <= atol + rtol |want|. */
export function close(got: readonly number[], want: readonly number[], rtol = 1e-5, atol = 1e-6): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  let at = -1;
  got.forEach((g, i) => {
    const excess = Math.abs(g - want[i]!) - (atol + rtol * Math.abs(want[i]!));
    if (excess > worst) [worst, at] = [excess, i];
  });
  expect(at, at < 0 ? "" : `element ${at}: ${got[at]} vs ${want[at]}`).toBe(-1);
}

/** The fixture's input batch [32, 8], class targets [32] and regression targets [32, 3]. */
export function batch(): { x: Tensor; target: Tensor; y: Tensor } {
  return {
    x: torch.tensor(fx.mlp.x).reshape([32, 8]),
    target: torch.tensor(fx.mlp.target, { dtype: "int64" }),
    y: torch.tensor(fx.mlp.y).reshape([32, 3]),
  };
}

/** A mode recording the name of every op it sees. */
export class Log extends torch.TorchDispatchMode {
  calls: string[] = [];
  override torchDispatch(func: OpOverload, _t: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    this.calls.push(String(func));
    return func(...args, { ...kwargs });
  }
}

/** Runs fn and returns what it threw (or null). */
export function thrown(fn: () => unknown): Error | null {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  return null;
}
