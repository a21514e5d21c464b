/**
 * Set Budgets…: a form for `switchyard.routing.budgets` (an object the Settings editor can only
 * show as "Edit in settings.json"). It is also the way forward from a budget block: the error card's
 * "Raise Budget…" runs it. Which limit, then its amount in USD (empty removes it); the other limits
 * are kept, and the user setting is written (a workspace may only make budgets stricter).
 */
import * as vscode from 'vscode';
import { BUDGET_LIMITS, parseBudgetInput, withBudgetLimit, type BudgetLimit } from '../../config/budgetInput';
import { notificationText, pickText } from '../../openrouter/untrustedText';
import { formatUsd } from '../../protocol/units';

const LIMIT_LABELS: Readonly<Record<BudgetLimit, string>> = {
  perRequestUsd: 'Per request (its worst case)',
  perDayUsd: 'Per day (today’s spend plus the worst case)',
  perMonthUsd: 'Per month',
};

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('switchyard');

/** The budgets in effect and the user's own (the form edits the user's). */
function budgets(): { effective: Record<string, unknown>; user: Record<string, unknown> | undefined } {
  const inspected = config().inspect<Record<string, unknown>>('routing.budgets');
  return { effective: config().get<Record<string, unknown>>('routing.budgets') ?? {}, user: inspected?.globalValue };
}

const shown = (value: unknown): string => (typeof value === 'number' ? formatUsd(value) : vscode.l10n.t('no limit'));

export async function editBudgets(): Promise<void> {
  const { effective, user } = budgets();
  const picked = await vscode.window.showQuickPick(
    BUDGET_LIMITS.map((limit) => ({
      label: limit,
      description: pickText(shown(effective[limit])),
      detail: LIMIT_LABELS[limit],
      limit,
    })),
    { title: vscode.l10n.t('Switchyard: which budget? (USD; what happens when one is crossed: routing.onBudget)') },
  );
  if (!picked) return;
  const current = user?.[picked.limit];
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Switchyard: {0} budget in USD', picked.limit),
    prompt: vscode.l10n.t('An amount in USD, e.g. 0.50; empty: no limit'),
    value: typeof current === 'number' ? String(current) : '',
    validateInput: (text) => {
      const r = parseBudgetInput(text);
      return r.ok ? undefined : r.error;
    },
  });
  if (typed === undefined) return;
  const parsed = parseBudgetInput(typed);
  if (!parsed.ok) return;
  await config().update(
    'routing.budgets',
    withBudgetLimit(user, picked.limit, parsed.usd),
    vscode.ConfigurationTarget.Global,
  );
  void vscode.window.showInformationMessage(
    notificationText(
      vscode.l10n.t(
        'Switchyard: {0} budget {1} in your user settings.',
        picked.limit,
        parsed.usd === undefined ? vscode.l10n.t('removed') : vscode.l10n.t('set to {0}', formatUsd(parsed.usd)),
      ),
    ),
  );
}
