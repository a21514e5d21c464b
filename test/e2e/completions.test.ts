/**
 * Inline completions in a real VS Code (code-server + Chromium) against the fake OpenRouter,
 * driven as a person would: a first key brings the one-time offer (declined), completions are
 * turned on from the status bar, typing in a TypeScript file shows ghost text that Tab accepts;
 * typing on while a request is in flight aborts it at the fake and no stale suggestion shows;
 * with the daily budget lowered in the Settings editor, typing until it is reached pauses
 * completions, and nothing is sent while paused.
 * With VS Code's default settings (auto-closed brackets and quotes): suggestions typed inside
 * auto-closed brackets and quotes, a block answer that closes its block, and an answer that only
 * repeats the text after the cursor are accepted and saved, and the file is compared byte for byte;
 * with VS Code's suggestion list open, the ghost text continues the selected item (asked as if it
 * were accepted) and taking both leaves the intended line;
 * during a 429 the status item says the model cools down, why, and what to do.
 * The scenarios run in order on one VS Code.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import {
  completionRequests,
  editorLines,
  focusEditorEnd,
  ghostText,
  ITEM,
  openCompletionsMenu,
  setDailyBudget,
  statusText,
  step,
  typeUntilBudgetReached,
  until,
  waitForGhost,
  waitForGhostOrAsk,
  waitForStatus,
} from './harness/completions';
import {
  AREA_INSERT,
  AREA_LINE,
  REPORT,
  REPORT_LINES,
  REPORT_START,
  REPORT_WANT,
  SCRIPTED_INSERTIONS,
  SQUARE_LINE,
} from './harness/completionsScript';
import { useSwitchyard } from './harness/session';
import { editorSelectionStatus, openFile } from './harness/editors';
import { clickNotificationButton, notificationCentreText, waitForNotification } from './harness/notifications';
import { pickQuickItem, runCommand, typeIntoQuickInput, waitForQuickInput } from './harness/quickInput';

const KEY = 'sk-or-v1-e2e-completions-0123456789abcdef012';

const session = useSwitchyard({
  fake: {
    tokenDelayMs: 0,
    completions: {
      insertions: SCRIPTED_INSERTIONS,
      // Nothing where no insertion is scripted (the trial's plausible code is unit-tested).
      fallback: '',
    },
  },
  settings: {
    'switchyard.timeoutSeconds': 20,
    'switchyard.attachEditorContext': false,
    'switchyard.completions.debounceMs': 100,
    // Generous until the budget step lowers it in the Settings editor: every request a keystroke
    // aborts counts at its worst case, and on a loaded machine, where keystrokes reach the
    // extension further apart than the debounce, typing a line can send one per key.
    'switchyard.completions.dailyBudget': 0.05,
    // VS Code's own editor settings stay at their defaults (auto-closed brackets and quotes, the suggest widget).
  },
  files: { 'src/geometry.ts': '/** Geometry helpers. */\n', [REPORT]: REPORT_START },
});

describe('Switchyard inline completions in a real VS Code', { timeout: 900_000 }, () => {
  step(session, 'the first stored key offers completions once; they stay off until turned on', async () => {
    const s = session();
    assert.match(await statusText(s.page), /Completions off/, 'off by default');
    await runCommand(s.page, 'Switchyard: Set API Key');
    await typeIntoQuickInput(s.page, KEY, { password: true });
    const offer = await waitForNotification(s.page, /suggest code as you type/, 60_000);
    assert.match(offer, /small paid request to OpenRouter, about \$0\.\d+ each with/);
    assert.match(offer, /daily budget of \$0\.05\./);
    await s.screenshot('completions-01-offer');
    await clickNotificationButton(s.page, /suggest code as you type/, 'Not Now');
    assert.match(await statusText(s.page), /Completions off/);
  });

  step(session, 'turned on from the status bar: typing shows ghost text, Tab accepts it', async () => {
    const s = session();
    const fake = s.fake!;
    // Off: the menu offers turning them on, not snoozing or switching a language off.
    const offRows = await openCompletionsMenu(s.page);
    assert.ok(
      offRows.some((r) => /Turn Completions On/.test(r)),
      offRows.join(' | '),
    );
    assert.ok(!offRows.some((r) => /Snooze|Resume|Turn Off|Turn On for/.test(r)), offRows.join(' | '));
    await s.screenshot('completions-02-menu-off');
    await pickQuickItem(s.page, /Turn Completions On/);
    await waitForStatus(s.page, /^\S* ?Completions$/);

    await openFile(s.page, 'src/geometry.ts');
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.type(AREA_LINE, { delay: 20 });
    await waitForGhost(s.page, AREA_INSERT);
    await s.screenshot('completions-03-ghost-text');
    const request = completionRequests(fake).at(-1)!;
    assert.ok(request.completion!.before.endsWith(AREA_LINE));
    const body = request.body as { model: string; max_tokens: number; provider?: { sort?: string }; stream: boolean };
    assert.equal(body.model, 'openai/gpt-4o-mini', 'the fast, cheap default the catalogue has');
    assert.equal(body.provider?.sort, 'latency', 'latency-first');
    assert.ok(body.max_tokens <= 256 && body.stream);

    await s.page.keyboard.press('Tab');
    const deadline = Date.now() + 60_000;
    while ((await ghostText(s.page)) !== '' && Date.now() < deadline) await s.page.waitForTimeout(100);
    assert.equal(await ghostText(s.page), '');
    assert.match(await editorLines(s.page), /export const circleArea = \(r: number\) => Math\.PI \* r \* r;/);
    await s.screenshot('completions-04-accepted');

    // Today's figures in the menu.
    await s.page.locator(ITEM).click();
    const box = await waitForQuickInput(s.page);
    const figures = s.page.locator('.quick-input-widget .monaco-list-row', { hasText: /shown/ }).first();
    await figures.waitFor({ state: 'visible' });
    // After Tab, VS Code may ask again at the line's end (the fake's empty answer shows nothing).
    const shown = /(\d+) shown · (\d+) accepted · (\d+) requests · \$0\.\d+/.exec(await figures.innerText());
    assert.ok(shown, await figures.innerText());
    assert.deepEqual([shown[1], shown[2]], ['1', '1']);
    // Requests count when they leave the client; one aborted at once may never reach the fake.
    assert.ok(Number(shown[3]) >= 1 && completionRequests(fake).length >= 1, `requests ${shown[3]}`);
    await s.screenshot('completions-05-menu-figures');
    await box.press('Escape');
  });

  step(session, 'typing on aborts the request in flight at the fake, and no stale suggestion shows', async () => {
    const s = session();
    const fake = s.fake!;
    fake.setCompletions({ latencyMs: 4000 });
    await focusEditorEnd(s.page);
    await s.page.keyboard.press('Enter');
    const before = completionRequests(fake).length;
    await s.page.keyboard.type(SQUARE_LINE, { delay: 20 });
    const slow = await until(
      'the request for the new line',
      () =>
        completionRequests(fake)
          .slice(before)
          .find((r) => r.completion!.before.endsWith(SQUARE_LINE)),
      30_000,
      s.page,
    );
    fake.setCompletions({ latencyMs: 80 });
    await s.page.keyboard.type('side', { delay: 20 });
    await until('the fake to see the abort', () => slow.aborted === true, 60_000, s.page);
    await waitForGhostOrAsk(s, ' * side;');
    await s.screenshot('completions-06-after-abort');
    assert.ok(!(await editorLines(s.page)).includes('STALE_SUGGESTION'), 'the aborted request never shows');
    assert.equal(slow.completion!.insertion, 'STALE_SUGGESTION;', 'it would have answered the stale text');
    await s.page.keyboard.press('Escape');
  });

  step(
    session,
    'typing until the daily budget is reached pauses completions and says so; nothing is sent while paused',
    async () => {
      const s = session();
      const fake = s.fake!;
      fake.setCompletions({ latencyMs: 0 });
      await setDailyBudget(s.page, s.codeServer.userDataDir, '0.0015');
      await focusEditorEnd(s.page);
      await s.page.keyboard.press('Enter');
      await s.page.keyboard.type('// ', { delay: 20 });
      const paused = await typeUntilBudgetReached(s.page, fake);
      assert.ok(paused, 'the budget was reached');
      await waitForStatus(s.page, /Completions: budget reached/);
      // The notice: a toast, or, when the spend was already over the lowered budget and the toast
      // has hidden itself since (a loaded machine), in the notification centre, which keeps it.
      const NOTICE = /inline completions paused — .*daily budget/;
      const toast = await waitForNotification(s.page, NOTICE, 10_000).catch(() => undefined);
      await s.screenshot('completions-07-budget-reached');
      if (!toast) {
        assert.match(await notificationCentreText(s.page), NOTICE);
        await runCommand(s.page, 'Notifications: Hide Notifications');
        await s.page.locator('.notifications-center.visible').waitFor({ state: 'hidden', timeout: 60_000 });
        await focusEditorEnd(s.page);
      }

      // Paused: typing sends nothing. Raising the budget from the notice's "Open Settings" resumes,
      // and the next request carries everything typed meanwhile (so nothing went in between).
      const atPause = completionRequests(fake).length;
      await s.page.keyboard.type('while paused ', { delay: 20 });
      await clickNotificationButton(s.page, /inline completions paused/, 'Open Settings');
      const input = s.page.locator('.settings-editor .setting-item-number input').first();
      await input.waitFor({ state: 'visible', timeout: 60_000 });
      await input.fill('1');
      await input.press('Tab');
      await waitForStatus(s.page, /^\S* ?Completions$/);
      await s.screenshot('completions-08-budget-raised');
      await s.page.keyboard.press('Control+W');
      await focusEditorEnd(s.page);
      await s.page.keyboard.type('x', { delay: 20 });
      const next = await until('a request after resuming', () => completionRequests(fake)[atPause], 60_000, s.page);
      assert.ok(next.completion!.before.endsWith('while paused x'), next.completion!.before.slice(-40));
      await s.screenshot('completions-08-resumed');
    },
  );

  step(session, 'the menu turns them off for this language and snoozes them; nothing is sent meanwhile', async () => {
    const s = session();
    const fake = s.fake!;
    await s.page.locator(ITEM).click();
    await pickQuickItem(s.page, /Turn Off for typescript/);
    await waitForStatus(s.page, /Completions off \(typescript\)/);
    await s.screenshot('completions-09-off-for-typescript');
    const before = completionRequests(fake).length;
    await focusEditorEnd(s.page);
    await s.page.keyboard.type(' off', { delay: 20 });

    const offForTs = await openCompletionsMenu(s.page);
    assert.ok(!offForTs.some((r) => /Snooze|Turn Off for/.test(r)), offForTs.join(' | '));
    await s.screenshot('completions-09b-menu-off-for-typescript');
    await pickQuickItem(s.page, /Turn On for typescript/);
    await waitForStatus(s.page, /^\S* ?Completions$/);
    await s.page.locator(ITEM).click();
    await pickQuickItem(s.page, /Snooze for 10 Minutes/);
    await waitForStatus(s.page, /Completions snoozed/);
    await s.screenshot('completions-10-snoozed');
    await focusEditorEnd(s.page);
    await s.page.keyboard.type(' snoozed', { delay: 20 });

    const snoozedRows = await openCompletionsMenu(s.page);
    assert.ok(!snoozedRows.some((r) => /Snooze/.test(r)), snoozedRows.join(' | '));
    await s.screenshot('completions-10b-menu-snoozed');
    await pickQuickItem(s.page, /Resume Now/);
    await waitForStatus(s.page, /^\S* ?Completions$/);
    await focusEditorEnd(s.page);
    await s.page.keyboard.type('!', { delay: 20 });
    const next = await until('a request after resuming', () => completionRequests(fake)[before], 60_000, s.page);
    assert.ok(
      next.completion!.before.endsWith(' off snoozed!'),
      `nothing was sent while off or snoozed: ${next.completion!.before.slice(-30)}`,
    );
  });

  step(
    session,
    "with VS Code's defaults, suggestions inside auto-closed brackets and quotes are accepted and saved as a careful typist would write them",
    async () => {
      const s = session();
      await openFile(s.page, REPORT);
      await focusEditorEnd(s.page);
      for (const [i, line] of REPORT_LINES.entries()) {
        await s.page.keyboard.type(line.type, { delay: 30 });
        await waitForGhost(s.page, line.ghost);
        if (i === 0) await s.screenshot('completions-11-inside-auto-closed-brackets');
        await s.page.keyboard.press('Tab');
        await until('the suggestion to be accepted', async () => (await ghostText(s.page)) === '', 60_000, s.page);
        await s.page.keyboard.press('End');
        if (line.then) await s.page.keyboard.type(line.then);
        await s.page.keyboard.press('Enter');
      }
    },
  );

  step(session, 'an answer that only repeats the text after the cursor shows nothing; the next one shows', async () => {
    const s = session();
    await s.page.keyboard.type('console.warn(', { delay: 30 });
    // The extension says it had nothing to show for that answer; then no ghost text is there.
    await until(
      'the empty answer to be handled',
      () => /the answer adds nothing at line 7 of src\/report\.ts/.test(s.extensionLog()),
      30_000,
      s.page,
    );
    assert.equal(await ghostText(s.page), '', 'nothing shown for an answer that is only the suffix');
    await s.screenshot('completions-12-suffix-only-nothing');
    await s.page.keyboard.type('0', { delay: 30 });
    await waitForGhostOrAsk(s, ', 1');
    await s.page.keyboard.press('Tab');
    await until('the suggestion to be accepted', async () => (await ghostText(s.page)) === '', 60_000, s.page);
    await s.page.keyboard.press('End');
    await s.page.keyboard.press('Enter');
  });

  step(
    session,
    'a block answer that closes its block is accepted without a doubled brace; the saved file is byte for byte the intended one',
    async () => {
      const s = session();
      await s.page.keyboard.type('function double(n: number) {', { delay: 30 });
      await s.page.keyboard.press('Enter'); // VS Code put the `}` below: the cursor is on the indented line between
      await waitForGhost(s.page, 'return n * 2;');
      await s.screenshot('completions-13-block-answer');
      assert.ok(!(await ghostText(s.page)).includes('}'), 'the closing brace already below is not suggested again');
      await s.page.keyboard.press('Tab');
      await until('the suggestion to be accepted', async () => (await ghostText(s.page)) === '', 60_000, s.page);
      await s.page.keyboard.press('Control+S');
      const path = join(s.workspace, REPORT);
      const saved = await until(
        'the file to be saved',
        () => {
          const text = readFileSync(path, 'utf8');
          return text.includes('return n * 2;') ? text : undefined;
        },
        30_000,
        s.page,
      );
      await s.screenshot('completions-14-saved');
      assert.equal(saved, REPORT_WANT);
    },
  );

  step(
    session,
    "with VS Code's suggest list open, the ghost text continues its selected item; accepting both leaves the intended line",
    async () => {
      const s = session();
      await focusEditorEnd(s.page);
      await s.page.keyboard.press('Enter');
      await s.page.keyboard.type('console.error(lab', { delay: 30 });
      // A person asks for VS Code's suggestions (Ctrl+Space); the list selects `label`.
      const list = s.page.locator('.editor-widget.suggest-widget.visible');
      if (!(await list.isVisible().catch(() => false))) await s.page.keyboard.press('Control+Space');
      await list
        .locator('.monaco-list-row.focused', { hasText: /^label/ })
        .waitFor({ state: 'visible', timeout: 60_000 });
      // Asked at `console.error(label|)`, not at `lab|`: VS Code shows only a suggestion that extends the item
      // (the item's rest `el` as its preview, then ours: the line reads as it would once both are accepted).
      const intended = 'console.error(label.length);';
      await until(
        'the ghost text after the selected item',
        async () => (await editorLines(s.page)).includes(intended),
        60_000,
        s.page,
      );
      const asked = completionRequests(s.fake!).map((r) => r.completion?.before ?? '');
      assert.ok(
        asked.some((before) => before.endsWith('console.error(label')),
        `asked after the selected item: ${asked.map((b) => `…${b.slice(-20)}`).join(' | ')}`,
      );
      await s.screenshot('completions-14b-suggest-list-and-ghost-text');
      // Accepting an item may wait for VS Code to resolve it: the cursor's column says when it is in.
      const line = REPORT_WANT.split('\n').length + 1; // the line typed under what the earlier steps wrote
      const cursorAt = (col: number) =>
        until(
          `the cursor at Ln ${line}, Col ${col}`,
          async () => (await editorSelectionStatus(s.page)) === `Ln ${line}, Col ${col}`,
          60_000,
          s.page,
        );
      await s.page.keyboard.press('Enter'); // accepts the list's item; the ghost text's rest stays
      await cursorAt('console.error(label'.length + 1);
      await waitForGhost(s.page, '.length'); // from the cache: the document is now where it was asked
      await s.page.keyboard.press('Tab');
      await cursorAt(intended.length + 1);
      await until('the suggestion to be accepted', async () => (await ghostText(s.page)) === '', 60_000, s.page);
      await s.page.keyboard.press('Control+S');
      const want = `${REPORT_WANT}\n${intended}`;
      let saved = '';
      await until(
        'the file saved as intended',
        () => (saved = readFileSync(join(s.workspace, REPORT), 'utf8')) === want,
        30_000,
        s.page,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; the file ends: ${JSON.stringify(saved.slice(-60))}`);
      });
      await s.screenshot('completions-14c-suggest-item-and-ghost-text-accepted');
    },
  );

  step(
    session,
    'while the completion model answers 429 the status item says it cools down, why, and what to do; then it recovers',
    async () => {
      const s = session();
      const fake = s.fake!;
      // 20 s: the checks below read "until" in the item and the menu, which a loaded machine took over 4 s to reach;
      // "model failing" then shows from the cooldown's end until 30 s after the failure (FAILURE_SHOWN_MS).
      fake.setFault('openai/gpt-4o-mini', { kind: 'http', status: 429, retryAfter: 20 });
      await focusEditorEnd(s.page);
      await s.page.keyboard.press('Enter');
      await s.page.keyboard.type('const y = ', { delay: 30 });
      const text = await waitForStatus(s.page, /Completions: cooling down until \d\d:\d\d:\d\d/);
      const label = (await s.page.locator(`${ITEM} a, ${ITEM}`).first().getAttribute('aria-label')) ?? '';
      assert.match(label, /openai\/gpt-4o-mini answered 429 Rate limited/, label);
      await s.screenshot('completions-15-rate-limited');
      await s.page.locator(ITEM).click();
      await waitForQuickInput(s.page);
      const placeholder = (await s.page.locator('.quick-input-box input').getAttribute('placeholder')) ?? '';
      assert.match(
        placeholder,
        /^Paused: openai\/gpt-4o-mini answered 429 Rate limited; cooling down until /,
        placeholder,
      );
      // The reason and the fix in full, as the menu's first row (it opens the model picker).
      const why = s.page
        .locator('.quick-input-widget .monaco-list-row', { hasText: /answered 429 Rate limited/ })
        .first();
      await why.waitFor({ state: 'visible' });
      assert.match(
        (await why.innerText()).replace(/\s+/g, ' '),
        /openai\/gpt-4o-mini answered 429 Rate limited ?cooling down until \d\d:\d\d:\d\d Wait for the cooldown, or pick another completion model/,
      );
      await s.screenshot('completions-16-rate-limited-menu');
      await s.page.keyboard.press('Escape');
      assert.ok(text.length > 0);

      // The fault clears; once the cooldown is over the next keystroke is answered and the item says so.
      fake.setFault('openai/gpt-4o-mini', undefined);
      await waitForStatus(s.page, /Completions: model failing/, 60_000);
      await focusEditorEnd(s.page);
      await s.page.keyboard.type('1', { delay: 30 });
      await waitForStatus(s.page, /^\S* ?Completions$/, 60_000);
      await s.screenshot('completions-17-recovered');
    },
  );
});
