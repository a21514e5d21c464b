/**
 * Under a plan (Plan mode's final answer, also open as a document in the editor): **Act on this
 * plan** starts an Agent task with the plan as it is in the editor now; **Revise** asks what should
 * change. Once acted on, the plan says so and offers acting again. A plan of a past task (reopened
 * read-only from Past Chats) offers nothing that runs: only **Continue this task**, after which
 * its actions come back.
 */
import type { ChatMessageView, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';

export function planActions(message: ChatMessageView, post: (m: WebviewToHost) => void, readOnly = false): HTMLElement {
  if (readOnly) return pastPlanActions(post);
  const act = button(
    {
      className: 'plan-act primary',
      label: message.plan === 'acted' ? 'Act on this plan again' : 'Act on this plan',
      title: 'Start an Agent task with this plan as it is in its editor now (your edits included)',
    },
    [el('span', { text: message.plan === 'acted' ? 'Act on this plan again' : 'Act on this plan' })],
  );
  const revise = button(
    { className: 'plan-revise', label: 'Revise', title: 'Say what should change; the plan is revised in Plan mode' },
    [el('span', { text: 'Revise' })],
  );
  act.addEventListener('click', () => post({ type: 'planAction', messageId: message.id, action: 'act' }));
  revise.addEventListener('click', () => post({ type: 'planAction', messageId: message.id, action: 'revise' }));
  const note = el('span', {
    className: 'plan-note',
    text:
      message.plan === 'acted'
        ? 'An Agent task was started from this plan.'
        : 'The plan is open in an editor: change it there, then act on it.',
  });
  return el('div', { className: 'plan-actions', attrs: { role: 'group', 'aria-label': 'Plan' } }, [act, revise, note]);
}

/** Under a past task's plan: why there is no Act or Revise, and the one thing to do instead. */
function pastPlanActions(post: (m: WebviewToHost) => void): HTMLElement {
  const resume = button(
    {
      className: 'plan-continue',
      label: 'Continue this task',
      title: 'Go on with this task: then you can act on this plan or revise it',
    },
    [el('span', { text: 'Continue this task' })],
  );
  resume.addEventListener('click', () => post({ type: 'continueTask' }));
  const note = el('span', {
    className: 'plan-note',
    text: 'A past task is read-only: continue it to act on this plan or revise it.',
  });
  return el('div', { className: 'plan-actions past', attrs: { role: 'group', 'aria-label': 'Plan' } }, [resume, note]);
}
