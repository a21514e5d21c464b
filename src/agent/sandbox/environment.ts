/**
 * The environment an agent command gets: the editor's, without what would hand it a credential or
 * a way back into the editor — known keys (`OPENROUTER_API_KEY` and any variable whose value
 * holds one of the user's keys in any form the redactor knows, or a provider key's shape),
 * variables named like credentials (`*_KEY`, `*_TOKEN`, `*SECRET*`, `*PASSWORD*`, cloud and
 * package-registry credentials), and the editor's IPC handles
 * (`VSCODE_IPC_HOOK*`, the git askpass bridge), which would let a command drive the editor. Pure.
 */
import { findSecretLines, type SecretLine } from '../../openrouter/secrets';

/** What the redactor finds that makes a value a credential wherever it is: a user's key in any form, a provider key's shape, a private key. */
const KEY_RULES: ReadonlySet<SecretLine['rule']> = new Set(['known', 'token', 'privateKey']);

/**
 * A value that holds one of the user's keys in any form the redactor knows (a piece of 16
 * characters, base64, hex, reversed, escaped: openrouter/knownSecrets.ts), or any provider key's
 * shape (`ghp_…`, `AKIA…`, `hf_…`, `sk-ant-…`) or a private key block, under whatever name.
 */
function carriesKey(value: string, secrets: readonly string[]): boolean {
  return findSecretLines(value, secrets).some((line) => KEY_RULES.has(line.rule));
}

/** Names removed outright. */
const NAME_RULES: readonly RegExp[] = [
  /^OPENROUTER_/i,
  /(^|_)(API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|AUTH|PAT|SESSION)(_|$)/i,
  /SECRET|PASSWORD|PRIVATE_KEY|ACCESS_KEY/i,
  /^(AWS|AZURE|GOOGLE|GCP|GCLOUD|CLOUDSDK|DIGITALOCEAN|HEROKU|NPM_CONFIG__?AUTH|NODE_AUTH|TWINE|CARGO_REGISTRY|GH|GITHUB|GITLAB|HF|HUGGING_?FACE|ANTHROPIC|OPENAI|MISTRAL|GROQ|DEEPSEEK|GEMINI|XAI|COHERE|TOGETHER|FIREWORKS)_/i,
  /^(VSCODE_IPC_HOOK|VSCODE_GIT_IPC|VSCODE_GIT_ASKPASS|GIT_ASKPASS|SSH_ASKPASS|SSH_AUTH_SOCK|GPG_AGENT_INFO|DBUS_SESSION_BUS_ADDRESS|VSCODE_CLI|VSCODE_HANDLES|ELECTRON_RUN_AS_NODE|NODE_OPTIONS|VSCODE_PROXY_URI|CODE_SERVER_|PASSWORD|HASHED_PASSWORD)/i,
];

/** The environment without credentials; `knownSecrets` are values (the user's keys) never passed on under any name. */
export function scrubEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  knownSecrets: readonly string[],
): Record<string, string> {
  const secrets = knownSecrets.filter((s) => s.length >= 8);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (NAME_RULES.some((rule) => rule.test(name))) continue;
    if (secrets.some((s) => value.includes(s))) continue;
    if (/sk-or-v1-[A-Za-z0-9]{16,}/.test(value) || carriesKey(value, secrets)) continue;
    out[name] = value;
  }
  return out;
}
