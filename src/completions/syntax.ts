/**
 * What the bracket scanner (brackets.ts) must skip in a language besides `'…'`, `"…"`, `` `…` ``
 * and triple-quoted strings: which comments it has, whether `/…/` is a regular expression, whether
 * `'a` is a Rust lifetime. A bracket in any of these closes nothing, and one counted there would
 * stay "open" and make an answer's extra `)` look like it closes it. Pure.
 */

export interface Syntax {
  /** `//` line comments and `/* … *​/` block comments. */
  readonly slash: boolean;
  /** `#` comments: 'spaced' only `# ` and `#!` (unknown languages: Markdown headings, shebangs), 'word' at a word's start (not `${#x}` or `$#`), or none. */
  readonly hash: 'spaced' | 'word' | 'none';
  /** `--` line comments (SQL, Lua, Haskell). */
  readonly dash: boolean;
  /** `/…/` regular-expression literals where an operand may start (JavaScript and TypeScript). */
  readonly regex: boolean;
  /** `'a` (a quote, a word, no closing quote right after) is a lifetime, not a character (Rust). */
  readonly lifetimes: boolean;
}

/** Languages VS Code does not name here: C-like comments, `# ` comments, no regular expressions. */
export const DEFAULT_SYNTAX: Syntax = { slash: true, hash: 'spaced', dash: false, regex: false, lifetimes: false };

const JS: Syntax = { ...DEFAULT_SYNTAX, hash: 'none', regex: true };
const HASH: Syntax = { ...DEFAULT_SYNTAX, slash: false, hash: 'word' };
const DASH: Syntax = { ...DEFAULT_SYNTAX, slash: false, hash: 'none', dash: true };

const BY_LANGUAGE: Readonly<Record<string, Syntax>> = {
  javascript: JS,
  typescript: JS,
  javascriptreact: JS,
  typescriptreact: JS,
  vue: JS,
  svelte: JS,
  astro: JS,
  python: HASH,
  ruby: HASH,
  shellscript: HASH,
  perl: HASH,
  r: HASH,
  julia: HASH,
  elixir: HASH,
  nim: HASH,
  yaml: HASH,
  toml: HASH,
  makefile: HASH,
  dockerfile: HASH,
  powershell: HASH,
  coffeescript: HASH,
  cmake: HASH,
  dotenv: HASH,
  sql: { ...DASH, slash: true },
  lua: DASH,
  haskell: DASH,
  elm: DASH,
  ada: DASH,
  vhdl: DASH,
  rust: { ...DEFAULT_SYNTAX, hash: 'none', lifetimes: true },
  c: { ...DEFAULT_SYNTAX, hash: 'none' },
  cpp: { ...DEFAULT_SYNTAX, hash: 'none' },
  csharp: { ...DEFAULT_SYNTAX, hash: 'none' },
  java: { ...DEFAULT_SYNTAX, hash: 'none' },
  go: { ...DEFAULT_SYNTAX, hash: 'none' },
  css: { ...DEFAULT_SYNTAX, hash: 'none' },
  scss: { ...DEFAULT_SYNTAX, hash: 'none' },
  less: { ...DEFAULT_SYNTAX, hash: 'none' },
};

/** The syntax of a VS Code language id (the C-like default for ones not listed). */
export function syntaxFor(languageId: string | undefined): Syntax {
  return (
    (languageId !== undefined && Object.hasOwn(BY_LANGUAGE, languageId) && BY_LANGUAGE[languageId]) || DEFAULT_SYNTAX
  );
}

/** Words after which `/` starts a regular expression, not a division. */
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'yield',
  'await',
]);

/**
 * Whether `/` starts a regular expression after `last` (the last code token: a word, or one
 * punctuation character; '' at the start): after an operator, an opening bracket, `,`, `;` or a
 * keyword such as `return`; not after a value (`a / b`, `f(x) / 2`) nor `<` (`</div>` in JSX).
 */
export function regexMayStart(last: string): boolean {
  if (last === '') return true;
  if (/^[\w$]/.test(last)) return REGEX_AFTER_WORD.has(last);
  return '(,=:[!&|?{};+-*%~^'.includes(last);
}
