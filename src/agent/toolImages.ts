/**
 * Images that tools return (an MCP server's screenshot or chart) in an agent task.
 *
 * - **Transcript**: a step's tool results are followed by one user message naming the images
 *   ({@link TOOL_IMAGES_NOTE}); it keeps {@link ToolImageRef}s — the bytes are in the image store,
 *   files named by their SHA-256, like the chat's images — so a stored task stays small.
 * - **Wire**, per attempt (./turn.ts gives the turn layer {@link toolImagesForModel}): tool
 *   messages cannot carry images on most providers, so for a model whose catalogue entry takes
 *   image input the note becomes a user turn of `image_url` parts right after the results (as
 *   Cline, pi and OpenCode send them through OpenAI-compatible APIs); for any other model the note
 *   is left out and each tool result says its images were left out and why. At most
 *   {@link MAX_TOOL_IMAGES_PER_REQUEST} of the newest go in one request.
 * - **Context**: each image counts {@link IMAGE_TOKENS}; when the transcript must shrink, older
 *   images are left out before any tool result is elided, and a compaction says how many it
 *   dropped (./transcript.ts, ./compaction.ts). Pure.
 */
import {
  asImageRef,
  IMAGE_TOKENS,
  imageDataUrl,
  STORED_IMAGE_FILE,
  type ImageRef,
  type ImageStore,
} from '../context/images';
import type { WireContentPart } from '../openrouter/wire';
import type { ChatMessageView } from '../protocol/messages';
import type { TurnMessage } from '../turn/attemptBody';

/** An image a tool call returned, stored: the call it answers and the function that returned it. */
export interface ToolImageRef extends ImageRef {
  readonly callId: string;
  /** `shop__chart` */
  readonly tool: string;
}

/** The transcript's user message, which may carry a step's tool images (./transcript.ts's `AgentMessage`). */
export interface UserTurn {
  readonly role: 'user';
  readonly content: string;
  readonly images?: readonly ToolImageRef[];
}

/** Any message of a transcript or request, as far as images go. */
type AnyMessage = { readonly role: string; readonly content?: unknown };

/** How the message that carries a step's tool images starts. */
export const TOOL_IMAGES_NOTE = 'Attached image(s) from the tool results above:';

/** The newest tool images one request carries at most (older ones are named, not sent). */
export const MAX_TOOL_IMAGES_PER_REQUEST = 10;

/** The images a transcript message carries, each checked (a stored task is read back from workspace state). */
export function imagesOf(message: AnyMessage): readonly ToolImageRef[] {
  const images = (message as { images?: unknown }).images;
  if (message.role !== 'user' || !Array.isArray(images)) return [];
  return (images as ToolImageRef[]).filter(
    (r) => asImageRef(r) !== undefined && typeof r.callId === 'string' && typeof r.tool === 'string',
  );
}

/** Whether a message is the one that carries (or carried, before they were left out) a step's tool images. */
export function isToolImages(message: AnyMessage): boolean {
  return message.role === 'user' && typeof message.content === 'string' && message.content.startsWith(TOOL_IMAGES_NOTE);
}

/** The tokens a message's images count for in context fitting. */
export function imageTokens(message: AnyMessage): number {
  return imagesOf(message).length * IMAGE_TOKENS;
}

/** The message after a step's tool results that carries their images (undefined when there are none). */
export function toolImagesMessage(images: readonly ToolImageRef[]): UserTurn | undefined {
  if (!images.length) return undefined;
  return { role: 'user', content: `${TOOL_IMAGES_NOTE} ${images.map((r) => r.name).join('; ')}.`, images };
}

/** The message without its images, saying why they were left out (older images go first when the context is full). */
export function withoutImages(message: UserTurn, why: string): UserTurn {
  const n = imagesOf(message).length;
  if (n === 0) return message;
  return {
    role: 'user',
    content: `${message.content}\n[${n === 1 ? 'This image was' : `These ${n} images were`} left out ${why}.]`,
  };
}

/** The data URLs of the images `messages` carry, by stored file; a file that is gone is left out. */
export async function toolImageUrls(
  messages: readonly AnyMessage[],
  store: Pick<ImageStore, 'read'> | undefined,
): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  for (const ref of messages.flatMap(imagesOf)) {
    if (urls.has(ref.file) || !store) continue;
    const bytes = await store.read(ref.file).catch(() => undefined);
    if (bytes) urls.set(ref.file, imageDataUrl(ref.mime, bytes));
  }
  return urls;
}

/** What the wire form of tool images needs to know about the attempt's model. */
export interface ImageTarget {
  readonly model: string;
  /** The model's catalogue entry lists `image` among its `input_modalities`. */
  readonly canSee: boolean;
  /** Data URLs by stored file ({@link toolImageUrls}). */
  readonly urls: ReadonlyMap<string, string>;
}

/** The transcript as `target.model` takes it: image turns for a vision model, notes in the results for any other. */
export function toolImagesForModel(messages: readonly TurnMessage[], target: ImageTarget): TurnMessage[] {
  const all = messages.flatMap((m) => imagesOf(m));
  if (!all.length) return messages.map(stripImages);
  const sent = new Set(all.slice(-MAX_TOOL_IMAGES_PER_REQUEST).map((r) => r.id));
  const out: TurnMessage[] = [];
  for (const m of messages) {
    const images = imagesOf(m);
    if (!images.length) out.push(stripImages(m));
    else if (target.canSee) out.push(imageTurn(m as UserTurn, images, sent, target.urls));
    else if (!noteLeftOut(out, images, `${target.model} does not accept image input`))
      out.push({ role: 'user', content: leftOutText(m as UserTurn, target.model) });
  }
  return out;
}

/** A message as it goes on the wire: without the transcript's `images` field. */
function stripImages(m: TurnMessage): TurnMessage {
  if (m.role !== 'user' || !('images' in m)) return m;
  const { images: _kept, ...rest } = m as UserTurn;
  return rest as TurnMessage;
}

/** A vision model's turn: the note, then one `image_url` part per image still stored and among the newest. */
function imageTurn(
  m: { readonly content: string },
  images: readonly ToolImageRef[],
  sent: ReadonlySet<string>,
  urls: ReadonlyMap<string, string>,
): TurnMessage {
  const parts: WireContentPart[] = [];
  const notes: string[] = [];
  for (const r of images) {
    const url = urls.get(r.file);
    if (!sent.has(r.id)) notes.push(`${r.name} is not sent again (only the ${MAX_TOOL_IMAGES_PER_REQUEST} newest are)`);
    else if (!url) notes.push(`${r.name} is no longer stored`);
    else parts.push({ type: 'image_url', image_url: { url } });
  }
  const text = notes.length ? `${m.content}\n[${notes.join('; ')}.]` : m.content;
  return parts.length ? { role: 'user', content: [{ type: 'text', text }, ...parts] } : { role: 'user', content: text };
}

/**
 * Appends "image N left out: why" to the tool results (already in `out`) the images came from;
 * false when none of them is there (the images' turn then stays, as text).
 */
function noteLeftOut(out: TurnMessage[], images: readonly ToolImageRef[], why: string): boolean {
  let noted = false;
  for (let i = 0; i < out.length; i++) {
    const m = out[i]!;
    if (m.role !== 'tool' || typeof m.content !== 'string') continue;
    const mine = images.filter((r) => r.callId === m.tool_call_id);
    if (!mine.length) continue;
    const names = mine.map((r) => r.name).join(', ');
    out[i] = { ...m, content: `${m.content}\n[${names} left out: ${why}.]` };
    noted = true;
  }
  return noted;
}

function leftOutText(m: { readonly content: string }, model: string): string {
  return `${m.content}\n[Left out: ${model} does not accept image input.]`;
}

/**
 * The task's messages with their cards' thumbnails pointing where the webview can load them now
 * (`src` is made again from the stored file: a reload or another window has other resource URIs;
 * a file name that is not one of the store's is shown as no picture).
 */
export function withImageSources(
  messages: readonly ChatMessageView[],
  src: (file: string) => string,
): readonly ChatMessageView[] {
  if (!messages.some((m) => m.tools?.some((t) => t.images?.length))) return messages;
  return messages.map((m) =>
    m.tools?.some((t) => t.images?.length)
      ? {
          ...m,
          tools: m.tools.map((t) =>
            t.images?.length
              ? {
                  ...t,
                  images: t.images.map((i) => ({ ...i, src: STORED_IMAGE_FILE.test(i.file) ? src(i.file) : '' })),
                }
              : t,
          ),
        }
      : m,
  );
}
