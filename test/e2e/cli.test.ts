// The `aten-ts` command end to end: spawns the built bin (npm test builds it first) on every
// example under every subcommand, and checks its output and its errors (one line, non-zero exit).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const bin = join(root, "dist/cli/bin.js");
if (!existsSync(bin)) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });

function aten(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const examples = ["mlp", "attention", "custom-op", "flop-counter", "wrapper-subclass"];
const tmp = mkdtempSync(join(tmpdir(), "aten-ts-cli-"));

describe("the installed command", () => {
  it("is executable, so that npx aten-ts (the README's command) can run it directly", () => {
    const r = spawnSync(bin, ["log", "examples/mlp.ts"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
  });
});

describe("aten-ts on every example", { timeout: 180_000 }, () => {
  for (const ex of examples) {
    const file = `examples/${ex}.ts`;
    it(`log ${ex}: prints each op with shapes, exit 0`, () => {
      const r = aten("log", file);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^aten\.\w+\.\w+\(.*\) -> /m);
    });
    it(`log --json ${ex}: machine-readable`, () => {
      const r = aten("log", file, "--json");
      expect(r.code).toBe(0);
      const json = JSON.parse(r.out.slice(r.out.indexOf("[")));
      expect(Array.isArray(json) && json.length > 0 && typeof json[0].op === "string").toBe(true);
    });
    it(`fake ${ex}: shapes and bytes, exit 0`, () => {
      const r = aten("fake", file);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^result: /m);
      expect(r.out).toMatch(/would allocate .*\(\d+ bytes\)/);
    });
    it(`trace ${ex}: a graph in text, json and dot`, () => {
      const text = aten("trace", file);
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/graph\(\):\n/);
      const json = aten("trace", file, "--format", "json", "-o", join(tmp, `${ex}.json`));
      expect(json.code).toBe(0);
      expect(JSON.parse(readFileSync(join(tmp, `${ex}.json`), "utf8")).nodes.length).toBeGreaterThan(0);
      expect(aten("trace", file, "--format=dot").out).toMatch(/^digraph G \{/m);
    });
    it(`profile ${ex}: a Chrome trace and a table`, () => {
      const out = join(tmp, `${ex}-trace.json`);
      const r = aten("profile", file, "-o", out);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Name\s+Calls\s+Total \(us\)/m);
      const trace = JSON.parse(readFileSync(out, "utf8"));
      expect(trace.traceEvents.length).toBeGreaterThan(0);
      expect(trace.traceEvents[0]).toMatchObject({ ph: "X" });
    });
  }
});

describe("aten-ts inspection and errors", { timeout: 180_000 }, () => {
  it("ops lists schemas matching a pattern; table prints every key's status", () => {
    const ops = aten("ops", "aten::add*");
    expect(ops.code).toBe(0);
    expect(ops.out).toContain("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor");
    const table = aten("table", "aten::add.Tensor");
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^\s+CPU\s+kernel\s+registered at/m);
    expect(table.out).toMatch(/^\s+BackendSelect\s+fallthrough/m);
    expect(table.out).toMatch(/^\s+Python\s+fallback/m);
    expect(table.out).toMatch(/^\s+PrivateUse1\s+missing$/m);
  });

  it("--help works on every subcommand", () => {
    for (const cmd of ["log", "fake", "trace", "profile", "ops", "table"]) {
      const r = aten(cmd, "--help");
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: aten-ts ${cmd}`));
    }
    expect(aten("--help").out).toMatch(/^aten-ts: /);
  });

  it("a missing file, an unknown op, a bad flag, an unknown command: one line naming the problem, non-zero exit", () => {
    const cases: Array<[string[], RegExp]> = [
      [["log", "nope.ts"], /^aten-ts: cannot find script 'nope.ts'\n$/],
      [["table", "aten::nope"], /^aten-ts: unknown operator 'aten::nope'/],
      [["log", "--bogus", "examples/mlp.ts"], /^aten-ts: unknown option '--bogus' for 'log'/],
      [["frobnicate"], /^aten-ts: unknown command 'frobnicate'/],
      [["trace", "examples/mlp.ts", "--format", "svg"], /^aten-ts: unknown format 'svg'/],
    ];
    for (const [args, re] of cases) {
      const r = aten(...args);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(r.err, args.join(" ")).toMatch(re);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
  });

  it("a script that throws: its stack trace, exit code 1", () => {
    const bad = join(tmp, "bad.mjs");
    writeFileSync(bad, "export default function (torch) { torch.ones([2]).add(torch.ones([3])); }\n");
    const r = aten("log", bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain("The size of tensor a (2) must match the size of tensor b (3)");
    expect(r.err).toMatch(/\n\s+at /);
  });
});
