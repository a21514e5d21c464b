/**
 * A long scripted agent task (issue 23): the model reads `docs/part-0.md` … one part per step
 * (every fifth step lists `docs` first: two calls in one step), then answers. Each turn is chosen
 * by the last tool result (each part ends with its own marker), not by the step number, so the
 * script goes on unchanged after Switchyard compacts the transcript (a compaction puts a summary
 * where the earlier steps were). On `fake/agent-32k` (32K context) a 40-step task of ~1k-token
 * parts passes 85 % of the context and compacts, twice.
 */
import type { AgentScript } from './agent';

export const LONG_TASK_STEPS = 40;

/** The task's first message (the user's request). */
export const LONG_TASK_REQUEST = 'Read the design notes part by part and tell me what they say.';

/** The marker that ends part `i`. */
export function partMarker(i: number): string {
  return `PART-${i}-END`;
}

/** The path of part `i`. */
export function partPath(i: number): string {
  return `docs/part-${i}.md`;
}

/**
 * Part `i`: numbered lines of about `tokens` tokens as the fake counts them (four characters a
 * token), ending with its marker. A BPE tokenizer counts about a quarter more on these lines, so
 * Switchyard compacts before the fake's own context check would refuse a request.
 */
export function partText(i: number, tokens: number): string {
  const lines: string[] = [`# Part ${i}`];
  for (let n = 0; lines.join('\n').length < tokens * 4; n++)
    lines.push(
      `- item ${n} of part ${i}: the loader reads block ${(i * 7919 + n * 37) % 1000} and stores it in slot ${n % 17}.`,
    );
  lines.push(partMarker(i));
  return `${lines.join('\n')}\n`;
}

/** The workspace files of a task of `steps` steps: `steps - 1` parts. */
export function longTaskFiles(steps = LONG_TASK_STEPS, tokensPerPart = 1000): Record<string, string> {
  return Object.fromEntries(Array.from({ length: steps - 1 }, (_, i) => [partPath(i), partText(i, tokensPerPart)]));
}

/** The calls of the step that reads part `i`. */
function calls(i: number): { name: string; arguments: string }[] {
  const read = { name: 'read_file', arguments: JSON.stringify({ path: partPath(i) }) };
  return i % 5 === 4 ? [{ name: 'list_files', arguments: JSON.stringify({ path: 'docs' }) }, read] : [read];
}

/** The script of a task of `steps` steps: a step per part, then the answer. */
export function longTaskScript(steps = LONG_TASK_STEPS): AgentScript {
  const parts = steps - 1;
  const next = Array.from({ length: parts - 1 }, (_, i) => ({
    when: { toolResultIncludes: partMarker(i) },
    text: `Part ${i} read; reading part ${i + 1}.`,
    toolCalls: calls(i + 1),
  }));
  return {
    turns: [
      ...next,
      { when: { toolResultIncludes: partMarker(parts - 1) }, text: `All ${parts} parts read: they list load figures.` },
      { when: { step: 0 }, text: 'Reading part 0.', toolCalls: calls(0) },
    ],
  };
}
