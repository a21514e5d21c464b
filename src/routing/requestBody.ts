/**
 * The `POST /chat/completions` body of one attempt: the chat's draft (messages, limits, session)
 * with the attempt's routing fields (`model`, `models`, `provider`). One function, so what
 * "Explain Route" shows is what is sent.
 */
import type { ChatRequestBody } from '../openrouter/wire';
import type { AttemptBody } from './types';

/**
 * `draft` with `attempt`'s model (and its fallback `models` and `provider` object when set);
 * `messages` replaces the draft's (a continuation of a cut-off answer).
 */
export function attemptRequestBody<M>(
  draft: ChatRequestBody<M>,
  attempt: AttemptBody,
  messages: readonly M[] = draft.messages,
): ChatRequestBody<M> {
  return {
    ...draft,
    model: attempt.model,
    ...(attempt.models ? { models: attempt.models } : {}),
    ...(attempt.provider ? { provider: attempt.provider } : {}),
    messages,
  };
}
