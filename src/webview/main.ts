/**
 * Entry point of the chat webview (bundled to dist/webview.js as an iife; runs under the strict
 * CSP of src/vscode/chatView/webviewHtml.ts). Posts `{type:'ready'}` once loaded, then renders whatever
 * the host sends (src/protocol/messages.ts, imported as types only).
 *
 * ## DOM contract for end-to-end tests (keep stable)
 *
 * | Selector                          | What it is                                                        |
 * |-----------------------------------|-------------------------------------------------------------------|
 * | `#app`                            | root (in the host's HTML)                                         |
 * | `#model-badge`                    | header button with the model name; `title` has id, context, fallbacks; `data-model-id`; click → `runCommand switchyard.pickModel` |
 * | `#welcome`                        | empty state (shown only when there are no messages)               |
 * | `#set-key`                        | "Set API Key" (welcome without a key, or notice above the composer); click → `runCommand switchyard.setApiKey` |
 * | `#messages`                       | the conversation, `role="log"`, `aria-live="polite"`, `aria-busy` while busy |
 * | `#messages[data-initialized]`     | set once the host's `init` (history, model, chips) has been rendered |
 * | `#messages[data-all-rendered]`    | set once a restored chat's older messages (`loadEarlier`) are all in and rendered |
 * | `body[data-warmed-up]`            | set once the webview has prepared its first render (./view/warmUp.ts), or skipped it |
 * | `.message.pending`                | an older answer shown as plain text until its markdown renders (idle, or scrolled near) |
 * | `.message.user` / `.message.assistant` | one message; `data-id` = message id; `data-status` = streaming / done / stopped / error |
 * | `.message .user-text`             | the user's text (plain text)                                      |
 * | `.message .attachments .attachment` | small read-only chips of the context sent with a user message   |
 * | `.message .markdown`              | the rendered (sanitized) answer                                   |
 * | `.message .generating`            | "Generating" indicator while streaming                            |
 * | `.message details.thinking`       | the answer's thinking (open while it streams, `data-state` thinking/done): `.thinking-summary` ("Thinking…", "Thought for 3.2 s · 412 tokens"), `.thinking-body` (sanitized markdown) |
 * | `.message .no-answer`             | a finished answer with thinking and no text: "The model gave no answer text…" |
 * | `#reasoning-effort`               | header `<select>` of the model's reasoning efforts (hidden for models without reasoning) → `setReasoningEffort` |
 * | `.meta`                           | meta line under a finished answer: `.meta-status` (Stopped), `.meta-model`, `.fallback` ("fallback from <requested>"), `.meta-routed`, `.meta-provider`, `.meta-tokens`, `.meta-reasoning`, `.meta-cost`, `.meta-ttft` |
 * | `.fallback`                       | the highlighted fallback badge inside `.meta`                     |
 * | `.error-card`                     | failure of an answer (`data-kind`): `.error-title`, `.error-message` |
 * | `.error-card button.action`       | the fix (runs the failure's command)                              |
 * | `button.retry`                    | Retry (in `.error-card`, and in `.meta` of a stopped answer) → `retry` with the assistant id |
 * | `.code-block`                     | a fenced code block (`data-lang`): `.code-lang`, `button.copy` → `copyCode`, `button.insert` → `insertCode` |
 * | `#chips` / `.chip`                | composer attachment chips (`data-id`): `.chip-label`, `.chip-tokens`, `.chip-truncated`, `.chip-remove` → `removeAttachment` |
 * | `#input`                          | the message textarea (Enter sends, Shift+Enter new line)          |
 * | `#send`                           | Send (hidden while busy; disabled when empty)                     |
 * | `#stop`                           | Stop (visible only while busy) → `stop`; Escape does the same     |
 * | `#new-chat`                       | New chat → `newChat`                                              |
 * | `#scroll-bottom`                  | "scroll to latest", visible when scrolled up                      |
 * | `#mode-switch` `#mode-ask` `#mode-agent` | the composer's mode (`aria-pressed`) → `setMode`           |
 * | `#task-spend`                     | agent mode: "Task: N steps · $x" in the header                    |
 * | `.tool-card`                      | one tool call of an agent step: `data-state` (waiting/running/done/rejected/failed), `data-tool`, `data-call-id`; `.tool-title`, `.tool-state`, `.tool-summary`, `.tool-diff`, `.tool-result` (details) |
 * | `.tool-card button.approve` / `button.reject` / `.tool-feedback` / `button.always-allow` / `button.kill-command` | → `toolDecision` / `killCommand` |
 * | `button.restore-checkpoint`       | under a step that wrote files → `restoreCheckpoint`; `.checkpoint-restored` after |
 */
import type { HostToWebview } from '../protocol/messages';
import { ChatApp } from './app';
import { connectToHost } from './vscodeApi';
import { warmUpSoon } from './view/warmUp';

function isHostMessage(data: unknown): data is HostToWebview {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string';
}

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const host = connectToHost();
  const app = new ChatApp(root, host);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isHostMessage(event.data)) return;
    try {
      app.handle(event.data);
    } catch (error) {
      console.error('Switchyard webview: failed to apply', event.data.type, error);
    }
  });
  host.post({ type: 'ready' });
  // While the host answers with `init`: the first answer rendered costs several times the next ones.
  warmUpSoon(() => app.isEmpty);
}

start();
