/**
 * Where Add Tests puts its tests: a new file next to the source, named by the project's
 * convention. The convention is read from the test files the workspace already has (the
 * majority wins), else the language's usual one: `x.test.ts` (or `x.spec.ts`), `test_x.py`
 * (or `x_test.py`), `x_test.go`, `x_spec.rb`, `XTest.java`. Pure: the host lists the files.
 */

/** A pattern for a test file's name, from the source's base name and extension. */
interface Convention {
  readonly name: (base: string, ext: string) => string;
  /** Whether an existing file name follows it. */
  readonly matches: (fileName: string) => boolean;
}

const JS_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.vue', '.svelte'];
const CLASS_EXTENSIONS = ['.java', '.kt', '.cs', '.swift', '.php', '.scala', '.groovy'];

const suffix = (tag: string, separator = '.'): Convention => ({
  name: (base, ext) => `${base}${separator}${tag}${ext}`,
  matches: (f) => new RegExp(`\\${separator}${tag}\\.[^.]+$`).test(f),
});
const prefix = (tag: string): Convention => ({
  name: (base, ext) => `${tag}${base}${ext}`,
  matches: (f) => f.startsWith(tag),
});
const capitalised = (tag: string): Convention => ({
  name: (base, ext) => `${base.charAt(0).toUpperCase()}${base.slice(1)}${tag}${ext}`,
  matches: (f) => new RegExp(`[a-z0-9]${tag}\\.[^.]+$`).test(f),
});

/** The conventions of a language, its default first; `undefined` for an extension we do not know. */
function conventionsFor(ext: string): readonly Convention[] | undefined {
  if (JS_EXTENSIONS.includes(ext)) return [suffix('test'), suffix('spec')];
  if (ext === '.py') return [prefix('test_'), suffix('test', '_')];
  if (ext === '.go') return [suffix('test', '_')];
  if (ext === '.rb') return [suffix('spec', '_'), suffix('test', '_')];
  if (CLASS_EXTENSIONS.includes(ext)) return [capitalised('Test'), capitalised('Tests')];
  if (
    ext === '.rs' ||
    ext === '.c' ||
    ext === '.cpp' ||
    ext === '.h' ||
    ext === '.dart' ||
    ext === '.ex' ||
    ext === '.exs'
  )
    return [suffix('test', '_')];
  return undefined;
}

function splitPath(path: string): { dir: string; base: string; ext: string } {
  const slash = path.lastIndexOf('/');
  const dir = slash >= 0 ? path.slice(0, slash + 1) : '';
  const file = path.slice(slash + 1);
  const dot = file.lastIndexOf('.');
  return dot > 0 ? { dir, base: file.slice(0, dot), ext: file.slice(dot) } : { dir, base: file, ext: '' };
}

/**
 * The test file for `source` (a workspace-relative path with `/`), in the same folder:
 * `src/math.ts` → `src/math.test.ts`. `existing` are the workspace's paths (any; only files of the
 * source's extension that follow one of the language's conventions count). `undefined` when the
 * source has no extension or is itself a test file.
 */
export function testFileFor(source: string, existing: readonly string[] = []): string | undefined {
  const { dir, base, ext } = splitPath(source);
  if (!ext || !base) return undefined;
  const conventions = conventionsFor(ext.toLowerCase()) ?? [suffix('test')];
  const fileName = `${base}${ext}`;
  if (conventions.some((c) => c.matches(fileName))) return undefined;
  const counts = conventions.map(
    (c) => existing.filter((p) => p.endsWith(ext) && c.matches(p.slice(p.lastIndexOf('/') + 1))).length,
  );
  const best = counts.reduce((bestIndex, count, i) => (count > counts[bestIndex]! ? i : bestIndex), 0);
  return `${dir}${conventions[best]!.name(base, ext)}`;
}

/** A glob of the files {@link testFileFor} learns the convention from (for `workspace.findFiles`). */
export const TEST_FILE_GLOB = '**/{*.test.*,*.spec.*,*_test.*,*_spec.*,test_*.py,*Test.*,*Tests.*}';
