// The tokenizer of the schema language, a hand-written, lazy port of TorchScript's lexer as
// the schema parser uses it: identifiers and keywords, numbers, string literals, operator
// tokens; comments skipped; newlines ignored inside brackets and significant outside them
// (a trailing newline is allowed, a second line is an error, as in PyTorch).

import { SchemaParseError, withExcerpt } from "./schema-parse-error.js";
import { scanNumber, scanString } from "./schema-literals.js";

/**
 * A token: `kind` is the token text for operators and keywords (`(`, `->`, `...`, `None`,
 * `True`) and a class name otherwise (`ident`, `number`, `string_literal`, `newline`,
 * `indent`, `dedent`, `eof`). [start, end) is its range in the source.
 */
export interface Token {
  kind: string;
  start: number;
  end: number;
  /** The text of an identifier (kept to spare a second slice); undefined for other tokens. */
  text?: string | undefined;
}

const KEYWORDS: ReadonlyMap<string, string> = new Map(
  [
    "def", "if", "else", "elif", "while", "return", "is", "True", "False", "None", "and", "or", "not", "global", "for", "in",
    "raise", "assert", "break", "continue", "del", "pass", "class", "import", "with", "as", "Ellipsis", "NoneType",
  ].map((k) => [k, k]),
);
/** PyTorch's names for token kinds that are not their own text. */
const KIND_NAMES: Record<string, string> = {
  "->": "arrow", "...": "dots", "!=": "ne", "==": "eq", "<=": "le", ">=": "ge", "//": "floordiv", "<=>": "equivalent",
  "**": "pow operator", "# type:": "type comment",
};

/**
 * How PyTorch names a token kind in "expected X but found 'Y' here".
 * @example
 * kindToString("->") // "arrow"
 */
export function kindToString(kind: string): string {
  return KIND_NAMES[kind] ?? kind;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/** C's isspace minus the newline. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/**
 * Reads tokens on demand, with one token of lookahead beyond the current one.
 * @example
 * const L = new Lexer("foo(Tensor x) -> Tensor");
 * L.expect("ident"); L.cur.kind // "("
 */
export class Lexer {
  readonly src: string;
  private pos = 0;
  private nesting = 0;
  private readonly indents: number[] = [];
  private readonly queue: Token[] = [];

  constructor(src: string) {
    this.src = src;
    const first = this.lexRaw(true);
    this.indents.push(first.end - first.start);
    this.lex();
  }

  /** The current token. */
  get cur(): Token {
    return this.queue[0]!;
  }

  /** The token after the current one. */
  lookahead(): Token {
    if (this.queue.length < 2) this.lex();
    return this.queue[1]!;
  }

  /** Returns the current token and moves to the next. */
  next(): Token {
    const t = this.queue.shift()!;
    if (this.queue.length === 0) this.lex();
    return t;
  }

  /** Skips the current token if it is of this kind. */
  nextIf(kind: string): boolean {
    if (this.queue[0]!.kind !== kind) return false;
    this.next();
    return true;
  }

  /** The current token, which must be of this kind; moves past it. */
  expect(kind: string): Token {
    if (this.queue[0]!.kind !== kind) this.expected(kindToString(kind));
    return this.next();
  }

  /** The source text of a token. */
  text(t: Token): string {
    return t.text ?? this.src.slice(t.start, t.end);
  }

  /** Throws PyTorch's "expected X but found 'Y' here:" for the token t (default: the current one). */
  expected(what: string, t: Token = this.cur): never {
    const message = withExcerpt(`expected ${what} but found '${kindToString(t.kind)}' here`, this.src, t.start, t.end);
    throw new SchemaParseError(message, t.start, what, this.src);
  }

  /** Throws `message:` and the excerpt under [start, end) (PyTorch's ErrorReport). */
  fail(message: string, start: number, end: number, expected: string): never {
    throw new SchemaParseError(withExcerpt(message, this.src, start, end), start, expected, this.src);
  }

  private lex(): void {
    const r = this.lexRaw(false);
    if (r.kind === "whitespace" || r.kind === "whitespace_eof") {
      const depth = r.kind === "whitespace_eof" ? this.indents[0]! : r.end - r.start;
      const top = this.indents[this.indents.length - 1]!;
      if (depth > top) {
        this.indents.push(depth);
        r.kind = "indent";
      } else if (depth === top) {
        r.kind = "newline";
      } else {
        this.queue.push({ kind: "newline", start: r.start, end: r.end, text: undefined });
        while (this.indents[this.indents.length - 1] !== depth) {
          this.indents.pop();
          this.queue.push({ kind: "dedent", start: r.start, end: r.end, text: undefined });
          if (this.indents.length === 0) this.fail(`invalid indent level ${depth}`, r.start, r.end, "a valid indent");
        }
        return;
      }
    }
    this.queue.push(r);
  }

  private lexRaw(whitespaceToken: boolean): Token {
    const s = this.src;
    const n = s.length;
    let pos = this.pos;
    let start = pos;
    for (;;) {
      start = pos;
      while (pos < n && isBlank(s.charCodeAt(pos))) pos++;
      if (pos >= n) break;
      const c = s.charCodeAt(pos);
      if (c === 35 && !s.startsWith("# type:", pos)) {
        while (pos < n && s.charCodeAt(pos) !== 10) pos++;
      } else if (c === 92 && s.charCodeAt(pos + 1) === 10 && !whitespaceToken) {
        pos += 2;
      } else if (c === 10) {
        pos++;
        whitespaceToken = this.nesting === 0;
      } else break;
    }
    if (whitespaceToken) return this.token(pos >= n ? "whitespace_eof" : "whitespace", start, pos);
    if (pos >= n) return this.token("eof", pos, pos);
    const c = s.charCodeAt(pos);
    if (isIdentStart(c)) {
      let end = pos + 1;
      while (end < n && isIdentPart(s.charCodeAt(end))) end++;
      const word = s.slice(pos, end);
      const keyword = KEYWORDS.get(word);
      if (keyword === undefined) {
        this.pos = end;
        return { kind: "ident", start: pos, end, text: word };
      }
      if (keyword === "is" && s.startsWith(" not", end)) return this.token("is not", pos, end + 4);
      if (keyword === "not" && s.startsWith(" in", end)) return this.token("not in", pos, end + 3);
      return this.token(keyword, pos, end);
    }
    if ((c >= 48 && c <= 57) || c === 46) {
      const end = scanNumber(s, pos);
      if (end > pos) return this.token("number", pos, end);
    } else if (c === 34 || c === 39) {
      const end = scanString(s, pos);
      if (end > pos) return this.token("string_literal", pos, end);
    }
    const kind = symbolAt(s, pos);
    if (kind !== undefined) {
      if (c === 40 || c === 91 || c === 123) this.nesting++;
      else if (c === 41 || c === 93 || c === 125) this.nesting--;
      return this.token(kind, pos, pos + kind.length);
    }
    this.pos = pos;
    return this.expected("a valid token", { kind: s[pos]!, start: pos, end: pos + 1 });
  }

  private token(kind: string, start: number, end: number): Token {
    this.pos = end;
    return { kind, start, end, text: undefined };
  }
}

// The operator token at pos (longest match, as PyTorch's token trie), or undefined.
function symbolAt(s: string, pos: number): string | undefined {
  const next = s.charCodeAt(pos + 1);
  const eq = next === 61; // "="
  switch (s.charCodeAt(pos)) {
    case 40: return "(";
    case 41: return ")";
    case 91: return "[";
    case 93: return "]";
    case 44: return ",";
    case 58: return ":";
    case 63: return "?";
    case 123: return "{";
    case 125: return "}";
    case 64: return "@";
    case 126: return "~";
    case 46: return s.startsWith("...", pos) ? "..." : ".";
    case 45: return next === 62 ? "->" : eq ? "-=" : "-";
    case 33: return eq ? "!=" : "!";
    case 61: return eq ? "==" : "=";
    case 43: return eq ? "+=" : "+";
    case 37: return eq ? "%=" : "%";
    case 124: return eq ? "|=" : "|";
    case 38: return eq ? "&=" : "&";
    case 94: return eq ? "^=" : "^";
    case 47: return next === 47 ? "//" : eq ? "/=" : "/";
    case 42: return next === 42 ? (s.charCodeAt(pos + 2) === 61 ? "**=" : "**") : eq ? "*=" : "*";
    case 60:
      if (eq) return s.charCodeAt(pos + 2) === 62 ? "<=>" : "<=";
      return next === 60 ? (s.charCodeAt(pos + 2) === 61 ? "<<=" : "<<") : "<";
    case 62:
      if (eq) return ">=";
      return next === 62 ? (s.charCodeAt(pos + 2) === 61 ? ">>=" : ">>") : ">";
    case 35: return s.startsWith("# type:", pos) ? "# type:" : undefined;
    default: return undefined;
  }
}
