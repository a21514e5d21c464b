/**
 * The name "New file" suggests for a code block of an answer. Sources, first found wins:
 *
 * 1. `info`: the fence's info string names it — ` ```ts title="src/slug.ts" `, `file=`, `filename=`,
 *    `path=`, ` ```ts:src/slug.ts `, or a second word that is a path (` ```ts src/slug.ts `);
 * 2. `comment`: the block's first line is a comment holding only a path, optionally after
 *    `file:`/`filename:` (`// src/slug.ts`, `# app.py`, `<!-- index.html -->`, `/* site.css *\/`,
 *    `-- schema.sql`, `; setup.ini`);
 * 3. `answer`: the answer's text just before the block (up to 3 lines) mentions a path whose
 *    extension fits the block's language ("Create `src/slug.ts`:") — the last one mentioned;
 * 4. `question`: the user's message mentions exactly one such path.
 *
 * A suggestion is always a relative path inside the workspace (no `..`, no absolute or drive
 * path, no backslash); model output is untrusted. Undefined when nothing names the block.
 */

/** Where the name came from (see the list above). */
export type NameSource = 'info' | 'comment' | 'answer' | 'question';

export interface NewFileName {
  /** Workspace-relative, `/`-separated, e.g. `src/slug.ts`. */
  readonly path: string;
  readonly source: NameSource;
}

export interface NameInputs {
  /** The code of the block (as the webview sends it, without the fence's final newline). */
  readonly code: string;
  /** The block's language tag (`ts`, `python`, '' when none). */
  readonly language: string;
  /** The whole answer as Markdown, to find the block's fence and the text before it. */
  readonly answer?: string;
  /** The user's message the answer replies to. */
  readonly question?: string;
}

const SEGMENT = String.raw`\.?[\w@+-][\w@+.-]*`; // a dot-folder or dotfile is fine; `.` and `..` are not
const PATH = new RegExp(String.raw`^(?:${SEGMENT}/)*${SEGMENT}\.[A-Za-z0-9]{1,10}$`);
const PATH_IN_TEXT = new RegExp(
  String.raw`(?<![\w/.@+-])((?:${SEGMENT}/)*${SEGMENT}\.[A-Za-z0-9]{1,10})(?![\w/@+-])`,
  'g',
);
const MAX_PATH = 200;

/** A relative path inside the workspace, or undefined (absolute, `..`, backslashes, no extension…). */
export function safeRelativePath(candidate: string): string | undefined {
  const path = candidate.trim().replace(/^\.\//, '');
  if (!path || path.length > MAX_PATH || !PATH.test(path)) return undefined;
  if (path.split('/').some((segment) => segment === '.' || segment === '..' || /^\.+$/.test(segment))) return undefined;
  return path;
}

/** The suggested name for a code block, or undefined. */
export function suggestFileName(inputs: NameInputs): NewFileName | undefined {
  const fence = inputs.answer ? findFence(inputs.answer, inputs.code) : undefined;
  const fromInfo = fence ? nameInInfo(fence.info) : undefined;
  if (fromInfo) return { path: fromInfo, source: 'info' };
  const fromComment = nameInFirstLine(inputs.code);
  if (fromComment) return { path: fromComment, source: 'comment' };
  const fits = (path: string): boolean => extensionFits(path, inputs.language);
  const fromAnswer = fence ? mentionedPaths(fence.lead).filter(fits).at(-1) : undefined;
  if (fromAnswer) return { path: fromAnswer, source: 'answer' };
  const asked = [...new Set(mentionedPaths(inputs.question ?? '').filter(fits))];
  if (asked.length === 1) return { path: asked[0]!, source: 'question' };
  return undefined;
}

/** The fence (``` or ~~~) whose content is `code`: its info string and the lines before it. */
export function findFence(markdown: string, code: string): { info: string; lead: string } | undefined {
  const lines = markdown.split(/\r?\n/);
  const want = code.replace(/\r\n/g, '\n').replace(/\n$/, '');
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const marker = open[1]!;
    const close = lines.findIndex(
      (line, j) => j > i && new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).test(line),
    );
    const end = close === -1 ? lines.length : close;
    if (lines.slice(i + 1, end).join('\n') === want) return { info: open[2]!.trim(), lead: leadBefore(lines, i) };
    i = end;
  }
  return undefined;
}

/** Up to 3 non-empty lines right before line `index` (stopping at a blank line after text). */
function leadBefore(lines: readonly string[], index: number): string {
  const lead: string[] = [];
  for (let j = index - 1; j >= 0 && lead.length < 3; j--) {
    const line = lines[j]!.trim();
    if (!line) {
      if (lead.length) break;
      continue;
    }
    if (/^(`{3,}|~{3,})/.test(line)) break;
    lead.unshift(line);
  }
  return lead.join('\n');
}

/** A path named in a fence's info string (after the language). */
function nameInInfo(info: string): string | undefined {
  const keyed = /(?:^|\s)(?:title|file|filename|path|name)=(?:"([^"]*)"|'([^']*)'|(\S+))/i.exec(info);
  if (keyed) return safeRelativePath(keyed[1] ?? keyed[2] ?? keyed[3] ?? '');
  const [first = '', second] = info.split(/\s+/);
  const colon = first.indexOf(':');
  if (colon > 0) return safeRelativePath(first.slice(colon + 1));
  if (second) return safeRelativePath(second);
  // ```src/slug.ts (the path as the only word) names the file too.
  return first.includes('.') ? safeRelativePath(first) : undefined;
}

const FIRST_LINE_COMMENTS = [
  /^\/\/\s*(.*)$/,
  /^#(?!!)\s*(.*)$/,
  /^--\s*(.*)$/,
  /^;\s*(.*)$/,
  /^\/\*+\s*(.*?)\s*\*\/$/,
  /^<!--\s*(.*?)\s*-->$/,
];

/** A path that a comment on the code's first line holds alone (`// src/slug.ts`, `# file: app.py`). */
function nameInFirstLine(code: string): string | undefined {
  const first = code.split('\n', 1)[0]?.trim() ?? '';
  for (const comment of FIRST_LINE_COMMENTS) {
    const body = comment.exec(first)?.[1];
    if (body === undefined) continue;
    return safeRelativePath(body.replace(/^(?:file(?:name)?|path)\s*:\s*/i, ''));
  }
  return undefined;
}

/** Relative paths mentioned in prose (backticks, bold or plain), in order. */
function mentionedPaths(text: string): string[] {
  return [...text.matchAll(PATH_IN_TEXT)].flatMap((m) => {
    const path = safeRelativePath(m[1]!);
    // "e.g." or "v1.2" are not files: a path needs a letter in its extension and a name before it.
    return path && /\.[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*$/.test(path) && !/^(e\.g|i\.e|etc)\./i.test(path) ? [path] : [];
  });
}

/** File extensions per language tag; a tag not listed accepts any extension. */
const EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  ts: ['ts', 'mts', 'cts', 'tsx'],
  typescript: ['ts', 'mts', 'cts', 'tsx'],
  tsx: ['tsx'],
  js: ['js', 'mjs', 'cjs', 'jsx'],
  javascript: ['js', 'mjs', 'cjs', 'jsx'],
  jsx: ['jsx'],
  py: ['py', 'pyi'],
  python: ['py', 'pyi'],
  go: ['go'],
  rs: ['rs'],
  rust: ['rs'],
  java: ['java'],
  kt: ['kt', 'kts'],
  kotlin: ['kt', 'kts'],
  rb: ['rb'],
  ruby: ['rb'],
  cs: ['cs'],
  csharp: ['cs'],
  c: ['c', 'h'],
  cpp: ['cpp', 'cc', 'cxx', 'hpp', 'h'],
  sh: ['sh', 'bash', 'zsh'],
  bash: ['sh', 'bash'],
  shell: ['sh', 'bash', 'zsh'],
  json: ['json', 'jsonc'],
  yaml: ['yaml', 'yml'],
  yml: ['yaml', 'yml'],
  md: ['md', 'markdown'],
  markdown: ['md', 'markdown'],
  html: ['html', 'htm'],
  css: ['css'],
  scss: ['scss'],
  sql: ['sql'],
  toml: ['toml'],
};

function extensionFits(path: string, language: string): boolean {
  const allowed = EXTENSIONS[language.toLowerCase()];
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return allowed ? allowed.includes(ext) : true;
}
