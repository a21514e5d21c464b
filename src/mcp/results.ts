/**
 * An MCP `tools/call` result as the model gets it: text parts as they are, structured content as
 * JSON (when the server sent no text), resource links and embedded resources as a line naming
 * them (an embedded text resource with its text), images kept aside (as the server sent them:
 * ./resultImages.ts checks them before they go anywhere) and named in the text. `isError` makes it a failed result. Capping and key redaction happen where every
 * other tool result's do. Pure.
 */

/** The parts of a `CallToolResult` Switchyard reads (the SDK's type, loosely). */
export interface McpCallResult {
  readonly content?: readonly unknown[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
}

export interface McpImage {
  readonly mimeType: string;
  /** Base64 data. */
  readonly data: string;
}

export interface FlatResult {
  readonly ok: boolean;
  readonly text: string;
  readonly images: readonly McpImage[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Flattens a result to text (+ images). Unknown part types are named, not dropped silently. */
export function flattenResult(result: McpCallResult): FlatResult {
  const lines: string[] = [];
  const images: McpImage[] = [];
  for (const part of Array.isArray(result.content) ? result.content : []) {
    if (!isObject(part)) continue;
    switch (part.type) {
      case 'text':
        lines.push(str(part.text));
        break;
      case 'image':
      case 'audio': {
        const mimeType = str(part.mimeType) || 'application/octet-stream';
        const kib = Math.round((str(part.data).length * 3) / 4 / 1024);
        if (part.type === 'image') images.push({ mimeType, data: str(part.data) });
        lines.push(
          part.type === 'image'
            ? `[image ${images.length}: ${mimeType}, ${kib} KiB]`
            : `[audio ${mimeType}, ${kib} KiB]`,
        );
        break;
      }
      case 'resource_link':
        lines.push(
          `[resource ${str(part.name) || str(part.uri)}: ${str(part.uri)}${part.mimeType ? ` (${str(part.mimeType)})` : ''}]${part.description ? ` ${str(part.description)}` : ''}`,
        );
        break;
      case 'resource': {
        const r = isObject(part.resource) ? part.resource : {};
        lines.push(
          typeof r.text === 'string'
            ? `[resource ${str(r.uri)}]\n${r.text}`
            : `[resource ${str(r.uri)}: binary ${str(r.mimeType) || 'data'}]`,
        );
        break;
      }
      default:
        lines.push(`[a ${JSON.stringify(String(part.type)).slice(0, 40)} part Switchyard does not read]`);
    }
  }
  const hasText = lines.some((l) => l.trim() !== '');
  if (result.structuredContent !== undefined && !hasText) lines.push(JSON.stringify(result.structuredContent, null, 1));
  const text =
    lines.join('\n').trim() || (result.isError ? 'The tool failed without saying why.' : 'The tool returned nothing.');
  return { ok: result.isError !== true, text, images };
}
