/**
 * The wire form of a tool-using transcript, as each attempt replays it to its model. The
 * transcript keeps what the models sent; the replay makes it acceptable to the model it goes to:
 *
 * - **ids per target model's rules**: a provider with stricter id rules answers 400 to ids another
 *   model issued (Mistral: exactly 9 letters and digits; Anthropic: `[a-zA-Z0-9_-]`, at most 64;
 *   others: `[a-zA-Z0-9_-]`, at most 40; for OpenRouter's `models` list, the strictest of its
 *   models'). An id that breaks the rule is replaced by one derived from it, the same for the call
 *   and its result (results in order when one turn named two calls alike); `originals` maps each back.
 * - **unique ids**: a model that restarts its ids every response (`call_0` in every turn) would
 *   replay duplicates; a repeated id gets a new one (call and results alike).
 * - **valid arguments**: empty, whitespace, non-JSON or non-object `arguments` are replayed as `{}` (the
 *   tool result already told the model what was wrong).
 * - **every call answered, every result answering** (toolPairs.ts): a missing result is stated,
 *   an orphan result is kept as text;
 * - **no empty assistant turns**: an assistant message with no text and no calls (a
 *   `finish_reason: "tool_calls"` without calls) is left out; an empty `tool_calls` list is dropped.
 *
 * Messages without tool calls (chat) pass unchanged. Pure.
 */
import { modelVendor } from '../openrouter/vendor';
import type { WireToolCall } from '../openrouter/wire';
import { pairToolResults } from './toolPairs';

/** What ids a model accepts. */
export interface ToolIdRule {
  readonly pattern: RegExp;
  /** The length of ids made for this model. */
  readonly length: number;
  /** Prefix of made ids (none where the rule fixes the alphabet). */
  readonly prefix: string;
}

const MISTRAL: ToolIdRule = { pattern: /^[a-zA-Z0-9]{9}$/, length: 9, prefix: '' };
const ANTHROPIC: ToolIdRule = { pattern: /^[a-zA-Z0-9_-]{1,64}$/, length: 24, prefix: 'toolu_' };
const DEFAULT_RULE: ToolIdRule = { pattern: /^[a-zA-Z0-9_-]{1,40}$/, length: 24, prefix: 'call_' };

/** From the strictest rule to the most lenient: an id the first accepts, every later one accepts too. */
const STRICTEST_FIRST: readonly ToolIdRule[] = [MISTRAL, DEFAULT_RULE, ANTHROPIC];

/**
 * The id rule of the model an attempt goes to (by vendor prefix; `~anthropic/…` aliases too), or
 * of every model of OpenRouter's `models` list (it may fall back to any of them with the same
 * transcript): the strictest of theirs.
 */
export function toolIdRule(model: string | readonly string[]): ToolIdRule {
  const rules = (typeof model === 'string' ? [model] : model).map((m) => {
    const vendor = modelVendor(m);
    return vendor === 'mistralai' ? MISTRAL : vendor === 'anthropic' ? ANTHROPIC : DEFAULT_RULE;
  });
  return STRICTEST_FIRST.find((rule) => rules.includes(rule)) ?? DEFAULT_RULE;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A deterministic id of `length` letters and digits derived from `seed` (FNV-1a, re-mixed per character). */
function derivedId(seed: string, length: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    h = Math.imul(h ^ (h >>> 15) ^ i, 0x2c1b3c6d) >>> 0;
    out += ALPHABET[h % ALPHABET.length];
  }
  return out;
}

/** `original` if the rule accepts it and it is not taken; else a derived id that is neither. */
export function normaliseToolId(original: string, rule: ToolIdRule, taken: ReadonlySet<string>): string {
  if (rule.pattern.test(original) && !taken.has(original)) return original;
  for (let salt = 0; ; salt++) {
    const body = derivedId(`${original}#${salt}`, rule.length - rule.prefix.length);
    const id = `${rule.prefix}${body}`;
    if (rule.pattern.test(id) && !taken.has(id)) return id;
  }
}

/** Arguments as a provider accepts them: the JSON text when it is an object (Anthropic's `input` must be one), else `{}`. */
export function replayArguments(args: string): string {
  if (!args.trim()) return '{}';
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? args : '{}';
  } catch {
    return '{}';
  }
}

type ReplayMessage = {
  readonly role: string;
  readonly content?: unknown;
  readonly tool_calls?: readonly WireToolCall[];
  readonly tool_call_id?: string;
};

/** True for an assistant message that carries nothing to replay. */
function isEmptyAssistant(m: ReplayMessage): boolean {
  const text = typeof m.content === 'string' ? m.content.trim() : m.content;
  return m.role === 'assistant' && !text && !m.tool_calls?.length;
}

/**
 * The messages as `model` gets them (or every model of a `models` list; see the module comment),
 * and the map from each replayed id back to the id the transcript keeps.
 */
export function replayToolTurns<M>(
  messages: readonly M[],
  model: string | readonly string[],
): { messages: M[]; originals: Map<string, string> } {
  const rule = toolIdRule(model);
  const taken = new Set<string>();
  const originals = new Map<string, string>();
  // Per id of the last assistant turn, its replayed ids in order: a turn that named two calls
  // alike (a caller's transcript) gives each result the next one, so every call keeps one result.
  let current = new Map<string, string[]>();
  const out: M[] = [];
  for (const message of pairToolResults(messages)) {
    const m = message as ReplayMessage;
    if (isEmptyAssistant(m)) continue;
    if (m.role === 'assistant' && m.tool_calls) {
      current = new Map();
      const calls = m.tool_calls.map((call) => {
        const id = normaliseToolId(call.id, rule, taken);
        taken.add(id);
        current.set(call.id, [...(current.get(call.id) ?? []), id]);
        originals.set(id, call.id);
        return { ...call, id, function: { ...call.function, arguments: replayArguments(call.function.arguments) } };
      });
      const { tool_calls: _calls, ...rest } = m;
      out.push((calls.length ? { ...rest, tool_calls: calls } : rest) as M);
      continue;
    }
    if (m.role === 'tool' && typeof m.tool_call_id === 'string') {
      out.push({
        ...m,
        tool_call_id: nextReplayedId(current, m.tool_call_id) ?? normaliseToolId(m.tool_call_id, rule, new Set()),
      } as M);
      continue;
    }
    out.push(message);
  }
  return { messages: out, originals };
}

/** The replayed id of the next result for `original`: each of its calls in turn, the last one again after them. */
function nextReplayedId(current: Map<string, string[]>, original: string): string | undefined {
  const ids = current.get(original);
  if (!ids?.length) return undefined;
  return ids.length > 1 ? ids.shift() : ids[0];
}

/** Ids of freshly assembled calls made unique against the ids the transcript already holds (`call_0` again in a later turn). */
export function uniqueCallIds<C extends { readonly id: string }>(calls: readonly C[], used: ReadonlySet<string>): C[] {
  const taken = new Set(used);
  return calls.map((call) => {
    const id = taken.has(call.id) ? normaliseToolId(call.id, DEFAULT_RULE, taken) : call.id;
    taken.add(id);
    return id === call.id ? call : { ...call, id };
  });
}
