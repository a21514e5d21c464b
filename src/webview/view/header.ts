/**
 * The header: the current model as a badge (`#model-badge`) that opens the model picker, the
 * account's credits (`#credits`, click to refresh; each key in its tooltip) and, while one is in
 * force, the rate limits seen (`#rate-limits`).
 */
import { formatUsd } from '../../protocol/units';
import type { AccountView, AgentTaskView, ModelBadge, WebviewToHost } from '../../protocol/messages';
import { reasoningChoiceLabel, type ReasoningChoice } from '../../protocol/reasoning';
import { button, el } from '../dom';
import { modelTooltip } from '../format';
import { todoHeaderText } from './todoList';
import { icon } from '../icons';

export class Header {
  readonly element = el('header', { className: 'header' });
  private readonly name = el('span', { className: 'model-name', text: 'No model' });
  private readonly fallbacks = el('span', { className: 'model-fallbacks' });
  private readonly badge = button({ id: 'model-badge', className: 'model-badge', label: 'Pick model' }, [
    icon('route'),
    this.name,
    icon('chevron'),
    // Last, so that in a narrow side bar it wraps under the name instead of cutting it short.
    this.fallbacks,
  ]);

  private readonly credits = button({ id: 'credits', className: 'credits', label: 'Credits' });
  /** Which key pays: a stored key, a pool entry, or the environment's OPENROUTER_API_KEY. */
  private readonly paidBy = el('span', { id: 'paid-by', className: 'paid-by', attrs: { role: 'status' } });
  /** For reasoning models: the effort of the model's next requests (remembered per model). */
  private readonly effort = el('select', {
    id: 'reasoning-effort',
    className: 'reasoning-effort',
    attrs: { 'aria-label': 'Reasoning effort', title: 'Reasoning effort of this model (remembered per model)' },
  });
  private readonly effortBox = el('label', { className: 'reasoning-effort-box' }, [
    el('span', { className: 'reasoning-effort-label', text: 'Thinking' }),
    this.effort,
  ]);
  private modelId = '';
  /** Agent mode: the task's steps and spend so far. */
  private readonly taskSpend = el('span', { id: 'task-spend', className: 'task-spend', attrs: { role: 'status' } });
  /** Shown under the header while a rate limit is in force. */
  readonly rateLimits = el('div', { id: 'rate-limits', className: 'rate-limits', attrs: { role: 'status' } });

  constructor(post: (message: WebviewToHost) => void) {
    this.badge.addEventListener('click', () => post({ type: 'runCommand', command: 'switchyard.pickModel' }));
    this.credits.addEventListener('click', () => post({ type: 'runCommand', command: 'switchyard.refreshCredits' }));
    this.fallbacks.hidden = true;
    this.credits.hidden = true;
    this.rateLimits.hidden = true;
    this.taskSpend.hidden = true;
    this.paidBy.hidden = true;
    this.effortBox.hidden = true;
    this.effort.addEventListener('change', () =>
      post({ type: 'setReasoningEffort', model: this.modelId, effort: this.effort.value as ReasoningChoice }),
    );
    this.element.append(this.badge, this.effortBox, this.taskSpend, this.credits, this.paidBy);
  }

  setAccount(account: AccountView | undefined, hasKey: boolean): void {
    const text = hasKey ? (account?.credits ?? '') : '';
    this.credits.hidden = !text;
    this.credits.textContent = text;
    const tip = [...(account?.details ?? []), 'Click to refresh.'].join('\n');
    this.credits.title = tip;
    this.credits.setAttribute('aria-label', `Credits: ${text}. ${tip}`);
    const paidBy = account?.paidBy ?? '';
    this.paidBy.hidden = !paidBy;
    this.paidBy.textContent = paidBy;
    this.paidBy.title = paidBy ? `${paidBy}. Manage API Keys changes it.` : '';
    const limits = hasKey ? (account?.rateLimits ?? []) : [];
    this.rateLimits.hidden = limits.length === 0;
    this.rateLimits.replaceChildren(
      ...limits.map((line) => el('div', { className: 'rate-limit', text: `Rate limit: ${line}` })),
    );
  }

  /** The agent task's figures (hidden outside agent mode and before the task ran or spent anything; a stopped first step still shows its cost). */
  setTask(task: AgentTaskView | undefined, agentMode: boolean): void {
    const show = agentMode && task !== undefined && (task.steps > 0 || task.running || task.spentUsd > 0);
    this.taskSpend.hidden = !show;
    if (!show || !task) return;
    const todos = todoHeaderText(task);
    this.taskSpend.textContent = `Task: ${task.steps} step${task.steps === 1 ? '' : 's'} · ${formatUsd(task.spentUsd)}${todos ? ` · ${todos}` : ''}`;
    this.taskSpend.title = `This agent task has used ${task.steps} model turns and cost ${task.spentUsd} USD so far (stopped and failed steps included).`;
  }

  setModel(model: ModelBadge): void {
    this.name.textContent = model.name || model.id;
    this.badge.title = modelTooltip(model);
    this.badge.setAttribute('aria-label', `Model: ${model.name || model.id}. Pick another model`);
    this.badge.setAttribute('data-model-id', model.id);
    const count = model.fallbacks.length;
    this.fallbacks.hidden = count === 0;
    this.fallbacks.textContent = count === 0 ? '' : `+${count} fallback${count === 1 ? '' : 's'}`;
    this.setEffort(model);
  }

  /** The effort control: shown for models that accept `reasoning`, with their own choices. */
  private setEffort(model: ModelBadge): void {
    this.modelId = model.id;
    const reasoning = model.reasoning;
    this.effortBox.hidden = !reasoning;
    if (!reasoning) return;
    this.effort.replaceChildren(
      ...reasoning.choices.map((choice) =>
        el('option', { text: reasoningChoiceLabel(choice), attrs: { value: choice } }),
      ),
    );
    this.effort.value = reasoning.current;
  }
}
