/**
 * What the OpenRouter client's unit tests share: one fake OpenRouter per test file (its recorded
 * requests cleared before each test) and a client on it with a 2 s timeout, a chat body, and the
 * failure a request ends in.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { OpenRouterClient } from '../../src/openrouter/client';
import { FailureError, type Failure } from '../../src/openrouter/failures';
import type { ChatRequestBody } from '../../src/openrouter/wire';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';

export const KEY = 'sk-or-v1-client-test-0123456789';

/** Starts the fake before the file's tests and the client on it; call at the top level of the file. */
export function clientPerFile(started: (fake: FakeOpenRouter, client: OpenRouterClient) => void): void {
  let fake: FakeOpenRouter | undefined;
  before(async () => {
    fake = await startFakeOpenRouter();
    started(fake, new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey: KEY, timeoutSeconds: 2 }));
  });
  after(() => fake?.close());
  beforeEach(() => fake?.clearRequests());
}

export const body = (model: string, extra: Partial<ChatRequestBody> = {}): ChatRequestBody => ({
  model,
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'Say hello' },
  ],
  stream: true,
  max_tokens: 256,
  ...extra,
});

/** The failure `promise` ends in (the test fails if it resolves or throws anything else). */
export async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FailureError, `expected a FailureError, got ${String(error)}`);
    return error.failure;
  }
  assert.fail('expected the request to fail');
}
