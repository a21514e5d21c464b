/**
 * The composer's `/` commands and its list of instruction files, host side:
 * - `/` rows: the built-ins, the skills (read again when the menu opens) and the prompts of
 *   running MCP servers (src/chat/slashCommands.ts);
 * - a picked skill attaches its instructions (what the `skill` tool would return) as a chip, so
 *   it goes with the next message in Ask mode and with the task in Agent mode;
 * - a picked MCP prompt asks for its arguments in VS Code's input box, runs `prompts/get`, and
 *   puts the rendered text in the composer (the server's text: redacted, invisible characters
 *   shown, for the user to read before sending);
 * - the instruction files in effect (src/vscode/agent/agentInstructions.ts) are posted to the composer,
 *   which lists them; a click opens one. Ask mode reads them too unless `switchyard.chat.instructions`
 *   is off.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { slashRows } from '../../chat/slashCommands';
import type { ComposerWebviewMessage } from '../../chat/webviewDispatch';
import { redactSecrets } from '../../openrouter/secrets';
import { singleLine } from '../../openrouter/untrustedText';
import type { Attachment } from '../../context/attachment';
import type { ChatMode, HostToWebview, InstructionFileView } from '../../protocol/messages';
import { revealInvisible } from '../../protocol/invisibleText';
import type { AgentEcosystem } from '../agent/agentExtras';
import { SETTING_LABEL, USER_INSTRUCTIONS_LABEL, type AgentInstructions } from '../agent/agentInstructions';
import type { InstructionSource } from '../../agent/instructions';
import { shortId } from './editorContext';
import type { Logger } from '../log';
import { readSetting } from '../settings/settings';

/** Characters of a rendered MCP prompt put in the composer (the protocol's message limit is 200,000). */
const MAX_PROMPT_CHARS = 100_000;
const ROOT_FILES = new Set(['AGENTS.md', 'CLAUDE.md', '.github/copilot-instructions.md']);

export interface ComposerExtrasDeps {
  readonly ecosystem: () => AgentEcosystem;
  /** The instruction files (in the host bundle: listing them loads no agent chunk). */
  readonly instructions: () => AgentInstructions;
  /** Adds chips to the composer (the chat session's, which agent tasks take theirs from too). */
  readonly attach: (attachments: readonly Attachment[]) => void;
  readonly mode: () => ChatMode;
  readonly post: (message: HostToWebview) => void;
  readonly log: Logger;
  /** The paths the composer's chips attach: Ask mode reads their nearest nested AGENTS.md too. */
  readonly attachedPaths?: () => readonly string[];
}

/** `switchyard.chat.instructions`: Ask mode reads the instruction files (default on; a workspace may only turn it off). */
export function askInstructionsOn(log?: Logger): boolean {
  const problems: string[] = [];
  const on = readSetting<boolean>(
    vscode.workspace.getConfiguration('switchyard'),
    'chat.instructions',
    { schema: z.boolean(), expected: 'true or false' },
    problems,
  );
  for (const p of problems) log?.warn(p);
  return on;
}

export class ComposerExtras implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private published = '';
  private followsToggles = false;
  /** The nested AGENTS.md files of the attached files, read at the last publish (Ask mode). */
  private askNested: InstructionSource[] = [];
  /** The `/` menu's last query: answered again when a server starts or fails (the menu fills in). */
  private lastSlash: { readonly id: number; readonly query: string } | undefined;

  constructor(private readonly deps: ComposerExtrasDeps) {
    // Relative to the first folder (where they are read): a plain glob string is matched against
    // absolute paths, so `{AGENTS.md,…}` alone matched nothing.
    const root = vscode.workspace.workspaceFolders?.[0];
    const files = '{AGENTS.md,CLAUDE.md,.github/copilot-instructions.md}';
    const watcher = vscode.workspace.createFileSystemWatcher(root ? new vscode.RelativePattern(root, files) : files);
    const refresh = (): void => void this.publish();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(refresh),
      watcher.onDidChange(refresh),
      watcher.onDidDelete(refresh),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          e.affectsConfiguration('switchyard.chat.instructions') ||
          e.affectsConfiguration('switchyard.agent.instructions')
        )
          refresh();
      }),
    );
  }

  /** An MCP server started, stopped or failed: the open `/` menu fills in (wired when the agent's ecosystem is built). */
  mcpChanged(): void {
    if (this.lastSlash) this.answerSlash(this.lastSlash.id, this.lastSlash.query);
  }

  async handle(message: ComposerWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'slashQuery':
        return this.slashQuery(message.id, message.query);
      case 'slashPick':
        return message.kind === 'skill' ? this.pickSkill(message.name) : this.pickPrompt(message.server, message.name);
      case 'openInstructions':
        return this.open(message.label);
    }
  }

  private async slashQuery(id: number, query: string): Promise<void> {
    const eco = this.deps.ecosystem();
    // The menu just opened: read the skills again (a SKILL.md may have been added since) and start
    // the MCP servers that may start without a question, so their prompts are offered.
    if (query === '')
      await Promise.all([
        eco.skills.refresh().catch((e: unknown) => this.deps.log.warn(`skills: ${String(e)}`)),
        eco.mcp.warmUp().catch((e: unknown) => this.deps.log.warn(`MCP servers not started: ${String(e)}`)),
      ]);
    this.lastSlash = { id, query };
    this.answerSlash(id, query);
  }

  private answerSlash(id: number, query: string): void {
    const eco = this.deps.ecosystem();
    const items = slashRows(query, {
      mode: this.deps.mode(),
      skills: eco.skills.list(),
      prompts: eco.mcp.prompts().map((p) => ({ server: p.server, ...p.prompt })),
      starting: eco.mcp.starting(),
    });
    this.deps.post({ type: 'slashResults', id, items });
  }

  private notice(text: string): void {
    this.deps.post({ type: 'composerNotice', text, level: 'error' });
  }

  private async pickSkill(name: string): Promise<void> {
    const loaded = await this.deps.ecosystem().skills.load(name);
    if (!loaded.ok) return this.notice(`The skill could not be loaded: ${loaded.error}.`);
    this.deps.attach([
      {
        id: shortId('skill', loaded.skill.file),
        kind: 'file',
        source: 'mention',
        path: loaded.skill.file,
        language: 'markdown',
        content: loaded.text,
      },
    ]);
  }

  private async pickPrompt(server: string | undefined, name: string): Promise<void> {
    const mcp = this.deps.ecosystem().mcp;
    const found = mcp.prompts().find((p) => p.server === server && p.prompt.name === name);
    if (!server || !found) return this.notice(`The MCP prompt /${singleLine(name, 80)} is not offered now.`);
    const args: Record<string, string> = {};
    for (const [index, arg] of found.prompt.arguments.entries()) {
      const value = await vscode.window.showInputBox({
        title: `/${found.prompt.name} (${server}): argument ${index + 1} of ${found.prompt.arguments.length}`,
        prompt: singleLine(`${arg.name}${arg.description ? `: ${arg.description}` : ''}`, 200),
        placeHolder: arg.required ? `${arg.name} (required)` : `${arg.name} (optional: Enter to leave it out)`,
        ignoreFocusOut: true,
        validateInput: (v) => (arg.required && !v.trim() ? `${arg.name} is required` : undefined),
      });
      if (value === undefined) return; // Escape: nothing inserted.
      if (value.trim()) args[arg.name] = value;
    }
    let text: string;
    try {
      text = await mcp.getPrompt(server, name, args);
    } catch (error) {
      const reason = singleLine(redactSecrets(error instanceof Error ? error.message : String(error)), 300);
      return this.notice(`${server} could not render /${singleLine(name, 80)}: ${reason}`);
    }
    const shown = revealInvisible(redactSecrets(text)).slice(0, MAX_PROMPT_CHARS).trim();
    if (!shown) return this.notice(`${server} rendered /${singleLine(name, 80)} as nothing.`);
    this.deps.post({ type: 'insertText', text: shown });
  }

  /** Reads the instruction files again and posts the list (the files in effect for the composer's mode). */
  async publish(): Promise<void> {
    const instructions = this.deps.instructions();
    if (!this.followsToggles) {
      // Subscribed at the first publish: the instructions are built after this class.
      this.followsToggles = true;
      this.disposables.push(instructions.onDidToggle(() => void this.publish()));
    }
    await instructions.refresh().catch((e: unknown) => this.deps.log.warn(`instructions: ${String(e)}`));
    const ask = this.deps.mode() === 'ask';
    this.askNested = ask ? await instructions.nestedFor(this.deps.attachedPaths?.() ?? []) : [];
    const nested = this.askNested.map((n): InstructionFileView => ({ label: n.label, on: true }));
    const files: InstructionFileView[] =
      ask && !askInstructionsOn(this.deps.log) ? [] : [...instructions.entries(), ...nested];
    const key = JSON.stringify(files);
    if (key === this.published) return;
    this.published = key;
    this.deps.post({ type: 'instructions', files });
  }

  /** The next `publish` posts even when nothing changed (the webview reloaded). */
  forget(): void {
    this.published = '';
  }

  /** The instructions Ask mode sends after its system prompt ('' when off or none). */
  askInstructions(): string {
    return askInstructionsOn(this.deps.log) ? this.deps.instructions().textWith(this.askNested) : '';
  }

  private async open(label: string): Promise<void> {
    if (label === SETTING_LABEL) {
      await vscode.commands.executeCommand('workbench.action.openSettings', SETTING_LABEL);
      return;
    }
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      label === USER_INSTRUCTIONS_LABEL
        ? vscode.Uri.file(`${os.homedir()}/.switchyard/AGENTS.md`)
        : (ROOT_FILES.has(label) || this.askNested.some((n) => n.label === label)) && root
          ? vscode.Uri.joinPath(root, label)
          : undefined;
    if (!uri) return this.notice(`${singleLine(label, 120)} is not an instruction file.`);
    await vscode.window.showTextDocument(uri, { preview: true });
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Ask mode's posts: new chips make the composer list (and Ask read) their nested AGENTS.md files. */
export function publishOnChips(
  post: (message: HostToWebview) => void,
  extras: () => ComposerExtras | undefined,
): (message: HostToWebview) => void {
  return (message) => {
    post(message);
    if (message.type === 'attachments') void extras()?.publish();
  };
}
