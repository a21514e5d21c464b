/**
 * Errors read whole, once (issue 19): whatever wrapping OpenRouter or a provider puts around an
 * error — `{"error": {...}}`, doubly nested `{"error": {"error": {...}}}` (seen on 402s), a bare
 * object, `error` as a string, `errors[]`, FastAPI's `detail[]`, a JSON document inside
 * `metadata.raw` — the failure the user sees carries the inner sentence and the right kind, for a
 * streamed chat request and for a plain GET alike, through the real client over HTTP.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { OpenRouterClient } from '../../src/openrouter/client';
import { FailureError, type Failure } from '../../src/openrouter/failures';
import { errorEnvelope } from '../../src/openrouter/errorBody';

const INNER = 'Insufficient credits: this request needs 1200 tokens of credit';

/** Error documents as servers send them, and the status each came with. */
const BODIES: readonly {
  readonly name: string;
  readonly status: number;
  readonly body: unknown;
  readonly kind: Failure['kind'];
  readonly says: RegExp;
}[] = [
  {
    name: 'OpenRouter envelope',
    status: 402,
    body: { error: { code: 402, message: INNER } },
    kind: 'credits',
    says: /Insufficient credits/,
  },
  {
    name: 'doubly nested',
    status: 402,
    body: { error: { error: { message: INNER } } },
    kind: 'credits',
    says: /Insufficient credits/,
  },
  {
    name: 'triply nested with a code',
    status: 402,
    body: { error: { code: 402, error: { error: { message: INNER } } } },
    kind: 'credits',
    says: /Insufficient credits/,
  },
  { name: 'error as a string', status: 402, body: { error: INNER }, kind: 'credits', says: /Insufficient credits/ },
  { name: 'bare message', status: 402, body: { message: INNER }, kind: 'credits', says: /Insufficient credits/ },
  {
    name: 'errors[] (gateway)',
    status: 402,
    body: { errors: [{ message: INNER }] },
    kind: 'credits',
    says: /Insufficient credits/,
  },
  {
    name: 'detail[] (FastAPI)',
    status: 400,
    body: { detail: [{ loc: ['body', 'messages'], msg: 'messages: field required' }] },
    kind: 'badRequest',
    says: /field required/,
  },
  {
    name: 'metadata.raw as JSON text',
    status: 502,
    body: {
      error: {
        code: 502,
        message: 'Provider returned error',
        metadata: { provider_name: 'Fireworks', raw: '{"error":{"message":"upstream overloaded, try later"}}' },
      },
    },
    kind: 'server',
    says: /upstream overloaded/,
  },
  {
    name: 'context overflow wrapped twice',
    status: 502,
    body: {
      error: {
        error: { message: "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens." },
      },
    },
    kind: 'contextLength',
    says: /maximum context length is 8192/,
  },
  {
    name: 'plain text body',
    status: 503,
    body: 'Service Unavailable: the upstream is restarting',
    kind: 'server',
    says: /upstream is restarting/,
  },
];

let server: Server;
let baseUrl: string;
let current: (typeof BODIES)[number] = BODIES[0]!;

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const text = typeof current.body === 'string' ? current.body : JSON.stringify(current.body);
      res.writeHead(current.status, {
        'content-type': typeof current.body === 'string' ? 'text/plain' : 'application/json',
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failureOf(run: () => Promise<unknown>): Promise<Failure> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof FailureError, String(error));
    return error.failure;
  }
  throw new Error('expected a failure');
}

describe('error bodies read whole, once', () => {
  const client = (): OpenRouterClient =>
    new OpenRouterClient({ baseUrl, apiKey: 'sk-or-v1-error-bodies-0000000000000', timeoutSeconds: 5 });
  for (const c of BODIES) {
    it(`${c.name} (HTTP ${c.status}): a streamed chat request`, async () => {
      current = c;
      const failure = await failureOf(() =>
        client().streamChat(
          { model: 'a/b', messages: [{ role: 'user', content: 'hi' }], stream: true },
          { onDelta: () => undefined },
        ),
      );
      assert.equal(failure.kind, c.kind);
      assert.match(failure.message, c.says);
      assert.doesNotMatch(failure.message, /^HTTP \d+/, 'never only the status');
    });
    it(`${c.name} (HTTP ${c.status}): a GET`, async () => {
      current = c;
      const failure = await failureOf(() => client().getKeyInfo());
      assert.equal(failure.kind, c.kind);
      assert.match(failure.message, c.says);
    });
  }

  it('errorEnvelope finds the object with code, message and metadata at any depth', () => {
    assert.deepEqual(
      errorEnvelope({ error: { error: { message: 'x', metadata: { error_type: 'rate_limit_exceeded' } } } }),
      { message: 'x', metadata: { error_type: 'rate_limit_exceeded' }, code: undefined },
    );
    assert.equal(errorEnvelope({ error: { code: 429, error: { message: 'y' } } })?.code, 429);
    assert.equal(errorEnvelope({ error: 'z' })?.message, 'z');
    assert.equal(errorEnvelope(undefined), undefined);
  });
});
