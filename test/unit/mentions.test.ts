import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kindRows, looksLikeOutsidePath, parseMentionQuery } from '../../src/context/mentionQuery';
import { mentionAt, removeMention, replaceMention } from '../../src/webview/mentionToken';

describe('mentionAt (the @ token at the caret)', () => {
  it('finds a mention at the start, after a space, and after an opening bracket', () => {
    assert.deepEqual(mentionAt('@fi', 3), { start: 0, end: 3, query: 'fi' });
    assert.deepEqual(mentionAt('explain @file:src/ma', 20), { start: 8, end: 20, query: 'file:src/ma' });
    assert.deepEqual(mentionAt('see (@sel', 9), { start: 5, end: 9, query: 'sel' });
  });
  it('is just "@" with an empty query right after typing it', () => {
    assert.deepEqual(mentionAt('what is @', 9), { start: 8, end: 9, query: '' });
  });
  it('ignores e-mail addresses, text after a space, and a caret before the @', () => {
    assert.equal(mentionAt('mail me@example.com', 19), undefined);
    assert.equal(mentionAt('@file done', 10), undefined);
    assert.equal(mentionAt('abc @file', 2), undefined);
    assert.equal(mentionAt('', 0), undefined);
  });
  it('uses the text up to the caret only', () => {
    assert.deepEqual(mentionAt('@problems later', 5), { start: 0, end: 5, query: 'prob' });
  });
});

describe('removeMention / replaceMention', () => {
  it('removes the whole token (and one space after it) and puts the caret where it was', () => {
    const text = 'explain @file:src/ma please';
    const token = mentionAt(text, 20)!;
    assert.deepEqual(removeMention(text, token), { text: 'explain please', caret: 8 });
  });
  it('removes a token at the end of the text', () => {
    const text = 'what is @sel';
    assert.deepEqual(removeMention(text, mentionAt(text, text.length)!), { text: 'what is ', caret: 8 });
  });
  it('replaces the token to ask for a file and puts the caret after it', () => {
    const text = 'look at @fi and tell me';
    const token = mentionAt(text, 11)!;
    assert.deepEqual(replaceMention(text, token, 'file:'), { text: 'look at @file: and tell me', caret: 14 });
  });
});

describe('parseMentionQuery and kindRows', () => {
  it('splits file: queries from plain filters', () => {
    assert.deepEqual(parseMentionQuery('file:src/ma'), { kind: 'file', filter: 'src/ma' });
    assert.deepEqual(parseMentionQuery('file:'), { kind: 'file', filter: '' });
    assert.deepEqual(parseMentionQuery('prob'), { filter: 'prob' });
  });
  it('lists every kind for a bare @, and the matching ones for a prefix', () => {
    assert.deepEqual(
      kindRows('').map((r) => r.label),
      ['@file', '@selection', '@problems', '@problems:workspace', '@diff', '@open', '@terminal', '@image'],
    );
    assert.deepEqual(
      kindRows('prob').map((r) => r.kind),
      ['problems', 'workspaceProblems'],
    );
    assert.deepEqual(
      kindRows('PROBLEMS:W').map((r) => r.kind),
      ['workspaceProblems'],
    );
    assert.deepEqual(
      kindRows('im').map((r) => r.kind),
      ['image'],
      '@image opens the image file dialog',
    );
    assert.deepEqual(kindRows('zzz'), []);
    assert.equal(kindRows('fi')[0]!.needsQuery, true, '@file asks for a file next');
    assert.ok(!('keyword' in kindRows('')[0]!), 'the internal keyword is not sent to the webview');
  });
  it('recognises paths that point outside the workspace', () => {
    for (const p of ['/etc/passwd', '~/notes.txt', '../other/x.ts', 'C:\\Windows\\x.ini'])
      assert.ok(looksLikeOutsidePath(p), p);
    for (const p of ['src/math.ts', 'README', '.gitignore']) assert.ok(!looksLikeOutsidePath(p), p);
  });
});
