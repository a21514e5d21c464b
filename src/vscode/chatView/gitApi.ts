/**
 * The uncommitted changes, through the built-in Git extension's API (`vscode.git`, API v1).
 * Only the few members used here are typed (the extension publishes git.d.ts; we do not vendor it).
 */
import * as vscode from 'vscode';

interface GitRepository {
  readonly rootUri: vscode.Uri;
  diff(cached?: boolean): Promise<string>;
  readonly inputBox: { value: string };
}

interface GitApi {
  readonly repositories: readonly GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
}

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

export type DiffResult =
  | { readonly ok: true; readonly diff: string; readonly root: string; readonly staged: boolean }
  | { readonly ok: false; readonly reason: string };

/** The Git repository of `uri` (or the first one), or why there is none. */
export async function gitRepository(
  uri: vscode.Uri | undefined,
): Promise<{ repo: GitRepository } | { reason: string }> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return { reason: 'the built-in Git extension is not available.' };
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports.enabled) return { reason: 'Git is disabled (git.enabled is off).' };
  const api = exports.getAPI(1);
  const repo = (uri ? api.getRepository(uri) : null) ?? api.repositories[0];
  if (!repo) return { reason: 'this workspace is not a Git repository.' };
  return { repo };
}

/** Staged changes when there are any (what the next commit holds), else the working tree's. */
export async function uncommittedDiff(
  uri: vscode.Uri | undefined,
  prefer: 'all' | 'commit' = 'all',
): Promise<DiffResult> {
  const found = await gitRepository(uri);
  if ('reason' in found) return { ok: false, reason: `No diff: ${found.reason}` };
  const staged = await found.repo.diff(true);
  const unstaged = await found.repo.diff(false);
  const root = repositoryName(found.repo.rootUri);
  if (prefer === 'commit' && staged.trim()) return { ok: true, diff: staged, root, staged: true };
  const diff = [staged, unstaged].filter((d) => d.trim()).join('\n');
  if (!diff.trim()) return { ok: false, reason: 'No diff: there are no uncommitted changes to tracked files.' };
  return { ok: true, diff, root, staged: false };
}

/**
 * A short name for a repository in a chip: the workspace folder's name when the repository is the
 * folder itself (asRelativePath would give the absolute path then), else its relative path.
 */
function repositoryName(rootUri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(rootUri);
  if (folder && folder.uri.path.replace(/\/$/, '') === rootUri.path.replace(/\/$/, '')) return folder.name;
  const relative = vscode.workspace.asRelativePath(rootUri, true);
  return relative && relative !== rootUri.fsPath ? relative : rootUri.path.split('/').pop() || 'repository';
}
