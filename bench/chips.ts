/**
 * Chips for large files: the time the host takes to count and fit one 500 KB attachment (what
 * happens when such a file is the active editor with automatic context on). Three shapes: a
 * minified bundle (one long line), a base64 blob (no whitespace at all) and ordinary source.
 * Each run uses a fresh string (the memo would otherwise answer). Target: < 100 ms each.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Attachment } from '../src/context/attachment';
import { fitAttachments } from '../src/context/fit';
import { estimateTokens, tokenizerLoadMs } from '../src/context/tokens';
import { median } from './stats';

const SIZE = 500 * 1024;

function repeatTo(text: string, size: number, joiner = ''): string {
  let out = '';
  while (out.length < size) out += text + joiner;
  return out.slice(0, size);
}

/** Deterministic base64 (xorshift bytes), no line breaks: the worst case for BPE. */
function base64Blob(size: number): string {
  const bytes = new Uint8Array(Math.ceil((size * 3) / 4));
  let x = 2463534242;
  for (let i = 0; i < bytes.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return Buffer.from(bytes).toString('base64').slice(0, size);
}

export function chipTexts(): Record<'minified' | 'base64' | 'source', string> {
  const require = createRequire(import.meta.url);
  const minified = readFileSync(require.resolve('dompurify/dist/purify.min.js'), 'utf8').replace(/\n/g, ';');
  const source = readFileSync(new URL('../src/chat/chatSession.ts', import.meta.url), 'utf8');
  return { minified: repeatTo(minified, SIZE), base64: base64Blob(SIZE), source: repeatTo(source, SIZE, '\n') };
}

export interface ChipRow {
  readonly p50Ms: number;
  readonly maxMs: number;
  readonly tokens: number;
  readonly kib: number;
}

export function benchChips(runs = 7): { tokenizerLoadMs: number } & Record<'minified' | 'base64' | 'source', ChipRow> {
  estimateTokens('warm the tokenizer up');
  const texts = chipTexts();
  const out = { tokenizerLoadMs: Number(tokenizerLoadMs().toFixed(1)) } as { tokenizerLoadMs: number } & Record<
    'minified' | 'base64' | 'source',
    ChipRow
  >;
  for (const [name, text] of Object.entries(texts) as ['minified' | 'base64' | 'source', string][]) {
    const samples: number[] = [];
    let tokens = 0;
    for (let run = 0; run < runs; run++) {
      const content = `// run ${run}\n${text}`;
      const attachment: Attachment = {
        id: `f-${run}`,
        kind: 'file',
        source: 'auto',
        path: `big.${name}`,
        language: 'javascript',
        content,
      };
      const started = performance.now();
      const [fitted] = fitAttachments({
        attachments: [attachment],
        contextLength: 128_000,
        reservedOutput: 4096,
        otherTokens: 200,
      });
      samples.push(performance.now() - started);
      tokens = fitted?.originalTokens ?? 0;
    }
    out[name] = {
      p50Ms: Number(median(samples).toFixed(1)),
      maxMs: Number(Math.max(...samples).toFixed(1)),
      tokens,
      kib: Math.round(text.length / 1024),
    };
  }
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  console.table(benchChips());
}
