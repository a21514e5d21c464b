import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Checkpoints } from '../../src/agent/checkpoints';
import { applyReplacements, closestMatch } from '../../src/agent/editText';
import { describeCall, parseToolCall, TOOL_DEFINITIONS, ToolNames, type ToolCall } from '../../src/agent/tools';
import {
  assistantMessage,
  capOutput,
  toolMessage,
  trimTranscript,
  type AgentMessage,
} from '../../src/agent/transcript';

const call = (name: string, args: unknown): ToolCall => {
  const parsed = parseToolCall('c1', name, JSON.stringify(args));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.call;
};

describe('tools', () => {
  it('defines one function schema per tool, with required fields present in properties', () => {
    assert.deepEqual(
      TOOL_DEFINITIONS.map((t) => t.function.name),
      [...ToolNames],
    );
    for (const t of TOOL_DEFINITIONS) {
      const p = t.function.parameters as { type: string; properties: Record<string, unknown>; required?: string[] };
      assert.equal(p.type, 'object');
      for (const r of p.required ?? []) assert.ok(r in p.properties, `${t.function.name}.${r}`);
    }
  });
  it('turns arguments that are not JSON, unknown tools and schema misses into sentences for the model', () => {
    const bad = parseToolCall('x', 'read_file', '{"path": "a.ts"');
    assert.ok(!bad.ok && bad.error.startsWith('arguments of read_file were not valid JSON: '));
    const unknown = parseToolCall('x', 'delete_everything', '{}');
    assert.ok(!unknown.ok && unknown.error.includes('no tool named "delete_everything"'));
    const missing = parseToolCall('x', 'edit_file', '{"path":"a.ts","edits":[]}');
    assert.ok(!missing.ok && missing.error.includes('edits'));
  });
  it('describes calls in human form', () => {
    assert.equal(
      describeCall(call('read_file', { path: 'src/calc.ts', start_line: 1, end_line: 40 })),
      'Read src/calc.ts lines 1–40',
    );
    assert.equal(describeCall(call('run_command', { command: 'node --test' })), 'Run node --test');
    assert.equal(
      describeCall(call('edit_file', { path: 'a.ts', edits: [{ old_text: 'a', new_text: 'b' }] })),
      'Edit a.ts (1 replacement)',
    );
    assert.equal(describeCall(call('list_files', {})), 'List the workspace');
  });
});

describe('edit_file replacement', () => {
  const file = 'function add(a, b) {\n  return a - b;\n}\n\nfunction sub(a, b) {\n  return a - b;\n}\n';
  it('replaces text that occurs exactly once', () => {
    const r = applyReplacements(file, [
      { old_text: 'function add(a, b) {\n  return a - b;', new_text: 'function add(a, b) {\n  return a + b;' },
    ]);
    assert.ok(r.ok);
    assert.equal(r.text, file.replace('return a - b;', 'return a + b;'));
  });
  it('refuses text that occurs twice, naming the lines, and changes nothing', () => {
    const r = applyReplacements(file, [{ old_text: 'return a - b;', new_text: 'x' }]);
    assert.ok(!r.ok && /occurs 2 times \(lines 2 and 6\)/.test(r.error));
  });
  it('refuses text that does not occur, with the closest match, never a guess', () => {
    const r = applyReplacements(file, [{ old_text: 'function add(a,b) {\n  return a-b;', new_text: 'x' }]);
    assert.ok(!r.ok);
    assert.match(r.error, /not found/);
    assert.match(r.error, /lines 1–2/);
    assert.match(r.error, /function add\(a, b\) \{\n {2}return a - b;/);
  });
  it('applies all replacements or none', () => {
    const r = applyReplacements(file, [
      { old_text: 'function add', new_text: 'function plus' },
      { old_text: 'nope', new_text: '' },
    ]);
    assert.ok(!r.ok && r.error.startsWith('replacement 2 of 2'));
  });
  it('matches LF old_text in a CRLF file and keeps CRLF', () => {
    const crlf = file.replace(/\n/g, '\r\n');
    const r = applyReplacements(crlf, [
      { old_text: 'function add(a, b) {\n  return a - b;', new_text: 'function add(a, b) {\n  return a + b;' },
    ]);
    assert.ok(r.ok);
    assert.ok(r.text.startsWith('function add(a, b) {\r\n  return a + b;\r\n'));
  });
  it('has no closest match in an empty file', () => assert.equal(closestMatch('', 'x'), undefined));
});

describe('checkpoints', () => {
  it('restores every file touched at a step or later to its content before that step', () => {
    const c = new Checkpoints();
    c.record('s1', [{ path: 'a.ts', content: 'a0' }]);
    c.record('s2', [
      { path: 'a.ts', content: 'a1' },
      { path: 'new.ts', content: null },
    ]);
    c.record('s2', [{ path: 'a.ts', content: 'a1-later-ignored' }]);
    assert.deepEqual(c.restorePlan('s2'), [
      { path: 'a.ts', content: 'a1' },
      { path: 'new.ts', content: null },
    ]);
    assert.deepEqual(c.restorePlan('s1'), [
      { path: 'a.ts', content: 'a0' },
      { path: 'new.ts', content: null },
    ]);
    c.forgetFrom('s2');
    assert.equal(c.has('s2'), false);
    assert.equal(c.whyNot('s3'), 'this step wrote nothing');
  });
  it('drops the oldest checkpoints past the cap and says why they cannot be restored', () => {
    const c = new Checkpoints(undefined, 10);
    assert.equal(c.record('s1', [{ path: 'a', content: '123456' }]), true);
    assert.equal(c.record('s2', [{ path: 'b', content: '123456' }]), true);
    assert.equal(c.has('s1'), false);
    assert.match(c.whyNot('s1') ?? '', /size cap/);
    assert.equal(c.record('s3', [{ path: 'c', content: 'x'.repeat(50) }]), false);
    assert.ok(c.total() <= 10);
    const copy = new Checkpoints(JSON.parse(JSON.stringify(c.data())), 10);
    assert.deepEqual(copy.restorePlan('s2'), [{ path: 'b', content: '123456' }]);
  });
});

describe('transcript', () => {
  it('replays tool calls with their ids and reasoning_details verbatim', () => {
    const details = [{ type: 'reasoning.encrypted', data: 'x', index: 0 }];
    const m = assistantMessage(
      '',
      [{ index: 0, id: 'toolu_01', name: 'read_file', arguments: '{"path":"a"}' }],
      details,
    );
    assert.deepEqual(m, {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }],
      reasoning_details: details,
    });
    assert.deepEqual(toolMessage('toolu_01', 'ok'), { role: 'tool', tool_call_id: 'toolu_01', content: 'ok' });
  });
  it('elides the oldest tool results first, keeps the latest and every id pair', () => {
    const messages: AgentMessage[] = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'u' },
    ];
    for (const [i, p] of ['src/x.ts', 'src/y.ts', 'src/z.ts'].entries()) {
      messages.push(
        assistantMessage(
          '',
          [{ index: 0, id: `c${i}`, name: 'read_file', arguments: JSON.stringify({ path: p }) }],
          [],
        ),
      );
      messages.push(toolMessage(`c${i}`, 'x'.repeat(4000)));
    }
    const len = (t: string): number => Math.ceil(t.length / 4);
    const { messages: out, elided } = trimTranscript(messages, 1200, len);
    assert.equal(elided, 2);
    assert.equal(out.length, messages.length);
    assert.deepEqual(out[3], { role: 'tool', tool_call_id: 'c0', content: 'output of read_file src/x.ts elided' });
    assert.deepEqual(out[5], { role: 'tool', tool_call_id: 'c1', content: 'output of read_file src/y.ts elided' });
    assert.equal(out[7], messages[7]);
    assert.equal(trimTranscript(messages, 1e9, len).elided, 0);
  });
  it('caps output keeping head and tail and states the cut', () => {
    const text = 'H'.repeat(100) + 'M'.repeat(1000) + 'T'.repeat(100);
    const capped = capOutput(text, 200);
    assert.ok(capped.startsWith('H'.repeat(80)) && capped.endsWith('T'.repeat(100)));
    assert.match(capped, /1000 characters cut/);
  });
});
