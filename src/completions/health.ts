/**
 * Whether completions are down because their model fails (429, 5xx, a bad key…), in words the
 * status item shows: the reason, until when the model cools down, and what fixes it. Requests
 * fail silently (a keystroke must never raise a notification), so this is the one place a user
 * sees why suggestions stopped. Pure: the host records outcomes and asks with the breakers' time.
 */
import type { FailureKind } from '../openrouter/failures';

/** What the host knows of a failed completion request (never the error's raw text: it may echo a key). */
export interface FailedRequest {
  readonly model: string;
  readonly kind: FailureKind;
  /** The failure's short title ("Rate limited", "Provider error"). */
  readonly title: string;
  readonly status?: number;
  readonly at: number;
}

/** Completions are down: shown by the status item. */
export interface Down {
  readonly model: string;
  /** "openai/gpt-4o-mini answered 429 Rate limited" */
  readonly reason: string;
  /** What the user can do. */
  readonly fix: string;
  /** When the model may be asked again (epoch ms), when it cools down. */
  readonly until?: number;
}

/** After a failure without a cooldown, how long the status still says so (ms). */
export const FAILURE_SHOWN_MS = 30_000;

/** What fixes a failure of this kind, for completions. */
export function fixFor(kind: FailureKind): string {
  switch (kind) {
    case 'auth':
      return 'Check the API key (Switchyard: Set API Key).';
    case 'credits':
      return 'Add credits on openrouter.ai, or pick a free completion model.';
    case 'rateLimit':
      return 'Wait for the cooldown, or pick another completion model from this menu.';
    case 'server':
    case 'timeout':
    case 'streamBroken':
    case 'noEndpoints':
      return 'The provider is having trouble: wait, or pick another completion model from this menu.';
    case 'network':
      return 'Check the network connection (and switchyard.baseUrl).';
    default:
      return 'Pick another completion model from this menu, or see the Switchyard log.';
  }
}

/** The last failure, until a request succeeds. */
export class CompletionHealth {
  private last: FailedRequest | undefined;

  failed(request: FailedRequest): void {
    this.last = request;
  }

  succeeded(): void {
    this.last = undefined;
  }

  /**
   * Down while the failed model cools down (`openUntil` from the completions' breakers), or for
   * {@link FAILURE_SHOWN_MS} after a failure that set no cooldown; undefined otherwise.
   */
  down(now: number, openUntil: (model: string) => number | undefined): Down | undefined {
    const last = this.last;
    if (!last) return undefined;
    const until = openUntil(last.model);
    const cooling = until !== undefined && until > now;
    if (!cooling && now - last.at >= FAILURE_SHOWN_MS) return undefined;
    const reason = `${last.model} answered ${last.status ? `${last.status} ` : ''}${last.title}`;
    return { model: last.model, reason, fix: fixFor(last.kind), ...(cooling ? { until } : {}) };
  }

  /** When `down` may next change on its own (the cooldown ends, the shown time ends), or undefined. */
  nextChange(now: number, openUntil: (model: string) => number | undefined): number | undefined {
    const last = this.last;
    if (!last) return undefined;
    const ends = [openUntil(last.model) ?? 0, last.at + FAILURE_SHOWN_MS].filter((t) => t > now);
    return ends.length ? Math.min(...ends) : undefined;
  }
}
