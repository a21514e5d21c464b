/**
 * What a connection gives back from its server — a tool's result, a resource's contents, a prompt's
 * text, and the error a call rejects with — passed through one redaction before anything reads it:
 * the manager gives {@link redactedReplies} the server's own {@link serverText}, so the tokens the
 * user configured for that server (its `env`, its headers) reach neither the model, the cards, the
 * transcript nor the composer, whichever way the server echoes them. Pure.
 */
import type { McpCallResult } from './results';
import type { ResourceContent } from './resources';

/** The parts of a connection whose content comes from the server. */
export interface ServerReplies {
  readonly tools: readonly unknown[];
  readonly resources: readonly unknown[];
  readonly prompts: readonly unknown[];
  call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult>;
  readResource(uri: string): Promise<ResourceContent[]>;
  getPrompt(name: string, args: Record<string, string>): Promise<string>;
}

/** Keys whose string is base64 bytes (an image's `data`, a resource's `blob`), not text: left as they are. */
const BINARY_KEYS: ReadonlySet<string> = new Set(['data', 'blob']);
/** In a listing, also the names a later call must send back as they are (a tool's, a prompt's, a resource's URI). */
const LISTING_KEYS: ReadonlySet<string> = new Set([...BINARY_KEYS, 'name', 'uri']);
const MAX_DEPTH = 32;

/** Every string of a JSON-like value redacted (those under `kept` keys left); deeper than {@link MAX_DEPTH}, dropped. */
export function redactStrings(
  value: unknown,
  redact: (text: string) => string,
  kept: ReadonlySet<string> = BINARY_KEYS,
  depth = 0,
): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, redact, kept, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[kept.has(key) ? key : redact(key)] =
      kept.has(key) && typeof v === 'string' ? v : redactStrings(v, redact, kept, depth + 1);
  return out;
}

/** A server's tools, resources or prompts as listed, their descriptions and titles redacted (names and URIs kept). */
export function redactedListing<T>(listing: readonly T[], redact: (text: string) => string): T[] {
  return redactStrings(listing, redact, LISTING_KEYS) as T[];
}

/** The connection with its listings, every answer and every rejection of its server redacted by `redact`. */
export function redactedReplies<T extends ServerReplies>(connection: T, redact: (text: string) => string): T {
  const guard = async <R>(reply: () => Promise<R>): Promise<R> => {
    try {
      return redactStrings(await reply(), redact) as R;
    } catch (error) {
      const message = redact(error instanceof Error ? error.message : String(error));
      throw Object.assign(new Error(message), { name: error instanceof Error ? error.name : 'Error' });
    }
  };
  return {
    ...connection,
    tools: redactedListing(connection.tools, redact),
    resources: redactedListing(connection.resources, redact),
    prompts: redactedListing(connection.prompts, redact),
    call: (tool, args, signal) => guard(() => connection.call(tool, args, signal)),
    readResource: (uri) => guard(() => connection.readResource(uri)),
    getPrompt: (name, args) => guard(() => connection.getPrompt(name, args)),
  };
}
