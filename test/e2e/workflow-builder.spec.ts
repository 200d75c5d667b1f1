import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { checkScreen, cloudAsAdmin, eventually, press, sandboxApi, signInAs } from './support';

/**
 * Issue [workflow-builder] in the browser host with the embedded cloud (engine workers on) and the
 * Twilio sandbox: an admin builds "Spam call → inbound DND" from an empty screen by keyboard,
 * publishes after a dry run that counts the one spam caller of the past, logs "Spam call" on a new
 * simulated call, sees the run in the execution log, and the next call from that number rings no
 * one. Every builder screen passes axe (light and dark); screenshots go to test/e2e/artifacts/.
 */

const MAIN_LINE = '+13105550100';

/** A simulated call to the main line from `caller`: answered with A, hung up by the caller, logged as Spam call (key 6). */
async function logSpamCall(page: Page, sandbox: ReturnType<typeof sandboxApi>, caller: string): Promise<void> {
  // The incoming panel is the Phone tab's (the window is under two-pane width here).
  await page.getByRole('tab', { name: 'Phone', exact: true }).click();
  const { callSid } = await sandbox.placeInboundCall(caller, MAIN_LINE);
  await expect(page.getByTestId('incoming-panel')).toBeVisible({ timeout: 20_000 });
  await page.keyboard.press('a');
  await expect(page.getByTestId('call-timer')).toHaveText(/^0:0\d$/, { timeout: 15_000 });
  await sandbox.hangUp(callSid);
  await expect(page.getByTestId('wrap-up')).toBeVisible();
  await page.keyboard.press('6');
  await expect(page.getByText('Logged “Spam call”.')).toBeVisible({ timeout: 20_000 });
}

test.describe('workflow builder', () => {
  test.describe.configure({ timeout: 600_000 });
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');

  test('Spam call → inbound DND: built by keyboard, dry run counts the past spam caller, publish, log Spam call, the run in the log, the next call rings no one; axe', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded sandbox of the browser host');
    const { page } = app;
    const sandbox = sandboxApi(app);
    const problems: string[] = [];
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });

    // The past: the receptionist already marked one caller Spam call (what the dry run replays).
    await logSpamCall(page, sandbox, '+13105557101');
    await signInAs(page, 'admin');

    // From an empty Automation tab, by keyboard.
    await press(page, page.getByRole('tab', { name: 'Automation' }));
    await expect(page.getByRole('heading', { name: 'Automation' })).toBeVisible();
    await checkScreen(app, 'workflow-list-empty', problems);
    await page.getByLabel('New workflow name').focus();
    await page.keyboard.type('Block spam callers');
    await page.keyboard.press('Enter');
    const when = page.getByLabel('When');
    await expect(when).toBeVisible();
    await when.focus();
    await when.selectOption('call_details');
    await press(page, page.getByRole('checkbox', { name: 'Spam call' }), 'Space');
    await expect(page.getByRole('checkbox', { name: 'Spam call' })).toBeChecked();
    await press(page, page.getByRole('button', { name: 'Add the first action' }));
    const panel = page.getByRole('dialog');
    await expect(panel.getByRole('heading', { name: 'Communication' })).toBeVisible();
    await checkScreen(app, 'workflow-action-categories', problems);
    await press(page, panel.getByRole('button', { name: 'Enable/Disable DND' }));
    await panel.getByLabel('Direction').focus();
    await panel.getByLabel('Direction').selectOption('inbound');
    await checkScreen(app, 'workflow-action-panel-dnd', problems);
    await press(page, panel.getByRole('button', { name: 'Save Action' }));
    await expect(page.getByRole('article', { name: /Step 1: Enable\/Disable DND/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Publish' })).toBeDisabled();
    await checkScreen(app, 'workflow-builder', problems);

    await press(page, page.getByRole('button', { name: 'Dry run (last 30 days)' }));
    await expect(page.locator('.dry-run-summary')).toHaveText(/^1 contact would have entered \(1 entry from \d+ events? replayed\)\.$/, { timeout: 30_000 });
    await checkScreen(app, 'workflow-dry-run', problems);
    await press(page, page.getByRole('button', { name: 'Publish' }));
    await expect(page.locator('.automation-message')).toHaveText('Published Block spam callers (version 1).', { timeout: 20_000 });

    // A new spammer calls and is logged as Spam call: the workflow runs.
    const spammer = '+13105557102';
    await signInAs(page, 'receptionist');
    await logSpamCall(page, sandbox, spammer);

    // The workflow runs in the cloud once the disposition has synced: wait for its DND before the
    // spammer calls again (a call placed before it would ring, as it should).
    const cloud = await cloudAsAdmin(app);
    await eventually(async () => {
      const found = await cloud.get<Array<{ phone: string | null; dnd: { call: { inbound: boolean } } }>>(`/v1/contacts?search=${encodeURIComponent(spammer)}`);
      return found.find((c) => c.phone === spammer && c.dnd.call.inbound);
    }, 'inbound DND on the spammer', 60_000);

    // The next call from that number rings no one (inbound DND rejects it).
    const next = await sandbox.placeInboundCall(spammer, MAIN_LINE);
    await expect.poll(async () => (await sandbox.report(next.callSid)).status, { timeout: 30_000 }).toMatch(/^(busy|no-answer)$/);
    expect((await sandbox.report(next.callSid)).children ?? []).toEqual([]);
    await expect(page.getByTestId('incoming-panel')).toBeHidden();

    // The admin sees the run in the execution log.
    await signInAs(page, 'admin');
    await press(page, page.getByRole('tab', { name: 'Automation' }));
    // The builder stays open across the admin's sign-out; back to the list, then open it from there.
    await press(page, page.getByRole('button', { name: '← All workflows' }));
    await press(page, page.getByRole('button', { name: 'Block spam callers', exact: true }));
    await press(page, page.getByRole('button', { name: 'Execution log' }));
    const row = page.locator('.log-table tbody tr').filter({ hasText: 'completed' });
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(row).toHaveCount(1, { timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await expect(row).toContainText('Enabled inbound DND');
    await checkScreen(app, 'workflow-execution-log', problems);

    expect(problems).toEqual([]);
    expect(app.externalRequests).toEqual([]);
  });
});
