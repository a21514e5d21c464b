/**
 * The status-bar tooltip as parts: `markdown` parts are Switchyard's own fixed text, `text` parts
 * carry everything that came from settings or the network (the model id — a workspace or a
 * catalogue can make it anything — fallbacks, account lines) and must be added with
 * `MarkdownString.appendText`, which escapes link, image and icon syntax.
 */
import { inertText } from './untrustedText';
import { formatContextLength, formatPricePerMillion, type ModelInfo } from './catalogue';

export type TooltipPart = { readonly markdown: string } | { readonly text: string };

/** `byTask`: the pick is Auto by task (config's `AUTO_BY_TASK`), described instead of the id. */
export function modelTooltipParts(
  modelId: string,
  info: ModelInfo | undefined,
  fallbacks: readonly string[],
  hasKey: boolean,
  accountLines: readonly string[],
  byTask = false,
): TooltipPart[] {
  const parts: TooltipPart[] = byTask
    ? [
        {
          markdown:
            '**Switchyard model**: Auto by task — commands use their tier, chat messages the `chat` tier (`switchyard.routing.tiers`)\n\n',
        },
      ]
    : [{ markdown: '**Switchyard model**: ' }, { text: inertText(modelId, 200) }, { markdown: '\n\n' }];
  if (info) {
    const price = info.isFree
      ? 'Free · '
      : info.isRouter
        ? 'Priced per request · '
        : `In ${formatPricePerMillion(info.promptPrice)} · out ${formatPricePerMillion(info.completionPrice)} per M tokens · `;
    parts.push({ text: `${price}${formatContextLength(info.contextLength)} context` }, { markdown: '\n\n' });
  }
  if (fallbacks.length)
    parts.push(
      { markdown: 'Fallbacks: ' },
      { text: fallbacks.map((f) => inertText(f, 120)).join(' → ') },
      { markdown: '\n\n' },
    );
  if (!hasKey)
    parts.push({
      markdown: '$(warning) No API key set — run **Switchyard: Sign in with OpenRouter** or **Set API Key**\n\n',
    });
  if (hasKey && accountLines.length) {
    parts.push({ markdown: '**Credits**\n\n' });
    for (const line of accountLines) parts.push({ text: inertText(line, 300) }, { markdown: '\n\n' });
  }
  parts.push({ markdown: 'Click to pick another model.' });
  return parts;
}
