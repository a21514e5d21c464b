/**
 * "Past Chats": the workspace's chats and agent tasks in one searchable list (newest first, the
 * one on screen marked), like the task history of Cline and Roo: each row says its mode, and a
 * task its steps, spend and outcome. Enter reopens one (a task read-only, with Continue); a row's
 * buttons export it as Markdown or delete it (after a confirmation). The search matches every
 * word in titles and messages. The rows come from the index alone (./taskHistory.ts).
 */
import * as vscode from 'vscode';
import { modeText, outcomeText, type HistoryEntry } from '../../protocol/history';
import { formatUsd } from '../../protocol/units';
import { notificationText, pickText } from '../../openrouter/untrustedText';
import { deleteEntry, exportEntry, onScreenId, openEntry, type HistoryDeps } from '../agent/taskHistory';

interface ChatItem extends vscode.QuickPickItem {
  readonly chat: HistoryEntry;
}

const EXPORT_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('markdown'),
  tooltip: vscode.l10n.t('Export as Markdown'),
};

const DELETE_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('trash'),
  tooltip: vscode.l10n.t('Delete'),
};

/** "5 min ago", "yesterday", "3 days ago" (Intl, the UI's locale). */
export function ago(then: number, now: number = Date.now()): string {
  const format = new Intl.RelativeTimeFormat(vscode.env.language, { numeric: 'auto' });
  const minutes = Math.round((then - now) / 60_000);
  if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return format.format(hours, 'hour');
  return format.format(Math.round(hours / 24), 'day');
}

/** What a row says after its title: mode, then a task's steps, spend and outcome (or a chat's messages), then when. */
export function describeEntry(entry: HistoryEntry, current: boolean, now = Date.now()): string {
  const parts = [modeText(entry.mode)];
  if (entry.kind === 'task') {
    const steps = entry.steps ?? 0;
    parts.push(steps === 1 ? vscode.l10n.t('1 step') : vscode.l10n.t('{0} steps', steps));
    if (entry.spentUsd !== undefined) parts.push(formatUsd(entry.spentUsd));
    if (entry.outcome) parts.push(outcomeText(entry.outcome));
  } else parts.push(vscode.l10n.t('{0} messages', entry.messageCount));
  parts.push(ago(entry.updatedAt, now));
  return `${current ? vscode.l10n.t('current · ') : ''}${parts.join(' · ')}`;
}

/** Shows the list; resolves when it closes. */
export async function showPastChats(deps: HistoryDeps, focusChat: () => Thenable<unknown>): Promise<void> {
  const pick = vscode.window.createQuickPick<ChatItem>();
  pick.title = vscode.l10n.t('Switchyard: Past Chats');
  pick.matchOnDescription = true;
  const render = (): void => {
    const query = pick.value;
    const entries = deps.chat().chats(query);
    const current = onScreenId(deps);
    pick.items = entries.map((chat) => ({
      chat,
      label: pickText(chat.title, 120),
      description: describeEntry(chat, chat.id === current),
      buttons: [EXPORT_BUTTON, DELETE_BUTTON],
      // Our own search (every word, in the messages too) decides; the list's filter must not hide them.
      alwaysShow: true,
    }));
    pick.placeholder =
      entries.length || query
        ? vscode.l10n.t('Search past chats and tasks (titles and messages); Enter reopens one')
        : vscode.l10n.t('No past chats yet: chats and agent tasks are saved as they go');
  };
  render();
  const done = new Promise<void>((resolve) => {
    pick.onDidChangeValue(render);
    pick.onDidTriggerItemButton(async ({ item, button }) => {
      if (button === EXPORT_BUTTON) {
        pick.hide();
        return exportEntry(item.chat, deps);
      }
      await confirmDelete(pick, item.chat, deps);
      render();
      pick.show();
    });
    pick.onDidAccept(async () => {
      const item = pick.selectedItems[0];
      pick.hide();
      if (!item) return;
      if (!(await deps.switchConversation(() => openEntry(item.chat, deps))))
        void vscode.window.showWarningMessage(
          notificationText(vscode.l10n.t('Switchyard: that chat no longer exists.')),
        );
      await focusChat();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve();
    });
  });
  pick.show();
  await done;
}

async function confirmDelete(pick: vscode.QuickPick<ChatItem>, entry: HistoryEntry, deps: HistoryDeps): Promise<void> {
  const yes = vscode.l10n.t('Delete');
  pick.ignoreFocusOut = true;
  const what =
    entry.kind === 'task'
      ? vscode.l10n.t('Delete the task "{0}"? This cannot be undone.', entry.title)
      : vscode.l10n.t('Delete the chat "{0}"? This cannot be undone.', entry.title);
  const answer = await vscode.window.showWarningMessage(notificationText(what), { modal: true }, yes);
  pick.ignoreFocusOut = false;
  if (answer === yes) await deleteEntry(entry, deps);
}
