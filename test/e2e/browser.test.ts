// The library runs unchanged in a browser: esbuild bundles it (no Node-only imports), headless
// Chromium (Debian's package, driven by playwright-core) loads the bundle, runs a logging mode
// over a small program and returns the op log and results.
import { existsSync } from "node:fs";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);

describe.skipIf(!available)("the browser bundle", () => {
  it("runs a mode over a small program in headless Chromium and logs the same ops as Node", async () => {
    const bundle = await build({
      entryPoints: [new URL("../../src/index.ts", import.meta.url).pathname],
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "atenTs",
      write: false,
      logLevel: "silent",
    });
    const code = bundle.outputFiles[0]!.text;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage();
      await page.setContent("<html><body></body></html>");
      await page.addScriptTag({ content: code });
      const result = await page.evaluate(() => {
        type T = { add(o: unknown, k?: unknown): T; mul(o: unknown): T; exp(): T; tolist(): unknown; toString(): string };
        const torch = (globalThis as unknown as { atenTs: Record<string, unknown> }).atenTs as unknown as {
          tensor(d: unknown): T;
          LoggingMode: { record(fn: () => unknown): { result: T; text: string } };
          ops: Record<string, Record<string, Record<string, unknown>>>;
        };
        const x = torch.tensor([[1, 2], [3, 4]]);
        const { result, text } = torch.LoggingMode.record(() => x.add(x, { alpha: 2 }).mul(x).exp());
        return { text, values: result.tolist(), printed: String(x), hasNode: typeof (globalThis as { process?: unknown }).process !== "undefined" };
      });
      expect(result.hasNode).toBe(false);
      expect(result.text.split("\n")).toEqual([
        "aten.add.Tensor(f32[2, 2], f32[2, 2], alpha=2) -> f32[2, 2]",
        "aten.mul.Tensor(f32[2, 2], f32[2, 2]) -> f32[2, 2]",
        "aten.exp.default(f32[2, 2]) -> f32[2, 2]",
      ]);
      expect(result.printed).toBe("tensor([[1., 2.],\n        [3., 4.]])");
      expect((result.values as number[][])[0]![0]).toBeCloseTo(Math.exp(3), 3);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
