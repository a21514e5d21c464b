/**
 * One agent step as it streams into its card (an assistant message): the text, the model's
 * thinking (a Thinking section like an Ask answer's, collapsed once the step acts), routing
 * notices and waits; then the step's meta line — who served, tokens, cache, cost (usage at once,
 * the rest when the turn layer has looked it up). Pure.
 */
import type { AnswerMeta, ChatMessageView, HostToWebview } from '../protocol/messages';
import { answerMeta, servedBy, withLaterCost } from '../turn/answerMeta';
import type { TurnLogger } from '../turn/env';
import type { TurnHandlers } from '../turn/send';
import type { TaskView } from './taskView';
import type { ToolSubstitutionNotice } from './toolNotice';
import type { TurnOutcome } from './turn';

export interface StepCardDeps {
  readonly view: TaskView;
  post(message: HostToWebview): void;
  now(): number;
  readonly log: TurnLogger;
  /** A wait's Send now (its controller), or none. */
  setSkip(skip: AbortController | undefined): void;
}

export class StepCard {
  /** When the step's thinking began, until its text or its end fixes the duration. */
  private thinkingSince: number | undefined;

  constructor(
    private readonly deps: StepCardDeps,
    readonly id: string,
    requestedModel: string,
  ) {
    deps.view.add({
      id,
      role: 'assistant',
      text: '',
      status: 'streaming',
      createdAt: deps.now(),
      meta: { requestedModel },
      tools: [],
    });
  }

  private get message(): ChatMessageView | undefined {
    return this.deps.view.find(this.id);
  }

  /** What the turn layer shows in the card as the step streams. */
  handlers(): TurnHandlers {
    const { view, post } = this.deps;
    return {
      onAttempt: () => {
        // A new attempt answers the whole turn afresh: what the last one showed goes.
        const m = this.message;
        if (m && (m.text || m.reasoning)) view.update({ ...m, text: '', reasoning: undefined });
        this.thinkingSince = undefined;
      },
      onText: (piece) => {
        const m = this.message;
        if (!m) return;
        view.replace({ ...m, text: m.text + piece, ...this.thinkingDone(m) });
        post({ type: 'delta', id: this.id, text: piece });
      },
      onReasoning: (piece) => {
        const m = this.message;
        if (!m || !piece) return;
        this.thinkingSince ??= this.deps.now();
        view.replace({ ...m, reasoning: { text: (m.reasoning?.text ?? '') + piece } });
        post({ type: 'reasoningDelta', id: this.id, text: piece });
      },
      waiting: (wait) => {
        const m = this.message;
        if (m) {
          const { waiting: _was, ...rest } = m;
          view.update(wait ? { ...rest, waiting: wait } : rest);
        }
        const skip = wait ? new AbortController() : undefined;
        this.deps.setSkip(skip);
        return skip?.signal;
      },
      onRouteEvent: (event) => {
        this.deps.log.info(`agent route: ${event.text}`);
        const m = this.message;
        if (m) view.update({ ...m, notices: [...(m.notices ?? []), event.text] });
      },
    };
  }

  /** The thinking's duration, fixed once (when the text starts or the step ends). */
  private thinkingDone(m: ChatMessageView): Pick<ChatMessageView, 'reasoning'> {
    if (!m.reasoning || m.reasoning.durationMs !== undefined || this.thinkingSince === undefined) return {};
    return { reasoning: { ...m.reasoning, durationMs: Math.max(0, this.deps.now() - this.thinkingSince) } };
  }

  /** Notices about the step's route (a budget warning, the model that took over), above its text. */
  notice(texts: readonly string[]): void {
    const m = this.message;
    if (!m || texts.length === 0) return;
    for (const text of texts) this.deps.log.info(`agent route: ${text}`);
    this.deps.view.update({ ...m, notices: [...(m.notices ?? []), ...texts] });
  }

  /** The turn finished: its text, thinking and meta line go into the card (and a notice said once per task). */
  settle(outcome: TurnOutcome, requestedModel: string, once?: ToolSubstitutionNotice): void {
    const m = this.message;
    if (!m) return;
    const notice = once?.check(outcome.plan, requestedModel, outcome.model);
    this.deps.view.update({
      ...m,
      ...(notice ? { notices: [...(m.notices ?? []), notice] } : {}),
      ...this.thinkingDone(m),
      text: outcome.text,
      meta: stepMeta(outcome, requestedModel),
      status: 'done',
    });
  }

  /** Cost the turn layer found out later (looked up, or a worst case marked as an estimate). */
  addCost(usd: number, estimatedUsd: number): void {
    addCost(this.deps.view, this.id, usd, estimatedUsd);
  }
}

/** Adds cost found out later to message `id`'s meta line (an estimate marked as such). */
export function addCost(view: TaskView, id: string, usd: number, estimatedUsd: number): void {
  const m = view.find(id);
  if (!m || usd <= 0) return;
  view.update({ ...m, meta: withLaterCost(m.meta, usd, estimatedUsd) });
}

/** The meta line of a step. */
function stepMeta(outcome: TurnOutcome, requestedModel: string): AnswerMeta {
  const meta = answerMeta(
    { ...servedBy(outcome), ...(outcome.costUsd !== undefined ? { cost: outcome.costUsd } : {}) },
    { requestedModel: outcome.plan.attempts[0]?.body.model ?? requestedModel },
  );
  return outcome.route ? { ...meta, route: outcome.route } : meta;
}
