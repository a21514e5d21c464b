/**
 * Text bash evaluates as arithmetic, where an array subscript runs its `$(…)`
 * (src/agent/sandbox/hiddenCode.ts, evaluatedCode): `let`, an integer variable's assignments, and
 * a quoted name or value with `[$(…)]` handed to a builtin that reads names or assigned to a
 * variable later used as a number. Bash runs the command though the line shows it only as text,
 * so such lines always ask, like `$((…))`; plain declarations, reads and subscripts are judged as
 * before.
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

const AUTO: ApprovalSettings = { ...DEFAULT_APPROVAL, autoApprove: { read: true, edit: false, command: true } };

const kind = (command: string): ApprovalKind => approvalKind(parser, command, AUTO);

const EVALUATED: readonly string[] = [
  `let 'a[$(sudo id)]'`,
  `let x`,
  `declare -i y; y='a[$(sudo id)]'`,
  `typeset -ai y`,
  `printf -v 'a[$(sudo id)]' x`,
  `read 'a[$(sudo id)]' <<< x`,
  `unset 'a[$(sudo id)]'`,
  `declare 'a[$(sudo id)]=1'`,
  `export 'a[\`sudo id\`]'`,
  `test -v 'a[$(sudo id)]'`,
  `mapfile 'a[$(sudo id)]' < f`,
  `x='a[$(sudo id)]'; echo \${b[x]}`,
  `x='a[$(sudo id)]'; echo \${y:x}`,
  `x='a[$(sudo id)]' bash -c 'echo \${b[x]}'`,
  `bash -c "printf -v 'a[\\$(sudo id)]' x"`,
];

const KEPT: readonly string[] = [
  `declare -a arr`,
  `export X=1`,
  `printf '%s\\n' x`,
  `read -r line < f`,
  `x=1; echo \${a[x]}`,
  `awk '{c[$(NF)]++}' f`,
  `echo 'a[1]'`,
];

describe('command classifier: text bash evaluates as arithmetic', () => {
  for (const command of EVALUATED)
    it(JSON.stringify(command), () => {
      assert.equal(kind(command), 'deny');
      assert.match(commandVerdict(parser, command, AUTO).reason, /evaluates as arithmetic/);
    });
  for (const command of KEPT) it(`${JSON.stringify(command)} (kept)`, () => assert.equal(kind(command), 'auto'));
});
