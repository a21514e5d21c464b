/**
 * The agent's reads under the one secret policy (src/openrouter/secrets.ts): a read asks, like Ask
 * mode's `@file`, whatever the auto-approve settings say, when the file
 * - has a credential file's name (`.env`, `.git/config`, keys, cloud and package-manager
 *   credentials …) by the name the model gave or the name it has behind a link;
 * - is ignored by Git (the `.gitignore` of every folder on its way, `.git/info/exclude`): local
 *   files that were kept out of the repository, often for a reason;
 * - holds a credential by the content rules (a token in a remote URL, a private key block, a
 *   provider key's shape, a password assignment).
 * What a yes sends is redacted (VsCodeAgentTools.run). A yes for an ignored file holds for the
 * window (build output and dependencies are read often); the other kinds ask every time.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { newIgnore } from '../../openrouter/ignorePackage';
import * as vscode from 'vscode';
import { gitIgnores, gitignoreFolders, type GitignoreLayer } from '../../context/gitignore';
import { secretReadWhy, type SecretReadWhy } from '../../context/secretRead';
import { notificationText, quoted } from '../../openrouter/untrustedText';
import { knownSecretsForRedaction, type Logger } from '../log';

export type { SecretReadWhy } from '../../context/secretRead';

/** What the tools need besides the workspace: the secret policy's settings and the user's yes. */
export interface SecretGuard {
  /** `switchyard.context.exclude`, on top of the built-in secret names. */
  exclude(): readonly string[];
  /** Asks (modal, like Ask mode's `@file`) before a secret-looking file is read for the model. */
  confirmRead(shownPath: string, why: SecretReadWhy): Promise<boolean>;
}

/** One read about to be sent: the path the model gave, where it really is, and its text. */
export interface SecretRead {
  readonly given: string;
  readonly realRel: string;
  readonly uri: vscode.Uri;
  readonly text: string;
}

/** The ignore files Git reads for a path of a workspace folder, nearest first, then `.git/info/exclude`. */
async function gitignoreLayers(folderPath: string, rel: string): Promise<GitignoreLayer[]> {
  const files = [
    ...gitignoreFolders(rel).map((dir) => ({ dir, file: path.join(folderPath, dir, '.gitignore') })),
    { dir: '', file: path.join(folderPath, '.git', 'info', 'exclude') },
  ];
  const texts = await Promise.all(files.map((f) => readFile(f.file, 'utf8').catch(() => undefined)));
  return files.flatMap((f, i) => (texts[i] === undefined ? [] : [{ dir: f.dir, rules: newIgnore().add(texts[i]) }]));
}

/** Whether Git ignores a path of the read's workspace folder. */
async function ignoredByGit(uri: vscode.Uri, rel: string): Promise<boolean> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || folder.uri.scheme !== 'file') return false;
  return gitIgnores(rel, await gitignoreLayers(folder.uri.fsPath, rel));
}

const WHY_SHORT: Record<SecretReadWhy, string> = {
  name: 'usually holds secrets (keys, passwords, tokens)',
  ignored: 'is ignored by Git (.gitignore), so it may hold local secrets',
  content: 'contains what looks like a key, token or password',
};

/**
 * Asks before a read `secretReadWhy` flags; the refusal the model reads (and its card summary)
 * when the user says no, or undefined to go on. `allowedIgnored` keeps this window's yes for
 * ignored files.
 */
export async function secretReadRefusal(
  guard: SecretGuard,
  log: Logger,
  read: SecretRead,
  allowedIgnored: Set<string>,
): Promise<{ content: string; summary: string } | undefined> {
  const givenRel = path.isAbsolute(read.given) ? vscode.workspace.asRelativePath(read.given, false) : read.given;
  const why = await secretReadWhy(
    { givenRel, realRel: read.realRel, text: read.text },
    {
      exclude: guard.exclude(),
      knownSecrets: knownSecretsForRedaction(),
      gitIgnored: (rel) => ignoredByGit(read.uri, rel),
    },
  );
  if (!why || (why === 'ignored' && allowedIgnored.has(read.realRel))) return undefined;
  if (await guard.confirmRead(read.realRel, why)) {
    if (why === 'ignored') allowedIgnored.add(read.realRel);
    return undefined;
  }
  log.info(`agent: the user declined reading ${read.realRel} (${why})`);
  return {
    content: `The user declined: ${read.realRel} ${WHY_SHORT[why]}, so it was not read. Do not try to read it another way; ask the user for what you need.`,
    summary: why === 'ignored' ? 'declined: ignored by Git' : 'declined: usually holds secrets',
  };
}

/** Asks (modal, like Ask mode's `@file`) before the agent reads a file `secretReadWhy` flags; only an explicit yes reads it. */
export async function confirmSecretRead(shownPath: string, why: SecretReadWhy): Promise<boolean> {
  const allow = vscode.l10n.t('Allow Read');
  const shown = quoted(shownPath, 160);
  const question =
    why === 'name'
      ? vscode.l10n.t(
          'Switchyard: the agent wants to read {0}, which usually holds secrets (keys, passwords, tokens). Reading it sends its content to the model (redacted). Allow this read?',
          shown,
        )
      : why === 'ignored'
        ? vscode.l10n.t(
            'Switchyard: the agent wants to read {0}, which is ignored by Git (.gitignore), so it may hold local secrets. Reading it sends its content to the model (redacted). Allow this read?',
            shown,
          )
        : vscode.l10n.t(
            'Switchyard: the agent wants to read {0}, which contains what looks like a key, token or password. Reading it sends its content to the model (redacted). Allow this read?',
            shown,
          );
  return (await vscode.window.showWarningMessage(notificationText(question), { modal: true }, allow)) === allow;
}
