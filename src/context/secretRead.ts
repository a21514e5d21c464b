/**
 * Whether an agent read must ask first, by the one secret policy (src/openrouter/secrets.ts): a
 * credential file's name (by the name the model gave or the real name behind a link), a
 * credential in the content, or a file Git ignores. Pure: Git's verdict comes from the caller.
 */
import { findSecretLines, isSecretPath } from '../openrouter/secrets';
import { gitPath } from './gitignore';

/** Why a read asks: a credential file's name, a credential in the content, or a file Git ignores. */
export type SecretReadWhy = 'name' | 'content' | 'ignored';

/** One read about to be sent: the workspace-relative path the model gave, the real one, and its text. */
export interface SecretReadFacts {
  readonly givenRel: string;
  readonly realRel: string;
  readonly text: string;
}

/** What the decision needs besides the read. */
export interface SecretReadPolicy {
  /** `switchyard.context.exclude`, on top of the built-in secret names. */
  readonly exclude: readonly string[];
  /** The user's stored keys and the environment's key (found in any form). */
  readonly knownSecrets: readonly string[];
  /** Whether Git ignores a workspace-relative path (nested `.gitignore` files, `.git/info/exclude`). */
  gitIgnored(rel: string): Promise<boolean>;
}

/** Why this read must ask first, or undefined when it may go without asking. */
export async function secretReadWhy(
  read: SecretReadFacts,
  policy: SecretReadPolicy,
): Promise<SecretReadWhy | undefined> {
  const names = [...new Set([gitPath(read.givenRel), gitPath(read.realRel)])].filter(Boolean);
  if (names.some((n) => isSecretPath(n, policy.exclude))) return 'name';
  if (findSecretLines(read.text, policy.knownSecrets).length) return 'content';
  for (const rel of names) if (!/^[A-Za-z]:|^\//.test(rel) && (await policy.gitIgnored(rel))) return 'ignored';
  return undefined;
}
