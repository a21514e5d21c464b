/**
 * Code written in a command's arguments in a language approvals do not read
 * (src/agent/sandbox/inlineCode.ts): an interpreter's inline program, an awk program that runs
 * commands, sed's `e`, an editor's or debugger's commands, `make --eval`, sqlite3's `.shell`, and
 * the same fed to an editor, `at` or sqlite3 through its input (hiddenCode.ts). Such lines always
 * ask, under `allowedCommands` (the programs allowed) and under `autoApprove.command`, wrapped or
 * not; awk and sed programs that only read and print, and script files, are judged as before.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEFAULT_APPROVAL, type ApprovalSettings } from '../../src/agent/policy';
import type { ShellParser } from '../../src/agent/sandbox/shellSyntax';
import { approvalKind, commandVerdict, testShellParser, type ApprovalKind } from './shellGrammar';

let parser: ShellParser;
before(async () => {
  parser = await testShellParser();
});

const ALLOWED: ApprovalSettings = {
  ...DEFAULT_APPROVAL,
  allowedCommands: ['awk', 'gawk', 'sed', 'perl', 'python3', 'node', 'vim', 'make', 'sqlite3', 'gdb', 'echo', 'cat'],
};
const AUTO: ApprovalSettings = { ...DEFAULT_APPROVAL, autoApprove: { read: true, edit: false, command: true } };

type Expect = ApprovalKind;
const verdict = (command: string, settings: ApprovalSettings): Expect => approvalKind(parser, command, settings);

/** Lines that run code written in their arguments or input: always asked, under both settings. */
const INLINE: readonly string[] = [
  // awk's system(), pipes to and from commands, gawk's @load and indirect calls, in every awk.
  `awk 'BEGIN{system("rm -rf x")}'`,
  `awk '{print | "sh"}' f`,
  `awk '{printf "%s\\n", $0 |& "sh"}' f`,
  `awk 'BEGIN{"id" | getline x; print x}'`,
  `gawk 'BEGIN{system("sudo id")}'`,
  `mawk 'BEGIN { system ("id") }'`,
  `nawk -F: 'NR==1{system($1)}' f`,
  `busybox awk 'BEGIN{system("id")}'`,
  `gawk -e 'BEGIN{system("id")}'`,
  `gawk -e'BEGIN{system("id")}'`,
  `gawk --source='BEGIN{system("id")}'`,
  `gawk '@load "filefuncs"; BEGIN{}'`,
  `gawk 'BEGIN{f="system"; @f("id")}'`,
  `gawk -l ./evil.so 'BEGIN{}'`,
  `awk -v x=1 -- 'BEGIN{system("id")}'`,
  `timeout 5 awk 'BEGIN{system("id")}'`,
  `env LC_ALL=C awk 'BEGIN{system("id")}'`,
  `find . -exec awk 'BEGIN{system("id")}' {} +`,
  // sed's e command and s///e behind any spelling.
  `sed '1e rm x' f`,
  `sed 's/x/rm y/e' f`,
  `sed -n -e 'p;$e id' f`,
  `nice sed 's/a/b/ge' f`,
  // Interpreters' inline programs, bundled or attached, wrapped.
  `perl -e 'system("sudo id")'`,
  `perl -lne 'print' f`,
  `perl -E 'say 1'`,
  `perl -pi -e 's/a/b/' f`,
  `perl -Mstrict -we 'print 1'`,
  `ruby -e 'system("id")'`,
  `python3 -c 'import os; os.system("id")'`,
  `python3.12 -Ic 'import os'`,
  `python3 -W ignore -c 'import os'`,
  `node -e 'require("child_process").execSync("id")'`,
  `node --eval='1'`,
  `nodejs -pe 1`,
  `node --require ./hook.js -e 1`,
  `node --import=data:text/javascript,1 app.js`,
  `node --loader 'data:text/javascript,1' app.js`,
  `php -r 'system("id");'`,
  `lua5.4 -e 'os.execute("id")'`,
  `Rscript -e 'system("id")'`,
  `timeout 5 perl -e 'system("id")'`,
  `xargs perl -e 'system("id")' < f`,
  // Editors, debuggers and others that run their commands.
  `vim -c '!id' f`,
  `vim f -c '!id'`,
  `nvim --cmd 'lua os.execute("id")' f`,
  `vim +'!id' f`,
  `ex -c '!id' f`,
  `emacs --batch --eval '(shell-command "id")'`,
  `gdb -batch -ex '!id'`,
  `gdb ./a.out -ex 'shell id'`,
  `dc -e '!id'`,
  `gnuplot -e 'system("id")'`,
  `make --eval='x:;id' x`,
  `make all -E 'x:;id'`,
  `sqlite3 x.db '.shell id'`,
  `sqlite3 x.db '.sys id'`,
  `sqlite3 x.db ".once '|id'" 'select 1'`,
  `sqlite3 x.db "select load_extension('./x.so')"`,
  // The same read from the input.
  `echo '!id' | ex f`,
  `echo '!id' | ed f`,
  `ed -s f <<< '!id'`,
  `vim -es f < cmds`,
  `echo '.shell id' | sqlite3 x.db`,
  `echo id | at now`,
  `batch <<< id`,
  `m4 <<< 'syscmd(id)'`,
];

/**
 * Lines whose code is in view or that only read, print or write files: [command, under ALLOWED,
 * under AUTO]. (`allowedCommands` still asks wherever a code flag appears at all, as before.)
 */
const KEPT: readonly (readonly [string, Expect, Expect])[] = [
  [`awk '{print $1}' f`, 'auto', 'auto'],
  [`awk -F'|' '{print $2}' f`, 'auto', 'auto'],
  [`awk -F '|' '{print $2 || $3}' f`, 'auto', 'auto'],
  [`awk 'NR > 1 {s += $3} END {print s > "sum.txt"}' f`, 'auto', 'auto'],
  [`gawk -v n=3 'NR==n' f`, 'auto', 'auto'],
  [`awk -f prog.awk f`, 'ask', 'auto'],
  [`sed -n 1p f`, 'auto', 'auto'],
  [`sed 's/a/b/w out.txt' f`, 'ask', 'auto'],
  [`sed -f script.sed f`, 'ask', 'auto'],
  [`perl x.pl -e`, 'ask', 'auto'],
  [`python3 tool.py -c x`, 'ask', 'auto'],
  [`python3 -m pytest -c pytest.ini`, 'ask', 'auto'],
  [`node app.js -p 3000`, 'ask', 'auto'],
  [`vim +10 f`, 'ask', 'auto'],
  [`echo x | vim -`, 'auto', 'auto'],
  [`make build`, 'auto', 'auto'],
  [`make -e build`, 'auto', 'auto'],
  [`sqlite3 x.db 'select 1'`, 'auto', 'auto'],
  [`sqlite3 x.db .tables`, 'auto', 'auto'],
  [`echo 'select 1;' | sqlite3 x.db 'select 2'`, 'auto', 'auto'],
];

describe('command classifier: code written in the arguments in another language', () => {
  for (const command of INLINE)
    it(JSON.stringify(command), () => {
      assert.equal(verdict(command, ALLOWED), 'deny', 'allowedCommands');
      assert.equal(verdict(command, AUTO), 'deny', 'autoApprove.command');
      assert.match(commandVerdict(parser, command, AUTO).reason, /approvals do not (read|see)/);
    });
  for (const [command, allowed, auto] of KEPT)
    it(`${JSON.stringify(command)} (kept)`, () => {
      assert.equal(verdict(command, ALLOWED), allowed, 'allowedCommands');
      assert.equal(verdict(command, AUTO), auto, 'autoApprove.command');
    });
});
