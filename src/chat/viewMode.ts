/**
 * Which conversation the chat view shows — the chat (Ask) or the agent task (Agent) — decided in
 * one place: the posts of the conversation that is not on screen are held back (the next `init`
 * brings it), the composer drives the one that is, and `init` carries its messages. Pure.
 */
import type { ChatMode, HostToWebview } from '../protocol/messages';

/** Messages that change the conversation list or its task's figures (sent only for the mode on screen). */
export function isConversationUpdate(m: HostToWebview): boolean {
  return (
    m.type === 'messageAdded' ||
    m.type === 'messageUpdated' ||
    m.type === 'delta' ||
    m.type === 'reasoningDelta' ||
    m.type === 'busy' ||
    m.type === 'agentTask' ||
    m.type === 'cleared' ||
    m.type === 'restoreDraft'
  );
}

export class ViewMode {
  /** @param mode the mode the view shows now (remembered per workspace) */
  constructor(
    readonly mode: () => ChatMode,
    private readonly post: (message: HostToWebview) => void,
  ) {}

  /** The post function of one conversation: its conversation updates reach the view only while it is on screen. */
  poster(source: ChatMode): (message: HostToWebview) => void {
    return (m) => {
      if (this.mode() === source || !isConversationUpdate(m)) this.post(m);
    };
  }
}
