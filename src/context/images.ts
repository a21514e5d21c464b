/**
 * The image rules every layer above shares (src/chat/images.ts has the chat's side and the reasons
 * behind the numbers; MCP tool results use the same checks): which bytes are an image Switchyard
 * sends, how many tokens one counts as, its data URL, and where stored images live ({@link ImageStore},
 * files named by their SHA-256; histories and transcripts keep only an {@link ImageRef}). Pure.
 */
import { IMAGE_MIME_TYPES, imageSizeProblem, type ImageMime } from '../protocol/images';

/**
 * Tokens one image is counted as when budgeting the context window: about what a ~1.2-megapixel
 * image costs on Anthropic (width × height / 750) and more than OpenAI's high-detail tiles.
 */
export const IMAGE_TOKENS = 1_600;

/** The name of a file in the {@link ImageStore}: `<sha256>.<ext>` (anything else is never read, shown or deleted). */
export const STORED_IMAGE_FILE = /^[0-9a-f]{64}\.(png|jpg|webp|gif)$/;

/** An image of a message, as the history stores it (the bytes are in the {@link ImageStore}). */
export interface ImageRef {
  readonly id: string;
  /** The file name the user attached (or `pasted image`). */
  readonly name: string;
  readonly mime: ImageMime;
  /** Size in bytes. */
  readonly bytes: number;
  /** The stored file's name in the image store (`<sha256>.<ext>`). */
  readonly file: string;
}

/** Where image bytes live: files in the extension's storage (src/vscode/chatView/imageStore.ts), a Map in tests. */
export interface ImageStore {
  /** Stores the bytes; resolves with the file name to keep in the history. */
  save(bytes: Uint8Array, mime: ImageMime): Promise<string>;
  /** The bytes of a stored file, or undefined when it is gone. */
  read(file: string): Promise<Uint8Array | undefined>;
  /** A URL the webview may show the image from (a webview resource URI; a data URL in tests). */
  src(file: string): string;
  /** Deletes a stored file (no error when it is already gone). */
  remove(file: string): Promise<void>;
}

/** The type of an image from its first bytes (magic numbers), or undefined when it is none of ours. */
export function sniffImageMime(bytes: Uint8Array): ImageMime | undefined {
  const at = (offset: number, ...values: number[]): boolean => values.every((v, i) => bytes[offset + i] === v);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (at(4, 0x37, 0x61) || at(4, 0x39, 0x61))) return 'image/gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}

/**
 * Checks an image's bytes: a type Switchyard sends (by its bytes) and within the cap.
 * Returns its type, or the sentence that says why it is refused.
 */
export function checkImage(
  name: string,
  bytes: Uint8Array,
): { ok: true; mime: ImageMime } | { ok: false; reason: string } {
  const tooBig = imageSizeProblem(name, bytes.length);
  if (tooBig) return { ok: false, reason: tooBig };
  const mime = sniffImageMime(bytes);
  if (!mime)
    return { ok: false, reason: `${name} is not a PNG, JPEG, WebP or GIF image, the types vision models take.` };
  return { ok: true, mime };
}

/** The data URL of an image, as sent in an `image_url` part. */
export function imageDataUrl(mime: ImageMime, bytes: Uint8Array): string {
  return `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
}

/** The file extension an image is stored with. */
export function imageExtension(mime: ImageMime): string {
  return mime.slice('image/'.length).replace('jpeg', 'jpg');
}

/** A stored reference read back from workspace state, or undefined when it is not one. */
export function asImageRef(value: unknown): ImageRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Partial<ImageRef>;
  const ok =
    typeof r.id === 'string' &&
    typeof r.name === 'string' &&
    typeof r.bytes === 'number' &&
    typeof r.file === 'string' &&
    STORED_IMAGE_FILE.test(r.file) &&
    IMAGE_MIME_TYPES.includes(r.mime as ImageMime);
  return ok ? (r as ImageRef) : undefined;
}
