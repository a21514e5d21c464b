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
export {
  asImageRef,
  checkImage,
  IMAGE_TOKENS,
  imageDataUrl,
  imageExtension,
  sniffImageMime,
  type ImageRef,
  type ImageStore,
} from '../context/images';

export {
  IMAGE_MIME_TYPES,
  MAX_IMAGE_BYTES,
  MAX_IMAGES_PER_MESSAGE,
  MAX_IMAGE_DATA_URL,
  imageSizeProblem,
  type ImageMime,
} from '../protocol/images';

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
