/**
 * The empty state (`#welcome`): without an API key, a welcome with `#set-key`; with one, a short
 * hint. When a conversation exists but the key is gone, a compact notice carries `#set-key`.
 */
import type { WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { icon } from '../icons';

export class Welcome {
  readonly element = el('div', { id: 'welcome', className: 'welcome' });
  /** Shown above the composer when there are messages but no key. */
  readonly notice = el('div', { className: 'key-notice', attrs: { role: 'status' } });
  private state = '';

  constructor(private readonly post: (message: WebviewToHost) => void) {}

  update(options: { readonly hasKey: boolean; readonly empty: boolean }): void {
    const state = `${options.hasKey}/${options.empty}`;
    if (state === this.state) return;
    this.state = state;
    this.element.hidden = !options.empty;
    this.notice.hidden = options.hasKey || options.empty;
    this.element.replaceChildren();
    this.notice.replaceChildren();
    if (!options.hasKey && options.empty) {
      this.element.append(
        el('div', { className: 'welcome-logo' }, [icon('route')]),
        el('h2', { className: 'welcome-title', text: 'Welcome to Switchyard' }),
        el('p', { className: 'welcome-text', text: 'Chat with every OpenRouter model from one place. Add your OpenRouter API key to start.' }),
        this.setKeyButton('primary large'),
        el('p', { className: 'welcome-small', text: 'Your key is kept in VS Code\u2019s secret storage, never in settings.' }),
      );
    } else if (options.empty) {
      this.element.append(
        el('div', { className: 'welcome-logo' }, [icon('sparkle')]),
        el('p', { className: 'welcome-hint', text: 'Ask anything. The selection in your editor is attached automatically.' }),
        el('p', { className: 'welcome-small', text: 'Enter to send \u00b7 Shift+Enter for a new line \u00b7 Esc to stop' }),
      );
    } else if (!options.hasKey) {
      this.notice.append(icon('key'), el('span', { text: 'No API key is set.' }), this.setKeyButton('primary small'));
    }
  }

  private setKeyButton(variant: string): HTMLButtonElement {
    const setKey = button({ id: 'set-key', className: variant, label: 'Set API Key' }, [icon('key'), el('span', { text: 'Set API Key' })]);
    setKey.addEventListener('click', () => this.post({ type: 'runCommand', command: 'switchyard.setApiKey' }));
    return setKey;
  }
}
