/** The completions' status-bar item: on, off (globally or for this language), snoozed, budget reached, the model failing. */
import * as vscode from 'vscode';
import { formatUsd } from '../../protocol/units';
import type { Down } from '../../completions/health';
import { describeFigures, type DailyFigures } from '../../completions/stats';

export type CompletionStatus =
  | { readonly kind: 'on'; readonly model: string }
  | { readonly kind: 'off' }
  | { readonly kind: 'offLanguage'; readonly language: string }
  | { readonly kind: 'snoozed'; readonly until: number }
  | { readonly kind: 'budget'; readonly reason: string }
  | { readonly kind: 'down'; readonly down: Down };

export const MENU_COMMAND = 'switchyard.completions.menu';

/** The item's words for a status (also its accessible label). */
export function statusWords(status: CompletionStatus): { text: string; label: string } {
  switch (status.kind) {
    case 'on':
      return { text: '$(sparkle) Completions', label: 'Switchyard completions on' };
    case 'off':
      return { text: '$(circle-slash) Completions off', label: 'Switchyard completions off' };
    case 'offLanguage':
      return {
        text: `$(circle-slash) Completions off (${status.language})`,
        label: `Switchyard completions off for ${status.language}`,
      };
    case 'snoozed':
      return { text: '$(clock) Completions snoozed', label: 'Switchyard completions snoozed' };
    case 'budget':
      return {
        text: '$(warning) Completions: budget reached',
        label: 'Switchyard completions paused: daily budget reached',
      };
    case 'down':
      return status.down.until
        ? {
            text: `$(warning) Completions: cooling down until ${clock(status.down.until)}`,
            label: `Switchyard completions paused until ${clock(status.down.until)}: ${status.down.reason}`,
          }
        : {
            text: '$(warning) Completions: model failing',
            label: `Switchyard completions failing: ${status.down.reason}`,
          };
  }
}

/** A time of day, "14:05:09". */
export function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** The tooltip's and menu's sentence for a failing model: the reason, until when, the fix. */
export function downSentence(down: Down): string {
  return `${down.reason}${down.until ? `; cooling down until ${clock(down.until)}` : ''}. ${down.fix}`;
}

export class CompletionStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('switchyard.completions', vscode.StatusBarAlignment.Right, 99);
    this.item.name = 'Switchyard Completions';
    this.item.command = MENU_COMMAND;
  }

  update(status: CompletionStatus, figures: DailyFigures, budgetUsd: number, latency?: string): void {
    const { text, label } = statusWords(status);
    this.item.text = text;
    this.item.accessibilityInformation = { label: `${label}. Click for options.` };
    const tooltip = new vscode.MarkdownString();
    if (status.kind === 'on') tooltip.appendMarkdown(`**Inline completions** with \`${status.model}\`\n\n`);
    if (status.kind === 'snoozed')
      tooltip.appendMarkdown(`**Inline completions** snoozed until ${new Date(status.until).toLocaleTimeString()}\n\n`);
    if (status.kind === 'budget') tooltip.appendText(`Inline completions paused: ${status.reason}.\n\n`);
    if (status.kind === 'down') tooltip.appendText(`Inline completions paused: ${downSentence(status.down)}\n\n`);
    if (status.kind === 'off' || status.kind === 'offLanguage')
      tooltip.appendMarkdown('**Inline completions** are off\n\n');
    tooltip.appendText(`Today: ${describeFigures(figures)} (budget ${formatUsd(budgetUsd)})\n\n`);
    if (latency) tooltip.appendText(`${latency}\n\n`);
    tooltip.appendMarkdown('Click for options.');
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
