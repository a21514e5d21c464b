/**
 * Issue 22 in a real VS Code: the composer's `@` menu while an MCP server is still starting. The
 * user's own server (`switchyard.mcp.servers`, no question needed) is slow to answer (the test
 * server waits `MCP_TEST_START_DELAY_MS` first): opening `@` starts it and shows a "starting…" row
 * under its name; once it runs, the open menu lists its resources instead — as `/` does with its
 * prompts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stdioLaunch } from '../mcp/launch';
import { useSwitchyard } from './harness/session';
import { openChatView } from './harness/workbench';

const STEP = { timeout: 240_000 };
const launch = stdioLaunch();

const session = useSwitchyard({
  settings: {
    'switchyard.model': 'anthropic/claude-sonnet-4',
    'switchyard.attachEditorContext': false,
    'switchyard.mcp.servers': {
      docs: { type: 'stdio', ...launch, env: { MCP_TEST_START_DELAY_MS: '12000' } },
    },
  },
});

describe('MCP servers in the composer menus, in a real VS Code', { timeout: 600_000 }, () => {
  it(
    'the @ menu shows a "starting…" row for a server still starting, then its resources once it runs',
    STEP,
    async () => {
      const s = session();
      const frame = await openChatView(s.page);
      const input = frame.locator('#input');
      await input.click();
      await input.pressSequentially('@');
      const menu = frame.locator('#mention-menu[data-menu="mention"]');
      const starting = menu.locator('.mention-row[data-kind="resource"][data-server="docs"][data-starting="true"]');
      await starting.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await starting.innerText(), /docs\s*MCP server starting… its resources appear here when it runs/);
      await s.screenshot('mcp-menus-01-at-starting');

      // Once the server runs, the open menu is answered again: its resources replace the row.
      await menu
        .locator('.mention-row[data-kind="resource"][data-server="docs"][data-path="notes://release"]')
        .waitFor({ state: 'visible', timeout: 90_000 });
      await starting.waitFor({ state: 'detached', timeout: 30_000 });
      assert.match(
        await menu.locator('.mention-row[data-path="notes://release"]').innerText(),
        /release-notes\s*docs · notes:\/\/release/,
      );
      await s.screenshot('mcp-menus-02-at-resources');
    },
  );
});
