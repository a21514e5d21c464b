/**
 * The assistant's actions on code: Explain, Fix, Refactor…, Add Tests, Add Docs, Ask About
 * Selection (palette, editor context menu, lightbulb) and Generate Commit Message (Source
 * Control). Each sends a message in the chat with its routing tier and the context it used as
 * chips; Fix / Refactor / Add Docs ask for a replacement of exactly the targeted lines, so the
 * answer's Apply replaces those lines.
 */
import * as vscode from 'vscode';
import { notificationText } from '../../openrouter/untrustedText';
import type { LineSpan } from '../../context/applyRange';
import { wholeLines } from '../../context/applyRange';
import type { Attachment } from '../../context/attachment';
import type { ChatSession, SendOptions } from '../../chat/chatSession';
import type { ReasoningEffort } from '../../openrouter/reasoning';
import { targetOf } from './applyEdit';
import { fixSpan, type SymbolSpan } from '../../context/fixTarget';
import { linesAttachment, problemsAttachment, selectionAttachment } from './editorContext';
import { TEST_FILE_GLOB, testFileFor } from '../../context/testFile';
import { uncommittedDiff } from './gitApi';
import type { Logger } from '../log';

export interface ActionDeps {
  readonly session: () => ChatSession;
  readonly log: Logger;
  /** The text editor the user was last in. */
  readonly editor: () => vscode.TextEditor | undefined;
}

/** Command ids and the tier each one asks the router for. */
export const ACTION_TIERS = {
  'switchyard.explain': 'chat',
  'switchyard.fix': 'edit',
  'switchyard.refactor': 'edit',
  'switchyard.addTests': 'edit',
  'switchyard.addDocs': 'edit',
  'switchyard.generateCommitMessage': 'fast',
} as const;

/**
 * The reasoning effort a command asks for, for models that accept `reasoning` (it wins over the
 * effort remembered for the model; a model that does not offer it uses its remembered one).
 * Explaining and writing a commit message need little thought; edits use the model's own setting.
 */
export const ACTION_EFFORTS: Partial<Record<keyof typeof ACTION_TIERS, ReasoningEffort>> = {
  'switchyard.explain': 'low',
  'switchyard.generateCommitMessage': 'low',
};

interface CodeTarget {
  readonly doc: vscode.TextDocument;
  readonly span: LineSpan;
  /** True when the user selected something (not the whole file or the cursor's line). */
  readonly selected: boolean;
}

const REPLACE_RULES = (label: string): string =>
  `Reply with exactly one fenced code block holding the complete new text of ${label} (every line of that range, keeping its indentation), which will replace those lines as they are; then at most a few sentences on what changed.`;

/** The editor actions as commands (each failure shown, never thrown), and their lightbulb entries. */
export function registerActions(deps: ActionDeps): vscode.Disposable[] {
  const handlers: Record<keyof typeof ACTION_HANDLERS, ActionHandler> = ACTION_HANDLERS;
  return [
    ...Object.entries(handlers).map(([id, handler]) => registerAction(deps, id, handler)),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new AssistantCodeActions(), {
      providedCodeActionKinds: AssistantCodeActions.kinds,
    }),
    vscode.languages.registerCodeActionsProvider({ scheme: 'untitled' }, new AssistantCodeActions(), {
      providedCodeActionKinds: AssistantCodeActions.kinds,
    }),
  ];
}

/** One action: the command's arguments (an editor's URI and range from a code action, or none) → what it does. */
type ActionHandler = (deps: ActionDeps, args: readonly unknown[]) => Promise<void>;

function registerAction(deps: ActionDeps, id: string, handler: ActionHandler): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      await handler(deps, args);
    } catch (error) {
      deps.log.error(`${id} failed: ${String(error)}`);
      void vscode.window.showErrorMessage(
        notificationText(`Switchyard: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  });
}

/** Shows the chat and sends the command's message there (not while an answer is running). */
async function ask(deps: ActionDeps, text: string, options: SendOptions): Promise<void> {
  const session = deps.session();
  if (session.busy) {
    void vscode.window.showInformationMessage(
      notificationText(
        vscode.l10n.t('Switchyard is still answering; stop it (Esc in the chat) or wait, then try again.'),
      ),
    );
    return;
  }
  await vscode.commands.executeCommand('switchyard.chat.focus');
  deps.log.info(
    `action → tier ${options.tier ?? 'chat'}${options.effort ? `, effort ${options.effort}` : ''}${options.target ? `, target ${options.target.label}` : ''}`,
  );
  void session.send(text, options);
}

/** The code a command works on: the code action's range, else the active editor's selection; undefined (with a hint) without an editor. */
async function codeTarget(
  deps: ActionDeps,
  args: readonly unknown[],
  emptyMeans: 'file' | 'problemLines',
): Promise<CodeTarget | undefined> {
  const [first, second] = args;
  const editor = deps.editor();
  if (first instanceof vscode.Uri && second instanceof vscode.Range) {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === first.toString());
    if (doc) return spanFor(doc, new vscode.Selection(second.start, second.end), emptyMeans);
  }
  if (!editor || (first instanceof vscode.Uri && first.toString() !== editor.document.uri.toString())) {
    void vscode.window.showInformationMessage(
      notificationText(vscode.l10n.t('Switchyard: open a file and select the code first.')),
    );
    return undefined;
  }
  return spanFor(editor.document, editor.selection, emptyMeans);
}

const codeAttachment = (t: CodeTarget): Attachment => linesAttachment(t.doc, t.span.startLine, t.span.endLine);
const labelOf = (t: CodeTarget): string => targetOf(t.doc, t.span).label;

/** Asks about the code with the command's own prompt; `replaces` marks the answer's code as what Apply puts in its place. */
async function askAboutCode(
  deps: ActionDeps,
  id: keyof typeof ACTION_TIERS,
  t: CodeTarget,
  prompt: (label: string) => string,
  replaces: boolean,
  extra: readonly Attachment[] = [],
  options: Pick<SendOptions, 'summary' | 'use'> = {},
): Promise<void> {
  const target = targetOf(t.doc, t.span);
  const text = replaces ? `${prompt(target.label)} ${REPLACE_RULES(target.label)}` : prompt(target.label);
  const effort = ACTION_EFFORTS[id];
  await ask(deps, text, {
    tier: ACTION_TIERS[id],
    ...(effort ? { effort } : {}),
    attachments: [codeAttachment(t), ...extra],
    ...(replaces ? { target } : {}),
    ...options,
  });
}

const ACTION_HANDLERS = {
  'switchyard.explain': async (deps, args) => {
    const t = await codeTarget(deps, args, 'file');
    if (t)
      await askAboutCode(
        deps,
        'switchyard.explain',
        t,
        (label) => `Explain ${label}: what it does, how, and anything surprising.`,
        false,
        [],
        { summary: `Explain ${labelOf(t)}` },
      );
  },
  'switchyard.fix': async (deps, args) => {
    const t = await codeTarget(deps, args, 'problemLines');
    if (!t) return;
    const range = new vscode.Range(t.span.startLine, 0, t.span.endLine, t.doc.lineAt(t.span.endLine).text.length);
    const problems = problemsAttachment(t.doc.uri, range);
    const what = problems.ok ? 'the problems listed' : 'any bugs';
    await askAboutCode(
      deps,
      'switchyard.fix',
      t,
      (label) => `Fix ${what} in ${label}.`,
      true,
      problems.ok ? [problems.attachment] : [],
      { summary: `Fix ${labelOf(t)}` },
    );
  },
  'switchyard.refactor': async (deps, args) => {
    const t = await codeTarget(deps, args, 'file');
    if (!t) return;
    const how = await vscode.window.showInputBox({
      title: vscode.l10n.t('Switchyard: Refactor'),
      prompt: vscode.l10n.t('How should {0} be refactored?', labelOf(t)),
      placeHolder: vscode.l10n.t('e.g. extract a function, use async/await, simplify'),
      ignoreFocusOut: true,
    });
    if (how?.trim())
      await askAboutCode(deps, 'switchyard.refactor', t, (label) => `Refactor ${label}: ${how.trim()}.`, true, [], {
        summary: `Refactor ${labelOf(t)}: ${how.trim()}`,
      });
  },
  'switchyard.addDocs': async (deps, args) => {
    const t = await codeTarget(deps, args, 'file');
    if (t)
      await askAboutCode(
        deps,
        'switchyard.addDocs',
        t,
        (label) =>
          `Add documentation comments to ${label} in the language's usual style (e.g. JSDoc, docstrings); do not change the code itself.`,
        true,
        [],
        { summary: `Add docs to ${labelOf(t)}` },
      );
  },
  'switchyard.addTests': async (deps, args) => {
    const t = await codeTarget(deps, args, 'file');
    if (!t) return;
    // The answer creates a test file next to the source; it never replaces the code under test.
    const file = await testFileOf(t.doc);
    const where = file
      ? ` The tests go in a new file, ${file.path}, next to the source: import what they test from there.`
      : '';
    const use = file ? { use: { kind: 'createFile' as const, uri: file.uri.toString(), path: file.path } } : {};
    await askAboutCode(
      deps,
      'switchyard.addTests',
      t,
      (label) =>
        `Write unit tests for ${label} with the test framework this project most likely uses.${where} Put the whole test file in one fenced code block.`,
      false,
      [],
      { summary: `Add tests for ${labelOf(t)}`, ...use },
    );
  },
  'switchyard.askAboutSelection': async (deps) => {
    const picked = selectionAttachment(deps.editor(), 'mention');
    if (!picked.ok) {
      void vscode.window.showInformationMessage(notificationText(`Switchyard: ${picked.reason}`));
      return;
    }
    deps.session().addAttachments([picked.attachment]);
    await vscode.commands.executeCommand('switchyard.chat.focus');
  },
  'switchyard.generateCommitMessage': async (deps, args) => {
    const scm = args[0] as { rootUri?: vscode.Uri } | undefined;
    const root =
      scm?.rootUri instanceof vscode.Uri
        ? scm.rootUri
        : (deps.editor()?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri);
    const diff = await uncommittedDiff(root, 'commit');
    if (!diff.ok) {
      void vscode.window.showInformationMessage(notificationText(`Switchyard: ${diff.reason}`));
      return;
    }
    const attachment: Attachment = {
      id: `diff-commit-${Date.now()}`,
      kind: 'diff',
      source: 'action',
      path: `${diff.staged ? 'staged' : 'uncommitted'} changes, ${diff.root}`,
      language: 'diff',
      content: diff.diff,
    };
    await ask(
      deps,
      'Write a Git commit message for these changes: a subject line of at most 72 characters in the imperative mood, a blank line, then a short body that says why. Reply with the message in one fenced code block.',
      {
        summary: `Commit message for the ${diff.staged ? 'staged' : 'uncommitted'} changes`,
        tier: ACTION_TIERS['switchyard.generateCommitMessage'],
        effort: ACTION_EFFORTS['switchyard.generateCommitMessage'] ?? 'low',
        attachments: [attachment],
        use: { kind: 'commitMessage', ...(root ? { root: root.toString() } : {}) },
      },
    );
  },
} satisfies Record<string, ActionHandler>;

/** The test file for a document, next to it and named as the workspace's tests are (see src/context/testFile.ts). */
async function testFileOf(doc: vscode.TextDocument): Promise<{ uri: vscode.Uri; path: string } | undefined> {
  if (doc.isUntitled || !vscode.workspace.getWorkspaceFolder(doc.uri)) return undefined;
  const existing = await vscode.workspace.findFiles(TEST_FILE_GLOB, '**/node_modules/**', 500);
  const source = vscode.workspace.asRelativePath(doc.uri, false);
  const name = testFileFor(
    source,
    existing.map((u) => vscode.workspace.asRelativePath(u, false)),
  );
  if (!name) return undefined;
  const uri = vscode.Uri.joinPath(doc.uri, '..', name.slice(name.lastIndexOf('/') + 1));
  return { uri, path: name };
}

/**
 * The span a command works on: the selected lines; with no selection, the whole file or (Fix) the
 * problem's lines at the cursor, else the enclosing function / class, else the enclosing block.
 */
async function spanFor(
  doc: vscode.TextDocument,
  selection: vscode.Selection,
  emptyMeans: 'file' | 'problemLines',
): Promise<CodeTarget> {
  if (!selection.isEmpty) return { doc, span: wholeLines(selection.start, selection.end), selected: true };
  if (emptyMeans === 'file')
    return { doc, span: { startLine: 0, endLine: Math.max(0, doc.lineCount - 1) }, selected: false };
  const problems = vscode.languages
    .getDiagnostics(doc.uri)
    .map((d) => ({ startLine: d.range.start.line, endLine: d.range.end.line }));
  const lines = Array.from({ length: doc.lineCount }, (_, i) => doc.lineAt(i).text);
  return {
    doc,
    span: fixSpan(lines, selection.active.line, problems, await documentSymbols(doc.uri)),
    selected: false,
  };
}

/** The document's symbols as line spans (empty when the language has no symbol provider, or it takes over 3 s). */
async function documentSymbols(uri: vscode.Uri): Promise<SymbolSpan[]> {
  type Found = vscode.DocumentSymbol | vscode.SymbolInformation;
  const toSpan = (s: Found): SymbolSpan => {
    const range = 'location' in s ? s.location.range : s.range;
    return {
      kind: vscode.SymbolKind[s.kind],
      startLine: range.start.line,
      endLine: range.end.line,
      children: 'children' in s ? s.children.map(toSpan) : [],
    };
  };
  const found = Promise.resolve(
    vscode.commands.executeCommand<Found[] | undefined>('vscode.executeDocumentSymbolProvider', uri),
  ).catch(() => undefined);
  const symbols = await Promise.race([
    found,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 3000)),
  ]);
  return (symbols ?? []).map(toSpan);
}

/** The lightbulb: Fix on problems, the other actions on a selection. */
class AssistantCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite];

  provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const args = [doc.uri, range];
    if (context.diagnostics.length) {
      const fix = new vscode.CodeAction(vscode.l10n.t('Fix with Switchyard'), vscode.CodeActionKind.QuickFix);
      fix.command = {
        command: 'switchyard.fix',
        title: fix.title,
        arguments: [doc.uri, unionRange(range, context.diagnostics)],
      };
      fix.diagnostics = [...context.diagnostics];
      actions.push(fix);
    }
    if (!range.isEmpty) {
      for (const [command, title] of [
        ['switchyard.explain', vscode.l10n.t('Explain with Switchyard')],
        ['switchyard.refactor', vscode.l10n.t('Refactor with Switchyard…')],
        ['switchyard.addDocs', vscode.l10n.t('Add Docs with Switchyard')],
        ['switchyard.addTests', vscode.l10n.t('Add Tests with Switchyard')],
      ] as const) {
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.RefactorRewrite);
        action.command = { command, title, arguments: args };
        actions.push(action);
      }
    }
    return actions;
  }
}

function unionRange(range: vscode.Range, diagnostics: readonly vscode.Diagnostic[]): vscode.Range {
  return diagnostics.reduce((r, d) => r.union(d.range), range);
}
