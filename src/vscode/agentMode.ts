/**
 * Agent mode's editor side: the composer's mode (Ask / Agent, remembered per workspace), the
 * agent task (src/agent/session.ts) with VS Code tools, "Always allow <tool> in this workspace"
 * (workspace state), and the webview messages of agent mode.
 */
import * as vscode from 'vscode';
import type { ChatEnvironment } from '../chat/chatSession';
import { HistoryStore } from '../chat/history';
import type { AgentExtras } from '../agent/extras';
import { AgentSession } from '../agent/session';
import type { ToolName } from '../agent/tools';
import { estimateTokens } from '../context/tokens';
import type { AgentWebviewMessage } from '../chat/webviewDispatch';
import type { ChatMode, HostToWebview } from '../protocol/messages';
import { readAgentSettings, sandboxNetworkSetting } from './agentSettings';
import { confirmSecretRead, VsCodeAgentTools } from './agentTools';
import { CommandSandbox, type SandboxPaths } from './commandSandbox';
import type { Assistant } from './assistant';
import type { Logger } from './log';

const MODE_KEY = 'switchyard.chatMode';
const ALWAYS_KEY = 'switchyard.agent.alwaysAllow';

export class AgentMode implements vscode.Disposable {
  readonly session: AgentSession;
  /** Past Chats (the chats' store): tasks are listed there as they go. */
  readonly history: HistoryStore;
  private readonly tools: VsCodeAgentTools;

  constructor(
    private readonly state: vscode.Memento,
    env: ChatEnvironment,
    assistant: Assistant,
    private readonly post: (message: HostToWebview) => void,
    log: Logger,
    report: (problems: readonly string[]) => void,
    paths: SandboxPaths,
    extras?: AgentExtras,
  ) {
    const settings = () => {
      const { settings: s, problems } = readAgentSettings();
      report(problems);
      return s;
    };
    const sandbox = new CommandSandbox(paths, log);
    this.history = new HistoryStore(state);
    this.tools = new VsCodeAgentTools(
      assistant.files,
      assistant.proposals,
      log,
      () => settings().commandTimeoutSeconds,
      { exclude: () => assistant.contextExclude(), confirmRead: confirmSecretRead },
      { sandbox, network: sandboxNetworkSetting },
    );
    this.session = new AgentSession({
      ...env,
      tools: this.tools,
      agentSettings: settings,
      alwaysAllowed: () => new Set(this.state.get<string[]>(ALWAYS_KEY) ?? []),
      allowAlways: async (tool: ToolName) => {
        const list = new Set(this.state.get<string[]>(ALWAYS_KEY) ?? []);
        list.add(tool);
        await this.state.update(ALWAYS_KEY, [...list]);
        log.info(`agent: ${tool} is always allowed in this workspace`);
      },
      store: this.state,
      archive: this.history,
      tokens: estimateTokens,
      ...(extras ? { extras } : {}),
    });
  }

  get mode(): ChatMode {
    return this.state.get<ChatMode>(MODE_KEY) === 'agent' ? 'agent' : 'ask';
  }

  async setMode(mode: ChatMode): Promise<void> {
    await this.state.update(MODE_KEY, mode);
    this.post({ type: 'mode', mode });
  }

  async handle(message: AgentWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'setMode':
        return this.setMode(message.mode);
      case 'toolDecision':
        this.session.decide(
          message.callId,
          message.approve,
          message.feedback,
          message.always,
          message.alwaysServer,
          message.allowNetwork,
        );
        return;
      case 'restoreCheckpoint':
        return this.session.restore(message.stepId);
      case 'killCommand':
        this.session.kill(message.callId);
        return;
      case 'continueTask':
        return this.session.continueTask();
    }
  }

  stop(): void {
    this.session.stop();
  }

  dispose(): void {
    this.session.stop();
    this.tools.dispose();
  }
}
