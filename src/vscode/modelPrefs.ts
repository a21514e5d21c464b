/** Favourite and recently used models, kept in global state (synced across machines). */
import type * as vscode from 'vscode';

const FAVOURITES = 'switchyard.favouriteModels';
const RECENTS = 'switchyard.recentModels';
const MAX_RECENTS = 5;

export class ModelPrefs {
  constructor(private readonly state: vscode.Memento & { setKeysForSync(keys: readonly string[]): void }) {
    state.setKeysForSync([FAVOURITES, RECENTS]);
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
    return on;
  }

  async recordUse(id: string): Promise<void> {
    await this.state.update(RECENTS, [id, ...this.recents().filter((r) => r !== id)].slice(0, MAX_RECENTS));
  }
}
