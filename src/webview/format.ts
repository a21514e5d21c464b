/**
 * Pure formatting of costs, token counts, durations and the answer's meta line. No DOM here, so
 * everything is unit-tested in node (test/unit/webview-format.test.ts).
 */
import type { AnswerMeta, AttachmentView, MessageStatus, ModelBadge } from '../protocol/messages';
import { formatCompact, formatDuration, formatUsd } from '../protocol/units';

export { formatCompact, formatDuration };

/** The router that picks a model per request: a different served model is its choice, not a fallback. */
export const AUTO_ROUTER_ID = 'openrouter/auto';

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** An answer's cost: `free` for 0, else {@link formatUsd}. */
export function formatCost(usd: number): string {
  return usd === 0 ? 'free' : formatUsd(usd);
}

/** An exact count with thousands separators: `12,345`. */
export function formatCount(n: number): string {
  return INTEGER.format(Math.round(n));
}

const KIND_NAMES: Readonly<Record<AttachmentView['kind'], string>> = {
  selection: 'Selection',
  file: 'File',
  problems: 'Problems',
  diff: 'Diff',
  terminal: 'Terminal',
  image: 'Image',
  resource: 'MCP resource',
};

/** The parts of a chip for an attachment. */
export interface ChipText {
  readonly label: string;
  /** `~1.2k tokens` */
  readonly tokens: string;
  /** `truncated from ~8k`, when the content was cut to fit. */
  readonly truncated?: string;
  /** Tooltip with the whole story. */
  readonly title: string;
}

export function chipText(view: AttachmentView): ChipText {
  const kind = KIND_NAMES[view.kind];
  // Problems, a diff or terminal output of a file would read like the file itself ("src/math.ts"):
  // their chips say what they are.
  const attachment =
    view.kind === 'problems' || view.kind === 'diff' || view.kind === 'terminal'
      ? { ...view, label: `${kind}: ${view.label}` }
      : view;
  if (attachment.dropped) {
    const tokens = `~${formatCompact(attachment.originalTokens)} tokens`;
    return {
      label: attachment.label,
      tokens,
      truncated: 'will not fit, not sent',
      title: `${kind} ${view.label} (${tokens}) does not fit the model's context window next to more relevant context, so it is not sent`,
    };
  }
  const tokens = `~${formatCompact(attachment.tokens)} tokens`;
  if (!attachment.truncated) return { label: attachment.label, tokens, title: `${kind} ${view.label} (${tokens})` };
  const truncated = `truncated from ~${formatCompact(attachment.originalTokens)}`;
  return {
    label: attachment.label,
    tokens,
    truncated,
    title: `${kind} ${view.label}: ${tokens}, ${truncated} to fit the model's context window`,
  };
}

/**
 * A chip label in three parts, so a narrow side bar can hide the folders and keep the name:
 * `Problems: src/lib/math.ts:3-9` → `Problems: ` + `src/lib/` + `math.ts:3-9`. A label without a
 * `/` has no folders. The parts joined give the label back.
 */
export function chipLabelParts(label: string): {
  readonly prefix: string;
  readonly folders: string;
  readonly name: string;
} {
  const prefix = /^(Problems|Diff|Terminal): /.exec(label)?.[0] ?? '';
  const rest = label.slice(prefix.length);
  const slash = rest.lastIndexOf('/');
  return { prefix, folders: rest.slice(0, slash + 1), name: rest.slice(slash + 1) };
}

/** The tooltip of the model badge: id, context length and fallbacks. */
export function modelTooltip(model: ModelBadge): string {
  const lines = [model.id];
  if (model.contextLength !== undefined) lines.push(`Context: ${formatCount(model.contextLength)} tokens`);
  lines.push(model.fallbacks.length > 0 ? `Fallbacks: ${model.fallbacks.join(', ')}` : 'Fallbacks: none');
  lines.push('Click to pick another model');
  return lines.join('\n');
}

/** One piece of the meta line under an answer. */
export interface MetaSegment {
  readonly kind:
    'status' | 'model' | 'fallback' | 'routed' | 'provider' | 'tokens' | 'reasoning' | 'cache' | 'cost' | 'ttft';
  readonly text: string;
  readonly title?: string;
}

/**
 * True when one of the fallback models sent with the request served the answer. Answers stored
 * before `fallbacks` was recorded: any other served model than the one asked for (the auto router
 * excepted).
 */
export function isFallback(meta: AnswerMeta): boolean {
  if (meta.model === undefined || meta.model === meta.requestedModel) return false;
  if (meta.fallbacks) return meta.fallbacks.includes(meta.model);
  return meta.requestedModel !== AUTO_ROUTER_ID;
}

/** The meta line's first part for an answer that finished incomplete (`finish_reason`). */
const CUT_OFF_SEGMENT: Readonly<Record<NonNullable<AnswerMeta['cutOff']>, MetaSegment>> = {
  length: {
    kind: 'status',
    text: 'Cut off at the output limit',
    title:
      'The model reached its output limit (max_tokens) before it finished, so this answer is incomplete. Ask it to continue, or raise switchyard.maxOutputTokens.',
  },
  content_filter: {
    kind: 'status',
    text: 'Stopped by a content filter',
    title: "The provider's content filter ended this answer before it finished (finish_reason: content_filter).",
  },
};

/**
 * The meta line of a finished answer: `Stopped`, served model (with its fallback badge), provider,
 * tokens, cost, time to first token. Parts the host did not report are left out.
 */
export function metaSegments(meta: AnswerMeta | undefined, status: MessageStatus): MetaSegment[] {
  const segments: MetaSegment[] = [];
  if (status === 'stopped') segments.push({ kind: 'status', text: 'Stopped' });
  if (!meta) return segments;
  if (meta.cutOff) segments.push(CUT_OFF_SEGMENT[meta.cutOff]);
  const served = meta.model ?? meta.requestedModel;
  if (served) {
    segments.push({
      kind: 'model',
      text: served,
      ...(meta.generationId ? { title: `Generation ${meta.generationId}` } : {}),
    });
  }
  if (isFallback(meta)) {
    segments.push({
      kind: 'fallback',
      text: `fallback from ${meta.requestedModel}`,
      title: `${meta.requestedModel} could not answer; ${served} served this answer instead`,
    });
  } else if (meta.model !== undefined && meta.model !== meta.requestedModel) {
    segments.push({
      kind: 'routed',
      text: `via ${meta.requestedModel}`,
      title: `${meta.requestedModel} chose ${served}`,
    });
  }
  if (meta.provider) segments.push({ kind: 'provider', text: meta.provider, title: 'Provider' });
  const tokens = tokenText(meta.promptTokens, meta.completionTokens);
  if (tokens) segments.push({ kind: 'tokens', text: tokens, title: 'Prompt tokens in / completion tokens out' });
  if (meta.reasoningTokens)
    segments.push({
      kind: 'reasoning',
      text: `${formatCount(meta.reasoningTokens)} reasoning`,
      title: 'Completion tokens spent thinking (completion_tokens_details.reasoning_tokens)',
    });
  const cache = cacheSegment(meta.cache);
  if (cache) segments.push(cache);
  if (meta.cost !== undefined) {
    const cost = formatCost(meta.cost);
    const split = meta.costSplit
      ? ` (BYOK: OpenRouter fee ${meta.costSplit.fee} + provider ${meta.costSplit.upstream})`
      : '';
    const estimate = meta.costEstimatedUsd
      ? `; ${meta.costEstimatedUsd} USD of it is a worst-case estimate (an attempt whose cost OpenRouter did not report)`
      : '';
    if (cost)
      segments.push({
        kind: 'cost',
        text: meta.costEstimatedUsd ? `${cost} (est.)` : cost,
        title: `Cost: ${meta.cost} USD${split}${estimate}`,
      });
  }
  if (meta.ttftMs !== undefined) {
    const ttft = formatDuration(meta.ttftMs);
    if (ttft)
      segments.push({ kind: 'ttft', text: `${ttft} to first token`, title: 'Time from sending to the first token' });
  }
  return segments;
}

function tokenText(prompt: number | undefined, completion: number | undefined): string {
  if (prompt !== undefined && completion !== undefined)
    return `${formatCount(prompt)} in / ${formatCount(completion)} out`;
  if (prompt !== undefined) return `${formatCount(prompt)} in`;
  if (completion !== undefined) return `${formatCount(completion)} out`;
  return '';
}

/**
 * The prompt-cache part of the meta line: `1.6k cached` (and `, 1.6k written`, `, saved $0.0031`),
 * titled with the exact counts and what caching saved; undefined when the answer used no cache.
 */
export function cacheSegment(cache: AnswerMeta['cache']): MetaSegment | undefined {
  if (!cache || (cache.readTokens <= 0 && cache.writeTokens <= 0)) return undefined;
  const parts: string[] = [];
  if (cache.readTokens > 0) parts.push(`${formatCompact(cache.readTokens)} cached`);
  if (cache.writeTokens > 0) parts.push(`${formatCompact(cache.writeTokens)} written`);
  if (cache.savedUsd !== undefined && cache.savedUsd > 0) parts.push(`saved ${formatUsd(cache.savedUsd)}`);
  const saved =
    cache.savedUsd === undefined
      ? ''
      : cache.savedUsd >= 0
        ? `; caching saved ${formatUsd(cache.savedUsd)}`
        : `; writing the cache cost ${formatUsd(-cache.savedUsd)} more (later turns read it cheaper)`;
  return {
    kind: 'cache',
    text: parts.join(', '),
    title: `Prompt cache: ${formatCount(cache.readTokens)} tokens read, ${formatCount(cache.writeTokens)} written${saved}`,
  };
}

/**
 * The one line of an answer's collapsed "Thinking" section: `Thinking…` while it streams, then
 * `Thought for 3.2 s · 1,234 tokens` (the parts known), or `Thought` when neither is.
 */
export function thinkingSummary(
  streaming: boolean,
  durationMs: number | undefined,
  reasoningTokens: number | undefined,
): string {
  if (streaming && durationMs === undefined) return 'Thinking…';
  const duration = durationMs !== undefined ? formatDuration(durationMs) : '';
  const parts = [
    duration ? `Thought for ${duration}` : 'Thought',
    ...(reasoningTokens ? [`${formatCount(reasoningTokens)} tokens`] : []),
  ];
  return parts.join(' · ');
}
