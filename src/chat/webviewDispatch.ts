/**
 * What each webview → host message does: the chat view's one dispatcher, shared by
 * `ChatViewProvider` (src/vscode/chatView/chatViewProvider.ts) and the protocol fuzz test. Pure: the
 * editor's side (clipboard, commands, mentions, Apply) is a {@link ChatViewHost} the caller gives.
 * A new message type in src/protocol/messages.ts is a compile error here until it has a handler.
 */
import { parseWebviewMessage, type MentionKind, type WebviewCommandId, type WebviewToHost } from '../protocol/messages';
import type { ChatSession } from './chatSession';
import { SwitchGate } from './switchGate';

/** One handler per message type, given the message already validated. */
export type WebviewHandlers = {
  readonly [T in WebviewToHost['type']]: (
    message: Extract<WebviewToHost, { readonly type: T }>,
  ) => void | Promise<void>;
};

/** What the editor does for the chat view (VS Code APIs in the extension, recorders in tests). */
export interface ChatViewHost {
  /** The webview (re)loaded: mark it ready and post the whole state (`init`). */
  ready(): Promise<void>;
  /** Posts the page of a restored chat's older messages just before message `before` (`earlierMessages`). */
  loadEarlier(before: string): Promise<void>;
  /** Copies a code block to the clipboard. */
  copyCode(code: string): Promise<void>;
  /** Inserts a code block at the cursor of the last active editor. */
  insertCode(code: string): Promise<void>;
  /** Runs one of the commands the webview may ask for (already checked against the allow-list). */
  runCommand(command: WebviewCommandId): Promise<void>;
  /** Answers an `@` completion query (`mentionResults` with the same `id`). */
  mentionQuery(id: number, query: string): Promise<void>;
  /** Attaches what an `@` mention picked (`path` for files and MCP resources, `server` for resources). */
  attachMention(kind: MentionKind, path: string | undefined, server?: string): Promise<void>;
  /** The composer's `/` commands and its list of instruction files (src/vscode/chatView/composerExtras.ts). */
  composer(message: ComposerWebviewMessage): Promise<void>;
  /** Applies an answer's code block through a diff. */
  applyCode(messageId: string, code: string): Promise<void>;
  /** Opens a code block in a new untitled editor, named when the answer `messageId` names it. */
  newFile(code: string, language: string, messageId: string | undefined): Promise<void>;
  /** Agent mode: the composer's mode, a tool call's approval, a step's checkpoint, a running command. */
  agent(message: AgentWebviewMessage): Promise<void>;
  /** An answer's own primary action (Create test file, Use as commit message); the host knows which. */
  useCode(messageId: string, code: string): Promise<void>;
  /** Opens a web search source (an http/https URL, checked again by the host) with VS Code's external opener. */
  openSource(url: string): Promise<void>;
  /** Opens a link of an answer, asking first when its text does not say where it goes. */
  openLink(url: string, text: string): Promise<void>;
}

/** The webview messages of agent mode (src/vscode/agent/agentMode.ts handles them). */
export type AgentWebviewMessage = Extract<
  WebviewToHost,
  { readonly type: 'setMode' | 'toolDecision' | 'restoreCheckpoint' | 'killCommand' | 'planAction' | 'continueTask' }
>;

/** The webview messages of the composer's `/` commands and instruction files. */
export type ComposerWebviewMessage = Extract<
  WebviewToHost,
  { readonly type: 'slashQuery' | 'slashPick' | 'openInstructions' }
>;

/** The part of a chat session the webview drives. */
export type WebviewSession = Pick<
  ChatSession,
  'send' | 'stop' | 'sendNow' | 'newChat' | 'retry' | 'removeAttachment' | 'setReasoningEffort' | 'addImage'
>;

/**
 * The handlers of the chat view: conversation messages go to the session, the rest to the host.
 * A message sent or retried waits for a New Chat or mode switch the user made before it (see
 * {@link SwitchGate}); Stop and the rest never wait.
 */
export function chatViewHandlers(
  session: () => WebviewSession,
  host: ChatViewHost,
  gate = new SwitchGate(),
): WebviewHandlers {
  return {
    ready: () => host.ready(),
    loadEarlier: (m) => host.loadEarlier(m.before),
    send: (m) =>
      gate.after(() =>
        session().send(m.text, {
          ...(m.attachmentIds ? { attachmentIds: m.attachmentIds } : {}),
          ...(m.webSearch ? { webSearch: true } : {}),
        }),
      ),
    stop: () => session().stop(),
    sendNow: () => session().sendNow(),
    newChat: () => gate.change(() => session().newChat()),
    retry: (m) => gate.after(() => session().retry(m.messageId)),
    removeAttachment: (m) => session().removeAttachment(m.id),
    attachImage: (m) => session().addImage(m.name, m.dataUrl),
    copyCode: (m) => host.copyCode(m.code),
    insertCode: (m) => host.insertCode(m.code),
    runCommand: (m) => host.runCommand(m.command),
    mentionQuery: (m) => host.mentionQuery(m.id, m.query),
    attachMention: (m) => host.attachMention(m.kind, m.path, m.server),
    slashQuery: (m) => host.composer(m),
    slashPick: (m) => host.composer(m),
    openInstructions: (m) => host.composer(m),
    applyCode: (m) => host.applyCode(m.messageId, m.code),
    newFile: (m) => host.newFile(m.code, m.language, m.messageId),
    setMode: (m) => gate.change(() => host.agent(m)),
    toolDecision: (m) => host.agent(m),
    restoreCheckpoint: (m) => host.agent(m),
    continueTask: (m) => host.agent(m),
    killCommand: (m) => host.agent(m),
    planAction: (m) => host.agent(m),
    useCode: (m) => host.useCode(m.messageId, m.code),
    openSource: (m) => host.openSource(m.url),
    openLink: (m) => host.openLink(m.url, m.text),
    setReasoningEffort: (m) => session().setReasoningEffort(m.model, m.effort),
  };
}

/** Runs the handler of a valid message. It starts synchronously (a send waits only for a switch before it). */
export async function dispatchWebviewMessage(message: WebviewToHost, handlers: WebviewHandlers): Promise<void> {
  const handler = handlers[message.type] as (m: WebviewToHost) => void | Promise<void>;
  await handler(message);
}

/**
 * Validates a raw message from the webview and runs its handler. An invalid message, or a
 * handler that fails, is logged (`log.error`) and dropped: never a rejection, never a crash.
 */
export async function receiveWebviewMessage(
  raw: unknown,
  handlers: WebviewHandlers,
  log: { error(message: string): void },
): Promise<void> {
  const parsed = parseWebviewMessage(raw);
  if (!parsed.ok) {
    log.error(`webview sent an invalid message (${parsed.error}); ignored`);
    return;
  }
  try {
    await dispatchWebviewMessage(parsed.message, handlers);
  } catch (error) {
    log.error(`handling "${parsed.message.type}" failed: ${String(error)}`);
  }
}
