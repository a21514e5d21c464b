/**
 * The account feature, built once at activation: credits, rate limits and Test Connection
 * (./accountService.ts), and Sign in with OpenRouter (./signIn.ts), whose pending state shows in
 * the account view and the command palette.
 */
import * as vscode from 'vscode';
import { AccountService, type AccountDeps } from './accountService';
import { SignIn, type SignInDeps } from './signIn';

export interface AccountFeatureDeps
  extends Pick<AccountDeps, 'keys' | 'clientFor' | 'log' | 'publish'>, Pick<SignInDeps, 'extensionId' | 'baseUrl'> {
  /** After a sign-in stored its key (the catalogue is fetched again). */
  readonly afterSignIn: () => Promise<void>;
}

export function createAccountFeature(deps: AccountFeatureDeps): { account: AccountService; signIn: SignIn } {
  const account = new AccountService({
    keys: deps.keys,
    baseUrl: () => {
      const b = deps.baseUrl();
      return b.ok ? b.url : undefined;
    },
    clientFor: deps.clientFor,
    log: deps.log,
    publish: deps.publish,
  });
  const signIn = new SignIn({
    extensionId: deps.extensionId,
    keys: deps.keys,
    log: deps.log,
    baseUrl: deps.baseUrl,
    afterSignIn: deps.afterSignIn,
    onPendingChange: (pending) => {
      account.signingIn = pending;
      void vscode.commands.executeCommand('setContext', 'switchyard.signingIn', pending);
      account.publish();
    },
  });
  return { account, signIn };
}
