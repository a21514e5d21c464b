/**
 * Images in the chat: which ones are sent, how big, how they travel and where they live.
 *
 * - Types: PNG, JPEG, WebP and GIF (the image types every vision provider on OpenRouter takes),
 *   recognised by their bytes, not by the file name.
 * - Cap: {@link MAX_IMAGE_BYTES} (5 MiB) per image, the per-image limit of Anthropic's API — the
 *   strictest of OpenRouter's vision providers — and {@link MAX_IMAGES_PER_MESSAGE} per message.
 *   A bigger file is refused with the reason (never silently re-encoded: a screenshot's text must
 *   stay readable); the webview checks before reading the file, the host checks again.
 * - Wire: an `image_url` content part whose URL is a `data:<mime>;base64,…` URL (OpenRouter's
 *   `ChatContentImage`), after the turn's text part.
 * - Storage: the bytes go to a file of the extension's storage ({@link ImageStore}, named by their
 *   SHA-256); the chat history keeps only an {@link ImageRef}.
 */
import type { Failure } from '../openrouter/failures';
import type { WireContentPart } from '../openrouter/wire';
import { IMAGE_MIME_TYPES, imageSizeProblem, type ImageMime } from '../protocol/images';

export {
  IMAGE_MIME_TYPES,
  MAX_IMAGE_BYTES,
  MAX_IMAGES_PER_MESSAGE,
  MAX_IMAGE_DATA_URL,
  imageSizeProblem,
  type ImageMime,
} from '../protocol/images';

/**
 * Tokens one image is counted as when budgeting the context window: about what a ~1.2-megapixel
 * image costs on Anthropic (width × height / 750) and more than OpenAI's high-detail tiles.
 */
export const IMAGE_TOKENS = 1_600;

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

const DATA_URL = /^data:(image\/(?:png|jpeg|webp|gif));base64,([A-Za-z0-9+/]*={0,2})$/;

/**
 * The bytes of a `data:image/…;base64,…` URL posted by the webview, or why it is not one.
 * The declared type is not trusted: {@link checkImage} reads the bytes.
 */
export function decodeImageDataUrl(
  name: string,
  dataUrl: string,
): { ok: true; bytes: Uint8Array } | { ok: false; reason: string } {
  const match = DATA_URL.exec(dataUrl);
  if (!match) return { ok: false, reason: `${name} could not be read as a PNG, JPEG, WebP or GIF image.` };
  return { ok: true, bytes: new Uint8Array(Buffer.from(match[2]!, 'base64')) };
}

/** The data URL of an image, as sent in an `image_url` part. */
export function imageDataUrl(mime: ImageMime, bytes: Uint8Array): string {
  return `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
}

/** A user turn's content: its text alone, or (with images) a text part then one `image_url` part per image. */
export function withImages(text: string, imageUrls: readonly string[]): string | WireContentPart[] {
  if (!imageUrls.length) return text;
  return [
    { type: 'text', text },
    ...imageUrls.map((url): WireContentPart => ({ type: 'image_url', image_url: { url } })),
  ];
}

/** True when a message content carries an image (the request then needs a vision model). */
export function hasImage(content: string | readonly WireContentPart[]): boolean {
  return typeof content !== 'string' && content.some((p) => p.type === 'image_url');
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
    /^[0-9a-f]{64}\.(png|jpg|webp|gif)$/.test(r.file) &&
    IMAGE_MIME_TYPES.includes(r.mime as ImageMime);
  return ok ? (r as ImageRef) : undefined;
}

/** Why an image is not attached in agent mode (the agent's turns are text). */
export const AGENT_MODE_IMAGES =
  'Images are sent in Ask mode: the agent works with text. Switch to Ask to send an image.';

/**
 * The picked model cannot take images: refused before anything is sent, with the vision-only
 * picker as the way out (`switchyard.pickVisionModel`). `model` is the picked model's id.
 */
export function visionRefusal(model: string, detail?: string): Failure {
  return {
    kind: 'refused',
    retryable: false,
    title: 'This model cannot see images',
    message: `${detail ?? `${model} does not accept images`}. Pick a vision model (or remove the image) and send again.`,
    action: { label: 'Pick a Vision Model', command: 'switchyard.pickVisionModel' },
  };
}
