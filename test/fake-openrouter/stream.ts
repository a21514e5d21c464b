/**
 * A streamed answer (contract §2): two keep-alive comments, content chunks of a few words, a
 * `finish_reason:"stop"` chunk (`"length"` for the `length` fault, only `native_finish_reason` for
 * `nativeFinish`), a usage chunk, `data: [DONE]` —
 * or the scripted fault instead.
 */
import type { ServerResponse } from 'node:http';
import type { AnswerPlan } from './chat';
import { errorTypeFor } from './errors';
import { sleep, untilAborted } from './http';
import { SseWriter } from './sse';

/** A keep-alive comment goes between events every this many content chunks. */
const KEEP_ALIVE_EVERY = 50;

function contentChoice(content: string): Record<string, unknown> {
  return {
    index: 0,
    delta: { role: 'assistant', content },
    finish_reason: null,
    native_finish_reason: null,
    logprobs: null,
  };
}

/** Plays `answer` as server-sent events. Resolves when the response is over (or abandoned). */
export async function streamAnswer(res: ServerResponse, answer: AnswerPlan): Promise<void> {
  const { fault, generation, stop } = answer;
  if (fault?.kind === 'hang') {
    await untilAborted(stop);
    res.destroy();
    return;
  }
  const sse = new SseWriter(res);
  sse.open(generation.id);
  sse.comment();
  sse.comment();
  if (fault?.kind === 'keepAliveOnly') {
    while (!stop.aborted) {
      await sleep(fault.intervalMs ?? 200, stop);
      sse.comment();
    }
    res.destroy();
    return;
  }
  const base = {
    id: generation.id,
    provider: generation.provider_name,
    model: generation.model,
    object: 'chat.completion.chunk',
    created: generation.created,
    system_fingerprint: 'fp_fake',
  };
  // A thinking model thinks first (reasoning.ts); each chunk counts as a chunk like any other.
  for (const { delta, delayMs } of answer.thinking?.chunks ?? []) {
    const wait = delayMs ?? answer.delayMs;
    if (wait > 0) await sleep(wait, stop);
    if (stop.aborted) {
      answer.finish('', null);
      return;
    }
    sse.data({
      ...base,
      choices: [
        {
          index: 0,
          delta: { role: 'assistant', ...delta },
          finish_reason: null,
          native_finish_reason: null,
          logprobs: null,
        },
      ],
    });
  }
  const parts = answer.pieces;
  const breakAt =
    fault && 'afterChunks' in fault && fault.afterChunks !== undefined ? Math.min(fault.afterChunks, parts.length) : -1;
  let sent = '';
  for (let i = 0; i <= parts.length; i++) {
    if (i === breakAt && fault) {
      if (fault.kind === 'cut') {
        answer.finish(sent, null);
        answer.markCut();
        sse.cut();
        return;
      }
      if (fault.kind === 'midStreamError' || fault.kind === 'restart') {
        const code = (fault.kind === 'midStreamError' ? fault.code : undefined) ?? 502;
        const message = (fault.kind === 'midStreamError' ? fault.message : undefined) ?? 'Provider disconnected';
        const error = {
          code,
          message,
          metadata: {
            error_type: (fault.kind === 'midStreamError' ? fault.errorType : undefined) ?? errorTypeFor(code),
          },
        };
        sse.data({ ...base, error, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] });
        if (fault.kind === 'midStreamError' && fault.done) sse.done();
        answer.finish(sent, 'error');
        sse.end();
        return;
      }
      if (fault.kind === 'malformed') sse.data('{not json');
      if (fault.kind === 'length' || fault.kind === 'nativeFinish') break;
    }
    if (i === parts.length) break;
    if (answer.delayMs > 0) await sleep(answer.delayMs, stop);
    if (stop.aborted) {
      answer.finish(sent, null);
      return;
    }
    if (i > 0 && i % KEEP_ALIVE_EVERY === 0) sse.comment();
    if (fault?.kind === 'emptyChoices') {
      sse.data({ ...base, choices: [] });
      if (!fault.interleave) continue;
    }
    sse.data({ ...base, choices: [contentChoice(parts[i]!)] });
    sent += parts[i]!;
  }
  // Web plugin sources: one chunk of annotations before the finish (as OpenRouter streams them).
  if (answer.annotations?.length)
    sse.data({
      ...base,
      choices: [
        {
          index: 0,
          delta: { role: 'assistant', content: '', annotations: answer.annotations },
          finish_reason: null,
          native_finish_reason: null,
          logprobs: null,
        },
      ],
    });
  const finish = fault?.kind === 'length' ? 'length' : fault?.kind === 'nativeFinish' ? (fault.said ?? null) : 'stop';
  const native = fault?.kind === 'nativeFinish' ? fault.native : finish;
  if (fault?.kind !== 'emptyChoices' || fault.interleave) {
    sse.data({
      ...base,
      choices: [
        {
          index: 0,
          delta: { role: 'assistant', content: '' },
          finish_reason: finish,
          native_finish_reason: native,
          logprobs: null,
        },
      ],
    });
  }
  answer.finish(sent, finish ?? native);
  const choices = answer.usageChunk === 'choice' ? [contentChoice('')] : [];
  if (answer.usageChunk !== 'none' && (fault?.kind !== 'finishNoDone' || fault.usage !== false))
    sse.data({ ...base, choices, usage: generation.usage });
  if (fault?.kind === 'finishNoDone' && fault.cut) {
    // Finished, then the connection drops before `[DONE]`.
    sse.cut();
    return;
  }
  if (fault?.kind === 'finishNoDone') {
    // Finished, but held open: no `[DONE]`, no close, until the client leaves.
    await untilAborted(stop);
    res.destroy();
    return;
  }
  sse.done();
  sse.end();
}
