/**
 * Which proposal an Apply / Discard press belongs to. The ✓ and discard buttons live in the diff
 * editor's title bar and receive that editor's (right-hand) URI; the palette passes nothing, and
 * then the active diff decides. A press acts only when that URI is the pending proposal's own
 * (issue 15, "Apply acts only on its own diff"): a Git diff of another file, or the diff of an
 * older proposal, never applies the pending one.
 */
export type ProposalPress = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * @param pressed URI string the command was invoked with (editor title bar), or undefined.
 * @param activeDiff the active diff editor's right-hand URI string, or undefined.
 * @param pending the pending proposal's URI string, or undefined when none is pending.
 */
export function proposalPress(
  pressed: string | undefined,
  activeDiff: string | undefined,
  pending: string | undefined,
): ProposalPress {
  if (pending === undefined) return { ok: false, reason: 'No proposed change is waiting to be applied.' };
  const target = pressed ?? activeDiff;
  if (target === undefined) return { ok: false, reason: 'Open the proposed change (its diff) and press Apply there.' };
  if (target !== pending)
    return { ok: false, reason: 'This diff is not the pending proposed change; nothing was applied.' };
  return { ok: true };
}
