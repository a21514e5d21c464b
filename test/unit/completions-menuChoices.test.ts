import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { menuChoices, type MenuState } from '../../src/completions/menuChoices';

const ids = (state: MenuState): string[] => menuChoices(state).map((c) => c.id);
const ON: MenuState = { enabled: true, language: 'typescript', languageOn: true, snoozed: false };

describe('the completions menu offers what makes sense in each state', () => {
  it('off: only Turn Completions On — no snooze and no per-language switch, whatever else holds', () => {
    for (const state of [
      { ...ON, enabled: false },
      { ...ON, enabled: false, snoozed: true },
      { ...ON, enabled: false, languageOn: false },
      { enabled: false, languageOn: true, snoozed: false },
    ])
      assert.deepEqual(ids(state), ['turnOn'], JSON.stringify(state));
    assert.equal(menuChoices({ ...ON, enabled: false })[0]!.label, '$(sparkle) Turn Completions On');
  });

  it('on: snooze first, then off for this language, then off', () => {
    assert.deepEqual(ids(ON), ['snooze', 'languageOff', 'turnOff']);
    assert.deepEqual(
      menuChoices(ON).map((c) => c.label),
      [
        '$(clock) Snooze for 10 Minutes',
        '$(circle-slash) Turn Off for typescript',
        '$(circle-slash) Turn Completions Off',
      ],
    );
    assert.deepEqual(ids({ enabled: true, languageOn: true, snoozed: false }), ['snooze', 'turnOff'], 'no editor');
  });

  it('snoozed: Resume Now instead of Snooze; the lasting choices stay', () => {
    assert.deepEqual(ids({ ...ON, snoozed: true }), ['resume', 'languageOff', 'turnOff']);
    assert.deepEqual(ids({ enabled: true, languageOn: true, snoozed: true }), ['resume', 'turnOff'], 'no editor');
  });

  it('off for this language: turn it on for the language; no snooze, which would not change this file', () => {
    assert.deepEqual(ids({ ...ON, languageOn: false }), ['languageOn', 'turnOff']);
    assert.equal(menuChoices({ ...ON, languageOn: false })[0]!.label, '$(check) Turn On for typescript');
    assert.deepEqual(ids({ ...ON, languageOn: false, snoozed: true }), ['languageOn', 'resume', 'turnOff']);
  });

  it('never offers a choice and its opposite, nor one that changes nothing', () => {
    const opposite: Record<string, string> = {
      turnOn: 'turnOff',
      languageOn: 'languageOff',
      snooze: 'resume',
    };
    for (const enabled of [true, false])
      for (const languageOn of [true, false])
        for (const snoozed of [true, false])
          for (const language of ['python', undefined]) {
            const state = { enabled, languageOn, snoozed, ...(language ? { language } : {}) };
            const got = ids(state);
            for (const [a, b] of Object.entries(opposite))
              assert.ok(!(got.includes(a) && got.includes(b)), `${a} with ${b}: ${JSON.stringify(state)}`);
            assert.equal(got.includes('turnOn'), !enabled);
            assert.equal(got.includes('snooze'), enabled && !snoozed && (language === undefined || languageOn));
            assert.equal(got.includes('resume'), enabled && snoozed);
            assert.equal(new Set(got).size, got.length);
          }
  });
});
