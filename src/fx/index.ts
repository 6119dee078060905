// The graph IR makeFx records, and the GraphModule that replays and prints it.
export * from "./graph.js";
export * from "./graph-module.js";
