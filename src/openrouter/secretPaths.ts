/**
 * The name rules of the one secret policy (secrets.ts, which re-exports {@link isSecretPath}): which
 * files usually hold credentials, however their path is spelled. Pure.
 */
import { newIgnore, type Ignore } from './ignorePackage';

/**
 * Names of files that usually hold secrets, as .gitignore patterns (the `ignore` package, Git's own
 * rules): a pattern without `/` matches a file or folder name at any depth. Matched
 * case-insensitively (macOS and Windows file systems are). Templates (`.env.example` …) are not.
 */
export const SECRET_GLOBS: readonly string[] = [
  // Shell environment files (dotenv, direnv) and dotfiles that export tokens.
  '.env',
  '.env.*',
  '.env-*',
  '.env_*',
  '*.env',
  '.envrc',
  '.direnv',
  '.secrets',
  '.bash_history',
  '.zsh_history',
  '*_history',
  // Shell start-up files: where `export GITHUB_TOKEN=…` lines live (a dotfiles repository).
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.profile',
  '.zshrc',
  '.zshenv',
  '.zprofile',
  '.zlogin',
  '**/fish/config.fish',
  '!.env.example',
  '!.env.sample',
  '!.env.template',
  '!.env.dist',
  '!.env-example',
  '!.env_example',
  '!.env-sample',
  '!*.env.example',
  '!*.env.sample',
  // Infrastructure variables and state (Terraform, Pulumi, Ansible vault).
  '*.tfvars',
  '*.tfvars.json',
  '*.tfstate',
  '*.tfstate.backup',
  '.terraformrc',
  'terraform.rc',
  'credentials.tfrc.json',
  'Pulumi.*.yaml',
  'vault.yml',
  'vault.yaml',
  // Keys, certificates with keys, key stores, password databases.
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  '*.kdbx',
  '*.ppk',
  '*.p8',
  '*.keytab',
  '*.jceks',
  '*.bks',
  '*.ovpn',
  '*.asc',
  '*.gpg',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '.ssh',
  '.gnupg',
  // Credential files of cloud providers and package managers.
  'credentials',
  'credentials.json',
  'credentials.yml',
  'credentials.yaml',
  'credentials.toml',
  '.credentials',
  '.aws',
  '.azure',
  'gcloud',
  'application_default_credentials.json',
  '.netrc',
  '_netrc',
  '.npmrc',
  '.yarnrc.yml',
  '.yarnrc',
  '**/.m2/settings.xml',
  '**/.gradle/gradle.properties',
  'rclone.conf',
  'wp-config.php',
  '.dockerconfigjson',
  '.pypirc',
  '.pgpass',
  '.my.cnf',
  '.git-credentials',
  '.gitconfig',
  '.dockercfg',
  '**/.docker/config.json',
  '.vault-token',
  '.boto',
  '.s3cfg',
  '**/.cargo/credentials',
  '**/.cargo/credentials.toml',
  '**/.gem/credentials',
  // A repository's own Git settings: remote URLs carry tokens, `[credential]` and `[http]` headers too.
  '**/.git/config',
  '**/.git/config.worktree',
  '**/.git/modules/**/config',
  '**/.git/worktrees/*/config',
  '**/.git/worktrees/*/config.worktree',
  'settings-security.xml',
  'auth.json',
  'hosts.yml',
  // Service accounts, OAuth client secrets, cluster access, web-server passwords.
  '*service-account*.json',
  '*service_account*.json',
  'client_secret*.json',
  'kubeconfig',
  'kubeconfig.*',
  '*.kubeconfig',
  '*-kubeconfig',
  '.kube',
  '.htpasswd',
  '*.htpasswd',
  'secrets.*',
  '*.secret',
  '*.secrets',
];

const matcherCache = new Map<string, Ignore>();

/** One `ignore` matcher per pattern list (gitignore semantics, case-insensitive). */
function matcher(globs: readonly string[]): Ignore {
  const key = globs.join('\n');
  let m = matcherCache.get(key);
  if (!m) {
    m = newIgnore({ ignorecase: true }).add([...globs]);
    if (matcherCache.size > 16) matcherCache.clear();
    matcherCache.set(key, m);
  }
  return m;
}

/**
 * A path's segments, spelled as the file system reads them: either separator, `.` and empty
 * segments gone, `..` resolved lexically (one above the start is dropped: the name rules hold at
 * any depth, so `../.env` is a `.env`), and the dots and spaces Windows ignores at a name's end
 * trimmed (`.env.` and `.npmrc ` are those files there).
 */
function normalSegments(path: string): string[] {
  const out: string[] = [];
  for (const raw of path.replace(/\\/g, '/').split('/')) {
    const segment = raw === '..' ? raw : raw.replace(/[. ]+$/, '');
    if (segment === '..') out.pop();
    else if (segment) out.push(segment);
  }
  return out;
}

/**
 * True when a workspace-relative path (either separator) names a file that usually holds secrets
 * ({@link SECRET_GLOBS}) or matches one of `extraGlobs` (the `switchyard.context.exclude` setting,
 * read like .gitignore lines: a pattern without `/` matches a file or folder name in any folder,
 * one with `/` the path from the workspace folder; `**` spans folders).
 */
export function isSecretPath(relativePath: string, extraGlobs: readonly string[] = []): boolean {
  const normal = normalSegments(relativePath).join('/');
  if (!normal) return false;
  const extra = extraGlobs.filter((g) => typeof g === 'string' && g.trim()).map((g) => g.trim());
  try {
    return matcher(extra.length ? [...SECRET_GLOBS, ...extra] : SECRET_GLOBS).ignores(normal);
  } catch {
    // `ignore` refuses paths it cannot place (e.g. a bare "."): not a secret name.
    return false;
  }
}
