/**
 * A sandboxed command that fails for want of the network says so in its result (the model reads
 * it, the card shows it) — src/agent/sandbox/networkHint.ts through src/agent/toolRunner.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Checkpoints } from '../../src/agent/checkpoints';
import { DEFAULT_APPROVAL } from '../../src/agent/policy';
import { NETWORK_OFF_NOTE, networkOffNote } from '../../src/agent/sandbox/networkHint';
import { ToolRunner, type AgentSettings, type AgentTools } from '../../src/agent/toolRunner';
import type { ToolCall } from '../../src/agent/tools';
import { TaskView } from '../../src/agent/taskView';
import type { ChatMessageView } from '../../src/protocol/messages';

const OFFLINE_ERRORS = [
  'curl: (6) Could not resolve host: example.com',
  'npm error code EAI_AGAIN\nnpm error request to https://registry.npmjs.org/left-pad failed',
  'Error: getaddrinfo ENOTFOUND api.github.com',
  "fatal: unable to access 'https://github.com/a/b.git/': Could not resolve host: github.com",
  'ping: connect: Network is unreachable',
  'pip: Temporary failure in name resolution',
  'Error: connect ECONNREFUSED 127.0.0.1:5432',
];

const settings: AgentSettings = { approval: DEFAULT_APPROVAL, maxSteps: 10, commandTimeoutSeconds: 30 };

/** Runs `curl` as a sandboxed command that printed `output` and failed, approving it when its card asks. */
async function runFailing(output: string, network: boolean) {
  const view = new TaskView(() => undefined);
  view.add({ id: 'step', role: 'assistant', content: '', tools: [] } as unknown as ChatMessageView);
  const tools = {
    inspect: async () => ({ sandboxed: true, network }),
    runCommand: async () => ({ ok: false, content: `${output}\n[exit code 6]`, summary: 'exit code 6' }),
  } as unknown as AgentTools;
  const deps = {
    tools,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined } as never,
    alwaysAllowed: () => new Set<string>(),
    allowAlways: async () => undefined,
    checkpoints: () => new Checkpoints(),
    persist: async () => undefined,
  };
  const r = new ToolRunner(deps, view);
  const call = { id: 'c1', name: 'run_command', args: { command: 'curl https://example.com' } } as ToolCall;
  const approve = setInterval(() => r.decide('c1', { approve: true }), 10);
  try {
    const outcome = await r.execute(call, 'step', new AbortController().signal, settings);
    return { outcome, card: view.find('step')?.tools?.[0] };
  } finally {
    clearInterval(approve);
  }
}

describe('a sandboxed command that fails without network says why', () => {
  it('recognises what commands print when they cannot reach the network', () => {
    for (const output of OFFLINE_ERRORS) assert.equal(networkOffNote(output, true, true), NETWORK_OFF_NOTE, output);
    assert.equal(networkOffNote('AssertionError: 3 !== 12', true, true), undefined, 'a test failure is not one');
    assert.equal(networkOffNote(OFFLINE_ERRORS[0]!, false, true), undefined, 'a command that succeeded');
    assert.equal(networkOffNote(OFFLINE_ERRORS[0]!, true, false), undefined, 'the network was on');
  });

  it('ends the result the model gets and the card with the note, only when the network was off', async () => {
    for (const output of OFFLINE_ERRORS.slice(0, 3)) {
      const off = await runFailing(output, false);
      assert.equal(off.outcome.status, 'failed');
      assert.ok(off.outcome.content.startsWith(output), 'the output comes first, unchanged');
      assert.ok(off.outcome.content.endsWith(NETWORK_OFF_NOTE), off.outcome.content);
      assert.ok(off.card?.result?.endsWith(NETWORK_OFF_NOTE), 'the card shows it');
      const on = await runFailing(output, true);
      assert.equal(on.outcome.status, 'failed');
      assert.ok(!on.outcome.content.includes(NETWORK_OFF_NOTE), 'no note when the network was on');
    }
  });
});
