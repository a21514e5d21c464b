/**
 * A chat or agent task as a Markdown document (Export as Markdown): a heading with its mode,
 * date and (tasks) steps, spend and outcome; each message with who wrote it; each answer's
 * model, provider, tokens and cost; an agent step's tool calls one line each, with its diff as a
 * `diff` block and its result summarized (first lines, collapsed); thinking collapsed in a
 * `<details>` block; images named, never embedded. Untrusted text goes in fences it cannot
 * close; the whole document is redacted of secrets. Pure.
 */
import { redactSecrets } from '../openrouter/secrets';
import { fencedBlock } from '../openrouter/untrustedText';
import { modeText, outcomeText, type HistoryEntry } from '../protocol/history';
import type { AnswerMeta, ChatMessageView, ToolCallView } from '../protocol/messages';
import { formatDuration, formatUsd } from '../protocol/units';

/** A message to export: as shown, plus the names of its images (stored chats keep them as references). */
export type ExportMessage = ChatMessageView & { readonly images?: readonly { readonly name: string }[] };

/** Lines of a tool result kept in the export. */
export const RESULT_LINES = 20;

export interface ExportOptions {
  /** How a time is written (default: ISO, UTC, to the minute). */
  readonly date?: (ms: number) => string;
  /** Secrets known to the host (API keys), redacted wherever they appear. */
  readonly knownSecrets?: readonly string[];
}

const isoMinute = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The whole document. */
export function exportMarkdown(
  entry: Pick<HistoryEntry, 'title' | 'mode' | 'kind' | 'steps' | 'spentUsd' | 'outcome' | 'createdAt'>,
  messages: readonly ExportMessage[],
  options: ExportOptions = {},
): string {
  const date = options.date ?? isoMinute;
  const facts = [modeText(entry.mode), date(entry.createdAt || messages[0]?.createdAt || 0)];
  if (entry.kind === 'task') {
    if (entry.steps !== undefined) facts.push(`${entry.steps} step${entry.steps === 1 ? '' : 's'}`);
    if (entry.spentUsd !== undefined) facts.push(formatUsd(entry.spentUsd));
    if (entry.outcome) facts.push(outcomeText(entry.outcome));
  } else facts.push(`${messages.length} message${messages.length === 1 ? '' : 's'}`);
  const parts = [`# ${oneLine(entry.title)}`, `_${facts.join(' · ')}_ — exported from Switchyard`];
  for (const message of messages) parts.push(message.role === 'user' ? userPart(message) : answerPart(message));
  return `${redactSecrets(parts.join('\n\n'), options.knownSecrets)}\n`;
}

function userPart(message: ExportMessage): string {
  const lines = ['## You', message.summary ? `**${oneLine(message.summary)}**\n\n${message.text}` : message.text];
  const context = (message.attachments ?? []).filter((a) => a.kind !== 'image').map((a) => `\`${oneLine(a.label)}\``);
  const images = [
    ...(message.images ?? []).map((i) => i.name),
    ...(message.attachments ?? []).filter((a) => a.kind === 'image').map((a) => a.label),
  ];
  if (context.length) lines.push(`Context: ${context.join(', ')}`);
  if (images.length) lines.push(`Images (not included): ${images.map((n) => `\`${oneLine(n)}\``).join(', ')}`);
  return lines.join('\n\n');
}

function answerPart(message: ExportMessage): string {
  const lines = [`## ${message.tools ? 'Step' : 'Answer'}${modelOf(message.meta)}`];
  if (message.reasoning?.text) lines.push(thinking(message.reasoning.text, message.reasoning.durationMs));
  if (message.text) lines.push(message.text);
  for (const tool of message.tools ?? []) lines.push(toolPart(tool));
  for (const notice of message.notices ?? []) lines.push(`> ${oneLine(notice)}`);
  if (message.error) lines.push(`> **Failed: ${oneLine(message.error.title)}** — ${oneLine(message.error.message)}`);
  if (message.status === 'stopped') lines.push('> Stopped.');
  const meta = metaLine(message.meta);
  if (meta) lines.push(`_${meta}_`);
  return lines.join('\n\n');
}

function modelOf(meta: AnswerMeta | undefined): string {
  const model = meta?.model ?? meta?.requestedModel;
  return model ? ` · ${oneLine(model)}` : '';
}

/** Model, provider, tokens and cost of one answer. */
function metaLine(meta: AnswerMeta | undefined): string {
  if (!meta) return '';
  const parts = [meta.model ?? meta.requestedModel];
  if (meta.provider) parts.push(`via ${meta.provider}`);
  if (meta.promptTokens !== undefined || meta.completionTokens !== undefined)
    parts.push(`${meta.promptTokens ?? 0} → ${meta.completionTokens ?? 0} tokens`);
  if (meta.cost !== undefined) parts.push(`${formatUsd(meta.cost)}${meta.costEstimatedUsd ? ' (est.)' : ''}`);
  if (meta.cutOff) parts.push(meta.cutOff === 'length' ? 'cut off at the output limit' : 'stopped by a content filter');
  return parts.map(oneLine).join(' · ');
}

function thinking(text: string, durationMs: number | undefined): string {
  const summary = durationMs ? `Thinking (${formatDuration(durationMs)})` : 'Thinking';
  return `<details><summary>${summary}</summary>\n\n${fencedBlock(text, 'text')}\n\n</details>`;
}

/** One tool call: its state and title, its one-line summary, its diff, the first lines of its result. */
function toolPart(tool: ToolCallView): string {
  const head = `- **${tool.state}** \`${oneLine(tool.tool)}\` ${oneLine(tool.title)}${tool.summary ? ` — ${oneLine(tool.summary)}` : ''}`;
  const lines = [head];
  if (tool.diff) lines.push(indent(fencedBlock(tool.diff, 'diff')));
  if (tool.result) {
    const all = tool.result.split('\n');
    const kept = all.slice(0, RESULT_LINES).join('\n');
    const more = all.length > RESULT_LINES ? `\n\n  (${all.length - RESULT_LINES} more lines not shown)` : '';
    lines.push(indent(`<details><summary>Result</summary>\n\n${fencedBlock(kept, 'text')}${more}\n\n</details>`));
  }
  return lines.join('\n\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
}

/** Text that must stay on one line (a heading, a list item). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
