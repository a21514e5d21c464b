/** Export as Markdown: answers with their model and cost, tool calls summarized, thinking collapsed, images named, secrets redacted. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportMarkdown, RESULT_LINES, type ExportMessage } from '../../src/chat/exportMarkdown';
import type { HistoryEntry } from '../../src/protocol/history';

const KEY = `sk-or-v1-${'0f'.repeat(32)}`;
const date = (ms: number): string => `T${ms}`;
const chat: Pick<HistoryEntry, 'title' | 'mode' | 'kind' | 'createdAt'> = {
  title: 'Parse JSON',
  mode: 'ask',
  kind: 'chat',
  createdAt: 5,
};
const user = (text: string, extra: Partial<ExportMessage> = {}): ExportMessage => ({
  id: `u${text.length}`,
  role: 'user',
  text,
  status: 'done',
  createdAt: 5,
  ...extra,
});
const answer = (text: string, extra: Partial<ExportMessage> = {}): ExportMessage => ({
  id: `a${text.length}`,
  role: 'assistant',
  text,
  status: 'done',
  createdAt: 6,
  ...extra,
});

describe('export as Markdown', () => {
  it('a chat: heading, mode, date, and each answer with model, provider, tokens and cost', () => {
    const md = exportMarkdown(
      chat,
      [
        user('How do I parse JSON?'),
        answer('Use `JSON.parse`.', {
          meta: {
            requestedModel: 'openai/gpt-4o-mini',
            model: 'openai/gpt-4o-mini',
            provider: 'OpenAI',
            promptTokens: 120,
            completionTokens: 30,
            cost: 0.000123,
          },
        }),
      ],
      { date },
    );
    assert.match(md, /^# Parse JSON\n\n_Ask · T5 · 2 messages_/);
    assert.match(md, /## You\n\nHow do I parse JSON\?/);
    assert.match(md, /## Answer · openai\/gpt-4o-mini\n\nUse `JSON.parse`\./);
    assert.match(md, /_openai\/gpt-4o-mini · via OpenAI · 120 → 30 tokens · \$0\.000123_/);
  });

  it('images are named, never embedded; context chips are listed', () => {
    const md = exportMarkdown(
      chat,
      [
        user('What is in this picture?', {
          images: [{ name: 'screenshot.png' }],
          attachments: [
            {
              id: 'i',
              kind: 'image',
              label: 'pasted image',
              tokens: 0,
              truncated: false,
              originalTokens: 0,
              image: { src: 'data:image/png;base64,AAAA', mime: 'image/png', bytes: 4 },
            },
            { id: 'f', kind: 'file', label: 'src/a.ts:1-9', tokens: 40, truncated: false, originalTokens: 40 },
          ],
        }),
      ],
      { date },
    );
    assert.match(md, /Images \(not included\): `screenshot\.png`, `pasted image`/);
    assert.match(md, /Context: `src\/a\.ts:1-9`/);
    assert.ok(!md.includes('data:image'), 'no image bytes');
  });

  it('a task: steps, spend and outcome; tool calls one line each, diffs as diff blocks, results cut and fenced', () => {
    const long = Array.from({ length: RESULT_LINES + 5 }, (_, i) => `line ${i}`).join('\n');
    const md = exportMarkdown(
      { title: 'Fix add', mode: 'agent', kind: 'task', createdAt: 1, steps: 2, spentUsd: 0.0123, outcome: 'openTodos' },
      [
        user('fix add'),
        answer('Reading.', {
          tools: [
            { id: 'c1', tool: 'read_file', title: 'Read src/calc.js', state: 'done', result: long },
            {
              id: 'c2',
              tool: 'edit_file',
              title: 'Edit src/calc.js',
              state: 'rejected',
              summary: 'rejected: use const',
              diff: '--- a/src/calc.js\n+++ b/src/calc.js\n-a - b\n+a + b',
            },
            { id: 'c3', tool: 'run_command', title: 'Run cat x', state: 'done', result: 'a ```` fence\n```' },
          ],
        }),
      ],
      { date },
    );
    assert.match(md, /_Agent · T1 · 2 steps · \$0\.0123 · ended with open to-dos_/);
    assert.match(md, /## Step\n\nReading\./);
    assert.match(md, /- \*\*done\*\* `read_file` Read src\/calc\.js/);
    assert.match(md, /- \*\*rejected\*\* `edit_file` Edit src\/calc\.js — rejected: use const/);
    assert.match(md, /```diff\n {2}--- a\/src\/calc\.js/);
    assert.ok(md.includes(`line ${RESULT_LINES - 1}`) && !md.includes(`line ${RESULT_LINES}\n`), 'first lines only');
    assert.match(md, /\(5 more lines not shown\)/);
    assert.match(md, /`````text\n {2}a ```` fence\n {2}```\n {2}`````/, 'a fence the result cannot close');
  });

  it('failures and stops are said; thinking is collapsed, apart from the answer', () => {
    const md = exportMarkdown(
      chat,
      [
        user('q'),
        answer('', {
          status: 'error',
          error: { kind: 'rateLimited', title: 'Rate limited', message: 'Try again\nlater' },
        }),
        answer('partial', { status: 'stopped', reasoning: { text: 'I should check\nthe docs', durationMs: 3200 } }),
      ],
      { date },
    );
    assert.match(md, /> \*\*Failed: Rate limited\*\* — Try again later/);
    assert.match(md, /> Stopped\./);
    assert.match(
      md,
      /<details><summary>Thinking \(3\.2 s\)<\/summary>\n\n```text\nI should check\nthe docs\n```\n\n<\/details>\n\npartial/,
    );
  });

  it('secrets are redacted everywhere: known keys, key shapes, in text, titles, results and diffs', () => {
    const custom = 'my-private-gateway-key-123456';
    const md = exportMarkdown(
      { ...chat, title: `key ${KEY}` },
      [
        user(`use ${custom} and ${KEY}`),
        answer(`ok ${KEY}`, {
          tools: [
            {
              id: 'c',
              tool: 'read_file',
              title: 'Read .env',
              state: 'done',
              result: `OPENROUTER_API_KEY=${KEY}`,
              diff: `+${custom}`,
            },
          ],
        }),
      ],
      { date, knownSecrets: [custom] },
    );
    assert.ok(!md.includes(KEY), 'no OpenRouter key');
    assert.ok(!md.includes(custom), 'no known key');
    assert.match(md, /\[redacted\]/);
  });
});
