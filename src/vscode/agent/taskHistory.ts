/**
 * Past Chats' editor side for agent tasks and export: New Chat in Agent mode keeps the task (and
 * asks first only while a step runs: Stop and Save, or Cancel), a past entry reopens in its mode
 * (a task read-only, with Continue), and any chat or task exports as Markdown into a new untitled
 * document (the user saves it where they like; nothing is written until then).
 */
import * as vscode from 'vscode';
import type { ChatSession } from '../../chat/chatSession';
import { exportMarkdown, type ExportMessage } from '../../chat/exportMarkdown';
import { readTaskRecord } from '../../agent/taskHistory';
import type { HistoryEntry } from '../../protocol/history';
import { onScreenId as idOnScreen, reopenChat, tasksOnScreen } from '../../chat/historyOnScreen';
import { notificationText } from '../../openrouter/untrustedText';
import type { AgentSession } from '../../agent/session';
import type { ChatMode } from '../../protocol/messages';
import type { AgentMode } from './agentMode';
import { knownSecretsForRedaction } from '../log';
import { markOwnDocument } from '../chatView/ownDocuments';

export interface HistoryDeps {
  readonly chat: () => ChatSession;
  /** The mode on screen, read without the agent (./chatModeState.ts). */
  readonly mode: () => ChatMode;
  /** Agent and Plan mode, built on first use (loads the agent's chunk): only for tasks, or to leave their mode. */
  readonly agent: () => AgentMode;
  /** The agent if it was built (a chat's deletion keeps the images its tasks show). */
  readonly loadedAgent: () => AgentMode | undefined;
  /** Renders the view from scratch (after the conversation on screen changed). */
  readonly postInit: () => Promise<void>;
  /** Replaces the conversation on screen; a message sent meanwhile waits for it (ChatViewProvider). */
  readonly switchConversation: <T>(change: () => Promise<T>) => Promise<T>;
}

/** Past Chats' view of the services. */
export function historyDeps(services: {
  readonly session: ChatSession;
  readonly viewMode: { mode(): ChatMode };
  readonly agent: AgentMode;
  readonly agentFeature: { readonly loaded: AgentMode | undefined };
  readonly chatView: { postInit(): Promise<void>; switchConversation<T>(change: () => Promise<T>): Promise<T> };
}): HistoryDeps {
  return {
    chat: () => services.session,
    mode: () => services.viewMode.mode(),
    agent: () => services.agent,
    loadedAgent: () => services.agentFeature.loaded,
    postInit: () => services.chatView.postInit(),
    switchConversation: (change) => services.chatView.switchConversation(change),
  };
}

/** True when no step runs, or the user chose to stop it (the task is kept in Past Chats). */
export async function mayStopTask(agent: AgentMode, session: AgentSession = agent.session): Promise<boolean> {
  if (!session.busy) return true;
  const stop = vscode.l10n.t('Stop and Save');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('A step of the agent task is running. Stop it? The task is kept in Past Chats.'),
    { modal: true },
    stop,
  );
  return answer === stop;
}

/** New Chat in Agent mode: the task on screen goes to Past Chats (after asking, if a step runs). */
export async function newAgentTask(agent: AgentMode): Promise<void> {
  const session = agent.sessionFor(agent.mode) ?? agent.session;
  if (await mayStopTask(agent, session)) await session.newTask();
}

/** The session that shows a task entry: Plan's for plans, else the agent's. */
function sessionOf(entry: HistoryEntry, agent: AgentMode): { session: AgentSession; mode: ChatMode } {
  return entry.mode === 'plan'
    ? { session: agent.planSession, mode: 'plan' }
    : { session: agent.session, mode: 'agent' };
}

/** The id of the conversation on screen (the task in Agent mode, else the chat). */
export function onScreenId(deps: HistoryDeps): string {
  return idOnScreen(deps.mode(), deps.chat().chatId, deps.agent);
}

/** Reopens an entry of Past Chats in its mode; false when it no longer exists (or the user kept the running step). */
export async function openEntry(entry: HistoryEntry, deps: HistoryDeps): Promise<boolean> {
  if (entry.kind === 'chat') {
    const opened = await reopenChat(deps.mode(), () => deps.chat().openChat(entry.id), deps.agent);
    await deps.postInit();
    return opened;
  }
  const agent = deps.agent();
  const { session, mode } = sessionOf(entry, agent);
  if (entry.id !== session.id && !(await mayStopTask(agent, session))) return true;
  const opened = await session.openPast(entry.id);
  if (opened && agent.mode !== mode) await agent.setMode(mode);
  await deps.postInit();
  return opened;
}

/**
 * Deletes an entry for good (the task on screen is replaced by a new one first), with its image
 * files — chat images, tool images — unless another chat or task, or one on screen, refers to them.
 */
export async function deleteEntry(entry: HistoryEntry, deps: HistoryDeps): Promise<void> {
  if (entry.kind === 'chat') return deps.chat().deleteChat(entry.id, tasksOnScreen(deps.loadedAgent()));
  const agent = deps.agent();
  const { session } = sessionOf(entry, agent);
  if (entry.id === session.id) {
    if (!(await mayStopTask(agent, session))) return;
    await session.newTask();
  }
  const gone = await agent.history.delete(entry.id);
  await deps.chat().releaseImages(gone, tasksOnScreen(agent));
}

/** Entries Past Chats drops past its bound (saving a task) take their image files with them, as a deletion does. */
export function releasePrunedImages(agent: AgentMode, chat: () => ChatSession): void {
  agent.history.onPrune((gone) => chat().releaseImages(gone, tasksOnScreen(agent)));
}

/** The messages of an entry (the task on screen as it is now), or undefined when it is gone. */
function messagesOf(entry: HistoryEntry, deps: HistoryDeps): readonly ExportMessage[] | undefined {
  if (entry.kind === 'chat') return deps.chat().pastChat(entry.id)?.messages;
  const agent = deps.agent();
  const { session } = sessionOf(entry, agent);
  if (entry.id === session.id) return session.views();
  return readTaskRecord(agent.history.openTask(entry.id), entry.id)?.messages;
}

/** Opens an entry as Markdown in a new untitled document (never offered as automatic context). */
export async function exportEntry(entry: HistoryEntry, deps: HistoryDeps): Promise<void> {
  const messages = messagesOf(entry, deps);
  if (!messages?.length) {
    void vscode.window.showInformationMessage(
      notificationText(vscode.l10n.t('Switchyard: "{0}" has no messages to export.', entry.title)),
    );
    return;
  }
  const session = entry.kind === 'task' ? sessionOf(entry, deps.agent()).session : undefined;
  const figures = entry.id === session?.id ? session.task() : undefined;
  const content = exportMarkdown(
    { ...entry, ...(figures ? { steps: figures.steps, spentUsd: figures.spentUsd } : {}) },
    messages,
    { date: (ms) => new Date(ms).toLocaleString(vscode.env.language), knownSecrets: knownSecretsForRedaction() },
  );
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  // Shown for reading and saving, not as context for the next message.
  markOwnDocument(document);
  await vscode.window.showTextDocument(document, { preview: false });
}

/** "Export Chat as Markdown": the conversation on screen. */
export async function exportOnScreen(deps: HistoryDeps): Promise<void> {
  const id = onScreenId(deps);
  const entry = deps
    .chat()
    .chats()
    .find((e) => e.id === id);
  if (!entry) {
    void vscode.window.showInformationMessage(
      notificationText(vscode.l10n.t('Switchyard: nothing to export yet: this chat has no messages.')),
    );
    return;
  }
  await exportEntry(entry, deps);
}
