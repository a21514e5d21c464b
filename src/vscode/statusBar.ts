/** The status-bar model switcher: the current model's short name; click to pick another. */
import * as vscode from 'vscode';
import { AUTO_BY_TASK } from '../config/defaults';
import { formatContextLength, formatPricePerMillion, shortModelName, type ModelInfo } from '../openrouter/catalogue';

export class ModelStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private last: Parameters<ModelStatusBar['update']> | undefined;
  /** Credits and rate-limit lines of the account (markdown-safe text), shown in the tooltip. */
  private accountLines: readonly string[] = [];

  constructor() {
    this.item = vscode.window.createStatusBarItem('switchyard.model', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Switchyard Model';
    this.item.command = 'switchyard.pickModel';
    this.item.show();
  }

  /** Shows the account's credits and rate limits in the tooltip. */
  setAccount(lines: readonly string[]): void {
    this.accountLines = lines;
    if (this.last) this.update(...this.last);
  }

  update(modelId: string, info: ModelInfo | undefined, fallbacks: readonly string[], hasKey: boolean): void {
    this.last = [modelId, info, fallbacks, hasKey];
    const byTask = modelId === AUTO_BY_TASK;
    // A router is named as the chat header names it ("Auto Router"), not by its id's tail ("auto").
    this.item.text = `$(hubot) ${byTask ? vscode.l10n.t('Auto by task') : info?.isRouter ? info.name : shortModelName(modelId)}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(byTask ? '**Switchyard model**: Auto by task — commands use their tier, chat messages the `chat` tier (`switchyard.routing.tiers`)\n\n' : `**Switchyard model**: \`${modelId}\`\n\n`);
    if (info) {
      tooltip.appendMarkdown(
        info.isFree ? 'Free · ' : info.isRouter ? 'Priced per request · ' : `In ${formatPricePerMillion(info.promptPrice)} · out ${formatPricePerMillion(info.completionPrice)} per M tokens · `,
      );
      tooltip.appendMarkdown(`${formatContextLength(info.contextLength)} context\n\n`);
    }
    if (fallbacks.length) tooltip.appendMarkdown(`Fallbacks: ${fallbacks.map((f) => `\`${f}\``).join(' → ')}\n\n`);
    if (!hasKey) tooltip.appendMarkdown('$(warning) No API key set — run **Switchyard: Sign in with OpenRouter** or **Set API Key**\n\n');
    if (hasKey && this.accountLines.length) {
      tooltip.appendMarkdown('**Credits**\n\n');
      for (const line of this.accountLines) tooltip.appendText(`${line}\n\n`);
    }
    tooltip.appendMarkdown('Click to pick another model.');
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Switchyard model ${modelId}. Click to change.` };
  }

  dispose(): void {
    this.item.dispose();
  }
}
