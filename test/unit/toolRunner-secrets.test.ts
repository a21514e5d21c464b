/**
 * The user's key never reaches an edit's card, the model or the stored task in any form the
 * redactor knows (src/openrouter/knownSecrets.ts: pieces, base64, percent-escapes) — the diff of
 * an edit and the error of an edit that did not apply (it quotes the file's closest text) are
 * redacted with the known keys like a tool's result (src/agent/toolRunner.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Checkpoints } from '../../src/agent/checkpoints';
import { DEFAULT_APPROVAL } from '../../src/agent/policy';
import { ToolRunner, type AgentSettings, type AgentTools } from '../../src/agent/toolRunner';
import type { ToolCall } from '../../src/agent/tools';
import { TaskView } from '../../src/agent/taskView';
import type { ChatMessageView } from '../../src/protocol/messages';

const KEY = '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';
const base64 = Buffer.from(KEY).toString('base64');
/** Forms of the key that carry no token shape of their own. */
const FORMS: Record<string, string> = {
  base64,
  'the key without its prefix': KEY.slice('sk-or-v1-'.length),
  'percent-encoded': [...KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
  'split over two lines': `${KEY.slice(0, 30)}"\npart2 = "${KEY.slice(30)}`,
};

function runner(fileText: string) {
  const posted: unknown[] = [];
  const view = new TaskView((m) => posted.push(m));
  view.add({ id: 'step', role: 'assistant', content: '', tools: [] } as unknown as ChatMessageView);
  const tools = {
    readForEdit: async () => ({ ok: true as const, text: fileText }),
    knownSecrets: () => [KEY],
    showProposal: async () => undefined,
    closeProposal: async () => undefined,
    write: async () => undefined,
  } as unknown as AgentTools;
  const r = new ToolRunner(
    {
      tools,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined } as never,
      alwaysAllowed: () => new Set(),
      allowAlways: async () => undefined,
      checkpoints: () => new Checkpoints(),
      persist: async () => undefined,
    },
    view,
  );
  return { r, posted, view };
}

const settings: AgentSettings = { approval: DEFAULT_APPROVAL, maxSteps: 10, commandTimeoutSeconds: 30 };

function leaks(text: string, form: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return [KEY, base64, form, KEY.slice(9, 40), KEY.slice(40)].some((f) => compact.includes(f.replace(/\s+/g, '')));
}

describe('an edit never shows or sends the user key', () => {
  for (const [what, form] of Object.entries(FORMS)) {
    it(`${what}: not in the error of an edit whose old text was not found (it quotes the closest text)`, async () => {
      const file = `const a = 1;\nconst banner = "${form}";\nconst b = 2;\n`;
      const { r, posted } = runner(file);
      const call: ToolCall = {
        id: 'e1',
        name: 'edit_file',
        args: { path: 'config.ts', edits: [{ old_text: `const banner = "${form.slice(0, 20)}X";`, new_text: 'x' }] },
      } as ToolCall;
      const outcome = await r.execute(call, 'step', new AbortController().signal, settings);
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.content, /closest text/);
      assert.ok(!leaks(outcome.content, form), outcome.content);
      assert.ok(!leaks(JSON.stringify(posted), form));
    });

    it(`${what}: not in the diff an edit shows while it asks`, async () => {
      const file = `const a = 1;\nconst banner = "${form}";\n`;
      const { r, posted, view } = runner(file);
      const call = {
        id: 'e2',
        name: 'edit_file',
        args: { path: 'config.ts', edits: [{ old_text: 'const a = 1;', new_text: 'const a = 2;' }] },
      } as ToolCall;
      const done = r.execute(call, 'step', new AbortController().signal, settings);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const diff = view.find('step')?.tools?.[0]?.diff ?? '';
      assert.ok(diff.includes('const a = 2;'), 'the card shows the diff');
      r.decide('e2', { approve: false });
      await done;
      assert.ok(!leaks(diff, form), diff);
      assert.ok(!leaks(JSON.stringify(posted), form));
    });
  }
});
