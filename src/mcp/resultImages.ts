/**
 * The images of an MCP tool result, checked before anything is stored, shown or sent: the server is
 * untrusted, so an image goes on only when its declared type is PNG, JPEG, WebP or GIF, its data
 * is base64, its bytes are that type (read from the bytes, not the declaration), it is within the
 * chat's per-image cap (5 MiB) and the result has not already given {@link MAX_IMAGES_PER_MESSAGE}.
 * Anything else — an SVG (it can carry script), an oversize picture, a PNG that is not one — is
 * refused with a sentence that says why, which goes into the tool result. Pure.
 */
import { sniffImageMime } from '../context/images';
import { IMAGE_MIME_TYPES, MAX_IMAGE_BYTES, MAX_IMAGES_PER_MESSAGE, type ImageMime } from '../protocol/images';
import { formatBytes } from '../protocol/units';
import type { McpImage } from './results';

/** An image of a result that passed every check. */
export interface CheckedImage {
  readonly mime: ImageMime;
  readonly bytes: Uint8Array;
}

export interface CheckedImages {
  readonly accepted: readonly CheckedImage[];
  /** One sentence per refused image, in order. */
  readonly refused: readonly string[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The approximate size of base64 `data`, in bytes (for a refusal that need not decode it). */
function decodedSize(data: string): number {
  return Math.floor((data.length * 3) / 4);
}

/** Checks one image; `n` is its 1-based place among the result's images. */
export function checkResultImage(image: McpImage, n: number): CheckedImage | string {
  const label = `Image ${n} (${image.mimeType || 'no type'})`;
  if (!(IMAGE_MIME_TYPES as readonly string[]).includes(image.mimeType))
    return `${label} was not sent: only PNG, JPEG, WebP and GIF images are${/svg/i.test(image.mimeType) ? ' (an SVG can carry script)' : ''}.`;
  const data = image.data.replace(/\s+/g, '');
  if (!data || data.length % 4 !== 0 || !BASE64.test(data)) return `${label} was not sent: its data is not base64.`;
  const tooBig = (bytes: number): string =>
    `${label} was not sent: ${formatBytes(bytes)} is over the ${formatBytes(MAX_IMAGE_BYTES)} cap for an image.`;
  // Refused before decoding when the base64 alone says it is too big.
  if (decodedSize(data) > MAX_IMAGE_BYTES + 3) return tooBig(decodedSize(data));
  const bytes = new Uint8Array(Buffer.from(data, 'base64'));
  if (bytes.length > MAX_IMAGE_BYTES) return tooBig(bytes.length);
  if (bytes.length === 0) return `${label} was not sent: it is empty.`;
  const sniffed = sniffImageMime(bytes);
  if (sniffed !== image.mimeType)
    return `${label} was not sent: its bytes are ${sniffed ? `${sniffed}, not ${image.mimeType}` : `not a ${image.mimeType} image`}.`;
  return { mime: sniffed, bytes };
}

/** Checks a result's images: the first {@link MAX_IMAGES_PER_MESSAGE} good ones go on, the rest are refused. */
export function checkResultImages(images: readonly McpImage[]): CheckedImages {
  const accepted: CheckedImage[] = [];
  const refused: string[] = [];
  images.forEach((image, i) => {
    const checked = checkResultImage(image, i + 1);
    if (typeof checked === 'string') refused.push(checked);
    else if (accepted.length >= MAX_IMAGES_PER_MESSAGE)
      refused.push(`Image ${i + 1} was not sent: a tool result carries at most ${MAX_IMAGES_PER_MESSAGE} images.`);
    else accepted.push(checked);
  });
  return { accepted, refused };
}
