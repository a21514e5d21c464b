/**
 * The routing state of one agent task, kept by the session: the tier of its steps (`act`; plan
 * mode sets `plan`), its budget (the task's own from Change Task Budget, else the settings), the
 * cheaper models it moved to when the budget ran short, and the header's figures (budget,
 * forecast, the model that took over). Pure.
 */
import type { AgentTaskView } from '../protocol/messages';
import type { OnBudget } from '../routing/types';
import type { AgentEnvironment } from './agentEnv';
import type { TaskRouting } from './stepRoute';
import { forecast, taskBudget, type TaskBudget } from './taskBudget';
import type { AgentTier, TierChoice, TierModels } from './tiers';
import type { AgentSettings } from './toolRunner';

/** What is stored with the task. */
export interface TaskRoutingData {
  /** The task's own budget: a number, `null` (none for this task), or absent (the settings'). */
  readonly budgetOverride?: number | null;
  readonly downgradedTo?: TierChoice;
  readonly onBudget?: OnBudget;
}

export interface TaskRoutingDeps {
  settings(): AgentSettings;
  /** `routing.budgets.perRequestUsd` when `onBudget` is not `warn` (it then applies to the whole task). */
  perRequestUsd(): number | undefined;
  spentUsd(): number;
}

export class TaskRoutingState implements TaskRouting {
  tier: AgentTier = 'act';
  downgradedTo: TierChoice | undefined;
  /** `downgrade` once the user chose "cheaper model" for this task. */
  onBudget: OnBudget | undefined;
  private budgetOverride: number | null | undefined;

  constructor(
    private readonly deps: TaskRoutingDeps,
    saved?: TaskRoutingData,
  ) {
    this.budgetOverride = saved?.budgetOverride;
    this.downgradedTo = saved?.downgradedTo;
    this.onBudget = saved?.onBudget;
  }

  /** The state of a task of `env` whose spend so far is `spentUsd()`. */
  static of(
    env: Pick<AgentEnvironment, 'agentSettings' | 'router'>,
    spentUsd: () => number,
    saved?: TaskRoutingData,
  ): TaskRoutingState {
    const perRequestUsd = (): number | undefined => {
      const policy = env.router.policy();
      return policy.onBudget === 'warn' ? undefined : policy.budgets.perRequestUsd;
    };
    return new TaskRoutingState({ settings: () => env.agentSettings(), perRequestUsd, spentUsd }, saved);
  }

  get tiers(): TierModels | undefined {
    return this.deps.settings().tiers;
  }

  get budget(): TaskBudget {
    return taskBudget(this.budgetOverride, this.deps.settings().taskBudgetUsd, this.deps.perRequestUsd());
  }

  spentUsd(): number {
    return this.deps.spentUsd();
  }

  /**
   * Change Task Budget: a new figure (`null`: no budget for this task), the remaining steps on a
   * cheaper model when the budget runs short, or both at once.
   */
  setBudget(change: { readonly usd?: number | null; readonly downgrade?: true }): void {
    if (change.downgrade) this.onBudget = 'downgrade';
    if (change.usd !== undefined) this.budgetOverride = change.usd;
  }

  /** A new task: the settings' budget, the tier's own models. */
  reset(): void {
    this.budgetOverride = undefined;
    this.downgradedTo = undefined;
    this.onBudget = undefined;
    this.tier = 'act';
  }

  data(): TaskRoutingData {
    return {
      ...(this.budgetOverride !== undefined ? { budgetOverride: this.budgetOverride } : {}),
      ...(this.downgradedTo ? { downgradedTo: this.downgradedTo } : {}),
      ...(this.onBudget ? { onBudget: this.onBudget } : {}),
    };
  }

  /** The header's budget, forecast and the model that took over. */
  view(steps: number): Pick<AgentTaskView, 'budgetUsd' | 'forecast' | 'movedTo'> {
    const limit = this.budget.limitUsd;
    const f = forecast(this.deps.spentUsd(), steps, this.deps.settings().maxSteps, limit);
    const moved = this.downgradedTo?.models[0];
    return {
      ...(limit !== undefined ? { budgetUsd: limit } : {}),
      ...(f ? { forecast: f.text } : {}),
      ...(moved ? { movedTo: moved } : {}),
    };
  }
}
