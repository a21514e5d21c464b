/**
 * A command line as bash will read it: the text is parsed with tree-sitter's bash grammar
 * (web-tree-sitter, the grammar's wasm from @vscode/tree-sitter-wasm — what VS Code's own agent
 * uses) into every simple command it runs (substitutions, process substitutions and heredocs
 * included), every redirection, and the constructs it does not classify (functions, loops, `[[ ]]`,
 * parse errors). Each word keeps its text as the shell will see it after quote removal when that
 * is fixed (`"r"m`, `\rm`, `$'\x72m'` are all `rm`), and says when it is computed when run
 * (variables, substitutions, globs, braces, `~`). Pure: no `vscode`; the wasm is loaded lazily
 * from the paths the caller gives.
 */
import type { Node as SyntaxNode, Parser as TreeSitterParser } from 'web-tree-sitter';

/** How a word's final text is decided: fixed, or by the shell when it runs. */
export type WordExpansion = 'none' | 'variable' | 'substitution' | 'pattern';

export interface ShellWord {
  /** The word after quote removal, when it is fixed text (also for `pattern`: the text before expansion). */
  readonly value: string | undefined;
  /** The source text. */
  readonly raw: string;
  readonly expands: WordExpansion;
}

export type RedirectKind = 'write' | 'read' | 'duplicate' | 'heredoc';

export interface ShellRedirect {
  readonly operator: string;
  readonly kind: RedirectKind;
  readonly target: ShellWord | undefined;
}

/** One simple command: its assignments (`A=1 cmd`), its words (program first) and its own redirections. */
export interface SimpleCommand {
  readonly assignments: readonly string[];
  readonly words: readonly ShellWord[];
  /** Its standard input comes from the line: a pipe, `<`, a here-doc or here-string (its own or an enclosing one's), or `exec <`. */
  readonly input?: boolean;
}

export interface ParsedCommandLine {
  /** Every simple command the line runs, in source order, nested ones (in `$(…)`, `<(…)`) included. */
  readonly commands: readonly SimpleCommand[];
  /** Every redirection anywhere in the line. */
  readonly redirects: readonly ShellRedirect[];
  /** Why the line cannot be classified (a parse error, a loop, a function definition…); empty when it can. */
  readonly unclassified: readonly string[];
}

/** Constructs whose effect is not a list of simple commands: the line asks. */
const UNCLASSIFIED: Readonly<Record<string, string>> = {
  if_statement: 'an if statement',
  while_statement: 'a loop',
  for_statement: 'a loop',
  c_style_for_statement: 'a loop',
  case_statement: 'a case statement',
  function_definition: 'a function definition',
  test_command: 'a [[ … ]] test',
  arithmetic_expansion: 'arithmetic expansion',
  compound_statement_arith: 'arithmetic',
};

const WORD_NODES = new Set([
  'word',
  'string',
  'raw_string',
  'ansi_c_string',
  'translated_string',
  'concatenation',
  'number',
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
  'brace_expression',
]);

/** Unquoted characters that make the shell expand a word (globs, braces, a leading `~`). */
const PATTERN = /(^~)|[*?[]|\{[^}]*(,|\.\.)[^}]*\}/;

export class ShellParser {
  constructor(private readonly parser: TreeSitterParser) {}

  parse(text: string): ParsedCommandLine {
    const tree = this.parser.parse(text);
    if (!tree) return { commands: [], redirects: [], unclassified: ['the parser gave no result'] };
    try {
      const out: Collected = { commands: [], redirects: [], unclassified: [] };
      if (tree.rootNode.hasError) note(out, 'it does not parse as a shell command line');
      walk(tree.rootNode, out);
      // `exec < file` gives every later command of the line that input.
      const exec = out.commands.findIndex((c) => c.input && c.words.length === 1 && c.words[0]!.value === 'exec');
      if (exec >= 0) out.commands = out.commands.map((c, i) => (i > exec ? { ...c, input: true } : c));
      return out;
    } finally {
      tree.delete();
    }
  }
}

interface Collected {
  commands: SimpleCommand[];
  redirects: ShellRedirect[];
  unclassified: string[];
}

function walk(node: SyntaxNode, out: Collected): void {
  const unclassified = UNCLASSIFIED[node.type];
  if (unclassified) note(out, unclassified);
  if (node.type === 'ERROR' || node.isMissing) note(out, 'it does not parse as a shell command line');
  // An unquoted word never holds unescaped white space in bash: where the grammar says it does
  // (`a\n\\rm` read as one word), it and the shell disagree, so the line is not classified.
  if ((node.type === 'word' || node.type === 'number') && /(^|[^\\])(\\\\)*\s/.test(node.text))
    note(out, 'words the parser and the shell could split differently');
  if (node.type === 'command' && spansLines(node)) note(out, 'words the parser and the shell could split differently');
  if (node.type === 'command')
    out.commands.push({ ...simpleCommand(node), ...(fedInput(node) ? { input: true } : {}) });
  else if (node.type === 'declaration_command' || node.type === 'unset_command') out.commands.push(declaration(node));
  else if (
    node.type === 'variable_assignments' ||
    (node.type === 'variable_assignment' &&
      node.parent?.type !== 'command' &&
      node.parent?.type !== 'variable_assignments' &&
      node.parent?.type !== 'declaration_command')
  ) {
    out.commands.push({
      assignments:
        node.type === 'variable_assignment' ? [node.text] : node.namedChildren.filter(isNode).map((n) => n.text),
      words: [],
    });
  }
  if (node.type === 'file_redirect' || node.type === 'heredoc_redirect' || node.type === 'herestring_redirect')
    out.redirects.push(redirect(node));
  for (const child of node.namedChildren) if (child) walk(child, out);
}

/** Redirections that give a command its standard input. */
const INPUT_REDIRECT = new Set(['heredoc_redirect', 'herestring_redirect']);

function givesInput(redirect: SyntaxNode): boolean {
  if (INPUT_REDIRECT.has(redirect.type)) return true;
  if (redirect.type !== 'file_redirect') return false;
  const operator = redirect.children.find((c) => c !== null && !c.isNamed)?.text ?? '';
  const descriptor = redirect.childForFieldName('descriptor')?.text;
  return operator.startsWith('<') && (descriptor === undefined || descriptor === '0');
}

/**
 * Whether a command reads its standard input from the line: a redirection of its own or of an
 * enclosing statement, or a place after the first in a pipeline (`a | b`, `a | (b)`, `a | { b; }`:
 * every command inside a later stage inherits the pipe).
 */
function fedInput(node: SyntaxNode): boolean {
  let child: SyntaxNode = node;
  if (node.namedChildren.some((c) => c !== null && givesInput(c))) return true;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'pipeline' && parent.namedChildren[0]?.id !== child.id) return true;
    if (
      parent.type === 'redirected_statement' &&
      parent.childForFieldName('body')?.id === child.id &&
      parent.namedChildren.some((c) => c !== null && givesInput(c))
    )
      return true;
  }
  return false;
}

/** A command whose words are separated by a newline (not a `\\` continuation): bash would end the command there. */
function spansLines(node: SyntaxNode): boolean {
  const text = node.text;
  const children = node.children.filter(isNode);
  for (let i = 1; i < children.length; i++) {
    const gap = text.slice(children[i - 1]!.endIndex - node.startIndex, children[i]!.startIndex - node.startIndex);
    if (/(^|[^\\])\n/.test(gap)) return true;
  }
  return false;
}

function note(out: Collected, why: string): void {
  if (!out.unclassified.includes(why)) out.unclassified.push(why);
}

function isNode(n: SyntaxNode | null): n is SyntaxNode {
  return n !== null;
}

function simpleCommand(node: SyntaxNode): SimpleCommand {
  const assignments: string[] = [];
  const words: ShellWord[] = [];
  for (const child of node.namedChildren.filter(isNode)) {
    if (child.type === 'variable_assignment') assignments.push(child.text);
    else if (child.type === 'command_name') words.push(word(child.namedChildren[0] ?? child));
    else if (WORD_NODES.has(child.type)) words.push(word(child));
  }
  return { assignments, words };
}

/** `export A=b`, `local x`, `unset y`: the keyword and its words. */
function declaration(node: SyntaxNode): SimpleCommand {
  const keyword = node.child(0)?.text ?? node.type;
  const rest = node.namedChildren
    .filter(isNode)
    .map((n) =>
      WORD_NODES.has(n.type) ? word(n) : { value: undefined, raw: n.text, expands: 'substitution' as const },
    );
  return { assignments: [], words: [{ value: keyword, raw: keyword, expands: 'none' }, ...rest] };
}

function redirect(node: SyntaxNode): ShellRedirect {
  const operator = node.children
    .filter((c): c is SyntaxNode => c !== null && !c.isNamed)
    .map((c) => c.text)
    .join('');
  if (node.type === 'heredoc_redirect' || node.type === 'herestring_redirect')
    return { operator: operator || '<<', kind: 'heredoc', target: undefined };
  const destination = node.childForFieldName('destination');
  const target = destination ? word(destination) : undefined;
  if (/&$/.test(operator) && destination?.type === 'number') return { operator, kind: 'duplicate', target };
  if (operator.startsWith('<') && !operator.includes('>')) return { operator, kind: 'read', target };
  return { operator, kind: 'write', target };
}

/** A word's text after quote removal, and whether it is fixed. */
export function word(node: SyntaxNode): ShellWord {
  const raw = node.text;
  switch (node.type) {
    case 'word':
    case 'number': {
      const value = unescapeBare(raw);
      return { value, raw, expands: PATTERN.test(stripEscaped(raw)) ? 'pattern' : 'none' };
    }
    case 'raw_string':
      return { value: raw.slice(1, -1), raw, expands: 'none' };
    case 'ansi_c_string':
      return { value: decodeAnsiC(raw.slice(2, -1)), raw, expands: 'none' };
    case 'string':
    case 'translated_string':
      return doubleQuoted(node, raw);
    case 'concatenation':
      return concatenation(node, raw);
    case 'simple_expansion':
    case 'expansion':
      return { value: undefined, raw, expands: hasSubstitution(node) ? 'substitution' : 'variable' };
    default:
      return { value: undefined, raw, expands: 'substitution' };
  }
}

function doubleQuoted(node: SyntaxNode, raw: string): ShellWord {
  const parts = node.namedChildren.filter(isNode);
  if (parts.every((p) => p.type === 'string_content')) {
    const body = raw.replace(/^\$?"/, '').replace(/"$/, '');
    return { value: body.replace(/\\([\\"$`])/g, '$1').replace(/\\\n/g, ''), raw, expands: 'none' };
  }
  return { value: undefined, raw, expands: hasSubstitution(node) ? 'substitution' : 'variable' };
}

function concatenation(node: SyntaxNode, raw: string): ShellWord {
  const parts = node.namedChildren.filter(isNode).map(word);
  const rank: Record<WordExpansion, number> = { none: 0, pattern: 1, variable: 2, substitution: 3 };
  let expands: WordExpansion = parts.reduce<WordExpansion>(
    (worst, p) => (rank[p.expands] > rank[worst] ? p.expands : worst),
    'none',
  );
  // `{rm,-rf}` is split into `{`, `rm,-rf`, `}` words: braces across parts are a pattern too.
  if (expands === 'none' && PATTERN.test(stripQuotedParts(node))) expands = 'pattern';
  const value = parts.every((p) => p.value !== undefined) ? parts.map((p) => p.value).join('') : undefined;
  return { value, raw, expands };
}

/** The unquoted source of a concatenation, quoted parts blanked (so a quoted `*` is not a pattern). */
function stripQuotedParts(node: SyntaxNode): string {
  return node.namedChildren
    .filter(isNode)
    .map((p) => (p.type === 'word' ? stripEscaped(p.text) : '_'))
    .join('');
}

function hasSubstitution(node: SyntaxNode): boolean {
  if (
    node.type === 'command_substitution' ||
    node.type === 'process_substitution' ||
    node.type === 'arithmetic_expansion'
  )
    return true;
  return node.namedChildren.some((c) => c !== null && hasSubstitution(c));
}

/** An unquoted word's text: `\x` is `x`, a backslash-newline disappears. */
function unescapeBare(raw: string): string {
  return raw.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1');
}

/** An unquoted word with its escaped characters blanked, to look for pattern characters. */
function stripEscaped(raw: string): string {
  return raw.replace(/\\./gs, '_');
}

const C_ESCAPES: Readonly<Record<string, string>> = {
  a: '\u0007',
  b: '\b',
  e: '\u001b',
  E: '\u001b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** The body of `$'…'` as bash decodes it (`\x72`, `\162`, `\u0072`, `\n`, `\cX`). */
export function decodeAnsiC(body: string): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gs,
    (all, esc: string) => {
      if (/^[xuU]/.test(esc)) return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
      if (/^[0-7]/.test(esc)) return String.fromCharCode(Number.parseInt(esc, 8) & 0xff);
      if (esc.startsWith('c')) return String.fromCharCode(esc.charCodeAt(1) & 0x1f);
      return C_ESCAPES[esc] ?? all;
    },
  );
}

/** Where the two wasm files are: web-tree-sitter's runtime and the bash grammar. */
export interface ShellGrammarFiles {
  readonly runtimeWasm: string;
  readonly bashWasm: string;
}

let loading: Promise<ShellParser> | undefined;

/** The parser, loaded on first use (not at activation) and kept. A failed load is retried next time. */
export function loadShellParser(files: ShellGrammarFiles): Promise<ShellParser> {
  loading ??= (async () => {
    // A plain require so esbuild keeps the runtime in its own bundle (see esbuild.mjs).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Parser, Language } = require('./treeSitter') as typeof import('./treeSitter');
    await Parser.init({ locateFile: () => files.runtimeWasm });
    const language = await Language.load(files.bashWasm);
    const parser = new Parser();
    parser.setLanguage(language);
    return new ShellParser(parser);
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
