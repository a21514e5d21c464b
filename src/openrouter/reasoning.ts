/**
 * A model's reasoning ("thinking") on the OpenRouter wire, as pure functions: what of a streamed
 * delta is shown as thinking, how streamed `reasoning_details` merge so they can be replayed
 * verbatim, which effort choices a model offers, and the request's `reasoning` object for a choice.
 * Sources: `shared/openrouter-openapi.yaml` (`ChatRequest.reasoning`, `ModelReasoning`,
 * `ReasoningDetailUnion`) and OpenRouter's reasoning-tokens guide.
 */
import {
  REASONING_CHOICES,
  REASONING_EFFORTS,
  type ReasoningChoice,
  type ReasoningEffort,
} from '../protocol/reasoning';
import { modelVendor } from './vendor';

export { REASONING_CHOICES, REASONING_EFFORTS, type ReasoningChoice, type ReasoningEffort };

/** The levels offered when the catalogue has no `supported_efforts` list for a model. */
export const FALLBACK_EFFORTS: readonly ReasoningEffort[] = ['high', 'medium', 'low'];

/** The catalogue's `reasoning` block of a model (`ModelReasoning`), as Switchyard keeps it. */
export interface ModelReasoningInfo {
  /** Reasoning cannot be turned off (`effort: "none"` is rejected). */
  readonly mandatory: boolean;
  /** The model's own levels, highest first; absent when the catalogue gives no allow-list. */
  readonly supportedEfforts?: readonly ReasoningEffort[];
  readonly defaultEffort?: ReasoningEffort;
  /** The model takes a token budget (`reasoning.max_tokens`, Anthropic-style). */
  readonly supportsMaxTokens?: boolean;
}

/** What of a catalogue model (`ModelInfo` in catalogue.ts) the reasoning rules read. */
export interface ReasoningModel {
  /** `supported_parameters` has `reasoning` or `include_reasoning`. */
  readonly supportsReasoning: boolean;
  readonly reasoning?: ModelReasoningInfo;
}

/** The `reasoning` object of a chat request (`ChatRequest.reasoning`; `max_tokens` per the reasoning guide). */
export interface WireReasoning {
  readonly effort?: ReasoningEffort | 'none';
  readonly max_tokens?: number;
}

/** One `reasoning_details` entry; kept exactly as received (unknown fields included). */
export type ReasoningDetail = Readonly<Record<string, unknown>>;

/**
 * The choices a model offers in the header and the picker, in order: `default`, `off` (unless
 * reasoning is mandatory), then its levels (the catalogue's `supported_efforts`, else
 * {@link FALLBACK_EFFORTS}). Empty for a model that does not accept `reasoning`.
 */
export function reasoningChoices(model: ReasoningModel | undefined): ReasoningChoice[] {
  if (!model?.supportsReasoning) return [];
  const levels = model.reasoning?.supportedEfforts?.length ? model.reasoning.supportedEfforts : FALLBACK_EFFORTS;
  return ['default', ...(model.reasoning?.mandatory ? [] : (['off'] as const)), ...levels];
}

/**
 * Share of the answer's `max_tokens` given to thinking when a level is sent as a budget, per
 * OpenRouter's reasoning guide (high ≈ 80 %, medium ≈ 50 %, low ≈ 20 %).
 */
const BUDGET_SHARE: Readonly<Record<ReasoningEffort, number>> = {
  max: 0.95,
  xhigh: 0.9,
  high: 0.8,
  medium: 0.5,
  low: 0.2,
  minimal: 0.1,
};
/** Anthropic's smallest thinking budget (tokens). */
const MIN_BUDGET = 1024;

/**
 * The request's `reasoning` for a choice, or undefined to send none: `default` (or a choice the
 * model does not offer) sends nothing; `off` sends `effort: "none"`; a level is sent as `effort`,
 * except for a model that takes a budget and lists no levels of its own, which gets
 * `max_tokens` = its share of `maxOutputTokens` (at least 1024, and always below `maxOutputTokens`:
 * with an output limit of 1024 or less nothing is sent).
 */
export function reasoningParam(
  model: ReasoningModel | undefined,
  choice: ReasoningChoice | undefined,
  maxOutputTokens: number,
): WireReasoning | undefined {
  if (!choice || choice === 'default' || !reasoningChoices(model).includes(choice)) return undefined;
  if (choice === 'off') return { effort: 'none' };
  if (model?.reasoning?.supportsMaxTokens && !model.reasoning.supportedEfforts?.length) {
    // The budget must stay below the answer's limit (Anthropic refuses budget_tokens ≥ max_tokens):
    // a limit of 1024 or less leaves no room for the smallest budget, so thinking is the model's default.
    if (maxOutputTokens <= MIN_BUDGET) return undefined;
    return { max_tokens: Math.max(MIN_BUDGET, Math.floor(maxOutputTokens * BUDGET_SHARE[choice])) };
  }
  return { effort: choice };
}

/** True for a known {@link ReasoningChoice} string. */
export function isReasoningChoice(value: unknown): value is ReasoningChoice {
  return typeof value === 'string' && (REASONING_CHOICES as readonly string[]).includes(value);
}

/** A streamed `delta`'s reasoning fields (any may be missing or null). */
export interface ReasoningDelta {
  readonly reasoning?: string | null;
  readonly reasoning_details?: readonly unknown[] | null;
}

/**
 * The thinking text a delta adds, for display. OpenRouter sends the same text in `reasoning` and in
 * `reasoning_details`, so `reasoning` wins when it is a non-empty string; otherwise the `text` of
 * `reasoning.text` entries and the `summary` of `reasoning.summary` entries, in order.
 * `reasoning.encrypted` (and unknown types) show nothing. Never throws on odd shapes.
 */
export function reasoningTextOf(delta: ReasoningDelta | null | undefined): string {
  if (!delta) return '';
  if (typeof delta.reasoning === 'string' && delta.reasoning) return delta.reasoning;
  let text = '';
  for (const entry of Array.isArray(delta.reasoning_details) ? delta.reasoning_details : []) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as { type?: unknown; text?: unknown; summary?: unknown };
    if (e.type === 'reasoning.text' && typeof e.text === 'string') text += e.text;
    else if (e.type === 'reasoning.summary' && typeof e.summary === 'string') text += e.summary;
  }
  return text;
}

/**
 * Merges streamed `reasoning_details` pieces: entries with the same `index` (and type) are one
 * detail whose `text` / `summary` / `data` arrive in pieces; other fields (`signature`, `id`,
 * `format`) are kept from whichever piece carries them. Entries without an index are kept as is.
 */
export class ReasoningAssembler {
  private readonly details: Record<string, unknown>[] = [];
  private readonly byIndex = new Map<string, Record<string, unknown>>();

  push(pieces: readonly unknown[] | null | undefined): void {
    for (const piece of pieces ?? []) {
      if (typeof piece !== 'object' || piece === null) continue;
      const p = piece as Record<string, unknown>;
      const key = typeof p.index === 'number' ? `${String(p.type)}#${p.index}` : undefined;
      const known = key ? this.byIndex.get(key) : undefined;
      if (!known) {
        const copy = { ...p };
        this.details.push(copy);
        if (key) this.byIndex.set(key, copy);
        continue;
      }
      for (const [field, value] of Object.entries(p)) {
        if (
          (field === 'text' || field === 'summary' || field === 'data') &&
          typeof value === 'string' &&
          typeof known[field] === 'string'
        )
          known[field] = (known[field] as string) + value;
        else if (value !== null && value !== undefined) known[field] = value;
      }
    }
  }

  get size(): number {
    return this.details.length;
  }

  finish(): ReasoningDetail[] {
    return this.details.map((d) => ({ ...d }));
  }
}

/** The `format` of the `reasoning_details` each vendor signs or encrypts (OpenRouter's reasoning guide). */
const SIGNED_FORMATS: ReadonlyMap<string, string> = new Map([
  ['anthropic', 'anthropic-claude-v1'],
  ['openai', 'openai-responses-v1'],
  ['google', 'google-gemini-v1'],
  ['x-ai', 'xai-responses-v1'],
]);
const KNOWN_FORMATS = new Set(SIGNED_FORMATS.values());

/**
 * The details of an earlier answer that `model` may be sent: a detail in one vendor's signed or
 * encrypted format (Anthropic's signatures, OpenAI's and xAI's encrypted items, Gemini's thought
 * signatures) goes only to a model of that vendor — another rejects the request or ignores it —
 * so after a fallback to another vendor it is left out. Details without a known format are kept.
 */
export function detailsFor(model: string, details: readonly ReasoningDetail[]): ReasoningDetail[] {
  const own = SIGNED_FORMATS.get(modelVendor(model));
  return details.filter((d) => typeof d.format !== 'string' || !KNOWN_FORMATS.has(d.format) || d.format === own);
}
