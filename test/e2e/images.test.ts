/**
 * Images in the chat (issue 13), driven as a person would in a real VS Code (code-server +
 * Chromium) against the fake OpenRouter: an image attached with the paperclip (code-server's
 * file dialog, a path typed in) is a chip with its thumbnail and size, and goes to a vision model
 * as an `image_url` data URL; an image pasted for a text-only model is refused when attached;
 * one attached earlier and sent with a text-only model is refused before anything is sent, the
 * refusal's button opens a picker of vision models only, and the pick sends it (no Retry); after
 * a reload the image still shows in the conversation.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { lastAnswerText, sendMessage } from './harness/chatView';
import { useSwitchyard } from './harness/session';
import { pickFileInDialog, pickQuickItem, waitForQuickInput } from './harness/quickInput';
import { openChatView, reloadWindow, waitForStatusBarModel } from './harness/workbench';
import { waitForQuickInputItems, waitForQuickInputTitle } from './harness/quickPickWaits';

const KEY = 'sk-or-v1-e2e-images-0123456789abcdef012345';
const VISION = 'anthropic/claude-sonnet-4';
const TEXT_ONLY = 'openai/gpt-4o-mini';
const STEP = { timeout: 180_000 };

/** A real 4×4 PNG (red), as a file in the workspace and as pasted bytes. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR42mO4oKAARwzEcQDFQxEBh5PwCgAAAABJRU5ErkJggg==';
const PNG_URL = `data:image/png;base64,${PNG_BASE64}`;

const session = useSwitchyard({
  env: { OPENROUTER_API_KEY: KEY },
  settings: { 'switchyard.model': VISION, 'switchyard.fallbackModels': [] },
});

interface SentBody {
  readonly model: string;
  readonly messages: readonly { readonly role: string; readonly content: unknown }[];
}

/** Waits until every thumbnail in `selector` has loaded a picture (a broken one has no natural width). */
async function thumbnailsLoaded(frame: Frame, selector: string, count: number): Promise<void> {
  await frame.waitForFunction(
    ({ selector, count }) => {
      const images = [...document.querySelectorAll<HTMLImageElement>(selector)];
      return images.length === count && images.every((img) => img.complete && img.naturalWidth === 4);
    },
    { selector, count },
    { timeout: 60_000 },
  );
}

/** Picks a model from the status-bar picker, as a person does, and waits for the status bar to show it. */
async function pickInStatusBar(page: Page, row: RegExp, filter: string, shown: RegExp): Promise<void> {
  await page.locator('[id="switchyard.switchyard.switchyard.model"]').click();
  await waitForQuickInput(page);
  await pickQuickItem(page, row, { filter });
  await waitForStatusBarModel(page, shown);
}

/** A screenshot pasted into the message box (the clipboard hands the page a PNG file). */
async function paste(frame: Frame): Promise<void> {
  await frame.locator('#input').click();
  await frame.evaluate((base64) => {
    const data = new DataTransfer();
    data.items.add(
      new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'image.png', { type: 'image/png' }),
    );
    document
      .querySelector('#input')!
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, PNG_BASE64);
}

describe('Images in the chat, in a real VS Code', { timeout: 900_000 }, () => {
  it(
    'attaches an image with the paperclip (file dialog), shows its chip and sends it to a vision model as an image_url part',
    STEP,
    async () => {
      const s = session();
      const file = path.join(s.workspace, 'red-square.png');
      writeFileSync(file, Buffer.from(PNG_BASE64, 'base64'));
      s.fake?.clearRequests();
      const frame = await openChatView(s.page);
      await frame.locator('#attach-image').click();
      await pickFileInDialog(s.page, file);
      const chip = frame.locator('#chips .chip.chip-image');
      await chip.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await chip.innerText(), /red-square\.png\s*73 B/);
      // The thumbnail is loaded from the stored file (extension storage, a webview resource).
      await thumbnailsLoaded(frame, '#chips img.chip-thumb', 1);
      assert.match((await chip.locator('img').getAttribute('src')) ?? '', /^https:\/\/.*images\/[0-9a-f]{64}\.png$/);
      await s.screenshot('13i-paperclip-chip');

      await sendMessage(frame, 'What colour is this square?');
      const text = await lastAnswerText(frame, 'done');
      assert.match(text, /Echo from anthropic\/claude-sonnet-4: What colour is this square\? \[saw 1 image\]/);
      const body = s.fake?.chatRequests().at(-1)?.body as SentBody;
      assert.equal(body.model, VISION);
      assert.deepEqual(body.messages.at(-1), {
        role: 'user',
        content: [
          { type: 'text', text: 'What colour is this square?' },
          { type: 'image_url', image_url: { url: PNG_URL } },
        ],
      });
      assert.equal(await frame.locator('#chips .chip').count(), 0, 'the chip was used up');
      await thumbnailsLoaded(frame, '.message.user img.attachment-thumb', 1);
      await s.screenshot('13i-sent-to-vision-model');
    },
  );

  it(
    'refuses an image for a text-only model when it is attached; one sent after a switch to a text-only model is refused before sending, and after "Pick a Vision Model" it goes without Retry',
    STEP,
    async () => {
      const s = session();
      // Pick the text-only model the way a person does: the status-bar picker.
      await pickInStatusBar(s.page, /GPT-4o-mini/, 'gpt-4o-mini', /GPT-4o-mini/i);
      const frame = await openChatView(s.page);
      await frame.waitForFunction(
        () => (document.querySelector('#model-badge')?.textContent ?? '').includes('GPT-4o-mini'),
        undefined,
        { timeout: 60_000 },
      );
      // A screenshot pasted into the message box is refused at once, with the way forward.
      await paste(frame);
      const notice = frame.locator('#composer-notice .notice-text');
      await notice.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(
        await notice.innerText(),
        new RegExp(`image\\.png was not attached: ${TEXT_ONLY} cannot see images\\. Pick a vision model first`),
      );
      assert.equal(
        await frame.locator('#chips .chip.chip-image').count(),
        0,
        'no chip for an image the model cannot see',
      );
      await s.screenshot('13i-refused-at-attach');

      // Attached while a vision model is picked, then the pick changes to a text-only model.
      await pickInStatusBar(s.page, /Claude Sonnet 4/, 'claude sonnet 4', /claude-sonnet-4/);
      await paste(frame);
      await frame.locator('#chips .chip.chip-image').waitFor({ state: 'visible', timeout: 60_000 });
      await thumbnailsLoaded(frame, '#chips img.chip-thumb', 1);
      await pickInStatusBar(s.page, /GPT-4o-mini/, 'gpt-4o-mini', /GPT-4o-mini/i);
      s.fake?.clearRequests();

      await sendMessage(frame, 'Describe this screenshot');
      await lastAnswerText(frame, 'error', 60_000);
      const card = frame.locator('.message.assistant').last().locator('.error-card');
      assert.equal(await card.locator('.error-title').innerText(), 'This model cannot see images');
      assert.match(
        await card.locator('.error-message').innerText(),
        new RegExp(`${TEXT_ONLY} does not accept images\\. Pick a vision model`),
      );
      assert.equal(s.fake?.chatRequests().length, 0, 'nothing was sent');
      await s.screenshot('13i-refused-for-text-model');

      await card.locator('.action.primary', { hasText: 'Pick a Vision Model' }).click();
      await waitForQuickInput(s.page);
      await waitForQuickInputTitle(s.page, /^Switchyard: Pick a Vision Model$/);
      // The rows can arrive after the title: wait for both vision models, then look at the whole list.
      const items = await waitForQuickInputItems(
        s.page,
        (rows) => rows.some((i) => /Claude Sonnet 4/.test(i)) && rows.some((i) => /Gemini 2\.5 Flash/.test(i)),
        'the vision models',
      );
      assert.ok(
        !items.some((i) => /GPT-4o-mini|Llama|Mistral|Auto by task/.test(i)),
        `only vision models: ${items.join(' | ')}`,
      );
      await s.screenshot('13i-vision-picker');
      await pickQuickItem(s.page, /Gemini 2\.5 Flash/, { filter: 'gemini 2.5 flash' });
      await waitForStatusBarModel(s.page, /gemini-2\.5-flash/);

      // The same turn, image included, goes to the vision model now picked — no Retry pressed.
      await frame.waitForFunction(
        () => {
          const last = [...document.querySelectorAll('.message.assistant')].at(-1);
          return (
            last?.getAttribute('data-status') === 'done' && (last.textContent ?? '').includes('google/gemini-2.5-flash')
          );
        },
        undefined,
        { timeout: 60_000 },
      );
      const text = await lastAnswerText(frame, 'done');
      assert.match(text, /Echo from google\/gemini-2\.5-flash: Describe this screenshot \[saw 1 image\]/);
      const body = s.fake?.chatRequests().at(-1)?.body as SentBody;
      assert.equal(body.model, 'google/gemini-2.5-flash');
      const parts = body.messages.at(-1)?.content as { type: string; image_url?: { url: string } }[];
      assert.deepEqual(
        parts.map((p) => p.type),
        ['text', 'image_url'],
      );
      assert.equal(parts[1]?.image_url?.url, PNG_URL);
      await s.screenshot('13i-sent-after-vision-pick');
    },
  );

  it('shows the images of the conversation again after a reload', STEP, async () => {
    const s = session();
    await openChatView(s.page);
    const frame = await reloadWindow(s.page);
    assert.ok(frame, 'the chat view came back');
    // Both turns' images, from the files in extension storage.
    await thumbnailsLoaded(frame, '.message.user img.attachment-thumb', 2);
    assert.deepEqual(await frame.locator('.message.user .attachment-image .attachment-label').allInnerTexts(), [
      'red-square.png',
      'image.png',
    ]);
    await s.screenshot('13i-restored-after-reload');
  });
});
