/**
 * The command palette and quick inputs, as a person uses them: open with a key (pressed again when
 * lost), type, wait for the row, Enter (or a click). Each waits for what a person would see.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Locator, Page } from 'playwright-core';
import { closeModalEditor } from './dialogs';
import { SEL } from './selectors';
import { settled, STEP_TIMEOUT_MS } from './wait';

/** How long one key press is given to open the quick input before it is pressed again (lost while focus moves). */
const QUICK_INPUT_OPEN_MS = 10_000;

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A RegExp matching `label` exactly (after trimming), or `label` itself when it is a RegExp. */
export function exactly(label: string | RegExp): RegExp {
  return typeof label === 'string' ? new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) : label;
}

/** The quick input widget when it is open. */
export function quickInput(page: Page): Locator {
  return page.locator(SEL.quickInput);
}

/** Whether the quick input widget is currently shown. */
export async function isQuickInputOpen(page: Page): Promise<boolean> {
  return quickInput(page).isVisible();
}

/** Waits for the quick input widget and its text box to be visible. */
export async function waitForQuickInput(page: Page, timeout = STEP_TIMEOUT_MS): Promise<Locator> {
  await quickInput(page).waitFor({ state: 'visible', timeout });
  const box = page.locator(SEL.quickInputBox);
  await box.waitFor({ state: 'visible', timeout });
  return box;
}

/** Closes the quick input (Escape) if it is open, and waits for it to disappear. */
export async function closeQuickInput(page: Page): Promise<void> {
  if (!(await isQuickInputOpen(page))) return;
  await page.keyboard.press('Escape');
  await settled(quickInput(page).waitFor({ state: 'hidden', timeout: 5_000 }), 'the quick input to close on Escape');
}

/** Presses `key` until the quick input opens (a keystroke can be lost while focus moves). */
export async function openQuickInputWith(page: Page, keys: readonly string[]): Promise<Locator> {
  await closeQuickInput(page);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    for (const key of keys) {
      await page.keyboard.press(key);
      try {
        return await waitForQuickInput(page, QUICK_INPUT_OPEN_MS);
      } catch (error) {
        lastError = error;
      }
    }
  }
  throw new Error(`the quick input did not open with ${keys.join(' / ')}: ${String(lastError)}`);
}

/** Labels of the rows the quick pick currently renders (the list is virtualised). */
export async function quickInputItems(page: Page): Promise<string[]> {
  if (!(await isQuickInputOpen(page))) return [];
  const labels = await page.locator(`${SEL.quickInputRow} ${SEL.quickInputRowLabel}`).allInnerTexts();
  return labels.map((l) => l.trim());
}

/** The quick input's message line (prompt or validation error), or '' when none is shown. */
export async function quickInputMessage(page: Page): Promise<string> {
  const message = page.locator(SEL.quickInputMessage);
  if (!(await message.isVisible())) return '';
  return (await message.innerText()).trim();
}

/** The quick input's title bar text, or '' when it has none. */
export async function quickInputTitle(page: Page): Promise<string> {
  const title = page.locator('.quick-input-widget .quick-input-title');
  if (!(await title.isVisible())) return '';
  return (await title.innerText()).trim();
}

/** The quick pick row whose label is `label` (exact string or RegExp). */
function quickRow(page: Page, label: string | RegExp): Locator {
  return page
    .locator(SEL.quickInputRow)
    .filter({ has: page.locator(SEL.quickInputRowLabel, { hasText: exactly(label) }) });
}

/**
 * Accepts the row labelled `label`: Enter when it is the focused row (what a person does after
 * typing), otherwise a click on it.
 */
export async function acceptRow(page: Page, label: string | RegExp, timeout: number): Promise<void> {
  const row = quickRow(page, label).first();
  try {
    await row.waitFor({ state: 'visible', timeout });
  } catch {
    const shown = await quickInputItems(page).catch(() => []);
    throw new Error(`no quick pick row labelled ${String(label)} (shown: ${JSON.stringify(shown)})`);
  }
  // Quick Open ranks in stages (history first, then the file search): once it is no longer busy,
  // let the list settle, then prefer the keyboard once filtering has focused this row (a list
  // still filtering may focus another one first); a row that does not become focused is clicked.
  await page
    .waitForFunction(() => !document.querySelector('.quick-input-widget .quick-input-progress.active'), undefined, {
      timeout: 10_000,
    })
    .catch(() => undefined);
  await sleep(150);
  const before = await quickInputState(page);
  const focused = await quickRow(page, label)
    .and(page.locator(SEL.quickInputFocusedRow))
    .first()
    .waitFor({ state: 'visible', timeout: 2_000 })
    .then(
      () => true,
      () => false,
    );
  if (focused) await page.keyboard.press('Enter');
  else await row.click();
  // The widget is reused: wait until this picker is gone (hidden, or replaced by the next input
  // box) so that the next step does not type into it.
  // Some pickers stay open on purpose (e.g. toggles).
  await settled(
    page.waitForFunction(
      ([label, value]) => {
        const widget = document.querySelector<HTMLElement>('.quick-input-widget');
        if (!widget || widget.style.display === 'none' || widget.offsetParent === null) return true;
        const input = widget.querySelector<HTMLInputElement>('.quick-input-box input');
        return !input || input.getAttribute('aria-label') !== label || input.value !== value;
      },
      [before.label, before.value] as const,
      { timeout: 5_000, polling: 50 },
    ),
    `the picker to move on after ${String(label)}`,
  );
}

/** The quick input box's aria-label and value, to notice when the widget shows something else. */
async function quickInputState(page: Page): Promise<{ label: string; value: string }> {
  const box = page.locator(SEL.quickInputBox);
  return {
    label: (await box.getAttribute('aria-label').catch(() => null)) ?? '',
    value: await box.inputValue().catch(() => ''),
  };
}

/**
 * Runs a command by its palette title, as a person would: F1, type the title, wait for the
 * matching row, Enter. Example: `runCommand(page, 'Switchyard: Set API Key')`.
 */
export async function runCommand(page: Page, title: string, timeout = STEP_TIMEOUT_MS): Promise<void> {
  // VS Code 1.139 opens the Settings editor and Manage Language Models as modal editors, and the
  // command palette does not open over one: close it first, as a person would.
  await closeModalEditor(page, timeout);
  const box = await openQuickInputWith(page, ['F1', 'Control+Shift+P']);
  await box.fill(`>${title}`);
  await acceptRow(page, title, timeout);
}

/** Options for {@link typeIntoQuickInput}. */
export interface TypeOptions {
  /** Assert that the box masks its input (`type=password`), e.g. for API keys. */
  readonly password?: boolean;
  /** Press Enter afterwards (default true). */
  readonly submit?: boolean;
  /** After Enter, wait for the quick input to close (default true when submitting). */
  readonly expectClose?: boolean;
  readonly timeout?: number;
}

/**
 * Types `text` into the open input box (showInputBox / the filter of a quick pick) and presses
 * Enter. Fails with the box's validation message if it does not close.
 */
export async function typeIntoQuickInput(page: Page, text: string, options: TypeOptions = {}): Promise<void> {
  const timeout = options.timeout ?? STEP_TIMEOUT_MS;
  const box = await waitForQuickInput(page, timeout);
  if (options.password) {
    const type = await box.getAttribute('type');
    if (type !== 'password') throw new Error(`expected a password input box, found type=${String(type)}`);
  }
  await box.fill(text);
  if (options.submit === false) return;
  await box.press('Enter');
  if (options.expectClose === false) return;
  try {
    await quickInput(page).waitFor({ state: 'hidden', timeout });
  } catch {
    throw new Error(`the input box did not accept the text; it says: "${await quickInputMessage(page)}"`);
  }
}

/**
 * Picks the quick pick row labelled `label` (exact string or RegExp). When the row is not
 * rendered (long, virtualised lists) it first types `filter` (default: the label) to narrow it.
 */
export async function pickQuickItem(
  page: Page,
  label: string | RegExp,
  options: { filter?: string; timeout?: number } = {},
): Promise<void> {
  const timeout = options.timeout ?? STEP_TIMEOUT_MS;
  const box = await waitForQuickInput(page, timeout);
  const row = quickRow(page, label).first();
  const shown = await row.waitFor({ state: 'visible', timeout: 3_000 }).then(
    () => true,
    () => false,
  );
  const filter = options.filter ?? (typeof label === 'string' ? label : undefined);
  if (!shown && filter !== undefined) await box.fill(filter);
  await acceptRow(page, label, timeout);
}

/**
 * Runs the command `title` and picks `label` in the quick pick it opens. A quick pick closes when
 * it loses focus, and a webview that just had focus (a Markdown preview, the chat view) can take
 * it back as the palette closes, so the picker may vanish before the pick: then the command is
 * run again, as a person would (at most `tries` times).
 */
export async function runCommandAndPick(
  page: Page,
  title: string,
  label: string | RegExp,
  options: { filter?: string; timeout?: number; tries?: number } = {},
): Promise<void> {
  const tries = options.tries ?? 3;
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, title, options.timeout);
    try {
      await pickQuickItem(page, label, { ...options, timeout: options.timeout ?? 30_000 });
      return;
    } catch (error) {
      const stillOpen = await quickInput(page)
        .isVisible()
        .catch(() => false);
      if (stillOpen || attempt >= tries) throw error;
      console.error(`[e2e] the picker of "${title}" closed before ${String(label)} was picked; running it again`);
    }
  }
}

/**
 * Picks `file` in VS Code's own file dialog (a quick input that takes a typed path), as a person
 * does: once the dialog lists its folder, type the path and press Enter. The dialog resolves what is
 * typed asynchronously and may write its folder back into the box meanwhile (then it answers
 * "Please select a file."); a person types the path again, and so does this, until the dialog closes.
 */
export async function pickFileInDialog(page: Page, file: string, timeout = STEP_TIMEOUT_MS): Promise<void> {
  const box = await waitForQuickInput(page, timeout);
  const name = file.split(/[\\/]/).pop() ?? file;
  await quickRow(page, name).first().waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  for (;;) {
    await box.fill(file);
    await page
      .waitForFunction(() => !document.querySelector('.quick-input-widget .quick-input-progress.active'), undefined, {
        timeout: 10_000,
      })
      .catch(() => undefined);
    const kept = (await box.inputValue()) === file;
    if (kept) await box.press('Enter');
    const closed =
      kept &&
      (await quickInput(page)
        .waitFor({ state: 'hidden', timeout: 5_000 })
        .then(
          () => true,
          () => false,
        ));
    if (closed) return;
    if (Date.now() > deadline) {
      throw new Error(`the file dialog did not accept ${name}; it says: "${await quickInputMessage(page)}"`);
    }
  }
}
