/**
 * Plan mode's editor side: a plan that ends opens as a document (./planDocuments.ts); **Act on this
 * plan** (under the plan in the chat, on the document's CodeLens or editor title) starts an Agent
 * task whose first message is the plan as it is in the editor now, unsaved edits included;
 * **Revise** asks what should change and sends it, with the edited plan, back into the plan's
 * conversation.
 */
import * as vscode from 'vscode';
import type { AgentSession } from '../../agent/session';
import { actOnPlanMessage, revisePlanMessage } from '../../agent/planMode';
import { PAST_TASK_NOTICE } from '../../agent/taskHistory';
import type { ChatMode, HostToWebview } from '../../protocol/messages';
import type { Logger } from '../log';
import { PlanDocuments } from './planDocuments';

export interface PlanFlowDeps {
  readonly plan: AgentSession;
  readonly agent: AgentSession;
  readonly docs: PlanDocuments;
  setMode(mode: ChatMode): Promise<void>;
  /** Shows the conversation of the mode now on screen. */
  reinit(): Promise<void>;
  post(message: HostToWebview): void;
  readonly log: Logger;
}

/** Which plan an action is for: an answer in the chat, or a document (CodeLens, editor title, palette). */
export type PlanTarget = { readonly messageId: string } | { readonly uri: vscode.Uri };

export class PlanFlow implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly deps: PlanFlowDeps) {
    const fromEditor = (uri: unknown): PlanTarget | undefined => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (target && deps.docs.isPlan(target)) return { uri: target };
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Open a plan first: choose Plan in the Switchyard chat and ask for one.'),
      );
      return undefined;
    };
    this.disposables = [
      vscode.commands.registerCommand('switchyard.actOnPlan', async (uri?: unknown) => {
        const target = fromEditor(uri);
        if (target) await this.act(target);
      }),
      vscode.commands.registerCommand('switchyard.revisePlan', async (uri?: unknown) => {
        const target = fromEditor(uri);
        if (target) await this.revise(target);
      }),
    ];
  }

  /** A plan task ended with its plan: open it as a document. */
  async opened(text: string, messageId: string): Promise<void> {
    try {
      await this.deps.docs.open(text, messageId);
    } catch (error) {
      this.deps.log.error(`plan: could not open the plan document: ${String(error)}`);
      this.deps.post({
        type: 'composerNotice',
        level: 'error',
        text: `The plan could not be opened: ${String(error)}`,
      });
    }
  }

  /** The plan's text as the user left it (the document, else the answer), and its answer's id. */
  private async planOf(target: PlanTarget): Promise<{ text: string; messageId?: string; edited: boolean } | undefined> {
    const messageId = 'messageId' in target ? target.messageId : this.deps.docs.messageOf(target.uri);
    const answer = messageId ? this.deps.plan.plan(messageId) : undefined;
    const uri = 'uri' in target ? target.uri : messageId ? this.deps.docs.uriOf(messageId) : undefined;
    const text = (uri ? await this.deps.docs.text(uri) : undefined) ?? answer;
    if (text === undefined) return undefined;
    return { text, ...(messageId ? { messageId } : {}), edited: answer === undefined || text.trim() !== answer.trim() };
  }

  /** Act on this plan: a new Agent task whose first message is the plan (the old task is kept as New Task keeps it). */
  async act(target: PlanTarget): Promise<void> {
    if (this.refusedAsPast()) return;
    if (this.deps.agent.busy) {
      this.deps.post({
        type: 'composerNotice',
        level: 'error',
        text: 'An agent task is running: stop it, then act on the plan.',
      });
      return;
    }
    const plan = await this.planOf(target);
    if (!plan || !plan.text.trim()) {
      this.deps.post({ type: 'composerNotice', level: 'error', text: 'This plan is empty or its document is gone.' });
      return;
    }
    if (plan.messageId) this.deps.plan.plan(plan.messageId, true);
    if (this.deps.agent.views().length) await this.deps.agent.newTask();
    await this.deps.setMode('agent');
    await this.deps.reinit();
    this.deps.log.info(`plan: acting on the plan${plan.edited ? ' (edited by the user)' : ''}`);
    void this.deps.agent.send(actOnPlanMessage(plan.text));
  }

  /** Revise: asks what should change, then sends it (with the plan as edited) into the plan's conversation. */
  async revise(target: PlanTarget): Promise<void> {
    if (this.refusedAsPast()) return;
    const plan = await this.planOf(target);
    const feedback = await vscode.window.showInputBox({
      title: vscode.l10n.t('Revise the plan'),
      prompt: vscode.l10n.t('What should change in the plan?'),
      ignoreFocusOut: true,
    });
    if (!feedback?.trim()) return;
    if (this.deps.plan.busy) {
      this.deps.post({ type: 'restoreDraft', text: feedback });
      return;
    }
    await this.deps.setMode('plan');
    await this.deps.reinit();
    void this.deps.plan.send(revisePlanMessage(feedback, plan?.edited ? plan.text : undefined));
  }

  /** A past plan task (read-only until Continue) runs nothing: says so instead. */
  private refusedAsPast(): boolean {
    if (!this.deps.plan.task().past) return false;
    this.deps.post({ type: 'composerNotice', level: 'info', text: PAST_TASK_NOTICE });
    return true;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.deps.docs.dispose();
  }
}
