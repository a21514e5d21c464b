/**
 * The workspace's files for `@file`: `workspace.findFiles` (which applies `files.exclude`), minus
 * what the `.gitignore` files ignore — the folder's root one and every nested one, each for the
 * paths below its own folder, as Git reads them (the `ignore` package) — searched fuzzily with
 * `fzf`. The list is cached and dropped when files are created, deleted or renamed.
 */
import { newIgnore, type Ignore } from '../../openrouter/ignorePackage';
import * as vscode from 'vscode';
import { ignoredByAny } from '../../context/gitignore';

/** At most this many files are indexed (a monorepo's generated files are not worth listing). */
const MAX_FILES = 20_000;
const MAX_RESULTS = 30;

export class FileIndex implements vscode.Disposable {
  private files: Promise<string[]> | undefined;
  private readonly watcher: vscode.FileSystemWatcher;

  constructor() {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const forget = (): void => {
      this.files = undefined;
    };
    this.watcher.onDidCreate(forget);
    this.watcher.onDidDelete(forget);
  }

  /** Every indexed workspace-relative path (shallow first), for the agent's list_files and search fallback. */
  async all(): Promise<readonly string[]> {
    return (this.files ??= this.load());
  }

  /** Workspace-relative paths matching `filter` (best first); the first files when it is empty. */
  async search(filter: string): Promise<string[]> {
    const files = await (this.files ??= this.load());
    if (!filter) return files.slice(0, MAX_RESULTS);
    // A plain require so esbuild keeps fzf out of the host bundle (see esbuild.mjs).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Fzf } = require('./fuzzyFinder') as typeof import('./fuzzyFinder');
    const fzf = new Fzf(files, { limit: MAX_RESULTS, casing: 'case-insensitive' });
    return fzf.find(filter).map((entry) => entry.item);
  }

  private async load(): Promise<string[]> {
    // `exclude: undefined` applies the user's `files.exclude`.
    const uris = await vscode.workspace.findFiles('**/*', undefined, MAX_FILES);
    // Every .gitignore, keyed by the folder it sits in (a URI path, no trailing slash).
    const rules = new Map<string, Ignore>();
    for (const uri of uris) {
      if (uri.path.endsWith('/.gitignore')) rules.set(uri.path.slice(0, -'/.gitignore'.length), await gitignoreAt(uri));
    }
    const out: string[] = [];
    for (const uri of uris) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) continue;
      const relative = uri.path.slice(folder.uri.path.length).replace(/^\/+/, '');
      if (relative.startsWith('.git/') || ignoredByAny(uri.path, folder.uri.path, rules)) continue;
      out.push(vscode.workspace.asRelativePath(uri, false));
    }
    return out.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  }

  dispose(): void {
    this.watcher.dispose();
  }
}

async function gitignoreAt(uri: vscode.Uri): Promise<Ignore> {
  const rules = newIgnore();
  try {
    rules.add(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  } catch {
    // Unreadable: nothing more to leave out.
  }
  return rules;
}
