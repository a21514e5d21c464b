/**
 * The user's key as a command or a model can print it without trying hard: in pieces, spread out
 * by spaces, zero-width characters or ANSI escapes, upper-cased, percent- or JSON-escaped, hex or
 * base64 at any alignment. Each form is redacted from tool results (redactSecrets) and flags the
 * line (findSecretLines); ordinary text and other keys are left alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { knownSecretSpans, MIN_FRAGMENT } from '../../src/openrouter/knownSecrets';
import { findSecretLines, redactSecrets } from '../../src/openrouter/secrets';

const KEY = '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';
/** The key's random part: what must never be readable, whole or in pieces of MIN_FRAGMENT. */
const BODY = KEY.slice('sk-or-v1-'.length);
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const percentAll = (s: string): string => [...s].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');

const DISGUISES: Record<string, string> = {
  'the second half (cut -c30-)': KEY.slice(30),
  'a piece from the middle': `token part: ${KEY.slice(20, 20 + MIN_FRAGMENT + 2)}.`,
  'split over two lines': `${KEY.slice(0, 25)}\n${KEY.slice(25)}`,
  'split over two outputs, joined by a prompt': `$ echo first\n${KEY.slice(0, 40)}\n$ echo second\n${KEY.slice(40)}`,
  'spaces between characters': [...KEY].join(' '),
  'zero-width spaces between characters': [...KEY].join('\u200b'),
  'ANSI colour in the middle': `${KEY.slice(0, 30)}\x1b[1;31m${KEY.slice(30)}\x1b[0m`,
  'upper-cased': KEY.toUpperCase(),
  'percent-encoded, every character': percentAll(KEY),
  'JSON \\u escapes': [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  'C \\x escapes': [...KEY].map((c) => `\\x${c.charCodeAt(0).toString(16)}`).join(''),
  reversed: [...KEY].reverse().join(''),
  'hex, upper-case': Buffer.from(KEY).toString('hex').toUpperCase(),
  'base64 after a prefix of one byte': b64(`K${KEY}`),
  'base64 after a prefix of two bytes': b64(`OPENROUTER_API_KEY=${KEY}`),
  base64url: b64(`xy${KEY}`).replace(/\+/g, '-').replace(/\//g, '_'),
  'base64 wrapped at 40 columns': b64(`KEY=${KEY}\n`).replace(/(.{40})/g, '$1\n'),
};

/** Whether any piece of the key's random part, in any of the disguises, is still readable. */
function leaks(text: string): boolean {
  const plain = text.replace(/\s|\u200b|\x1b\[[0-9;]*m/g, '').toLowerCase();
  for (let i = 0; i + 12 <= BODY.length; i++) if (plain.includes(BODY.slice(i, i + 12).toLowerCase())) return true;
  return false;
}

describe('a known key in disguise', () => {
  for (const [name, text] of Object.entries(DISGUISES))
    it(`is redacted and flagged: ${name}`, () => {
      const out = redactSecrets(`before ${text} after`, [KEY]);
      assert.match(out, /\[redacted\]/, out);
      assert.ok(out.startsWith('before ') && out.endsWith(' after'), `the text around stays: ${out}`);
      if (!/base64|hex|reversed|escapes|percent/.test(name)) assert.ok(!leaks(out), out);
      const lines = findSecretLines(text, [KEY]);
      assert.ok(lines.length > 0 && lines.every((l) => l.rule === 'known'), JSON.stringify(lines));
    });

  it('leaves ordinary text, short pieces and other keys alone', () => {
    const other = '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';
    const texts = [
      'npm test\n  ✔ 42 passing (1.2 s)\n',
      `${KEY.slice(9, 9 + MIN_FRAGMENT - 1)} is too short a piece to say anything`,
      'a1b2c3d4e5f6 0123456789abcdef 3f9a0c7e51b24d6',
      'percent %41%42 and \\u0041 escapes of other things, \x1b[32mgreen\x1b[0m',
    ];
    for (const text of texts) assert.deepEqual(knownSecretSpans(text, [KEY]), [], text);
    assert.deepEqual(knownSecretSpans(other, [KEY]), []);
    assert.deepEqual(knownSecretSpans(KEY, []), []);
    assert.deepEqual(knownSecretSpans(KEY, ['short']), [], 'short secrets are the exact matcher’s');
  });

  it('gives spans that cover the disguise and nothing around it', () => {
    const text = `A ${[...KEY].join(' ')} B`;
    const [span, ...rest] = knownSecretSpans(text, [KEY]);
    assert.deepEqual(rest, []);
    assert.equal(text.slice(span![0], span![1]), [...KEY].join(' '));
  });
});
