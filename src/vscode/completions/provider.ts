/**
 * The inline-completion provider VS Code calls on each keystroke (files and untitled documents).
 * It hands the cursor's text to the engine and returns its suggestion as ghost text; Tab, Ctrl+→
 * and Escape are VS Code's own inline-suggest commands. Accepting runs
 * `switchyard.completions.accepted` to count it.
 */
import * as vscode from 'vscode';
import type { CompletionEngine, EngineSettings } from '../../completions/engine';
import { isSubsequence, openedBefore, type BracketState } from '../../completions/brackets';
import { latencySample, type LatencySample } from '../../completions/latency';
import { SNIPPET_LIMITS } from '../../completions/prompt';
import type { CursorText } from '../../completions/cache';
import { acceptedCursor } from '../../completions/selectedItem';
import { findSecretLines } from '../../openrouter/secrets';
import { documentPath, isSecretDocument, type RecentEdits } from './snippets';

/** Characters read around the cursor (the prompt then fits them to its token budgets). */
const PREFIX_CHARS = 12_000;
const SUFFIX_CHARS = 4_000;

export const ACCEPTED_COMMAND = 'switchyard.completions.accepted';

export interface ProviderDeps {
  readonly engine: CompletionEngine;
  readonly recent: RecentEdits;
  /** Settings for this document's language, or undefined when completions are off for it (off, snoozed, budget). */
  settingsFor(languageId: string): EngineSettings | undefined;
  /** `switchyard.context.exclude` and `switchyard.completions.exclude`: files never sent (besides the secret-looking ones). */
  exclude(): readonly string[];
  /** A suggestion is shown: how long it took from the keystroke. */
  onLatency?(sample: LatencySample): void;
  log?(message: string): void;
}

export class InlineProvider implements vscode.InlineCompletionItemProvider {
  constructor(private readonly deps: ProviderDeps) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const calledAt = performance.now();
    const settings = this.deps.settingsFor(document.languageId);
    const exclude = this.deps.exclude();
    if (!settings || isSecretDocument(document, exclude)) return undefined;
    // A credential on the cursor's line: nothing is sent (other such lines are emptied in the prompt).
    if (findSecretLines(document.lineAt(position.line).text).length > 0) return undefined;
    const cursor = cursorText(document, position, context.selectedCompletionInfo);
    if (!cursor) return undefined;
    const controller = new AbortController();
    if (token.isCancellationRequested) return undefined;
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const result = await this.deps.engine.provide(
        {
          editorId: document.uri.toString(),
          languageId: document.languageId,
          path: documentPath(document),
          ...cursor.at,
          snippets: this.deps.recent.snippets(document.uri, SNIPPET_LIMITS.count, exclude),
        },
        settings,
        controller.signal,
      );
      if (result.kind === 'none' && result.reason === 'empty')
        this.deps.log?.(
          `completion: the answer adds nothing at line ${position.line + 1} of ${documentPath(document)}; nothing shown`,
        );
      if (result.kind !== 'suggestion' || token.isCancellationRequested) return undefined;
      // The suggestion replaces the rest of the line (auto-closed brackets it takes over): VS Code
      // shows it as ghost text when those characters appear in it in order.
      const lineEnd = document.lineAt(position.line).range.end;
      const rest = document.getText(new vscode.Range(position, lineEnd));
      if (!isSubsequence(rest, result.text)) return undefined;
      const item = new vscode.InlineCompletionItem(
        cursor.before + result.text,
        new vscode.Range(cursor.from, lineEnd),
        {
          title: 'Accepted',
          command: ACCEPTED_COMMAND,
          arguments: [result.id],
        },
      );
      this.deps.onLatency?.(
        latencySample(performance.now() - calledAt, result.waited, document.lineCount, result.source),
      );
      this.deps.engine.shown(result.id);
      return [item];
    } finally {
      cancel.dispose();
    }
  }
}

/**
 * The text around the cursor the engine is asked at. With VS Code's suggest list open on an item,
 * the cursor as if that item were accepted, and the suggestion then starts with the item's text
 * over its range (src/completions/selectedItem.ts); undefined when no suggestion could extend it.
 */
function cursorText(
  document: vscode.TextDocument,
  position: vscode.Position,
  selected: vscode.SelectedCompletionInfo | undefined,
):
  | {
      readonly at: CursorText & { readonly opened?: () => BracketState | undefined };
      readonly from: vscode.Position;
      readonly before: string;
    }
  | undefined {
  const offset = document.offsetAt(position);
  const start = document.positionAt(Math.max(0, offset - PREFIX_CHARS));
  const end = document.positionAt(offset + SUFFIX_CHARS);
  const at = {
    prefix: document.getText(new vscode.Range(start, position)),
    suffix: document.getText(new vscode.Range(position, end)),
    offset,
  };
  // Scanned only if a request goes (the engine calls it after the debounce).
  const opened = (): BracketState | undefined =>
    openedBefore(
      document.offsetAt(start),
      (from, to) => document.getText(new vscode.Range(document.positionAt(from), document.positionAt(to))),
      document.languageId,
    );
  if (!selected) return { at: { ...at, opened }, from: position, before: '' };
  const item = {
    start: document.offsetAt(selected.range.start),
    end: document.offsetAt(selected.range.end),
    text: selected.text,
  };
  const accepted = acceptedCursor(at, item);
  return accepted && { at: { ...accepted, opened }, from: selected.range.start, before: selected.text };
}
