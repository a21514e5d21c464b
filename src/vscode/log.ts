/**
 * The Switchyard output channel: every line passes through secret redaction, and becomes one line
 * (controls and newlines in quoted values cannot forge another entry).
 */
import * as vscode from 'vscode';
import { redactSecrets } from '../openrouter/secrets';
import { logLine } from '../openrouter/untrustedText';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(): void;
}

/** Keys currently known to the extension, so they are redacted verbatim whatever their shape. */
const knownSecrets = new Set<string>();

export function registerSecretForRedaction(secret: string | undefined): void {
  if (secret && secret.length >= 8) knownSecrets.add(secret);
}

/** The keys known right now (stored pool keys, the environment's key), for redaction at other sinks. */
export function knownSecretsForRedaction(): readonly string[] {
  return [...knownSecrets];
}

export function createLogger(channel: vscode.LogOutputChannel): Logger {
  const clean = (m: string): string => logLine(redactSecrets(m, [...knownSecrets]));
  return {
    info: (m) => channel.info(clean(m)),
    warn: (m) => channel.warn(clean(m)),
    error: (m) => channel.error(clean(m)),
    show: () => channel.show(true),
  };
}
