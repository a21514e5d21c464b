/**
 * The composer's "Search the web" toggle (`#web-search`, a globe, `aria-pressed`): on, the next
 * message goes with OpenRouter's web plugin. Per message: after a send it goes back to the
 * default (`switchyard.webSearch.default`, from the host).
 */
import { button, el } from '../dom';
import { icon } from '../icons';

const TITLE_OFF = 'Search the web: off for this message (click to search; about $0.02 a request)';
const TITLE_ON =
  'Search the web: on for this message (OpenRouter web plugin, about $0.02 a request; click to turn off)';

export class WebSearchToggle {
  readonly element = button(
    { id: 'web-search', className: 'web-search ghost icon-button', label: 'Search the web', title: TITLE_OFF },
    [icon('globe'), el('span', { className: 'web-search-label', text: 'Web' })],
  );
  private defaultOn = false;
  private on = false;

  constructor() {
    this.element.setAttribute('aria-pressed', 'false');
    this.element.addEventListener('click', () => this.set(!this.on));
  }

  /** Whether the next message searches the web. */
  get value(): boolean {
    return this.on;
  }

  /** The setting's default (the toggle follows it until the user changes it for this message). */
  setDefault(on: boolean): void {
    // A re-sent init with the same default keeps what the user chose for this message.
    if (on === this.defaultOn) return;
    this.defaultOn = on;
    this.set(on);
  }

  /** After a send: back to the default. */
  reset(): void {
    this.set(this.defaultOn);
  }

  private set(on: boolean): void {
    this.on = on;
    this.element.setAttribute('aria-pressed', String(on));
    this.element.classList.toggle('on', on);
    this.element.title = on ? TITLE_ON : TITLE_OFF;
  }
}
