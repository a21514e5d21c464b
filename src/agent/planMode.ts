/**
 * Plan mode: the agent may only look (read, list, search, diagnostics, read-only MCP tools, and
 * its to-do list) and ends with a plan, its final answer, which the user edits and acts on. Every
 * other call — a built-in tool that edits or runs, an MCP tool without `readOnlyHint: true` — is
 * refused with a tool result that says why and how to go on, never dropped. Pure.
 */
import { AGENT_SYSTEM_PROMPT, type TaskKind } from './agentEnv';
import { isToolName, TOOL_DEFINITIONS, TOOL_KIND, type ToolDefinition } from './tools';

/** What kind of task a session runs: a plan (read-only tools) or an agent task that acts. */
export type { TaskKind };

/** The built-in tools offered in a task of this kind. */
export function builtInToolsFor(kind: TaskKind): readonly ToolDefinition[] {
  return kind === 'act' ? TOOL_DEFINITIONS : TOOL_DEFINITIONS.filter((d) => TOOL_KIND[d.function.name] === 'read');
}

/** The read-only built-in tools, by name (for the refusal's text). */
export const PLAN_TOOL_NAMES: readonly string[] = builtInToolsFor('plan').map((d) => d.function.name);

/** Whether an extra tool (MCP, skill, search_tools …) may run in a plan; absent = only the ones its owner marks read-only. */
export type ReadOnlyCheck = (name: string) => boolean;

/** What a refused call gets as its result: why, and how to go on. */
export function planRefusal(name: string): string {
  return [
    `Refused: ${name} is not available in Plan mode, which may only read (${PLAN_TOOL_NAMES.join(', ')}, read-only MCP tools) and keep the to-do list.`,
    'Nothing was changed or run. Do not try to edit files or run commands now: finish by answering with the plan as a markdown document.',
    'The user can then click "Act on this plan" (or switch to Agent mode) to carry it out.',
  ].join(' ');
}

/**
 * The gate of a task's calls: undefined lets the call through, a text refuses it (that text is
 * its result). In a plan, built-in tools that edit or run and extra tools that are not read-only
 * are refused; unknown names go on to the usual "no tool named …" error.
 */
export function planGate(
  kind: TaskKind,
  extra: { handles(name: string): boolean; readOnly(name: string): boolean } | undefined,
): ((name: string) => string | undefined) | undefined {
  if (kind === 'act') return undefined;
  return (name) => {
    if (isToolName(name)) return TOOL_KIND[name] === 'read' ? undefined : planRefusal(name);
    if (extra?.handles(name) && !extra.readOnly(name)) return planRefusal(name);
    return undefined;
  };
}

/** Added to the system prompt of a plan. */
export const PLAN_PROMPT = [
  'You are in Plan mode: investigate with the read-only tools, but do not change anything — edits and commands are refused.',
  'When you know enough, answer (without calling a tool) with the plan as a markdown document: a title, the goal, the files to change and what changes in each, the order of the steps, and how to check the result.',
  'The user will edit the plan and then have an agent carry it out, or ask you to revise it.',
].join('\n');

/** The system prompt of a task of this kind, with the project's instructions after it (both stay the same for the whole task). */
export function systemPromptFor(kind: TaskKind, instructions: string): string {
  return [AGENT_SYSTEM_PROMPT, ...(kind === 'plan' ? [PLAN_PROMPT] : []), ...(instructions ? [instructions] : [])].join(
    '\n\n',
  );
}

/** How the first message of a task that acts on a plan begins (compaction pins that message: ./pinned.ts). */
export const ACT_ON_PLAN_LEAD =
  'Carry out this plan. It was made in Plan mode and may have been edited by the user since; follow it as it is written here.';

/** The first message of the agent task that acts on a plan: the plan as the user left it. */
export function actOnPlanMessage(plan: string): string {
  return `${ACT_ON_PLAN_LEAD}\n\n${plan.trim()}`;
}

/** The message that asks for a revision: the user's feedback, and the plan as they edited it (when they did). */
export function revisePlanMessage(feedback: string, edited: string | undefined): string {
  const parts = [`Revise the plan: ${feedback.trim()}`];
  if (edited !== undefined) parts.push(`I edited the plan in the editor; start from this version:\n\n${edited.trim()}`);
  parts.push('Answer with the whole revised plan as a markdown document.');
  return parts.join('\n\n');
}
