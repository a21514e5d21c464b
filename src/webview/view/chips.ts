/** Attachment chips: removable ones in the composer, small read-only ones under a sent message. */
import type { AttachmentView } from '../../protocol/messages';
import { chipText } from '../format';
import { button, el } from '../dom';
import { icon, type IconName } from '../icons';
import { imageChip, imageAttachment } from './imageChip';

const KIND_ICONS: Readonly<Record<AttachmentView['kind'], IconName>> = { selection: 'selection', file: 'file', problems: 'error', diff: 'diff', terminal: 'terminal', image: 'image' };

/** A composer chip (`.chip`) whose × (`.chip-remove`) calls `onRemove`. */
export function composerChip(attachment: AttachmentView, onRemove: (id: string) => void): HTMLElement {
  if (attachment.image) return imageChip(attachment, attachment.image, onRemove);
  const text = chipText(attachment);
  const chip = el('div', {
    className: `chip chip-${attachment.kind}${attachment.truncated ? ' truncated' : ''}${attachment.dropped ? ' dropped' : ''}`,
    attrs: { 'data-id': attachment.id, title: text.title, role: 'listitem' },
  });
  chip.append(icon(KIND_ICONS[attachment.kind]), el('span', { className: 'chip-label', text: text.label }), el('span', { className: 'chip-tokens', text: text.tokens }));
  if (text.truncated) chip.append(el('span', { className: 'chip-truncated', text: text.truncated }));
  const remove = button({ className: 'chip-remove', label: `Remove ${attachment.label}` }, [icon('close')]);
  remove.addEventListener('click', () => onRemove(attachment.id));
  chip.append(remove);
  return chip;
}

/** The small, read-only chips of the context that was sent with a user message. */
export function messageAttachments(attachments: readonly AttachmentView[]): HTMLElement {
  const list = el('div', { className: 'attachments', attrs: { 'aria-label': 'Attached context' } });
  for (const attachment of attachments) {
    if (attachment.image) {
      list.append(imageAttachment(attachment, attachment.image));
      continue;
    }
    const text = chipText(attachment);
    const item = el('span', { className: `attachment${attachment.truncated ? ' truncated' : ''}${attachment.dropped ? ' dropped' : ''}`, attrs: { title: text.title } }, [
      icon(KIND_ICONS[attachment.kind]),
      el('span', { className: 'attachment-label', text: text.label }),
      el('span', { className: 'attachment-tokens', text: text.truncated ? `${text.tokens}, ${text.truncated}` : text.tokens }),
    ]);
    list.append(item);
  }
  return list;
}
