import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWebviewMessage } from '../../src/protocol/messages';

describe('webview → host protocol', () => {
  it('accepts every valid message', () => {
    const valid = [
      { type: 'ready' },
      { type: 'send', text: 'hello' },
      { type: 'stop' },
      { type: 'newChat' },
      { type: 'retry', messageId: 'abc' },
      { type: 'removeAttachment', id: 'sel-1' },
      { type: 'copyCode', code: 'x' },
      { type: 'insertCode', code: 'y' },
      { type: 'runCommand', command: 'switchyard.setApiKey' },
    ];
    for (const m of valid) assert.equal(parseWebviewMessage(m).ok, true, JSON.stringify(m));
  });
  it('rejects malformed and unexpected messages with a reason', () => {
    const invalid: unknown[] = [
      null,
      'ready',
      42,
      {},
      { type: 'send' },
      { type: 'send', text: '' },
      { type: 'send', text: 5 },
      { type: 'runCommand', command: 'workbench.action.terminal.sendSequence' },
      { type: 'runCommand', command: 'switchyard.clearApiKey' },
      { type: 'writeFile', path: '/etc/passwd' },
      { type: 'send', text: 'x'.repeat(200_001) },
      { type: ['ready'] },
    ];
    for (const m of invalid) {
      const result = parseWebviewMessage(m);
      assert.equal(result.ok, false, JSON.stringify(m)?.slice(0, 80));
      if (!result.ok) assert.ok(result.error.length > 0);
    }
  });
  it('survives random junk without throwing', () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (let i = 0; i < 2000; i++) {
      const junk = {
        type: pick(['send', 'stop', 'retry', 'runCommand', 'x', undefined, 1]),
        text: pick(['', 'a', 1, null, {}]),
        command: pick(['switchyard.setApiKey', 'rm -rf', 3]),
        messageId: pick(['', 'id', 7]),
      };
      assert.doesNotThrow(() => parseWebviewMessage(junk));
    }
  });
});

describe('attachment ids', () => {
  it('accepts the ids the host makes, and bounds them', () => {
    assert.equal(parseWebviewMessage({ type: 'removeAttachment', id: `file-${'A'.repeat(16)}` }).ok, true);
    assert.equal(parseWebviewMessage({ type: 'removeAttachment', id: 'x'.repeat(201) }).ok, false);
  });
});
