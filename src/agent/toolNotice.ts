/**
 * Agent mode needs a model that calls tools. When the picked model cannot, the router plans each
 * step on a tool-capable one instead (the decision `capability.tools` on the picked model); the
 * user is told once per task — a notice on the first step it happens and a line in the task
 * header — not on every step, and never silently. Pure.
 */
import type { Plan } from '../routing/types';

export interface ToolSubstitution {
  /** The step card's notice. */
  readonly notice: string;
  /** The task header's short line. */
  readonly header: string;
}

const shortName = (model: string): string => model.slice(model.indexOf('/') + 1);

/** What to say when `plan` left the picked model out for lacking tools (undefined: it did not). */
export function toolSubstitution(plan: Plan, picked: string, served: string | undefined): ToolSubstitution | undefined {
  const dropped = plan.decisions.some(
    (d) => d.verdict === 'excluded' && d.rule === 'capability.tools' && d.model === picked,
  );
  const instead = served ?? plan.attempts[0]?.body.model;
  if (!dropped || !instead || instead === picked) return undefined;
  return {
    notice: `${picked} does not support tool use, which Agent mode needs: this task's steps go to ${instead} instead. Pick a model with tools to choose which one.`,
    header: `${shortName(picked)} has no tools → ${shortName(instead)}`,
  };
}

/** Says it once per task: the first substitution is kept for the header; later steps add nothing. */
export class ToolSubstitutionNotice {
  private said: ToolSubstitution | undefined;

  /** The task header's field, once said. */
  taskFields(): { substitution?: string } {
    return this.said ? { substitution: this.said.header } : {};
  }

  /** The step notice to show now, or undefined (nothing to say, or already said this task). */
  check(plan: Plan, picked: string, served: string | undefined): string | undefined {
    if (this.said) return undefined;
    this.said = toolSubstitution(plan, picked, served);
    return this.said?.notice;
  }

  reset(): void {
    this.said = undefined;
  }
}
