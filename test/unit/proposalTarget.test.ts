/** Issue 15, kind 6: Apply acts only on its own diff (the press's URI must be the pending proposal's). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { proposalPress } from '../../src/context/proposalTarget';

const pending = 'switchyard-proposed:/ws/src/a.ts?proposal=2';

describe('proposalPress', () => {
  it("acts for the pending proposal's own diff (title-bar button or palette with it active)", () => {
    assert.deepEqual(proposalPress(pending, undefined, pending), { ok: true });
    assert.deepEqual(proposalPress(undefined, pending, pending), { ok: true });
  });
  it('never for a Git diff of another file', () => {
    const r = proposalPress('file:///ws/src/other.ts', undefined, pending);
    assert.equal(r.ok, false);
    assert.equal(proposalPress(undefined, 'git:/ws/src/other.ts?%7B%7D', pending).ok, false);
  });
  it('never for an older proposal, even of the same file', () => {
    assert.equal(proposalPress('switchyard-proposed:/ws/src/a.ts?proposal=1', undefined, pending).ok, false);
  });
  it('the button URI wins over whichever diff is active', () => {
    assert.equal(proposalPress('file:///ws/src/other.ts', pending, pending).ok, false);
  });
  it('says why when nothing is pending or no diff is open', () => {
    assert.match((proposalPress(pending, undefined, undefined) as { reason: string }).reason, /No proposed change/);
    assert.match(
      (proposalPress(undefined, undefined, pending) as { reason: string }).reason,
      /Open the proposed change/,
    );
  });
  it('the ✓ and discard title-bar buttons show only on a proposal diff (package.json when clause)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      contributes: { menus: Record<string, { command?: string; when?: string }[]> };
    };
    const title = pkg.contributes.menus['editor/title'] ?? [];
    for (const id of ['switchyard.acceptProposal', 'switchyard.discardProposal']) {
      const entry = title.find((m) => m.command === id);
      assert.ok(entry, id);
      assert.match(entry.when ?? '', /resourceScheme == switchyard-proposed/, `${id} shows only on a proposal's diff`);
      assert.match(entry.when ?? '', /isInDiffEditor/);
    }
  });
});
