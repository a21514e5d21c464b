/**
 * The verdict on a parsed command line (shellSyntax.ts), one simple command at a time:
 *
 * - the built-in deny list, matched on what will run — the program's name after quotes, paths and
 *   wrappers (`env`, `command`, `nice`, `xargs`, `find -exec`, `bash -c '…'`, `eval '…'` are looked
 *   through) — privilege (`sudo`, `su`, `doas`, `pkexec`, `run0`), recursive deletes (and
 *   `chmod -R` / `chown -R`) whose target is outside the workspace, computed, or after a `cd`, and
 *   the key store, and any word that names a protected path (protectedPaths.ts: `.vscode/tasks.json`,
 *   `.git/hooks/…`, `.npmrc` — in an argument, an `--opt=value`, a redirection, an assignment or a
 *   `bash -c` string); these always ask, whatever the settings say;
 * - the user's `deniedCommands`, on the same resolved words;
 * - `allowedCommands`: a line is allowed only when every simple command matches an allowed prefix
 *   with its program spelled plainly, sets no variables, has no argument after the prefix that runs
 *   code (programs.ts), and every redirection writes inside the workspace.
 *
 * Pure.
 */
import { gitConfigCommands } from './gitArguments';
import { parallelTemplate } from './commandStrings';
import { COMMAND_VARIABLE, hiddenVariable, makeVariables, optionCommands, variableCommand } from './commandValues';
import { evaluatedCode, hiddenCode, xargsArguments, xargsCode } from './hiddenCode';
import { inlineCode } from './inlineCode';
import { codeRunningArgument, findExecs, inlineScript, packageExec, programName, unwrap } from './programs';
import { protectedWordReason } from './protectedPaths';
import type { ParsedCommandLine, ShellRedirect, ShellWord, SimpleCommand } from './shellSyntax';

/** How deep `bash -c '…'` / `eval '…'` strings are parsed again before the line asks. */
const MAX_NESTING = 3;

export type ParseLine = (text: string) => ParsedCommandLine;

/** `a && b` words collapsed: `pattern` is a word-boundary prefix of `words` (case-sensitive). */
export function matchesPrefix(words: readonly string[], pattern: string): boolean {
  const p = pattern.trim().split(/\s+/).filter(Boolean);
  if (p.length === 0 || p.length > words.length) return false;
  return p.every((w, i) =>
    i === p.length - 1 ? words[i] === w || (/[^\w]$/.test(w) && words[i]!.startsWith(w)) : words[i] === w,
  );
}

/** The argv of every program a simple command runs, wrappers looked through (the first is the command itself). */
export function programsRun(
  argv: readonly string[],
  parse: ParseLine,
  depth = 0,
  input = false,
  assignments: readonly string[] = [],
): { argvs: string[][]; opaque: string | undefined } {
  const argvs: string[][] = [];
  let opaque: string | undefined;
  const lookThrough = (scripts: HandedOn): void => {
    opaque ??= scripts.hidden;
    for (const script of scripts.commands) {
      if (depth >= MAX_NESTING) opaque = 'commands nested too deeply';
      else {
        const inner = innerLine(parse(script), parse, depth + 1, input);
        argvs.push(...inner.argvs);
        opaque ??= inner.opaque;
      }
    }
  };
  lookThrough(assignedCommands(assignments, parse));
  opaque ??= evaluatedCode([], assignments);
  let current: readonly string[] | undefined = argv;
  // The program xargs runs gets words from its input too.
  let fromXargs = false;
  for (let hops = 0; current && current.length > 0 && hops < 8; hops++) {
    const program = programName(current[0]!);
    const args = current.slice(1);
    argvs.push([program, ...args]);
    if (fromXargs) opaque ??= xargsArguments(program, args);
    opaque ??= evaluatedCode([program, ...args]);
    // Code fed through the input, a descriptor or xargs (hiddenCode.ts), or written in the arguments in another language (inlineCode.ts).
    opaque ??=
      hiddenCode(program, args, input) ??
      inlineCode(program, args) ??
      (program === 'xargs' ? xargsCode(args) : undefined);
    // What `find -exec` runs is looked through like the line's own commands (`-exec sh -c '…' \;`).
    if (program === 'find')
      for (const run of findExecs(args)) {
        if (!run.length) continue;
        const inner = programsRun(run, parse, depth + 1, input);
        argvs.push(...inner.argvs);
        opaque ??= inner.opaque;
      }
    lookThrough(handedOn(program, args, parse));
    if (program === 'parallel') opaque ??= parallelArguments(args, parse, depth);
    current = program === 'busybox' ? args : (unwrap(program, args) ?? packageExec(program, args));
    // xargs runs its command with no input of the line's (GNU: /dev/null).
    if (program === 'xargs') input = false;
    fromXargs = program === 'xargs';
  }
  return { argvs, opaque };
}

/** Why the program of GNU parallel's command template cannot be judged: parallel adds words to it, as xargs does. */
function parallelArguments(args: readonly string[], parse: ParseLine, depth: number): string | undefined {
  const template = parallelTemplate(args);
  if (template === undefined || depth >= MAX_NESTING) return undefined;
  const [first] = innerLine(parse(template), parse, depth + 1, false).argvs;
  return first ? xargsArguments(programName(first[0]!), first.slice(1), 'parallel') : undefined;
}

/** Command strings a program runs later, looked through like `bash -c '…'`; and why what runs cannot be seen. */
interface HandedOn {
  readonly commands: readonly string[];
  readonly hidden?: string | undefined;
}

/** Builtins whose `NAME=value` words assign variables (their words are as written, quotes and all). */
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);

/** What a program hands on: a shell's `-c`, `env -S`, a `git -c` value, an option's or builtin's command, an exported command variable. */
function handedOn(program: string, args: readonly string[], parse: ParseLine): HandedOn {
  const git = program === 'git' ? gitConfigCommands(args) : { commands: [] };
  const script = inlineScript(program, args);
  const declared = DECLARATIONS.has(program)
    ? assignedCommands(args, parse)
    : program === 'make' || program === 'gmake'
      ? makeVariables(args)
      : { commands: [] };
  return {
    commands: [
      ...(script === undefined ? [] : [script]),
      ...git.commands,
      ...optionCommands(program, args),
      ...declared.commands,
    ],
    hidden: git.hidden ?? declared.hidden ?? (program === 'env' ? envHidden(args) : undefined),
  };
}

/** `env NODE_OPTIONS=--import=data:… node x`: a variable `env` sets that hides code. */
function envHidden(args: readonly string[]): string | undefined {
  for (const a of args) {
    const pair = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(a);
    const hidden = pair ? hiddenVariable(pair[1]!, pair[2]!) : undefined;
    if (hidden) return hidden;
  }
  return undefined;
}

/**
 * The commands of variables that programs run (`GIT_SSH_COMMAND='…' git fetch`, `export PAGER=…`),
 * from `NAME=value` words as written; a computed one, or one that hides code (`NODE_OPTIONS` with
 * inline code), cannot be seen.
 */
function assignedCommands(raws: readonly string[], parse: ParseLine): HandedOn {
  const commands: string[] = [];
  let hidden: string | undefined;
  for (const raw of raws) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\+?=([\s\S]*)$/.exec(raw);
    if (!m) continue;
    const value = fixedValue(m[2]!, parse);
    hidden ??= hiddenVariable(m[1]!, value);
    if (!COMMAND_VARIABLE.test(m[1]!)) continue;
    if (value === undefined) hidden ??= `the value of ${m[1]}, which a program runs, is computed when it runs`;
    else commands.push(variableCommand(m[1]!, value)!);
  }
  return { commands, hidden };
}

/** A word's text after quote removal when it is fixed (`'sudo id'` → `sudo id`), else undefined. */
function fixedValue(raw: string, parse: ParseLine): string | undefined {
  if (raw === '') return '';
  // Read as an argument of `:` (alone, `a=b` would read as an assignment).
  const line = parse(`: ${raw}`);
  const [only] = line.commands;
  if (line.unclassified.length || line.commands.length !== 1 || only?.words.length !== 2) return undefined;
  const word = only.words[1]!;
  return word.expands === 'none' ? word.value : undefined;
}

function innerLine(
  line: ParsedCommandLine,
  parse: ParseLine,
  depth: number,
  input: boolean,
): { argvs: string[][]; opaque: string | undefined } {
  if (line.unclassified.length) return { argvs: [], opaque: `a command string with ${line.unclassified[0]}` };
  const argvs: string[][] = [];
  let opaque: string | undefined;
  for (const c of line.commands) {
    // Assignments alone (`PAGER='…'; git log`) have no words: only their values are looked through.
    const words = c.words.length ? fixedWords(c) : [];
    if (!words) {
      opaque ??= 'a command string whose words are computed when it runs';
      continue;
    }
    const r = programsRun(words, parse, depth, input || c.input === true, c.assignments);
    argvs.push(...r.argvs);
    opaque ??= r.opaque;
  }
  return { argvs, opaque };
}

/** The words' fixed values, or undefined when the program's name is computed at run time. */
function fixedWords(c: SimpleCommand): string[] | undefined {
  const [first] = c.words;
  if (!first || first.value === undefined || first.expands !== 'none') return undefined;
  return c.words.map((w) => w.value ?? w.raw);
}

/** Paths of the key store, the editor's storage and SSH keys. */
const KEY_STORE_PATHS =
  /state\.vscdb|SecretStorage|globalStorage|libsecret|keyrings|\.ssh(\/|\b)|id_rsa|id_dsa|id_ed25519|id_ecdsa/i;

const PRIVILEGE = new Set(['sudo', 'su', 'doas', 'pkexec', 'run0', 'runas', 'gsudo', 'runuser', 'sg', 'newgrp']);

/**
 * Why one program's argv is on the built-in deny list, or undefined. `cwdMoved`: an earlier part
 * of the line changes folder (`cd`, `pushd`), so relative targets are not the workspace's.
 */
export function builtInDenial(argv: readonly string[], cwdMoved: boolean): string | undefined {
  const [program = '', ...args] = argv;
  if (PRIVILEGE.has(program)) return `${program} runs as another user`;
  if (isRecursive(program, args)) {
    const targets = args.filter((a) => !a.startsWith('-') || a === '-');
    const outside = targets.find(isOutsideTarget);
    if (outside !== undefined || targets.length === 0 || cwdMoved) {
      return `${program} -r of ${outside ?? (targets.length === 0 ? 'an unstated target' : 'a path after a change of folder')} may reach outside the workspace`;
    }
  }
  const text = argv.join(' ');
  if (
    /^(secret-tool|keyring|gnome-keyring-daemon|kwallet-query)$/.test(program) ||
    (program === 'security' && /-(password|keychain)/.test(text)) ||
    KEY_STORE_PATHS.test(text)
  ) {
    return "it would touch the key store or the editor's storage";
  }
  return undefined;
}

function isRecursive(program: string, args: readonly string[]): boolean {
  const recursiveFlag = args.some(
    (a) => (/^-[a-zA-Z]*[rR]/.test(a) && !a.startsWith('--')) || /^--rec(u(r(s(i(ve?)?)?)?)?)?$/.test(a),
  );
  if (program === 'rm' || program === 'chmod' || program === 'chown' || program === 'chgrp') return recursiveFlag;
  if (program === 'rmdir') return args.some((a) => a === '-p' || a === '--parents');
  if (program === 'find') return args.includes('-delete');
  if (program === 'shred') return true;
  if (/^(Remove-Item|rd|del|erase)$/i.test(program))
    return args.some((a) => /^-(r|recurse)$/i.test(a) || /^\/s$/i.test(a));
  return false;
}

/** A path that is not plainly inside the workspace: absolute, home, climbing out, the root's everything, or computed. */
export function isOutsideTarget(target: string): boolean {
  const t = target.replace(/\\/g, '/');
  return (
    /^(\/|~|\$|[A-Za-z]:)/.test(t) ||
    t.split('/').includes('..') ||
    /^(\.|\.\/|\*|\.\/\*|\.\*|\.\/\.\*)$/.test(t) ||
    /[`$]/.test(t) ||
    t.includes('{}')
  );
}

/** Why a redirection cannot be auto-approved, or undefined (a write inside the workspace, a read, an fd copy). */
export function redirectProblem(r: ShellRedirect): string | undefined {
  if (r.kind === 'duplicate' || r.kind === 'heredoc') return undefined;
  const t = r.target;
  if (!t || t.value === undefined || t.expands !== 'none')
    return `the ${r.operator} target ${t?.raw ?? ''} is computed when it runs`;
  if (/^\/dev\/(null|stdout|stderr|fd\/[0-2])$/.test(t.value)) return undefined;
  if (isOutsideTarget(t.value))
    return `${r.kind === 'read' ? 'it reads' : 'it writes'} ${t.value}, outside the workspace`;
  return undefined;
}

/** The line's words as the deny list and patterns see them: every program run, with the parse's problems. */
export interface ResolvedLine {
  /** Each program's argv, and whether an earlier part of the line changed folder. */
  readonly runs: readonly { readonly argv: readonly string[]; readonly cwdMoved: boolean }[];
  /** Simple commands that cannot be resolved (computed program names, nested strings too deep). */
  readonly opaque: readonly string[];
  /** Every redirection's fixed target (`< ~/.ssh/id_rsa`). */
  readonly targets: readonly string[];
  /** Every piece of text of the line that could be a path: words, assignments' values and targets, split at shell punctuation. */
  readonly mentions: readonly string[];
}

/** The path-like pieces of a word: `--output=.vscode/x` → `--output`, `.vscode/x`; `echo > .git/hooks/x` in a string → its words. */
const pieces = (text: string): string[] => text.split(/[\s=<>|;&()'"`:]+/).filter(Boolean);

export function resolveLine(line: ParsedCommandLine, parse: ParseLine): ResolvedLine {
  const runs: { argv: string[]; cwdMoved: boolean }[] = [];
  const opaque: string[] = [];
  let cwdMoved = false;
  for (const c of line.commands) {
    const words = c.words.length ? fixedWords(c) : [];
    if (!words) {
      opaque.push(`the program ${c.words[0]!.raw} is computed when it runs`);
      continue;
    }
    const r = programsRun(words, parse, 0, c.input === true, c.assignments);
    for (const argv of r.argvs) {
      runs.push({ argv, cwdMoved });
      // `cd`, also inside `bash -c '…'`: later relative paths are not the workspace's.
      if (argv[0] === 'cd' || argv[0] === 'pushd' || argv[0] === 'popd') cwdMoved = true;
    }
    if (r.opaque) opaque.push(r.opaque);
  }
  const targets = line.redirects.flatMap((r) => (r.target?.value !== undefined ? [r.target.value] : []));
  const texts = [
    ...line.commands.flatMap((c) => [...c.assignments, ...c.words.map((w) => w.value ?? w.raw)]),
    ...runs.flatMap((r) => r.argv),
    ...line.redirects.map((r) => r.target?.value ?? r.target?.raw ?? ''),
  ];
  return { runs, opaque, targets, mentions: [...new Set(texts.flatMap(pieces))] };
}

/** The first built-in denial of a resolved line. */
export function lineDenial(resolved: ResolvedLine): string | undefined {
  for (const run of resolved.runs) {
    const denial = builtInDenial(run.argv, run.cwdMoved);
    if (denial) return denial;
  }
  const secret = resolved.targets.find((t) => KEY_STORE_PATHS.test(t));
  if (secret) return `it redirects ${secret}, in the key store or the editor's storage`;
  for (const word of resolved.mentions) {
    const reason = protectedWordReason(word);
    if (reason) return reason;
  }
  return undefined;
}

/** The first user-denied pattern any program of the line matches. */
export function lineDeniedPattern(resolved: ResolvedLine, denied: readonly string[]): string | undefined {
  for (const run of resolved.runs) {
    const hit = denied.find((p) => matchesPrefix(run.argv, p));
    if (hit) return hit;
  }
  return undefined;
}

/** Why the line is not allowed by `allowedCommands`, or undefined when every part of it is. */
export function notAllowedBecause(line: ParsedCommandLine, allowed: readonly string[]): string | undefined {
  if (line.commands.length === 0) return 'it runs no command';
  for (const c of line.commands) {
    const why = simpleNotAllowed(c, allowed);
    if (why) return why;
  }
  for (const r of line.redirects) {
    const why = redirectProblem(r);
    if (why) return why;
  }
  return undefined;
}

function simpleNotAllowed(c: SimpleCommand, allowed: readonly string[]): string | undefined {
  const shown = c.words.map((w) => w.raw).join(' ') || c.assignments.join(' ');
  if (c.assignments.length) return `${shown} sets ${c.assignments[0]!.split('=')[0]}`;
  const [first] = c.words;
  if (
    !first ||
    first.value === undefined ||
    first.expands !== 'none' ||
    first.raw !== first.value ||
    /[\\/]/.test(first.value)
  )
    return `${first?.raw ?? shown} is not a plainly spelled program`;
  const words = c.words.map((w: ShellWord) => w.value ?? w.raw);
  const pattern = allowed.find((p) => matchesPrefix(words, p));
  if (!pattern) return `${shown} is not in allowedCommands`;
  const prefixLength = pattern.trim().split(/\s+/).length;
  const computed = c.words.findIndex((w, i) => i > 0 && w.expands === 'substitution');
  if (computed > 0) return `${shown} has an argument computed by a command`;
  const code = codeRunningArgument(programName(words[0]!), words.slice(1));
  if (code >= prefixLength) return `${words[code]} makes ${words[0]} run code that allowedCommands did not name`;
  return undefined;
}
