// `npm run bench`: runs every benchmark file and prints mitata's table, then the headline figures
// and the ratios against TensorFlow.js measured in the same run.
import { run } from "mitata";
import { headline } from "./dispatch.bench.js";
import { overheads, pairs } from "./tensor.bench.js";
import { gradOverheads, trainPairs } from "./train.bench.js";

const result = await run({ format: "mitata", colors: false });
const avg = new Map<string, number>();
for (const b of result.benchmarks) for (const r of b.runs) if (r.stats) avg.set(r.name, r.stats.avg);
const ns = (name: string) => avg.get(name) ?? NaN;
const fmt = (v: number) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} ms` : v >= 1e3 ? `${(v / 1e3).toFixed(2)} µs` : `${v.toFixed(1)} ns`);

console.log("\nDispatcher (average per call, this run):");
for (const name of Object.values(headline)) console.log(`  ${name}: ${fmt(ns(name))}`);
console.log("\naten-ts vs TensorFlow.js cpu (same run; ratio > 1 means aten-ts is faster):");
for (const [ours, theirs] of pairs) {
  console.log(`  ${ours.replace("aten-ts ", "")}: aten-ts ${fmt(ns(ours))}, tfjs-cpu ${fmt(ns(theirs))}, ratio ${(ns(theirs) / ns(ours)).toFixed(2)}x`);
}
for (const [ours, theirs] of trainPairs) {
  console.log(`  ${ours.replace("aten-ts ", "")}: aten-ts ${fmt(ns(ours))}, tfjs-cpu ${fmt(ns(theirs))}, ratio ${(ns(theirs) / ns(ours)).toFixed(2)}x`);
}
console.log("\nAutograd overhead (same run):");
for (const [slow, base] of gradOverheads) console.log(`  ${slow}: ${fmt(ns(slow))} (${(ns(slow) / ns(base)).toFixed(2)}x ${base})`);
console.log("\nPython-key overhead (same run):");
for (const [slow, base] of overheads) console.log(`  ${slow}: ${fmt(ns(slow))} (${(ns(slow) / ns(base)).toFixed(2)}x the plain call, ${fmt(ns(slow) - ns(base))} extra)`);
