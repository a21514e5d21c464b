/**
 * VS Code's workspace trust, driven as a person does, in a session started with
 * `workspaceTrust: true` (its own code-server without `--disable-workspace-trust`, VS Code's
 * default trust settings). Facts (VS Code 1.139 in code-server):
 * - `security.workspace.trust.startupPrompt` defaults to "never": a folder not trusted before opens
 *   straight in Restricted Mode, with no question — the banner ("Restricted Mode is intended for
 *   safe code browsing…", links Manage / Learn More) and the status-bar entry
 *   `status.workspaceTrust` ("Restricted Mode") say so; both go when the folder is trusted;
 * - the banner's Manage (or "Workspaces: Manage Workspace Trust") opens `.workspace-trust-editor`,
 *   whose "Trust" button (`.workspace-trust-buttons-row`) trusts the folder; its header then has
 *   the class `workspace-trust-trusted`.
 */
import type { Page } from 'playwright-core';
import { STEP_TIMEOUT_MS } from './wait';

const RESTRICTED_ITEM = '.part.statusbar [id="status.workspaceTrust"]';
const BANNER = '.part.banner';

/** Waits until the window shows it is in Restricted Mode: VS Code's banner and status-bar entry. */
export async function waitForRestrictedMode(page: Page, timeout = STEP_TIMEOUT_MS): Promise<void> {
  await page.locator(RESTRICTED_ITEM, { hasText: 'Restricted Mode' }).waitFor({ state: 'visible', timeout });
  await page
    .locator(BANNER, { hasText: 'Restricted Mode is intended for safe code browsing' })
    .waitFor({ state: 'visible', timeout });
}

/**
 * Trusts the open folder as a person does: the banner's Manage, then Trust in the Workspace Trust
 * editor; waits until the editor says the folder is trusted and Restricted Mode's entry is gone.
 */
export async function trustFromBanner(page: Page, timeout = STEP_TIMEOUT_MS): Promise<void> {
  await page.locator(`${BANNER} a`, { hasText: /^Manage$/ }).click();
  const editor = page.locator('.workspace-trust-editor');
  await editor.locator('.workspace-trust-header.workspace-trust-untrusted').waitFor({ state: 'visible', timeout });
  await editor
    .locator('.workspace-trust-buttons-row .monaco-button', { hasText: /^Trust/ })
    .first()
    .click();
  await editor.locator('.workspace-trust-header.workspace-trust-trusted').waitFor({ state: 'visible', timeout });
  await page.locator(RESTRICTED_ITEM).waitFor({ state: 'detached', timeout });
}
