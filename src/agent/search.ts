/**
 * `search_text` and `list_files` without the editor: ripgrep (the binary VS Code ships, found by
 * the host) with a JavaScript fallback over a file list, and the listing of a folder from the
 * workspace's file list (already filtered by .gitignore and files.exclude). Node only, no
 * `vscode`, so the bench can run them on a generated workspace.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

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
}

const clip = (line: string): string => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);

/** Runs ripgrep in `cwd` (respecting .gitignore, hidden files skipped). Rejects when rg cannot run. */
export function ripgrepSearch(rgPath: string, cwd: string, q: SearchQuery, signal?: AbortSignal, excludeGlobs: readonly string[] = []): Promise<SearchResult> {
  return new Promise((resolve, reject) => {
    const args = ['--line-number', '--no-heading', '--color', 'never', '--no-messages', '--max-columns', String(MAX_LINE), '--max-columns-preview'];
    if (!q.isRegex) args.push('--fixed-strings');
    if (q.glob) args.push('--glob', q.glob);
    for (const g of excludeGlobs) args.push('--glob', `!${g}`);
    args.push('--regexp', q.query, '--', '.');
    const child = spawn(rgPath, args, { cwd, signal, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let truncated = false;
    let rest = '';
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
        lines.push(clip(part.replace(/^\.\//, '').replace(/^([^:]*):(\d+):/, '$1:$2: ')));
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

/** The same search in JavaScript over known files (relative to `root`). */
export async function jsSearch(root: string, files: readonly string[], q: SearchQuery, signal?: AbortSignal): Promise<SearchResult> {
  let test: (line: string) => boolean;
  if (q.isRegex) {
    const re = new RegExp(q.query);
    test = (line) => re.test(line);
  } else test = (line) => line.includes(q.query);
  const glob = q.glob ? globToRegExp(q.glob) : undefined;
  const lines: string[] = [];
  for (const file of files) {
    if (signal?.aborted) break;
    if (glob && !glob.test(file) && !glob.test(path.posix.basename(file))) continue;
    let text: string;
    try {
      const bytes = await readFile(path.join(root, file));
      if (bytes.length > 2_000_000 || bytes.subarray(0, 8000).includes(0)) continue;
      text = bytes.toString('utf8');
    } catch {
      continue;
    }
    const fileLines = text.split(/\r?\n/);
    for (let i = 0; i < fileLines.length; i++) {
      if (!test(fileLines[i]!)) continue;
      if (lines.length >= MAX_MATCHES) return { lines, truncated: true, engine: 'javascript' };
      lines.push(clip(`${file}:${i + 1}: ${fileLines[i]}`));
    }
  }
  return { lines, truncated: false, engine: 'javascript' };
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

/** At most this many entries are listed. */
export const MAX_LISTED = 500;

/**
 * The entries of `folder` (workspace-relative, '' = root) from the workspace's file list:
 * its files and sub-folders (`name/`), or with `recursive` every file below it.
 */
export function listFolder(files: readonly string[], folder: string, recursive: boolean): { lines: string[]; truncated: boolean; total: number } {
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
