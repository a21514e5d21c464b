/**
 * A message of a stored chat or task (Past Chats, the task on screen before a reload) as read back:
 * whatever an older version, a crash mid-write or a hand edit left there, it comes back as one
 * every reader takes — the view, the Markdown export, the list — or not at all. A message needs
 * its id, role and text; a bad status reads as `stopped`, a bad time as 0; an optional field of
 * the wrong type (a list that is not a list, a card without its title, a failure without its
 * message, a meta without its model) is left out, and each list keeps only its sound items.
 * Fields it does not know stay as they are. A sound message comes back equal. Pure.
 */

type Raw = Readonly<Record<string, unknown>>;
/** A field's value made sound, or undefined to leave it out. */
type Fix = (v: unknown) => unknown;

const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Fix = (v) => (typeof v === 'string' ? v : undefined);
const num: Fix = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool: Fix = (v) => (typeof v === 'boolean' ? v : undefined);
const oneOf =
  (...values: readonly unknown[]): Fix =>
  (v) =>
    values.includes(v) ? v : undefined;
const list =
  (item: Fix): Fix =>
  (v) =>
    Array.isArray(v) ? v.map(item).filter((x) => x !== undefined) : undefined;

/** An object with its `required` fields sound (else undefined) and its unsound `optional` ones left out. */
const shape =
  (required: Readonly<Record<string, Fix>>, optional: Readonly<Record<string, Fix>> = {}): Fix =>
  (v) => {
    if (!isRaw(v)) return undefined;
    const out: Record<string, unknown> = { ...v };
    for (const [key, fix] of Object.entries(required)) {
      const fixed = fix(v[key]);
      if (fixed === undefined) return undefined;
      out[key] = fixed;
    }
    for (const [key, fix] of Object.entries(optional)) {
      if (!(key in v)) continue;
      const fixed = fix(v[key]);
      if (fixed === undefined) delete out[key];
      else out[key] = fixed;
    }
    return out;
  };

const ACTION = shape({ label: str, command: str });
const FAILURE = shape({ kind: str, title: str, message: str }, { action: ACTION, moreActions: list(ACTION) });
const META = shape(
  { requestedModel: str },
  {
    fallbacks: list(str),
    model: str,
    provider: str,
    promptTokens: num,
    completionTokens: num,
    cost: num,
    costEstimatedUsd: num,
    costSplit: shape({ fee: num, upstream: num }),
    generationId: str,
    ttftMs: num,
    reasoningTokens: num,
    cache: shape({ readTokens: num, writeTokens: num }, { savedUsd: num }),
    route: str,
    cutOff: str,
  },
);
const TOOL_IMAGE = shape({ name: str, file: str, src: str, mime: str, bytes: num });
const SUBAGENT_STEP = shape({ model: str, route: str, tools: list(str) }, { costUsd: num });
const CARD = shape(
  { id: str, tool: str, title: str, state: oneOf('waiting', 'running', 'done', 'rejected', 'failed') },
  {
    reason: str,
    canAlwaysAllow: bool,
    server: str,
    diff: str,
    result: str,
    summary: str,
    killable: bool,
    sandbox: str,
    canAllowNetwork: bool,
    images: list(TOOL_IMAGE),
    subagent: shape({ steps: list(SUBAGENT_STEP), spentUsd: num }),
  },
);
const MESSAGE = shape(
  {
    id: str,
    role: oneOf('user', 'assistant'),
    text: str,
    status: (v) => (['streaming', 'done', 'stopped', 'error'].includes(v as string) ? v : 'stopped'),
    createdAt: (v) => num(v) ?? 0,
  },
  {
    attachments: list(shape({ id: str, kind: str, label: str })),
    images: list(shape({ name: str })),
    meta: META,
    error: FAILURE,
    notices: list(str),
    applyTarget: str,
    tools: list(CARD),
    checkpoint: oneOf('available', 'restored'),
    summary: str,
    codeUse: shape({ kind: oneOf('createFile', 'commitMessage') }),
    sources: list(shape({ url: str, title: str })),
    webSearch: bool,
    waiting: shape({ untilMs: num, model: str, reason: str }),
    reasoning: shape({ text: str }, { durationMs: num }),
    plan: oneOf('ready', 'acted'),
  },
);

/** One stored message made sound (see the module comment), or undefined when it has no id, role or text. */
export function storedView<T>(value: unknown): T | undefined {
  return MESSAGE(value) as T | undefined;
}
