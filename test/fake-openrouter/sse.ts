/** Server-sent events as OpenRouter writes them: `data: <json>` events and `: comment` keep-alives. */
import type { ServerResponse } from 'node:http';

/** The keep-alive comment OpenRouter sends before and between events. */
export const KEEP_ALIVE = ': OPENROUTER PROCESSING';

/** Writes one SSE response; silently does nothing once the client is gone. */
export class SseWriter {
  constructor(private readonly res: ServerResponse) {}

  /** Sends the 200 headers (`text/event-stream`, `X-Generation-Id`). */
  open(generationId: string): void {
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Generation-Id': generationId,
    });
  }

  /** True while the response can still be written. */
  get writable(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  /** `: <text>` (default: the keep-alive). */
  comment(text = KEEP_ALIVE.slice(2)): void {
    if (this.writable) this.res.write(`: ${text}\n\n`);
  }

  /** `data: <json>`, or `data: <raw>` for a string (`[DONE]`, broken JSON). */
  data(payload: unknown): void {
    if (this.writable) this.res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
  }

  /** `data: [DONE]`. */
  done(): void {
    this.data('[DONE]');
  }

  /** Ends the response normally. */
  end(): void {
    if (this.writable) this.res.end();
  }

  /**
   * Closes the connection mid-response, after what was written so far is flushed: no `[DONE]`,
   * no final chunk, so the client sees the body end in an error.
   */
  cut(): void {
    const socket = this.res.socket;
    if (socket && !socket.destroyed) socket.end();
    else this.res.destroy();
  }
}
