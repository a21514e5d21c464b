/**
 * The images of a chat session: the ones waiting in the composer (pasted, dropped or picked),
 * checked and stored on arrival; their chips; and the data URLs of stored ones when a request is
 * built. The rules (types, cap, wire shape) are in ./images.ts.
 */
import type { AttachmentView } from '../protocol/messages';
import type { StoredMessage } from './conversation';
import { imageFilesOnlyIn } from '../context/imageReferences';
import { formatBytes } from '../protocol/units';
import {
  checkImage,
  decodeImageDataUrl,
  imageDataUrl,
  IMAGE_TOKENS,
  MAX_IMAGES_PER_MESSAGE,
  type ImageRef,
  type ImageStore,
} from './images';

/** What the session gives: ids, the log, "the chips changed" and "say why an image was refused". */
export interface ImageAttachmentHooks {
  newId(): string;
  readonly log: { warn(message: string): void; error(message: string): void };
  changed(): void;
  refuse(text: string): void;
  /** Every stored chat and task, and the chat on screen (a file they refer to is kept). */
  saved(): readonly unknown[];
  /** Why no image can be attached now (the picked model cannot see), or undefined. */
  cannotSee?(): string | undefined;
}

export class ImageAttachments {
  private waiting: ImageRef[] = [];

  constructor(
    private readonly store: ImageStore | undefined,
    private readonly hooks: ImageAttachmentHooks,
  ) {}

  /** The images attached to the next message, in the order they came. */
  pending(): readonly ImageRef[] {
    return this.waiting;
  }

  /** An image posted by the webview as a data URL: decoded, checked, stored, then a chip. */
  async addDataUrl(name: string, dataUrl: string): Promise<void> {
    const decoded = decodeImageDataUrl(name, dataUrl);
    if (!decoded.ok) return this.hooks.refuse(decoded.reason);
    await this.addBytes(name, decoded.bytes);
  }

  /** An image's bytes (from the webview or a file): checked (type by its bytes, the cap), stored, then a chip. */
  async addBytes(name: string, bytes: Uint8Array): Promise<void> {
    if (!this.store)
      return this.hooks.refuse('Images cannot be attached here: this window has no extension storage to keep them in.');
    const blind = this.hooks.cannotSee?.();
    if (blind) return this.hooks.refuse(`${name} was not attached: ${blind}`);
    if (this.waiting.length >= MAX_IMAGES_PER_MESSAGE)
      return this.hooks.refuse(`${name} was not attached: a message carries at most ${MAX_IMAGES_PER_MESSAGE} images.`);
    const checked = checkImage(name, bytes);
    if (!checked.ok) return this.hooks.refuse(checked.reason);
    let file: string;
    try {
      file = await this.store.save(bytes, checked.mime);
    } catch (error) {
      this.hooks.log.error(`could not store image ${name}: ${String(error)}`);
      return this.hooks.refuse(`${name} could not be stored: ${String(error)}`);
    }
    this.waiting = [...this.waiting, { id: this.hooks.newId(), name, mime: checked.mime, bytes: bytes.length, file }];
    this.hooks.changed();
  }

  /** Removes a waiting image's chip (and its file, unless a chat has it); false when `id` is not one of them. */
  remove(id: string): boolean {
    const removed = this.waiting.find((r) => r.id === id);
    if (!removed) return false;
    this.waiting = this.waiting.filter((r) => r.id !== id);
    this.hooks.changed();
    void this.forget(
      [{ id: '', role: 'user', text: '', status: 'done', createdAt: 0, images: [removed] }],
      this.hooks.saved(),
    );
    return true;
  }

  /** Takes the waiting images for a message: those the webview showed (`shown`, when given); the others stay. */
  take(shown: ReadonlySet<string> | undefined): ImageRef[] {
    const taken = this.waiting.filter((r) => !shown || shown.has(r.id));
    if (!taken.length) return [];
    this.waiting = this.waiting.filter((r) => !taken.includes(r));
    this.hooks.changed();
    return taken;
  }

  /** An image as a chip: name, size, and where the webview shows it from. */
  view(ref: ImageRef): AttachmentView {
    return {
      id: ref.id,
      kind: 'image',
      label: ref.name,
      tokens: IMAGE_TOKENS,
      truncated: false,
      originalTokens: IMAGE_TOKENS,
      image: { src: this.store?.src(ref.file) ?? '', mime: ref.mime, bytes: ref.bytes },
    };
  }

  /**
   * Deletes the files `gone` (deleted chats' and tasks' records, a removed chip) refers to that
   * nothing in `kept` (every conversation still stored or on screen) nor the composer refers to:
   * the same image may be in several chats and tasks (src/context/imageReferences.ts).
   */
  async forget(gone: readonly unknown[], kept: readonly unknown[]): Promise<void> {
    for (const file of imageFilesOnlyIn(gone, [...kept, this.waiting]))
      await this.store
        ?.remove(file)
        .catch((error: unknown) => this.hooks.log.warn(`could not delete image ${file}: ${String(error)}`));
  }

  /**
   * The data URLs of the images these messages carry, by file. A file that is gone (storage
   * cleared) is left out with a warning: its turn is sent with its text.
   */
  async dataUrls(messages: readonly StoredMessage[]): Promise<Map<string, string>> {
    const urls = new Map<string, string>();
    for (const ref of messages.flatMap((m) => m.images ?? [])) {
      if (urls.has(ref.file)) continue;
      const bytes = await this.store?.read(ref.file).catch(() => undefined);
      if (!bytes) {
        this.hooks.log.warn(
          `image ${ref.name} (${formatBytes(ref.bytes)}) is no longer in storage; its turn is sent without it`,
        );
        continue;
      }
      urls.set(ref.file, imageDataUrl(ref.mime, bytes));
    }
    return urls;
  }
}
