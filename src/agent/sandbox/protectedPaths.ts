/**
 * Files whose edit is a command in disguise: git's configuration and hooks (`core.pager`,
 * `core.fsmonitor`, aliases run on the next `git status`), the editor's workspace settings and
 * tasks, dev containers, hook managers, CI pipelines, direnv and package-manager settings that
 * name programs, and shell startup files. Edits of these always ask and show as "may run
 * commands", whatever `autoApprove.edit` says; the sandbox (sandbox/bwrap.ts) holds those of
 * `SANDBOX_READ_ONLY` read-only at each workspace folder's root, existing or not. Matched on the
 * path as the file system would resolve it: separators of both kinds, `.` and `..` segments,
 * letter case (macOS and Windows ignore it), trailing dots and spaces (Windows drops them) and 8.3
 * short names (`GIT~1`). Pure.
 */
import { globMatches } from './protectedGlobs';

/** A folder anywhere in the path whose contents are protected. */
const PROTECTED_FOLDERS = [
  '.git',
  '.vscode',
  '.devcontainer',
  '.husky',
  '.githooks',
  '.circleci',
  '.buildkite',
  '.gitlab',
  '.lefthook',
  '.idea',
  '.hooks',
  '.config/fish',
  '.config/git',
  '.github/workflows',
  '.github/actions',
];

/** The shell startup files of a home folder (bash, sh, zsh). */
export const SHELL_STARTUP_FILES = [
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.profile',
  '.zshrc',
  '.zshenv',
  '.zprofile',
  '.zlogin',
];

/** File names protected wherever they are. */
const PROTECTED_FILES = [
  '.gitlab-ci.yml',
  '.travis.yml',
  'azure-pipelines.yml',
  'bitbucket-pipelines.yml',
  'jenkinsfile',
  '.drone.yml',
  'appveyor.yml',
  '.pre-commit-config.yaml',
  'lefthook.yml',
  'lefthook.yaml',
  '.lefthookrc',
  '.envrc',
  '.env.sh',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pnpmfile.cjs',
  '.gitconfig',
  '.gitmodules',
  '.gitattributes',
  ...SHELL_STARTUP_FILES,
  '.zlogout',
  '.kshrc',
  '.cshrc',
  '.tcshrc',
  '.inputrc',
  'config.fish',
];

/**
 * File names protected by their shape: every config name lefthook reads when a hook runs
 * (`.lefthook.yml`, `lefthook-local.toml` …), overcommit's, mise's (its `[hooks]` and `[env]` run
 * like an `.envrc` when a shell enters the folder), and a dev container's single-file config at a
 * folder's root (`.devcontainer.json`: its `initializeCommand` runs on the host).
 */
const PROTECTED_FILE_SHAPES: readonly RegExp[] = [
  /^\.?lefthook(-local)?\.(ya?ml|toml|jsonc?)$/,
  /^\.overcommit\.ya?ml$/,
  /^\.?mise(\.[\w-]+)?(\.local)?\.toml$/,
  /^\.devcontainer\.json$/,
];

/** What the card says. */
export const PROTECTED_REASON = 'may run commands';

/** The path's segments as the file system resolves them, lower-cased; undefined segments climb out. */
export function normalSegments(path: string): string[] {
  const out: string[] = [];
  for (const raw of path.replace(/\\/g, '/').split('/')) {
    const segment = raw.replace(/[. ]+$/, (tail) => (raw === '.' || raw === '..' ? tail : '')).toLowerCase();
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return out;
}

/** Every protected name as the letters an 8.3 short name is made from (dots and spaces dropped): `.git` → `git`. */
const SHORT_NAME_SOURCES: readonly string[] = [
  ...PROTECTED_FOLDERS.map((f) => f.split('/')[0]!),
  ...PROTECTED_FILES,
  'lefthook',
  'overcommit',
  'mise',
  'devcontainer',
].map((n) => n.replace(/[. ]/g, ''));

/**
 * Whether a (lower-cased) segment may be the 8.3 short name of a protected name: 1–6 characters,
 * `~N`, an extension of at most 3, where the characters are the start of a protected name
 * (`git~1`, `vscode~1`, `gitlab~1.yml`), its first two and a four-digit hex hash (`gi1f2e~1`), or
 * the extension is `.cod` (a `*.code-workspace` file). A git revision (`HEAD~1`, `main~2`) is not one.
 */
function mayBeShortName(segment: string): boolean {
  const m = /^([^.~]{1,6})~\d+(?:\.([^.]{1,3}))?$/.exec(segment);
  if (!m) return false;
  const base = m[1]!;
  if (m[2] === 'cod') return true;
  const hashed = /^.{2}[0-9a-f]{4}$/.test(base);
  return SHORT_NAME_SOURCES.some(
    (name) =>
      (name.startsWith(base) && base.length >= Math.min(2, name.length)) ||
      (hashed && name.startsWith(base.slice(0, 2))),
  );
}

/** Why an edit of `path` (workspace-relative, or absolute) may run commands, or undefined. */
export function protectedPathReason(path: string): string | undefined {
  const segments = normalSegments(path);
  const name = segments.at(-1) ?? '';
  if (segments.some(mayBeShortName))
    return `${path} is a short (8.3) name that may stand for a protected folder; it ${PROTECTED_REASON}`;
  if (
    PROTECTED_FILES.includes(name) ||
    /\.code-workspace$/.test(name) ||
    PROTECTED_FILE_SHAPES.some((r) => r.test(name))
  )
    return `${path} is read by tools that run programs; editing it ${PROTECTED_REASON}`;
  const joined = `/${segments.join('/')}/`;
  const folder = PROTECTED_FOLDERS.find((f) => joined.includes(`/${f}/`));
  if (folder) return `${path} is inside ${folder}/; editing it ${PROTECTED_REASON}`;
  return undefined;
}

/** A word's brace expansions (`.{vscode,idea}/x` → `.vscode/x`, `.idea/x`), at most 64 words. */
function braceExpansions(word: string): string[] {
  const done: string[] = [];
  const queue = [word];
  while (queue.length && done.length + queue.length <= 64) {
    const next = queue.shift()!;
    const m = /^(.*?)\{([^{}]*,[^{}]*)\}(.*)$/s.exec(next);
    if (m) queue.push(...m[2]!.split(',').map((choice) => `${m[1]}${choice}${m[3]}`));
    else done.push(next);
  }
  return [...done, ...queue];
}

/**
 * Names a glob segment may stand for (protectedGlobs.ts): the protected names that start with a
 * dot, examples of the shapes, and the folders' inner segments (`workflows`, `actions`).
 */
const GLOB_NAMES = [
  ...PROTECTED_FILES.filter((name) => name.startsWith('.')),
  ...PROTECTED_FOLDERS.flatMap((f) => f.split('/')),
  ...['.lefthook.yml', '.lefthook-local.yml', '.lefthook.toml', '.lefthook.json', '.overcommit.yml', '.mise.toml'],
  ...['.mise.local.toml', '.devcontainer.json'],
].filter((name, i, all) => all.indexOf(name) === i && (name.startsWith('.') || !name.includes('.')));

/**
 * Why a word of a command line may name a protected path (as written, or after brace expansion:
 * `.{vscode,x}/tasks.json`), or undefined. A command that names one could write it, so it asks
 * like an edit of it does, whatever the settings say: the sandbox holds only the names of
 * `SANDBOX_READ_ONLY` at each workspace folder's root read-only (existing or not), and a nested
 * `.git`, `.envrc` or `*.code-workspace` (nestedProtected.ts: existing ones held, created ones
 * undone after the command), not every protected name at every depth.
 */
export function protectedWordReason(word: string): string | undefined {
  const braces = braceExpansions(word);
  for (const expanded of [...braces, ...braces.flatMap((w) => globMatches(w, GLOB_NAMES))]) {
    const reason = protectedPathReason(expanded);
    if (reason) return expanded === word ? reason : `${word} expands to a protected path: ${reason}`;
  }
  return undefined;
}

/**
 * The protected folders the sandbox holds read-only at each workspace folder's root, whether or
 * not they exist (a missing one gets an empty folder to mount on: sandbox/protectedMounts.ts).
 */
export const SANDBOX_READ_ONLY_FOLDERS = [
  '.git',
  '.vscode',
  '.devcontainer',
  '.husky',
  '.githooks',
  '.github',
  '.circleci',
];

/** The protected files held the same way (a missing one gets an empty file). */
export const SANDBOX_READ_ONLY_FILES = [
  '.gitlab-ci.yml',
  '.envrc',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.gitmodules',
  '.pre-commit-config.yaml',
];

/** Every protected name the sandbox makes read-only inside each workspace folder (relative paths). */
export const SANDBOX_READ_ONLY = [...SANDBOX_READ_ONLY_FOLDERS, ...SANDBOX_READ_ONLY_FILES];
