/**
 * `search_text` and `list_files` without the editor: ripgrep (the binary VS Code ships, found by
 * the host) with a JavaScript fallback over a file list (confined, bounded in time), and the listing of a folder from the
 * workspace's file list (already filtered by .gitignore and files.exclude). Node only, no
 * `vscode`, so the bench can run them on a generated workspace.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { resolveInWorkspace } from '../context/workspacePath';
import { isSecretPath } from '../openrouter/secrets';
import { readConfinedText } from '../context/confinedRead';
import { shownName } from '../protocol/invisibleText';
import { BoundedMatcher, MatchStopped } from './boundedMatcher';

/** At most this many matches are returned. */
export const MAX_MATCHES = 200;
const MAX_LINE = 300;

export interface SearchQuery {
  readonly query: string;
  readonly isRegex: boolean;
  readonly glob?: string;
}

export interface SearchResult {
  /** `path:line: text`, workspace-relative paths. */
  readonly lines: readonly string[];
  /** More matches than {@link MAX_MATCHES} existed. */
  readonly truncated: boolean;
  readonly engine: 'ripgrep' | 'javascript';
  /** The JavaScript search ended early: out of time, or stopped by the task. */
  readonly stopped?: 'deadline' | 'aborted';
  /** Matches (ripgrep) or files (JavaScript) left out because they usually hold secrets. */
  readonly skippedSecrets?: number;
}

const clip = (line: string): string => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);

/** Runs ripgrep in `cwd` (respecting .gitignore, hidden files skipped). Rejects when rg cannot run. */
export function ripgrepSearch(
  rgPath: string,
  cwd: string,
  q: SearchQuery,
  signal?: AbortSignal,
  excludeGlobs: readonly string[] = [],
): Promise<SearchResult> {
  return new Promise((resolve, reject) => {
    const args = [
      '--line-number',
      '--no-heading',
      '--color',
      'never',
      '--no-messages',
      // A NUL after each path: a file name holding a line break is read whole, never as a line of its own.
      '--null',
      '--max-columns',
      String(MAX_LINE),
      '--max-columns-preview',
    ];
    if (!q.isRegex) args.push('--fixed-strings');
    if (q.glob) args.push('--glob', q.glob);
    for (const g of excludeGlobs) args.push('--glob', `!${g}`);
    args.push('--regexp', q.query, '--', '.');
    const child = spawn(rgPath, args, { cwd, signal, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let truncated = false;
    let rest = '';
    /** The start of a file name that held a line break (the rest of it comes on the next line). */
    let name = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (data: string) => {
      const parts = (rest + data).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) {
        if (lines.length >= MAX_MATCHES) {
          truncated = true;
          child.kill();
          return;
        }
        const nul = part.indexOf('\0');
        if (nul < 0) {
          name += `${part}\n`;
          continue;
        }
        const file = shownName((name + part.slice(0, nul)).replace(/^\.\//, ''));
        name = '';
        lines.push(clip(`${file}:${part.slice(nul + 1).replace(/^(\d+):/, '$1: ')}`));
      }
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      // 0 = matches, 1 = none; a kill after MAX_MATCHES is fine too.
      if (code === 0 || code === 1 || truncated) resolve({ lines, truncated, engine: 'ripgrep' });
      else reject(new Error(`ripgrep exited with ${code}: ${stderr.slice(0, 300)}`));
    });
  });
}

/** How long the JavaScript fallback may take in all (ms); then it stops with what it found. */
export const JS_SEARCH_DEADLINE_MS = 10_000;

export interface JsSearchLimits {
  /** Overall time for the search (ms); default {@link JS_SEARCH_DEADLINE_MS}. */
  readonly deadlineMs?: number;
  /** The `switchyard.context.exclude` globs (on top of the built-in secret names). */
  readonly secretGlobs?: readonly string[];
}

/**
 * The same search in JavaScript over known files (relative to `root`), confined like every tool
 * path: each file is resolved with `realpath` at use and skipped when it lands outside the
 * workspace (a link a repository shipped) or names a file that usually holds secrets. The model's
 * pattern and glob run in a worker under a deadline ({@link BoundedMatcher}), so a pattern that
 * backtracks forever ends the search, not the editor.
 */
export async function jsSearch(
  root: string,
  files: readonly string[],
  q: SearchQuery,
  signal?: AbortSignal,
  limits: JsSearchLimits = {},
): Promise<SearchResult> {
  const lines: string[] = [];
  let skippedSecrets = 0;
  const matcher = new BoundedMatcher(
    { query: q.query, isRegex: q.isRegex, ...(q.glob ? { glob: globToRegExp(q.glob).source } : {}) },
    Date.now() + (limits.deadlineMs ?? JS_SEARCH_DEADLINE_MS),
    signal,
  );
  try {
    for (const file of await matcher.paths(files)) {
      const text = await confinedText(root, file, limits.secretGlobs ?? []);
      if (text === 'secret') skippedSecrets++;
      if (typeof text !== 'string' || text === 'secret') continue;
      const fileLines = text.split(/\r?\n/);
      for (const i of await matcher.lines(text, MAX_MATCHES + 1 - lines.length)) {
        if (lines.length >= MAX_MATCHES)
          return { lines, truncated: true, engine: 'javascript', ...(skippedSecrets ? { skippedSecrets } : {}) };
        lines.push(clip(`${shownName(file)}:${i + 1}: ${fileLines[i]}`));
      }
    }
  } catch (error) {
    if (!(error instanceof MatchStopped)) throw error;
    return {
      lines,
      truncated: false,
      engine: 'javascript',
      stopped: error.why,
      ...(skippedSecrets ? { skippedSecrets } : {}),
    };
  } finally {
    matcher.close();
  }
  return { lines, truncated: false, engine: 'javascript', ...(skippedSecrets ? { skippedSecrets } : {}) };
}

/**
 * A file's text when it may be searched: inside the workspace by its real path, not secret-looking
 * (by the name given or the name it really has), small and not binary. `'secret'` for a file left
 * out because it usually holds secrets; undefined for the rest.
 */
async function confinedText(
  root: string,
  file: string,
  secretGlobs: readonly string[],
): Promise<string | 'secret' | undefined> {
  const read = await readConfinedText(root, file, { maxBytes: 2_000_000, secretGlobs });
  return read.ok ? read.text : read.why === 'secret' ? 'secret' : undefined;
}

/**
 * Leaves out the matches ripgrep found in files that usually hold secrets (by name; ripgrep does
 * not follow links), counting them as {@link SearchResult.skippedSecrets}.
 */
export function withoutSecretFiles(result: SearchResult, secretGlobs: readonly string[] = []): SearchResult {
  const fileOf = (line: string): string => {
    const at = line.search(/:\d+: /);
    return at < 0 ? line : line.slice(0, at);
  };
  const kept = result.lines.filter((line) => !isSecretPath(fileOf(line), secretGlobs));
  const skipped = result.lines.length - kept.length;
  return skipped ? { ...result, lines: kept, skippedSecrets: (result.skippedSecrets ?? 0) + skipped } : result;
}

/** A glob (`**`, `*`, `?`, `{a,b}`) as a RegExp over a relative path. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') out += '(?:';
    else if (c === '}') out += ')';
    else if (c === ',') out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * The files of `files` (relative to `root`) that the other tools may open: an entry below a folder
 * link that leads out of the workspace (which the editor's file search follows) is dropped, and so
 * is a file that is itself a link out of the workspace or a dangling link (left out rather than
 * marked: a name the model cannot read only invites a refused read, and the folder-link case
 * already leaves entries out). Both checks are `resolveInWorkspace`'s; one `realpath` and one
 * `readdir` per distinct folder, plus one `realpath` per file link — not one per file.
 */
export async function confinedFiles(root: string, files: readonly string[]): Promise<string[]> {
  const inside = new Map<string, Promise<boolean>>();
  const links = new Map<string, Promise<ReadonlySet<string>>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> => {
    let known = cache.get(key);
    if (!known) cache.set(key, (known = make()));
    return known;
  };
  const confined = (rel: string): Promise<boolean> =>
    resolveInWorkspace(path.join(root, rel), [root]).then((r) => r.ok);
  const fileKept = async (file: string): Promise<boolean> => {
    const folder = path.posix.dirname(file);
    if (!(await once(inside, folder, () => (folder === '.' ? Promise.resolve(true) : confined(folder))))) return false;
    if (!(await once(links, folder, () => linkNames(path.join(root, folder)))).has(path.posix.basename(file)))
      return true;
    return confined(file);
  };
  const kept = await Promise.all(files.map(async (file) => ((await fileKept(file)) ? file : undefined)));
  return kept.filter((f): f is string => f !== undefined);
}

/** The names of the symbolic links directly in `folder` (none when it cannot be read). */
async function linkNames(folder: string): Promise<ReadonlySet<string>> {
  try {
    return new Set(
      (await readdir(folder, { withFileTypes: true })).filter((e) => e.isSymbolicLink()).map((e) => e.name),
    );
  } catch {
    return new Set();
  }
}

/** At most this many entries are listed. */
export const MAX_LISTED = 500;

/**
 * The entries of `folder` (workspace-relative, '' = root) from the workspace's file list:
 * its files and sub-folders (`name/`), or with `recursive` every file below it.
 */
export function listFolder(
  files: readonly string[],
  folder: string,
  recursive: boolean,
): { lines: string[]; truncated: boolean; total: number } {
  const prefix = folder.replace(/^\.\/?/, '').replace(/\/+$/, '');
  const base = prefix ? `${prefix}/` : '';
  const below = files.filter((f) => f.startsWith(base));
  let entries: string[];
  if (recursive) entries = below.map((f) => f.slice(base.length));
  else {
    const set = new Set<string>();
    for (const f of below) {
      const rest = f.slice(base.length);
      const slash = rest.indexOf('/');
      set.add(slash < 0 ? rest : `${rest.slice(0, slash)}/`);
    }
    entries = [...set].sort((a, b) => Number(b.endsWith('/')) - Number(a.endsWith('/')) || a.localeCompare(b));
  }
  return { lines: entries.slice(0, MAX_LISTED), truncated: entries.length > MAX_LISTED, total: entries.length };
}
