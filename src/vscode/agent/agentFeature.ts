/**
 * The agent feature, built once on first use from its lazy chunk (./agentChunk.ts, dist/agent.js):
 * the MCP servers and skills (the ecosystem) when the composer or a command first asks for them,
 * Agent and Plan mode when a task is first shown or driven. Activation builds neither; which mode
 * the view shows is read without them (./chatModeState.ts), and the instruction files, which the
 * composer lists and Ask mode reads, are built without the chunk and shared with the ecosystem.
 */
import * as vscode from 'vscode';
import type { ChatEnvironment } from '../../chat/chatSession';
import type { ImageStore } from '../../context/images';
import type { HostToWebview } from '../../protocol/messages';
import type { ViewMode } from '../../chat/viewMode';
import type { Assistant } from '../chatView/assistant';
import type { Logger } from '../log';
import type { AgentEcosystem } from './agentExtras';
import type { AgentMode } from './agentMode';
import { PLAN_FOLDER } from './planDocuments';
import { AgentInstructions } from './agentInstructions';

export interface AgentFeatureDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: Logger;
  readonly report: (problems: readonly string[]) => void;
  /** The chat's environment; the agent posts through its own side of the view mode. */
  readonly chatEnv: ChatEnvironment & { readonly images: ImageStore };
  readonly assistant: () => Assistant;
  readonly viewMode: ViewMode;
  /** Posts to the chat view whatever conversation it shows. */
  readonly post: (message: HostToWebview) => void;
  /** Shows the conversation of the mode on screen again (the view's `init`). */
  readonly reinit: () => Promise<void>;
  /** Told once, when the ecosystem is built (e.g. to follow MCP servers' changes). */
  readonly onEcosystem: (ecosystem: AgentEcosystem) => vscode.Disposable;
  /** Told once, when Agent mode is built (e.g. to release the images of tasks Past Chats drops). */
  readonly onAgent: (agent: AgentMode) => void;
}

let chunk: typeof import('./agentChunk') | undefined;

/**
 * The chunk, required on first use: a plain require, which esbuild.mjs turns into `require("./agent.js")`.
 * Its first load is logged ("agent chunk loaded"): the e2e checks that the chat view's first show in
 * Ask mode does without it.
 */
function agentChunk(log: Logger): typeof import('./agentChunk') {
  if (chunk) return chunk;
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  chunk = require('./agentChunk') as typeof import('./agentChunk');
  log.info(`agent chunk loaded in ${(performance.now() - started).toFixed(1)} ms`);
  return chunk;
}

export class AgentFeature implements vscode.Disposable {
  private builtEcosystem: AgentEcosystem | undefined;
  private builtInstructions: AgentInstructions | undefined;
  private builtAgent: AgentMode | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: AgentFeatureDeps) {}

  /**
   * The instruction files (built on first use, in the host bundle: the composer lists them and Ask
   * mode reads them without loading the agent's chunk). The ecosystem and the agent share this one.
   */
  get instructions(): AgentInstructions {
    return (this.builtInstructions ??= new AgentInstructions(this.deps.context.workspaceState));
  }

  /** MCP servers, instruction files and skills (built on first use). */
  get ecosystem(): AgentEcosystem {
    if (this.builtEcosystem) return this.builtEcosystem;
    const { context, log, report, chatEnv } = this.deps;
    const ecosystem = agentChunk(log).createAgentEcosystem(context, log, report, this.instructions, chatEnv.images);
    this.builtEcosystem = ecosystem;
    this.disposables.push(this.deps.onEcosystem(ecosystem));
    return ecosystem;
  }

  /** Agent and Plan mode (built on first use). */
  get agent(): AgentMode {
    return (this.builtAgent ??= this.createAgent());
  }

  /** The agent if it was built: Stop and dispose never build it. */
  get loaded(): AgentMode | undefined {
    return this.builtAgent;
  }

  private createAgent(): AgentMode {
    const { context, log, report, chatEnv, viewMode, post, reinit } = this.deps;
    const agent = new (agentChunk(log).AgentMode)(
      context.workspaceState,
      { ...chatEnv, post: viewMode.poster('agent') },
      this.deps.assistant(),
      post,
      log,
      report,
      { extension: context.extensionPath, globalStorage: context.globalStorageUri.fsPath },
      this.ecosystem.extras,
      {
        post: viewMode.poster('plan'),
        folder: vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, PLAN_FOLDER),
        reinit,
      },
    );
    log.info('agent loaded');
    this.deps.onAgent(agent);
    return agent;
  }

  dispose(): void {
    this.builtAgent?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
