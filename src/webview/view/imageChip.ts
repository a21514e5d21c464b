/**
 * Image chips: a thumbnail, the file name and its size. In the composer (`.chip.chip-image`, with
 * ×) and under a sent message (`.attachment.attachment-image`, a bigger thumbnail). The picture
 * comes from the host's `src` (a webview resource URI; the CSP's `img-src` allows those and `data:`).
 */
import type { AttachmentView } from '../../protocol/messages';
import { formatBytes } from '../../protocol/units';
import { button, el } from '../dom';
import { icon } from '../icons';

type ImageInfo = NonNullable<AttachmentView['image']>;

function thumbnail(image: ImageInfo, name: string, className: string): Element {
  if (!image.src) return icon('image');
  return el('img', { className, attrs: { src: image.src, alt: name, draggable: 'false' } });
}

/** A composer chip for an image; its × calls `onRemove`. */
export function imageChip(attachment: AttachmentView, image: ImageInfo, onRemove: (id: string) => void): HTMLElement {
  const size = formatBytes(image.bytes);
  const chip = el(
    'div',
    {
      className: 'chip chip-image',
      attrs: {
        'data-id': attachment.id,
        title: `Image ${attachment.label} (${size}), sent to a vision model`,
        role: 'listitem',
      },
    },
    [
      thumbnail(image, attachment.label, 'chip-thumb'),
      el('span', { className: 'chip-label', text: attachment.label }),
      el('span', { className: 'chip-tokens chip-size', text: size }),
    ],
  );
  const remove = button({ className: 'chip-remove', label: `Remove ${attachment.label}` }, [icon('close')]);
  remove.addEventListener('click', () => onRemove(attachment.id));
  chip.append(remove);
  return chip;
}

/** An image sent with a message: a thumbnail with its name and size. */
export function imageAttachment(attachment: AttachmentView, image: ImageInfo): HTMLElement {
  const size = formatBytes(image.bytes);
  return el(
    'span',
    { className: 'attachment attachment-image', attrs: { title: `Image ${attachment.label} (${size})` } },
    [
      thumbnail(image, attachment.label, 'attachment-thumb'),
      el('span', { className: 'attachment-label', text: attachment.label }),
      el('span', { className: 'attachment-tokens', text: size }),
    ],
  );
}
