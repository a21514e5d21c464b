/**
 * An agent task as the webview shows it: the user's messages and one assistant message per step,
 * whose tool calls are cards. Every change is posted (`messageAdded` / `messageUpdated`); the
 * session keeps the list for `init` and storage. Pure.
 */
import type { ChatMessageView, HostToWebview, ToolCallView } from '../protocol/messages';

export class TaskView {
  messages: ChatMessageView[] = [];

  constructor(private readonly post: (message: HostToWebview) => void) {}

  find(id: string): ChatMessageView | undefined {
    return this.messages.find((m) => m.id === id);
  }

  /** Adds a message and shows it. */
  add(message: ChatMessageView): void {
    this.messages.push(message);
    this.post({ type: 'messageAdded', message });
  }

  /** Replaces a message (same id) without posting (streamed pieces are posted as deltas). */
  replace(next: ChatMessageView): void {
    const i = this.messages.findIndex((m) => m.id === next.id);
    if (i >= 0) this.messages[i] = next;
  }

  /** Replaces a message and shows it. */
  update(next: ChatMessageView): void {
    this.replace(next);
    this.post({ type: 'messageUpdated', message: next });
  }

  /** Changes some fields of message `id`, if it is there. */
  change(id: string, fields: Partial<ChatMessageView>): void {
    const m = this.find(id);
    if (m) this.update({ ...m, ...fields });
  }

  addCard(stepId: string, card: ToolCallView): void {
    const m = this.find(stepId);
    if (m) this.update({ ...m, tools: [...(m.tools ?? []), card] });
  }

  updateCard(stepId: string, callId: string, change: Partial<ToolCallView>): void {
    const m = this.find(stepId);
    if (m) this.update({ ...m, tools: (m.tools ?? []).map((c) => (c.id === callId ? { ...c, ...change } : c)) });
  }
}

/** A card whose call can no longer go on (Stop, reload). */
export function endCard(card: ToolCallView): ToolCallView {
  return card.state === 'waiting' || card.state === 'running' ? { ...card, state: 'rejected', summary: 'the task was stopped', killable: false, canAlwaysAllow: false } : card;
}
