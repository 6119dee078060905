// The dispatch context: TLS defaults and guards that restore state, also on throw
// (dispatch-semantics.md §3; scenarios 10-13 of §13).
import { describe, expect, it } from "vitest";
import { DispatchKey } from "../../src/core/dispatch-key.js";
import { DispatchKeySet } from "../../src/core/dispatch-key-set.js";
import {
  ExcludeDispatchKeyGuard,
  ForceDispatchKeyGuard,
  IncludeDispatchKeyGuard,
  PreserveDispatchKeyGuard,
  createDispatchContext,
  dispatchContext,
  tlsIsExcluded,
  tlsIsIncluded,
  tlsLocalExcludeSet,
  tlsLocalIncludeSet,
  tlsSetIncluded,
  tlsSnapshot,
  withBelowAutograd,
  withDispatchContext,
  withExcludedKeys,
  withForcedKeys,
  withIncludedKeys,
} from "../../src/core/dispatch-context.js";

const K = DispatchKey;
const boom = () => {
  throw new Error("boom");
};

describe("TLS defaults", () => {
  it("given a fresh context, then BackendSelect and ADInplaceOrView are included and autocast excluded (scenario 10)", () => {
    withDispatchContext(createDispatchContext(), () => {
      expect(String(tlsLocalIncludeSet())).toBe("DispatchKeySet(BackendSelect, ADInplaceOrView)");
      expect(String(tlsLocalExcludeSet())).toBe("DispatchKeySet(AutocastCPU)");
    });
  });
});

describe("guards", () => {
  it("given nested include guards for Python, when the inner ends, then Python stays included (scenario 11)", () => {
    {
      using _outer = new IncludeDispatchKeyGuard(K.Python);
      {
        using _inner = new IncludeDispatchKeyGuard(K.Python);
        expect(tlsIsIncluded(K.Python)).toBe(true);
      }
      expect(tlsIsIncluded(K.Python)).toBe(true);
    }
    expect(tlsIsIncluded(K.Python)).toBe(false);
  });

  it("given an exclude guard around code that throws, then the exclude set is restored (scenario 12)", () => {
    const before = tlsSnapshot();
    expect(() => withExcludedKeys(DispatchKeySet.of(K.AutogradFunctionality), boom)).toThrow("boom");
    expect(tlsSnapshot()).toEqual(before);
    expect(() => {
      using _g = new ExcludeDispatchKeyGuard(DispatchKeySet.of(K.AutogradFunctionality));
      boom();
    }).toThrow("boom");
    expect(tlsSnapshot()).toEqual(before);
  });

  it("given a force guard and setIncluded inside it, when it ends, then the whole state is restored (scenario 13)", () => {
    const before = tlsSnapshot();
    {
      using _g = new ForceDispatchKeyGuard(before);
      tlsSetIncluded(K.Functionalize, true);
      expect(tlsIsIncluded(K.Functionalize)).toBe(true);
    }
    expect(tlsIsIncluded(K.Functionalize)).toBe(false);
    expect(tlsSnapshot()).toEqual(before);
  });

  it("an include guard for Meta adds and later removes both the Dense and the Meta bit", () => {
    const before = dispatchContext().included;
    withIncludedKeys(K.Meta, () => {
      expect(tlsIsIncluded(K.Meta)).toBe(true);
    });
    expect(dispatchContext().included).toBe(before);
  });

  it("setIncluded(k, false) leaves a runtime key's backend bit behind; guards do not", () => {
    withDispatchContext(createDispatchContext(), () => {
      tlsSetIncluded(K.Meta, true);
      tlsSetIncluded(K.Meta, false);
      expect(tlsIsIncluded(K.Meta)).toBe(false);
      expect(tlsLocalIncludeSet().raw).not.toBe(createDispatchContext().included);
    });
  });

  it("below-autograd excludes the autograd functionality bits, so AutogradCPU (needing a CPU bit) is not excluded", () => {
    withBelowAutograd(() => {
      expect(tlsIsExcluded(K.AutogradFunctionality)).toBe(true);
      expect(tlsIsExcluded(K.AutogradCPU)).toBe(false);
      expect(tlsIsExcluded(K.AutogradOther)).toBe(true);
    });
  });

  it("every guard kind restores state on throw", () => {
    const before = tlsSnapshot();
    const attempts: Array<() => unknown> = [
      () => withIncludedKeys(K.Python, boom),
      () => withForcedKeys({ included: 0, excluded: 0 }, boom),
      () => withBelowAutograd(boom),
      () => {
        using _p = new PreserveDispatchKeyGuard();
        tlsSetIncluded(K.Python, true);
        boom();
      },
      () => {
        using _i = new IncludeDispatchKeyGuard(DispatchKeySet.of(K.Python, K.PythonTLSSnapshot));
        boom();
      },
    ];
    for (const a of attempts) {
      expect(a).toThrow("boom");
      expect(tlsSnapshot()).toEqual(before);
    }
  });
});
