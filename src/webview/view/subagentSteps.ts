/**
 * A `run_subagent` card's steps: one collapsible list (open while the subagent runs), each step
 * with the model that served it, why (its route line) and the tools it called. Model ids and tool
 * names come from the model side: set as text only.
 */
import type { ToolCallView } from '../../protocol/messages';
import { formatUsd } from '../../protocol/units';
import { el } from '../dom';

export function subagentSteps(subagent: NonNullable<ToolCallView['subagent']>, running: boolean): HTMLElement {
  const count = subagent.steps.length;
  const items = subagent.steps.map((step, i) =>
    el('li', { className: 'subagent-step', attrs: { 'data-model': step.model } }, [
      el('span', { className: 'subagent-step-model', text: `${i + 1}. ${step.model}` }),
      el('span', {
        className: 'subagent-step-tools',
        text: step.tools.length ? ` · ${step.tools.join(', ')}` : ' · report',
      }),
      ...(step.costUsd !== undefined
        ? [el('span', { className: 'subagent-step-cost', text: ` · ${formatUsd(step.costUsd)}` })]
        : []),
      el('div', { className: 'subagent-step-route', text: step.route }),
    ]),
  );
  const details = el('details', { className: 'subagent-steps' }, [
    el('summary', { text: `Subagent steps: ${count} · ${formatUsd(subagent.spentUsd)} (counted in this task)` }),
    el('ol', {}, items),
  ]);
  if (running) details.setAttribute('open', '');
  return details;
}
