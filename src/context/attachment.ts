/** A piece of editor context attached to a message. */
export interface Attachment {
  readonly id: string;
  readonly kind: 'selection' | 'file';
  /** Workspace-relative path (or file name) of the source. */
  readonly path: string;
  readonly language: string;
  /** 1-based inclusive line range of `content` in the file, when known. */
  readonly startLine?: number;
  readonly endLine?: number;
  readonly content: string;
}

/** `src/app.ts:10-24` or `src/app.ts`. */
export function attachmentLabel(a: Pick<Attachment, 'path' | 'startLine' | 'endLine'>): string {
  if (a.startLine === undefined) return a.path;
  return a.endLine !== undefined && a.endLine !== a.startLine ? `${a.path}:${a.startLine}-${a.endLine}` : `${a.path}:${a.startLine}`;
}

/** The attachment as the model sees it: a labelled fenced block. */
export function renderAttachment(a: Attachment, content: string = a.content, truncated = false): string {
  const fence = content.includes('```') ? '````' : '```';
  const what = a.kind === 'selection' ? 'Selected code' : 'Active file';
  const note = truncated ? ' (truncated to fit the context window)' : '';
  return `${what} from ${attachmentLabel(a)}${note}:\n${fence}${a.language}\n${content}\n${fence}`;
}
