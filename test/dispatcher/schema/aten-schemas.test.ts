// Every aten schema registered in PyTorch 2.14.1 and 1.13 (as PyTorch prints them) parses and
// prints back byte for byte (dispatch-semantics.md §4.1, scenario 54), and quickly: the whole
// catalogue is parsed at start-up.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSchema } from "../../../src/dispatcher/schema/index.js";

function schemaLines(version: string): string[] {
  const text = readFileSync(new URL(`../../fixtures/schemas/aten-schemas-${version}.txt`, import.meta.url), "utf8");
  return text.split("\n").filter((line) => line !== "");
}

/** Parses and prints every line; returns the lines that failed, with what came out instead. */
function roundTripFailures(lines: readonly string[]): string[] {
  const failures: string[] = [];
  for (const line of lines) {
    try {
      const printed = String(parseSchema(line));
      if (printed !== line) failures.push(`${line}\n    printed as ${printed}`);
    } catch (e) {
      failures.push(`${line}\n    threw ${(e as Error).message}`);
    }
  }
  return failures;
}

describe("the registered aten schemas", () => {
  it.each([
    ["2.14", 3757],
    ["1.13", 3605],
  ])("given PyTorch %s's %i schemas, when each is parsed and printed, then it prints back identically", (version, count) => {
    const lines = schemaLines(version);
    expect(lines).toHaveLength(count);
    const failures = roundTripFailures(lines);
    expect(failures.length, `${failures.length} mismatches; the first 20:\n${failures.slice(0, 20).join("\n")}`).toBe(0);
  });

  it("given both catalogues (7,362 lines), when parsed, then it takes well under a second", () => {
    const lines = [...schemaLines("2.14"), ...schemaLines("1.13")];
    const start = performance.now();
    for (const line of lines) parseSchema(line);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it("given chunk's schema, when parsed, then its wildcard alias and list return survive (scenario 54)", () => {
    const s = parseSchema("aten::chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[]");
    expect(s.arguments[0]!.aliasInfo).toEqual({ beforeSets: ["a"], afterSets: ["*"], isWrite: false, containedTypes: [] });
    expect(s.returns[0]!.aliasInfo?.containedTypes[0]?.beforeSets).toEqual(["a"]);
    expect(String(s)).toBe("aten::chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[]");
  });
});
