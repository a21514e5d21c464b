/**
 * Sticky routing for a conversation (OpenRouter's term): every request of a chat or an agent task
 * carries its `session_id`, and the provider that served the last turn is asked first
 * (`provider.order`, through the planner's affinity) while turns go through without upstream
 * errors, so the provider's prompt cache stays warm. A failure other than Stop, a refusal before
 * sending or our own settings releases the pin. Pure.
 */
import type { ChatResult } from '../openrouter/streamAssembly';
import type { Failure } from '../openrouter/failures';
import type { Affinity } from '../routing/affinity';
import type { Execution } from '../routing/executor';

export class StickyProvider {
  private pin: Affinity | undefined;

  /** The provider that served the last turn, for the route request (`affinity`). */
  get affinity(): Affinity | undefined {
    return this.pin;
  }

  /**
   * After a successful turn: stay on the provider that served, unless the turn met upstream
   * trouble (a wait for a cooldown learned earlier is not). OpenRouter may name the model
   * differently (a dated slug): then the pin goes with the model that was asked.
   */
  served(execution: Execution<ChatResult>): string {
    const { result, attempt } = execution;
    const sent = attempt.body.models ?? [attempt.body.model];
    const servedModel = result.model && sent.includes(result.model) ? result.model : attempt.body.model;
    const upstreamTrouble = execution.events.some((e) => e.kind !== 'wait');
    this.pin = !upstreamTrouble && result.provider ? { model: servedModel, provider: result.provider } : undefined;
    return servedModel;
  }

  /** After a failed turn: Stop, a refusal before sending or our own settings say nothing about the provider. */
  failed(failure: Failure | undefined): void {
    if (!failure || !['aborted', 'refused', 'config'].includes(failure.kind)) this.pin = undefined;
  }

  reset(): void {
    this.pin = undefined;
  }
}
