/**
 * What a failure means for routing (routing.md §3): what it cools (key, model+provider) and where
 * to go next. Pure: the executor applies the verdict.
 */
import type { Failure } from '../openrouter/failures';
import { isFreeModel, type ModelInfo } from '../openrouter/catalogue';

/** Where the executor goes after a failure. */
export type NextStep =
  /** Another candidate (model) in plan order, after cooling this one. */
  | 'nextCandidate'
  /** Same candidates on the next healthy key; stop when there is none. */
  | 'nextKey'
  /** Only candidates with a larger context than the one that failed. */
  | 'largerContext'
  /** Give up and explain. */
  | 'stop';

/** The routing meaning of one failure. */
export interface FailureVerdict {
  readonly next: NextStep;
  /** Cool the (model, provider) that failed. */
  readonly coolTarget: boolean;
  /** May a paid model be tried next? False after 402: never silently spend on another paid model. */
  readonly paidAllowed: boolean;
  /** Server-requested wait, ms. */
  readonly retryAfterMs?: number;
  /** Why, for the log and the chat. */
  readonly reason: string;
}

/** Options that change a verdict. */
export interface ClassifyOptions {
  /** May another model be tried after a moderation refusal? */
  readonly allowModerationFallback?: boolean;
}

/** Classifies a failure into cooling and next step. */
export function classifyFailure(failure: Failure, options: ClassifyOptions = {}): FailureVerdict {
  const wait = failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {};
  const v = (next: NextStep, coolTarget: boolean, reason: string, paidAllowed = true): FailureVerdict => ({
    next,
    coolTarget,
    paidAllowed,
    reason,
    ...wait,
  });
  switch (failure.kind) {
    case 'rateLimit':
    case 'timeout':
    case 'server':
    case 'network':
      return v('nextCandidate', true, `${failure.kind}: cool this model/provider and move on`);
    case 'streamBroken':
      return v(
        'nextCandidate',
        true,
        failure.midStream ? 'the stream broke mid-answer: continue on the next candidate' : 'the stream broke: move on',
      );
    case 'auth':
      return v('nextKey', false, 'the key was rejected: try the next key, not another model');
    case 'credits':
      return v('nextKey', false, 'out of credits on this key: next key or stop; no other paid model', false);
    case 'contextLength':
      return v('largerContext', false, 'too long: only models with a larger context');
    case 'noEndpoints':
      return v('stop', false, 'no provider matches the constraints: relax provider settings or pick another model');
    case 'moderation':
      return options.allowModerationFallback
        ? v('nextCandidate', false, 'moderation refusal: trying another model as allowed')
        : v('stop', false, 'moderation refusal: another model is not allowed by the settings');
    case 'aborted':
      return v('stop', false, 'stopped by the user');
    case 'forbidden':
    case 'badRequest':
    case 'config':
    case 'refused':
      return v('stop', false, `${failure.kind}: another attempt would fail the same way`);
  }
}

/**
 * Filters the candidate models left after a failure on `failedModel`: `largerContext` keeps only
 * larger contexts; `paidAllowed: false` keeps only free models; `stop`/`nextKey` keep the list as is
 * (the executor decides with keys).
 */
export function remainingModels(
  verdict: FailureVerdict,
  failedModel: string,
  candidates: readonly string[],
  models: ReadonlyMap<string, ModelInfo>,
): string[] {
  const after = candidates.filter((m) => m !== failedModel);
  if (verdict.next === 'stop') return [];
  let out = verdict.next === 'nextKey' ? [...candidates] : after;
  if (verdict.next === 'largerContext') {
    const limit = models.get(failedModel)?.contextLength ?? 0;
    out = out.filter((m) => (models.get(m)?.contextLength ?? 0) > limit);
  }
  if (!verdict.paidAllowed) out = out.filter((m) => isFreeModel(m, models.get(m)));
  return out;
}
