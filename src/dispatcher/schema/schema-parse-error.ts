// The error a malformed schema raises, worded as PyTorch's schema parser words it, with the
// excerpt PyTorch prints under the message: the source line and a `~~~ <--- HERE` marker
// under the offending token (PyTorch's SourceRange::highlight).

import { RuntimeError } from "../../core/errors.js";

/**
 * A schema (or operator name) that does not parse. `position` is the offset in the source of
 * the offending token, `expected` what the parser wanted there.
 * @example
 * try { parseSchema("foo(Tensor x y) -> Tensor") } catch (e) {
 *   e.message  // "expected ) but found 'ident' here:\nfoo(Tensor x y) -> Tensor\n             ~ <--- HERE"
 *   e.position // 13
 * }
 */
export class SchemaParseError extends RuntimeError {
  readonly position: number;
  readonly expected: string;
  /** The text that was being parsed. */
  readonly source: string;

  constructor(message: string, position: number, expected: string, source: string) {
    super(message);
    this.name = "SchemaParseError";
    this.position = position;
    this.expected = expected;
    this.source = source;
  }
}

const CONTEXT = 3;

/**
 * PyTorch's excerpt for the range [start, end) of str: up to three lines of context around it,
 * each highlighted line followed by a line of `~` under the range and ` <--- HERE`.
 * @example
 * highlight("foo(Tensor x y) -> Tensor", 13, 14) // "foo(Tensor x y) -> Tensor\n             ~ <--- HERE\n"
 */
export function highlight(str: string, start: number, end: number): string {
  if (end - start === str.length) return str;
  const rangeEnd = Math.min(str.length, end);
  if (start > str.length) return "";
  let beginLine = start;
  while (beginLine > 0 && str[beginLine - 1] !== "\n") beginLine--;
  let endLine = rangeEnd;
  while (endLine < str.length && str[endLine] !== "\n") endLine++;
  let beginContext = beginLine;
  for (let i = 0; beginContext > 0; beginContext--) {
    if (str[beginContext - 1] === "\n") i++;
    if (i >= CONTEXT) break;
  }
  let endContext = endLine;
  for (let i = 0; endContext < str.length; endContext++) {
    if (str[endContext] === "\n") i++;
    if (i >= CONTEXT) break;
  }
  let out = str.slice(beginContext, start);
  let lineStart = start;
  let lineEnd = start;
  while (lineStart < rangeEnd) {
    while (lineEnd < str.length && str[lineEnd] !== "\n") lineEnd++;
    const line = str.slice(lineStart, lineEnd + 1);
    out += line.endsWith("\n") ? line : `${line}\n`;
    let hlBegin = lineStart;
    while (hlBegin > 0 && str[hlBegin - 1] !== "\n") hlBegin--;
    let hlEnd = lineStart;
    while (hlEnd < rangeEnd && str[hlEnd] !== "\n") hlEnd++;
    let empty = 0;
    for (let i = hlBegin; i < hlEnd && (str[i] === " " || i < start); i++) empty++;
    const marked = hlEnd - hlBegin - empty;
    if (marked > 0) {
      let moreLines = false;
      // past the end, C++ reads the terminating NUL, which counts as "more"
      for (let i = lineEnd; i <= rangeEnd; i++) if (str[i] !== "\n" && str[i] !== " ") moreLines = true;
      out += " ".repeat(empty) + "~".repeat(marked) + (moreLines && lineEnd !== rangeEnd ? "\n" : " <--- HERE\n");
    }
    lineEnd++;
    lineStart = lineEnd;
  }
  if (lineEnd <= str.length) {
    const rest = str.slice(lineEnd, endContext);
    out += rest !== "" && !rest.endsWith("\n") ? `${rest}\n` : rest;
  }
  return out;
}

/**
 * `message:` and the excerpt under [start, end), without PyTorch's surrounding newlines.
 * @example
 * withExcerpt("invalid numeric default value", "f(int x=y) -> ()", 8, 9)
 * // "invalid numeric default value:\nf(int x=y) -> ()\n        ~ <--- HERE"
 */
export function withExcerpt(message: string, source: string, start: number, end: number): string {
  return `${message}:\n${highlight(source, start, end)}`.replace(/\n$/, "");
}
