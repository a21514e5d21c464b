/**
 * The editor side of the agent's command containment: whether the OS sandbox works here (Linux
 * with a working `bwrap`, probed once by running `true` inside it — user namespaces may be off),
 * the spawn line of one command (src/agent/sandbox/bwrap.ts) with the paths that exist on this
 * machine, the environment without keys (src/agent/sandbox/environment.ts), and the shell parser
 * (its wasm loaded from dist/ on the first command, not at activation).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bwrapArguments, homeSecrets, SYSTEM_HIDDEN_FILES, SYSTEM_HIDDEN_FOLDERS } from '../../agent/sandbox/bwrap';
import { scrubEnvironment } from '../../agent/sandbox/environment';
import { gitInitEnvironment } from '../../agent/sandbox/gitInit';
import { mountPoints, resolved } from '../../agent/sandbox/mountPoints';
import { NestedProtected } from '../../agent/sandbox/nestedProtected';
import { ProtectedPlaceholders } from '../../agent/sandbox/placeholders';
import { loadShellParser, type ShellParser } from '../../agent/sandbox/shellSyntax';
import { knownSecretsForRedaction, type Logger } from '../log';

export interface SandboxStatus {
  readonly sandboxed: boolean;
  /** Why not, for the card, the log and the README's words ("bubblewrap is not installed"). */
  readonly why?: string;
}

/** How one command is started: the program, its arguments and environment. */
export interface SpawnLine {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** The workspace folders as the sandbox mounts them (links resolved): what `placeholders` lie under. */
  readonly folders?: readonly string[];
  /** Empty placeholders standing in for missing protected paths while it runs (absolute). */
  readonly placeholders?: readonly string[];
  /** Call once the process has ended (or failed to start): removes the placeholders it held. */
  readonly release?: () => void;
  /** Call once the process has ended: removes the nested protected paths it created (sandbox/nestedProtected.ts); returns them. */
  readonly undoCreated?: () => Promise<string[]>;
}

export interface SandboxPaths {
  /** The extension's folder (dist/ holds the wasm files). */
  readonly extension: string;
  /** The editor's storage of this extension (`globalStorageUri`); its user-data folder is hidden. */
  readonly globalStorage: string;
}

const BWRAP_CANDIDATES = ['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap'];

export class CommandSandbox {
  private status: Promise<SandboxStatus> | undefined;
  private readonly placeholders: ProtectedPlaceholders;
  private readonly nested: NestedProtected;

  constructor(
    private readonly paths: SandboxPaths,
    private readonly log: Logger,
  ) {
    // Each extension host records its placeholders in the extension's storage: a dead one's are removed.
    this.placeholders = new ProtectedPlaceholders((message) => log.info(message), paths.globalStorage);
    this.nested = new NestedProtected(resolved(os.homedir()), (message) => log.info(message));
  }

  /** The parser of command lines, loaded on first use; undefined (and logged) when it cannot load. */
  async parser(): Promise<ShellParser | undefined> {
    const dist = path.join(this.paths.extension, 'dist');
    try {
      return await loadShellParser({
        runtimeWasm: path.join(dist, 'tree-sitter.wasm'),
        bashWasm: path.join(dist, 'tree-sitter-bash.wasm'),
      });
    } catch (error) {
      this.log.error(`agent: the shell grammar did not load (${String(error)}); every command will ask`);
      return undefined;
    }
  }

  /** Whether commands run sandboxed here (probed once). */
  available(): Promise<SandboxStatus> {
    return (this.status ??= probe().then((s) => {
      this.log.info(
        s.sandboxed ? 'agent: commands run in a bubblewrap sandbox' : `agent: commands are NOT sandboxed (${s.why})`,
      );
      return s;
    }));
  }

  /**
   * How to start `command` in `cwd`: inside bwrap when available, else a plain shell; the environment
   * is key-free. `creatable`: missing protected paths the user let this command create (`git init`'s `.git`).
   */
  async spawnLine(
    command: string,
    cwd: string,
    folders: readonly string[],
    network: boolean,
    creatable: readonly string[] = [],
  ): Promise<SpawnLine> {
    const env = scrubEnvironment(process.env, [
      ...knownSecretsForRedaction(),
      ...(process.env.OPENROUTER_API_KEY ? [process.env.OPENROUTER_API_KEY] : []),
    ]);
    const shell = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
    const status = await this.available();
    if (process.platform === 'win32')
      return { file: process.env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', command], env };
    if (!status.sandboxed) return { file: shell, args: ['-c', command], env };
    const bwrap = BWRAP_CANDIDATES.find((p) => existsSync(p))!;
    const secrets = homeSecrets(os.homedir());
    const userData = userDataFolder(this.paths.globalStorage);
    // Resolved: bwrap cannot make a mount point through a link (sandbox/mountPoints.ts).
    const {
      writable: real,
      hiddenFolders,
      hiddenFiles,
    } = mountPoints(
      folders,
      [...secrets.folders, ...SYSTEM_HIDDEN_FOLDERS, ...(userData ? [userData] : [])],
      [...secrets.files, ...SYSTEM_HIDDEN_FILES],
    );
    // Protected paths, existing or not: a missing one gets a placeholder until the command ends.
    const held = this.placeholders.hold(
      real,
      creatable.map((p) => path.join(resolved(path.dirname(p)), path.basename(p))),
    );
    // `.git` writable for this command: the `git` it runs is found on no folder of the workspace, and no template is copied.
    const runEnv = creatable.length ? gitInitEnvironment(env, real, resolved) : env;
    // Protected names deeper down: the existing ones held read-only, those the command creates removed after it.
    const nested = await this.nested.hold(real);
    const args = bwrapArguments({
      writable: real,
      readOnly: [...held.readOnly, ...nested.existing],
      hiddenFolders,
      hiddenFiles,
      cwd,
      network,
      shell,
      command,
    });
    return {
      file: bwrap,
      args,
      env: runEnv,
      folders: real,
      placeholders: held.placeholders,
      release: held.release,
      undoCreated: nested.undoCreated,
    };
  }
}

/** `…/User/globalStorage/<ext>` → the editor's user-data folder (`…`), which holds its state and secrets. */
function userDataFolder(globalStorage: string): string | undefined {
  const parts = globalStorage.split(path.sep);
  const i = parts.lastIndexOf('User');
  return i > 0 ? parts.slice(0, i).join(path.sep) : undefined;
}

async function probe(): Promise<SandboxStatus> {
  if (process.platform !== 'linux')
    return {
      sandboxed: false,
      why: `no sandbox on ${process.platform === 'darwin' ? 'macOS' : process.platform === 'win32' ? 'Windows' : process.platform} yet`,
    };
  const bwrap = BWRAP_CANDIDATES.find((p) => existsSync(p));
  if (!bwrap) return { sandboxed: false, why: 'bubblewrap (bwrap) is not installed' };
  return new Promise((resolve) => {
    execFile(
      bwrap,
      [
        '--die-with-parent',
        '--unshare-all',
        '--ro-bind',
        '/',
        '/',
        '--dev',
        '/dev',
        '--proc',
        '/proc',
        '--',
        '/bin/sh',
        '-c',
        'true',
      ],
      { timeout: 10_000 },
      (error, _out, stderr) => {
        if (!error) resolve({ sandboxed: true });
        else
          resolve({
            sandboxed: false,
            why: `bubblewrap does not work here (${String(stderr || error.message)
              .trim()
              .split('\n')[0]
              ?.slice(0, 160)}); user namespaces may be disabled`,
          });
      },
    );
  });
}
