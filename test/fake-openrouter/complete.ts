/** A non-streamed answer (contract §1), or the non-streaming form of the scripted fault. */
import type { ServerResponse } from 'node:http';
import type { AnswerPlan } from './chat';
import { errorTypeFor } from './errors';
import { sendJson, sleep, untilAborted } from './http';

/** Sends `answer` as one `chat.completion` body. Resolves when the response is over (or abandoned). */
export async function completeAnswer(res: ServerResponse, answer: AnswerPlan): Promise<void> {
  const { fault, generation, stop } = answer;
  if (fault?.kind === 'hang' || fault?.kind === 'keepAliveOnly') {
    await untilAborted(stop);
    res.destroy();
    return;
  }
  if (fault?.kind === 'slow') await sleep(fault.delayMs * answer.pieces.length, stop);
  if (stop.aborted) return;
  if (fault?.kind === 'cut') {
    answer.markCut();
    res.destroy();
    return;
  }
  if (fault?.kind === 'malformed') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Generation-Id': generation.id }).end('{not json');
    return;
  }
  const midError = fault?.kind === 'midStreamError' ? fault : undefined;
  const text = midError ? answer.pieces.slice(0, midError.afterChunks).join('') : answer.pieces.join('');
  const finishReason = midError ? 'error' : 'stop';
  answer.finish(text, finishReason);
  const choice: Record<string, unknown> = {
    index: 0,
    finish_reason: finishReason,
    native_finish_reason: finishReason,
    logprobs: null,
    message: {
      role: 'assistant',
      content: text,
      refusal: null,
      reasoning: null,
      ...(answer.annotations?.length ? { annotations: answer.annotations } : {}),
    },
  };
  if (midError) {
    const code = midError.code ?? 502;
    choice.error = {
      code,
      message: midError.message ?? 'Provider disconnected',
      metadata: { error_type: midError.errorType ?? errorTypeFor(code) },
    };
  }
  const body = {
    id: generation.id,
    provider: generation.provider_name,
    model: generation.model,
    object: 'chat.completion',
    created: generation.created,
    system_fingerprint: null,
    choices: fault?.kind === 'emptyChoices' && !fault.interleave ? [] : [choice],
    usage: generation.usage,
  };
  sendJson(res, 200, body, { 'X-Generation-Id': generation.id });
}
