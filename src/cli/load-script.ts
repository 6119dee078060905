// Loads a user script for the `aten-ts` command: a .ts, .mts, .mjs or .js module whose default
// export is a function (sync or async) taking the aten-ts module. TypeScript loads through tsx,
// with no separate build step.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** A script's entry point. */
export type ScriptMain = (torch: typeof import("../index.js")) => unknown;

/** A one-line error the command prints before exiting with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 2,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Imports the script and returns its default export. */
export async function loadScript(path: string): Promise<ScriptMain> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new CliError(`cannot find script '${path}'`);
  if (!/\.(ts|mts|cts|mjs|js|cjs)$/.test(abs)) throw new CliError(`'${path}' is not a .ts, .mjs or .js file`);
  let mod: { default?: unknown };
  if (/\.[mc]?ts$/.test(abs)) {
    const { tsImport } = await import("tsx/esm/api");
    mod = (await tsImport(pathToFileURL(abs).href, import.meta.url)) as { default?: unknown };
  } else {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  }
  const main = (mod.default as { default?: unknown } | undefined)?.default ?? mod.default;
  if (typeof main !== "function") throw new CliError(`'${path}' has no default export function (export default function (torch) { ... })`);
  return main as ScriptMain;
}
