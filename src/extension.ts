/** Composition root: build the services, register contributions, log the activation time. */
import * as vscode from 'vscode';
import { registerCommands } from './vscode/commands/commands';
import { createLogger } from './vscode/log';
import { Services } from './vscode/services';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('Switchyard', { log: true });
  const log = createLogger(channel);
  const services = new Services(context, log);
  context.subscriptions.push(channel, services, ...registerCommands(services));
  services.start();
  log.info(
    `Switchyard ${String(context.extension.packageJSON.version)} activated in ${(performance.now() - started).toFixed(1)} ms`,
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
