/**
 * The secrets one MCP server's definition carries once its variables are filled in — its `env`
 * values, its `headers` (a `Bearer` token alone too), the values of its URL's query and the
 * password of its userinfo, and the value of a command-line option that names a key, token,
 * secret or password (`--api-key=…`, `--token …`) — so that its log channel redacts them
 * verbatim, whatever their shape (an `${input:…}` a user typed is no known key pattern). Pure.
 */
import { REDACTED, redactSecrets } from '../openrouter/secrets';
import { logLine } from '../openrouter/untrustedText';
import type { McpServerConfig } from './config';

/** Shorter values are not redacted (they would blank common words). */
const MIN_SECRET = 6;
const SECRET_OPTION = /^--?[\w.-]*(?:key|token|secret|password|passwd|pat|auth|credential)[\w.-]*$/i;

function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    return [...parsed.searchParams.values(), decodeURIComponent(parsed.password)];
  } catch {
    return [];
  }
}

function argSecrets(args: readonly string[]): string[] {
  return args.flatMap((arg, i) => {
    const eq = arg.indexOf('=');
    if (eq > 0 && SECRET_OPTION.test(arg.slice(0, eq))) return [arg.slice(eq + 1)];
    const next = args[i + 1];
    return SECRET_OPTION.test(arg) && next !== undefined && !next.startsWith('-') ? [next] : [];
  });
}

/** The server's secret values (each at least {@link MIN_SECRET} characters), longest first. */
export function serverSecrets(config: McpServerConfig): string[] {
  const values =
    config.transport === 'stdio'
      ? [...Object.values(config.env), ...argSecrets(config.args)]
      : [
          ...Object.values(config.headers).flatMap((v) => [v, v.replace(/^\s*(?:Bearer|Basic|Token)\s+/i, '')]),
          ...urlSecrets(config.url),
        ];
  const kept = values.map((v) => v.trim()).filter((v) => v.length >= MIN_SECRET);
  return [...new Set(kept)].sort((a, b) => b.length - a.length);
}

/**
 * Text from or about one server (a tool result, an error it threw, its stderr, a log line) with
 * its own secret values and every known key redacted: the one redaction of a server's text. Its
 * values are replaced verbatim first (the shared matcher skips values under 8 characters).
 */
export function serverText(text: string, config: McpServerConfig, known: readonly string[] = []): string {
  const own = serverSecrets(config);
  let out = text;
  for (const secret of own) out = out.split(secret).join(REDACTED);
  return redactSecrets(out, [...known, ...own]);
}

/** One line of a server's log channel: one line, its own secrets and every known key shape redacted. */
export function serverLogLine(line: string, config: McpServerConfig, known: readonly string[] = []): string {
  return logLine(serverText(line, config, known));
}
