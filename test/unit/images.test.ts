/**
 * Images in the chat (issue 13): the rules (types by their bytes, the 5 MiB cap, data URLs), and
 * a chat session against the fake OpenRouter — an image attached, sent as an `image_url` part in
 * a body the OpenAPI `ChatRequest` accepts, planned with `needsVision`; refused before sending
 * for a picked model that cannot see; kept as a file reference in the history and shown again
 * after a reload.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ChatSession, type ChatSettings } from '../../src/chat/chatSession';
import type { StoredMessage } from '../../src/chat/conversation';
import { HistoryStore } from '../../src/chat/history';
import {
  checkImage,
  decodeImageDataUrl,
  imageDataUrl,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_DATA_URL,
  MAX_IMAGES_PER_MESSAGE,
  sniffImageMime,
  type ImageMime,
  type ImageStore,
} from '../../src/chat/images';
import type { KeyRing } from '../../src/turn/keyRing';
import { AUTO_BY_TASK } from '../../src/config/defaults';
import type { RawRoutingSettings } from '../../src/config/routingSettings';
import { parseCatalogue, type ModelInfo } from '../../src/openrouter/catalogue';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { WireContentPart } from '../../src/openrouter/wire';
import { parseWebviewMessage, type ChatMessageView, type HostToWebview } from '../../src/protocol/messages';
import type { RouteRequest } from '../../src/routing/types';
import { contentText } from '../../src/chat/prompt';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server';
import { loadChatRequestValidator, specOrSkip } from '../fake-openrouter/spec';
import { MemoryStore, testRouter, VirtualTime } from '../faults/session';
import { MemoryImages } from '../faults/memoryImages';
import { formatBytes } from '../../src/protocol/units';
import type { HistoryEntry } from '../../src/protocol/history';
import { toolImagesMessage } from '../../src/agent/toolImages';

/** A real 1×1 PNG. */
const PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);
const PNG_URL = `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`;
/** The first bytes of each type, padded (the checks read the magic numbers, not the rest). */
const HEADS: Readonly<Record<ImageMime, number[]>> = {
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff, 0xe0],
  'image/webp': [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50],
  'image/gif': [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
};
const bytesOf = (mime: ImageMime, size = 64): Uint8Array => {
  const out = new Uint8Array(size);
  out.set(HEADS[mime]);
  return out;
};

/** A Past Chats entry of an agent task. */
const taskEntry = (id: string): HistoryEntry => ({
  id,
  kind: 'task',
  mode: 'agent',
  title: `task ${id}`,
  createdAt: 1,
  updatedAt: 1,
  messageCount: 1,
});

/** A stored task record whose MCP tool returned these image files: on its card and in its transcript. */
function taskWithImages(id: string, files: readonly string[]): unknown {
  const refs = files.map((file, i) => ({
    id: `${id}-${i}`,
    name: `image ${i + 1} from shop__chart`,
    mime: 'image/png' as const,
    bytes: 64,
    file,
    callId: 'call-1',
    tool: 'shop__chart',
  }));
  return {
    id,
    mode: 'agent',
    messages: [
      {
        id: `${id}-a`,
        role: 'assistant',
        text: '',
        status: 'done',
        createdAt: 1,
        tools: [
          {
            id: 'call-1',
            tool: 'shop__chart',
            title: 'shop: chart',
            state: 'done',
            images: refs.map((r) => ({ ...r, src: '' })),
          },
        ],
      },
    ],
    transcript: [toolImagesMessage(refs)],
    steps: 1,
    spentUsd: 0,
    outcome: 'finished',
  };
}

const VISION = 'anthropic/claude-sonnet-4';
const TEXT_ONLY = 'openai/gpt-4o-mini';

let fake: FakeOpenRouter;
let models: readonly ModelInfo[];
let validator: ReturnType<typeof loadChatRequestValidator>;

interface Harness {
  session: ChatSession;
  posted: HostToWebview[];
  routed: RouteRequest[];
  settings: { value: ChatSettings };
}

function harness(
  store = new MemoryStore(),
  images: ImageStore | null = new MemoryImages(),
  model = VISION,
  fallbackModels: string[] = [],
  routing?: RawRoutingSettings,
): Harness {
  const posted: HostToWebview[] = [];
  const routed: RouteRequest[] = [];
  const settings = { value: { model, fallbackModels, maxOutputTokens: 1024 } };
  let id = 0;
  const key = 'sk-or-v1-images-test-0000000000';
  const ring: KeyRing = {
    refs: async () => [{ id: 'k1', label: 'key 1' }],
    secret: async () => key,
    report: () => undefined,
  };
  const time = new VirtualTime();
  const router = testRouter({
    baseUrl: fake.baseUrl,
    models,
    apiKey: key,
    ...(routing ? { routing } : {}),
    fallbackModels: () => settings.value.fallbackModels,
    time,
    maxWaitMs: 3000,
    timeoutSeconds: 3,
    onPlan: ({ request }) => routed.push(request),
  });
  const session = new ChatSession(
    {
      keys: ring,
      client: (apiKey) => new OpenRouterClient({ baseUrl: fake.baseUrl, apiKey, timeoutSeconds: 3 }),
      settings: () => settings.value,
      modelInfo: (m) => models.find((x) => x.id === m),
      router,
      confirm: async () => true,
      post: (m) => posted.push(m),
      ...(images ? { images } : {}),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      newId: () => `id-${++id}`,
      now: () => time.now(),
    },
    new HistoryStore(store),
  );
  return { session, posted, routed, settings };
}

const lastOf = <T extends HostToWebview['type']>(
  h: Harness,
  type: T,
): Extract<HostToWebview, { type: T }> | undefined =>
  h.posted.filter((m): m is Extract<HostToWebview, { type: T }> => m.type === type).at(-1);

function lastAnswer(h: Harness): ChatMessageView {
  const message = lastOf(h, 'messageUpdated')?.message;
  assert.ok(message, 'an answer was finished');
  return message;
}

const chips = (h: Harness) => lastOf(h, 'attachments')?.attachments ?? [];
const userContentOf = (body: unknown): string | readonly WireContentPart[] => {
  const messages = (body as { messages: { role: string; content: string | WireContentPart[] }[] }).messages;
  return messages.filter((m) => m.role === 'user').at(-1)!.content;
};

before(async () => {
  validator = loadChatRequestValidator();
  fake = await startFakeOpenRouter();
  models = parseCatalogue(await (await fetch(`${fake.baseUrl}/models`)).json()).models;
});
after(async () => {
  await fake.close();
});
beforeEach(() => fake.clearRequests());

describe('image rules', () => {
  it('knows PNG, JPEG, WebP and GIF by their bytes, whatever the name says', () => {
    for (const mime of Object.keys(HEADS) as ImageMime[]) {
      assert.equal(sniffImageMime(bytesOf(mime)), mime);
      assert.deepEqual(checkImage('x.png', bytesOf(mime)), { ok: true, mime });
    }
    assert.equal(sniffImageMime(PNG), 'image/png');
    // BMP, SVG (text), a PDF, a truncated PNG header, a RIFF that is not WebP (WAV).
    for (const other of [
      [0x42, 0x4d, 1, 2],
      [...Buffer.from('<svg xmlns=')],
      [...Buffer.from('%PDF-1.7')],
      [0x89, 0x50, 0x4e, 0x47],
      [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x41, 0x56, 0x45],
    ]) {
      const check = checkImage('photo.png', Uint8Array.from(other));
      assert.equal(check.ok, false);
      assert.match((check as { reason: string }).reason, /^photo\.png is not a PNG, JPEG, WebP or GIF image/);
    }
  });

  it('caps an image at 5 MiB: exactly the cap passes, one byte more is refused with its size and the cap', () => {
    assert.equal(MAX_IMAGE_BYTES, 5 * 1024 * 1024);
    assert.equal(checkImage('big.jpg', bytesOf('image/jpeg', MAX_IMAGE_BYTES)).ok, true);
    const over = checkImage('big.jpg', bytesOf('image/jpeg', MAX_IMAGE_BYTES + 1));
    assert.deepEqual(over, {
      ok: false,
      reason:
        "big.jpg is 5 MiB; images up to 5 MiB are sent (the strictest vision provider's limit). Shrink or crop it and attach it again.",
    });
    const far = checkImage('huge.png', bytesOf('image/png', 12 * 1024 * 1024 + 300_000));
    assert.match((far as { reason: string }).reason, /^huge\.png is 12\.3 MiB; images up to 5 MiB are sent/);
    assert.match((checkImage('empty.png', new Uint8Array()) as { reason: string }).reason, /empty\.png is empty/);
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(2048), '2 KiB');
  });

  it('lets the largest image through the protocol: its data URL fits the attachImage bound', () => {
    const largest = `data:image/jpeg;base64,${'A'.repeat(Math.ceil(MAX_IMAGE_BYTES / 3) * 4)}`;
    assert.ok(largest.length <= MAX_IMAGE_DATA_URL, `${largest.length} > ${MAX_IMAGE_DATA_URL}`);
    assert.equal(parseWebviewMessage({ type: 'attachImage', name: 'big.jpg', dataUrl: largest }).ok, true);
    const over = parseWebviewMessage({
      type: 'attachImage',
      name: 'big.jpg',
      dataUrl: 'x'.repeat(MAX_IMAGE_DATA_URL + 1),
    });
    assert.equal(over.ok, false);
  });

  it('reads only base64 data URLs of the four types; the round trip keeps every byte', () => {
    const decoded = decodeImageDataUrl('a.png', PNG_URL);
    assert.ok(decoded.ok);
    assert.deepEqual([...decoded.bytes], [...PNG]);
    assert.equal(imageDataUrl('image/png', PNG), PNG_URL);
    for (const bad of [
      'https://example.com/a.png',
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:image/png,plain',
      `data:image/png;base64,${'%'.repeat(10)}`,
      'data:text/html;base64,PGI+',
    ]) {
      const result = decodeImageDataUrl('a.png', bad);
      assert.deepEqual(
        result,
        { ok: false, reason: 'a.png could not be read as a PNG, JPEG, WebP or GIF image.' },
        bad,
      );
    }
  });
});

describe('the fake OpenRouter and images', () => {
  const post = (model: string) =>
    fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-or-v1-images-test-0000000000', 'content-type': 'application/json' },
      body: JSON.stringify({
        model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: PNG_URL } },
            ],
          },
        ],
      }),
    });

  it('lists vision models (input_modalities with image) and text-only ones', () => {
    assert.equal(models.find((m) => m.id === VISION)?.supportsVision, true);
    assert.equal(models.find((m) => m.id === 'google/gemini-2.5-flash')?.supportsVision, true);
    assert.equal(models.find((m) => m.id === TEXT_ONLY)?.supportsVision, false);
  });

  it('answers image parts on a vision model and says it saw them; refuses them on a text-only model as OpenRouter does', async () => {
    const seen = (await (await post(VISION)).json()) as { choices: { message: { content: string } }[] };
    assert.match(
      seen.choices[0]!.message.content,
      /^Echo from anthropic\/claude-sonnet-4: What is this\? \[saw 1 image\]/,
    );
    const refused = await post(TEXT_ONLY);
    assert.equal(refused.status, 404);
    assert.match(JSON.stringify(await refused.json()), /No endpoints found that support image input/);
  });
});

describe('images in a chat session', () => {
  it('an attached image is a chip with a thumbnail source and its size, and goes as an image_url part the spec accepts, planned for vision', async (t) => {
    const h = harness();
    await h.session.addImage('screenshot.png', PNG_URL);
    const [chip] = chips(h);
    assert.equal(chip?.kind, 'image');
    assert.equal(chip?.label, 'screenshot.png');
    assert.deepEqual(chip?.image, {
      src: `https://images.test/${[...PNG]
        .map((b) => b.toString(16).padStart(2, '0'))
        .join('')
        .slice(0, 64)}.png`,
      mime: 'image/png',
      bytes: PNG.length,
    });

    await h.session.send('What is in this picture?', { attachmentIds: [chip!.id] });
    assert.equal(lastAnswer(h).status, 'done');
    assert.match(lastAnswer(h).text, /What is in this picture\? \[saw 1 image\]/);
    assert.equal(h.routed.at(-1)?.needsVision, true, 'planned with needsVision');
    const [request] = fake.chatRequests();
    assert.deepEqual(userContentOf(request!.body), [
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image_url', image_url: { url: PNG_URL } },
    ]);
    assert.deepEqual(chips(h), [], 'the chip is used up');
    const validate = specOrSkip(t, validator);
    if (validate) assert.deepEqual(validate(request!.body), []);
  });

  it('a message without images stays plain text and is not planned for vision', async () => {
    const h = harness();
    await h.session.send('Just text');
    // Claude gets a prompt-cache breakpoint, so even a text turn may go as text parts: no image part either way.
    const content = userContentOf(fake.chatRequests()[0]!.body);
    assert.equal(contentText(content), 'Just text');
    assert.ok(typeof content === 'string' || content.every((p) => p.type === 'text'), 'no image part');
    assert.equal(h.routed.at(-1)?.needsVision, false);
  });

  it('only the chips shown when Send was pressed are sent; a removed image is not (nor kept on disk)', async () => {
    const images = new MemoryImages();
    const h = harness(new MemoryStore(), images);
    await h.session.addImage('one.png', PNG_URL);
    await h.session.addImageBytes('two.gif', bytesOf('image/gif'));
    const [one, two] = chips(h);
    h.session.removeAttachment(two!.id);
    assert.deepEqual(
      chips(h).map((c) => c.label),
      ['one.png'],
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      [...images.files.keys()].map((f) => f.split('.').pop()),
      ['png'],
      "the removed chip's file is deleted",
    );
    await h.session.send('Only one', { attachmentIds: [one!.id] });
    const content = userContentOf(fake.chatRequests()[0]!.body) as readonly WireContentPart[];
    assert.equal(content.filter((p) => p.type === 'image_url').length, 1);
  });

  it('a picked model that cannot see refuses an image as it is attached, and one attached before the switch before sending, with "pick a vision model" and the vision-only picker', async () => {
    const h = harness(new MemoryStore(), new MemoryImages(), TEXT_ONLY);
    await h.session.addImage('chart.png', PNG_URL);
    assert.equal(
      lastOf(h, 'composerNotice')?.text,
      'chart.png was not attached: openai/gpt-4o-mini cannot see images. Pick a vision model first (Switchyard: Pick a Vision Model), then attach it.',
    );
    assert.equal(chips(h).length, 0);
    // Attached while a vision model was picked; then the pick changes to a text-only model.
    h.settings.value = { ...h.settings.value, model: VISION };
    await h.session.addImage('chart.png', PNG_URL);
    h.settings.value = { ...h.settings.value, model: TEXT_ONLY };
    await h.session.send('Read this chart', { attachmentIds: chips(h).map((c) => c.id) });
    const answer = lastAnswer(h);
    assert.equal(answer.status, 'error');
    assert.equal(answer.error?.kind, 'refused');
    assert.equal(answer.error?.title, 'This model cannot see images');
    assert.match(answer.error?.message ?? '', /openai\/gpt-4o-mini does not accept images\. Pick a vision model/);
    assert.deepEqual(answer.error?.action, { label: 'Pick a Vision Model', command: 'switchyard.pickVisionModel' });
    assert.equal(fake.chatRequests().length, 0, 'nothing was sent');

    // After picking a vision model there, the same turn goes again at once, image included.
    h.settings.value = { ...h.settings.value, model: VISION };
    await h.session.retryAfterVisionPick();
    assert.equal(lastAnswer(h).status, 'done');
    assert.equal((userContentOf(fake.chatRequests()[0]!.body) as readonly WireContentPart[])[1]?.type, 'image_url');
  });

  it('Auto by task whose chat tier has only text models refuses the same way, naming why; a tier with a vision model sends to it', async () => {
    const blind = harness(new MemoryStore(), new MemoryImages(), AUTO_BY_TASK, [], {
      tiers: { chat: [TEXT_ONLY, 'mistralai/mistral-small:free'] },
    });
    await blind.session.addImage('a.png', PNG_URL);
    await blind.session.send('Look', { attachmentIds: chips(blind).map((c) => c.id) });
    const refused = lastAnswer(blind);
    assert.equal(refused.error?.title, 'This model cannot see images');
    assert.match(
      refused.error?.message ?? '',
      /No model this message may go to takes images \(.*openai\/gpt-4o-mini does not accept images.*\)\. Pick a vision model/,
    );
    assert.equal(fake.chatRequests().length, 0);

    const mixed = harness(new MemoryStore(), new MemoryImages(), AUTO_BY_TASK, [], {
      tiers: { chat: [TEXT_ONLY, 'google/gemini-2.5-flash'] },
    });
    await mixed.session.addImage('a.png', PNG_URL);
    await mixed.session.send('Look', { attachmentIds: chips(mixed).map((c) => c.id) });
    assert.equal(lastAnswer(mixed).status, 'done');
    assert.equal(
      (fake.chatRequests()[0]!.body as { model: string }).model,
      'google/gemini-2.5-flash',
      'the tier model that sees',
    );
  });

  it('fallbacks that cannot see are left out of a request with an image (the picked vision model goes alone)', async () => {
    const h = harness(new MemoryStore(), new MemoryImages(), VISION, [TEXT_ONLY, 'google/gemini-2.5-flash']);
    await h.session.addImage('a.png', PNG_URL);
    await h.session.send('Describe', { attachmentIds: chips(h).map((c) => c.id) });
    const body = fake.chatRequests()[0]!.body as { model: string; models?: string[] };
    assert.equal(body.model, VISION);
    assert.ok(!(body.models ?? []).includes(TEXT_ONLY), `no text-only fallback: ${JSON.stringify(body.models)}`);
    assert.ok((body.models ?? []).includes('google/gemini-2.5-flash'), 'a vision fallback stays');
  });

  it('refuses, with the reason under the composer, an image over the cap, a file that is no image, and one image too many', async () => {
    const h = harness();
    await h.session.addImageBytes('huge.png', bytesOf('image/png', MAX_IMAGE_BYTES + 1));
    assert.match(lastOf(h, 'composerNotice')?.text ?? '', /^huge\.png is 5 MiB; images up to 5 MiB are sent/);
    await h.session.addImage('notes.png', `data:image/png;base64,${Buffer.from('just some text').toString('base64')}`);
    assert.match(lastOf(h, 'composerNotice')?.text ?? '', /^notes\.png is not a PNG, JPEG, WebP or GIF image/);
    await h.session.addImage('weird.png', 'data:image/png;base64,@@@');
    assert.match(lastOf(h, 'composerNotice')?.text ?? '', /^weird\.png could not be read/);
    assert.deepEqual(chips(h), [], 'nothing refused became a chip');
    for (let i = 0; i < MAX_IMAGES_PER_MESSAGE; i++)
      await h.session.addImageBytes(`p${i}.png`, bytesOf('image/png', 64 + i));
    assert.equal(chips(h).length, MAX_IMAGES_PER_MESSAGE);
    await h.session.addImageBytes('one-more.png', bytesOf('image/png', 10));
    assert.equal(
      lastOf(h, 'composerNotice')?.text,
      `one-more.png was not attached: a message carries at most ${MAX_IMAGES_PER_MESSAGE} images.`,
    );
    assert.equal(chips(h).length, MAX_IMAGES_PER_MESSAGE);
  });

  it('counts an image against the context window when fitting the text context next to it', async () => {
    const file = {
      id: 'f1',
      kind: 'file' as const,
      source: 'mention' as const,
      path: 'src/a.ts',
      language: 'ts',
      content: 'export const value = 1;\n'.repeat(60),
    };
    const plain = harness(new MemoryStore(), new MemoryImages(), 'fake/tiny-context');
    plain.session.addAttachments([file]);
    assert.equal(chips(plain)[0]?.dropped, undefined, 'the file fits a 2048-token window on its own');
    const withImage = harness(new MemoryStore(), new MemoryImages(), VISION);
    withImage.session.addAttachments([file]);
    await withImage.session.addImage('big-picture.png', PNG_URL);
    // Attached for a model that sees; then the pick changes to a 2048-token one.
    withImage.settings.value = { ...withImage.settings.value, model: 'fake/tiny-context' };
    withImage.session.refreshAttachments();
    const [fileChip, imageChip] = chips(withImage);
    assert.equal(imageChip?.kind, 'image');
    assert.ok(
      fileChip?.dropped || fileChip?.truncated,
      `next to an image (~1600 tokens) it no longer fits whole: ${JSON.stringify(fileChip)}`,
    );
  });

  it('without an image store (no extension storage) an image is refused with the reason', async () => {
    const h = harness(new MemoryStore(), null);
    await h.session.addImage('a.png', PNG_URL);
    assert.match(lastOf(h, 'composerNotice')?.text ?? '', /no extension storage/);
    assert.deepEqual(chips(h), []);
  });

  it('keeps the image as a file reference in the history (never its bytes), shows it after a reload and replays it on the next turn', async () => {
    const store = new MemoryStore();
    const images = new MemoryImages();
    const first = harness(store, images);
    await first.session.addImage('diagram.png', PNG_URL);
    await first.session.send('Explain the diagram', { attachmentIds: chips(first).map((c) => c.id) });
    const state = JSON.stringify([...store.data.values()]);
    assert.ok(!state.includes(Buffer.from(PNG).toString('base64')), 'no image bytes in workspace state');
    assert.equal(images.files.size, 1, 'the bytes are in the image store');

    const reloaded = harness(store, images);
    const init = reloaded.session.initMessage(true);
    assert.equal(init.type, 'init');
    const user = (init as Extract<HostToWebview, { type: 'init' }>).messages.find((m) => m.role === 'user');
    const image = user?.attachments?.find((a) => a.kind === 'image');
    assert.equal(image?.label, 'diagram.png');
    assert.match(image?.image?.src ?? '', /^https:\/\/images\.test\/[0-9a-f]{64}\.png$/);
    assert.ok(!('images' in (user ?? {})), 'the references stay on the host');

    fake.clearRequests();
    await reloaded.session.send('And the arrows?');
    const messages = (
      fake.chatRequests()[0]!.body as { messages: { role: string; content: unknown }[] }
    ).messages.filter((m) => m.role === 'user');
    assert.deepEqual(
      messages[0]?.content,
      [
        { type: 'text', text: 'Explain the diagram' },
        { type: 'image_url', image_url: { url: PNG_URL } },
      ],
      'the earlier image is replayed with its turn',
    );
    const next = messages[1]?.content as string | readonly WireContentPart[];
    assert.equal(contentText(next), 'And the arrows?');
    assert.ok(typeof next === 'string' || next.every((p) => p.type === 'text'), 'the new turn has no image of its own');
    assert.equal(reloaded.routed.at(-1)?.needsVision, true, 'a conversation with an image still needs a vision model');
  });

  it('deleting a chat deletes its image files, but not one another chat still shows', async () => {
    const images = new MemoryImages();
    const h = harness(new MemoryStore(), images);
    await h.session.addImage('shared.png', PNG_URL);
    await h.session.send('first chat', { attachmentIds: chips(h).map((c) => c.id) });
    const firstChat = h.session.chatId;
    await h.session.newChat();
    await h.session.addImage('shared.png', PNG_URL);
    await h.session.addImageBytes('own.gif', bytesOf('image/gif'));
    await h.session.send('second chat', { attachmentIds: chips(h).map((c) => c.id) });
    const secondChat = h.session.chatId;
    assert.equal(images.files.size, 2);
    await h.session.deleteChat(secondChat);
    assert.deepEqual(
      [...images.files.keys()].map((f) => f.split('.').pop()),
      ['png'],
      'own.gif went with its chat; shared.png stays for the first',
    );
    await h.session.deleteChat(firstChat);
    assert.equal(images.files.size, 0);
  });

  it("deleting a chat keeps an image file an agent task's tool result still shows; deleting the task then takes it", async () => {
    const store = new MemoryStore();
    const images = new MemoryImages();
    const h = harness(store, images);
    await h.session.addImage('shared.png', PNG_URL);
    await h.session.send('a chat', { attachmentIds: chips(h).map((c) => c.id) });
    const chat = h.session.chatId;
    const [shared] = [...images.files.keys()];
    // An agent task (its own HistoryStore over the same workspace state, as the extension has) whose tool returned the same picture.
    const tasks = new HistoryStore(store);
    const own = await images.save(bytesOf('image/webp'), 'image/webp');
    await tasks.saveTask(taskEntry('t1'), taskWithImages('t1', [shared!, own]));
    await h.session.deleteChat(chat);
    assert.deepEqual([...images.files.keys()].sort(), [shared, own].sort(), 'the task still shows shared.png');

    // A second task shows the webp too; the first task goes: only the file nobody else shows goes with it.
    await tasks.saveTask(taskEntry('t2'), taskWithImages('t2', [own]));
    await h.session.releaseImages(await tasks.delete('t1'));
    assert.deepEqual([...images.files.keys()], [own]);
    // On screen (a running task's card, not saved yet), a file stays even when its last record goes.
    await h.session.releaseImages(await tasks.delete('t2'), [[{ tools: [{ images: [{ file: own }] }] }]]);
    assert.deepEqual([...images.files.keys()], [own]);
    await h.session.releaseImages([taskWithImages('t2', [own])]);
    assert.equal(images.files.size, 0);
  });

  it('drops malformed image references read back from storage (a hand-edited or older state)', () => {
    const store = new MemoryStore();
    const bad: StoredMessage = {
      id: 'u1',
      role: 'user',
      text: 'hi',
      status: 'done',
      createdAt: 1,
      images: [
        { id: 'i', name: 'x', mime: 'image/png', bytes: 1, file: '../../etc/passwd' },
        { id: 'j', name: 'y', mime: 'image/png', bytes: 1, file: `${'a'.repeat(64)}.png` },
      ],
    };
    void store.update('switchyard.chat.v1.c1', { id: 'c1', messages: [bad] });
    const loaded = new HistoryStore(store).open('c1');
    assert.deepEqual(
      loaded?.messages[0]?.images?.map((r) => r.id),
      ['j'],
    );
  });
});
