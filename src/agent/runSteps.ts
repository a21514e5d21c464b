/**
 * The steps of one run of a task against its one limit (`switchyard.agent.maxSteps`): the task's
 * own steps and its subagents' alike. A subagent's step is a model request the task pays for, so
 * it counts against the task's limit, and a subagent may take at most the steps the task has left
 * (and at most `agent.subagent.maxSteps`) — a task of N steps can never run N subagents of N steps
 * each. The session keeps one and starts it over with each run. Pure.
 */
export class RunSteps {
  private limit = 0;
  private own = 0;
  private bySubagents = 0;

  /** A new run with `limit` steps in all. */
  begin(limit: number): void {
    this.limit = limit;
    this.own = 0;
    this.bySubagents = 0;
  }

  /** The run's own step `step` (1-based) is under way. */
  ownStep(step: number): void {
    this.own = Math.max(this.own, step);
  }

  /** A subagent's step is under way. */
  subagentStep(): void {
    this.bySubagents++;
  }

  /** Steps the run's subagents took (the loop counts them against the limit). */
  get taken(): number {
    return this.bySubagents;
  }

  /** Steps the run has left for a subagent now: the limit less every step begun, the task's own and its subagents'. */
  get left(): number {
    return Math.max(0, this.limit - this.own - this.bySubagents);
  }
}
