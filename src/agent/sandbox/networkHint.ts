/**
 * A sandboxed command runs with the network off unless the user chose "Approve with network".
 * When such a command fails with what reads as a network error (a name that does not resolve, an
 * unreachable network, a refused connection), the bare error sends the model guessing — it
 * retries, or blames the project. So its result ends with a note that says why and what helps.
 * Pure.
 */

/** Errors of a process that tried to reach the network in a namespace without one. */
const NETWORK_FAILURE =
  /could not resolve (?:host|proxy)|temporary failure in name resolution|name or service not known|no address associated with hostname|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|\b(?:EAI_AGAIN|ENETUNREACH|EHOSTUNREACH)\b|network is unreachable|failed to resolve|connection refused|ECONNREFUSED|unable to access '(?:https?|git|ssh):/i;

/** The note a result gets (the model reads it; the user sees it on the card). */
export const NETWORK_OFF_NOTE =
  '[This command ran in the sandbox with the network off, and it failed the way a command without network fails. ' +
  'Do not retry it as it is: if it needs the network, tell the user, who can run it with "Approve with network" ' +
  'when it is asked, or turn on switchyard.agent.sandbox.network; else do the work without it.]';

/** The note for a failed command's output when the network was off and the output reads as a network error. */
export function networkOffNote(output: string, failed: boolean, networkOff: boolean): string | undefined {
  return failed && networkOff && NETWORK_FAILURE.test(output) ? NETWORK_OFF_NOTE : undefined;
}
