// Bundles the library (without the CLI) for browsers with esbuild: dist/browser/aten-ts.js (ESM)
// and dist/browser/aten-ts.iife.js (a global `atenTs`). Run: npm run build:browser
import { build } from "esbuild";

const common = { entryPoints: ["src/index.ts"], bundle: true, platform: "browser", target: "es2022", sourcemap: true, logLevel: "warning" };
await build({ ...common, format: "esm", outfile: "dist/browser/aten-ts.js" });
await build({ ...common, format: "iife", globalName: "atenTs", outfile: "dist/browser/aten-ts.iife.js" });
console.log("wrote dist/browser/aten-ts.js and dist/browser/aten-ts.iife.js");
