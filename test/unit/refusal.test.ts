import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksBinary, MAX_ATTACH_BYTES, refusalReason } from '../../src/context/refusal';
import { formatBytes } from '../../src/protocol/units';

const text = new TextEncoder().encode('export const x = 1;\n\tconsole.log(x);\r\n');

describe('refusalReason (what @file may attach)', () => {
  it('accepts a small text file of the workspace', () => {
    assert.equal(refusalReason({ path: 'src/x.ts', inWorkspace: true, size: text.length, head: text }), undefined);
  });
  it('refuses files outside the workspace', () => {
    assert.match(
      refusalReason({ path: '/etc/hosts', inWorkspace: false, size: 10, head: text }) ?? '',
      /\/etc\/hosts is outside the workspace/,
    );
  });
  it('refuses huge files with their size and the limit', () => {
    const reason = refusalReason({ path: 'big.log', inWorkspace: true, size: 3 * 1024 * 1024, head: text });
    assert.match(reason ?? '', /big\.log is too large to attach \(3 MiB; the limit is 512 KiB\)/);
    assert.equal(
      refusalReason({ path: 'edge.txt', inWorkspace: true, size: MAX_ATTACH_BYTES, head: text }),
      undefined,
      'exactly the limit is fine',
    );
  });
  it('refuses binary files', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    assert.match(
      refusalReason({ path: 'logo.png', inWorkspace: true, size: png.length, head: png }) ?? '',
      /logo\.png looks like a binary file/,
    );
  });
});

describe('looksBinary', () => {
  it('is false for text (including UTF-8 and an empty file) and true for NULs or many control bytes', () => {
    assert.equal(looksBinary(new TextEncoder().encode('héllo wörld — ünïcode ✓')), false);
    assert.equal(looksBinary(new Uint8Array()), false);
    assert.equal(looksBinary(Uint8Array.from([65, 0, 66])), true);
    assert.equal(looksBinary(Uint8Array.from([1, 2, 3, 4, 65, 66, 67, 68])), true);
  });
  it('formats sizes', () => {
    assert.equal(formatBytes(900), '900 B');
    assert.equal(formatBytes(2048), '2 KiB');
  });
});
