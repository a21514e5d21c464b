/**
 * The fake's built-in tool-using model: what a request that carries `tools` gets when no agent
 * script is set (agent.ts), so the `--fake` trial's Agent mode works out of the box. Like a real
 * model it decides each step from the conversation alone — the task and the tool results it got
 * back — never from names known in advance:
 *
 *   1. `list_files` (recursive) to see the workspace;
 *   2. `read_file` of the files the task names, the manifest, tests and sources (several calls in
 *      one step), then the sources the tests import;
 *   3. `edit_file`: the fix a test's expectation implies, else a doc comment (autoFix.ts);
 *   4. `run_command` with the workspace's test command (npm test, node --test, pytest…);
 *   5. a summary: what it changed and the command's exit code (or what the user said on Reject).
 *
 * Offered neither `edit_file` nor `run_command` (a Plan-mode task: it may only look), it answers
 * after reading with a plan instead: the edit it would make and the command it would run. Asked in
 * plain words for a subagent ("use a subagent to …") and offered `run_subagent`, it hands the
 * task to one and answers with its report; as the subagent (its system prompt says so) it reads
 * the same way and answers with a report of what it found.
 *
 * Requests whose `tools` lack `list_files` or `read_file` get the ordinary echo (undefined here).
 */
import { textOf, type ChatMessage } from './answer';
import type { AgentTurn } from './agent';
import {
  arithmeticFix,
  docCommentEdit,
  firstReads,
  importedSources,
  listedPaths,
  testCommand,
  type ProposedEdit,
} from './autoFix';

interface WireCall {
  readonly id?: unknown;
  readonly function?: { readonly name?: unknown; readonly arguments?: unknown };
}

type Message = ChatMessage & { readonly tool_calls?: readonly WireCall[]; readonly tool_call_id?: unknown };

/** One tool call of the task so far, with its arguments and the result that came back. */
interface Done {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly result: string | undefined;
  /** Which assistant turn of the task made the call (0 = the first). */
  readonly step: number;
}

/** The names of the functions a request's `tools` offers. */
export function offeredTools(tools: unknown): Set<string> {
  if (!Array.isArray(tools)) return new Set();
  return new Set(
    tools
      .map((t: unknown) => (t as { function?: { name?: unknown } } | null)?.function?.name)
      .filter((n): n is string => typeof n === 'string'),
  );
}

/** The calls since the last user message (the task), in order, with their results. */
function callsOfTask(messages: readonly Message[]): { task: string; done: Done[] } {
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  const task = lastUser >= 0 ? textOf(messages[lastUser]!.content) : '';
  const rest = messages.slice(lastUser + 1);
  const results = new Map(rest.filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, textOf(m.content)]));
  const done: Done[] = [];
  let step = -1;
  for (const m of rest) {
    if (m.role === 'assistant') step++;
    for (const c of m.role === 'assistant' ? (m.tool_calls ?? []) : []) {
      const name = typeof c.function?.name === 'string' ? c.function.name : '';
      let args: Record<string, unknown> = {};
      try {
        args = JSON.parse(String(c.function?.arguments ?? '{}')) as Record<string, unknown>;
      } catch {
        // Arguments it could not parse count as none.
      }
      done.push({ name, args, result: results.get(c.id), step });
    }
  }
  return { task, done };
}

/** The text `read_file` returned, without its paging header and footer. */
function fileText(result: string): string {
  return result
    .replace(/^[^\n]* \(lines \d+–\d+ of \d+\):\n/, '')
    .replace(/\n\[lines \d+–\d+ of \d+; read on with start_line \d+\]$/, '');
}

const call = (name: string, args: unknown): { name: string; arguments: string } => ({
  name,
  arguments: JSON.stringify(args),
});
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A task that asks for a subagent in plain words ("use a subagent to…", "ask a sub-agent"). */
const ASKS_FOR_SUBAGENT = /\bsub-?agents?\b/i;
/** A subagent's own requests: its system prompt tells the model what it is, as a real one reads it. */
const SUBAGENT_SYSTEM = /\bexploration subagent\b/i;

/** The parent's steps of a task handed to a subagent: the call, then the report it got back. */
function delegated(task: string, done: readonly Done[]): AgentTurn {
  const handed = done.find((d) => d.name === 'run_subagent');
  if (!handed)
    return {
      text: 'I will hand the exploration to a subagent, so its reads stay out of this conversation.',
      toolCalls: [call('run_subagent', { task: `Explore the workspace and report what you find for: ${task}` })],
    };
  return { text: `The subagent explored for me. Its report:\n\n${handed.result ?? '(no report came back)'}` };
}

/** The next step of the task, or undefined when this request is not one the built-in agent takes. */
export function autoAgentTurn(messages: readonly Message[], tools: ReadonlySet<string>): AgentTurn | undefined {
  if (!tools.has('list_files') || !tools.has('read_file')) return undefined;
  const { task, done } = callsOfTask(messages);
  if (tools.has('run_subagent') && ASKS_FOR_SUBAGENT.test(task)) return delegated(task, done);
  const subagent = SUBAGENT_SYSTEM.test(messages[0]?.role === 'system' ? textOf(messages[0].content) : '');
  const listing = done.filter((d) => d.name === 'list_files').at(-1);
  if (!listing)
    return { text: 'Let me look at the workspace first.', toolCalls: [call('list_files', { recursive: true })] };
  const paths = listedPaths(listing.result ?? '');
  const reads = done.filter((d) => d.name === 'read_file' && typeof d.args.path === 'string');
  const files = new Map(
    reads
      .filter((d) => d.result !== undefined && !/ does not exist$/.test(d.result))
      .map((d) => [String(d.args.path), fileText(d.result!)]),
  );
  if (reads.length === 0) {
    const first = firstReads(paths, task);
    if (first.length === 0)
      return {
        text: `The workspace has ${plural(paths.length, 'file')} and none holds code I can work on, so I changed nothing.`,
      };
    return { text: `I'll read ${first.join(', ')}.`, toolCalls: first.map((path) => call('read_file', { path })) };
  }
  const edit = done.find((d) => d.name === 'edit_file');
  if (!edit) return nextAfterReading(files, paths, done, tools, subagent);
  return nextAfterEditing(edit, files, paths, done, tools);
}

function nextAfterReading(
  files: ReadonlyMap<string, string>,
  paths: readonly string[],
  done: readonly Done[],
  tools: ReadonlySet<string>,
  subagent: boolean,
): AgentTurn {
  const rounds = new Set(done.filter((d) => d.name === 'read_file').map((d) => d.step)).size;
  const imported = importedSources(files, paths).slice(0, 3);
  if (imported.length && rounds < 2 && done.filter((d) => d.name === 'read_file').length < 8) {
    return {
      text: `The tests use ${imported.join(', ')}; reading ${imported.length === 1 ? 'it' : 'them'} too.`,
      toolCalls: imported.map((path) => call('read_file', { path })),
    };
  }
  const proposal = arithmeticFix(files) ?? docCommentEdit(files);
  if (!tools.has('edit_file') && !tools.has('run_command'))
    return {
      text: (subagent ? reportText : planText)(proposal, testCommand(files, paths), files.size, [...files.keys()]),
    };
  if (proposal && tools.has('edit_file')) {
    return {
      text: proposal.reason,
      toolCalls: [
        call('edit_file', { path: proposal.path, edits: [{ old_text: proposal.oldText, new_text: proposal.newText }] }),
      ],
    };
  }
  const command = testCommand(files, paths);
  const run = done.find((d) => d.name === 'run_command');
  if (command && tools.has('run_command') && !run) {
    return {
      text: 'I found nothing to change from reading; running the tests to see where they stand.',
      toolCalls: [call('run_command', { command })],
    };
  }
  return { text: summary(undefined, run, files, done) };
}

function nextAfterEditing(
  edit: Done,
  files: ReadonlyMap<string, string>,
  paths: readonly string[],
  done: readonly Done[],
  tools: ReadonlySet<string>,
): AgentTurn {
  const result = edit.result ?? '';
  const proposal = proposalOf(edit);
  if (/^The user rejected/.test(result)) {
    const feedback = /Their feedback: (.*)$/s.exec(result)?.[1]?.trim();
    return {
      text: `Understood: I left ${proposal.path} unchanged${feedback ? `, as you asked (“${feedback}”)` : ''}. Nothing else was changed.`,
    };
  }
  if (!result.startsWith(`${proposal.path}:`))
    return { text: `The edit of ${proposal.path} could not be made: ${result}` };
  const command = testCommand(files, paths);
  const run = done.find((d) => d.name === 'run_command');
  if (command && tools.has('run_command') && !run)
    return { text: `Edited ${proposal.path}. Now running the tests.`, toolCalls: [call('run_command', { command })] };
  return { text: summary(proposal, run, files, done) };
}

function proposalOf(edit: Done): Pick<ProposedEdit, 'path' | 'oldText' | 'newText'> {
  const first = (Array.isArray(edit.args.edits) ? edit.args.edits[0] : undefined) as
    { old_text?: unknown; new_text?: unknown } | undefined;
  return {
    path: String(edit.args.path ?? ''),
    oldText: String(first?.old_text ?? ''),
    newText: String(first?.new_text ?? ''),
  };
}

/** A subagent's report: what it read, what looks wrong and how the tests are run (it changes nothing). */
function reportText(
  proposal: ProposedEdit | undefined,
  command: string | undefined,
  read: number,
  paths: readonly string[],
): string {
  return [
    `Report: I read ${plural(read, 'file')} (${paths.join(', ')}).`,
    proposal ? `- What I would change in ${proposal.path}: ${proposal.reason}` : '- Nothing in them looks wrong.',
    command ? `- The tests run with \`${command}\`.` : '- I found no test command.',
  ].join('\n');
}

/** A Plan-mode task's answer: the edit it would propose and the test command it would run, as steps. */
function planText(proposal: ProposedEdit | undefined, command: string | undefined, read: number): string {
  const lastLine = (s: string): string => s.trim().split('\n').at(-1)!.trim();
  const steps: string[] = [];
  if (proposal) {
    const [before, after] = [lastLine(proposal.oldText), lastLine(proposal.newText)];
    const added = proposal.newText.trim().split('\n')[0]!.trim();
    const change = before === after ? `add \`${added}\` above \`${before}\`` : `change \`${before}\` to \`${after}\``;
    steps.push(`In ${proposal.path}, ${change}: ${proposal.reason}`);
  }
  if (command) steps.push(`Run \`${command}\` and check that it passes.`);
  if (steps.length === 0) return `I read ${plural(read, 'file')} and found nothing to change, so there is no plan.`;
  return [
    `## Plan\n`,
    ...steps.map((s, i) => `${i + 1}. ${s}`),
    `\nI read ${plural(read, 'file')} and changed nothing (Plan mode).`,
  ].join('\n');
}

/** The closing answer: what was read, changed and run, and how the run ended. */
function summary(
  edit: Pick<ProposedEdit, 'path' | 'oldText' | 'newText'> | undefined,
  run: Done | undefined,
  files: ReadonlyMap<string, string>,
  done: readonly Done[],
): string {
  const parts = [`Done. I read ${plural(files.size, 'file')}`];
  const oneLine = (s: string): string => s.trim().split('\n').at(-1)!.trim();
  if (edit) parts.push(`changed \`${oneLine(edit.oldText)}\` to \`${oneLine(edit.newText)}\` in ${edit.path}`);
  else parts.push('changed nothing');
  let text = parts.join(', ');
  if (run) {
    const command = String(run.args.command ?? '');
    const output = run.result ?? '';
    const code = /\[exit code (\d+)\]\s*$/.exec(output)?.[1];
    if (/^The user rejected/.test(output)) text += `; you chose not to run \`${command}\``;
    else if (code === '0') text += `, and \`${command}\` passes (exit code 0)`;
    else if (code !== undefined)
      text += `, but \`${command}\` still fails (exit code ${code}):\n\n\`\`\`\n${output.trim().split('\n').slice(-8, -1).join('\n')}\n\`\`\``;
    else text += `; \`${command}\` ended without an exit code`;
  } else if (!done.some((d) => d.name === 'run_command')) text += '; I found no test command to run';
  return `${text}.`.replace(/```\.$/, '```');
}
