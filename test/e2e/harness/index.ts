/** The end-to-end harness: code-server + Chromium driving the packaged extension. */
export * from './browser';
export * from './codeServer';
export * from './fixtures';
export * from './logs';
export * from './paths';
export * from './quickPickWaits';
export * from './selectors';
export * from './session';
export * from './wait';
export * from './workbench';
