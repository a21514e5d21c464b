/** Settings problems (malformed values, ignored workspace values), each shown once and logged. */
import * as vscode from 'vscode';
import { notificationText } from '../../openrouter/untrustedText';
import type { Logger } from '../log';

export class SettingsProblems {
  private readonly reported = new Set<string>();

  constructor(private readonly log: Logger) {}

  /** Shows each problem once (with a button to open the settings) and logs it. */
  report(problems: readonly string[]): void {
    for (const problem of problems) {
      if (this.reported.has(problem)) continue;
      this.reported.add(problem);
      this.log.warn(problem);
      // Problems quote settings values, which a cloned repository controls: never markup or links.
      void vscode.window
        .showWarningMessage(notificationText(`Switchyard: ${problem}`), 'Open Settings')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'switchyard');
        });
    }
  }
}
