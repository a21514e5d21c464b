/**
 * The image rules both sides of the chat view share (the webview checks before it reads a file,
 * the host checks again; src/chat/images.ts has the rest and the reasons behind the numbers).
 */
import { formatBytes } from './units';

/** The image types Switchyard sends. */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageMime = (typeof IMAGE_MIME_TYPES)[number];

/** Largest image sent, in bytes (5 MiB: Anthropic's per-image limit). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Most images one message may carry. */
export const MAX_IMAGES_PER_MESSAGE = 5;
/**
 * Longest data URL the webview may post: the base64 of {@link MAX_IMAGE_BYTES} and its
 * `data:image/jpeg;base64,` prefix, rounded up.
 */
export const MAX_IMAGE_DATA_URL = 7_000_000;

/** Why an image of `size` bytes named `name` is not sent, or undefined when it is within the cap. */
export function imageSizeProblem(name: string, size: number): string | undefined {
  if (size === 0) return `${name} is empty.`;
  if (size <= MAX_IMAGE_BYTES) return undefined;
  return `${name} is ${formatBytes(size)}; images up to ${formatBytes(MAX_IMAGE_BYTES)} are sent (the strictest vision provider's limit). Shrink or crop it and attach it again.`;
}
