/**
 * The bubblewrap (`bwrap`) command line that holds one agent command on Linux: the whole file
 * system read-only, the workspace folders writable except their protected paths (read-only), a
 * private empty /tmp, home secrets and the editor's own storage hidden behind empty folders, the
 * user's runtime folder (D-Bus, keyring and editor sockets) hidden, no network unless allowed, a
 * new session (no typing into the editor's terminal), and every namespace unshared so that when
 * the command's process ends — or is killed with the task — all it started ends with it. Each
 * command starts a fresh shell at its `cwd`: nothing carries from one command to the next.
 * The environment is the host's with keys and tokens removed (sandbox/environment.ts). Pure:
 * the caller says which paths exist.
 */

export interface SandboxPlan {
  /** Workspace folders (absolute): writable. */
  readonly writable: readonly string[];
  /** Paths inside them to keep read-only: the protected paths, existing or placeholders (each must exist). */
  readonly readOnly: readonly string[];
  /** Existing folders to hide behind an empty one (home secrets, editor storage, runtime sockets). */
  readonly hiddenFolders: readonly string[];
  /** Existing files to hide behind an empty file. */
  readonly hiddenFiles: readonly string[];
  readonly cwd: string;
  readonly network: boolean;
  /** The shell that runs the command line (`/bin/bash`). */
  readonly shell: string;
  readonly command: string;
}

/** Home-relative folders that hold credentials (hidden when they exist). */
export const HOME_SECRET_FOLDERS = [
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.config/gcloud',
  '.kube',
  '.docker',
  '.config/gh',
  '.config/hub',
  '.password-store',
  '.local/share/keyrings',
  '.config/op',
  '.terraform.d',
  '.config/doctl',
  '.oci',
  '.cargo/credentials',
  '.config/heroku',
  '.mozilla',
  '.config/google-chrome',
  '.config/chromium',
  '.vscode-server',
  '.vscode-remote',
  '.config/Code',
  '.config/Code - Insiders',
  '.config/VSCodium',
  '.config/Cursor',
  '.local/share/code-server',
  '.config/code-server',
  '.cursor-server',
  '.config/switchyard',
  '.openrouter',
];

/** Home-relative files that hold credentials (hidden when they exist). */
export const HOME_SECRET_FILES = [
  '.netrc',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  '.yarnrc',
  '.yarnrc.yml',
  '.cargo/credentials.toml',
  '.gem/credentials',
  '.config/hub',
  '.pgpass',
  '.my.cnf',
  '.boto',
  '.s3cfg',
  '.bash_history',
  '.zsh_history',
  '.python_history',
  '.node_repl_history',
  '.lesshst',
  '.viminfo',
];

/** System folders with sockets that reach privileged services (Docker, D-Bus, the user's session). */
export const SYSTEM_HIDDEN_FOLDERS = [
  '/run/user',
  '/run/dbus',
  '/run/docker',
  '/run/containerd',
  '/run/podman',
  '/var/run/docker',
  '/run/systemd/private',
];
export const SYSTEM_HIDDEN_FILES = ['/run/docker.sock', '/var/run/docker.sock'];

/** The argv of `bwrap` (without the program) that runs the plan's command. */
export function bwrapArguments(plan: SandboxPlan): string[] {
  const args = ['--die-with-parent', '--new-session', '--unshare-all', ...(plan.network ? ['--share-net'] : [])];
  args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp');
  for (const folder of plan.writable) args.push('--bind', folder, folder);
  for (const path of plan.readOnly) args.push('--ro-bind', path, path);
  // Hidden last, so a secret inside a workspace folder (a workspace at ~) is hidden too.
  for (const folder of plan.hiddenFolders) args.push('--tmpfs', folder);
  for (const file of plan.hiddenFiles) args.push('--ro-bind', '/dev/null', file);
  args.push('--chdir', plan.cwd, '--', plan.shell, '-c', plan.command);
  return args;
}

/** Paths under `home` that the sandbox hides, absolute. */
export function homeSecrets(home: string): { folders: string[]; files: string[] } {
  const join = (p: string): string => `${home.replace(/\/+$/, '')}/${p}`;
  return { folders: HOME_SECRET_FOLDERS.map(join), files: HOME_SECRET_FILES.map(join) };
}

/** A folder equal to, or inside, one of `roots`. */
export function isWithin(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`));
}
