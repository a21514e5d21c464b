/**
 * The coding assistant's editor side, built once: `@` mentions (file index, terminal output),
 * the actions (commands, lightbulb), and Apply through a diff. Kept apart from services.ts so
 * the chat's core wiring stays small.
 */
import * as vscode from 'vscode';
import type { ChatSession } from '../../chat/chatSession';
import type { HostToWebview, MentionKind } from '../../protocol/messages';
import { registerActions } from './actions';
import { suggestFileName } from '../../context/newFileName';
import { ApplyFlow, openAsNewFile } from './applyEdit';
import type { ContextGuard } from './editorContext';
import { notificationText, quoted } from '../../openrouter/untrustedText';
import { ProposalDocuments } from './diffDocuments';
import { FileIndex } from './fileIndex';
import { gitRepository } from './gitApi';
import type { Logger } from '../log';
import { MentionService, type McpResourceSource } from './mentionService';
import { TerminalOutput } from '../agent/terminalOutput';

export class Assistant implements vscode.Disposable {
  /** Shared with agent mode (list_files, the search fallback). */
  readonly files = new FileIndex();
  private readonly terminal = new TerminalOutput();
  /** Shared with agent mode (its edits are proposed through the same diff documents). */
  readonly proposals = new ProposalDocuments();
  private readonly mentions: MentionService;
  private readonly applyFlow: ApplyFlow;
  private readonly disposables: vscode.Disposable[] = [];
  /** The last text editor that had focus: the chat view takes focus while the user types. */
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  /** The `@` menu's last query: answered again when an MCP server starts (its resources arrive). */
  private lastMention: { readonly id: number; readonly query: string } | undefined;
  private watchingResources = false;

  constructor(
    private readonly session: () => ChatSession,
    private readonly post: (message: HostToWebview) => void,
    private readonly log: Logger,
    /** `switchyard.context.exclude`, read when a mention is resolved (and by agent reads). */
    readonly contextExclude: () => readonly string[] = () => [],
    /** MCP resources for the `@` list (the servers of src/vscode/mcp/manager.ts). */
    private readonly resources?: () => McpResourceSource | undefined,
  ) {
    const editor = (): vscode.TextEditor | undefined => {
      const active = vscode.window.activeTextEditor;
      if (active) return active;
      // A closed editor's document is gone; fall back to a visible one.
      if (this.lastEditor && vscode.window.visibleTextEditors.includes(this.lastEditor)) return this.lastEditor;
      return vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== 'output');
    };
    const guard = (): ContextGuard => ({ exclude: contextExclude(), confirmSecret: confirmSecretAttach });
    this.mentions = new MentionService({
      files: this.files,
      terminal: this.terminal,
      editor,
      guard,
      ...(resources ? { resources } : {}),
    });
    this.applyFlow = new ApplyFlow(this.proposals, log, editor);
    this.disposables.push(
      this.files,
      this.terminal,
      this.proposals,
      this.applyFlow,
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && e.document.uri.scheme !== 'switchyard-proposed') this.lastEditor = e;
      }),
      ...registerActions({ session, log, editor }),
      // The title-bar buttons pass their diff's URI: only the pending proposal's own diff acts.
      vscode.commands.registerCommand('switchyard.acceptProposal', (uri?: unknown) =>
        this.applyFlow.decide('apply', uri),
      ),
      vscode.commands.registerCommand('switchyard.discardProposal', (uri?: unknown) =>
        this.applyFlow.decide('discard', uri),
      ),
    );
  }

  /** Answers an `@` completion query. */
  async complete(id: number, query: string): Promise<void> {
    this.lastMention = { id, query };
    this.watchResources();
    const items = await this.mentions.complete(query);
    this.post({ type: 'mentionResults', id, items });
  }

  private watchResources(): void {
    const changes = this.resources?.()?.onDidChange;
    if (this.watchingResources || !changes) return;
    this.watchingResources = true;
    this.disposables.push(
      changes(() => {
        const last = this.lastMention;
        if (last)
          void this.mentions
            .complete(last.query)
            .then((items) => this.post({ type: 'mentionResults', id: last.id, items }));
      }),
    );
  }

  /** Attaches a picked mention, or says under the composer why it cannot be. */
  async attach(kind: MentionKind, path: string | undefined, server?: string): Promise<void> {
    const result = await this.mentions.resolve(kind, path, server);
    if (!result.ok) {
      this.log.info(`@${kind} refused: ${result.reason}`);
      this.post({ type: 'composerNotice', text: result.reason, level: 'error' });
      return;
    }
    this.session().addAttachments(result.attachments);
    if (result.notes.length)
      this.post({ type: 'composerNotice', text: `Not attached: ${result.notes.join(' ')}`, level: 'info' });
  }

  /** Apply on a code block of the answer `messageId`. */
  async apply(messageId: string, code: string): Promise<void> {
    // An answer with its own action (tests, a commit message) never replaces the selection.
    if (this.session().codeUseFor(messageId)) return this.useCode(messageId, code);
    await this.applyFlow.apply(code, this.session().applyTargetFor(messageId));
  }

  /** The primary action of an answer whose code is not an edit: create the test file, or fill the commit message. */
  async useCode(messageId: string, code: string): Promise<void> {
    const use = this.session().codeUseFor(messageId);
    if (!use) {
      this.log.warn('useCode: the answer has no such action');
      return;
    }
    if (use.kind === 'createFile') {
      await this.applyFlow.createFile(vscode.Uri.parse(use.uri), use.path, code);
      return;
    }
    const found = await gitRepository(use.root ? vscode.Uri.parse(use.root) : undefined);
    if ('reason' in found) {
      void vscode.window.showWarningMessage(
        notificationText(vscode.l10n.t('Switchyard: cannot fill the commit message: {0}', found.reason)),
      );
      return;
    }
    found.repo.inputBox.value = code.trim();
    await vscode.commands.executeCommand('workbench.view.scm');
    vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) Commit message set in Source Control'), 5000);
  }

  /**
   * "New file" on a code block: an untitled editor, named (and saved there by Ctrl+S) when the
   * fence, the first-line comment, the answer or the question names a file that does not exist
   * yet (src/context/newFileName.ts); otherwise a plain untitled editor in the block's language.
   */
  async newFile(code: string, language: string, messageId?: string): Promise<void> {
    const texts = messageId ? this.session().answerWithQuestion(messageId) : undefined;
    const name = suggestFileName({ code, language, ...texts });
    await openAsNewFile(code, language, name?.path, this.log);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Asks (modal) before a file that usually holds secrets is sent; only an explicit yes attaches it. */
async function confirmSecretAttach(path: string): Promise<boolean> {
  const attach = vscode.l10n.t('Attach Anyway');
  const question = vscode.l10n.t(
    'Switchyard: {0} usually holds secrets (keys, passwords, tokens). Attaching it sends its content to the model. Attach it anyway?',
    quoted(path, 160),
  );
  return (await vscode.window.showWarningMessage(notificationText(question), { modal: true }, attach)) === attach;
}
