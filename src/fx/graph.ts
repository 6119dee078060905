// The graph IR that makeFx records (PyTorch's torch.fx.Graph, cut down): placeholder,
// call_function, get_attr and output nodes, printed the way torch.fx prints a graph.

import type { OpOverload } from "../dispatcher/op-overload.js";

/** What a node does. */
export type NodeOp = "placeholder" | "call_function" | "get_attr" | "output";

/** A node argument: another node, a literal, or a list of them. */
export type NodeArg = Node | number | boolean | string | null | NodeArg[];

/** Recorded facts about a node's value (tensor metadata). */
export interface NodeMeta {
  shape?: number[];
  dtype?: string;
  strides?: number[];
  device?: string;
}

/**
 * One graph node.
 * @example
 * y.gradFn?.name() // "MulBackward0": a Node
 */
export class Node {
  readonly users = new Set<Node>();
  meta: NodeMeta = {};
  constructor(
    readonly graph: Graph,
    readonly name: string,
    readonly op: NodeOp,
    /** The OpOverload for call_function, "getitem" for tuple access, a name otherwise. */
    readonly target: OpOverload | string,
    readonly args: NodeArg[],
    readonly kwargs: Record<string, NodeArg>,
  ) {
    forEachNode([args, Object.values(kwargs)], (n) => n.users.add(this));
  }
  /** `torch.ops.aten.add.Tensor` for ops; the target string otherwise. */
  get targetName(): string {
    if (this.target === "getitem") return "operator.getitem";
    return typeof this.target === "string" ? this.target : `torch.ops.${String(this.target)}`;
  }
  toString(): string {
    return `%${this.name}`;
  }
}

/** Calls fn for every Node inside a (nested) argument. */
export function forEachNode(a: unknown, fn: (n: Node) => void): void {
  if (a instanceof Node) fn(a);
  else if (Array.isArray(a)) for (const x of a) forEachNode(x, fn);
}

/** Maps every Node inside a (nested) argument. */
export function mapArg(a: NodeArg, fn: (n: Node) => unknown): unknown {
  if (a instanceof Node) return fn(a);
  if (Array.isArray(a)) return a.map((x) => mapArg(x, fn));
  return a;
}

/** Python builtins and keywords torch.fx does not use as plain node names. */
const RESERVED = new Set(
  "abs all any bool dict dir divmod enumerate filter float format hash hex id input int iter len list map max min next object oct open ord pow print range repr round set slice sorted str sum super tuple type zip and as assert break class continue def del elif else except finally for from global if import in is lambda not or pass raise return try while with yield".split(" "),
);

/** The output's value as torch.fx prints it: a node name, or a tuple of them. */
function formatOutput(a: NodeArg): string {
  if (Array.isArray(a)) return `(${a.map(formatOutput).join(", ")}${a.length === 1 ? "," : ""})`;
  return formatArg(a).replace(/%/g, "");
}

function formatArg(a: NodeArg): string {
  if (a instanceof Node) return `%${a.name}`;
  if (Array.isArray(a)) return `[${a.map(formatArg).join(", ")}]`;
  if (typeof a === "string") return JSON.stringify(a);
  if (a === null) return "None";
  if (typeof a === "boolean") return a ? "True" : "False";
  return String(a);
}

/**
 * A graph of operator calls.
 * @example
 * const g = new Graph(); const x = g.placeholder("x"); g.output([g.callFunction(ops.aten.neg.default, [x])]);
 */
export class Graph {
  readonly nodes: Node[] = [];
  private readonly names = new Map<string, number>();

  /**
   * A fresh node name from a base (`add`, `add_1`, ...), as torch.fx names them: names of Python
   * builtins and keywords (`sum`, `max`) start at `_1`.
   */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(\d)/, "_$1");
    let n = this.names.get(clean);
    if (n === undefined && RESERVED.has(clean)) n = 0;
    this.names.set(clean, (n ?? -1) + 1);
    return n === undefined ? clean : `${clean}_${n + 1}`;
  }

  private add(op: NodeOp, base: string, target: OpOverload | string, args: NodeArg[], kwargs: Record<string, NodeArg>): Node {
    const node = new Node(this, this.uniqueName(base), op, target, args, kwargs);
    this.nodes.push(node);
    return node;
  }

  placeholder(name: string): Node {
    return this.add("placeholder", name, name, [], {});
  }
  getAttr(name: string): Node {
    return this.add("get_attr", name, name, [], {});
  }
  callFunction(target: OpOverload | string, args: NodeArg[], kwargs: Record<string, NodeArg> = {}, base?: string): Node {
    const b = base ?? (typeof target === "string" ? target : target.name.split("::")[1]!.split(".")[0]!);
    return this.add("call_function", b, target, args, kwargs);
  }
  output(value: NodeArg): Node {
    return this.add("output", "output", "output", [value], {});
  }

  /** Prints like `torch.fx.Graph.__str__`. */
  toString(): string {
    const lines = ["graph():"];
    for (const n of this.nodes) {
      if (n.op === "output") {
        lines.push(`    return ${formatOutput(n.args[0]!)}`);
        continue;
      }
      const head = `    %${n.name} : [num_users=${n.users.size}] = ${n.op}[target=${n.targetName === "output" ? n.name : n.op === "call_function" ? n.targetName : n.target as string}]`;
      if (n.op === "call_function") {
        const kw = Object.entries(n.kwargs).map(([k, v]) => `${k}: ${formatArg(v)}`);
        lines.push(`${head}(args = (${n.args.map(formatArg).join(", ")}${n.args.length === 1 ? "," : ""}), kwargs = {${kw.join(", ")}})`);
      } else {
        lines.push(head);
      }
    }
    return lines.join("\n");
  }
}
