/**
 * Change Task Budget (the task header's budget button, and the way forward of a task stopped by
 * its budget): raise it, set an amount, move the remaining steps to a cheaper model
 * (`onBudget: downgrade` for this task), or no budget for this task. Applies to the current task
 * only; the setting `switchyard.agent.taskBudgetUsd` stays as it is.
 */
import * as vscode from 'vscode';
import type { AgentSession } from '../../agent/session';
import { formatUsd } from '../../protocol/units';

type Change = Parameters<AgentSession['setTaskBudget']>[0];

/** A positive amount of USD typed by the user ("0.5", "$2"), or undefined. */
export function parseUsd(text: string): number | undefined {
  const value = Number(text.trim().replace(/^\$/, ''));
  return Number.isFinite(value) && value > 0 && value <= 10_000 ? value : undefined;
}

export async function changeTaskBudget(session: AgentSession): Promise<void> {
  const task = session.task();
  const current = task.budgetUsd;
  const raised = Math.max((current ?? 0) * 2, task.spentUsd * 2, 0.05);
  type Item = vscode.QuickPickItem & { change?: Change; ask?: true };
  const items: Item[] = [
    {
      label: vscode.l10n.t('Raise to {0}', formatUsd(raised)),
      description: current !== undefined ? vscode.l10n.t('now {0}', formatUsd(current)) : '',
      change: { usd: raised },
    },
    { label: vscode.l10n.t('Set an amount…'), ask: true },
    {
      label: vscode.l10n.t('Move the remaining steps to a cheaper model'),
      detail:
        current !== undefined
          ? vscode.l10n.t('When the next step would cross the budget, a cheaper tool-capable model takes over')
          : vscode.l10n.t(
              'Asks for a budget: when the next step would cross it, a cheaper tool-capable model takes over',
            ),
      change: { downgrade: true },
    },
    { label: vscode.l10n.t('No budget for this task'), change: { usd: null } },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Switchyard: Change Task Budget'),
    placeHolder: vscode.l10n.t('Spent so far: {0}', formatUsd(task.spentUsd)),
  });
  if (!picked) return;
  // A cheaper model on a task without a budget would never take over: it needs the figure too.
  if (picked.change && !(picked.change.downgrade && current === undefined)) return session.setTaskBudget(picked.change);
  const usd = await askUsd(current, picked.change?.downgrade === true);
  if (usd !== undefined) await session.setTaskBudget({ ...picked.change, usd });
}

/** The task's budget typed by the user (undefined: cancelled); `downgrade` says what happens past it. */
async function askUsd(current: number | undefined, downgrade: boolean): Promise<number | undefined> {
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Switchyard: task budget in USD'),
    prompt: downgrade
      ? vscode.l10n.t("When this task's next step would cross it, its remaining steps move to a cheaper model")
      : undefined,
    value: current !== undefined ? String(current) : '',
    validateInput: (text) =>
      parseUsd(text) === undefined ? vscode.l10n.t('A number of USD above 0, such as 0.50') : undefined,
  });
  return typed === undefined ? undefined : parseUsd(typed);
}
