/**
 * The composer: attachment chips, the message box (`#input`: Enter sends, Shift+Enter adds a
 * line), `#send` / `#stop` (one or the other, by `busy`), `#new-chat` and `#past-chats`. Typing `@` opens the
 * mention list (`#mention-menu`: ↑/↓, Enter or Tab picks, Esc closes); a refused mention says
 * why in `#composer-notice`.
 */
import type { AttachmentView, ChatMode, MentionItem, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { icon } from '../icons';
import { mentionAt, removeMention, replaceMention, type MentionToken } from '../mentionToken';
import { composerChip } from './chips';
import { imageInput } from './imageInput';
import { WebSearchToggle } from './webSearchToggle';

/** The protocol's limit for one message. */
const MAX_MESSAGE_CHARS = 200_000;

export interface ComposerEvents {
  readonly post: (message: WebviewToHost) => void;
  /** The draft changed (to persist it). */
  readonly onDraft: (draft: string) => void;
  /** A message was sent (to follow the conversation to its end). */
  readonly onSend: () => void;
}

export class Composer {
  readonly element = el('div', { className: 'composer' });
  private readonly chips = el('div', {
    id: 'chips',
    className: 'chips',
    attrs: { role: 'list', 'aria-label': 'Attached context' },
  });
  private readonly input = el('textarea', {
    id: 'input',
    className: 'input',
    attrs: { rows: '1', placeholder: 'Ask anything (Enter to send)', 'aria-label': 'Message', spellcheck: 'true' },
  });
  private readonly send = button(
    { id: 'send', className: 'send primary icon-button', label: 'Send', title: 'Send (Enter)' },
    [icon('send')],
  );
  private readonly stop = button({ id: 'stop', className: 'stop icon-button', label: 'Stop', title: 'Stop (Esc)' }, [
    icon('stop'),
  ]);
  private readonly newChat = button(
    {
      id: 'new-chat',
      className: 'new-chat ghost',
      label: 'New chat',
      title: 'Start a new chat (this one stays in Past chats)',
    },
    [icon('add'), el('span', { text: 'New chat' })],
  );
  /** Ask (chat) or Agent (a task that may read, edit and run, with approval). */
  private readonly askMode = button(
    { id: 'mode-ask', className: 'mode-option', label: 'Ask mode', title: 'Ask: chat with the model' },
    [el('span', { text: 'Ask' })],
  );
  private readonly agentMode = button(
    {
      id: 'mode-agent',
      className: 'mode-option',
      label: 'Agent mode',
      title: 'Agent: the model reads, edits and runs commands, with your approval',
    },
    [el('span', { text: 'Agent' })],
  );
  private readonly modeSwitch = el(
    'div',
    { id: 'mode-switch', className: 'mode-switch', attrs: { role: 'group', 'aria-label': 'Mode' } },
    [this.askMode, this.agentMode],
  );
  private mode: ChatMode = 'ask';
  /** "Search the web" for the next message. */
  readonly webSearch = new WebSearchToggle();
  private readonly pastChats = button(
    {
      id: 'past-chats',
      className: 'past-chats ghost icon-button',
      label: 'Past chats',
      title: 'Past chats: reopen, search or delete',
    },
    [icon('history')],
  );
  private readonly menu = el('div', {
    id: 'mention-menu',
    className: 'mention-menu',
    attrs: { role: 'listbox', 'aria-label': 'Attach context' },
  });
  private readonly notice = el('div', {
    id: 'composer-notice',
    className: 'composer-notice',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });
  private busy = false;
  private attachmentIds: string[] = [];
  /** The `@…` token being completed, the query id awaited, and the rows shown. */
  private mention: { token: MentionToken; id: number; items: readonly MentionItem[]; active: number } | undefined;
  private nextQueryId = 0;

  constructor(private readonly events: ComposerEvents) {
    this.stop.hidden = true;
    this.chips.hidden = true;
    this.menu.hidden = true;
    this.notice.hidden = true;
    const box = this.inputBox();
    this.element.append(this.menu, this.notice, this.chips, box);

    this.input.addEventListener('input', () => {
      this.updateSendState();
      this.events.onDraft(this.input.value);
      this.updateMention();
    });
    this.input.addEventListener('click', () => this.updateMention());
    this.input.addEventListener('blur', () => this.closeMention());
    this.input.addEventListener('keydown', (event) => {
      if (this.mention && !this.menu.hidden && this.handleMenuKey(event)) return;
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.trySend();
      }
    });
    // Clicking the empty parts of the box focuses the text.
    box.addEventListener('mousedown', (event) => {
      if (event.target === box) {
        event.preventDefault();
        this.input.focus();
      }
    });
    this.send.addEventListener('click', () => this.trySend());
    this.stop.addEventListener('click', () => this.events.post({ type: 'stop' }));
    this.newChat.addEventListener('click', () => this.events.post({ type: 'newChat' }));
    this.askMode.addEventListener(
      'click',
      () => this.mode !== 'ask' && this.events.post({ type: 'setMode', mode: 'ask' }),
    );
    this.agentMode.addEventListener(
      'click',
      () => this.mode !== 'agent' && this.events.post({ type: 'setMode', mode: 'agent' }),
    );
    this.setMode('ask');
    this.pastChats.addEventListener('click', () =>
      this.events.post({ type: 'runCommand', command: 'switchyard.pastChats' }),
    );
    this.updateSendState();
  }

  /** The text box with its toolbar: mode switch, New Chat, Past Chats, web search, image, Send and Stop. */
  private inputBox(): HTMLElement {
    return el('div', { className: 'input-box' }, [
      this.input,
      el('div', { className: 'input-toolbar' }, [
        this.modeSwitch,
        this.newChat,
        this.pastChats,
        this.webSearch.element,
        el('span', { className: 'toolbar-spacer' }),
        imageInput(this.element, this.input, {
          post: (m) => this.events.post(m),
          refuse: (text) => this.showNotice(text, 'error'),
        }),
        this.send,
        this.stop,
      ]),
    ]);
  }

  get isBusy(): boolean {
    return this.busy;
  }

  /** Shows the mode the host remembers for this workspace. */
  setMode(mode: ChatMode): void {
    this.mode = mode;
    this.askMode.setAttribute('aria-pressed', String(mode === 'ask'));
    this.agentMode.setAttribute('aria-pressed', String(mode === 'agent'));
    this.element.classList.toggle('agent', mode === 'agent');
    // The agent does not search the web: the toggle belongs to Ask.
    this.webSearch.element.hidden = mode === 'agent';
    this.input.placeholder =
      mode === 'agent' ? 'Describe a task for the agent (Enter to start)' : 'Ask anything (Enter to send)';
    const label = mode === 'agent' ? 'New task' : 'New chat';
    this.newChat.title = mode === 'agent' ? 'Start a new agent task' : 'Start a new chat';
    this.newChat.setAttribute('aria-label', label);
    this.newChat.lastElementChild!.textContent = label;
  }

  setBusy(busy: boolean): void {
    const hadFocus = document.activeElement === this.send || document.activeElement === this.stop;
    this.busy = busy;
    this.send.hidden = busy;
    this.stop.hidden = !busy;
    this.element.classList.toggle('busy', busy);
    this.updateSendState();
    if (hadFocus) (busy ? this.stop : this.input).focus();
  }

  setAttachments(attachments: readonly AttachmentView[]): void {
    this.attachmentIds = attachments.map((a) => a.id);
    this.chips.replaceChildren(
      ...attachments.map((a) => composerChip(a, (id) => this.events.post({ type: 'removeAttachment', id }))),
    );
    this.chips.hidden = attachments.length === 0;
  }

  /** The host's rows for a mention query; stale answers (an older query) are ignored. */
  setMentionResults(id: number, items: readonly MentionItem[]): void {
    if (!this.mention || this.mention.id !== id) return;
    this.mention = { ...this.mention, items, active: 0 };
    this.renderMenu();
  }

  /** Says under the box why a mention was refused (or what was left out); × dismisses it. */
  showNotice(text: string, level: 'error' | 'info'): void {
    const dismiss = button({ className: 'notice-dismiss', label: 'Dismiss' }, [icon('close')]);
    dismiss.addEventListener('click', () => this.clearNotice());
    this.notice.className = `composer-notice ${level}`;
    this.notice.replaceChildren(
      icon(level === 'error' ? 'error' : 'sparkle'),
      el('span', { className: 'notice-text', text }),
      dismiss,
    );
    this.notice.hidden = false;
  }

  clearNotice(): void {
    this.notice.hidden = true;
    this.notice.replaceChildren();
  }

  private updateMention(): void {
    const { selectionStart, selectionEnd, value } = this.input;
    const token = selectionStart === selectionEnd ? mentionAt(value, selectionStart) : undefined;
    if (!token) {
      this.closeMention();
      return;
    }
    const id = ++this.nextQueryId;
    this.mention = { token, id, items: this.mention?.items ?? [], active: 0 };
    this.events.post({ type: 'mentionQuery', id, query: token.query });
  }

  private closeMention(): void {
    this.mention = undefined;
    this.menu.hidden = true;
    this.menu.replaceChildren();
    this.input.removeAttribute('aria-activedescendant');
  }

  /** Keys while the list is open; true when the key was used. */
  private handleMenuKey(event: KeyboardEvent): boolean {
    const mention = this.mention;
    if (!mention || event.isComposing) return false;
    const count = mention.items.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!count) return false;
      event.preventDefault();
      this.mention = { ...mention, active: (mention.active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count };
      this.renderMenu();
      return true;
    }
    if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && count) {
      event.preventDefault();
      this.pick(mention.items[mention.active]!);
      return true;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.closeMention();
      return true;
    }
    return false;
  }

  private pick(item: MentionItem): void {
    const mention = this.mention;
    if (!mention) return;
    if (item.needsQuery) {
      const next = replaceMention(this.input.value, mention.token, `${item.kind}:`);
      this.setText(next.text, next.caret);
      this.updateMention();
      return;
    }
    const next = removeMention(this.input.value, mention.token);
    this.setText(next.text, next.caret);
    this.closeMention();
    this.clearNotice();
    this.events.post({ type: 'attachMention', kind: item.kind, ...(item.path ? { path: item.path } : {}) });
  }

  private setText(text: string, caret: number): void {
    this.input.value = text;
    this.input.setSelectionRange(caret, caret);
    this.updateSendState();
    this.events.onDraft(text);
    this.input.focus();
  }

  private renderMenu(): void {
    const mention = this.mention;
    if (!mention) return;
    const rows = mention.items.map((item, index) => {
      const row = el(
        'div',
        {
          id: `mention-${index}`,
          className: `mention-row${index === mention.active ? ' active' : ''}`,
          attrs: {
            role: 'option',
            'aria-selected': String(index === mention.active),
            'data-kind': item.kind,
            ...(item.path ? { 'data-path': item.path } : {}),
          },
        },
        [
          icon(
            item.kind === 'image'
              ? 'image'
              : item.kind === 'file'
                ? 'file'
                : item.kind === 'selection'
                  ? 'selection'
                  : item.kind === 'diff'
                    ? 'diff'
                    : item.kind === 'terminal'
                      ? 'terminal'
                      : item.kind === 'open'
                        ? 'file'
                        : 'error',
          ),
          el('span', { className: 'mention-label', text: item.label }),
          ...(item.detail ? [el('span', { className: 'mention-detail', text: item.detail })] : []),
        ],
      );
      // mousedown, not click: the box keeps focus (a blur would close the list first).
      row.addEventListener('mousedown', (event) => {
        event.preventDefault();
        this.pick(item);
      });
      return row;
    });
    if (!rows.length)
      rows.push(
        el('div', {
          className: 'mention-empty',
          text: mention.token.query.startsWith('file:') ? 'No matching files' : 'Nothing to attach matches',
        }),
      );
    this.menu.replaceChildren(...rows);
    this.menu.hidden = false;
    if (mention.items.length) this.input.setAttribute('aria-activedescendant', `mention-${mention.active}`);
    this.menu.querySelector('.active')?.scrollIntoView({ block: 'nearest' });
  }

  /** Sets the draft (restored state) without focusing. */
  setDraft(text: string): void {
    this.input.value = text;
    this.updateSendState();
  }

  /** Puts back the text of a send the host could not start, keeping anything typed since. */
  restoreDraft(text: string): void {
    const current = this.input.value;
    this.input.value = current.trim() === '' ? text : `${text}\n${current}`;
    this.updateSendState();
    this.events.onDraft(this.input.value);
    this.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
  }

  focus(): void {
    this.input.focus();
  }

  private trySend(): void {
    const text = this.input.value.trim();
    if (this.busy || text === '' || text.length > MAX_MESSAGE_CHARS) return;
    this.closeMention();
    this.clearNotice();
    this.events.post({
      type: 'send',
      text,
      attachmentIds: this.attachmentIds,
      ...(this.webSearch.value && this.mode === 'ask' ? { webSearch: true } : {}),
    });
    this.webSearch.reset();
    this.input.value = '';
    this.updateSendState();
    this.events.onDraft('');
    this.events.onSend();
  }

  private updateSendState(): void {
    const text = this.input.value.trim();
    this.send.disabled = this.busy || text === '' || text.length > MAX_MESSAGE_CHARS;
    this.send.title = text.length > MAX_MESSAGE_CHARS ? 'The message is too long' : 'Send (Enter)';
  }
}
