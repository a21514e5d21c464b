/**
 * `run_subagent`: read-only exploration handed off by the task ("find where X is configured",
 * "summarise how module Y works"). The subagent runs its own loop with its own transcript (a system
 * prompt and the task, nothing of the parent's) on the `explore` tier, offered only the read-only
 * tools, with its own step limit (`agent.subagent.maxSteps`, and never more than the parent's run
 * has left: its steps count against the task's `agent.maxSteps`, ./runSteps.ts); its spend counts in the parent task's
 * spend and budget as it goes; the parent gets back only its final report. It is shown as ONE card
 * (collapsible) listing its steps with the model that served each. Stop stops it too (the parent's
 * signal). Reads that would ask the user (auto-approve for reads off, secret-looking files) are not
 * run: a subagent cannot ask, so it is told to leave them to the main task. Pure.
 */
import * as z from 'zod/mini';
import type { SubagentStepView, ToolCallView } from '../protocol/messages';
import { formatUsd } from '../protocol/units';
import { redactSecrets } from '../openrouter/secrets';
import type { AssembledCall } from '../turn/deltas';
import type { ConversationEnv } from '../turn/env';
import { StickyProvider } from '../turn/sticky';
import type { AgentExtras, ExtraCallContext, ExtraFunction } from './extras';
import { runAgentLoop, type LoopResult, type ToolOutcome } from './loop';
import { approvalFor } from './policy';
import type { RunSteps } from './runSteps';
import type { TaskRouting } from './stepRoute';
import type { AgentSettings, AgentTools } from './toolRunner';
import { parseArguments } from './tools/arguments';
import { functionDefinition } from './tools/define';
import { describeCall, runBuiltIn, TOOL_DEFINITIONS, TOOL_KIND, type ToolCall } from './tools';
import { capOutput } from './transcript';
import { runAgentTurn, type TurnOutcome } from './turn';

export const SUBAGENT_TOOL_NAME = 'run_subagent';
export const DEFAULT_SUBAGENT_STEPS = 8;
const MAX_REPORT_CHARS = 20_000;

const Args = z.strictObject({
  task: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(8000),
      z.describe('What to find out, with enough context to work alone, and what the report should contain.'),
    ),
});

/** The function the model is offered, its JSON Schema generated from the schema its arguments are checked with. */
export const SUBAGENT_TOOL: ExtraFunction = functionDefinition(
  SUBAGENT_TOOL_NAME,
  'Hand a read-only exploration to a subagent on a cheaper model: it can read, list, search files and see diagnostics (never edit or run commands), works in its own context, and returns only its report. Use it for questions like "find where X is configured" or "summarise how module Y works" that would otherwise fill this conversation with file contents.',
  Args,
);

/** The read-only built-in tools a subagent is offered. */
export const READ_ONLY_TOOLS = TOOL_DEFINITIONS.filter(
  (t) => TOOL_KIND[t.function.name as ToolCall['name']] === 'read',
);

export const SUBAGENT_SYSTEM_PROMPT = [
  "You are a read-only exploration subagent inside the user's VS Code workspace, working for a coding agent.",
  'Use the tools to read files, list, search and see problems. You cannot edit files or run commands.',
  'Be quick: a few targeted searches and reads. Then answer, without calling a tool, with a concise report: what you found, with file paths and line numbers. The report is all the other agent will see.',
].join('\n');

/** What a subagent needs from its parent task. */
export interface SubagentDeps {
  readonly env: ConversationEnv;
  readonly tools: AgentTools;
  settings(): AgentSettings;
  alwaysAllowed(): ReadonlySet<string>;
  tokens(text: string): number;
  /** The parent's routing: its budget, its tiers, its spend (subagents included). */
  parent(): TaskRouting;
  /** Adds what a subagent step cost to the parent task's spend (at once, and when looked up later). */
  addSpend(usd: number): void;
  /** The parent task's id (the subagent's `session_id` is derived from it). */
  taskId(): string;
  /** The parent run's steps: a subagent's count against its limit, and it takes at most what is left. */
  readonly steps: RunSteps;
}

/** The card of a running subagent: its steps, what they cost (counted in the parent task as they come). */
class SubagentCard {
  readonly steps: SubagentStepView[] = [];
  spentUsd = 0;

  constructor(
    private readonly deps: SubagentDeps,
    private readonly ctx: ExtraCallContext,
  ) {}

  update(change: Partial<ToolCallView>): void {
    this.ctx.update({ ...change, subagent: { steps: [...this.steps], spentUsd: this.spentUsd } });
  }

  /** A step finished: shown with its model and route; its cost now and when looked up later. */
  step(outcome: TurnOutcome): void {
    const index =
      this.steps.push({
        model: outcome.model ?? outcome.plan.attempts[0]?.body.model ?? '',
        route: outcome.route,
        tools: outcome.calls.map((c) => c.name),
      }) - 1;
    this.count(outcome.costUsd ?? 0, index);
    void outcome.spend.rest.then(({ usd }) => this.count(usd, index)).catch(() => {});
  }

  private count(usd: number, index: number): void {
    if (usd <= 0) return;
    this.spentUsd += usd;
    const step = this.steps[index];
    if (step) this.steps[index] = { ...step, costUsd: (step.costUsd ?? 0) + usd };
    this.deps.addSpend(usd);
    this.update({});
  }
}

/** Runs one `run_subagent` call: its card, its own loop, its report. */
export async function runSubagent(
  deps: SubagentDeps,
  call: AssembledCall,
  ctx: ExtraCallContext,
): Promise<ToolOutcome> {
  const args = parseArgs(call.arguments);
  if ('error' in args) return { status: 'failed', content: `Error: ${args.error}` };
  const title = `Subagent: ${oneLine(args.task)}`;
  if (deps.steps.left === 0) {
    await ctx.show({ tool: SUBAGENT_TOOL_NAME, title, state: 'rejected', summary: 'not run: no steps left' });
    return {
      status: 'rejected',
      content:
        "Not run: the task has no steps left for a subagent (switchyard.agent.maxSteps counts a subagent's steps too). Finish with what you have.",
    };
  }
  const card = new SubagentCard(deps, ctx);
  await ctx.show({
    tool: SUBAGENT_TOOL_NAME,
    title,
    state: 'running',
    subagent: { steps: [], spentUsd: 0 },
  });
  try {
    const result = await subagentLoop(deps, args.task, call.id, ctx.signal, card);
    const report = capOutput(
      redactSecrets(result.finalText.trim() || '(the subagent gave no report)'),
      MAX_REPORT_CHARS,
    );
    const ended = { done: '', maxSteps: ' (step limit reached)', budget: ' (budget reached)', stopped: ' (stopped)' }[
      result.reason
    ];
    const summary = `${result.steps} step${result.steps === 1 ? '' : 's'} · ${formatUsd(card.spentUsd)}${ended}`;
    card.update({ state: result.reason === 'stopped' ? 'failed' : 'done', result: report, summary });
    return {
      status: result.reason === 'stopped' ? 'failed' : 'done',
      content: result.reason === 'done' ? report : `${report}\n\n(The subagent ended early${ended}.)`,
    };
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    card.update({ state: 'failed', summary: message, result: `Error: ${message}` });
    return { status: 'failed', content: `Error: the subagent failed: ${message}` };
  }
}

/** The subagent's own loop: its transcript, the explore tier, the parent's budget, read-only tools. */
function subagentLoop(
  deps: SubagentDeps,
  task: string,
  callId: string,
  signal: AbortSignal,
  card: SubagentCard,
): Promise<LoopResult> {
  const parent = deps.parent();
  const routing: TaskRouting = {
    tier: 'explore',
    ...(parent.tiers ? { tiers: parent.tiers } : {}),
    ...(parent.budget ? { budget: parent.budget } : {}),
    ...(parent.onBudget ? { onBudget: parent.onBudget } : {}),
    spentUsd: () => parent.spentUsd(),
  };
  const step = { tokens: deps.tokens, routing, sticky: new StickyProvider(), builtIn: READ_ONLY_TOOLS };
  const sessionId = `${deps.taskId()}:sub:${callId}`;
  const start = [
    { role: 'system' as const, content: SUBAGENT_SYSTEM_PROMPT },
    { role: 'user' as const, content: task },
  ];
  return runAgentLoop(
    start,
    {
      turn: async (messages) => {
        deps.steps.subagentStep();
        const outcome = await runAgentTurn(deps.env, messages, signal, {}, { ...step, sessionId });
        card.step(outcome);
        return outcome;
      },
      execute: (toolCall) => readOnly(deps, toolCall, signal),
      aborted: () => signal.aborted,
    },
    {
      // Its own limit, and never more than the parent's run has left.
      maxSteps: Math.min(deps.settings().subagentMaxSteps ?? DEFAULT_SUBAGENT_STEPS, deps.steps.left),
      tokens: deps.tokens,
    },
  );
}

/** The task text, or why the arguments are not valid. */
function parseArgs(raw: string): { task: string } | { error: string } {
  const parsed = parseArguments(SUBAGENT_TOOL_NAME, Args, raw);
  return parsed.ok
    ? { task: parsed.args.task }
    : { error: `${parsed.error}; run_subagent needs {"task": "what to find out"} (a non-empty string)` };
}

/** A read-only call of the subagent: run when the policy lets it through without asking; else left to the main task. */
async function readOnly(deps: SubagentDeps, call: ToolCall, signal: AbortSignal): Promise<ToolOutcome> {
  if (TOOL_KIND[call.name] !== 'read')
    return { status: 'rejected', content: `Error: ${call.name} is not available to a subagent: it may only read.` };
  const facts = (await deps.tools.inspect?.(call)) ?? { sandboxed: false };
  const verdict = approvalFor(call, deps.settings().approval, deps.alwaysAllowed(), facts);
  if (verdict.decision === 'ask')
    return {
      status: 'rejected',
      content: `Not run: ${describeCall(call)} needs the user's approval (${verdict.reason}), and a subagent cannot ask. Say in your report that the main task should do it.`,
    };
  const run = await runBuiltIn(call, deps.tools, { signal, events: { onStillRunning: () => {} } });
  return { status: run.ok ? 'done' : 'failed', content: capOutput(redactSecrets(run.content), 20_000) };
}

const oneLine = (text: string): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
};

/** The task's extras with `run_subagent` offered first (the MCP tools, skills and instructions unchanged). */
export function withSubagent(extras: AgentExtras | undefined, deps: SubagentDeps): AgentExtras {
  return {
    begin: (signal) => extras?.begin(signal) ?? Promise.resolve(),
    instructions: () => extras?.instructions() ?? '',
    functions: (contextTokens) => [SUBAGENT_TOOL, ...(extras?.functions(contextTokens) ?? [])],
    handles: (name) => name === SUBAGENT_TOOL_NAME || (extras?.handles(name) ?? false),
    // A subagent only reads, so a plan may use it too; the others say for themselves.
    readOnly: (name) => name === SUBAGENT_TOOL_NAME || (extras?.readOnly?.(name) ?? false),
    run: (call, context) =>
      call.name === SUBAGENT_TOOL_NAME || !extras ? runSubagent(deps, call, context) : extras.run(call, context),
    ...(extras?.touched ? { touched: (call: ToolCall) => extras.touched!(call) } : {}),
    reset: () => extras?.reset(),
  };
}
