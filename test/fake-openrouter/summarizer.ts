/**
 * The fake's answer to a request to compact an agent's transcript (its system message asks for a
 * summary of the `<transcript>` it is given, as Switchyard's compaction does): a summary in the
 * four sections asked for, read out of the transcript alone — the user's requests, the calls made
 * in order, what the last command's exit code was — so `/compact` in the `--fake` trial shows a
 * summary a real model could have written, not the echo.
 */
import { textOf, type ChatMessage } from './answer';

/** A summarizer's system message: it asks to compact a transcript. */
const COMPACT_REQUEST = /\bcompact the transcript\b/i;

/** A call as the summary names it: the tool and the path or command it was given. */
function callLine(name: string, args: string): string {
  const what = /"(?:path|command|task)":"((?:[^"\\]|\\.)*)"/.exec(args)?.[1];
  return what ? `${name} ${what.slice(0, 80)}` : name;
}

/** The summary of the transcript a compaction request carries, or undefined when `messages` is no such request. */
export function summaryAnswer(messages: readonly ChatMessage[]): string | undefined {
  const system = messages.find((m) => m.role === 'system');
  if (!system || !COMPACT_REQUEST.test(textOf(system.content))) return undefined;
  const request = textOf([...messages].reverse().find((m) => m.role === 'user')?.content);
  const transcript = /<transcript>\n([\s\S]*)\n<\/transcript>/.exec(request)?.[1] ?? '';
  const requests = [...transcript.matchAll(/^User:\n(.+)$/gm)].map((m) => `“${m[1]!.trim().slice(0, 120)}”`);
  const calls = [...transcript.matchAll(/^Call (\S+) (.*)$/gm)].map((m) => callLine(m[1]!, m[2]!));
  const exit = [...transcript.matchAll(/\[exit code (\d+)\]/g)].at(-1)?.[1];
  return [
    `1. Request: ${requests.join('; ') || 'none in this part'}.`,
    `2. Done: ${calls.join('; ') || 'no tool calls'}.`,
    `3. Findings: ${exit === undefined ? 'no command has run yet' : `the last command ended with exit code ${exit}`}.`,
    '4. Open: what the latest request asks.',
  ].join('\n');
}
