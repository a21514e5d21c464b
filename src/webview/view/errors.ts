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
  if (error.action) actions.append(commandButton(error.action, 'action primary', post));
  for (const more of error.moreActions ?? []) actions.append(commandButton(more, 'action secondary', post));
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

/** A way forward of the card: runs its command (the webview's allow-list) on click. */
function commandButton(
  action: NonNullable<FailureView['action']>,
  className: string,
  post: (message: WebviewToHost) => void,
): HTMLButtonElement {
  const b = button({ className, label: action.label }, [el('span', { text: action.label })]);
  b.addEventListener('click', () => post({ type: 'runCommand', command: action.command }));
  return b;
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
