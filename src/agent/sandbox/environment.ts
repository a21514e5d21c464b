/**
 * The environment an agent command gets: the editor's, without what would hand it a credential or
 * a way back into the editor — known keys (`OPENROUTER_API_KEY` and any variable whose value is
 * one of the user's keys), variables named like credentials (`*_KEY`, `*_TOKEN`, `*SECRET*`,
 * `*PASSWORD*`, cloud and package-registry credentials), and the editor's IPC handles
 * (`VSCODE_IPC_HOOK*`, the git askpass bridge), which would let a command drive the editor. Pure.
 */

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
    if (/sk-or-v1-[A-Za-z0-9]{16,}/.test(value)) continue;
    out[name] = value;
  }
  return out;
}
