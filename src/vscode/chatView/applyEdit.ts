/**
 * Apply a code block from an answer: a diff (the file ⇄ the proposed text) first, then — only on
 * the user's Apply — one `WorkspaceEdit` (one undo step). For Fix / Refactor / Add Docs the code
 * replaces exactly the lines the command targeted; otherwise the selection's lines (or the whole
 * file) of the last active editor. A target that changed since is reported, never overwritten.
 */
import { notificationText, pickText } from '../../openrouter/untrustedText';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { proposalPress } from '../../context/proposalTarget';
import {
  locateTarget,
  planLineEdit,
  spanText,
  wholeLines,
  type ApplyTarget,
  type LineSpan,
} from '../../context/applyRange';
import { PROPOSAL_SCHEME, type ProposalDocuments } from './diffDocuments';
import { contentHash } from './editorContext';
import type { Logger } from '../log';

export const PROPOSAL_CONTEXT_KEY = 'switchyard.proposalOpen';

type Decision = 'apply' | 'discard';

interface Pending {
  readonly proposal: vscode.Uri;
  readonly decide: (decision: Decision) => void;
}

export class ApplyFlow implements vscode.Disposable {
  private pending: Pending | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly proposals: ProposalDocuments,
    private readonly log: Logger,
    private readonly lastEditor: () => vscode.TextEditor | undefined,
  ) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, proposals),
      // Closing the diff is a Discard.
      vscode.window.tabGroups.onDidChangeTabs((event) => {
        const pending = this.pending;
        if (!pending) return;
        const closed = event.closed.some(
          (tab) =>
            tab.input instanceof vscode.TabInputTextDiff &&
            tab.input.modified.toString() === pending.proposal.toString(),
        );
        if (closed) pending.decide('discard');
      }),
    );
  }

  /**
   * The editor-title / palette Apply and Discard buttons of an open proposal. `pressed` is the URI
   * the title-bar button passes (its diff's right side); only the pending proposal's own diff acts.
   */
  decide(decision: Decision, pressed?: unknown): void {
    const activeTab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const activeDiff = activeTab instanceof vscode.TabInputTextDiff ? activeTab.modified.toString() : undefined;
    // The title-bar buttons pass the diff's URI; the notification's links pass it as a string
    // (decoded once more on the way: parsed again, it compares like the URI).
    const given =
      pressed instanceof vscode.Uri
        ? pressed.toString()
        : typeof pressed === 'string'
          ? vscode.Uri.parse(pressed).toString()
          : undefined;
    const press = proposalPress(given, activeDiff, this.pending?.proposal.toString());
    if (!press.ok) {
      this.log.warn(`${decision} refused: ${press.reason}`);
      void vscode.window.showInformationMessage(notificationText(`Switchyard: ${press.reason}`));
      return;
    }
    this.pending?.decide(decision);
  }

  /** Shows the diff for `code` and applies it if the user accepts. */
  async apply(code: string, target: ApplyTarget | undefined): Promise<void> {
    const chosen = target ? await this.fromTarget(target) : this.fromEditor();
    if ('reason' in chosen) {
      this.log.warn(`apply refused: ${chosen.reason}`);
      void vscode.window.showWarningMessage(notificationText(`Switchyard: ${chosen.reason}`));
      return;
    }
    const { doc, snapshot } = chosen;
    let plan: ReturnType<typeof planLineEdit>;
    try {
      plan = planLineEdit(doc.getText(), snapshot, code);
    } catch (error) {
      void vscode.window.showWarningMessage(
        notificationText(`Switchyard: cannot apply: ${error instanceof Error ? error.message : String(error)}`),
      );
      return;
    }
    this.pending?.decide('discard');
    const proposal = this.proposals.add(doc.uri, plan.proposed);
    const name = path.posix.basename(doc.uri.path);
    let decide!: (decision: Decision) => void;
    const decided = new Promise<Decision>((resolve) => (decide = resolve));
    const pending: Pending = { proposal, decide };
    this.pending = pending;
    await vscode.commands.executeCommand('setContext', PROPOSAL_CONTEXT_KEY, true);
    try {
      await vscode.commands.executeCommand(
        'vscode.diff',
        doc.uri,
        proposal,
        `${name}: current ⇄ proposed (${snapshot.label})`,
        { preview: true },
      );
      askToApply(snapshot.label, proposal, decided);
      const decision = await decided;
      if (decision === 'apply') await this.write(doc, snapshot, plan.edit.span, plan.edit.endCharacter, plan.edit.text);
      else this.log.info(`proposal for ${snapshot.label} discarded`);
    } finally {
      if (this.pending === pending) {
        this.pending = undefined;
        await vscode.commands.executeCommand('setContext', PROPOSAL_CONTEXT_KEY, false);
      }
      await closeDiff(proposal);
      this.proposals.forget(proposal);
    }
  }

  private async write(
    doc: vscode.TextDocument,
    snapshot: ApplyTarget,
    planned: LineSpan,
    plannedEnd: number,
    text: string,
  ): Promise<void> {
    let span = planned;
    let endCharacter = plannedEnd;
    // The file may have changed while the diff was open (its left side is the real file): the
    // targeted lines must still read as they did, wherever they are now.
    const located = locateTarget({ ...snapshot, ...span }, doc.getText(), contentHash(doc.getText()));
    if (!located.ok) {
      this.log.warn(`apply refused: ${located.reason}`);
      void vscode.window.showWarningMessage(notificationText(`Switchyard: ${located.reason}`));
      return;
    }
    if (located.moved) {
      endCharacter = doc.lineAt(located.span.endLine).text.length;
      span = located.span;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(span.startLine, 0, span.endLine, endCharacter), text);
    const ok = await vscode.workspace.applyEdit(edit);
    if (!ok) {
      void vscode.window.showErrorMessage(
        notificationText(
          vscode.l10n.t('Switchyard: the change could not be applied to {0} (read-only?).', snapshot.label),
        ),
      );
      return;
    }
    this.log.info(`applied the proposed change to ${snapshot.label}`);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const end = span.startLine + text.split(/\r?\n/).length - 1;
    editor.selection = new vscode.Selection(span.startLine, 0, span.startLine, 0);
    editor.revealRange(
      new vscode.Range(span.startLine, 0, end, 0),
      vscode.TextEditorRevealType.InCenterIfOutsideViewport,
    );
    vscode.window.setStatusBarMessage(
      vscode.l10n.t('$(check) Applied to {0}; Undo (Ctrl+Z) reverts it', pickText(snapshot.label, 120)),
      5000,
    );
  }

  /**
   * Add Tests' "Create test file": a new file at `uri` holding `code` (one undo step), opened; when
   * the file exists already, a diff of it ⇄ `code` to accept or discard, as Apply does.
   */
  async createFile(uri: vscode.Uri, label: string, code: string): Promise<void> {
    const text = code.endsWith('\n') ? code : `${code}\n`;
    let exists = true;
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      exists = false;
    }
    if (exists) {
      const doc = await vscode.workspace.openTextDocument(uri);
      await this.apply(text, targetOf(doc, { startLine: 0, endLine: Math.max(0, doc.lineCount - 1) }));
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { contents: new TextEncoder().encode(text) });
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(
        notificationText(vscode.l10n.t('Switchyard: {0} could not be created.', label)),
      );
      return;
    }
    this.log.info(`created ${label}`);
    await vscode.window.showTextDocument(uri, { preview: false });
    vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) Created {0}; Undo (Ctrl+Z) removes it', label), 5000);
  }

  /** The command's target, if the document is still exactly as it was. */
  private async fromTarget(
    target: ApplyTarget,
  ): Promise<{ doc: vscode.TextDocument; snapshot: ApplyTarget } | { reason: string }> {
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri));
    } catch {
      return { reason: `${target.label} can no longer be opened; the code was not applied.` };
    }
    const located = locateTarget(target, doc.getText(), contentHash(doc.getText()));
    if (!located.ok) return { reason: located.reason };
    if (!located.moved && target.contentHash === contentHash(doc.getText())) return { doc, snapshot: target };
    // Edited elsewhere since: the same lines, where they are now.
    this.log.info(
      `apply: ${target.label} unchanged by later edits${located.moved ? `, now at line ${located.span.startLine + 1}` : ''}`,
    );
    return { doc, snapshot: targetOf(doc, located.span) };
  }

  /** No target: the last editor's selected lines, or its whole file. */
  private fromEditor(): { doc: vscode.TextDocument; snapshot: ApplyTarget } | { reason: string } {
    const editor = this.lastEditor();
    if (!editor) return { reason: 'Open the file to apply the code to (and select the lines it replaces).' };
    const doc = editor.document;
    const span = editor.selection.isEmpty
      ? { startLine: 0, endLine: doc.lineCount - 1 }
      : wholeLines(editor.selection.start, editor.selection.end);
    return { doc, snapshot: targetOf(doc, span) };
  }

  dispose(): void {
    this.pending?.decide('discard');
    this.disposables.forEach((d) => d.dispose());
  }
}

/**
 * A progress notification, not a message: it closes by itself once the proposal is decided
 * anywhere (its Apply / Discard, ✓ / ✗ in the diff's title bar, the palette, closing the diff), so
 * no stale "Apply" is left behind. Its two choices are the only ones it offers: no Cancel (a
 * second way to say Discard). VS Code's API gives a notification that closes itself no buttons of
 * the extension's own, so the choices are command links, and they come first: without a button
 * VS Code shows the toast on one line, cut with an ellipsis ("Switchyard: Apply or Discard the
 * proposed change to src/a.ts:3-5").
 */
function askToApply(label: string, proposal: vscode.Uri, decided: Promise<Decision>): void {
  const apply = proposalLink(vscode.l10n.t('Apply'), 'switchyard.acceptProposal', proposal);
  const discard = proposalLink(vscode.l10n.t('Discard'), 'switchyard.discardProposal', proposal);
  const what = notificationText(vscode.l10n.t('the proposed change to {0}', label));
  void vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Switchyard: {0} or {1} {2}', apply, discard, what),
      cancellable: false,
    },
    () => decided,
  );
}

/** A command link in a notification message that decides this proposal (and only this one). */
function proposalLink(label: string, command: string, proposal: vscode.Uri): string {
  return `[${label}](command:${command}?${encodeURIComponent(JSON.stringify([proposal.toString()]))})`;
}

export function targetOf(doc: vscode.TextDocument, span: LineSpan): ApplyTarget {
  const rel = doc.isUntitled ? doc.fileName : vscode.workspace.asRelativePath(doc.uri, false);
  const label =
    span.startLine === span.endLine
      ? `${rel}:${span.startLine + 1}`
      : `${rel}:${span.startLine + 1}-${span.endLine + 1}`;
  const text = doc.getText();
  return {
    uri: doc.uri.toString(),
    label,
    startLine: span.startLine,
    endLine: span.endLine,
    version: doc.version,
    contentHash: contentHash(text),
    linesText: spanText(text, span),
  };
}

async function closeDiff(proposal: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter(
      (tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposal.toString(),
    );
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

/**
 * Opens `code` in a new untitled editor. With `suggested` (a workspace-relative path, see
 * src/context/newFileName.ts) that does not exist yet in the first workspace folder, the editor is
 * named after it and Save writes it there (an untitled document with an associated path: no
 * dialog; VS Code itself refuses one over an existing file). Otherwise a plain untitled editor in
 * the code block's language (its Save As dialog asks for the name).
 */
export async function openAsNewFile(code: string, language: string, suggested?: string, log?: Logger): Promise<void> {
  const named = suggested ? await namedUntitled(suggested, code, log) : undefined;
  if (named) {
    await vscode.window.showTextDocument(named, { preview: false });
    vscode.window.setStatusBarMessage(vscode.l10n.t('$(new-file) Save creates {0}', suggested!), 8000);
    return;
  }
  const languageId = await languageFor(language);
  const doc = await vscode.workspace.openTextDocument({
    content: code,
    ...(languageId ? { language: languageId } : {}),
  });
  await vscode.window.showTextDocument(doc, { preview: false });
}

/** An untitled document holding `code`, associated with `relative` in the first workspace folder; undefined when that cannot be. */
async function namedUntitled(
  relative: string,
  code: string,
  log: Logger | undefined,
): Promise<vscode.TextDocument | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  const target = vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
  const uri = target.with({ scheme: 'untitled' });
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  // An existing file is Apply's business; an editor of that name already open may hold other code.
  if (exists || vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) {
    log?.info(`New file: ${relative} ${exists ? 'exists' : 'is already open'}; opening an unnamed editor`);
    return undefined;
  }
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), code);
    return (await vscode.workspace.applyEdit(edit)) ? doc : undefined;
  } catch (error) {
    log?.warn(`New file: cannot name the editor ${relative} (${String(error)})`);
    return undefined;
  }
}

const ALIASES: Readonly<Record<string, string>> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  py: 'python',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  md: 'markdown',
  yml: 'yaml',
  rs: 'rust',
  rb: 'ruby',
  cs: 'csharp',
  'c++': 'cpp',
  kt: 'kotlin',
  text: 'plaintext',
  txt: 'plaintext',
};

async function languageFor(tag: string): Promise<string | undefined> {
  const id = ALIASES[tag.toLowerCase()] ?? tag.toLowerCase();
  if (!id) return undefined;
  return (await vscode.languages.getLanguages()).includes(id) ? id : undefined;
}
