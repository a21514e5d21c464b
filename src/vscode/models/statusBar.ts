/** The status-bar model switcher: the current model's short name; click to pick another. */
import * as vscode from 'vscode';
import { AUTO_BY_TASK } from '../../config/defaults';
import { shortModelName, type ModelInfo } from '../../openrouter/catalogue';
import { modelTooltipParts } from '../../openrouter/modelTooltip';
import { pickText, singleLine } from '../../openrouter/untrustedText';

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
    this.item.text = `$(hubot) ${byTask ? vscode.l10n.t('Auto by task') : pickText(info?.isRouter ? info.name : shortModelName(modelId), 60)}`;
    // Untrusted (the model id can come from anywhere): never trusted, link syntax escaped by appendText.
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    for (const part of modelTooltipParts(modelId, info, fallbacks, hasKey, this.accountLines, byTask)) {
      if ('markdown' in part) tooltip.appendMarkdown(part.markdown);
      else tooltip.appendText(part.text);
    }
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Switchyard model ${singleLine(modelId, 200)}. Click to change.` };
  }

  dispose(): void {
    this.item.dispose();
  }
}
