/**
 * The composer's context until a message takes it: the automatic editor chip (selection or
 * active file), the chips picked with `@` mentions, the chips the user removed, and the images
 * pasted, dropped or picked; fitted to the model's context window for the chips' token counts.
 * Shared by Ask and Agent mode (the agent task takes the same chips). Pure.
 */
import { DEFAULT_CONTEXT_LENGTH } from '../openrouter/catalogue';
import type { Attachment } from '../context/attachment';
import { attachmentKey, attachmentLabel, uniqueAttachments } from '../context/attachment';
import { fitAttachments, type FittedAttachment } from '../context/fit';
import { estimateTokens } from '../context/tokens';
import type { AttachmentView } from '../protocol/messages';
import type { ConversationEnv } from '../turn/env';
import { ImageAttachments } from './imageAttachments';
import { IMAGE_TOKENS, type ImageRef, type ImageStore } from './images';
import { systemPrompt } from './prompt';

/** What the composer needs from the session. */
export interface ComposerEnv extends Pick<
  ConversationEnv,
  'settings' | 'modelInfo' | 'post' | 'newId' | 'log' | 'instructions'
> {
  readonly images?: ImageStore;
  /** Every stored chat and task, and the chat on screen (an image file is deleted only when none refers to it). */
  savedRecords(): readonly unknown[];
}

/** The context a message takes from the composer. */
export interface TakenContext {
  readonly fitted: FittedAttachment[];
  readonly images: ImageRef[];
  /** `@`-picked chips were used up: the chips should be posted again (after the message). */
  readonly usedPicked: boolean;
}

export class Composer {
  /** The automatic editor context (selection or active file): zero or one. */
  private attachments: Attachment[] = [];
  /** Context picked with `@` mentions, until the message is sent. */
  private pinned: Attachment[] = [];
  private readonly dismissed = new Set<string>();
  /** Images pasted, dropped or picked for the next message, and the bytes of stored ones. */
  readonly images: ImageAttachments;

  constructor(private readonly env: ComposerEnv) {
    this.images = new ImageAttachments(env.images, {
      newId: () => env.newId(),
      log: env.log,
      changed: () => this.refresh(),
      refuse: (text) => env.post({ type: 'composerNotice', text, level: 'error' }),
      saved: () => env.savedRecords(),
      cannotSee: () => this.cannotSee(),
    });
  }

  /** The picked model cannot take images (a router or an unknown model may): said when an image is attached, not after Send. */
  private cannotSee(): string | undefined {
    const { model } = this.env.settings();
    const info = this.env.modelInfo(model);
    if (!info || info.isRouter || info.supportsVision) return undefined;
    return `${model} cannot see images. Pick a vision model first (Switchyard: Pick a Vision Model), then attach it.`;
  }

  /** The editor's current context (selection or file); `undefined` clears it. */
  offerEditorContext(attachment: Attachment | undefined): void {
    const next = attachment && !this.dismissed.has(attachmentKey(attachment)) ? [attachment] : [];
    const same =
      next.length === this.attachments.length &&
      next.every(
        (a, i) =>
          attachmentKey(a) === attachmentKey(this.attachments[i]!) && a.content === this.attachments[i]!.content,
      );
    if (same) return;
    this.attachments = next;
    this.refresh();
  }

  /** Adds context picked with an `@` mention (replacing the same source picked earlier). */
  add(list: readonly Attachment[]): void {
    if (!list.length) return;
    const keys = new Set(list.map(attachmentKey));
    this.pinned = [...this.pinned.filter((a) => !keys.has(attachmentKey(a))), ...list];
    for (const key of keys) this.dismissed.delete(key);
    // The automatic chip of the same source stays behind the picked one (chips() shows one of
    // them) and is back once the picked one is sent, if the editor still has it.
    this.refresh();
  }

  remove(id: string): void {
    if (this.images.remove(id)) return;
    if (this.pinned.some((a) => a.id === id)) {
      this.pinned = this.pinned.filter((a) => a.id !== id);
      this.refresh();
      return;
    }
    const found = this.attachments.find((a) => a.id === id);
    if (!found) return;
    this.dismissed.add(attachmentKey(found));
    this.attachments = this.attachments.filter((a) => a.id !== id);
    this.refresh();
  }

  /** The workspace paths of the files and selections the chips attach (Ask mode's nested AGENTS.md). */
  attachedPaths(): string[] {
    return [...this.pinned, ...this.attachments]
      .filter((a) => a.kind === 'file' || a.kind === 'selection')
      .map((a) => a.path);
  }

  /** Re-posts chips (token counts depend on the model's context window). */
  refresh(): void {
    this.env.post({ type: 'attachments', attachments: this.views() });
  }

  /** A new chat: chips the user removed may come back. */
  forgetDismissed(): void {
    this.dismissed.clear();
  }

  /**
   * Takes the context of a message: a command's own (`given`), else the chips the webview showed
   * (`shownIds`; all when absent); the `@`-picked ones are used up. The same context is never sent
   * twice (an automatic and a picked chip of one selection). `withImages: false` leaves images.
   */
  take(
    text: string,
    given: readonly Attachment[] | undefined,
    shownIds: readonly string[] | undefined,
    withImages = true,
  ): TakenContext {
    const shown = shownIds ? new Set(shownIds) : undefined;
    const context = uniqueAttachments(given ?? this.chips().filter((a) => !shown || shown.has(a.id)));
    const images = given || !withImages ? [] : this.images.take(shown);
    const fitted = this.fit(text, context, images.length);
    const usedPicked = !given && this.pinned.length > 0;
    if (usedPicked) this.pinned = [];
    return { fitted, images, usedPicked };
  }

  /** The chips: picked ones first; an automatic one only where nothing picked covers the same source. */
  chips(): Attachment[] {
    return uniqueAttachments([...this.pinned, ...this.attachments]);
  }

  /** Fits the context next to the text and `images` images (each counted as {@link IMAGE_TOKENS}). */
  fit(
    text: string,
    attachments: readonly Attachment[] = this.chips(),
    images = this.images.pending().length,
  ): FittedAttachment[] {
    const settings = this.env.settings();
    const info = this.env.modelInfo(settings.model);
    const contextLength = info?.contextLength ?? DEFAULT_CONTEXT_LENGTH;
    const reserved = Math.min(settings.maxOutputTokens, Math.floor(contextLength / 2));
    return fitAttachments({
      attachments,
      contextLength,
      reservedOutput: reserved,
      otherTokens:
        estimateTokens(systemPrompt(this.env.instructions?.())) + estimateTokens(text) + images * IMAGE_TOKENS,
    });
  }

  views(): AttachmentView[] {
    const images = this.images.pending().map((ref) => this.images.view(ref));
    // No chips, nothing to count: this runs at activation, before the tokenizer is worth loading.
    const attachments = this.chips();
    if (attachments.length === 0) return images;
    return [...this.fit('', attachments).map(toAttachmentView), ...images];
  }
}

export function toAttachmentView(f: FittedAttachment): AttachmentView {
  return {
    id: f.attachment.id,
    kind: f.attachment.kind,
    label: attachmentLabel(f.attachment),
    tokens: f.tokens,
    truncated: f.truncated,
    originalTokens: f.originalTokens,
    ...(f.dropped ? { dropped: true } : {}),
  };
}
