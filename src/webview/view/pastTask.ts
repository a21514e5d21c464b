/**
 * Above the composer while a past task from Past Chats is on screen: it is read-only, and
 * Continue (→ `continueTask`) lets it run again from its transcript.
 */
import type { WebviewToHost } from '../../protocol/messages';
import { button, el, setVisible } from '../dom';

export class PastTaskBanner {
  readonly element: HTMLElement;

  constructor(post: (message: WebviewToHost) => void) {
    const resume = button({ id: 'continue-task', className: 'primary', label: 'Continue' }, [
      el('span', { text: 'Continue' }),
    ]);
    resume.title = 'Go on with this task: your next message goes to the model with its transcript';
    resume.addEventListener('click', () => post({ type: 'continueTask' }));
    this.element = el('div', { id: 'past-task', className: 'past-task', attrs: { role: 'status' } }, [
      el('span', { className: 'past-task-text', text: 'Past task · read-only' }),
      resume,
    ]);
    setVisible(this.element, false);
  }

  /** Shown only in agent mode, for a past task. */
  set(past: boolean): void {
    setVisible(this.element, past);
  }
}
