/**
 * "Explain Route" and "List Routes" documents: keys by label, the body as sent with messages
 * elided, what the spend figures count, and untrusted names that cannot become markup once the
 * Markdown preview renders them (rendered here with markdown-it as VS Code's preview configures it:
 * HTML on, linkify on).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import type { ChatRequestBody } from '../../src/openrouter/wire';
import { explainPlan, shownBody } from '../../src/routing/explain';
import { code, text } from '../../src/routing/markdown';
import { attemptRequestBody } from '../../src/routing/requestBody';
import { routesDocument } from '../../src/routing/routesDocument';
import type { Attempt, Plan, RouteRequest } from '../../src/routing/types';

const preview = new MarkdownIt({ html: true, linkify: true });

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '[click](command:switchyard.clearApiKey)',
  'evil`code`|cell|',
  '**bold** _em_ ~~strike~~',
  'https://evil.example/steal',
  '<script>alert(1)</script>',
  'line one\n# heading',
  '``` fence',
  '&lt;b&gt;entity',
];

function attempt(o: Partial<Attempt> & { body: Attempt['body'] }): Attempt {
  return { keyId: 'k-hash-1', worstCaseUsd: 0.002, ...o };
}

function plan(o: Partial<Plan> = {}): Plan {
  return {
    attempts: [
      attempt({ body: { model: 'mid/chat', models: ['mid/chat', 'cheap/small'], provider: { sort: 'price' } } }),
    ],
    decisions: [{ model: 'mid/chat', verdict: 'placed', rule: 'pick', detail: 'the status-bar pick' }],
    warnings: [],
    notes: [],
    worstCaseUsd: 0.002,
    ...o,
  };
}

const draft: ChatRequestBody = {
  model: 'mid/chat',
  messages: [
    { role: 'system', content: 'You are helpful.' },
    { role: 'user', content: 'secret question' },
    { role: 'assistant', content: 'secret answer' },
  ],
  stream: true,
  max_tokens: 4096,
  session_id: 'conv-1',
};

/** Bodies as the chat's `planNext` gives Explain Route: the attempt's routing fields on the draft. */
const bodyFor = (a: Attempt): Record<string, unknown> => ({ ...attemptRequestBody(draft, a.body) });

const request: RouteRequest = {
  tier: 'chat',
  pickedModel: 'mid/chat',
  promptTokens: 120,
  maxOutputTokens: 4096,
  needsVision: false,
  needsTools: false,
};

/** The element names of rendered HTML, in order. */
function tags(md: string): string[] {
  return [...preview.render(md).matchAll(/<([a-z][a-z0-9]*)\b/gi)].map((m) => m[1]!.toLowerCase());
}

/** A hostile name renders to the very same elements as a plain one: it added no link, tag or cell. */
function assertInert(render: (name: string) => string, name: string): void {
  assert.deepEqual(tags(render(name)), tags(render('plain/name')), preview.render(render(name)));
}

describe('Explain Route document', () => {
  it("names each attempt's key by its label, not its id", () => {
    const md = explainPlan(
      plan({
        attempts: [
          attempt({ body: { model: 'mid/chat' } }),
          attempt({ keyId: 'k-hash-2', body: { model: 'mid/chat' } }),
        ],
      }),
      {
        keys: [
          { id: 'k-hash-1', label: 'Work' },
          { id: 'k-hash-2', label: 'Personal' },
        ],
      },
    );
    assert.match(md, /1\. `mid\/chat` — key `Work`/);
    assert.match(md, /2\. `mid\/chat` — key `Personal`/);
    assert.doesNotMatch(md, /k-hash/);
  });

  it('says so when a key of the plan has left the pool', () => {
    const md = explainPlan(plan(), { keys: [{ id: 'other', label: 'Other' }] });
    assert.match(md, /key `k-hash-1` \(no longer in the pool\)/);
  });

  it('shows the body as it would be sent, messages elided', () => {
    const md = explainPlan(plan(), { bodyFor, keys: [{ id: 'k-hash-1', label: 'Work' }] });
    const json = /```json\n([\s\S]*?)\n\s*```/.exec(md)?.[1];
    assert.ok(json, md);
    const body = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual(body, {
      model: 'mid/chat',
      models: ['mid/chat', 'cheap/small'],
      provider: { sort: 'price' },
      messages: '[3 messages elided]',
      stream: true,
      max_tokens: 4096,
      session_id: 'conv-1',
    });
    assert.doesNotMatch(md, /secret/, 'no message text');
  });

  it('shows the body bodyFor gives, messages elided (the sending side is tested in turn-attemptBody.test.ts)', () => {
    const a = attempt({ body: { model: 'big/pro', provider: { order: ['x'] } } });
    const sent = { ...attemptRequestBody(draft, a.body), reasoning: { effort: 'high' } };
    const { messages: _messages, ...shownRest } = shownBody(a, () => sent);
    const { messages: _sentMessages, ...sentRest } = sent;
    assert.deepEqual(shownRest, sentRest);
    assert.equal(shownBody(a, () => ({ ...draft, messages: [draft.messages[0]!] })).messages, '[1 message elided]');
  });

  it('without a draft shows the routing fields alone', () => {
    assert.deepEqual(shownBody(attempt({ body: { model: 'a/b' } }), undefined), { model: 'a/b' });
  });

  it('says what Switchyard\'s spend counts and what the header\'s "today" counts', () => {
    const md = explainPlan(plan(), { request, spend: { todayUsd: 0.0123, monthUsd: 0.45 } });
    assert.match(
      md,
      /\*\*Spent by Switchyard:\*\* \$0\.0123 today, \$0\.45 this month — what chat answers, agent tasks and inline completions in this VS Code cost/,
    );
    assert.match(md, /budgets in `switchyard\.routing\.budgets` are checked against these figures/);
    assert.match(
      md,
      /\*\*The chat header's "today"\*\* is OpenRouter's figure for your key\(s\): everything billed to them today \(UTC day\), from any app/,
    );
    assert.doesNotMatch(md, /Spent so far/, 'one wording');
  });

  it('renders the request and the deciding rule as a quote block', () => {
    const md = explainPlan(plan(), { request: { ...request, affinity: { model: 'mid/chat', provider: 'Fireworks' } } });
    const html = preview.render(md);
    assert.match(
      html,
      /<blockquote>[\s\S]*Request: tier <code>chat<\/code>[\s\S]*Decided by: <code>pick<\/code>[\s\S]*Sticky routing[\s\S]*<\/blockquote>/,
    );
  });

  for (const name of HOSTILE) {
    it(`keeps a hostile name inert: ${JSON.stringify(name)}`, () => {
      const p = (name: string): Plan =>
        plan({
          refusal: { rule: 'capacity.byokOnly', reason: `no BYOK provider for ${name}` },
          attempts: [
            attempt({ body: { model: name, provider: { order: [name] } }, needsConfirmation: `${name} costs more` }),
          ],
          decisions: [
            { model: name, provider: name, verdict: 'placed', rule: 'pick', detail: `picked ${name}` },
            {
              model: name,
              provider: name,
              verdict: 'excluded',
              rule: 'capability.vision',
              detail: `${name} cannot see`,
            },
            { model: name, provider: name, verdict: 'placed', rule: 'provider.remains', detail: '' },
          ],
          warnings: [`${name} is not in the model catalogue`],
          notes: [name],
        });
      const md = (n: string): string =>
        explainPlan(p(n), {
          request: { ...request, pickedModel: n, affinity: { model: n, provider: n } },
          keys: [{ id: 'k-hash-1', label: n }],
          bodyFor,
        });
      assertInert(md, name);
      assert.ok(preview.render(md(name)).includes('<table>'));
    });
  }
});

describe('Markdown escaping', () => {
  it('a code span holds any backticks', () => {
    for (const s of ['a`b', '``x``', '`', ' lead', 'plain']) {
      const html = preview.renderInline(code(s));
      assert.equal(html, `<code>${s.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code>`, `${s} → ${html}`);
    }
  });

  it('text renders as itself', () => {
    for (const s of HOSTILE) {
      const html = preview.renderInline(text(s));
      const unescaped = html
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
      assert.equal(unescaped, s.replace(/\n/g, ' '), html);
    }
  });
});

describe('List Routes document', () => {
  it('lists routes with their models and origin; hostile names stay inert and in their cell', () => {
    for (const name of HOSTILE) {
      const md = (n: string): string =>
        routesDocument([
          {
            route: { name: n, strategy: 'priority', endpoints: [{ model: n, provider: n }, { model: 'b/c' }] },
            origin: 'runtime',
            shadows: false,
          },
        ]);
      assertInert(md, name);
      assert.match(preview.render(md(name)), /<td>added at run time<\/td>/);
    }
  });

  it('says how to add one when there is none', () => {
    assert.match(routesDocument([]), /No routes yet\. Add one with \*\*Switchyard: Add Route\*\*/);
  });
});
