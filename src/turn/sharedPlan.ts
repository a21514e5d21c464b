/**
 * A plan whose OpenRouter `models` lists hold only models that take the same request: the turn
 * sends it, and Explain Route shows it, so both say which models OpenRouter fails over between and
 * which Switchyard does itself (./attemptBody.ts `sharedModels`). Pure.
 */
import type { Attempt, Plan } from '../routing/types';
import {
  attemptBody,
  sharedModels,
  withModels,
  type BodyContext,
  type TurnDraft,
  type TurnMessage,
} from './attemptBody';

/** Plain words for the body fields that can differ between models. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  reasoning: 'its reasoning setting',
  messages: 'its messages (prompt-cache breakpoints, images or replayed reasoning)',
};

/**
 * `plan` with each `models` list cut to the leading models whose request is its first model's;
 * the attempt's worst case is then the highest of the models kept (each one's own attempt says
 * it), and a note says which model was left to its own attempt and why.
 */
export function shapedPlan<M extends TurnMessage>(plan: Plan, draft: TurnDraft<M>, env: BodyContext): Plan {
  const notes: string[] = [];
  let changed = false;
  const attempts = plan.attempts.map((attempt): Attempt => {
    const listed = attempt.body.models;
    if (!listed) return attempt;
    const shared = sharedModels(draft, attempt.body, env);
    if (shared.models.length === listed.length) return attempt;
    changed = true;
    if (shared.left) {
      const why = shared.left.fields.map((f) => FIELD_WORDS[f] ?? f).join(' and ');
      notes.push(
        `${shared.left.model} is not in OpenRouter's fallback list with ${attempt.body.model}: the request differs in ${why}, so Switchyard sends it its own request if ${attempt.body.model} fails.`,
      );
    }
    const worst = shared.models.map(
      (m) => plan.attempts.find((a) => !a.body.models && a.body.model === m && a.keyId === attempt.keyId)?.worstCaseUsd,
    );
    const worstCaseUsd = worst.every((w) => w !== undefined) ? Math.max(...worst) : attempt.worstCaseUsd;
    return { ...attempt, body: withModels(attempt.body, shared.models), worstCaseUsd };
  });
  if (!changed) return plan;
  return { ...plan, attempts, notes: [...plan.notes, ...notes], worstCaseUsd: attempts[0]!.worstCaseUsd };
}

/** A plan as sent ({@link shapedPlan}) and each attempt's body, for Explain Route. */
export function explainedPlan<M extends TurnMessage>(
  plan: Plan,
  draft: TurnDraft<M>,
  env: BodyContext,
): { readonly plan: Plan; readonly bodyFor: (attempt: Attempt) => Readonly<Record<string, unknown>> } {
  return {
    plan: shapedPlan(plan, draft, env),
    bodyFor: (attempt) => attemptBody(draft, attempt.body, env).body as unknown as Record<string, unknown>,
  };
}
