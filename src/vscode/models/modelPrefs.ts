/** Favourite and recently used models and each model's reasoning effort, kept in global state (synced across machines). */
import type * as vscode from 'vscode';
import { isReasoningChoice, type ReasoningChoice } from '../../openrouter/reasoning';
import { Listeners } from '../../languageModel/changes';

const FAVOURITES = 'switchyard.favouriteModels';
const RECENTS = 'switchyard.recentModels';
const MAX_RECENTS = 5;
/** `{ [model id]: ReasoningChoice }`: the effort picked per model (header or picker). */
const EFFORTS = 'switchyard.reasoningEffort';

export class ModelPrefs {
  private readonly favouritesChanged = new Listeners();
  /** Fires after a favourite is added or removed (VS Code's chat lists favourites: src/vscode/languageModels/). */
  readonly onDidChangeFavourites = this.favouritesChanged.event;

  constructor(private readonly state: vscode.Memento & { setKeysForSync(keys: readonly string[]): void }) {
    state.setKeysForSync([FAVOURITES, RECENTS, EFFORTS]);
  }

  favourites(): string[] {
    return this.state.get<string[]>(FAVOURITES, []).filter((x) => typeof x === 'string');
  }

  recents(): string[] {
    return this.state.get<string[]>(RECENTS, []).filter((x) => typeof x === 'string');
  }

  async toggleFavourite(id: string): Promise<boolean> {
    const favs = this.favourites();
    const on = !favs.includes(id);
    await this.state.update(FAVOURITES, on ? [...favs, id] : favs.filter((f) => f !== id));
    this.favouritesChanged.fire();
    return on;
  }

  /** The reasoning effort picked for a model, if any (a stored value that is not a choice is ignored). */
  reasoningChoice(model: string): ReasoningChoice | undefined {
    const value = this.efforts()[model];
    return isReasoningChoice(value) ? value : undefined;
  }

  /** Remembers the reasoning effort of a model; `default` forgets it. */
  async setReasoningChoice(model: string, choice: ReasoningChoice): Promise<void> {
    const { [model]: _old, ...rest } = this.efforts();
    await this.state.update(EFFORTS, choice === 'default' ? rest : { ...rest, [model]: choice });
  }

  private efforts(): Readonly<Record<string, unknown>> {
    const raw = this.state.get<unknown>(EFFORTS);
    return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  }

  async recordUse(id: string): Promise<void> {
    await this.state.update(RECENTS, [id, ...this.recents().filter((r) => r !== id)].slice(0, MAX_RECENTS));
  }
}
