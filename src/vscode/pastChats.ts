/**
 * "Past Chats": the workspace's chats in a searchable list (newest first, the one on screen
 * marked), like the task history of Cline and Roo. Enter reopens a chat; the trash button on a
 * row deletes it (after a confirmation). The search matches every word in titles and messages.
 */
import * as vscode from 'vscode';
import { notificationText, pickText } from '../openrouter/untrustedText';
import type { ChatSession } from '../chat/chatSession';
import type { ChatSummary } from '../chat/conversation';

interface ChatItem extends vscode.QuickPickItem {
  readonly chat: ChatSummary;
}

const DELETE_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('trash'),
  tooltip: vscode.l10n.t('Delete this chat'),
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

/** Shows the list; resolves when it closes. */
export async function showPastChats(session: () => ChatSession, focusChat: () => Thenable<unknown>): Promise<void> {
  const pick = vscode.window.createQuickPick<ChatItem>();
  pick.title = vscode.l10n.t('Switchyard: Past Chats');
  pick.placeholder = vscode.l10n.t('Search past chats (titles and messages); Enter reopens one');
  pick.matchOnDescription = true;
  const render = (): void => {
    const query = pick.value;
    const chats = session().chats(query);
    const current = session().chatId;
    pick.items = chats.map((chat) => ({
      chat,
      label: pickText(chat.title, 120),
      description: `${chat.id === current ? vscode.l10n.t('current · ') : ''}${ago(chat.updatedAt)} · ${vscode.l10n.t('{0} messages', chat.messageCount)}`,
      buttons: [DELETE_BUTTON],
      // Our own search (every word, in the messages too) decides; the list's filter must not hide them.
      alwaysShow: true,
    }));
    pick.placeholder =
      chats.length || query
        ? vscode.l10n.t('Search past chats (titles and messages); Enter reopens one')
        : vscode.l10n.t('No past chats yet: they are saved as you chat');
  };
  render();
  const done = new Promise<void>((resolve) => {
    pick.onDidChangeValue(render);
    pick.onDidTriggerItemButton(async ({ item }) => {
      const yes = vscode.l10n.t('Delete');
      pick.ignoreFocusOut = true;
      const answer = await vscode.window.showWarningMessage(
        notificationText(vscode.l10n.t('Delete the chat "{0}"? This cannot be undone.', item.chat.title)),
        { modal: true },
        yes,
      );
      pick.ignoreFocusOut = false;
      if (answer === yes) await session().deleteChat(item.chat.id);
      render();
      pick.show();
    });
    pick.onDidAccept(async () => {
      const item = pick.selectedItems[0];
      pick.hide();
      if (!item) return;
      if (!(await session().openChat(item.chat.id)))
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
