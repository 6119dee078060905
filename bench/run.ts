// `npm run bench`: runs every benchmark file and prints mitata's table, then the headline figures.
import { run } from "mitata";
import { headline } from "./dispatch.bench.js";

const result = await run({ format: "mitata", colors: false });
const avg = new Map<string, number>();
for (const b of result.benchmarks) for (const r of b.runs) if (r.stats) avg.set(r.name, r.stats.avg);
console.log("\nHeadline (average ns per call, this machine, this run):");
for (const name of Object.values(headline)) console.log(`  ${name}: ${(avg.get(name) ?? NaN).toFixed(1)} ns`);
