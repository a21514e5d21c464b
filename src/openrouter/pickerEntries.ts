/** The model picker's rows, as pure data: favourites, recents, then everything, with a free filter. */
import { pickText } from './untrustedText';
import { formatContextLength, formatPricePerMillion, type ModelInfo } from './catalogue';
import { reasoningChoiceLabel } from '../protocol/reasoning';
import { reasoningChoices, type ReasoningChoice } from './reasoning';

export type PickerEntry =
  | { readonly kind: 'separator'; readonly label: string }
  | {
      readonly kind: 'model';
      readonly model: ModelInfo;
      readonly label: string;
      readonly description: string;
      readonly detail: string;
      readonly favourite: boolean;
      readonly current: boolean;
      /** For models that accept `reasoning`: the effort choices they offer (the row's effort button). */
      readonly reasoningChoices: readonly ReasoningChoice[];
    };

export interface PickerOptions {
  readonly favourites: readonly string[];
  readonly recents: readonly string[];
  readonly freeOnly: boolean;
  readonly current: string;
  /** The reasoning effort remembered per model (shown in the row's detail). */
  readonly effort?: (model: string) => ReasoningChoice | undefined;
}

/** "in $3.00 · out $15.00 /M · 200K ctx · tools · vision" */
export function modelDetail(m: ModelInfo, effort?: ReasoningChoice): string {
  const price = m.isRouter
    ? 'price set per request'
    : m.isFree
      ? 'free'
      : `in ${formatPricePerMillion(m.promptPrice)} · out ${formatPricePerMillion(m.completionPrice)} /M tokens`;
  const thinking = m.supportsReasoning
    ? effort && effort !== 'default'
      ? `reasoning: ${reasoningChoiceLabel(effort).toLowerCase()}`
      : 'reasoning'
    : '';
  const caps = [m.supportsTools ? 'tools' : '', m.supportsVision ? 'vision' : '', thinking].filter(Boolean);
  return [price, `${formatContextLength(m.contextLength)} context`, ...caps].join(' · ');
}

export function pickerEntries(models: readonly ModelInfo[], options: PickerOptions): PickerEntry[] {
  const visible = options.freeOnly ? models.filter((m) => m.isFree) : models;
  const byId = new Map(visible.map((m) => [m.id, m]));
  const fav = new Set(options.favourites);
  const row = (m: ModelInfo): PickerEntry => ({
    kind: 'model',
    model: m,
    // Names and ids come from the network: their `$(icon)` syntax shows literally.
    label: `${fav.has(m.id) ? '$(star-full) ' : ''}${m.id === options.current ? '$(check) ' : ''}${pickText(m.name, 120)}`,
    description: pickText(m.id, 200),
    detail: modelDetail(m, options.effort?.(m.id)),
    favourite: fav.has(m.id),
    current: m.id === options.current,
    reasoningChoices: reasoningChoices(m),
  });
  const out: PickerEntry[] = [];
  const placed = new Set<string>();
  const section = (label: string, ids: readonly string[]): void => {
    const rows = ids.map((id) => byId.get(id)).filter((m): m is ModelInfo => m !== undefined && !placed.has(m.id));
    if (!rows.length) return;
    out.push({ kind: 'separator', label });
    for (const m of rows) {
      placed.add(m.id);
      out.push(row(m));
    }
  };
  section('Favourites', options.favourites);
  section('Recently used', options.recents);
  const rest = [...visible].filter((m) => !placed.has(m.id)).sort((a, b) => a.name.localeCompare(b.name));
  if (rest.length) {
    out.push({ kind: 'separator', label: options.freeOnly ? 'Free models' : 'All models' });
    for (const m of rest) out.push(row(m));
  }
  return out;
}
