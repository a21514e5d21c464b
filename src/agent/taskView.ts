/**
 * An agent task as the webview shows it: the user's messages and one assistant message per step,
 * whose tool calls are cards. Every change is posted (`messageAdded` / `messageUpdated`); the
 * session keeps the list for `init` and storage. Pure.
 */
import { FailureError } from '../openrouter/failures';
import type { ChatMessageView, HostToWebview, ToolCallView } from '../protocol/messages';
import { formatUsd } from '../protocol/units';
import { failureViewOf } from '../turn/failureView';
import type { LoopEvent, LoopResult } from './loop';

export class TaskView {
  messages: ChatMessageView[] = [];

  constructor(private readonly post: (message: HostToWebview) => void) {}

  find(id: string): ChatMessageView | undefined {
    return this.messages.find((m) => m.id === id);
  }

  /** Adds a message and shows it. */
  add(message: ChatMessageView): void {
    this.messages.push(message);
    this.post({ type: 'messageAdded', message });
  }

  /** Replaces a message (same id) without posting (streamed pieces are posted as deltas). */
  replace(next: ChatMessageView): void {
    const i = this.messages.findIndex((m) => m.id === next.id);
    if (i >= 0) this.messages[i] = next;
  }

  /** Replaces a message and shows it. */
  update(next: ChatMessageView): void {
    this.replace(next);
    this.post({ type: 'messageUpdated', message: next });
  }

  /** Changes some fields of message `id`, if it is there. */
  change(id: string, fields: Partial<ChatMessageView>): void {
    const m = this.find(id);
    if (m) this.update({ ...m, ...fields });
  }

  addCard(stepId: string, card: ToolCallView): void {
    const m = this.find(stepId);
    if (m) this.update({ ...m, tools: [...(m.tools ?? []), card] });
  }

  updateCard(stepId: string, callId: string, change: Partial<ToolCallView>): void {
    const m = this.find(stepId);
    if (m) this.update({ ...m, tools: (m.tools ?? []).map((c) => (c.id === callId ? { ...c, ...change } : c)) });
  }
}

/** A card whose call can no longer go on (Stop, reload). */
export function endCard(card: ToolCallView): ToolCallView {
  return card.state === 'waiting' || card.state === 'running'
    ? { ...card, state: 'rejected', summary: 'the task was stopped', killable: false, canAlwaysAllow: false }
    : card;
}

/** A loop event on the step's card: a failed card for an unusable call, a notice for a wasted turn. */
export function showLoopEvent(view: TaskView, event: LoopEvent, stepId: string | undefined): void {
  if (!stepId) return;
  if (event.kind === 'invalidCall')
    view.addCard(stepId, {
      id: event.call.id,
      tool: event.call.name || 'unknown',
      title: `${event.call.name || 'A tool call'} with unusable arguments`,
      state: 'failed',
      summary: event.error,
      result: event.error,
    });
  if (event.kind === 'refused')
    view.addCard(stepId, {
      id: event.call.id,
      tool: event.call.name,
      title: `${event.call.name} refused in Plan mode`,
      state: 'rejected',
      summary: 'Plan mode only reads: switch to Agent or act on the plan to make changes',
      result: event.reason,
    });
  if (event.kind === 'nudge') {
    const m = view.find(stepId);
    if (m) view.update({ ...m, notices: [...(m.notices ?? []), event.notice] });
  }
}

/**
 * The last step of a finished run: done or stopped, with why the task ended when it was a limit
 * and the open to-dos; a plan's final answer offers Act on this plan / Revise. True when it is a plan.
 */
export function showTaskEnd(
  view: TaskView,
  result: LoopResult,
  stepId: string | undefined,
  spentUsd: number,
  end: { readonly openTodos?: string | undefined; readonly plan?: boolean } = {},
): boolean {
  const last = stepId ? view.find(stepId) : undefined;
  if (!last) return false;
  const isPlan = end.plan === true && result.reason === 'done' && result.finalText.trim() !== '';
  const limit =
    result.reason === 'maxSteps'
      ? `Ended after ${result.steps} steps (switchyard.agent.maxSteps).`
      : result.reason === 'budget'
        ? `Ended: the task's spend reached its budget (${formatUsd(spentUsd)}).`
        : undefined;
  const notices = [limit, end.openTodos].filter((n): n is string => n !== undefined);
  view.update({
    ...last,
    status: result.reason === 'stopped' ? 'stopped' : 'done',
    ...(notices.length ? { notices: [...(last.notices ?? []), ...notices] } : {}),
    ...(isPlan ? { plan: 'ready' as const } : {}),
  });
  return isPlan;
}

/** A run that threw: Stop marks the last step stopped; any other error is its card (or a new message's). */
export function showTaskFailure(
  view: TaskView,
  error: unknown,
  stepId: string | undefined,
  fresh: () => { id: string; createdAt: number },
): void {
  const last = stepId ? view.find(stepId) : undefined;
  if (error instanceof FailureError && error.failure.kind === 'aborted') {
    if (last) view.update({ ...last, status: 'stopped', tools: last.tools?.map(endCard) });
    return;
  }
  const target = last ?? { ...fresh(), role: 'assistant' as const, text: '', status: 'error' as const };
  if (!last) view.add(target);
  view.update({ ...target, status: 'error', error: failureViewOf(error), tools: target.tools?.map(endCard) });
}
