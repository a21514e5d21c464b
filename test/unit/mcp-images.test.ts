/**
 * Images in MCP tool results (issue 22): checked before anything is stored or sent (type by the
 * bytes, size, count), kept in the transcript as stored files, sent to a vision model as a user
 * turn of `image_url` parts after the results and named as left out to any other model, counted
 * in context fitting, dropped first when the context is full, and their thumbnails' sources made
 * again from the store. Pure parts, and the bridge with a hub and an image store in memory.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactedTranscript, planCompaction } from '../../src/agent/compaction';
import type { ExtraCallContext } from '../../src/agent/extras';
import { messageTokens } from '../../src/agent/tokenCount';
import {
  imageTokens,
  MAX_TOOL_IMAGES_PER_REQUEST,
  TOOL_IMAGES_NOTE,
  toolImagesForModel,
  toolImagesMessage,
  toolImageUrls,
  withImageSources,
  type ToolImageRef,
} from '../../src/agent/toolImages';
import { trimTranscript, type AgentMessage } from '../../src/agent/transcript';
import { agentDraft } from '../../src/agent/turn';
import { IMAGE_TOKENS } from '../../src/context/images';
import { McpBridge, type McpHub } from '../../src/mcp/bridge';
import { checkResultImages } from '../../src/mcp/resultImages';
import { checkArguments } from '../../src/mcp/validate';
import type { ToolCallView } from '../../src/protocol/agentViews';
import { MAX_IMAGE_BYTES } from '../../src/protocol/images';
import type { ChatMessageView } from '../../src/protocol/messages';
import { attemptBody } from '../../src/turn/attemptBody';
import { MemoryImages } from '../faults/memoryImages';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const b64 = (bytes: number[] | string): string => Buffer.from(bytes as never).toString('base64');
const JPEG = b64([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);
const GIF = b64('GIF89a\x01\x00\x01\x00');
const WEBP = b64('RIFF\x00\x00\x00\x00WEBPVP8 ');
const SVG = b64('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

const ref = (n: number, callId = 'c1', tool = 'shop__chart'): ToolImageRef => ({
  id: `${callId}#${n}`,
  name: `image ${n} from ${tool}`,
  mime: 'image/png',
  bytes: 70,
  file: `${String(n).padStart(64, 'a')}.png`,
  callId,
  tool,
});

const step = (callId: string, images: ToolImageRef[], text = 'chart drawn'): AgentMessage[] => [
  {
    role: 'assistant',
    content: null,
    tool_calls: [{ id: callId, type: 'function', function: { name: 'shop__chart', arguments: '{"month":"May"}' } }],
  },
  { role: 'tool', tool_call_id: callId, content: text },
  ...(images.length ? [toolImagesMessage(images)!] : []),
];

describe('checkResultImages (untrusted server images)', () => {
  it('accepts PNG, JPEG, GIF and WebP whose bytes are what they claim', () => {
    const { accepted, refused } = checkResultImages([
      { mimeType: 'image/png', data: PNG },
      { mimeType: 'image/jpeg', data: JPEG },
      { mimeType: 'image/gif', data: GIF },
      { mimeType: 'image/webp', data: WEBP },
    ]);
    assert.deepEqual(refused, []);
    assert.deepEqual(
      accepted.map((a) => a.mime),
      ['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
    );
  });

  it('refuses an SVG, other types, a lying type, bad base64, an empty and an oversize image, each with a reason', () => {
    const huge = Buffer.alloc(MAX_IMAGE_BYTES + 10);
    Buffer.from(PNG, 'base64').copy(huge);
    const cases: [string, string, RegExp][] = [
      [
        'image/svg+xml',
        SVG,
        /Image 1 \(image\/svg\+xml\) was not sent: only PNG, JPEG, WebP and GIF .*an SVG can carry script/,
      ],
      ['image/bmp', PNG, /Image 1 \(image\/bmp\) was not sent: only PNG, JPEG, WebP and GIF images are\.$/],
      ['', PNG, /Image 1 \(no type\) was not sent/],
      ['image/png', JPEG, /its bytes are image\/jpeg, not image\/png/],
      ['image/png', SVG, /its bytes are not a image\/png image/],
      ['image/png', 'not base64!!', /its data is not base64/],
      ['image/png', '', /its data is not base64/],
      ['image/png', huge.toString('base64'), /was not sent: 5\.0 MiB is over the 5\.0 MiB cap|over the .* cap/],
    ];
    for (const [mimeType, data, reason] of cases) {
      const { accepted, refused } = checkResultImages([{ mimeType, data }]);
      assert.equal(accepted.length, 0, `${mimeType} ${data.slice(0, 12)} is refused`);
      assert.match(refused[0] ?? '', reason);
    }
  });

  it('takes at most five images from one result; the rest are refused, saying so', () => {
    const { accepted, refused } = checkResultImages(
      Array.from({ length: 7 }, () => ({ mimeType: 'image/png', data: PNG })),
    );
    assert.equal(accepted.length, 5);
    assert.deepEqual(refused, [
      'Image 6 was not sent: a tool result carries at most 5 images.',
      'Image 7 was not sent: a tool result carries at most 5 images.',
    ]);
  });
});

describe('tool images on the wire', () => {
  const urls = new Map([[ref(1).file, 'data:image/png;base64,AAA']]);
  const transcript: AgentMessage[] = [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'draw the chart' },
    ...step('c1', [ref(1)]),
  ];

  it('a vision model gets a user turn of image_url parts right after the results, without the images field', () => {
    const wire = toolImagesForModel(transcript, { model: 'anthropic/claude-sonnet-4', canSee: true, urls });
    assert.equal(wire.length, 5);
    assert.deepEqual(wire[3], { role: 'tool', tool_call_id: 'c1', content: 'chart drawn' });
    assert.deepEqual(wire[4], {
      role: 'user',
      content: [
        { type: 'text', text: `${TOOL_IMAGES_NOTE} image 1 from shop__chart.` },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } },
      ],
    });
    assert.ok(!JSON.stringify(wire).includes('"images"'));
  });

  it('any other model gets the result saying its image was left out and why, and no image turn', () => {
    for (const model of ['openai/gpt-4o-mini', 'unknown/model']) {
      const wire = toolImagesForModel(transcript, { model, canSee: false, urls });
      assert.equal(wire.length, 4);
      assert.deepEqual(wire[3], {
        role: 'tool',
        tool_call_id: 'c1',
        content: `chart drawn\n[image 1 from shop__chart left out: ${model} does not accept image input.]`,
      });
      assert.ok(!JSON.stringify(wire).includes('image_url'));
    }
  });

  it('an image turn whose results were compacted away stays as text for a blind model', () => {
    const orphan: AgentMessage[] = [{ role: 'system', content: 's' }, toolImagesMessage([ref(1)])!];
    const wire = toolImagesForModel(orphan, { model: 'm/text', canSee: false, urls });
    assert.equal(wire.length, 2);
    assert.match(wire[1]!.content as string, /\[Left out: m\/text does not accept image input\.\]$/);
  });

  it('a file no longer stored is named; only the newest images are sent again', () => {
    const gone = toolImagesForModel(transcript, { model: 'v', canSee: true, urls: new Map() });
    assert.deepEqual(gone[4], {
      role: 'user',
      content: `${TOOL_IMAGES_NOTE} image 1 from shop__chart.\n[image 1 from shop__chart is no longer stored.]`,
    });
    const many = Array.from({ length: MAX_TOOL_IMAGES_PER_REQUEST + 2 }, (_, i) =>
      step(`c${i}`, [ref(i + 1, `c${i}`)]),
    ).flat();
    const all = new Map(
      many.flatMap((m) => (m.role === 'user' ? (m.images ?? []) : [])).map((r) => [r.file, 'data:x']),
    );
    const wire = toolImagesForModel(many, { model: 'v', canSee: true, urls: all });
    const sent = wire.filter((m) => Array.isArray(m.content) && JSON.stringify(m.content).includes('image_url'));
    assert.equal(sent.length, MAX_TOOL_IMAGES_PER_REQUEST);
    assert.match(JSON.stringify(wire[2]), /image 1 from shop__chart is not sent again \(only the 10 newest are\)/);
  });

  it('every attempt of a step gets the form of its own model (attemptBody applies the draft to each)', () => {
    const draft = agentDraft(transcript, 'anthropic/claude-sonnet-4', 100, 's', [], [], {
      urls,
      canSee: (m) => m.startsWith('anthropic/'),
    });
    const env = { modelInfo: () => undefined };
    const body = (model: string) => JSON.stringify(attemptBody(draft, { model } as never, env).body.messages);
    assert.match(body('anthropic/claude-sonnet-4'), /image_url/);
    assert.doesNotMatch(body('openai/gpt-4o-mini'), /image_url/);
    assert.match(body('openai/gpt-4o-mini'), /left out: openai\/gpt-4o-mini does not accept image input/);
    assert.equal(agentDraft(transcript.slice(0, 2), 'm', 1, 's').forModel, undefined, 'no images: no reshaping');
  });

  it('reads the data URLs from the store, once per file; a read that fails leaves the image out', async () => {
    const store = new MemoryImages();
    const file = await store.save(Buffer.from(PNG, 'base64'), 'image/png');
    const mine = { ...ref(1), file };
    const broken = { ...ref(2), file: `${'b'.repeat(64)}.png` };
    const found = await toolImageUrls([toolImagesMessage([mine, mine, broken])!], store);
    assert.deepEqual([...found.keys()], [file]);
    assert.equal(found.get(file), `data:image/png;base64,${PNG}`);
  });
});

describe('tool images in context fitting', () => {
  const tokens = (t: string) => Math.ceil(t.length / 4);

  it('count as the chat counts an image, and stored junk is not counted', () => {
    const m = toolImagesMessage([ref(1), ref(2)])!;
    assert.equal(imageTokens(m), 2 * IMAGE_TOKENS);
    assert.equal(messageTokens(tokens)(m), tokens(m.content as string) + 4 + 2 * IMAGE_TOKENS);
    const junk = { role: 'user', content: 'x', images: [{ file: '../../etc/passwd' }] } as unknown as AgentMessage;
    assert.equal(imageTokens(junk), 0);
  });

  it('older images are left out before any tool result is elided, and the newest stay', () => {
    const messages: AgentMessage[] = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'go' },
      ...step('c1', [ref(1, 'c1')], 'a'.repeat(400)),
      ...step('c2', [ref(2, 'c2')], 'b'.repeat(400)),
      ...step('c3', [ref(3, 'c3')], 'c'.repeat(400)),
    ];
    const full = messages.reduce((n, m) => n + messageTokens(tokens)(m), 0);
    const { messages: out, elided } = trimTranscript(messages, full - IMAGE_TOKENS + 100, tokens);
    assert.equal(elided, 0, 'no result elided: one image was enough');
    assert.match(out[4]!.content as string, /\[This image was left out to fit the context window\.\]$/);
    assert.equal(imageTokens(out[4]!), 0);
    assert.equal(imageTokens(out[7]!), IMAGE_TOKENS);
    assert.equal(imageTokens(out[10]!), IMAGE_TOKENS, 'the newest image stays');
    const tight = trimTranscript(messages, 300, tokens);
    assert.equal(imageTokens(tight.messages[10]!), IMAGE_TOKENS);
    assert.ok(tight.elided > 0);
    assert.equal(tight.messages.filter((m) => imageTokens(m) > 0).length, 1);
  });

  it('a compaction says how many images it left out with the summarized steps', () => {
    const messages: AgentMessage[] = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'go' },
      ...step('c1', [ref(1, 'c1'), ref(2, 'c1')]),
      ...step('c2', []),
      ...step('c3', []),
    ];
    const plan = planCompaction(messages, 2)!;
    const out = compactedTranscript(plan, 'summary');
    assert.match(out[1]!.content as string, /2 images that tools returned in those steps were left out/);
    assert.equal(out.filter((m) => imageTokens(m) > 0).length, 0);
  });
});

describe('the MCP bridge keeps a result’s images', () => {
  const hub = (content: unknown[]): McpHub => ({
    tools: () => [{ server: 'shop', tools: [{ name: 'chart', inputSchema: { type: 'object' } }] }],
    call: async () => ({ content }),
    check: checkArguments,
    approvalState: () => ({ trustedServers: new Set(['shop']), alwaysTools: new Set(), alwaysServers: new Set() }),
    allowTool: async () => undefined,
    allowServer: async () => undefined,
  });
  const context = (changes: Partial<ToolCallView>[]): ExtraCallContext => ({
    signal: new AbortController().signal,
    show: async () => ({ approve: true }),
    update: (c) => changes.push(c),
  });

  it('stores the good ones (the card shows them), refuses the rest in the result, and hands the refs to the loop', async () => {
    const store = new MemoryImages();
    const bridge = new McpBridge(
      hub([
        { type: 'text', text: 'May' },
        { type: 'image', mimeType: 'image/png', data: PNG },
        { type: 'image', mimeType: 'image/svg+xml', data: SVG },
      ]),
      {
        reserved: [],
        tokens: (t) => t.length,
        maxResultChars: 10_000,
        images: store,
      },
    );
    bridge.functions(100_000);
    const changes: Partial<ToolCallView>[] = [];
    const outcome = await bridge.run(
      { index: 0, id: 'call_9', name: 'shop__chart', arguments: '{}' },
      context(changes),
    );
    assert.equal(outcome.status, 'done');
    assert.equal(store.files.size, 1);
    const [file] = store.files.keys();
    assert.deepEqual(outcome.images, [
      {
        id: 'call_9#1',
        name: 'image 1 from shop__chart',
        mime: 'image/png',
        bytes: 70,
        file,
        callId: 'call_9',
        tool: 'shop__chart',
      },
    ]);
    assert.match(
      outcome.content,
      /^May\n\[image 1: image\/png, 0 KiB\]\n\[image 2: image\/svg\+xml, 0 KiB\]\n\[Image 2 \(image\/svg\+xml\) was not sent/,
    );
    const done = changes.at(-1)!;
    assert.equal(done.summary, '4 lines, 1 image, 1 refused');
    assert.deepEqual(done.images, [
      { name: 'image 1 from shop__chart', file, src: `https://images.test/${file}`, mime: 'image/png', bytes: 70 },
    ]);
  });

  it('without a store the images are named and refused, never sent', async () => {
    const bridge = new McpBridge(hub([{ type: 'image', mimeType: 'image/png', data: PNG }]), {
      reserved: [],
      tokens: (t) => t.length,
      maxResultChars: 10_000,
    });
    bridge.functions(100_000);
    const outcome = await bridge.run({ index: 0, id: 'c', name: 'shop__chart', arguments: '{}' }, context([]));
    assert.equal(outcome.images, undefined);
    assert.match(outcome.content, /image 1 from shop__chart was not kept: this window has no extension storage/);
  });
});

describe('thumbnails after a reload', () => {
  it('take their source from the store again; a file name that is not the store’s shows no picture', () => {
    const good = `${'c'.repeat(64)}.png`;
    const messages = [
      {
        id: 'm',
        role: 'assistant',
        text: '',
        status: 'done',
        createdAt: 0,
        tools: [
          {
            id: 't',
            tool: 'shop__chart',
            title: 'chart',
            state: 'done',
            images: [
              { name: 'a', file: good, src: 'stale', mime: 'image/png', bytes: 1 },
              { name: 'b', file: '../x.png', src: 'stale', mime: 'image/png', bytes: 1 },
            ],
          },
        ],
      },
    ] as ChatMessageView[];
    const out = withImageSources(messages, (f) => `fresh/${f}`);
    assert.deepEqual(
      out[0]!.tools![0]!.images!.map((i) => i.src),
      [`fresh/${good}`, ''],
    );
    const plain = [{ id: 'x', role: 'user', text: 'hi', status: 'done', createdAt: 0 }] as ChatMessageView[];
    assert.equal(
      withImageSources(plain, () => 'x'),
      plain,
    );
  });
});
