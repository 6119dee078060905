#!/usr/bin/env node
// The executable behind `aten-ts` (package.json "bin"): runs the command line and sets the exit code.
import { run } from "./main.js";

// A closed pipe (`aten-ts ops | head`) ends the output quietly.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
