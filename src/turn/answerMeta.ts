/**
 * The meta line under an answer or an agent step — who served it, tokens, prompt cache, cost
 * (with the BYOK split), timing — assembled in one place from what the turn layer found out, and
 * the cost found out later added to it. Chat answers (src/chat/answerRun.ts) and agent steps
 * (src/agent/stepCard.ts) both show it.
 */
import { finishMeaning } from '../openrouter/finishReason';
import type { AnswerMeta, CutOff } from '../protocol/messages';

/** What a served request said about itself (the fields of `ChatResult` the meta line shows). */
export interface ServedFacts {
  readonly model?: string;
  readonly provider?: string;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly reasoningTokens?: number;
  readonly cost?: number;
  readonly costSplit?: AnswerMeta['costSplit'];
  readonly generationId?: string;
  readonly ttftMs?: number;
  readonly cachedTokens?: number;
  readonly cacheWriteTokens?: number;
  /** The stream's `finish_reason`. */
  readonly finishReason?: string;
}

/**
 * Why an answer that finished is still incomplete, by its `finish_reason` (or a provider's own
 * word for it, which some pass through: `max_tokens`, `MAX_TOKENS`, `SAFETY`…; see
 * {@link finishMeaning}): `length` when it reached the output limit, `content_filter` when a
 * filter stopped it; undefined when it ended by itself.
 */
export function cutOffOf(finishReason: string | undefined): CutOff | undefined {
  const meaning = finishMeaning(finishReason);
  return meaning === 'length' || meaning === 'content_filter' ? meaning : undefined;
}

/** Who served a request and its token counts (cache included), each only when known: what an agent step keeps of a result. */
export function servedBy(
  r: ServedFacts,
): Pick<
  ServedFacts,
  | 'model'
  | 'provider'
  | 'promptTokens'
  | 'completionTokens'
  | 'reasoningTokens'
  | 'cachedTokens'
  | 'cacheWriteTokens'
  | 'finishReason'
> {
  return {
    ...(r.model ? { model: r.model } : {}),
    ...(r.provider ? { provider: r.provider } : {}),
    ...(r.promptTokens !== undefined ? { promptTokens: r.promptTokens } : {}),
    ...(r.completionTokens !== undefined ? { completionTokens: r.completionTokens } : {}),
    ...(r.reasoningTokens !== undefined ? { reasoningTokens: r.reasoningTokens } : {}),
    ...(r.cachedTokens !== undefined ? { cachedTokens: r.cachedTokens } : {}),
    ...(r.cacheWriteTokens !== undefined ? { cacheWriteTokens: r.cacheWriteTokens } : {}),
    ...(r.finishReason ? { finishReason: r.finishReason } : {}),
  };
}

/** How the request was asked for: the model asked for, the fallbacks tried, what caching saved (USD). */
export interface AskedFor {
  readonly requestedModel: string;
  readonly fallbacks?: readonly string[];
  readonly cacheSavedUsd?: number;
}

/** The meta line of a served request; only what is known is set. */
export function answerMeta(served: ServedFacts, asked: AskedFor): AnswerMeta {
  const cutOff = cutOffOf(served.finishReason);
  return {
    requestedModel: asked.requestedModel,
    ...(asked.fallbacks?.length ? { fallbacks: [...asked.fallbacks] } : {}),
    ...(served.model ? { model: served.model } : {}),
    ...(served.provider ? { provider: served.provider } : {}),
    ...(served.promptTokens !== undefined ? { promptTokens: served.promptTokens } : {}),
    ...(served.completionTokens !== undefined ? { completionTokens: served.completionTokens } : {}),
    ...(served.reasoningTokens !== undefined ? { reasoningTokens: served.reasoningTokens } : {}),
    ...(served.cost !== undefined ? { cost: served.cost } : {}),
    ...(served.costSplit ? { costSplit: served.costSplit } : {}),
    ...(served.generationId ? { generationId: served.generationId } : {}),
    ...(served.ttftMs !== undefined ? { ttftMs: served.ttftMs } : {}),
    ...cacheMeta(served.cachedTokens ?? 0, served.cacheWriteTokens ?? 0, asked.cacheSavedUsd),
    ...(cutOff ? { cutOff } : {}),
  };
}

/** The prompt-cache part: tokens read and written, and what caching saved; nothing when the cache was not used. */
function cacheMeta(readTokens: number, writeTokens: number, savedUsd: number | undefined): Pick<AnswerMeta, 'cache'> {
  if (readTokens === 0 && writeTokens === 0) return {};
  return { cache: { readTokens, writeTokens, ...(savedUsd !== undefined ? { savedUsd } : {}) } };
}

/** The meta line with cost found out later (looked up, or a worst case marked as an estimate) added. */
export function withLaterCost(meta: AnswerMeta | undefined, usd: number, estimatedUsd: number): AnswerMeta {
  return {
    ...(meta ?? { requestedModel: '' }),
    cost: (meta?.cost ?? 0) + usd,
    ...(estimatedUsd > 0 ? { costEstimatedUsd: (meta?.costEstimatedUsd ?? 0) + estimatedUsd } : {}),
  };
}
