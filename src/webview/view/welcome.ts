/**
 * The empty state (`#welcome`): without an API key, a welcome with `#sign-in` (primary: OAuth in
 * the browser) and `#set-key` (paste a key); while a sign-in waits for the browser, that and
 * `#cancel-sign-in`. With a key, a short hint for the mode (Ask, Plan, Agent) and `#use-in-vscode-chat`. When a conversation exists but the key is gone, a
 * compact notice carries the same buttons.
 */
import type { ChatMode, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { icon } from '../icons';

/** The empty state's hint in each mode: what to type there and what happens next. */
export const WELCOME_HINT: Readonly<Record<ChatMode, { readonly hint: string; readonly keys: string }>> = {
  ask: {
    hint: 'Ask anything. The selection in your editor is attached automatically.',
    keys: 'Enter to send \u00b7 Shift+Enter for a new line \u00b7 Esc to stop',
  },
  plan: {
    hint: 'Describe what to plan. The model reads your workspace and writes a plan; nothing changes until you act on it.',
    keys: 'Enter to start \u00b7 Shift+Enter for a new line \u00b7 Esc to stop',
  },
  agent: {
    hint: 'Describe a task. The agent reads your workspace, edits files and runs commands; it asks before each edit or command unless you allowed it.',
    keys: 'Enter to start \u00b7 Shift+Enter for a new line \u00b7 Esc to stop',
  },
};

export class Welcome {
  readonly element = el('div', { id: 'welcome', className: 'welcome' });
  /** Shown above the composer when there are messages but no key. */
  readonly notice = el('div', { className: 'key-notice', attrs: { role: 'status' } });
  private state = '';

  constructor(private readonly post: (message: WebviewToHost) => void) {}

  update(options: {
    readonly hasKey: boolean;
    readonly empty: boolean;
    readonly signingIn?: boolean;
    readonly mode?: ChatMode;
  }): void {
    const mode = options.mode ?? 'ask';
    const state = `${options.hasKey}/${options.empty}/${options.signingIn === true}/${mode}`;
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
        el('p', {
          className: 'welcome-text',
          text: 'Chat with every OpenRouter model from one place. Sign in with OpenRouter, or paste an API key, to start.',
        }),
        ...(options.signingIn ? this.waiting() : [this.signInButton('primary large'), this.setKeyButton('secondary')]),
        el('p', {
          className: 'welcome-small',
          text: 'Your key is kept in VS Code\u2019s secret storage, never in settings.',
        }),
      );
    } else if (options.empty) {
      this.element.append(
        el('div', { className: 'welcome-logo' }, [icon('sparkle')]),
        el('p', { className: 'welcome-hint', text: WELCOME_HINT[mode].hint }),
        el('p', { className: 'welcome-small', text: WELCOME_HINT[mode].keys }),
        this.vscodeChatButton(),
      );
    } else if (!options.hasKey) {
      this.notice.append(
        icon('key'),
        el('span', { text: 'No API key is set.' }),
        this.signInButton('primary small'),
        this.setKeyButton('secondary small'),
      );
    }
  }

  private signInButton(variant: string): HTMLButtonElement {
    const signIn = button({ id: 'sign-in', className: variant, label: 'Sign in with OpenRouter' }, [
      icon('route'),
      el('span', { text: 'Sign in with OpenRouter' }),
    ]);
    signIn.addEventListener('click', () => this.post({ type: 'runCommand', command: 'switchyard.signIn' }));
    return signIn;
  }

  private waiting(): HTMLElement[] {
    const cancel = button({ id: 'cancel-sign-in', className: 'secondary', label: 'Cancel sign-in' }, [
      el('span', { text: 'Cancel' }),
    ]);
    cancel.addEventListener('click', () => this.post({ type: 'runCommand', command: 'switchyard.cancelSignIn' }));
    return [
      el('p', {
        id: 'sign-in-waiting',
        className: 'welcome-hint',
        attrs: { role: 'status' },
        text: 'Waiting for you to finish signing in in your browser\u2026',
      }),
      cancel,
    ];
  }

  /** Switchyard's models in VS Code's own chat: the command explains, and opens Manage Language Models on the user's click. */
  private vscodeChatButton(): HTMLButtonElement {
    const use = button(
      { id: 'use-in-vscode-chat', className: 'secondary small', label: 'Use Switchyard models in VS Code Chat' },
      [icon('sparkle'), el('span', { text: 'Use Switchyard models in VS Code Chat' })],
    );
    use.addEventListener('click', () => this.post({ type: 'runCommand', command: 'switchyard.useInVsCodeChat' }));
    return use;
  }

  private setKeyButton(variant: string): HTMLButtonElement {
    const setKey = button({ id: 'set-key', className: variant, label: 'Set API Key' }, [
      icon('key'),
      el('span', { text: 'Set API Key' }),
    ]);
    setKey.addEventListener('click', () => this.post({ type: 'runCommand', command: 'switchyard.setApiKey' }));
    return setKey;
  }
}
