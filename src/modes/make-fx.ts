// makeFx: trace eager code into a graph (PyTorch's make_fx). A proxy mode (infra slot PROXY)
// records each operator call as a call_function node whose arguments refer to the nodes that
// produced them; inputs become placeholders, other tensors constants. With tracingMode "fake" the
// trace runs on fake tensors (no real computation); with preDispatch it records ops at the
// PreDispatch key, before autograd and CompositeImplicitAutograd decompositions.

import type { OpOverload } from "../dispatcher/op-overload.js";
import { Graph, type Node, type NodeArg } from "../fx/graph.js";
import { GraphModule, tensorMeta } from "../fx/graph-module.js";
import { Tensor } from "../tensor/tensor.js";
import { enablePythonDispatcher } from "../torch-dispatch/python-dispatcher.js";
import { TorchDispatchMode, type TensorClass } from "../torch-dispatch/torch-dispatch-mode.js";
import { FakeTensorMode } from "./fake-tensor.js";

/**
 * Records operator calls into a graph (PyTorch's ProxyTorchDispatchMode).
 * @example
 * const proxy = new ProxyTorchDispatchMode(); proxy.run(() => x.add(x)); String(proxy.graph)
 */
export class ProxyTorchDispatchMode extends TorchDispatchMode {
  override readonly modeKey = "PROXY" as const;
  readonly graph = new Graph();
  readonly constants = new Map<string, Tensor>();
  private readonly nodes = new WeakMap<Tensor, Node>();

  static override isInfraMode(): boolean {
    return true;
  }

  /** Makes `t` a graph input. */
  addInput(t: Tensor, name: string): Node {
    const n = this.graph.placeholder(name);
    n.meta = tensorMeta(t);
    this.nodes.set(t, n);
    return n;
  }

  /** The node of a tensor, creating a constant (get_attr) for tensors from outside the trace. */
  nodeOf(t: Tensor): Node {
    let n = this.nodes.get(t);
    if (!n) {
      n = this.graph.getAttr(`_tensor_constant${this.constants.size}`);
      n.meta = tensorMeta(t);
      this.constants.set(n.name, t);
      this.nodes.set(t, n);
    }
    return n;
  }

  private toArg(v: unknown): NodeArg {
    if (v instanceof Tensor) return this.nodeOf(v);
    if (Array.isArray(v)) return v.map((x) => this.toArg(x));
    if (v === undefined) return null;
    return v as NodeArg;
  }

  override torchDispatch(func: OpOverload, _types: readonly TensorClass[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    const out = func(...args, { ...kwargs });
    const node = this.graph.callFunction(
      func,
      args.map((a) => this.toArg(a)),
      Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, this.toArg(v)])),
    );
    if (out instanceof Tensor) {
      node.meta = tensorMeta(out);
      this.nodes.set(out, node);
    } else if (Array.isArray(out)) {
      out.forEach((o, i) => {
        if (!(o instanceof Tensor)) return;
        const g = this.graph.callFunction("getitem", [node, i], {}, "getitem");
        g.meta = tensorMeta(o);
        this.nodes.set(o, g);
      });
    }
    return out;
  }

  /** Adds the output node for a traced function's result. */
  finish(result: unknown): void {
    this.graph.output(this.toArg(result));
  }
}

/** Options of {@link makeFx}. */
export interface MakeFxOptions {
  /** "real" runs the kernels while tracing (default); "fake" traces on fake tensors. */
  tracingMode?: "real" | "fake";
  /** Record at the PreDispatch key (before autograd and composite decompositions). */
  preDispatch?: boolean;
}

/**
 * Traces `fn` into a GraphModule when called with example inputs.
 * @example
 * const gm = makeFx((x: Tensor, w: Tensor) => x.matmul(w).relu())(x, w);
 * gm.graph.toString(); gm.code; gm.forward(x, w);
 */
export function makeFx<A extends unknown[]>(fn: (...args: A) => unknown, opts: MakeFxOptions = {}): (...args: A) => GraphModule {
  return (...args: A) => {
    const proxy = opts.preDispatch ? new PreDispatchProxyMode() : new ProxyTorchDispatchMode();
    const fake = opts.tracingMode === "fake" ? new FakeTensorMode() : null;
    const names = parameterNames(fn);
    const inputs = args.map((a, i) => {
      if (!(a instanceof Tensor)) return a;
      const t = fake ? fake.fromReal(a) : a;
      proxy.addInput(t, `${names[i] ?? `arg${i}`}_1`);
      return t;
    }) as A;
    const trace = () => {
      const h = proxy.enter();
      try {
        const result = fn(...inputs);
        proxy.finish(result);
      } finally {
        h.exit();
      }
    };
    const run = () => (fake ? fake.run(trace) : trace());
    if (opts.preDispatch) enablePythonDispatcher(run);
    else run();
    return new GraphModule(proxy.graph, proxy.constants);
  };
}

/**
 * The parameter names of a function, as make_fx names placeholders after them (`a` -> `a_1`);
 * empty when they cannot be read (rest or destructured parameters: then `arg0_1`...).
 */
function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const src = Function.prototype.toString.call(fn);
  const m = /^(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(src) ?? /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (!m) return [];
  return m[1]!.split(",").map((p) => {
    const name = p.trim().split(/[=:\s]/)[0]!;
    return /^[A-Za-z_$][\w$]*$/.test(name) ? name : "";
  }).map((n, i) => n || `arg${i}`);
}

/** The proxy mode installed at the PreDispatch key. */
class PreDispatchProxyMode extends ProxyTorchDispatchMode {
  override readonly dispatchKey = "PreDispatch" as const;
}
