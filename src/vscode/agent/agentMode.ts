/**
 * Agent mode's editor side: the composer's mode (Ask / Plan / Agent, remembered per workspace), the
 * agent task (src/agent/session.ts) with VS Code tools, the plan task (read-only tools; its plan
 * opens as a document, ./planFlow.ts), "Always allow <tool> in this workspace"
 * (workspace state), and the webview messages of agent mode.
 */
import * as vscode from 'vscode';
import type { ChatEnvironment } from '../../chat/chatSession';
import { HistoryStore } from '../../chat/history';
import type { AgentExtras } from '../../agent/extras';
import { AgentSession } from '../../agent/session';
import type { ToolName } from '../../agent/tools';
import { estimateTokens } from '../../context/tokens';
import type { AgentWebviewMessage } from '../../chat/webviewDispatch';
import type { ChatMode, HostToWebview } from '../../protocol/messages';
import { readAgentSettings, sandboxNetworkSetting } from './agentSettings';
import { VsCodeAgentTools } from './agentTools';
import { confirmSecretRead } from './secretReads';
import { CommandSandbox, type SandboxPaths } from './commandSandbox';
import type { Assistant } from '../chatView/assistant';
import { knownSecretsForRedaction, type Logger } from '../log';
import { PlanDocuments } from './planDocuments';
import { PlanFlow } from './planFlow';
import { readChatMode, writeChatMode } from './chatModeState';

/** What Plan mode needs besides the agent's environment. */
export interface PlanModeHost {
  /** Posts of the plan's conversation (shown while Plan is on screen). */
  readonly post: (message: HostToWebview) => void;
  /** Where plan documents are written (workspace storage). */
  readonly folder: vscode.Uri;
  /** Shows the conversation of the mode on screen (the view's `init`). */
  readonly reinit: () => Promise<void>;
}

const PLAN_TASK_KEY = 'switchyard.planTask.v1';
const ALWAYS_KEY = 'switchyard.agent.alwaysAllow';

export class AgentMode implements vscode.Disposable {
  readonly session: AgentSession;
  /** Past Chats (the chats' store): tasks are listed there as they go. */
  readonly history: HistoryStore;
  /** Plan mode's conversation: read-only tools, ends with a plan. */
  readonly planSession: AgentSession;
  private readonly tools: VsCodeAgentTools;
  private readonly plans: PlanFlow;

  constructor(
    private readonly state: vscode.Memento,
    env: ChatEnvironment,
    assistant: Assistant,
    private readonly post: (message: HostToWebview) => void,
    log: Logger,
    report: (problems: readonly string[]) => void,
    paths: SandboxPaths,
    extras: AgentExtras | undefined,
    planHost: PlanModeHost,
  ) {
    const settings = () => {
      const { settings: s, problems } = readAgentSettings();
      report(problems);
      return s;
    };
    const sandbox = new CommandSandbox(paths, log);
    this.history = new HistoryStore(state, knownSecretsForRedaction);
    this.tools = new VsCodeAgentTools(
      assistant.files,
      assistant.proposals,
      log,
      () => settings().commandTimeoutSeconds,
      { exclude: () => assistant.contextExclude(), confirmRead: confirmSecretRead },
      { sandbox, network: sandboxNetworkSetting },
    );
    const taskEnv = {
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
    };
    this.session = new AgentSession(taskEnv);
    this.planSession = new AgentSession({
      ...taskEnv,
      post: planHost.post,
      kind: 'plan',
      storageKey: PLAN_TASK_KEY,
      onPlan: (text, messageId) => void this.plans.opened(text, messageId),
    });
    this.plans = new PlanFlow({
      plan: this.planSession,
      agent: this.session,
      docs: new PlanDocuments(planHost.folder, state),
      setMode: (mode) => this.setMode(mode),
      reinit: planHost.reinit,
      post,
      log,
    });
  }

  /** The task of a mode (Ask has none). */
  sessionFor(mode: ChatMode): AgentSession | undefined {
    return mode === 'agent' ? this.session : mode === 'plan' ? this.planSession : undefined;
  }

  get mode(): ChatMode {
    return readChatMode(this.state);
  }

  async setMode(mode: ChatMode): Promise<void> {
    await writeChatMode(this.state, mode);
    this.post({ type: 'mode', mode });
  }

  async handle(message: AgentWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'setMode':
        return this.setMode(message.mode);
      case 'planAction':
        return message.action === 'act'
          ? this.plans.act({ messageId: message.messageId })
          : this.plans.revise({ messageId: message.messageId });
      case 'toolDecision':
        this.sessionFor(this.mode)?.decide(
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
        this.sessionFor(this.mode)?.kill(message.callId);
        return;
      case 'continueTask':
        // The task on screen: a past Plan task continues in Plan mode (not the Agent task).
        return this.sessionFor(this.mode)?.continueTask();
    }
  }

  stop(): void {
    this.sessionFor(this.mode)?.stop();
  }

  dispose(): void {
    this.session.stop();
    this.planSession.stop();
    this.plans.dispose();
    this.tools.dispose();
  }
}
