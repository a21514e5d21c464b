/**
 * The agent's extras on VS Code (src/agent/extras.ts): the user's MCP servers (started on the
 * first agent task), the project's and the user's instructions, and skills with the `skill` tool.
 */
import type { AssembledCall } from '../../turn/deltas';
import type { AgentExtras, ExtraCallContext, ExtraFunction } from '../../agent/extras';
import type { ToolOutcome } from '../../agent/loop';
import { MAX_RESULT_CHARS } from '../../agent/session';
import { SKILL_TOOL, skillsPromptText, skillToolDefinition } from '../../agent/skills';
import { TODO_WRITE } from '../../agent/todos';
import { ToolNames, type ToolCall } from '../../agent/tools';
import { McpBridge } from '../../mcp/bridge';
import { SEARCH_TOOLS } from '../../mcp/toolCatalog';
import type * as vscode from 'vscode';
import type { ImageStore } from '../../context/images';
import { estimateTokens } from '../../context/tokens';
import type { AgentInstructions } from './agentInstructions';
import { AgentSkills } from './agentSkills';
import { knownSecretsForRedaction, type Logger } from '../log';
import { McpManager } from '../mcp/manager';

export class VsCodeAgentExtras implements AgentExtras {
  private readonly bridge: McpBridge;

  constructor(
    private readonly mcp: McpManager,
    private readonly instructionFiles: AgentInstructions,
    private readonly skills: AgentSkills,
    private readonly log: Logger,
    tokens: (text: string) => number,
    images?: ImageStore,
  ) {
    this.bridge = new McpBridge(mcp, {
      reserved: [...ToolNames, SKILL_TOOL, SEARCH_TOOLS, TODO_WRITE],
      tokens,
      maxResultChars: MAX_RESULT_CHARS,
      knownSecrets: knownSecretsForRedaction,
      ...(images ? { images } : {}),
    });
  }

  async begin(): Promise<void> {
    await Promise.all([this.instructionFiles.refresh(), this.skills.refresh()]).catch((e: unknown) =>
      this.log.warn(`agent: instructions or skills not read: ${String(e)}`),
    );
    if (this.mcp.hasServers())
      await this.mcp.startAll().catch((e: unknown) => this.log.warn(`agent: MCP servers not started: ${String(e)}`));
  }

  instructions(): string {
    return [this.instructionFiles.text(), skillsPromptText(this.skills.list())].filter(Boolean).join('\n\n');
  }

  functions(contextTokens: number): readonly ExtraFunction[] {
    const skills = this.skills.list();
    return [...(skills.length ? [skillToolDefinition(skills)] : []), ...this.bridge.functions(contextTokens)];
  }

  handles(name: string): boolean {
    return (name === SKILL_TOOL && this.skills.list().length > 0) || this.bridge.handles(name);
  }

  readOnly(name: string): boolean {
    return name === SKILL_TOOL || this.bridge.readOnly(name);
  }

  run(call: AssembledCall, context: ExtraCallContext): Promise<ToolOutcome> {
    return call.name === SKILL_TOOL ? this.loadSkill(call, context) : this.bridge.run(call, context);
  }

  private async loadSkill(call: AssembledCall, context: ExtraCallContext): Promise<ToolOutcome> {
    let name = '';
    try {
      const raw = JSON.parse(call.arguments || '{}') as { name?: unknown };
      if (typeof raw.name === 'string') name = raw.name;
    } catch {
      // name stays empty: the error names the skills.
    }
    const loaded = await this.skills.load(name);
    const title = `Load skill ${name || '(none)'}`;
    if (!loaded.ok) {
      await context.show({
        tool: SKILL_TOOL,
        title,
        state: 'failed',
        summary: loaded.error,
        result: `Error: ${loaded.error}`,
      });
      return { status: 'failed', content: `Error: ${loaded.error}` };
    }
    await context.show({ tool: SKILL_TOOL, title, state: 'done', summary: loaded.skill.file, result: loaded.text });
    return { status: 'done', content: loaded.text };
  }

  async touched(call: ToolCall): Promise<readonly string[]> {
    const path = 'path' in call.args && typeof call.args.path === 'string' ? call.args.path : undefined;
    return path ? this.instructionFiles.touched([path]) : [];
  }

  reset(): void {
    this.bridge.reset();
    this.instructionFiles.reset();
  }
}

/** The MCP servers, instruction files and skills of this window, and the agent's extras over them. */
export interface AgentEcosystem {
  readonly mcp: McpManager;
  readonly instructions: AgentInstructions;
  readonly skills: AgentSkills;
  readonly extras: VsCodeAgentExtras;
}

export function createAgentEcosystem(
  context: vscode.ExtensionContext,
  log: Logger,
  report: (problems: readonly string[]) => void,
  instructions: AgentInstructions,
  images?: ImageStore,
): AgentEcosystem {
  const mcp = new McpManager(context, log, report);
  const skills = new AgentSkills(log);
  context.subscriptions.push(mcp);
  return {
    mcp,
    instructions,
    skills,
    extras: new VsCodeAgentExtras(mcp, instructions, skills, log, estimateTokens, images),
  };
}
