/**
 * The transcript's token count, shared by everything that sizes an agent step: the compactor's
 * trigger (./compactor.ts), the elision of old tool results (./transcript.ts) and the step's route
 * (./turn.ts) all count the same messages before each request. Counted once: a message's count is
 * kept by the message itself (a transcript only ever appends messages or replaces them with new
 * ones — an elided result, a summary — so a kept count never goes stale), and a step tokenizes
 * only what is new since the last one. Pure.
 */
import { messageSize, type AgentMessage } from './transcript';

/** The tokens of one message as a request carries it: its text (tool-call arguments included), 4 for its framing, its images. */
export type MessageTokens = (message: AgentMessage) => number;

/** Counts a message afresh each time (a transcript counted once, such as a subagent's). */
export function messageTokens(tokens: (text: string) => number): MessageTokens {
  return (m) => messageSize(m, tokens);
}

/** Counts each message once, then answers from what it kept (the session's one count per task). */
export function sharedMessageTokens(tokens: (text: string) => number): MessageTokens {
  const known = new WeakMap<AgentMessage, number>();
  return (m) => {
    let count = known.get(m);
    if (count === undefined) {
      count = messageSize(m, tokens);
      known.set(m, count);
    }
    return count;
  };
}
