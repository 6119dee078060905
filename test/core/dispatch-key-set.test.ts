// Dispatch keys and key sets: PyTorch's layout, its operations and their observable quirks
// (dispatch-semantics.md §1, §2; scenarios 1-9 of §13).
import { describe, expect, it } from "vitest";
import {
  BackendComponent,
  DispatchKey,
  dispatchKeyName,
  parseDispatchKey,
  toBackendComponent,
  toFunctionalityKey,
} from "../../src/core/dispatch-key.js";
import {
  DispatchKeySet,
  FULL,
  NUM_RUNTIME_ENTRIES,
  dispatchTableIndex,
  dispatchTableIndexOfKey,
  fullAfter,
  getRuntimeDispatchKeySet,
  isIncludedInAlias,
  keySetOf,
  ALL_RUNTIME_KEYS,
} from "../../src/core/dispatch-key-set.js";

const K = DispatchKey;
const ks = (...keys: number[]) => DispatchKeySet.of(...keys);

describe("dispatch keys", () => {
  it("keep PyTorch's relative priority order", () => {
    const order = [
      K.Dense, K.FPGA, K.Quantized, K.Sparse, K.NestedTensor, K.BackendSelect, K.Fake, K.Python, K.Functionalize,
      K.Conjugate, K.Negative, K.ZeroTensor, K.ADInplaceOrView, K.AutogradOther, K.AutogradFunctionality,
      K.AutogradNestedTensor, K.AutocastCPU, K.PythonTLSSnapshot, K.PreDispatch, K.PythonDispatcher,
    ];
    for (let i = 1; i < order.length; i++) expect(order[i]!).toBeGreaterThan(order[i - 1]!);
  });

  it("name runtime keys prefix + backend, placeholders prefix + Undefined", () => {
    expect(dispatchKeyName(K.AutogradMeta)).toBe("AutogradMeta");
    expect(dispatchKeyName(K.CPU)).toBe("CPU");
    expect(dispatchKeyName(K.StartOfAutogradFunctionalityBackends)).toBe("AutogradUndefined");
    expect(dispatchKeyName(K.StartOfDenseBackends)).toBe("Undefined");
  });

  it("convert between runtime keys, functionalities and backends", () => {
    expect(toFunctionalityKey(K.AutogradCPU)).toBe(K.AutogradFunctionality);
    expect(toFunctionalityKey(K.Meta)).toBe(K.Dense);
    expect(toFunctionalityKey(K.Autograd)).toBe(K.Undefined);
    expect(toBackendComponent(K.SparseMeta)).toBe(BackendComponent.MetaBit);
    expect(toBackendComponent(K.Python)).toBe(BackendComponent.InvalidBit);
  });

  it("given an unknown key name, when parsed, then PyTorch's error (scenario 9)", () => {
    expect(() => parseDispatchKey("Foo")).toThrow("could not parse dispatch key: Foo");
    expect(parseDispatchKey("AutogradCPU")).toBe(K.AutogradCPU);
    expect(parseDispatchKey("CompositeImplicitAutograd")).toBe(K.CompositeImplicitAutograd);
    expect(() => parseDispatchKey("StartOfDenseBackends")).toThrow();
  });

  it("alias keys are not representable in a set (scenario 9)", () => {
    expect(keySetOf(K.Autograd)).toBe(0);
    expect(ks(K.Autograd).empty()).toBe(true);
  });
});

describe("DispatchKeySet", () => {
  it("given a CPU tensor's keys, then it prints as PyTorch does (scenario 1)", () => {
    expect(String(ks(K.CPU, K.ADInplaceOrView, K.AutogradCPU, K.AutocastCPU))).toBe(
      "DispatchKeySet(CPU, ADInplaceOrView, AutogradCPU, AutocastCPU)",
    );
  });

  it("fits a V8 small integer", () => {
    expect(FULL).toBeLessThan(2 ** 30);
    expect(Number.isInteger(FULL)).toBe(true);
  });

  it("given {CPU, AutogradCUDA-like cross product}, then backend bits leak across functionalities (scenario 3)", () => {
    const s = ks(K.CPU, K.AutogradMeta);
    expect(s.has(K.Meta)).toBe(true);
    expect(s.has(K.AutogradCPU)).toBe(true);
    expect(s.keys().map(dispatchKeyName)).toEqual(["CPU", "Meta", "AutogradCPU", "AutogradMeta"]);
  });

  it("given KS(CPU), when CPU is removed, then the backend bit stays (scenario 4)", () => {
    const s = ks(K.CPU).remove(K.CPU);
    expect(s.empty()).toBe(false);
    expect(String(s)).toBe("DispatchKeySet()");
    expect(s.highestPriorityKey()).toBe(K.Undefined);
  });

  it("given {CPU, AutogradCPU}, when AutogradCPU is subtracted, then KS(CPU) remains (scenario 5)", () => {
    expect(ks(K.CPU, K.AutogradCPU).minus(ks(K.AutogradCPU)).equals(ks(K.CPU))).toBe(true);
  });

  it("FULL_AFTER(AutogradCPU) keeps everything below autograd plus PythonDispatcher (scenario 6)", () => {
    const s = DispatchKeySet.fullAfter(K.AutogradCPU);
    for (const k of [K.AutogradOther, K.ADInplaceOrView, K.CPU, K.Meta, K.PythonDispatcher]) expect(s.has(k)).toBe(true);
    for (const k of [K.AutogradNestedTensor, K.PythonTLSSnapshot, K.AutogradCPU, K.AutocastCPU]) expect(s.has(k)).toBe(false);
    expect(String(DispatchKeySet.fullAfter(K.CPU))).toBe("DispatchKeySet(PythonDispatcher)");
    expect(fullAfter(K.PythonDispatcher)).toBe(FULL);
  });

  it("picks the highest key from the highest functionality and backend bits (scenario 7)", () => {
    const raw = keySetOf(K.Dense) | keySetOf(K.AutogradFunctionality) | DispatchKeySet.ofBackends(BackendComponent.CPUBit, BackendComponent.MetaBit).raw;
    const s = DispatchKeySet.fromRaw(raw);
    expect(s.highestPriorityKey()).toBe(K.AutogradMeta);
    expect(s.remove(K.AutogradFunctionality).highestPriorityKey()).toBe(K.Meta);
  });

  it("supports the bitwise operations and superset tests", () => {
    const a = ks(K.CPU, K.Python);
    const b = ks(K.Python);
    expect(a.hasAll(b)).toBe(true);
    expect(b.isSupersetOf(a)).toBe(false);
    expect(a.hasAny(b)).toBe(true);
    expect(a.and(b).equals(b)).toBe(true);
    expect(a.xor(b).equals(ks(K.CPU))).toBe(true);
    expect(a.or(ks(K.Meta)).has(K.Meta)).toBe(true);
    expect(a.hasBackend(BackendComponent.CPUBit)).toBe(true);
    expect(a.removeBackend(BackendComponent.CPUBit).hasBackend(BackendComponent.CPUBit)).toBe(false);
    expect([...ks(K.Python, K.CPU)]).toEqual([K.CPU, K.Python]);
  });

  it("gives every runtime key its own dispatch-table slot", () => {
    const slots = new Set(ALL_RUNTIME_KEYS.map(dispatchTableIndexOfKey));
    expect(slots.size).toBe(ALL_RUNTIME_KEYS.length);
    expect(slots.has(0)).toBe(false);
    expect(Math.max(...slots)).toBe(NUM_RUNTIME_ENTRIES - 1);
    expect(dispatchTableIndex(ks(K.CPU, K.AutogradCPU).raw)).toBe(dispatchTableIndexOfKey(K.AutogradCPU));
  });
});

describe("alias keys", () => {
  it("CEA expands to the backend set, CIA adds autograd and nested tensors (scenario 8)", () => {
    const cea = DispatchKeySet.fromRaw(getRuntimeDispatchKeySet(K.CompositeExplicitAutograd));
    for (const k of [K.CPU, K.Meta, K.SparseCPU, K.QuantizedCPU, K.FPGA]) expect(cea.has(k)).toBe(true);
    for (const k of [K.AutogradCPU, K.NestedTensorCPU]) expect(cea.has(k)).toBe(false);
    for (const k of [K.AutogradCPU, K.AutogradOther, K.NestedTensorCPU]) expect(isIncludedInAlias(k, K.CompositeImplicitAutograd)).toBe(true);
    expect(isIncludedInAlias(K.SparseCPU, K.CompositeExplicitAutogradNonFunctional)).toBe(false);
    expect(isIncludedInAlias(K.AutogradMeta, K.Autograd)).toBe(true);
    expect(isIncludedInAlias(K.Undefined, K.CompositeImplicitAutograd)).toBe(false);
  });
});
