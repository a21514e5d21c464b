/** Attachment chips: removable ones in the composer, small read-only ones under a sent message. */
import type { AttachmentView } from '../../protocol/messages';
import { chipLabelParts, chipText } from '../format';
import { button, el } from '../dom';
import { icon, type IconName } from '../icons';
import { imageChip, imageAttachment } from './imageChip';

const KIND_ICONS: Readonly<Record<AttachmentView['kind'], IconName>> = {
  selection: 'selection',
  file: 'file',
  problems: 'error',
  diff: 'diff',
  terminal: 'terminal',
  image: 'image',
  resource: 'plug',
};

/** A composer chip (`.chip`) whose × (`.chip-remove`) calls `onRemove`. */
export function composerChip(attachment: AttachmentView, onRemove: (id: string) => void): HTMLElement {
  if (attachment.image) return imageChip(attachment, attachment.image, onRemove);
  const text = chipText(attachment);
  const chip = el('div', {
    className: `chip chip-${attachment.kind}${attachment.truncated ? ' truncated' : ''}${attachment.dropped ? ' dropped' : ''}`,
    attrs: { 'data-id': attachment.id, title: text.title, role: 'listitem' },
  });
  chip.append(icon(KIND_ICONS[attachment.kind]), chipLabel(text.label), chipTokens(text.tokens));
  if (text.truncated) chip.append(chipTruncated(text.truncated));
  const remove = button({ className: 'chip-remove', label: `Remove ${attachment.label}` }, [icon('close')]);
  remove.addEventListener('click', () => onRemove(attachment.id));
  chip.append(remove);
  return chip;
}

/**
 * The label with its folders in their own span (`.chip-folders`), which a narrow side bar hides
 * so that several chips share a row; the whole label stays in the tooltip and the text content.
 */
function chipLabel(label: string): HTMLElement {
  const { prefix, folders, name } = chipLabelParts(label);
  const parts: Node[] = [document.createTextNode(prefix)];
  if (folders) parts.push(el('span', { className: 'chip-folders', text: folders }));
  parts.push(document.createTextNode(name));
  return el('span', { className: 'chip-label' }, parts);
}

/** `~182 tokens` with the unit in its own span (`.chip-unit`), hidden at a narrow width. */
function chipTokens(tokens: string): HTMLElement {
  const unit = / tokens$/.exec(tokens);
  if (!unit) return el('span', { className: 'chip-tokens', text: tokens });
  return el('span', { className: 'chip-tokens' }, [
    document.createTextNode(tokens.slice(0, unit.index)),
    el('span', { className: 'chip-unit', text: unit[0] }),
  ]);
}

/** `truncated from ~9.8k`; a narrow view shows `of ~9.8k` (`.chip-words` hidden, `.chip-short` shown). */
function chipTruncated(truncated: string): HTMLElement {
  const words = /^truncated from /.exec(truncated);
  if (!words) return el('span', { className: 'chip-truncated', text: truncated });
  return el('span', { className: 'chip-truncated' }, [
    el('span', { className: 'chip-words', text: words[0] }),
    el('span', { className: 'chip-short', text: 'of ' }),
    document.createTextNode(truncated.slice(words[0].length)),
  ]);
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
    const item = el(
      'span',
      {
        className: `attachment${attachment.truncated ? ' truncated' : ''}${attachment.dropped ? ' dropped' : ''}`,
        attrs: { title: text.title },
      },
      [
        icon(KIND_ICONS[attachment.kind]),
        el('span', { className: 'attachment-label', text: text.label }),
        el('span', {
          className: 'attachment-tokens',
          text: text.truncated ? `${text.tokens}, ${text.truncated}` : text.tokens,
        }),
      ],
    );
    list.append(item);
  }
  return list;
}
