/** The sign-in code exchange against the fake OpenRouter's `POST /auth/keys`. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { challengeS256, createVerifier } from '../../src/account/pkce';
import { exchangeAuthCode } from '../../src/openrouter/authKeys';
import { FailureError, type Failure } from '../../src/openrouter/failures';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';

let fake: FakeOpenRouter;
before(async () => {
  fake = await startFakeOpenRouter({ tokenDelayMs: 0 });
});
after(() => fake.close());

async function failureOf(p: Promise<unknown>): Promise<Failure> {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof FailureError, String(error));
    return error.failure;
  }
  assert.fail('expected a failure');
}

describe('exchanging a sign-in code', () => {
  it('turns a code and its verifier into a key', async () => {
    const verifier = createVerifier();
    const code = fake.oauth.mint(challengeS256(verifier));
    const key = await exchangeAuthCode(fake.baseUrl, code, verifier);
    assert.match(key, /^sk-or-v1-[0-9a-f]{64}$/);
    const sent = fake.requests.find((r) => r.path === '/api/v1/auth/keys');
    assert.deepEqual(sent?.body, { code, code_verifier: verifier, code_challenge_method: 'S256' });
  });

  it('says an expired code expired, and that the old key is unchanged', async () => {
    const verifier = createVerifier();
    const code = fake.oauth.mint(challengeS256(verifier), { ttlMs: 0 });
    const f = await failureOf(exchangeAuthCode(fake.baseUrl, code, verifier));
    assert.equal(f.status, 403);
    assert.equal(f.title, 'The sign-in code expired');
    assert.match(f.message, /Authorization code expired.*previous key is unchanged/);
  });

  it('refuses a used code or the wrong verifier (403), a bad method (400), and says so', async () => {
    const verifier = createVerifier();
    const code = fake.oauth.mint(challengeS256(verifier));
    await exchangeAuthCode(fake.baseUrl, code, verifier);
    const replay = await failureOf(exchangeAuthCode(fake.baseUrl, code, verifier));
    assert.equal(replay.title, 'The sign-in code was not accepted');
    const wrong = await failureOf(
      exchangeAuthCode(fake.baseUrl, fake.oauth.mint(challengeS256(verifier)), createVerifier()),
    );
    assert.match(wrong.message, /Invalid code or code_verifier/);
    const plain = await failureOf(exchangeAuthCode(fake.baseUrl, fake.oauth.mint('x', { method: 'plain' }), verifier));
    assert.equal(plain.status, 400);
    assert.match(plain.message, /Invalid code_challenge_method/);
  });

  it('reports an unreachable server as a network failure', async () => {
    const f = await failureOf(exchangeAuthCode('http://127.0.0.1:9/api/v1', 'c', createVerifier()));
    assert.equal(f.kind, 'network');
    assert.equal(f.title, 'Sign-in could not reach OpenRouter');
  });
});
