import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SIGN_IN_TTL_MS,
  SignInFlows,
  authPageUrl,
  callbackParams,
  challengeS256,
  createState,
  createVerifier,
} from '../../src/account/pkce';
import { exchangeUrl } from '../../src/openrouter/authKeys';

describe('PKCE values', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', () => {
    // RFC 7636, Appendix B: the known-answer vector.
    assert.equal(
      challengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes verifiers of 43–128 unreserved characters, different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const v = createVerifier();
      assert.match(v, /^[A-Za-z0-9\-._~]{43,128}$/);
      seen.add(v);
    }
    assert.equal(seen.size, 50);
    assert.equal(createVerifier(new Uint8Array(32)).length, 43, '32 bytes give the minimum length');
    assert.throws(() => createVerifier(new Uint8Array(16)), /43–128/);
    assert.match(createState(), /^[A-Za-z0-9_-]{22}$/);
  });

  it('puts the consent page at the base URL origin and the exchange under the API', () => {
    const page = new URL(
      authPageUrl('https://openrouter.ai/api/v1', 'vscode://switchyard.switchyard/auth?state=abc', 'CH'),
    );
    assert.equal(page.origin + page.pathname, 'https://openrouter.ai/auth');
    assert.equal(page.searchParams.get('callback_url'), 'vscode://switchyard.switchyard/auth?state=abc');
    assert.equal(page.searchParams.get('code_challenge'), 'CH');
    assert.equal(page.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(new URL(authPageUrl('http://127.0.0.1:4010/api/v1', 'x', 'y')).pathname, '/auth');
    assert.equal(exchangeUrl('https://openrouter.ai/api/v1/'), 'https://openrouter.ai/api/v1/auth/keys');
    // Reached through a port proxy: the page keeps the proxy's path prefix, and its nested
    // callback_url (with its own `&` and `=`) reads back exactly.
    const callback = 'http://127.0.0.1:8080/callback?vscode-reqid=1&vscode-scheme=code-oss&vscode-query=state%3Dabc';
    const proxied = new URL(
      authPageUrl('http://127.0.0.1:4010/api/v1', callback, 'CH', 'http://127.0.0.1:8080/proxy/4010'),
    );
    assert.equal(proxied.origin + proxied.pathname, 'http://127.0.0.1:8080/proxy/4010/auth');
    assert.equal(proxied.searchParams.get('callback_url'), callback);
    assert.deepEqual([...proxied.searchParams.keys()], ['callback_url', 'code_challenge', 'code_challenge_method']);
  });
});

describe('pending sign-ins', () => {
  const T0 = 1_000_000;

  it('accepts the callback it waits for, once', () => {
    const flows = new SignInFlows();
    const p = flows.begin(T0);
    assert.equal(p.challenge, challengeS256(p.verifier));
    assert.equal(p.expiresAt, T0 + SIGN_IN_TTL_MS);
    const verdict = flows.receive({ state: p.state, code: 'code-1' }, T0 + 5_000);
    assert.equal(verdict.kind, 'accept');
    assert.equal(verdict.kind === 'accept' && verdict.code, 'code-1');
    assert.equal(verdict.kind === 'accept' && verdict.pending.verifier, p.verifier);
    assert.equal(flows.current(), undefined);
    // The same callback again (a replay, a reloaded tab) is ignored.
    assert.deepEqual(flows.receive({ state: p.state, code: 'code-1' }, T0 + 6_000), {
      kind: 'ignore',
      reason: 'replayed',
    });
  });

  it('ignores a forged callback and keeps waiting for the real one', () => {
    const flows = new SignInFlows();
    const p = flows.begin(T0);
    assert.deepEqual(flows.receive({ state: 'forged', code: 'evil' }, T0 + 1), {
      kind: 'ignore',
      reason: 'unknown-state',
    });
    assert.deepEqual(flows.receive({ code: 'evil' }, T0 + 1), { kind: 'ignore', reason: 'no-state' });
    assert.equal(flows.current()?.state, p.state, 'still pending');
    assert.equal(flows.receive({ state: p.state, code: 'good' }, T0 + 2).kind, 'accept');
  });

  it('ignores any callback when nothing is pending', () => {
    assert.deepEqual(new SignInFlows().receive({ state: 'abc', code: 'c' }, T0), {
      kind: 'ignore',
      reason: 'unknown-state',
    });
  });

  it('rejects a callback after ten minutes, and only once', () => {
    const flows = new SignInFlows();
    const p = flows.begin(T0);
    assert.equal(flows.receive({ state: p.state, code: 'late' }, T0 + SIGN_IN_TTL_MS - 1).kind, 'accept');
    const q = flows.begin(T0);
    assert.equal(flows.receive({ state: q.state, code: 'late' }, T0 + SIGN_IN_TTL_MS).kind, 'expired');
    assert.deepEqual(flows.receive({ state: q.state, code: 'late' }, T0 + SIGN_IN_TTL_MS + 1), {
      kind: 'ignore',
      reason: 'replayed',
    });
  });

  it('treats a callback without a code as the user cancelling on the consent page', () => {
    const flows = new SignInFlows();
    const p = flows.begin(T0);
    assert.equal(flows.receive({ state: p.state }, T0 + 1).kind, 'cancelled');
  });

  it('can be cancelled; a new sign-in replaces the old one, whose state is then dead', () => {
    const flows = new SignInFlows();
    const a = flows.begin(T0);
    const b = flows.begin(T0 + 10);
    assert.notEqual(a.state, b.state);
    assert.deepEqual(flows.receive({ state: a.state, code: 'x' }, T0 + 20), { kind: 'ignore', reason: 'replayed' });
    assert.equal(flows.cancel('other'), false);
    assert.equal(flows.cancel(b.state), true);
    assert.equal(flows.cancel(), false);
    assert.deepEqual(flows.receive({ state: b.state, code: 'x' }, T0 + 30), { kind: 'ignore', reason: 'replayed' });
  });
});

describe('callback query (issue 11 §7: whichever separator came)', () => {
  const T0 = 2_000_000;
  const cases: readonly [string, string][] = [
    ['state=S1&code=C1', 'the usual & separator'],
    ['state=S1?code=C1', 'a naively appended ?'],
    ['state=S1%3Fcode=C1', 'a percent-encoded ?'],
    ['state=S1%3fcode%3DC1', 'an encoded ? and ='],
    ['?state=S1?code=C1', 'the query with its own leading ?'],
    ['code=C1&state=S1', 'code first'],
    ['code=C1?state=S1', 'code first, ? separator'],
  ];
  for (const [query, what] of cases) {
    it(`reads state and code from ${what}: ${query}`, () => {
      const flows = new SignInFlows();
      flows.begin(T0, createVerifier(), 'S1');
      assert.deepEqual(callbackParams(query), { state: 'S1', code: 'C1' });
      const verdict = flows.receive(callbackParams(query), T0 + 1);
      assert.equal(verdict.kind, 'accept');
      assert.equal(verdict.kind === 'accept' && verdict.code, 'C1');
    });
  }

  it('keeps ignoring forged and replayed callbacks in the double-? form', () => {
    const flows = new SignInFlows();
    flows.begin(T0, createVerifier(), 'S2');
    assert.deepEqual(flows.receive(callbackParams('state=FORGED?code=evil'), T0 + 1), {
      kind: 'ignore',
      reason: 'unknown-state',
    });
    assert.deepEqual(flows.receive(callbackParams('code=evil'), T0 + 1), { kind: 'ignore', reason: 'no-state' });
    assert.equal(flows.receive(callbackParams('state=S2?code=good'), T0 + 2).kind, 'accept');
    assert.deepEqual(flows.receive(callbackParams('state=S2?code=good'), T0 + 3), {
      kind: 'ignore',
      reason: 'replayed',
    });
  });

  it('a smuggled second state does not replace the first; no code means cancelled', () => {
    assert.deepEqual(callbackParams('state=S3?state=EVIL&code=C'), { state: 'S3', code: 'C' });
    const flows = new SignInFlows();
    flows.begin(T0, createVerifier(), 'S3');
    assert.equal(flows.receive(callbackParams('state=S3'), T0 + 1).kind, 'cancelled');
    assert.deepEqual(
      callbackParams('state=%E0%A4%A&code=x'),
      { state: '%E0%A4%A', code: 'x' },
      'bad escapes are kept, not thrown',
    );
  });
});
