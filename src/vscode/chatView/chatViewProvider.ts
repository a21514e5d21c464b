/**
 * The sidebar chat view. Hands every webview message to the chat's dispatcher
 * (src/chat/webviewDispatch.ts: validated with the protocol's zod schema, an invalid one logged
 * and dropped), does the editor's side of it (clipboard, commands, mentions, Apply), waits for the `ready` handshake before posting, and
 * re-sends the whole state on every `ready` (the view reloads when it is hidden and shown again).
 */
import { AGENT_MODE_IMAGES } from '../../chat/images';
import { EarlierMessages } from '../../chat/earlierMessages';
import { notificationText } from '../../openrouter/untrustedText';
import { safeSourceUrl } from '../../openrouter/citations';
import * as vscode from 'vscode';
import type { ChatSession } from '../../chat/chatSession';
import type { AgentMode } from '../agent/agentMode';
import type { Assistant } from './assistant';
import type { ComposerExtras } from './composerExtras';
import type { ChatMode, HostToWebview } from '../../protocol/messages';
import { initForMode, type ViewMode } from '../../chat/viewMode';
import { newAgentTask } from '../agent/taskHistory';
import {
  chatViewHandlers,
  receiveWebviewMessage,
  type WebviewHandlers,
  type WebviewSession,
} from '../../chat/webviewDispatch';
import { SwitchGate } from '../../chat/switchGate';
import type { Logger } from '../log';
import { openAnswerLink } from './answerLinks';
import { chatHtml } from './webviewHtml';

export const CHAT_VIEW_ID = 'switchyard.chat';

export interface ChatViewDeps {
  readonly extensionUri: vscode.Uri;
  /** Where attached images are stored (the webview shows them from there). */
  readonly imageFolder?: vscode.Uri;
  readonly session: () => ChatSession;
  readonly hasKey: () => Promise<boolean>;
  readonly log: Logger;
  /** Mentions, Apply and New file (built after the view). */
  readonly assistant?: () => Assistant | undefined;
  /** Agent mode (the mode switch and the agent task). */
  readonly agent?: () => AgentMode | undefined;
  /** Which conversation the view shows (one decision for posts, the composer and `init`). */
  readonly viewMode?: () => ViewMode | undefined;
  /** The composer's `/` commands and instruction files (src/vscode/chatView/composerExtras.ts). */
  readonly composer?: () => ComposerExtras | undefined;
  /** Called after each `init` (e.g. to send the account's credits). */
  readonly afterReady?: () => void;
}

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** When the view was last resolved (performance.now()), until its first `init` is logged. */
  private resolvedAt: number | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** What each webview message does (src/chat/webviewDispatch.ts); the editor's side is here. */
  private readonly handlers: WebviewHandlers;
  /** New Chat, a mode switch, a past chat opened: a message sent meanwhile waits for them (src/chat/switchGate.ts). */
  private readonly switching = new SwitchGate();
  /** `init` carries the newest messages; the older ones are posted when the webview asks. */
  private readonly earlier = new EarlierMessages();

  constructor(private readonly deps: ChatViewDeps) {
    const session = (): WebviewSession => this.sessionInView();
    this.handlers = chatViewHandlers(
      session,
      {
        ready: async () => {
          const started = performance.now();
          this.ready = true;
          await this.postInit();
          const initAt = performance.now();
          deps.afterReady?.();
          deps.composer?.()?.forget();
          await deps.composer?.()?.publish();
          this.logShown(started, initAt);
        },
        loadEarlier: async (before) => {
          const page = this.earlier.page(before);
          if (page) this.post(page);
        },
        agent: async (message) => {
          await deps.agent?.()?.handle(message);
          if (message.type === 'setMode') {
            await this.postInit();
            await deps.composer?.()?.publish();
          }
        },
        composer: async (message) => deps.composer?.()?.handle(message),
        copyCode: async (code) => {
          await vscode.env.clipboard.writeText(code);
          vscode.window.setStatusBarMessage(vscode.l10n.t('$(copy) Code copied'), 2000);
        },
        insertCode: (code) => insertAtCursor(code),
        runCommand: async (command) => {
          await vscode.commands.executeCommand(command);
        },
        mentionQuery: async (id, query) => deps.assistant?.()?.complete(id, query),
        // `@image` opens the paperclip's file dialog; the other kinds attach editor context.
        attachMention: async (kind, path, server) =>
          kind === 'image'
            ? void (await vscode.commands.executeCommand('switchyard.attachImage'))
            : deps.assistant?.()?.attach(kind, path, server),
        applyCode: async (messageId, code) => deps.assistant?.()?.apply(messageId, code),
        newFile: async (code, language, messageId) => deps.assistant?.()?.newFile(code, language, messageId),
        useCode: async (messageId, code) => deps.assistant?.()?.useCode(messageId, code),
        openSource: (url) => openSource(url, deps.log),
        openLink: (url, text) => openAnswerLink(url, text, deps.log),
      },
      this.switching,
    );
  }

  /**
   * The session the composer drives. In Agent (and Plan) mode it drives the agent (plan) task:
   * send starts or continues it, Stop stops it, New starts a new task.
   */
  private sessionInView(): WebviewSession {
    const mode = this.mode();
    const chat = this.deps.session();
    // Ask drives the chat: the agent (and its chunk) is not built for it.
    if (mode === 'ask') return chat;
    const agent = this.deps.agent?.();
    const task = agent?.sessionFor(mode);
    if (!agent || !task) return chat;
    const noImages = async (): Promise<void> =>
      this.post({ type: 'composerNotice', text: AGENT_MODE_IMAGES, level: 'error' });
    return {
      send: (text, options) =>
        task.send(
          text,
          agentContext(chat, text, options?.attachmentIds, () => void noImages()),
        ),
      stop: () => agent.stop(),
      sendNow: () => task.sendNow(),
      newChat: () => (task === agent.session ? newAgentTask(agent) : task.newTask()),
      retry: (id) => task.retry(id),
      removeAttachment: (id) => chat.removeAttachment(id),
      setReasoningEffort: (model, effort) => chat.setReasoningEffort(model, effort),
      addImage: noImages,
    };
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.resolvedAt = performance.now();
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      // The attached images are shown from their files (src/vscode/chatView/imageStore.ts).
      localResourceRoots: [
        vscode.Uri.joinPath(this.deps.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.deps.extensionUri, 'media'),
        ...(this.deps.imageFolder ? [this.deps.imageFolder] : []),
      ],
    };
    view.webview.html = chatHtml(view.webview, this.deps.extensionUri);
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => void receiveWebviewMessage(raw, this.handlers, this.deps.log)),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
  }

  /** A file URI as the webview may load it, or undefined while there is no webview. */
  webviewUri(file: vscode.Uri): string | undefined {
    return this.view?.webview.asWebviewUri(file).toString();
  }

  /** Posts to the webview once it is ready; earlier messages are covered by the next `init`. */
  post(message: HostToWebview): void {
    if (!this.view || !this.ready) return;
    void this.view.webview.postMessage(this.earlier.outgoing(message));
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  /**
   * Runs what replaces the conversation on screen (from a command: New Chat, Past Chats); a
   * message the user sends meanwhile waits for it, as it does for the view's own New Chat.
   */
  switchConversation<T>(change: () => Promise<T>): Promise<T> {
    return this.switching.change(change);
  }

  /** The whole state: the conversation of the mode on screen (the chat, or the agent task). */
  async postInit(): Promise<void> {
    const init = this.deps.session().initMessage(await this.deps.hasKey());
    this.post(initForMode(init, this.mode(), this.deps.agent));
  }

  /**
   * The first `init` after the view was resolved, in the log: the host's side (from the webview's
   * `ready` to its `init` posted, then the instruction files, which wait on the file system) and the
   * whole (from the view's resolve, the webview's loading included). bench/activation.ts reads it.
   */
  private logShown(readyAt: number, initAt: number): void {
    if (this.resolvedAt === undefined) return;
    const ms = (from: number, to: number): string => (to - from).toFixed(1);
    const now = performance.now();
    this.deps.log.info(
      `chat view shown in ${this.mode()} mode: init posted ${ms(readyAt, initAt)} ms after ready, ${ms(this.resolvedAt, initAt)} ms after resolve; instruction files ${ms(initAt, now)} ms more`,
    );
    this.resolvedAt = undefined;
  }

  /** The mode on screen (src/chat/viewMode.ts decides it). */
  private mode(): ChatMode {
    return this.deps.viewMode?.()?.mode() ?? 'ask';
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/**
 * The composer's chips go with an agent task like with a chat message: the ones the webview
 * showed, rendered and fitted; images stay (the agent works with text) and the composer says so.
 */
function agentContext(
  chat: ChatSession,
  text: string,
  shownIds: readonly string[] | undefined,
  imagesLeft: () => void,
): string[] {
  const taken = chat.composer.take(text, undefined, shownIds, false);
  const shown = shownIds ? new Set(shownIds) : undefined;
  if (chat.composer.images.pending().some((ref) => !shown || shown.has(ref.id))) imagesLeft();
  if (taken.usedPicked) chat.composer.refresh();
  return taken.fitted.filter((f) => !f.dropped).map((f) => f.rendered);
}

/**
 * Opens a web search source with VS Code's external opener (which asks before opening a domain the
 * user has not trusted). Only plain http(s) URLs: the protocol schema checked the scheme, and it
 * is checked again here (src/openrouter/citations.ts).
 */
async function openSource(url: string, log: Logger): Promise<void> {
  const safe = safeSourceUrl(url);
  if (!safe) {
    log.warn('a source link that is not a plain http(s) URL was not opened');
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(safe, true));
}

/** Inserts code at the cursor of the last active text editor (replacing its selection). */
async function insertAtCursor(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showWarningMessage(notificationText(vscode.l10n.t('Open a file to insert the code into.')));
    return;
  }
  const ok = await editor.edit((edit) => edit.replace(editor.selection, code));
  if (!ok)
    void vscode.window.showWarningMessage(
      notificationText(vscode.l10n.t('The code could not be inserted (the editor is read-only?).')),
    );
}
