/**
 * The API key lives in SecretStorage only, trimmed and never empty. When none is stored,
 * `OPENROUTER_API_KEY` from the environment is used.
 */
import * as vscode from 'vscode';
import { registerSecretForRedaction } from './log';

const SECRET_ID = 'switchyard.openrouter.apiKey';

export type KeySource = 'secretStorage' | 'environment';

export class KeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === SECRET_ID) this.changed.fire();
    });
    registerSecretForRedaction(process.env.OPENROUTER_API_KEY?.trim());
  }

  /** The key to use and where it came from, or `undefined`. */
  async get(): Promise<{ key: string; source: KeySource } | undefined> {
    const stored = (await this.secrets.get(SECRET_ID))?.trim();
    if (stored) {
      registerSecretForRedaction(stored);
      return { key: stored, source: 'secretStorage' };
    }
    const env = process.env.OPENROUTER_API_KEY?.trim();
    return env ? { key: env, source: 'environment' } : undefined;
  }

  async set(key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('An empty key cannot be stored.');
    registerSecretForRedaction(trimmed);
    await this.secrets.store(SECRET_ID, trimmed);
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_ID);
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
