/**
 * VS Code's language-model messages ⇄ OpenRouter's wire (src/languageModel/): every part type,
 * tool-call ids kept both ways, images as image_url parts, tools and tool_choice, tool calls
 * assembled from streamed deltas, prompt-tsx tool results, and failures → the API's error codes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toWireMessages, toWireToolChoice, toWireTools, needsVision, imageUrlOf } from '../../src/languageModel/toWire';
import { ResponseStream, toolCallParts } from '../../src/languageModel/response';
import { ToolCallAssembler } from '../../src/turn/deltas';
import { promptTsxText } from '../../src/languageModel/promptTsx';
import { lmErrorCode, lmErrorView } from '../../src/languageModel/errors';
import { FITTED_CACHE_SIZE } from '../../src/openrouter/schemaFit';
import type { LmMessage, LmResponsePart } from '../../src/languageModel/types';
import {
  FailureError,
  abortedFailure,
  noKeyFailure,
  routeRefusedFailure,
  type Failure,
} from '../../src/openrouter/failures';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('VS Code messages → OpenRouter messages', () => {
  it("keeps system, user and assistant text in order, joining a message's text parts", () => {
    const wire = toWireMessages([
      {
        role: 'system',
        content: [
          { kind: 'text', text: 'You are ' },
          { kind: 'text', text: 'helpful.' },
        ],
      },
      { role: 'user', content: [{ kind: 'text', text: 'hi' }] },
      {
        role: 'assistant',
        content: [
          { kind: 'text', text: 'hello' },
          { kind: 'thinking', text: 'never sent back' },
        ],
      },
    ]);
    assert.deepEqual(wire, [
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ]);
  });

  it('sends tool calls with their ids and JSON arguments, and each result as a tool message with the same id, right after', () => {
    const messages: LmMessage[] = [
      { role: 'user', content: [{ kind: 'text', text: 'read two files' }] },
      {
        role: 'assistant',
        content: [
          { kind: 'text', text: 'Reading.' },
          { kind: 'toolCall', callId: 'call_A', name: 'read_file', input: { path: 'a.ts' } },
          { kind: 'toolCall', callId: 'toolu_B', name: 'list', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { kind: 'toolResult', callId: 'call_A', content: [{ kind: 'text', text: 'export const a = 1;' }] },
          { kind: 'toolResult', callId: 'toolu_B', content: [], isError: true },
          { kind: 'text', text: 'and then?' },
        ],
      },
    ];
    const wire = toWireMessages(messages);
    assert.deepEqual(wire[1], {
      role: 'assistant',
      content: 'Reading.',
      tool_calls: [
        { id: 'call_A', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
        { id: 'toolu_B', type: 'function', function: { name: 'list', arguments: '{}' } },
      ],
    });
    assert.deepEqual(wire.slice(2), [
      { role: 'tool', tool_call_id: 'call_A', content: 'export const a = 1;' },
      { role: 'tool', tool_call_id: 'toolu_B', content: 'Error: (no output)' },
      { role: 'user', content: 'and then?' },
    ]);
  });

  it('an assistant turn of tool calls only has null content; odd inputs become "{}"', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const input of [undefined, null, cyclic]) {
      const [m] = toWireMessages([
        { role: 'assistant', content: [{ kind: 'toolCall', callId: 'c1', name: 't', input }] },
      ]);
      assert.deepEqual(m, {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 't', arguments: '{}' } }],
      });
    }
  });

  it('sends images as image_url data URLs, typed by their bytes, with the text first', () => {
    for (const [bytes, mime] of [
      [PNG, 'image/png'],
      [JPEG, 'image/jpeg'],
    ] as const) {
      const wire = toWireMessages([
        {
          role: 'user',
          content: [
            { kind: 'data', mimeType: 'image/whatever', data: bytes },
            { kind: 'text', text: 'what is this?' },
          ],
        },
      ]);
      assert.deepEqual(wire, [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: `data:${mime};base64,${Buffer.from(bytes).toString('base64')}` } },
          ],
        },
      ]);
      assert.equal(needsVision(wire), true);
    }
  });

  it('leaves out data that is not an image it can name, decodes text and JSON data, ignores cache hints', () => {
    assert.equal(imageUrlOf('image/png', utf8('not a png')), undefined);
    assert.equal(imageUrlOf('application/pdf', PNG), undefined);
    const wire = toWireMessages([
      {
        role: 'user',
        content: [
          { kind: 'data', mimeType: 'image/png', data: utf8('<svg/>') },
          { kind: 'data', mimeType: 'cache_control', data: utf8('ephemeral') },
          { kind: 'data', mimeType: 'application/json', data: utf8('{"a":1}') },
          { kind: 'data', mimeType: 'text/plain', data: utf8(' ok') },
        ],
      },
    ]);
    assert.deepEqual(wire, [{ role: 'user', content: '{"a":1} ok' }]);
    assert.equal(needsVision(wire), false);
  });

  it('images a tool returned follow the tool messages as a user turn (tool messages carry text only)', () => {
    const wire = toWireMessages([
      {
        role: 'user',
        content: [
          { kind: 'toolResult', callId: 'shot', content: [{ kind: 'data', mimeType: 'image/png', data: PNG }] },
        ],
      },
    ]);
    assert.equal(wire.length, 2);
    assert.deepEqual(wire[0], {
      role: 'tool',
      tool_call_id: 'shot',
      content: '(the tool returned an image; it follows)',
    });
    assert.equal(wire[1]!.role, 'user');
    assert.ok(needsVision(wire));
  });

  it("sends an earlier answer's reasoning_details back verbatim (from its thinking part), never its thinking text", () => {
    const details = [
      { type: 'reasoning.encrypted', data: 'opaque', id: 'r1' },
      { type: 'reasoning.text', text: 'why', signature: 'sig_1' },
    ];
    const [withCall, plain] = toWireMessages([
      {
        role: 'assistant',
        content: [
          { kind: 'thinking', text: 'shown only', details },
          { kind: 'toolCall', callId: 'c1', name: 't', input: {} },
        ],
      },
      {
        role: 'assistant',
        content: [
          { kind: 'thinking', text: 'no details' },
          { kind: 'text', text: 'done' },
        ],
      },
    ]);
    assert.deepEqual(withCall, {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 't', arguments: '{}' } }],
      reasoning_details: details,
    });
    assert.deepEqual(plain, { role: 'assistant', content: 'done' });
  });

  it('an empty user message stays a (blank) user turn', () => {
    assert.deepEqual(toWireMessages([{ role: 'user', content: [] }]), [{ role: 'user', content: '' }]);
  });
});

describe('tools', () => {
  it('become function tools (an empty object schema when none), with tool_choice from the tool mode', () => {
    const tools = [
      {
        name: 'read_file',
        description: 'Reads',
        inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
      },
      { name: 'now', description: 'Time' },
    ];
    assert.deepEqual(toWireTools(tools), [
      { type: 'function', function: { name: 'read_file', description: 'Reads', parameters: tools[0]!.inputSchema } },
      {
        type: 'function',
        function: { name: 'now', description: 'Time', parameters: { type: 'object', properties: {} } },
      },
    ]);
    assert.equal(toWireToolChoice(tools, 'auto'), 'auto');
    assert.equal(toWireToolChoice(tools, 'required'), 'required');
    assert.equal(toWireToolChoice([], 'required'), undefined);
  });
});

describe('tools handed over by VS Code (other extensions, MCP servers)', () => {
  it('go out with schemas every provider accepts: required names a node does not define and $schema left out', () => {
    const [wire] = toWireTools([
      {
        name: 'obsidian_patch',
        description: 'Patch a note',
        inputSchema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: { path: { type: 'string' }, body: { type: 'string', required: ['x'] } },
          required: ['path', 'position', 'args'],
        },
      },
    ]);
    assert.deepEqual(wire!.function.parameters, {
      type: 'object',
      properties: { path: { type: 'string' }, body: { type: 'string' } },
      required: ['path'],
    });
  });
});

describe('tool schemas over a long VS Code Chat session', () => {
  const schema = (extra: Record<string, unknown> = {}) => ({
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { path: { type: 'string' }, ...extra },
    required: ['path', 'missing'],
  });
  const parametersOf = (inputSchema: object) =>
    toWireTools([{ name: 'patch', description: 'Patch', inputSchema }])[0]!.function.parameters;

  it('fits a schema once: the next request (a fresh copy from VS Code) gets the same fitted object', () => {
    const first = parametersOf(schema());
    const second = parametersOf(schema());
    assert.equal(second, first, 'the fitted schema is reused, not made again');
    assert.deepEqual(second, { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] });
  });

  it('fits a changed schema again', () => {
    const before = parametersOf(schema());
    const changed = parametersOf(schema({ body: { type: 'string' } }));
    assert.notEqual(changed, before);
    assert.deepEqual(changed, {
      type: 'object',
      properties: { path: { type: 'string' }, body: { type: 'string' } },
      required: ['path'],
    });
  });

  it('keeps at most FITTED_CACHE_SIZE schemas: the least recently used is fitted again', () => {
    const kept = parametersOf(schema({ kept: { type: 'number' } }));
    const dropped = parametersOf(schema({ dropped: { type: 'number' } }));
    for (let i = 0; i < FITTED_CACHE_SIZE - 1; i++) {
      parametersOf(schema({ [`p${i}`]: { type: 'number' } }));
      if (i % 100 === 0) parametersOf(schema({ kept: { type: 'number' } }));
    }
    assert.equal(parametersOf(schema({ kept: { type: 'number' } })), kept, 'one in use stays');
    assert.notEqual(parametersOf(schema({ dropped: { type: 'number' } })), dropped, 'one unused is let go');
  });
});

describe('OpenRouter stream → VS Code parts', () => {
  it('text and thinking go out as they arrive; tool calls once the attempt finished, ids and parsed input kept', () => {
    const parts: LmResponsePart[] = [];
    const stream = new ResponseStream((p) => parts.push(p));
    const calls = new ToolCallAssembler();
    stream.beginAttempt();
    stream.thinking('hmm');
    stream.text('Let me ');
    calls.push([{ index: 0, id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"pa' } }]);
    stream.text('look.');
    calls.push([
      { index: 1, id: 'call_2', function: { name: 'list', arguments: '' } },
      { index: 0, function: { arguments: 'th":"a.ts"}' } },
    ]);
    assert.equal(parts.filter((p) => p.kind === 'toolCall').length, 0, 'no call before the turn ends');
    assert.equal(stream.finish(calls.finish()), 2);
    assert.deepEqual(parts, [
      { kind: 'thinking', text: 'hmm' },
      { kind: 'text', text: 'Let me ' },
      { kind: 'text', text: 'look.' },
      { kind: 'toolCall', callId: 'call_1', name: 'read_file', input: { path: 'a.ts' } },
      { kind: 'toolCall', callId: 'call_2', name: 'list', input: {} },
    ]);
  });

  it('keeps the text of the running attempt only (what a continuation after a break starts from)', () => {
    const parts: LmResponsePart[] = [];
    const stream = new ResponseStream((p) => parts.push(p));
    stream.text('partial');
    assert.equal(stream.streamedText, 'partial');
    stream.beginAttempt();
    assert.equal(stream.streamedText, '');
    stream.text('');
    assert.equal(parts.length, 1, 'empty pieces are not reported');
  });

  it('arguments that are not a JSON object are said as text, never run; a call without an id gets one', () => {
    for (const args of ['{"path": ', '[1,2]', '"text"', 'null']) {
      const [part] = toolCallParts([{ index: 0, id: 'c', name: 'read_file', arguments: args }]);
      assert.equal(part!.kind, 'text', args);
      assert.match(part!.kind === 'text' ? part!.text : '', /read_file.*not a JSON object/);
    }
    const [nameless] = toolCallParts([{ index: 0, id: 'c', name: '', arguments: '{}' }]);
    assert.equal(nameless!.kind, 'text');
  });
});

describe('prompt-tsx tool results', () => {
  it('are reduced to their text pieces in order, with line breaks where asked', () => {
    const json = {
      node: {
        type: 1,
        ctor: 2,
        ctorName: 'ToolResult',
        children: [
          { type: 2, text: 'File a.ts:', priority: 1 },
          {
            type: 1,
            ctor: 2,
            children: [
              { type: 2, text: 'line 1', lineBreakBefore: true },
              { type: 2, text: 'line 2', lineBreakBefore: true },
            ],
          },
        ],
      },
    };
    assert.equal(promptTsxText(json), 'File a.ts:\nline 1\nline 2');
  });
  it('survive hostile shapes (deep nesting, wrong types)', () => {
    let deep: unknown = { text: 'bottom' };
    for (let i = 0; i < 200; i++) deep = { children: [deep] };
    assert.equal(promptTsxText(deep), '');
    assert.equal(promptTsxText({ node: { children: [42, null, 'raw', { text: 7 }] } }), 'raw');
  });
});

describe('failures → LanguageModelError codes', () => {
  const cases: [Failure, string][] = [
    [noKeyFailure(), 'NoPermissions'],
    [{ kind: 'credits', title: 'Out of credits', message: 'Add credits.', retryable: false }, 'NoPermissions'],
    [routeRefusedFailure('The per-day budget of $0.01 would be crossed.'), 'Blocked'],
    [{ kind: 'moderation', title: 'Flagged', message: 'Flagged.', retryable: false }, 'Blocked'],
    [
      { kind: 'noEndpoints', title: 'No endpoints', message: 'No endpoints found.', retryable: false, status: 404 },
      'NotFound',
    ],
    [
      { kind: 'server', title: 'Unavailable', message: 'Provider returned 503.', retryable: true, status: 503 },
      'Unknown',
    ],
    [{ kind: 'rateLimit', title: 'Rate limited', message: 'Slow down.', retryable: true, status: 429 }, 'Unknown'],
  ];
  it("map by kind, with the failure's own words and the fix in the message", () => {
    for (const [failure, code] of cases) {
      assert.equal(lmErrorCode(failure), code, failure.kind);
      const view = lmErrorView(new FailureError(failure));
      assert.equal(view.code, code);
      assert.ok(view.message.includes(failure.message), view.message);
      if (failure.action) assert.ok(view.message.includes(failure.action.label));
      assert.equal(view.cancelled, false);
    }
  });
  it('no key reaches the chat, whatever text the failure was built with', () => {
    const keys = [
      'sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
      'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ];
    for (const key of keys)
      for (const failure of [
        { kind: 'auth' as const, title: 'Key refused', message: `The key ${key} was refused.`, retryable: false },
        { kind: 'server' as const, title: `Upstream said ${key}`, message: 'Try again.', retryable: true },
      ]) {
        const view = lmErrorView(new FailureError(failure));
        assert.ok(!view.message.includes(key.replace(/^Bearer /, '')), view.message);
        assert.match(view.message, /\[redacted\]/);
      }
  });
  it('Stop is a cancellation, not an error; an unknown error says where to look and nothing else', () => {
    assert.equal(lmErrorView(new FailureError(abortedFailure(false))).cancelled, true);
    const view = lmErrorView(new Error('sk-or-v1-secretsecretsecret leaked'));
    assert.equal(view.code, 'Unknown');
    assert.doesNotMatch(view.message, /sk-or/);
  });
});
