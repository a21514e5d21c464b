/**
 * Explain Route for VS Code's chat: once VS Code's chat has sent a request through Switchyard,
 * Explain Route asks which route to explain — that last request, or the next message of
 * Switchyard's own chat (the only one before).
 */
import * as vscode from 'vscode';
import type { LmPlanned } from '../../languageModel/send';
import type { ExplainInput, RoutingService } from '../models/routingService';

/** What Explain Route shows: Switchyard chat's next message, or VS Code chat's last request. */
export async function explainRouteCommand(
  last: { readonly planned: LmPlanned; readonly at: number } | undefined,
  routing: RoutingService,
  planNext: () => Promise<ExplainInput>,
): Promise<void> {
  if (!last) return routing.explainPlanning(planNext());
  const vscodeChat = {
    label: vscode.l10n.t('Last request from VS Code Chat'),
    description: vscode.l10n.t('sent at {0}', new Date(last.at).toLocaleTimeString()),
    which: 'vscodeChat' as const,
  };
  const chat = { label: vscode.l10n.t('Next message in Switchyard\u2019s chat'), which: 'chat' as const };
  const picked = await vscode.window.showQuickPick([vscodeChat, chat], {
    title: vscode.l10n.t('Switchyard: Explain Route'),
    placeHolder: vscode.l10n.t('Which request?'),
  });
  if (!picked) return;
  if (picked.which === 'chat') return routing.explainPlanning(planNext());
  await routing.explain(last.planned);
}
