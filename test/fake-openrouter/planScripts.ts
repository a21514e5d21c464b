/**
 * Scripted agent runs for Plan mode and the to-do list (issue 23), used by the unit tests and the
 * e2e alike (`fake.setAgentScript`):
 *
 * - {@link PLAN_SCRIPT}: a plan run that reads `src/calc.js`, then tries to edit it (Plan mode must
 *   refuse with a result that says why) and, once refused, answers with the plan. A revision
 *   request gets a revised plan; the Agent task started from the plan answers once its first
 *   message carries the plan ("Carry out this plan").
 * - {@link TODO_SCRIPT}: a task that writes its to-do list, works through it with `todo_write`
 *   updates (one of them invalid, which the model must be told about), writes a file, and ends
 *   with one item still open.
 */
import type { AgentScript } from './agent';

export const PLAN_FILE = 'src/calc.js';

export const PLAN_TEXT = [
  '# Plan: make add() add',
  '',
  '1. In src/calc.js, return a + b instead of a - b.',
  '2. Run node --test to check it.',
].join('\n');

export const REVISED_PLAN_TEXT = [
  '# Plan: make add() add (revised)',
  '',
  '1. In src/calc.js, return a + b instead of a - b.',
  '2. Add a test for negative numbers.',
  '3. Run node --test to check it.',
].join('\n');

export const PLAN_SCRIPT: AgentScript = {
  turns: [
    // The Agent task started by Act on this plan.
    { when: { userIncludes: 'Carry out this plan' }, text: 'Acting on the plan as written.' },
    { when: { userIncludes: 'Revise the plan' }, text: REVISED_PLAN_TEXT },
    { when: { toolResultIncludes: 'Refused: edit_file' }, text: PLAN_TEXT },
    { when: { step: 0 }, toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ path: PLAN_FILE }) }] },
    {
      when: { step: 1 },
      text: 'I will fix it right away.',
      toolCalls: [
        {
          name: 'edit_file',
          arguments: JSON.stringify({ path: PLAN_FILE, edits: [{ old_text: 'a - b', new_text: 'a + b' }] }),
        },
      ],
    },
  ],
};

const todos = (...statuses: ('pending' | 'in_progress' | 'done')[]): string =>
  JSON.stringify({
    todos: [
      { id: '1', content: 'Read the calculator', status: statuses[0] },
      { id: '2', content: 'Write src/greet.js', status: statuses[1] },
      { id: '3', content: 'Run the tests', status: statuses[2] },
    ],
  });

export const TODO_FILE = 'src/greet.js';

export const TODO_SCRIPT: AgentScript = {
  turns: [
    {
      when: { step: 0 },
      text: 'I will keep a to-do list.',
      toolCalls: [
        { name: 'todo_write', arguments: todos('in_progress', 'pending', 'pending') },
        { name: 'read_file', arguments: JSON.stringify({ path: 'src/calc.js' }) },
      ],
    },
    {
      when: { step: 1 },
      toolCalls: [
        // A bad status: the model is told what to fix and the list stays as it was.
        { name: 'todo_write', arguments: JSON.stringify({ todos: [{ id: '1', content: 'x', status: 'finished' }] }) },
      ],
    },
    {
      when: { step: 2 },
      toolCalls: [
        { name: 'todo_write', arguments: todos('done', 'in_progress', 'pending') },
        { name: 'write_file', arguments: JSON.stringify({ path: TODO_FILE, content: 'export const hi = "hi";\n' }) },
      ],
    },
    {
      when: { step: 3 },
      toolCalls: [{ name: 'todo_write', arguments: todos('done', 'done', 'pending') }],
    },
    { when: { step: 4 }, text: 'Wrote src/greet.js; the tests are not run yet.' },
  ],
};
