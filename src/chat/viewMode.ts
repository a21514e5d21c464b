/**
 * Which conversation the chat view shows — the chat (Ask) or the agent task (Agent) — decided in
 * one place: the posts of the conversation that is not on screen are held back (the next `init`
 * brings it), the composer drives the one that is, and `init` carries its messages. Pure.
 */
import type { AgentTaskView, ChatMessageView, ChatMode, HostToWebview } from '../protocol/messages';

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

/** A task as `init` shows it (src/agent/session.ts's AgentSession). */
export interface TaskInView {
  task(): AgentTaskView;
  views(): readonly ChatMessageView[];
  readonly busy: boolean;
}

/** Agent and Plan mode as `init` sees them (src/vscode/agent/agentMode.ts). */
export interface TasksInView {
  /** The task of a mode (Ask has none). */
  sessionFor(mode: ChatMode): TaskInView | undefined;
  /** The agent task (its figures when the mode has no task of its own). */
  readonly session: TaskInView;
}

/**
 * The `init` of the mode on screen, from the chat's own `init`. Ask shows the chat and does not ask
 * for the agent at all: building it loads its chunk (dist/agent.js), which the chat view's first show
 * in Ask mode must not pay for (a task's figures are hidden in Ask; the webview gets the next `init`
 * when the mode changes, and every command that changes it posts one). Agent and Plan show their
 * task's messages and figures.
 */
export function initForMode(
  init: HostToWebview,
  mode: ChatMode,
  agent: (() => TasksInView | undefined) | undefined,
): HostToWebview {
  if (init.type !== 'init') return init;
  if (mode === 'ask') return { ...init, mode };
  const tasks = agent?.();
  if (!tasks) return init;
  const task = tasks.sessionFor(mode);
  return {
    ...init,
    mode,
    task: (task ?? tasks.session).task(),
    ...(task ? { messages: task.views(), busy: task.busy } : {}),
  };
}
