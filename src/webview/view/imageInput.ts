/**
 * Getting images into the composer: paste into the message box, drop on the composer (in VS Code,
 * hold Shift while dropping a file from outside), or the paperclip (`#attach-image`: the host's
 * open dialog, `switchyard.attachImage`). Each file is checked here first — PNG, JPEG, WebP or
 * GIF, at most 5 MiB (src/protocol/images.ts) — so an oversized one is refused with the reason
 * before it is read; the rest go to the host as `attachImage` data URLs, which checks them again.
 */
import { IMAGE_MIME_TYPES, imageSizeProblem } from '../../protocol/images';
import type { WebviewToHost } from '../../protocol/messages';
import { button } from '../dom';
import { icon } from '../icons';

export interface ImageInputEvents {
  readonly post: (message: WebviewToHost) => void;
  /** Says under the composer why an image was refused. */
  readonly refuse: (text: string) => void;
}

const ACCEPTED: readonly string[] = IMAGE_MIME_TYPES;

/** Wires paste and drop on the composer; returns the paperclip button for its toolbar. */
export function imageInput(
  composer: HTMLElement,
  input: HTMLTextAreaElement,
  events: ImageInputEvents,
): HTMLButtonElement {
  const paperclip = button(
    {
      id: 'attach-image',
      className: 'attach-image ghost icon-button',
      label: 'Attach image',
      title: 'Attach an image (PNG, JPEG, WebP, GIF up to 5 MiB) for a vision model; or paste or drop one',
    },
    [icon('paperclip')],
  );
  paperclip.addEventListener('click', () => events.post({ type: 'runCommand', command: 'switchyard.attachImage' }));

  input.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (!files.length) return;
    // A screenshot pastes as a file only; text copied with a picture keeps its text.
    if (!event.clipboardData?.types.includes('text/plain')) event.preventDefault();
    void attachFiles(files, events);
  });
  const hasFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') ?? false;
  composer.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    composer.classList.add('drop-target');
  });
  composer.addEventListener('dragleave', () => composer.classList.remove('drop-target'));
  composer.addEventListener('drop', (event) => {
    composer.classList.remove('drop-target');
    if (!hasFiles(event)) return;
    event.preventDefault();
    void attachFiles([...(event.dataTransfer?.files ?? [])], events);
  });
  return paperclip;
}

/** Checks and reads each file; the good ones go to the host, each refused one is said. */
async function attachFiles(files: readonly File[], events: ImageInputEvents): Promise<void> {
  for (const file of files) {
    const name = (file.name || 'pasted image').slice(0, 200);
    if (!ACCEPTED.includes(file.type)) {
      events.refuse(`${name} is not a PNG, JPEG, WebP or GIF image, the types vision models take.`);
      continue;
    }
    const tooBig = imageSizeProblem(name, file.size);
    if (tooBig) {
      events.refuse(tooBig);
      continue;
    }
    const dataUrl = await readAsDataUrl(file).catch(() => undefined);
    if (!dataUrl) {
      events.refuse(`${name} could not be read.`);
      continue;
    }
    events.post({ type: 'attachImage', name, dataUrl });
  }
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => (typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('not text')));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
