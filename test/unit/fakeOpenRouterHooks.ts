/**
 * One fake OpenRouter for a unit test file: started before its tests, reset before each, closed
 * after, with its catalogue as the client reads it. Call it at the top level of the file.
 */
import { after, before, beforeEach } from 'node:test';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';

export function fakeOpenRouterPerFile(
  apiKey: string,
  started: (fake: FakeOpenRouter, models: ModelInfo[]) => void,
): void {
  let fake: FakeOpenRouter | undefined;
  before(async () => {
    fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
    started(fake, [...(await new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey }).listModels()).models]);
  });
  after(() => fake?.close());
  beforeEach(() => fake?.reset());
}
