/**
 * Plan mode's plans as documents: each plan (the plan task's final answer) is written to
 * `switchyard-plans/` in the extension's workspace storage — not the user's repository (no stray
 * file in `git status`, nothing the agent's own edits could overwrite; Save As puts it in the repo
 * when the user wants it) — and opened in an editor the user can change. Its CodeLens and editor
 * title offer Act on this plan / Revise; acting reads the editor's text, unsaved edits included.
 */
import * as vscode from 'vscode';
import { redactSecrets } from '../../openrouter/secrets';

const DOCS_KEY = 'switchyard.planDocuments';
/** Plans remembered (message id → document) per workspace. */
const MAX_REMEMBERED = 30;
export const PLAN_FOLDER = 'switchyard-plans';

export class PlanDocuments implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly folder: vscode.Uri,
    private readonly state: vscode.Memento,
  ) {
    this.disposables.push(
      vscode.languages.registerCodeLensProvider(
        { scheme: folder.scheme, pattern: new vscode.RelativePattern(folder, '*.md') },
        { provideCodeLenses: (doc) => this.lenses(doc) },
      ),
    );
  }

  /** Writes the plan of answer `messageId` to its document and opens it beside the chat. */
  async open(text: string, messageId: string): Promise<vscode.Uri> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const uri = vscode.Uri.joinPath(this.folder, `plan-${stamp}-${messageId.replace(/[^\w-]/g, '').slice(0, 40)}.md`);
    await vscode.workspace.fs.createDirectory(this.folder);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(redactSecrets(text)));
    const docs = { ...this.docs(), [messageId]: uri.toString() };
    const kept = Object.entries(docs).slice(-MAX_REMEMBERED);
    await this.state.update(DOCS_KEY, Object.fromEntries(kept));
    await vscode.window.showTextDocument(uri, { preview: false });
    return uri;
  }

  /** The plan as the user left it: the open editor's text (unsaved edits included), else the file; undefined when gone. */
  async text(uri: vscode.Uri): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  }

  /** The document of answer `messageId`, if it was opened. */
  uriOf(messageId: string): vscode.Uri | undefined {
    const s = this.docs()[messageId];
    return s ? vscode.Uri.parse(s) : undefined;
  }

  /** The answer whose plan `uri` holds (a plan document of an earlier task has none left). */
  messageOf(uri: vscode.Uri): string | undefined {
    return Object.entries(this.docs()).find(([, u]) => u === uri.toString())?.[0];
  }

  /** Whether `uri` is a plan document. */
  isPlan(uri: vscode.Uri): boolean {
    return uri.scheme === this.folder.scheme && uri.path.startsWith(`${this.folder.path}/`) && uri.path.endsWith('.md');
  }

  private docs(): Record<string, string> {
    const d = this.state.get<Record<string, string>>(DOCS_KEY);
    return d && typeof d === 'object' ? d : {};
  }

  private lenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.isPlan(doc.uri)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, {
        title: '$(play) Act on this plan',
        command: 'switchyard.actOnPlan',
        arguments: [doc.uri],
      }),
      new vscode.CodeLens(top, { title: '$(edit) Revise', command: 'switchyard.revisePlan', arguments: [doc.uri] }),
    ];
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
