/**
 * The agent's `search_text` on VS Code: the ripgrep that ships inside VS Code when it is found
 * (files.exclude honoured), else the JavaScript search over the file index; files that usually
 * hold secrets are left out either way, and the result says what was left out or cut short.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  jsSearch,
  JS_SEARCH_DEADLINE_MS,
  MAX_MATCHES,
  ripgrepSearch,
  withoutSecretFiles,
  type SearchQuery,
  type SearchResult,
} from '../../agent/search';
import type { ToolRun } from '../../agent/toolRunner';
import type { FileIndex } from '../chatView/fileIndex';
import type { Logger } from '../log';

/** What a search needs besides the query: the file index (fallback), the log, the secret globs. */
export interface SearchDeps {
  readonly index: FileIndex;
  readonly log: Logger;
  /** `switchyard.context.exclude`, on top of the built-in secret names. */
  readonly exclude: readonly string[];
}

/** Searches the workspace folder `root` for `q`; an invalid regular expression is an error the model reads. */
export async function searchWorkspace(
  root: string,
  q: SearchQuery,
  signal: AbortSignal,
  deps: SearchDeps,
): Promise<ToolRun> {
  if (q.isRegex) {
    try {
      new RegExp(q.query);
    } catch (error) {
      return {
        ok: false,
        content: `the regular expression is invalid: ${(error as Error).message}`,
        summary: 'invalid regex',
      };
    }
  }
  const found = await ripgrepInWorkspace(root, q, signal, deps.log);
  return searchRun(
    found
      ? withoutSecretFiles(found, deps.exclude)
      : await jsSearch(root, await deps.index.all(), q, signal, { secretGlobs: deps.exclude }),
  );
}

/** ripgrep's result, or undefined when there is no ripgrep or it failed (the caller searches in JavaScript). */
async function ripgrepInWorkspace(
  root: string,
  q: SearchQuery,
  signal: AbortSignal,
  log: Logger,
): Promise<SearchResult | undefined> {
  const rg = await ripgrepPath();
  if (!rg) return undefined;
  const excludes = Object.entries(
    vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude') ?? {},
  )
    .filter(([, on]) => on)
    .map(([g]) => g);
  return ripgrepSearch(rg, root, q, signal, excludes).catch((error: unknown) => {
    log.warn(`agent: ripgrep failed (${String(error)}); searching in JavaScript`);
    return undefined;
  });
}

/** ripgrep counts the matches it found in secret-looking files; the JavaScript search the files it did not open. */
function skippedSecretsNote(found: SearchResult): string {
  const n = found.skippedSecrets ?? 0;
  return found.engine === 'ripgrep'
    ? `${n} match${n === 1 ? '' : 'es'} in files that usually hold secrets not shown`
    : `${n} file${n === 1 ? ' that usually holds' : 's that usually hold'} secrets not searched`;
}

/** A search's result as the model reads it: the matches, and what was left out or cut short. */
function searchRun(found: SearchResult): ToolRun {
  const notes = [
    found.truncated ? `[first ${MAX_MATCHES} matches shown]` : '',
    found.skippedSecrets ? `[${skippedSecretsNote(found)}; read_file such a file to ask the user]` : '',
    found.stopped === 'deadline'
      ? `[the search stopped after ${JS_SEARCH_DEADLINE_MS / 1000} s: the pattern is too slow; use a simpler one]`
      : '',
  ].filter(Boolean);
  if (found.lines.length === 0)
    return {
      ok: found.stopped !== 'deadline',
      content: ['No matches.', ...notes].join('\n'),
      summary: found.stopped === 'deadline' ? 'stopped: too slow' : 'no matches',
    };
  return {
    ok: true,
    content: [found.lines.join('\n'), ...notes].join('\n'),
    summary: `${found.lines.length}${found.truncated || found.stopped ? '+' : ''} matches${found.stopped === 'deadline' ? ' (stopped: too slow)' : ''}`,
  };
}

let rgCache: Promise<string | undefined> | undefined;

/** The ripgrep binary inside VS Code (desktop: @vscode/ripgrep; code-server: @vscode/ripgrep-universal), as Cline and Roo find it. */
export function ripgrepPath(): Promise<string | undefined> {
  return (rgCache ??= (async () => {
    const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
    const root = vscode.env.appRoot;
    const candidates = ['node_modules', 'node_modules.asar.unpacked'].flatMap((nm) => [
      path.join(root, nm, '@vscode', 'ripgrep', 'bin', exe),
      path.join(root, nm, '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, exe),
    ]);
    for (const candidate of candidates) {
      try {
        await vscode.workspace.fs.stat(vscode.Uri.file(candidate));
        return candidate;
      } catch {
        // Not here.
      }
    }
    return undefined;
  })());
}
