/**
 * What the fake's built-in agent (autoAgent.ts) makes of the files it has read: which files of a
 * listing are tests, sources and the manifest; the command that runs the tests; and an edit to
 * propose. Pure: it works on any small workspace from the text it got back, never on names known
 * in advance.
 *
 * The edit: an expectation of a test (`assert.equal(add(2, 3), 5)`, `expect(add(2, 3)).toBe(5)`,
 * `assert add(2, 3) == 5`, `assert_eq!(add(2, 3), 5)`, `self.assertEqual(add(2, 3), 5)`) checked
 * against the function's arithmetic (`return a - b`): when another operator gives every expected
 * value, that is the fix. Otherwise a doc comment for the first undocumented function.
 */

/** An edit in `edit_file`'s terms, with the sentence that explains it. */
export interface ProposedEdit {
  readonly path: string;
  readonly oldText: string;
  readonly newText: string;
  /** One sentence: what is wrong and what the edit does. */
  readonly reason: string;
  /** The edit makes a test's expectation hold (not a mere improvement). */
  readonly fixesTest: boolean;
}

const CODE_EXT = /\.(?:[cm]?[jt]sx?|py|go|rs|java|kt|rb|php|cs|c|cc|cpp|h|hpp|swift)$/i;
const TEST_PATH =
  /(?:^|\/)(?:tests?|__tests__|spec)\/|[._-](?:test|spec)\.[a-z]+$|(?:^|\/)test_[^/]+\.py$|_test\.(?:go|py)$/i;
const MANIFESTS = ['package.json', 'pyproject.toml', 'go.mod', 'Cargo.toml', 'Makefile'];

export const isCodeFile = (path: string): boolean => CODE_EXT.test(path);
export const isTestFile = (path: string): boolean => isCodeFile(path) && TEST_PATH.test(path);

/** The listing's paths as `list_files` returned them (notes and folders left out). */
export function listedPaths(listing: string): string[] {
  return listing
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('[') && !l.endsWith('/') && !/ has no files/.test(l));
}

/** The files worth reading first: those the task names, the manifest, tests, then sources (at most `max`). */
export function firstReads(paths: readonly string[], task: string, max = 4): string[] {
  const named = paths.filter(
    (p) => task.includes(p) || (isCodeFile(p) && new RegExp(`\\b${escape(basename(p))}\\b`).test(task)),
  );
  const manifest = paths.filter((p) => MANIFESTS.includes(p)).slice(0, 1);
  const tests = paths.filter(isTestFile).slice(0, 2);
  const sources = paths.filter((p) => isCodeFile(p) && !isTestFile(p) && !p.includes('node_modules/'));
  const preferred = [...sources.filter((p) => /^(?:src|lib)\//.test(p)), ...sources];
  return [...new Set([...named, ...manifest, ...tests, ...preferred])].slice(0, max);
}

/** Files the read tests import by a relative path, as paths of the listing, not yet read. */
export function importedSources(files: ReadonlyMap<string, string>, paths: readonly string[]): string[] {
  const found: string[] = [];
  for (const [file, text] of files) {
    if (!isTestFile(file)) continue;
    for (const m of text.matchAll(/(?:from\s+|require\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = joinPath(dirname(file), m[1]!);
      const stem = target.replace(/\.[cm]?[jt]sx?$/, '');
      const hit = paths.find(
        (p) =>
          p === target ||
          p.replace(/\.[cm]?[jt]sx?$/, '') === stem ||
          p === `${stem}/index.ts` ||
          p === `${stem}/index.js`,
      );
      if (hit && !files.has(hit) && !found.includes(hit)) found.push(hit);
    }
    for (const m of text.matchAll(/^\s*from\s+([\w.]+)\s+import|^\s*import\s+([\w.]+)\s*$/gm)) {
      const mod = (m[1] ?? m[2]!).replace(/\./g, '/');
      const hit = paths.find((p) => p.endsWith(`${mod}.py`));
      if (hit && !files.has(hit) && !found.includes(hit)) found.push(hit);
    }
  }
  return found;
}

/** The command that runs the tests here, from the manifest and the kind of test files; undefined when none is known. */
export function testCommand(files: ReadonlyMap<string, string>, paths: readonly string[]): string | undefined {
  const pkg = files.get('package.json');
  if (pkg) {
    const scripts = parseScripts(pkg);
    if (scripts['test:unit']) return 'npm run test:unit';
    if (scripts.test && !/no test specified/.test(scripts.test)) return 'npm test';
  }
  const tests = paths.filter(isTestFile);
  if (tests.some((p) => /\.[cm]?js$/.test(p))) return 'node --test';
  if (tests.some((p) => p.endsWith('.py'))) return 'python3 -m pytest -q';
  if (paths.includes('go.mod')) return 'go test ./...';
  if (paths.includes('Cargo.toml')) return 'cargo test';
  if (/^test:/m.test(files.get('Makefile') ?? '')) return 'make test';
  return undefined;
}

function parseScripts(pkg: string): Record<string, string> {
  try {
    const scripts = (JSON.parse(pkg) as { scripts?: unknown }).scripts;
    return typeof scripts === 'object' && scripts !== null ? (scripts as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** A test's expectation: `fn(args)` should give `expected`. */
export interface Expectation {
  readonly fn: string;
  readonly args: readonly number[];
  readonly expected: number;
}

const CALL = String.raw`([A-Za-z_$][\w$]*)\(\s*([-\d.,\s]*)\)`;
const NUM = String.raw`(-?\d+(?:\.\d+)?)`;
const EXPECTATIONS = [
  new RegExp(
    String.raw`(?:assert(?:\.\w+)?|assertEqual|assert_eq!|assertEquals|expect)\(\s*(?:t\s*,\s*)?${CALL}\s*,\s*${NUM}\s*[,)]`,
    'g',
  ),
  new RegExp(String.raw`expect\(\s*${CALL}\s*\)\s*\.\s*(?:toBe|toEqual|toStrictEqual)\(\s*${NUM}\s*\)`, 'g'),
  new RegExp(String.raw`\bassert\s+${CALL}\s*==\s*${NUM}`, 'g'),
  new RegExp(String.raw`\b\w+\s*:?=\s*${CALL};\s*\w+\s*!=\s*${NUM}`, 'g'),
  new RegExp(String.raw`(?:assert(?:\.\w+)?|assertEqual|assert_eq!|assertEquals)\(\s*${NUM}\s*,\s*${CALL}\s*\)`, 'g'),
];

/** Every numeric expectation written in `test`. */
export function expectationsIn(test: string): Expectation[] {
  const out: Expectation[] = [];
  EXPECTATIONS.forEach((re, i) => {
    for (const m of test.matchAll(re)) {
      const [fn, args, expected] = i === 4 ? [m[2]!, m[3]!, m[1]!] : [m[1]!, m[2]!, m[3]!];
      const nums = args
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean)
        .map(Number);
      if (nums.every((n) => Number.isFinite(n))) out.push({ fn, args: nums, expected: Number(expected) });
    }
  });
  return out;
}

const OPS: Readonly<Record<string, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
};

/** A fix for a function whose arithmetic on its parameters contradicts the tests, if any. */
export function arithmeticFix(files: ReadonlyMap<string, string>): ProposedEdit | undefined {
  const expectations = [...files].filter(([p]) => isTestFile(p)).flatMap(([, text]) => expectationsIn(text));
  for (const name of new Set(expectations.map((e) => e.fn))) {
    const mine = expectations.filter((e) => e.fn === name);
    for (const [path, text] of files) {
      if (isTestFile(path)) continue;
      const def = definitionOf(text, name);
      if (!def) continue;
      const fix = fixInBody(path, text, def, mine);
      if (fix) return fix;
    }
  }
  return undefined;
}

interface Definition {
  readonly params: readonly string[];
  /** Index in the text where the definition starts. */
  readonly at: number;
}

function definitionOf(text: string, name: string): Definition | undefined {
  const n = escape(name);
  const forms = [
    new RegExp(String.raw`\bfunction\s+${n}\s*(?:<[^>]*>)?\(([^)]*)\)`),
    new RegExp(String.raw`\b(?:const|let|var)\s+${n}\s*(?::[^=]+)?=\s*(?:async\s*)?\(([^)]*)\)`),
    new RegExp(String.raw`\b(?:def|fn|func)\s+${n}\s*(?:<[^>]*>)?\(([^)]*)\)`),
    new RegExp(String.raw`^\s*(?:(?:public|static|private|export|async)\s+)*${n}\s*\(([^)]*)\)\s*(?::[^{]+)?\{`, 'm'),
  ];
  for (const re of forms) {
    const m = re.exec(text);
    if (!m) continue;
    const params = m[1]!
      .split(',')
      .map((p) => /^\s*(?:\.\.\.)?(?:self\b|this\b)?\s*([A-Za-z_$][\w$]*)/.exec(p)?.[1] ?? '')
      .filter((p) => p && p !== 'self');
    return { params, at: m.index };
  }
  return undefined;
}

function fixInBody(
  path: string,
  text: string,
  def: Definition,
  expectations: readonly Expectation[],
): ProposedEdit | undefined {
  const body = text.slice(def.at).split('\n').slice(0, 25);
  const names = def.params.map(escape).join('|');
  if (!names) return undefined;
  const expr = new RegExp(String.raw`\b(${names})\s*([-+*/%])\s*(${names})\b`);
  for (const line of body.slice(0, 25)) {
    const m = expr.exec(line);
    if (!m || m[1] === m[3] || /\+\+|--/.test(line.slice(m.index, m.index + m[0].length + 1))) continue;
    const value = (op: string, e: Expectation): number =>
      OPS[op]!(e.args[def.params.indexOf(m[1]!)] ?? NaN, e.args[def.params.indexOf(m[3]!)] ?? NaN);
    const holds = (op: string): boolean => expectations.every((e) => Math.abs(value(op, e) - e.expected) < 1e-9);
    if (holds(m[2]!)) return undefined;
    const op = Object.keys(OPS).find(holds);
    if (!op) continue;
    const newLine = line.slice(0, m.index) + m[0].replace(m[2]!, op) + line.slice(m.index + m[0].length);
    const e = expectations[0]!;
    const oldText = text.split(line).length === 2 ? line.trim() : line;
    return {
      path,
      oldText,
      newText: oldText === line ? newLine : newLine.trim(),
      reason: `The test expects ${e.fn}(${e.args.join(', ')}) to be ${e.expected}, but \`${line.trim()}\` gives ${value(m[2]!, e)}: it should use \`${op}\`.`,
      fixesTest: true,
    };
  }
  return undefined;
}

/** A doc comment for the first undocumented function of the first source file that has one. */
export function docCommentEdit(files: ReadonlyMap<string, string>): ProposedEdit | undefined {
  for (const [path, text] of files) {
    if (!isCodeFile(path) || isTestFile(path)) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^(\s*)(?:export\s+)?(?:async\s+)?(?:function|def|fn|func)\s+([A-Za-z_$][\w$]*)\s*\(([^)]*)\)/.exec(
        lines[i]!,
      );
      if (!m || (i > 0 && /^\s*(?:\/\/|\*|\/\*|#)/.test(lines[i - 1]!))) continue;
      if (text.split(lines[i]!).length !== 2) continue;
      const [, indent, name, params] = m;
      const names = params!
        .split(',')
        .map((p) => /[A-Za-z_$][\w$]*/.exec(p)?.[0])
        .filter((p) => p && p !== 'self');
      const close = /\.[cm]?[jt]sx?$|\.java$|\.kt$|\.cs$|\.php$/.test(path) ? ' */' : '';
      const comment = `${indent}${commentMark(path)} ${describeName(name!)}${names.length ? ` (takes ${names.join(', ')})` : ''}.${close}`;
      return {
        path,
        oldText: lines[i]!,
        newText: `${comment}\n${lines[i]!}`,
        reason: `\`${name}\` has no documentation; adding a comment that says what it does.`,
        fixesTest: false,
      };
    }
  }
  return undefined;
}

function commentMark(path: string): string {
  if (/\.py$|\.rb$/.test(path)) return '#';
  if (/\.rs$/.test(path)) return '///';
  if (/\.go$|\.c$|\.cc$|\.cpp$|\.h$|\.hpp$|\.swift$/.test(path)) return '//';
  return '/**';
}

/** "parseUserName" → "parse user name". */
function describeName(name: string): string {
  const words = name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const dirname = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

function joinPath(dir: string, rel: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}
