/**
 * What Past Chats needs to know about the conversation on screen, decided without building the
 * agent when the view is in Ask mode: building it loads its chunk (dist/agent.js), which listing,
 * reopening, exporting or deleting chats in Ask mode must not pay for. Tasks still need the agent.
 * Pure: the agent is asked through `agent()`, called only when Agent or Plan mode is on screen.
 */
import type { ChatMode } from '../protocol/messages';

/** A task as Past Chats sees it (src/agent/session.ts's AgentSession). */
export interface TaskOnScreen {
  readonly id: string;
  views(): readonly unknown[];
}

/** Agent and Plan mode as Past Chats sees them (src/vscode/agent/agentMode.ts). */
export interface TasksOnScreen {
  sessionFor(mode: ChatMode): TaskOnScreen | undefined;
  readonly session: TaskOnScreen;
  readonly planSession: TaskOnScreen;
}

/** The id of the conversation on screen: the chat in Ask mode (the agent is not asked), else the mode's task. */
export function onScreenId(mode: ChatMode, chatId: string, agent: () => TasksOnScreen): string {
  if (mode === 'ask') return chatId;
  return agent().sessionFor(mode)?.id ?? chatId;
}

/**
 * What the agent's tasks show now, whose images a deletion must keep (a step's images are on its
 * card before the task is saved again). Nothing when the agent was never built: no task was shown.
 */
export function tasksOnScreen(loaded: TasksOnScreen | undefined): unknown[] {
  return loaded ? [loaded.session.views(), loaded.planSession.views()] : [];
}

/**
 * Reopens a chat in Ask mode: the agent is asked to leave its mode only when Agent or Plan mode is
 * on screen. False when the chat no longer exists.
 */
export async function reopenChat(
  mode: ChatMode,
  open: () => Promise<boolean>,
  agent: () => { setMode(mode: ChatMode): Promise<void> },
): Promise<boolean> {
  const opened = await open();
  if (opened && mode !== 'ask') await agent().setMode('ask');
  return opened;
}
