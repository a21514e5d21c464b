/**
 * Failures → what VS Code's Language Model API says (`LanguageModelError` codes), with a message
 * the chat shows as is: the failure's own text (secrets already redacted), what to do, and the
 * Switchyard command that helps. Pure: the adapter makes the `LanguageModelError`.
 */
import { FailureError, type Failure } from '../openrouter/failures';
import { redactSecrets } from '../openrouter/secrets';

/** `LanguageModelError.NoPermissions | Blocked | NotFound`, or a plain error (`Unknown`). */
export type LmErrorCode = 'NoPermissions' | 'Blocked' | 'NotFound' | 'Unknown';

export interface LmErrorView {
  readonly code: LmErrorCode;
  readonly message: string;
  /** True for Stop / cancellation: VS Code's chat already shows the request as cancelled. */
  readonly cancelled: boolean;
}

/** The API's error for a failure: no key or no credit → NoPermissions; refused (budget, capability) → Blocked; no such model → NotFound. */
export function lmErrorCode(failure: Failure): LmErrorCode {
  switch (failure.kind) {
    case 'auth':
    case 'credits':
    case 'forbidden':
    case 'config':
      return 'NoPermissions';
    case 'refused':
    case 'moderation':
      return 'Blocked';
    case 'noEndpoints':
      return 'NotFound';
    default:
      return 'Unknown';
  }
}

/** Where a card's label is not the command's title in the palette, the title a VS Code Chat user looks for. */
const PALETTE_TITLES: Readonly<Record<string, string>> = {
  'switchyard.editBudgets': 'Set Budgets… raises it, or Pick Model for a cheaper one',
};

/** Any error thrown while answering, as the chat should see it (no key in it: every key shape is redacted). */
export function lmErrorView(error: unknown): LmErrorView {
  if (!(error instanceof FailureError))
    return {
      code: 'Unknown',
      message: 'Switchyard: something went wrong while answering; see the Switchyard log (Switchyard: Show Log).',
      cancelled: false,
    };
  const failure = error.failure;
  const hint = failure.action ? ` (Switchyard: ${PALETTE_TITLES[failure.action.command] ?? failure.action.label})` : '';
  return {
    code: lmErrorCode(failure),
    // The last step before VS Code's chat shows (and keeps) it: whatever built the failure, no key goes out.
    message: redactSecrets(`Switchyard — ${failure.title}: ${failure.message}${hint}`),
    cancelled: failure.kind === 'aborted',
  };
}
