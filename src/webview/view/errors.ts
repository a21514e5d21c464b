/** The error card of a failed answer: what happened, the fix, and Retry. */
import type { FailureView, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { icon } from '../icons';

export function errorCard(
  error: FailureView,
  assistantId: string,
  post: (message: WebviewToHost) => void,
): HTMLElement {
  const actions = el('div', { className: 'error-actions' });
  if (error.action) {
    const { command, label } = error.action;
    const fix = button({ className: 'action primary', label }, [el('span', { text: label })]);
    fix.addEventListener('click', () => post({ type: 'runCommand', command }));
    actions.append(fix);
  }
  actions.append(retryButton(assistantId, post, 'secondary'));
  return el('div', { className: 'error-card', attrs: { 'data-kind': error.kind } }, [
    el('div', { className: 'error-head' }, [
      icon('error'),
      el('span', { className: 'error-title', text: error.title }),
    ]),
    el('div', { className: 'error-message', text: error.message }),
    actions,
  ]);
}

/** `button.retry`: asks the host to run the request behind this answer again. */
export function retryButton(
  assistantId: string,
  post: (message: WebviewToHost) => void,
  variant: 'secondary' | 'link',
): HTMLButtonElement {
  const retry = button({ className: `retry ${variant}`, label: 'Retry', title: 'Send the request again' }, [
    icon('retry'),
    el('span', { text: 'Retry' }),
  ]);
  retry.addEventListener('click', () => post({ type: 'retry', messageId: assistantId }));
  return retry;
}
