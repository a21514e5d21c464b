/**
 * An image is refused as it is attached when the picked model cannot see (issue 26): nothing is
 * stored, no chip, and the reason says what to do; with a model that can (or a router, or an
 * unknown model: the send-time check decides) it is attached. Pasted and picked files alike.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ImageAttachments } from '../../src/chat/imageAttachments';
import type { ImageStore } from '../../src/chat/images';

const PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR42mO4oKAARwzEcQDFQxEBh5PwCgAAAABJRU5ErkJggg==',
    'base64',
  ),
);

function attachments(cannotSee: string | undefined) {
  const saved: Uint8Array[] = [];
  const refused: string[] = [];
  const store: ImageStore = {
    save: async (bytes) => (saved.push(bytes), `${'a'.repeat(64)}.png`),
    read: async () => undefined,
    src: () => '',
    remove: async () => undefined,
  };
  let n = 0;
  const images = new ImageAttachments(store, {
    newId: () => `i${++n}`,
    log: { warn: () => undefined, error: () => undefined },
    changed: () => undefined,
    refuse: (t) => refused.push(t),
    saved: () => [],
    cannotSee: () => cannotSee,
  });
  return { images, saved, refused };
}

it('refuses at attach time for a model that cannot see; attaches otherwise', async () => {
  const blind = attachments(
    'openai/gpt-4o-mini cannot see images. Pick a vision model first (Switchyard: Pick a Vision Model), then attach it.',
  );
  await blind.images.addBytes('shot.png', PNG);
  await blind.images.addDataUrl('pasted.png', `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`);
  assert.deepEqual(
    blind.refused.map((r) => r.split(':')[0]),
    ['shot.png was not attached', 'pasted.png was not attached'],
  );
  assert.match(blind.refused[0]!, /cannot see images\. Pick a vision model first/);
  assert.equal(blind.saved.length, 0, 'nothing stored');
  assert.equal(blind.images.pending().length, 0, 'no chip');

  const seeing = attachments(undefined);
  await seeing.images.addBytes('shot.png', PNG);
  assert.equal(seeing.images.pending().length, 1);
  assert.deepEqual(seeing.refused, []);
});
