/**
 * "Sign in with OpenRouter": OAuth PKCE (contract §7). The callback URL is our own URI
 * (`<uriScheme>://<extension id>/auth?state=…`) passed through `asExternalUri`, so desktop VS Code,
 * code-server and Codespaces each get one that leads back to this window. The URI handler
 * accepts only the callback it is waiting for (see {@link SignInFlows}); the code is exchanged
 * for a key, which joins the pool. Any failure leaves the keys as they were.
 */
import { notificationText } from '../../openrouter/untrustedText';
import * as vscode from 'vscode';
import {
  SignInFlows,
  SIGN_IN_TTL_MS,
  authPageUrl,
  callbackParams,
  siteRoot,
  type CallbackVerdict,
} from '../../account/pkce';
import { exchangeAuthCode } from '../../openrouter/authKeys';
import { FailureError } from '../../openrouter/failures';
import { maskKey } from '../../openrouter/secrets';
import type { KeyStore } from './keyStore';
import type { Logger } from '../log';

export const SIGN_IN_LABEL = 'Signed in';

export interface SignInDeps {
  readonly extensionId: string;
  readonly keys: KeyStore;
  readonly log: Logger;
  /** The API base URL, or why it is unusable. */
  readonly baseUrl: () => { ok: true; url: string } | { ok: false; message: string };
  /** After a key was stored: refresh the catalogue and credits. */
  readonly afterSignIn: () => Promise<void>;
  /** A sign-in started or ended (the chat shows "waiting for the browser…"). */
  readonly onPendingChange: (pending: boolean) => void;
  readonly now?: () => number;
}

type Ending =
  | { readonly kind: 'done'; readonly label: string }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'replaced' };

export class SignIn implements vscode.UriHandler, vscode.Disposable {
  readonly flows = new SignInFlows();
  /** Ends the progress notification of the sign-in in progress. */
  private finish: ((ending: Ending) => void) | undefined;

  constructor(private readonly deps: SignInDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Starts a sign-in: opens the consent page and waits (cancellably, ten minutes) for the callback. */
  async run(): Promise<void> {
    const base = this.deps.baseUrl();
    if (!base.ok) {
      void vscode.window.showErrorMessage(
        notificationText(vscode.l10n.t('Switchyard: cannot sign in: {0}', base.message)),
      );
      return;
    }
    this.finish?.({ kind: 'replaced' });
    const pending = this.flows.begin(this.now());
    const ours = vscode.Uri.parse(`${vscode.env.uriScheme}://${this.deps.extensionId}/auth`).with({
      query: `state=${pending.state}`,
    });
    const page = await this.consentPage(base.url, ours, pending.challenge);
    const ended = new Promise<Ending>((resolve) => {
      this.finish = (ending) => {
        this.finish = undefined;
        resolve(ending);
      };
    });
    this.deps.onPendingChange(true);
    const timer = setTimeout(
      () =>
        this.finish?.({
          kind: 'failed',
          message: vscode.l10n.t('No answer from the browser within 10 minutes. Sign in again when you are ready.'),
        }),
      SIGN_IN_TTL_MS,
    );
    // The page URL goes as a string: a vscode.Uri would decode and re-encode the nested
    // callback_url (its own query has `&` in code-server), breaking it. The API accepts a string.
    const opened = await vscode.env.openExternal(page as unknown as vscode.Uri);
    if (!opened) this.finish?.({ kind: 'cancelled' });

    const ending = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Switchyard: waiting for you to sign in with OpenRouter in your browser…'),
        cancellable: true,
      },
      (_progress, token) => {
        token.onCancellationRequested(() => this.finish?.({ kind: 'cancelled' }));
        return ended;
      },
    );
    clearTimeout(timer);
    if (ending.kind !== 'done') this.flows.cancel(pending.state);
    if (ending.kind !== 'replaced') this.deps.onPendingChange(false);
    this.tell(ending);
  }

  /**
   * The consent page's URL for this sign-in, logged without its query. The browser must reach it
   * with its nested callback_url intact. Opening a loopback URL (the fake OpenRouter of `npm start
   * -- --fake`) makes code-server map it onto its port proxy, and that mapping decodes the query
   * once: the callback's own `&` then split it. So we map the bare site ourselves (asExternalUri of
   * a URL without a query is lossless) and open a page URL the workbench leaves as it is. Remote
   * sites come back unchanged.
   */
  private async consentPage(baseUrl: string, ours: vscode.Uri, challenge: string): Promise<string> {
    const callback = await vscode.env.asExternalUri(ours);
    const site = (await vscode.env.asExternalUri(vscode.Uri.parse(siteRoot(baseUrl)))).toString(true);
    const page = authPageUrl(baseUrl, callback.toString(true), challenge, site);
    this.deps.log.info(
      `sign-in started: consent page ${new URL(page).origin}${new URL(page).pathname}, callback ${callback.scheme}://${callback.authority}${callback.path}`,
    );
    return page;
  }

  /** Tells the user how the sign-in ended (a failure offers Sign In Again); a replaced one says nothing. */
  private tell(ending: Ending): void {
    switch (ending.kind) {
      case 'done':
        void vscode.window.showInformationMessage(
          notificationText(
            vscode.l10n.t(
              'Switchyard: signed in with OpenRouter. The new key ({0}) is stored in secret storage.',
              ending.label,
            ),
          ),
        );
        return;
      case 'failed':
        this.deps.log.warn(`sign-in failed: ${ending.message}`);
        void vscode.window
          .showErrorMessage(
            notificationText(vscode.l10n.t('Switchyard: sign-in failed. {0}', ending.message)),
            vscode.l10n.t('Sign In Again'),
          )
          .then((choice) => {
            if (choice) void vscode.commands.executeCommand('switchyard.signIn');
          });
        return;
      case 'cancelled':
        this.deps.log.info('sign-in cancelled; keys unchanged');
        void vscode.window.showInformationMessage(
          notificationText(vscode.l10n.t('Switchyard: sign-in cancelled. Your keys are unchanged.')),
        );
        return;
      case 'replaced':
        return;
    }
  }

  /** Cancels the sign-in in progress, if any. */
  cancel(): boolean {
    if (!this.finish) return false;
    this.finish({ kind: 'cancelled' });
    return true;
  }

  get pending(): boolean {
    return this.finish !== undefined;
  }

  /** The browser came back: `<scheme>://<id>/auth?state=…&code=…` (or `?state=…?code=…`). */
  async handleUri(uri: vscode.Uri): Promise<void> {
    if (uri.path !== '/auth') {
      this.deps.log.warn(`ignored a link to ${uri.path || '/'} (only /auth is handled)`);
      return;
    }
    // `state=S?code=C` and a percent-encoded `?` are read too (see callbackParams).
    const verdict: CallbackVerdict = this.flows.receive(callbackParams(uri.query), this.now());
    switch (verdict.kind) {
      case 'ignore':
        // Forged, replayed or stale: say nothing to the user, change nothing.
        this.deps.log.warn(`ignored a sign-in callback (${verdict.reason}): it does not answer a sign-in in progress`);
        return;
      case 'expired':
        this.finish?.({
          kind: 'failed',
          message: vscode.l10n.t('The sign-in took longer than 10 minutes and has expired. Your keys are unchanged.'),
        });
        return;
      case 'cancelled':
        this.finish?.({ kind: 'cancelled' });
        return;
      case 'accept':
        break;
    }
    const base = this.deps.baseUrl();
    if (!base.ok) {
      this.finish?.({ kind: 'failed', message: base.message });
      return;
    }
    try {
      const key = await exchangeAuthCode(base.url, verdict.code, verdict.pending.verifier);
      const added = await this.deps.keys.add(key, SIGN_IN_LABEL);
      this.deps.log.info(`signed in: key ${maskKey(key)} stored as "${added.label}"`);
      this.finish?.({ kind: 'done', label: `${added.label}, ${added.masked}` });
      await this.deps.afterSignIn();
    } catch (error) {
      const message =
        error instanceof FailureError ? `${error.failure.title}. ${error.failure.message}` : String(error);
      this.finish?.({ kind: 'failed', message });
    }
  }

  dispose(): void {
    this.finish?.({ kind: 'cancelled' });
  }
}
