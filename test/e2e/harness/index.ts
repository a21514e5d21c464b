/** The end-to-end harness: code-server + Chromium driving the packaged extension. */
export * from './browser';
export * from './codeServer';
export * from './dialogs';
export * from './editors';
export * from './fixtures';
export * from './logs';
export * from './notifications';
export * from './paths';
export * from './quickInput';
export * from './quickPickWaits';
export * from './selectors';
export * from './session';
export * from './wait';
export * from './workbench';
