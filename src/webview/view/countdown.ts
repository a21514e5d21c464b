/**
 * The wait before an answer's next attempt (a cooldown, a backoff), as a countdown the user can
 * cut short (**Send now**) or end (**Stop**): `.wait-countdown` with `.wait-seconds`,
 * `#send-now` and `.wait-stop`. Ticks once a second; stops ticking when removed from the page.
 */
import type { ChatMessageView, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';

type Post = (message: WebviewToHost) => void;
type Waiting = NonNullable<ChatMessageView['waiting']>;

const short = (model: string): string => model.slice(model.lastIndexOf('/') + 1);

/** The countdown element for `waiting`; `now` is injectable for tests. */
export function waitCountdown(waiting: Waiting, post: Post, now: () => number = Date.now): HTMLElement {
  const seconds = el('span', { className: 'wait-seconds' });
  const sendNow = button(
    {
      id: 'send-now',
      className: 'primary wait-send-now',
      label: 'Send now',
      title: 'Send the next attempt now instead of waiting',
    },
    [el('span', { text: 'Send now' })],
  );
  const stop = button({ className: 'wait-stop ghost', label: 'Stop', title: 'Stop this answer' }, [
    el('span', { text: 'Stop' }),
  ]);
  sendNow.addEventListener('click', () => post({ type: 'sendNow' }));
  stop.addEventListener('click', () => post({ type: 'stop' }));
  const what = waiting.model ? ` for ${short(waiting.model)}` : '';
  const node = el('div', { className: 'wait-countdown', attrs: { role: 'status', 'aria-live': 'polite' } }, [
    el('span', { className: 'wait-text', text: `Waiting${what} (${waiting.reason}): ` }),
    seconds,
    sendNow,
    stop,
  ]);
  const tick = (): void => {
    const left = Math.max(0, Math.ceil((waiting.untilMs - now()) / 1000));
    seconds.textContent = `${left} s`;
  };
  tick();
  const timer = setInterval(() => {
    if (!node.isConnected) return clearInterval(timer);
    tick();
  }, 1000);
  return node;
}
