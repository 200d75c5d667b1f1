import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/cloud/seed';
import { expect, test } from './fixtures';
import { axeFor, eventually, sandboxApi } from './support';

/**
 * Reporting → Call Reporting as the demo receptionist (her own calls): axe at 400 px and 1920 px in
 * light and dark, the keyboard through filters, heat map and table, a disposition logged by the
 * global hotkey changing the open report within seconds, and the CSV holding exactly the table.
 */

const CALLER = '+12135550177';
const CALLER_SHOWN = '(213) 555-0177';
const MAIN_LINE = '+13105550100';

async function axeClean(page: Page, scheme: 'light' | 'dark', label: string): Promise<void> {
  const results = await axeFor(page, scheme, { include: '.reports' }).analyze();
  expect(results.violations.map((v) => `${label}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const tile = (page: Page, label: string) => page.getByRole('list', { name: 'Figures' }).getByRole('listitem').filter({ hasText: label }).locator('.tile-value');

test.describe('call reporting', () => {
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');

  test('filters, charts, heat map and table by keyboard; a disposition shows up live; the CSV is the table; axe clean at 400 and 1920 px, light and dark', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded sandbox of the browser host');
    test.setTimeout(420_000); // the host alone can take two minutes to start on a loaded machine
    const { page } = app;
    const sandbox = sandboxApi(app);
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });

    await page.getByRole('tab', { name: 'Reports' }).click();
    await expect(page.getByRole('heading', { name: 'Call Reporting' })).toBeVisible();
    await expect(tile(page, 'Total calls')).toBeVisible({ timeout: 30_000 });
    const before = Number(await tile(page, 'Total calls').textContent());

    // A call rings while the report is open; answered by the global hotkey. Answering brings the
    // Phone tab forward (the call's controls); the receptionist goes back to the report mid-call.
    const { callSid } = await sandbox.placeInboundCall(CALLER, MAIN_LINE);
    await expect(page.getByTestId('call-announcer')).toContainText('Incoming call', { timeout: 20_000 });
    await page.evaluate(() => window.softphone!.test.pressHotkey({ kind: 'answer' }));
    await expect(page.getByTestId('in-call-panel')).toBeVisible({ timeout: 20_000 });
    // Answered means the softphone's leg is bridged (the parent call is "in-progress" as soon as its TwiML runs).
    await eventually(async () => {
      const r = await sandbox.report(callSid);
      return r.heard && r.heard.energy.audibleFrames > 5 && r.spoke && r.spoke.audibleFrames > 5;
    }, 'two-way audio on the answered call', 30_000);
    await page.getByRole('tab', { name: 'Reports' }).click();
    const table = page.getByRole('table', { name: 'Calls' });
    const row = table.getByRole('row').filter({ hasText: CALLER_SHOWN }).first();
    // Live: the call on the line is already in the open report (answered; its talk time comes at the end).
    await expect(row).toContainText('Answered', { timeout: 30_000 });
    await expect(tile(page, 'Total calls')).toHaveText(String(before + 1), { timeout: 30_000 });

    // The caller hangs up; the disposition by global hotkey (3 = Follow Up), still on the report.
    await sandbox.hangUp(callSid);
    await eventually(async () => {
      const state = await page.evaluate(() => window.softphone!.wrapups.getState());
      return state.ok && state.value.items.length > 0;
    }, 'the wrap-up waiting for a disposition', 30_000);
    await page.evaluate(() => window.softphone!.test.pressHotkey({ kind: 'disposition', index: 2 }));
    // Committed after the 5-second undo window, synced, and back in the report within seconds.
    await expect(row).toContainText('Follow Up', { timeout: 30_000 });
    await expect(tile(page, 'Total calls')).toHaveText(String(before + 1));
    await app.screenshot('reports');

    // Keyboard: sort by talk time from its header button.
    await table.getByRole('button', { name: 'Talk' }).focus();
    await page.keyboard.press('Enter');
    await expect(table.getByRole('columnheader', { name: /Talk/ })).toHaveAttribute('aria-sort', 'ascending');

    // The heat map: one Tab stop, arrows move, Enter filters the table to that day and hour.
    const heat = page.getByRole('figure', { name: 'Calls by weekday and hour', exact: true });
    const first = heat.locator('button[tabindex="0"]');
    await first.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await expect(heat.getByRole('button', { name: /^Tuesday 12 am/ })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByText(/Only Tuesday, 12 am/)).toBeVisible();
    await page.getByRole('button', { name: 'Clear day and hour' }).click();
    await expect(page.getByText(/Only Tuesday/)).toHaveCount(0);

    // A list filter by keyboard: Status → Missed narrows the figures.
    const statusFilter = page.locator('details').filter({ hasText: 'Status' });
    await statusFilter.locator('summary').focus();
    await page.keyboard.press('Enter');
    await statusFilter.getByRole('checkbox', { name: 'Answered' }).check();
    await expect(statusFilter.locator('summary')).toContainText('(1)');
    await expect(tile(page, 'Answered')).toHaveText('100.0%', { timeout: 20_000 });
    const answeredTotal = Number(await tile(page, 'Total calls').textContent());

    // The CSV: exactly the filtered calls, in the table's columns.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^Date,Time,Contact,Number,Direction,Line,User,Team,Status,Source/);
    expect(lines.length - 1).toBe(answeredTotal);
    expect(lines.slice(1).every((l) => l.includes(',Answered,'))).toBe(true);
    expect(csv).toContain('Follow Up');
    await expect(page.getByText(/^Saved calls-.*\.csv/)).toBeVisible();

    // axe: wide and narrow, light and dark.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [1920, 400]) {
        await page.setViewportSize({ width, height: 1000 });
        await axeClean(page, scheme, `${scheme} ${width}px`);
        await app.screenshot(`reports-${scheme}-${width}`);
      }
    }
    // Nothing scrolls sideways at 400 px but the table and heat maps inside their own boxes.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);

    expect(app.consoleErrors).toEqual([]);
    expect(app.externalRequests).toEqual([]);
  });
});

test.describe('teams and the practice report (admin)', () => {
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');

  test('Team: create, lead and members by keyboard, the team in the practice report; axe clean at 400 and 1920 px, light and dark', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded sandbox of the browser host');
    test.setTimeout(420_000);
    const { page } = app;
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    // A receptionist has no Team tab.
    await expect(page.getByRole('tab', { name: 'Team' })).toHaveCount(0);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Work email').fill(DEMO_USERS.admin.email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 30_000 });

    // Team: a new team by keyboard, Jordan as its lead and member.
    await page.getByRole('tab', { name: 'Team' }).click();
    await expect(page.getByRole('heading', { name: 'Teams' })).toBeVisible();
    await page.getByLabel('New team').focus();
    await page.keyboard.type('Evening desk');
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Team Evening desk' });
    await expect(form).toBeVisible({ timeout: 15_000 });
    await form.getByLabel('Lead').selectOption({ label: DEMO_USERS.receptionist.name });
    await form.getByRole('checkbox', { name: DEMO_USERS.receptionist.name }).focus();
    await page.keyboard.press('Space');
    await expect(form.getByText('Members (1)')).toBeVisible();
    await form.getByRole('button', { name: 'Save Evening desk' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Team saved.' })).toBeVisible({ timeout: 15_000 });
    await expect(form.getByLabel('Lead')).toHaveValue(DEMO_USERS.receptionist.id);
    await axeAt(page, '.teams', 'team');

    // The practice's report: per user and per team, the new team among the choices and bars.
    await page.getByRole('tab', { name: 'Reports' }).click();
    await expect(page.getByRole('figure', { name: 'Dispositions per user', exact: true })).toBeVisible({ timeout: 30_000 });
    const teams = page.getByRole('figure', { name: 'Dispositions per team', exact: true });
    await expect(teams.getByRole('button', { name: /Evening desk: \d+ calls/ })).toBeVisible({ timeout: 30_000 });
    await teams.getByRole('button', { name: /Evening desk/ }).click();
    await expect(page.locator('summary').filter({ hasText: /^Team/ })).toContainText('(1)');
    await expect(page.getByRole('heading', { name: 'Calls (filtered from a chart)' })).toBeVisible();
    await axeAt(page, '.reports', 'reports (admin)');

    expect(app.consoleErrors).toEqual([]);
    expect(app.externalRequests).toEqual([]);
  });
});

/** axe in light and dark at 1920 and 400 px, and nothing wider than the window at 400 px. */
async function axeAt(page: Page, selector: string, label: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1920, 400]) {
      await page.setViewportSize({ width, height: 1000 });
      const results = await axeFor(page, scheme, { include: selector }).analyze();
      expect(results.violations.map((v) => `${label} ${scheme} ${width}px: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      if (width === 400) expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${label}: sideways scroll at 400 px`).toBe(true);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
}
