/**
 * The fake OpenRouter's built-in tool-using model (test/fake-openrouter/autoAgent.ts), which the
 * `--fake` trial's Agent mode meets when no agent script is set: driven by the real AgentSession,
 * routing engine and client over HTTP against workspaces of several kinds (JavaScript with
 * node:test, TypeScript with Jest's expect, Python with pytest, no tests at all), it lists, reads,
 * proposes the edit the tests imply, runs the workspace's test command and summarises what
 * happened — the run's exit code, or the feedback of a rejected edit. Requests without its tools
 * and ordinary chat keep the echo; a script, when set, still wins.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { FIXTURE_MODELS } from '../fake-openrouter/catalogue';
import { type FakeOpenRouter } from '../fake-openrouter/server';
import { agentHarness, type AgentHarness, type AgentHarnessOptions } from '../faults/agentSession';
import {
  arithmeticFix,
  docCommentEdit,
  expectationsIn,
  firstReads,
  importedSources,
  testCommand,
} from '../fake-openrouter/autoFix';
import { fakeOpenRouterPerFile } from './fakeOpenRouterHooks';

const KEY = 'sk-or-v1-fake-agent-test-0000000000';

let fake: FakeOpenRouter;
let models: ModelInfo[];

fakeOpenRouterPerFile(KEY, (f, m) => ((fake = f), (models = m)));

type Decide = (tool: string) => { approve: boolean; feedback?: string };

function harness(
  files: Record<string, string>,
  decide: Decide = () => ({ approve: true }),
  exitCode = 0,
): AgentHarness & { commands: string[] } {
  const commands: string[] = [];
  const onPost: AgentHarnessOptions['onPost'] = (m, h) => {
    if (m.type !== 'messageUpdated') return;
    for (const c of m.message.tools ?? []) {
      if (c.state !== 'waiting') continue;
      const d = decide(c.tool);
      queueMicrotask(() => h.session.decide(c.id, d.approve, d.feedback));
    }
  };
  const h = agentHarness({ baseUrl: fake.baseUrl, models, apiKey: KEY, model: FIXTURE_MODELS.claudeSonnet4, onPost });
  for (const [p, text] of Object.entries(files)) h.workspace.files.set(p, text);
  h.workspace.command = async (command) => {
    commands.push(command);
    return {
      ok: exitCode === 0,
      content: `${exitCode === 0 ? '✔ all tests passed' : '✖ 1 test failed\nexpected 5, got -1'}\n[exit code ${exitCode}]`,
      summary: `exit code ${exitCode}`,
    };
  };
  return Object.assign(h, { commands });
}

/** The files of the README's trial project (examples/trial). */
function trialFiles(): Record<string, string> {
  const root = path.resolve(import.meta.dirname, '../../examples/trial');
  return Object.fromEntries(
    ['package.json', 'README.md', 'src/cart.js', 'test/cart.test.js'].map((p) => [
      p,
      readFileSync(path.join(root, p), 'utf8'),
    ]),
  );
}

const lastText = (h: AgentHarness): string => h.session.views().at(-1)!.text;
const toolsRun = (h: AgentHarness): string[] => h.workspace.runs.map((c) => c.name);

const JS_WORKSPACE = {
  'package.json': '{\n  "name": "calc",\n  "type": "module",\n  "scripts": { "test": "node --test" }\n}\n',
  'src/calc.js': 'export function add(a, b) {\n  return a - b;\n}\n\nexport function double(n) {\n  return n * 2;\n}\n',
  'test/calc.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/calc.js';\n\ntest('adds', () => {\n  assert.equal(add(2, 3), 5);\n  assert.strictEqual(add(-1, 1), 0);\n});\n",
  'README.md': '# calc\n',
};

describe('the fake’s built-in agent, driven by the real agent session', () => {
  it('JavaScript + node:test: lists, reads, fixes the operator the test contradicts, runs npm test and says it passes', async () => {
    const h = harness(JS_WORKSPACE);
    await h.session.send('Make the failing test pass');
    assert.equal(h.workspace.files.get('src/calc.js'), JS_WORKSPACE['src/calc.js'].replace('a - b', 'a + b'));
    assert.deepEqual(
      toolsRun(h).filter((n) => n !== 'read_file'),
      ['list_files', 'run_command'],
    );
    assert.ok(h.workspace.runs.some((c) => c.name === 'read_file' && c.args.path === 'test/calc.test.js'));
    assert.deepEqual(h.commands, ['npm test']);
    assert.match(
      lastText(h),
      /changed `return a - b;` to `return a \+ b;` in src\/calc\.js, and `npm test` passes \(exit code 0\)/,
    );
    const edit = [...h.cards.values()].find((c) => c.tool === 'edit_file')!;
    assert.equal(edit.state, 'done');
    assert.match(edit.diff ?? '', /-\s+return a - b;\n\+\s+return a \+ b;/);
    assert.equal(h.session.views().at(-1)!.status, 'done');
    assert.ok(fake.chatRequests().every((r) => r.status === 200));
  });

  it('the README’s trial project (examples/trial): lineTotal’s + becomes *, npm test is run', async () => {
    const h = harness(trialFiles());
    await h.session.send('Make the failing test pass');
    assert.match(h.workspace.files.get('src/cart.js')!, /return unitPrice \* quantity;/);
    assert.deepEqual(h.commands, ['npm test']);
  });

  it('TypeScript + expect(): an arrow function, the source found through the test’s import, a failing run reported with its output', async () => {
    const h = harness(
      {
        'package.json': '{ "scripts": { "test": "jest" } }',
        'lib/pricing/total.ts': 'export const total = (price: number, qty: number): number => price / qty;\n',
        'lib/pricing/total.spec.ts':
          "import { total } from './total';\n\nit('multiplies', () => {\n  expect(total(4, 5)).toBe(20);\n});\n",
      },
      undefined,
      1,
    );
    await h.session.send('fix the spec');
    assert.equal(
      h.workspace.files.get('lib/pricing/total.ts'),
      'export const total = (price: number, qty: number): number => price * qty;\n',
    );
    assert.deepEqual(h.commands, ['npm test']);
    assert.match(
      lastText(h),
      /`npm test` still fails \(exit code 1\):\n\n```\n✖ 1 test failed\nexpected 5, got -1\n```/,
    );
  });

  it('Python + pytest: multiply written as x + y is fixed and pytest is run', async () => {
    const h = harness({
      'mathops.py': 'def multiply(x, y):\n    return x + y\n',
      'tests/test_mathops.py':
        'from mathops import multiply\n\ndef test_multiply():\n    assert multiply(3, 4) == 12\n',
    });
    await h.session.send('the tests fail, please fix');
    assert.equal(h.workspace.files.get('mathops.py'), 'def multiply(x, y):\n    return x * y\n');
    assert.deepEqual(h.commands, ['python3 -m pytest -q']);
    assert.match(lastText(h), /passes \(exit code 0\)/);
  });

  it('a workspace without tests: a doc comment is proposed and no command is run', async () => {
    const h = harness({ 'src/greet.js': 'export function greetUser(name) {\n  return `Hello, ${name}`;\n}\n' });
    await h.session.send('tidy this up');
    assert.equal(h.workspace.files.get('src/greet.js')!.split('\n')[0], '/** Greet user (takes name). */');
    assert.deepEqual(h.commands, []);
    assert.match(lastText(h), /I found no test command to run\.$/);
  });

  it('a rejected edit: nothing is written, nothing is run, and the summary repeats the user’s feedback', async () => {
    const h = harness(JS_WORKSPACE, (tool) =>
      tool === 'edit_file' ? { approve: false, feedback: 'fix the test instead' } : { approve: true },
    );
    await h.session.send('make the test pass');
    assert.equal(h.workspace.files.get('src/calc.js'), JS_WORKSPACE['src/calc.js']);
    assert.deepEqual(h.commands, []);
    assert.equal(
      lastText(h),
      'Understood: I left src/calc.js unchanged, as you asked (“fix the test instead”). Nothing else was changed.',
    );
  });

  it('a second task in the same chat starts over from its own request', async () => {
    const h = harness(JS_WORKSPACE);
    await h.session.send('make the test pass');
    await h.session.send('and document it');
    assert.equal(toolsRun(h).filter((n) => n === 'list_files').length, 2);
    assert.match(h.workspace.files.get('src/calc.js')!, /\/\*\* Add \(takes a, b\)\. \*\/\nexport function add/);
  });
});

describe('the fake’s built-in agent asked for a subagent in plain words', () => {
  for (const words of ['Use a subagent to find out why the test fails', 'Ask a sub-agent what src/calc.js does'])
    it(`“${words}”: it hands the task to run_subagent, which reads and reports; the answer is the report`, async () => {
      const h = harness(JS_WORKSPACE);
      await h.session.send(words);
      const card = [...h.cards.values()].find((c) => c.tool === 'run_subagent');
      assert.equal(card?.state, 'done', 'one subagent card, done');
      assert.ok((card?.subagent?.steps.length ?? 0) >= 2, 'the subagent listed and read on its own');
      assert.match(lastText(h), /The subagent explored for me\. Its report:\n\nReport: I read \d+ files \(/);
      assert.match(lastText(h), /What I would change in src\/calc\.js: The test expects add\(2, 3\) to be 5/);
      assert.equal(h.workspace.files.get('src/calc.js'), JS_WORKSPACE['src/calc.js'], 'nothing is changed');
      assert.deepEqual(h.commands, [], 'nothing is run');
    });

  it('a task that does not ask for one is not handed to a subagent', async () => {
    const h = harness(JS_WORKSPACE);
    await h.session.send('Make the failing test pass');
    assert.ok(![...h.cards.values()].some((c) => c.tool === 'run_subagent'));
  });
});

describe('the fake as the summarizer of /compact', () => {
  it('the README’s trial walkthrough (fix, subagent, /compact): a summary in the four sections, not the echo', async () => {
    const h = harness(trialFiles());
    await h.session.send('Make the failing test pass');
    await h.session.send('Use a subagent to find out how the cart is tested');
    const before = fake.chatRequests().length;
    await h.session.send('/compact');
    assert.match(h.session.views().at(-1)!.text, /^\*\*Compacted \S+ → \S+ tokens\.\*\*/);
    assert.ok(
      fake
        .chatRequests()
        .slice(before)
        .some((r) => JSON.stringify(r.body).includes('compact the transcript')),
      'a summary request went out',
    );
    await h.session.send('Thanks');
    const next = JSON.stringify(fake.chatRequests().at(-1)!.body);
    assert.match(next, /1\. Request: “Make the failing test pass”/);
    assert.match(next, /2\. Done: list_files; read_file [^;]+; /);
    assert.match(next, /3\. Findings: no command has run yet\./, 'the run is among the steps kept');
    assert.doesNotMatch(next, /Echo from/);
  });
});

describe('the fake’s built-in agent in Plan mode (read-only tools)', () => {
  function planHarness(files: Record<string, string>): { h: AgentHarness; plans: string[] } {
    const plans: string[] = [];
    const h = agentHarness({
      baseUrl: fake.baseUrl,
      models,
      apiKey: KEY,
      model: FIXTURE_MODELS.claudeSonnet4,
      kind: 'plan',
      onPlan: (text) => plans.push(text),
    });
    for (const [p, text] of Object.entries(files)) h.workspace.files.set(p, text);
    return { h, plans };
  }

  it('answers with a plan naming the edit it would make and the test command, and changes nothing', async () => {
    const { h, plans } = planHarness(JS_WORKSPACE);
    await h.session.send('Plan how to make the failing test pass');
    assert.equal(h.workspace.files.get('src/calc.js'), JS_WORKSPACE['src/calc.js']);
    assert.deepEqual([...new Set(toolsRun(h))].sort(), ['list_files', 'read_file']);
    assert.equal(plans.length, 1);
    assert.match(plans[0]!, /^## Plan\n\n1\. In src\/calc\.js, change `return a - b;` to `return a \+ b;`: /);
    assert.match(plans[0]!, /\n2\. Run `npm test` and check that it passes\./);
    assert.doesNotMatch(plans[0]!, /found no test command/);
  });

  it('a workspace without tests: the plan is the doc comment alone; with nothing to propose it says so', async () => {
    const withCode = planHarness({
      'src/greet.js': 'export function greetUser(name) {\n  return `Hello, ${name}`;\n}\n',
    });
    await withCode.h.session.send('tidy this up');
    assert.match(
      withCode.plans[0]!,
      /^## Plan\n\n1\. In src\/greet\.js, add `\/\*\* Greet user \(takes name\)\. \*\/` above `export function greetUser\(name\) \{`: /,
    );
    assert.doesNotMatch(withCode.plans[0]!, /\n2\. /);
    const documented = planHarness({
      'src/greet.js': '/** Greets. */\nexport function greetUser(name) {\n  return `Hello, ${name}`;\n}\n',
    });
    await documented.h.session.send('tidy this up');
    assert.match(documented.plans[0] ?? lastText(documented.h), /found nothing to change, so there is no plan/);
  });
});

describe('the fake’s built-in agent over HTTP', () => {
  const chat = (body: unknown) =>
    fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const tool = (name: string) => ({ type: 'function', function: { name, parameters: { type: 'object' } } });

  it('answers with a tool call only when the request offers its tools; otherwise the echo', async () => {
    const messages = [{ role: 'user', content: 'make the test pass' }];
    const withTools = await (
      await chat({ model: FIXTURE_MODELS.gpt4oMini, messages, tools: [tool('list_files'), tool('read_file')] })
    ).text();
    assert.match(withTools, /"name":"list_files"/);
    const other = await (
      await chat({ model: FIXTURE_MODELS.gpt4oMini, messages, tools: [tool('copilot_readFile')] })
    ).text();
    assert.match(other, /Echo from openai\/gpt-4o-mini/);
    const plain = await (await chat({ model: FIXTURE_MODELS.gpt4oMini, messages })).text();
    assert.match(plain, /Echo from openai\/gpt-4o-mini/);
  });

  it('a set agent script still wins', async () => {
    fake.setAgentScript({ turns: [{ text: 'scripted' }] });
    const text = await (
      await chat({
        model: FIXTURE_MODELS.gpt4oMini,
        messages: [{ role: 'user', content: 'x' }],
        tools: [tool('list_files'), tool('read_file')],
      })
    ).text();
    assert.match(text, /scripted/);
    assert.doesNotMatch(text, /list_files/);
  });
});

describe('autoFix: what the built-in agent reads out of files', () => {
  it('finds expectations in the usual assertion styles', () => {
    assert.deepEqual(expectationsIn('assert.equal(add(2, 3), 5)'), [{ fn: 'add', args: [2, 3], expected: 5 }]);
    assert.deepEqual(expectationsIn('expect(mul(2,4)).toEqual(8);'), [{ fn: 'mul', args: [2, 4], expected: 8 }]);
    assert.deepEqual(expectationsIn('    assert sub(9, 4) == 5'), [{ fn: 'sub', args: [9, 4], expected: 5 }]);
    assert.deepEqual(expectationsIn('assert_eq!(div(8, 2), 4);'), [{ fn: 'div', args: [8, 2], expected: 4 }]);
    assert.deepEqual(expectationsIn('self.assertEqual(6, mod(20, 7))'), [{ fn: 'mod', args: [20, 7], expected: 6 }]);
    assert.deepEqual(expectationsIn('if got := Sub(5, 3); got != 2 {'), [{ fn: 'Sub', args: [5, 3], expected: 2 }]);
    assert.deepEqual(expectationsIn('assert.equal(add("a", 3), 5)'), []);
  });

  it('fixes only when another operator satisfies every expectation, across languages', () => {
    const files = (src: [string, string], test: [string, string]) => new Map([src, test]);
    const go = arithmeticFix(
      files(
        ['calc/sub.go', 'package calc\n\nfunc Sub(a int, b int) int {\n\treturn a + b\n}\n'],
        ['calc/sub_test.go', 'assert.Equal(t, Sub(5, 3), 2)'],
      ),
    );
    assert.equal(go?.newText, 'return a - b');
    const rust = arithmeticFix(
      files(
        ['src/lib.rs', 'pub fn area(w: u32, h: u32) -> u32 {\n    w + h\n}\n'],
        ['tests/area_test.rs', 'assert_eq!(area(3, 4), 12);'],
      ),
    );
    assert.equal(rust?.newText, 'w * h');
    const consistent = files(
      ['src/a.js', 'function f(a, b) { return a * b; }'],
      ['src/a.test.js', 'assert.equal(f(2, 2), 4); assert.equal(f(3, 1), 3)'],
    );
    assert.equal(arithmeticFix(consistent), undefined, 'a correct function is left alone');
    const impossible = files(
      ['src/a.js', 'function f(a, b) { return a * b; }'],
      ['src/a.test.js', 'assert.equal(f(2, 2), 17)'],
    );
    assert.equal(arithmeticFix(impossible), undefined, 'no operator fits: no guess');
  });

  it('reads the named file, the manifest, tests and sources first; follows relative imports; picks the test command', () => {
    const paths = ['README.md', 'package.json', 'src/a.ts', 'src/b.ts', 'test/a.test.ts', 'docs/x.md'];
    assert.deepEqual(firstReads(paths, 'look at b.ts please'), [
      'src/b.ts',
      'package.json',
      'test/a.test.ts',
      'src/a.ts',
    ]);
    assert.deepEqual(importedSources(new Map([['test/a.test.ts', "import { a } from '../src/a';"]]), paths), [
      'src/a.ts',
    ]);
    assert.equal(
      testCommand(new Map([['package.json', '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}']]), [
        'package.json',
        'x.test.js',
      ]),
      'node --test',
    );
    assert.equal(
      testCommand(new Map([['package.json', '{"scripts":{"test":"vitest","test:unit":"vitest run unit"}}']]), []),
      'npm run test:unit',
    );
    assert.equal(testCommand(new Map(), ['go.mod', 'main.go']), 'go test ./...');
    assert.equal(testCommand(new Map(), ['README.md']), undefined);
    assert.equal(
      docCommentEdit(new Map([['app.py', 'def load_config(path):\n    pass\n']]))?.newText,
      '# Load config (takes path).\ndef load_config(path):',
    );
  });
});
