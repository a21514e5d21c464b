/**
 * A fetch that lets a test act at an exact point of a chat response: when its headers arrived
 * (the generation id is known, no chunk yet), and as its bytes arrive (the first text, thinking or
 * tool-call chunk). Only `/chat/completions` is observed; everything else passes through.
 */
export interface FetchObserver {
  /** The response's headers arrived (before any chunk is read). */
  onHeaders?(): void;
  /** Bytes of the stream, decoded, as they arrive (the chunk is passed on before this is called). */
  onText?(text: string): void;
}

export function observedFetch(observer: FetchObserver): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.includes('/chat/completions')) return response;
    observer.onHeaders?.();
    if (!response.body || !observer.onText) return response;
    const decoder = new TextDecoder();
    const onText = observer.onText;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          controller.enqueue(chunk);
          onText(decoder.decode(chunk, { stream: true }));
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
