/** A link in an answer shows its destination and asks unless its text says where it goes: the rule over a table. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkDestination, linkTextMatches } from '../../src/protocol/links';

describe('linkTextMatches', () => {
  const says: [string, string][] = [
    ['https://example.com/docs', 'https://example.com/docs'],
    ['example.com', 'https://example.com/docs/x'],
    ['www.example.com', 'https://example.com/'],
    ['example.com/docs', 'https://example.com/docs/install'],
    ['EXAMPLE.com', 'https://example.com'],
    ['http://localhost:3000', 'http://localhost:3000/app'],
    ['someone@example.com', 'mailto:someone@example.com'],
  ];
  for (const [text, href] of says)
    it(`${JSON.stringify(text)} says where ${href} goes`, () => assert.equal(linkTextMatches(text, href), true));
  const misleads: [string, string][] = [
    ['the docs', 'https://evil.example/docs'],
    ['docs.python.org', 'https://evil.example/docs.python.org'],
    ['https://github.com/owner/repo', 'https://github.com.evil.example/owner/repo'],
    ['github.com/owner/repo', 'https://github.com/attacker/repo'],
    ['https://bank.com', 'https://bank.com@evil.example/'],
    ['pаypal.com', 'https://paypal.com'], // Cyrillic а in the text
    ['paypal.com', 'https://xn--pypal-4ve.com'],
    ['http://example.com', 'https://example.com'],
    ['example.com', 'https://example.com:8443/'],
    ['', 'https://example.com'],
    ['someone@example.com', 'mailto:other@example.com'],
    ['example.com', 'javascript:alert(1)'],
  ];
  for (const [text, href] of misleads)
    it(`${JSON.stringify(text)} does not say where ${href} goes`, () =>
      assert.equal(linkTextMatches(text, href), false));
});

describe('linkDestination', () => {
  for (const [href, expected] of [
    ['https://example.com/a?b#c', 'example.com'],
    ['http://localhost:3000/x', 'localhost:3000'],
    ['https://xn--pypal-4ve.com/', 'xn--pypal-4ve.com'],
    ['mailto:someone@example.com', 'someone@example.com'],
    ['javascript:alert(1)', undefined],
    ['not a url', undefined],
  ] as const) {
    it(`${href} → ${String(expected)}`, () => assert.equal(linkDestination(href), expected));
  }
});
