/**
 * Shell commands handed to a program as the value of an option, a variable or a builtin's
 * argument, which it runs later (through a shell or as a program and its arguments): `tar
 * --to-command`, `--checkpoint-action=exec=`, `-I`; `rsync -e`; `ssh -o ProxyCommand=`; `zip -TT`;
 * `man -P`; `rg --pre`; `npx -c` / `npm exec --call`; `trap '…' EXIT`; `alias x='…'`;
 * `complete -C`; `mapfile -C`; `bind -x`; `fc -e`; `hash -p`; and variables that programs run
 * (`GIT_SSH_COMMAND`, `PAGER`, `EDITOR`, `LESSOPEN`, `PROMPT_COMMAND`, `PS4`…), assigned before a
 * command, through `env` or by `export`. commandRules.ts parses each like `bash -c '…'`, so the
 * deny list sees what they run. Pure.
 */
import { optionValue } from './commandStrings';

/** Per program: [short letter ('' for none), long option, the program's short options that take a value]. */
const COMMAND_OPTIONS: Readonly<Record<string, readonly (readonly [string, string, string])[]>> = {
  tar: [
    ['', '--to-command', 'fbCgHKLNTVXFI'],
    ['I', '--use-compress-program', 'fbCgHKLNTVXF'],
    ['', '--rsh-command', 'fbCgHKLNTVXFI'],
    ['', '--checkpoint-action', 'fbCgHKLNTVXFI'],
  ],
  rsync: [
    ['e', '--rsh', 'BfTM'],
    ['', '--rsync-path', 'eBfTM'],
  ],
  zip: [['', '--unzip-command', 'bnt']],
  man: [['P', '--pager', 'CMLmSsepRE']],
  rg: [['', '--pre', 'ABCEefgjmMrtT']],
  npx: [['c', '--call', 'p']],
  npm: [['c', '--call', 'pw']],
  pnpm: [['c', '--shell-mode', '']],
};

/** Builtins whose option names a command (`complete -C cmd`, `mapfile -C cmd`, `fc -e editor`, `hash -p path`). */
const BUILTIN_OPTIONS: Readonly<Record<string, readonly [string, string]>> = {
  complete: ['C', 'AaGWFXPSo'],
  compgen: ['C', 'AaGWFXPSo'],
  mapfile: ['C', 'dnOsuc'],
  readarray: ['C', 'dnOsuc'],
  fc: ['e', ''],
  hash: ['p', ''],
};

/** Variables whose value programs run as a command (git, pagers, editors, askpass, less's filters, prompts). */
export const COMMAND_VARIABLE =
  /^(GIT_SSH_COMMAND|GIT_SSH|GIT_PAGER|GIT_EDITOR|GIT_SEQUENCE_EDITOR|GIT_ASKPASS|GIT_EXTERNAL_DIFF|GIT_PROXY_COMMAND|GIT_CONFIG_VALUE_\d+|PAGER|MANPAGER|SYSTEMD_PAGER|EDITOR|VISUAL|SUDO_EDITOR|FCEDIT|SSH_ASKPASS|SUDO_ASKPASS|RSYNC_RSH|CVS_RSH|LESSOPEN|LESSCLOSE|PROMPT_COMMAND|PS[0-4]|BROWSER|FZF_DEFAULT_COMMAND|TAR_OPTIONS|MAKEFLAGS|GNUMAKEFLAGS)$/;

/** Variables that make a program read its settings or code from somewhere the line does not show. */
const HIDDEN_VARIABLE = /^(GIT_CONFIG_PARAMETERS|NODE_OPTIONS)$/;

/** The command a variable's value stands for: less's input filter without its `|`, `||` or `-` mark. */
export function variableCommand(name: string, value: string): string | undefined {
  if (!COMMAND_VARIABLE.test(name)) return undefined;
  return name === 'LESSOPEN' || name === 'LESSCLOSE' ? value.replace(/^\s*(\|\|?|-)/, '') : value;
}

/** Why a variable assigned in the line hides what a program runs, or undefined (`NODE_OPTIONS='--import=data:…'`). */
export function hiddenVariable(name: string, value: string | undefined): string | undefined {
  if (!HIDDEN_VARIABLE.test(name)) return undefined;
  if (name === 'NODE_OPTIONS' && value !== undefined && !/data:|-e\b|--eval|-p\b|--print/.test(value)) return undefined;
  return `${name} makes a program run code the line does not show`;
}

/** Whether some option of `program` hands on a command (`tar --to-command`, `ssh -o ProxyCommand=`). */
export function handsOnCommands(program: string): boolean {
  return Object.hasOwn(COMMAND_OPTIONS, program) || /^(ssh|scp|sftp|zip|env|make|gmake)$/.test(program);
}

/** The commands `program args` hands on as option values or builtin arguments, each a string to parse like `bash -c`. */
export function optionCommands(program: string, args: readonly string[]): string[] {
  const commands: string[] = [];
  const push = (value: string | undefined): void => {
    if (value !== undefined) commands.push(value);
  };
  for (const [short, long, valued] of Object.hasOwn(COMMAND_OPTIONS, program) ? COMMAND_OPTIONS[program]! : []) {
    const value = optionValue(args, short || '\0', long, valued, true);
    if (long === '--checkpoint-action') push(/^exec=([\s\S]*)$/.exec(value ?? '')?.[1]);
    else push(value);
  }
  const builtin = Object.hasOwn(BUILTIN_OPTIONS, program) ? BUILTIN_OPTIONS[program] : undefined;
  if (builtin) push(optionValue(args, builtin[0], '\0', builtin[1], true));
  if (program === 'ssh' || program === 'scp' || program === 'sftp') commands.push(...sshCommands(args));
  if (program === 'trap') push(trapCommand(args));
  // zip's two-letter `-TT cmd` (`--unzip-command`): the command that tests the archive.
  if (program === 'zip') for (let i = 0; i < args.length; i++) if (args[i] === '-TT') push(args[i + 1]);
  if (program === 'alias') for (const a of args) push(/^[^=]+=([\s\S]*)$/.exec(a)?.[1]);
  if (program === 'bind') for (const a of args) push(/^[^:]*:\s*([\s\S]*)$/.exec(a)?.[1]);
  if (program === 'env')
    for (const a of args) {
      const pair = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(a);
      if (pair) push(variableCommand(pair[1]!, pair[2]!));
    }
  return commands;
}

/** ssh's `-o ProxyCommand=…` / `-oLocalCommand …` / `KnownHostsCommand`: the commands it runs here. */
function sshCommands(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const option = a === '-o' ? args[++i] : a.startsWith('-o') ? a.slice(2) : undefined;
    const m = /^\s*(ProxyCommand|LocalCommand|KnownHostsCommand|RemoteCommand)\s*[=\s]\s*([\s\S]*)$/i.exec(
      option ?? '',
    );
    if (m && !/^RemoteCommand$/i.test(m[1]!)) out.push(m[2]!);
  }
  return out;
}

/** `trap 'cmd' SIGNAL…` (also after `--`): the command; none for `trap -p`, `trap -l` or a reset (`-`). */
function trapCommand(args: readonly string[]): string | undefined {
  const rest = args[0] === '--' ? args.slice(1) : args;
  const [first] = rest;
  if (first === undefined || first === '-' || /^-[lp]+$/.test(first) || rest.length < 2) return undefined;
  return first;
}

/**
 * `make NAME=value`: a recipe runs `$(CC) …`, so a value is a command like any other
 * (`make CC='sudo gcc'`); one make evaluates itself (`$(shell …)`, `$(eval …)`) hides code. A
 * value that refers to the line's variables (`PREFIX=$HOME/x`) is left alone.
 */
export function makeVariables(args: readonly string[]): { commands: string[]; hidden?: string } {
  const commands: string[] = [];
  for (const a of args) {
    const pair = /^([A-Za-z_][A-Za-z0-9_.]*)\s*[:?+!]?=([\s\S]*)$/.exec(a);
    if (!pair || a.startsWith('-')) continue;
    const value = pair[2]!;
    if (/\$[({]\s*(shell|eval|file|guile|call|load)\b|`/.test(value))
      return {
        commands,
        hidden: `make evaluates the value of ${pair[1]} (${value.slice(0, 40)}), which approvals do not read`,
      };
    if (!value.includes('$')) commands.push(value);
  }
  return { commands };
}
