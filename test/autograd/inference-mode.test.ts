// torch.inferenceMode against PyTorch 2.14 (test/fixtures/inference-mode.json, from
// scripts/fixtures/inference_mode.py): TLS and grad mode inside, inference tensors (no autograd
// keys, no version counter), normal tensors changed or viewed inside, and the errors for
// inference tensors used outside.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import { OpLogMode } from "../aten/op-log.js";
import type { Tensor } from "../../src/index.js";

const fx = JSON.parse(readFileSync(new URL("../fixtures/inference-mode.json", import.meta.url), "utf8")) as {
  inside: Record<string, unknown>;
  tensors: Record<string, unknown>;
  outside: Record<string, unknown>;
  errors: Record<string, { ok?: unknown; error?: [string, string] }>;
  nested_disable: boolean[];
};

const tls = () => ({ include: String(torch.dispatcher.tlsLocalIncludeSet()), exclude: String(torch.dispatcher.tlsLocalExcludeSet()) });
/** aten-ts has one autocast key (AutocastCPU) where PyTorch prints all of its backends' */
const oneAutocast = (v: Record<string, unknown>) => ({ ...v, exclude: String(v.exclude).replace(/AutocastCPU(, Autocast\w+)*/, "AutocastCPU") });
function outcome(f: () => unknown): { ok?: unknown; error?: [string, string] } {
  try {
    return { ok: f() };
  } catch (e) {
    const err = e as Error;
    return { error: [err.name, err.message] };
  }
}

describe("inferenceMode", () => {
  const x = torch.ones([3]);
  const w = torch.ones([3], { requiresGrad: true });
  let a!: Tensor, b!: Tensor, c!: Tensor, v!: Tensor;
  const inside = torch.inferenceMode(() => {
    const state: Record<string, unknown> = { enabled: torch.isInferenceModeEnabled(), grad_enabled: torch.isGradEnabled(), ...tls() };
    a = torch.zeros([3]);
    b = x.mul(2);
    c = w.mul(2);
    v = x.slice(0, 0, 2);
    x.add_(1);
    a.add_(1);
    const log = new OpLogMode();
    log.run(() => a.mul(3).sum());
    state.ops = log.ops;
    return state;
  });

  it("turns grad mode off and drops ADInplaceOrView / adds the autograd keys to the TLS, as PyTorch", () => {
    expect(inside).toEqual(oneAutocast(fx.inside));
    expect({ enabled: torch.isInferenceModeEnabled(), grad_enabled: torch.isGradEnabled(), ...tls() }).toEqual(oneAutocast(fx.outside));
  });

  it("makes inference tensors (no autograd keys); normal tensors changed or viewed inside stay normal and count versions", () => {
    const keys = (t: Tensor) => String(torch.DispatchKeySet.fromRaw(t.keySet));
    expect({
      a_is_inference: a.isInference(),
      b_is_inference: b.isInference(),
      v_is_inference: v.isInference(),
      x_is_inference: x.isInference(),
      c_requires_grad: c.requiresGrad,
      c_grad_fn: c.gradFn?.name() ?? null,
      a_keys: keys(a),
      x_keys: keys(x),
      x_version: x.version,
      v_version: v.version,
    }).toEqual(fx.tensors);
  });

  const cases: Record<string, () => unknown> = {
    version_of_inference_tensor: () => a.version,
    inplace_outside: () => a.add_(1),
    requires_grad_outside: () => a.requiresGrad_(),
    saved_for_backward: () => w.mul(a).sum().backward(),
    not_saved_ok: () => w.add(a).sum().item(),
    view_modified_outside: () => v.mul_(w),
    out_of_place_outside: () => a.mul(2).isInference(),
    clone_is_normal: () => a.clone().isInference(),
  };
  it("every fixture case has a program here", () => expect(Object.keys(cases).sort()).toEqual(Object.keys(fx.errors).sort()));
  for (const [name, run] of Object.entries(cases)) {
    it(`outside inference mode: ${name}`, () => {
      const got = outcome(run);
      expect(got.error ?? null).toEqual(fx.errors[name]!.error ?? null);
      if (!got.error) expect(got.ok).toEqual(fx.errors[name]!.ok);
    });
  }

  it("inferenceMode(fn, false) inside an outer one turns it off again", () => {
    const got = torch.inferenceMode(() =>
      torch.inferenceMode(() => [torch.isInferenceModeEnabled(), torch.isGradEnabled(), torch.ones([2]).isInference()], false),
    );
    expect(got).toEqual(fx.nested_disable);
  });

  it("restores grad mode and the TLS when fn throws", () => {
    const before = { grad: torch.isGradEnabled(), ...tls() };
    expect(() =>
      torch.inferenceMode(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect({ grad: torch.isGradEnabled(), ...tls() }).toEqual(before);
    expect(torch.isInferenceModeEnabled()).toBe(false);
  });
});
