/**
 * The composer's mode (Ask / Plan / Agent), remembered per workspace. Read without loading the
 * agent: the chat view knows which conversation it shows before the agent's chunk is needed.
 */
import type * as vscode from 'vscode';
import type { ChatMode } from '../../protocol/messages';

const MODE_KEY = 'switchyard.chatMode';
const MODES: readonly ChatMode[] = ['ask', 'plan', 'agent'];

/** The mode remembered in this workspace (Ask when none or an unknown value is stored). */
export function readChatMode(state: vscode.Memento): ChatMode {
  const mode = state.get<ChatMode>(MODE_KEY);
  return mode && MODES.includes(mode) ? mode : 'ask';
}

export async function writeChatMode(state: vscode.Memento, mode: ChatMode): Promise<void> {
  await state.update(MODE_KEY, mode);
}
