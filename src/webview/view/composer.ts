/**
 * The composer: attachment chips, the message box (`#input`: Enter sends, Shift+Enter adds a
 * line), `#send` / `#stop` (one or the other, by `busy`), `#new-chat` and `#past-chats`. Typing `@` opens the
 * mention list, `/` at the start the command list (one `#mention-menu`: ↑/↓, Enter or Tab picks,
 * Esc closes; src/webview/view/composerMenus.ts); a refused mention says why in
 * `#composer-notice`; `#instructions` lists the instruction files in effect.
 */
import type { AttachmentView, ChatMode, MentionItem, SlashItem, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { icon } from '../icons';
import { composerChip } from './chips';
import { ComposerMenus } from './composerMenus';
import { InstructionsList } from './instructionsList';
import { imageInput } from './imageInput';
import { MODE_TEXT, ModeSwitch } from './modeSwitch';
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
  /** Ask (chat), Plan (read-only, ends with a plan) or Agent (a task that may read, edit and run, with approval). */
  private readonly modeSwitch: ModeSwitch;
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
  /** The `@` / `/` suggestion list. */
  private readonly menus: ComposerMenus;
  /** The instruction files in effect, above the box. */
  readonly instructions: InstructionsList;
  private readonly notice = el('div', {
    id: 'composer-notice',
    className: 'composer-notice',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });
  private busy = false;
  private attachmentIds: string[] = [];

  constructor(private readonly events: ComposerEvents) {
    this.modeSwitch = new ModeSwitch((m) => this.events.post(m));
    this.stop.hidden = true;
    this.chips.hidden = true;
    this.notice.hidden = true;
    this.menus = new ComposerMenus(this.input, {
      post: (m) => this.events.post(m),
      setText: (text, caret) => this.setText(text, caret),
      sendText: (text) => {
        this.setText(text, text.length);
        this.trySend();
      },
      clearNotice: () => this.clearNotice(),
    });
    this.instructions = new InstructionsList((m) => this.events.post(m));
    const box = this.inputBox();
    this.element.append(this.menus.menu.element, this.notice, this.instructions.element, this.chips, box);

    this.input.addEventListener('input', () => {
      this.updateSendState();
      this.events.onDraft(this.input.value);
      this.menus.update();
    });
    this.input.addEventListener('click', () => this.menus.update());
    this.input.addEventListener('blur', () => this.menus.close());
    this.input.addEventListener('keydown', (event) => {
      if (this.menus.handleKey(event)) return;
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
        this.modeSwitch.element,
        this.newChat,
        this.pastChats,
        this.webSearch.element,
        el('span', { className: 'input-actions' }, [
          imageInput(this.element, this.input, {
            post: (m) => this.events.post(m),
            refuse: (text) => this.showNotice(text, 'error'),
          }),
          this.send,
          this.stop,
        ]),
      ]),
    ]);
  }

  get isBusy(): boolean {
    return this.busy;
  }

  /** Shows the mode the host remembers for this workspace. */
  setMode(mode: ChatMode): void {
    this.mode = mode;
    this.modeSwitch.set(mode);
    this.element.classList.toggle('agent', mode !== 'ask');
    this.element.classList.toggle('plan', mode === 'plan');
    // The agent does not search the web: the toggle belongs to Ask.
    this.webSearch.element.hidden = mode !== 'ask';
    const text = MODE_TEXT[mode];
    this.input.placeholder = text.placeholder;
    this.newChat.title = text.newTitle;
    this.newChat.setAttribute('aria-label', text.newLabel);
    this.newChat.lastElementChild!.textContent = text.newLabel;
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
    this.menus.setMentionResults(id, items);
  }

  setSlashResults(id: number, items: readonly SlashItem[]): void {
    this.menus.setSlashResults(id, items);
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

  private setText(text: string, caret: number): void {
    this.input.value = text;
    this.input.setSelectionRange(caret, caret);
    this.updateSendState();
    this.events.onDraft(text);
    this.input.focus();
  }

  /** Inserts text at the caret (an MCP prompt's rendered text), on a line of its own when the box has text. */
  insertText(text: string): void {
    const { value, selectionStart, selectionEnd } = this.input;
    const before = value.slice(0, selectionStart);
    const joined = before && !before.endsWith('\n') ? `${before}\n${text}` : `${before}${text}`;
    this.setText(joined + value.slice(selectionEnd), joined.length);
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
    this.menus.close();
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
