/** Small HTTP helpers of the fake: JSON answers, OpenRouter's error envelope, body reading. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** `{"error":{"code","message","metadata"},"user_id"}` — OpenRouter's envelope on every non-2xx. */
export function errorBody(status: number, message: string, metadata?: Record<string, unknown> | null): unknown {
  return { error: { code: status, message, ...(metadata !== undefined ? { metadata } : {}) }, user_id: 'user_fake' };
}

export function sendError(res: ServerResponse, status: number, message: string, metadata?: Record<string, unknown> | null, headers: Record<string, string> = {}): void {
  sendJson(res, status, errorBody(status, message, metadata), headers);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
