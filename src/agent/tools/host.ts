/**
 * What the built-in tools need of the editor, injected so the tools stay pure: a file's text, the
 * workspace's file list, a search, the problems VS Code knows, and a command run. Every path is
 * workspace-relative; a path that may not be used (outside the workspace, a secret the user
 * declined) is a {@link Refused} result for the model, never a throw. src/vscode/agent/agentTools.ts
 * implements it; tests use a workspace in memory.
 */
import type { SearchQuery } from '../search';

/** What a tool produced, before capping and redaction. */
export interface ToolRun {
  readonly ok: boolean;
  readonly content: string;
  /** One line for the card ("exit code 0", "12 files"). */
  readonly summary?: string;
}

/** A path or call the host would not serve: the sentence for the model and the card's summary. */
export interface Refused {
  readonly ok: false;
  readonly content: string;
  readonly summary?: string;
}

/** What a running call hears from the task: the card's timeout notice, and whether the user allowed this command the network. */
export interface RunEvents {
  onStillRunning(): void;
  readonly allowNetwork?: boolean;
  /** Missing protected paths (absolute) the user, asked, let this command create: `git init`'s `.git`. */
  readonly creates?: readonly string[];
}

/** What a tool's run gets besides its arguments. */
export interface RunContext {
  readonly signal: AbortSignal;
  readonly events: RunEvents;
}

/** One problem VS Code knows (1-based line and column). */
export interface Problem {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly severity: 'error' | 'warning' | 'info' | 'hint';
  readonly message: string;
  readonly source?: string;
}

export interface ToolHost {
  /** A text file to read (links followed, secret reads asked about): its workspace-relative name and text. */
  readText(path: string): Promise<{ ok: true; rel: string; text: string } | Refused>;
  /** The folder's workspace-relative name ('' for the root) and the workspace's files (ignore rules honoured, confined). */
  listFiles(folder: string): Promise<{ ok: true; rel: string; files: readonly string[] } | Refused>;
  searchText(query: SearchQuery, signal: AbortSignal): Promise<ToolRun>;
  /** Problems of one file, or of the whole workspace when `path` is undefined. */
  diagnostics(path: string | undefined): Promise<{ ok: true; problems: readonly Problem[] } | Refused>;
  /** Runs a command line (sandboxed where possible) at the root or `cwd`; refused in Restricted Mode. */
  runCommand(command: string, cwd: string | undefined, context: RunContext): Promise<ToolRun>;
  /** Secrets known to the host (the user's key) that results must never carry. */
  knownSecrets?(): readonly string[];
}
