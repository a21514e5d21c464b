/** What VS Code's chat is offered: Auto, the pick and its fallbacks, routes, favourites, with the catalogue's limits. */
import type { ModelListInput } from '../../languageModel/models';
import type { RoutingPolicy } from '../../routing/types';
import type { CatalogueService } from '../models/catalogueService';
import type { ModelPrefs } from '../models/modelPrefs';
import type { SwitchyardSettings } from '../settings/settings';

export function languageModelList(
  s: SwitchyardSettings,
  policy: RoutingPolicy,
  catalogue: CatalogueService,
  prefs: ModelPrefs,
): ModelListInput {
  return {
    lookup: (id) => catalogue.peek(id),
    picked: s.model,
    fallbackModels: s.fallbackModels,
    routes: policy.routes,
    favourites: prefs.favourites(),
    tiers: policy.tiers,
    maxOutputTokens: s.maxOutputTokens,
  };
}
