/**
 * The composer: attachment chips, the message box (`#input`: Enter sends, Shift+Enter adds a
 * line), `#send` / `#stop` (one or the other, by `busy`) and `#new-chat`.
 */
import type { AttachmentView, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { icon } from '../icons';
import { composerChip } from './chips';

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
  private readonly chips = el('div', { id: 'chips', className: 'chips', attrs: { role: 'list', 'aria-label': 'Attached context' } });
  private readonly input = el('textarea', {
    id: 'input',
    className: 'input',
    attrs: { rows: '1', placeholder: 'Ask anything (Enter to send)', 'aria-label': 'Message', spellcheck: 'true' },
  });
  private readonly send = button({ id: 'send', className: 'send primary icon-button', label: 'Send', title: 'Send (Enter)' }, [icon('send')]);
  private readonly stop = button({ id: 'stop', className: 'stop icon-button', label: 'Stop', title: 'Stop (Esc)' }, [icon('stop')]);
  private readonly newChat = button({ id: 'new-chat', className: 'new-chat ghost', label: 'New chat', title: 'Start a new chat' }, [icon('add'), el('span', { text: 'New chat' })]);
  private busy = false;

  constructor(private readonly events: ComposerEvents) {
    this.stop.hidden = true;
    this.chips.hidden = true;
    const box = el('div', { className: 'input-box' }, [
      this.input,
      el('div', { className: 'input-toolbar' }, [this.newChat, el('span', { className: 'toolbar-spacer' }), this.send, this.stop]),
    ]);
    this.element.append(this.chips, box);

    this.input.addEventListener('input', () => {
      this.updateSendState();
      this.events.onDraft(this.input.value);
    });
    this.input.addEventListener('keydown', (event) => {
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
    this.updateSendState();
  }

  get isBusy(): boolean {
    return this.busy;
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
    this.chips.replaceChildren(...attachments.map((a) => composerChip(a, (id) => this.events.post({ type: 'removeAttachment', id }))));
    this.chips.hidden = attachments.length === 0;
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
    this.events.post({ type: 'send', text });
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
