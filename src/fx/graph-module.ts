// GraphModule: a traced graph plus its constant tensors; replays the graph (an interpreter over
// OpOverloads, so modes see the replay), prints it as TypeScript code, exports JSON and DOT.

import { RuntimeError } from "../core/errors.js";
import type { OpOverload } from "../dispatcher/op-overload.js";
import { Tensor } from "../tensor/tensor.js";
import { type Graph, Node, type NodeArg, mapArg } from "./graph.js";

function literal(a: NodeArg, ref: (n: Node) => string): string {
  if (a instanceof Node) return ref(a);
  if (Array.isArray(a)) return `[${a.map((x) => literal(x, ref)).join(", ")}]`;
  if (typeof a === "number") return Number.isFinite(a) ? String(a) : a > 0 ? "Infinity" : a < 0 ? "-Infinity" : "NaN";
  return JSON.stringify(a);
}

/** JSON form of an argument. */
function argJSON(a: NodeArg): unknown {
  if (a instanceof Node) return { node: a.name };
  if (Array.isArray(a)) return a.map(argJSON);
  if (typeof a === "number" && !Number.isFinite(a)) return { number: String(a) };
  return a;
}

/**
 * A traced program: `forward(...inputs)` replays it.
 * @example
 * const gm = makeFx((x) => x.mul(2).add(x))(torch.ones([2]));
 * console.log(gm.code); gm.forward(torch.ones([2]));
 */
export class GraphModule {
  constructor(
    readonly graph: Graph,
    /** Constant tensors referenced by get_attr nodes, by name. */
    readonly constants: ReadonlyMap<string, Tensor>,
  ) {}

  /** The placeholder nodes, in input order. */
  get inputs(): Node[] {
    return this.graph.nodes.filter((n) => n.op === "placeholder");
  }

  /** Replays the graph on new inputs; returns what the traced function returned (tensors or an array). */
  forward(...inputs: unknown[]): unknown {
    const env = new Map<Node, unknown>();
    const placeholders = this.inputs;
    if (inputs.length !== placeholders.length) {
      throw new RuntimeError(`forward() expected ${placeholders.length} inputs but got ${inputs.length}`);
    }
    placeholders.forEach((p, i) => env.set(p, inputs[i]));
    const read = (a: NodeArg) => mapArg(a, (n) => env.get(n));
    for (const n of this.graph.nodes) {
      switch (n.op) {
        case "placeholder":
          break;
        case "get_attr":
          env.set(n, this.constants.get(n.target as string));
          break;
        case "call_function": {
          if (n.target === "getitem") {
            env.set(n, (read(n.args[0]!) as unknown[])[n.args[1] as number]);
            break;
          }
          const kw = Object.fromEntries(Object.entries(n.kwargs).map(([k, v]) => [k, read(v)]));
          env.set(n, (n.target as OpOverload)(...n.args.map(read), kw));
          break;
        }
        case "output":
          return read(n.args[0]!);
      }
    }
    return undefined;
  }

  /** TypeScript that replays the graph: `forward(torch, constants, ...inputs)`. */
  get code(): string {
    const ref = (n: Node) => (n.op === "get_attr" ? `constants.${n.name}` : n.name);
    const params = this.inputs.map((p) => `${p.name}: Tensor`);
    const lines = [
      `import type * as aten from "aten-ts";`,
      `type Tensor = aten.Tensor;`,
      ``,
      `export default function forward(torch: typeof aten, constants: Record<string, Tensor>${params.map((p) => `, ${p}`).join("")}) {`,
    ];
    for (const n of this.graph.nodes) {
      if (n.op === "call_function") {
        if (n.target === "getitem") {
          lines.push(`  const ${n.name} = ${literal(n.args[0]!, ref)}[${literal(n.args[1]!, ref)}];`);
          continue;
        }
        const args = n.args.map((a) => literal(a, ref));
        const kw = Object.entries(n.kwargs).map(([k, v]) => `${k}: ${literal(v, ref)}`);
        if (kw.length) args.push(`{ ${kw.join(", ")} }`);
        lines.push(`  const ${n.name} = ${n.targetName}(${args.join(", ")}) as Tensor;`);
      } else if (n.op === "output") {
        lines.push(`  return ${literal(n.args[0]!, ref)};`);
      }
    }
    lines.push("}");
    return lines.join("\n") + "\n";
  }

  /** A JSON-ready description of the graph. */
  toJSON(): { nodes: unknown[]; constants: string[] } {
    return {
      nodes: this.graph.nodes.map((n) => ({
        name: n.name,
        op: n.op,
        target: typeof n.target === "string" ? n.target : n.target.name,
        args: n.args.map(argJSON),
        kwargs: Object.fromEntries(Object.entries(n.kwargs).map(([k, v]) => [k, argJSON(v)])),
        meta: n.meta,
      })),
      constants: [...this.constants.keys()],
    };
  }

  /** Graphviz DOT text of the graph. */
  toDot(): string {
    const lines = ["digraph G {", "  rankdir=TB;"];
    for (const n of this.graph.nodes) {
      const label = n.op === "call_function" ? `${n.name}\\n${n.targetName}` : `${n.name}\\n${n.op}`;
      const shape = n.meta.shape ? `\\n${n.meta.dtype}[${n.meta.shape.join(", ")}]` : "";
      lines.push(`  "${n.name}" [label="${label}${shape}", shape=${n.op === "call_function" ? "box" : "ellipse"}];`);
      for (const a of [...n.args, ...Object.values(n.kwargs)]) {
        mapArg(a, (src) => lines.push(`  "${src.name}" -> "${n.name}";`));
      }
    }
    lines.push("}");
    return lines.join("\n") + "\n";
  }

  toString(): string {
    return this.graph.toString();
  }
}

/** Records a tensor's metadata on a node. */
export function tensorMeta(t: Tensor): { shape: number[]; dtype: string; strides: number[]; device: string } {
  return { shape: [...t.shape], dtype: t.dtype, strides: t.stride(), device: t.device };
}
