import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/cloud/seed';
import { checkScreen, press, seriousViolations, signInAs, typeInto } from './support';

/**
 * Every main screen, light and dark: no serious or critical axe violation (WCAG 2.1 A/AA), no
 * sideways scroll at 400 px (B8), and a screenshot at 400, 1280 and 1920 px for review
 * (test/e2e/artifacts/, git-ignored).
 */
const SCREENS = ['Phone', 'History', 'Contacts', 'Alerts', 'Settings', 'My profile', 'Phone numbers'] as const;
const WIDTHS = [400, 1280, 1920] as const;

async function openScreen(page: Page, name: (typeof SCREENS)[number]): Promise<void> {
  // "Alerts" carries its unread count in its name.
  const tab = page.getByRole('tab', { name: new RegExp(`^${name}(\\s*\\d+ unread)?$`) });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toBeVisible();
  // Let the screen's first load settle (lists from the cache).
  await page.waitForTimeout(300);
}

test.describe('accessibility and layout', () => {
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');
  test.describe.configure({ timeout: 600_000 });

  test('every main screen passes axe in light and dark mode, fits 400 px without sideways scroll, and is captured at 400/1280/1920 px', async ({ app }) => {
    const { page } = app;
    await expect(page.getByRole('tablist', { name: 'Softphone sections' })).toBeVisible({ timeout: 60_000 });
    const problems: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: width === 400 ? 800 : 1000 });
        for (const screen of SCREENS) {
          await openScreen(page, screen);
          if (scheme === 'light' || width === 1280) await app.screenshot(`screen-${screen.replace(/\W+/g, '-').toLowerCase()}-${width}-${scheme}`);
          if (width === 400) {
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            if (overflow > 0) problems.push(`${screen} at 400 px (${scheme}) scrolls sideways by ${overflow} px`);
          }
          if (width === 1280) for (const v of await seriousViolations(page, scheme)) problems.push(`${screen} (${scheme}): ${v}`);
        }
        if (width === 1920 && scheme === 'light') {
          // Two panes, not a centred column: the phone stays on the left beside another section.
          await openScreen(page, 'Contacts');
          await expect(page.getByTestId('phone-pane').getByRole('combobox', { name: 'Number or name to call' })).toBeVisible();
          await expect(page.getByRole('searchbox', { name: 'Search contacts' })).toBeVisible();
          const panes = await page.evaluate(() => {
            const phone = document.querySelector('[data-testid="phone-pane"]')!.getBoundingClientRect();
            const section = document.querySelector('.section-pane')!.getBoundingClientRect();
            return { phoneRight: phone.right, sectionLeft: section.left, sectionWidth: section.width };
          });
          expect(panes.sectionLeft).toBeGreaterThanOrEqual(panes.phoneRight - 1);
          expect(panes.sectionWidth).toBeGreaterThan(1000);
          await app.screenshot('two-pane-contacts-1920');
        }
      }
    }
    expect(problems).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });

  test('the admin Dispositions screen: a long label wraps, errors sit at their field, the delete question on its row; axe light/dark, 400 px', async ({ app }) => {
    const { page } = app;
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Work email').fill(DEMO_USERS.admin.email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 30_000 });
    await page.getByRole('tab', { name: 'Dispositions' }).click();

    // A long label: added, and it wraps inside its row at 400 px.
    const field = page.getByLabel('New disposition');
    const long = 'Wants a call back after the consultation about the laser pkg';
    await field.fill(long);
    await page.getByRole('button', { name: 'Add' }).click();
    await expect(page.getByTestId('disposition-row').filter({ hasText: long })).toBeVisible();
    // The same name again: the error at the field, the text kept.
    await field.fill(long.toUpperCase());
    await field.press('Enter');
    await expect(page.locator('#new-disposition-error')).toHaveText(/already exists/);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveValue(long.toUpperCase());
    // Delete asks on its own row, focus on "Keep it".
    const row = page.getByTestId('disposition-row').filter({ hasText: long });
    await row.getByRole('button', { name: `Delete ${long}` }).click();
    await expect(row.getByRole('alertdialog')).toBeVisible();
    await expect(row.getByRole('button', { name: 'Keep it' })).toBeFocused();

    const problems: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: width === 400 ? 800 : 1000 });
        await app.screenshot(`screen-dispositions-${width}-${scheme}`);
        if (width === 400) {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (overflow > 0) problems.push(`Dispositions at 400 px (${scheme}) scrolls sideways by ${overflow} px`);
        }
        if (width === 1280) for (const v of await seriousViolations(page, scheme)) problems.push(`Dispositions (${scheme}): ${v}`);
      }
    }
    expect(problems).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(row.getByRole('alertdialog')).toBeHidden();
    expect(app.consoleErrors).toEqual([]);
  });

  test('the admin Trigger links screen by keyboard: the editor with its errors at their fields, the list, who clicked, the delete question; axe light/dark, 400 / 1280 / 1920 px', async ({ app }) => {
    const { page } = app;
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    await signInAs(page, 'admin');
    await press(page, page.getByRole('tab', { name: 'Automation' }));
    await press(page, page.getByRole('navigation', { name: 'Automation' }).getByRole('button', { name: 'Trigger links' }));
    // The demo practice's own links (seed.ts) are listed from the start.
    await expect(page.getByRole('rowheader', { name: /Online booking/ })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('rowheader', { name: /New patient intake form/ })).toBeVisible();
    const problems: string[] = [];
    const check = async (name: string) => {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: width === 400 ? 800 : 1000 });
          await app.screenshot(`screen-${name}-${width}-${scheme}`);
          if (width === 400) {
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            if (overflow > 0) problems.push(`${name} at 400 px (${scheme}) scrolls sideways by ${overflow} px`);
          }
          if (width === 1280) for (const v of await seriousViolations(page, scheme)) problems.push(`${name} (${scheme}): ${v}`);
        }
      }
      await page.emulateMedia({ colorScheme: 'light' });
      await page.setViewportSize({ width: 1280, height: 900 });
    };

    // The editor: a plain http link is refused at its field, the name's absence at its own.
    await press(page, page.getByRole('button', { name: '+ New trigger link' }));
    const url = page.getByRole('textbox', { name: 'Destination link' });
    await typeInto(page, url, 'http://glowmedspa.example/book');
    await press(page, page.getByRole('button', { name: 'Save trigger link' }));
    await expect(page.getByRole('textbox', { name: 'Name' })).toHaveAttribute('aria-invalid', 'true');
    await expect(url).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText(/Use the https:\/\/ address/)).toBeVisible();
    await check('trigger-links-editor');
    await typeInto(page, page.getByRole('textbox', { name: 'Name' }), 'Book a consultation with a long name that wraps at 400 px');
    await url.fill('');
    await typeInto(page, url, 'https://glowmedspa.example/book/a-very-long-path/that-must-wrap-rather-than-push-the-page-sideways?utm_source=sms');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('rowheader', { name: /Book a consultation/ })).toBeVisible({ timeout: 20_000 });

    // The list and who clicked (nobody yet).
    await press(page, page.getByRole('button', { name: /^Who clicked Book a consultation/ }));
    await expect(page.getByText('Nobody has clicked this link yet.')).toBeVisible({ timeout: 20_000 });
    await check('trigger-links');
    await press(page, page.getByRole('button', { name: 'Close the clicks' }));

    // The delete question: focus in the dialog, Escape keeps the link.
    await press(page, page.getByRole('button', { name: /^Delete Book a consultation/ }));
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByText('No workflow step uses this link.')).toBeVisible({ timeout: 20_000 });
    await check('trigger-links-delete');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('rowheader', { name: /Book a consultation/ })).toBeVisible();
    expect(problems).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });

  test('the admin Email sending page: a domain with its records and a failed check wraps at 400 px; axe light/dark', async ({ app }) => {
    const { page } = app;
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    await signInAs(page, 'admin');
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings pages' }).getByRole('button', { name: 'Email sending' }).click();
    await page.getByRole('textbox', { name: 'Domain to send from' }).fill('a-rather-long-practice-domain-name.example');
    await page.getByRole('button', { name: 'Connect domain' }).click();
    const verify = page.getByRole('button', { name: 'Verify a-rather-long-practice-domain-name.example' });
    await verify.click();
    // Failed (nothing published): the longest texts the page shows, the DKIM key and DNS's answers.
    await expect(page.getByText(/^Not verified: No record named/)).toBeVisible({ timeout: 30_000 });

    const problems: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: width === 400 ? 800 : 1000 });
        await app.screenshot(`screen-email-sending-${width}-${scheme}`);
        if (width === 400) {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (overflow > 0) problems.push(`Email sending at 400 px (${scheme}) scrolls sideways by ${overflow} px`);
        }
        if (width === 1280) for (const v of await seriousViolations(page, scheme)) problems.push(`Email sending (${scheme}): ${v}`);
      }
    }
    expect(problems).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });

  test('the admin Email replies page by keyboard: URL and masked secret, Reveal, Copy, the rotate question (Escape keeps it), then a rotation; axe light/dark, 400 / 1920 px', async ({ app }) => {
    const { page } = app;
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    await signInAs(page, 'admin');
    await press(page, page.getByRole('tab', { name: 'Settings' }));
    await press(page, page.getByRole('navigation', { name: 'Settings pages' }).getByRole('button', { name: 'Email replies' }));
    await expect(page.getByRole('heading', { level: 2, name: 'Email replies' })).toBeVisible();
    // The demo cloud listens on this computer: said plainly, and nothing "connected" until a message arrives.
    await expect(page.getByText(/Demo practice: this URL is on this computer/)).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('inbound-arrival')).toHaveText(/^No reply received yet\. Replies arrive only once your mail provider/);
    await expect(page.getByText(/\/hooks\/email\/inbound\//)).toBeVisible();
    await expect(page.getByTestId('inbound-secret')).toHaveText('••••••••••••••••hidden');
    const problems: string[] = [];
    await checkScreen(app, 'email-replies', problems);

    await press(page, page.getByRole('button', { name: 'Reveal' }));
    const hide = page.getByRole('button', { name: 'Hide' });
    await expect(hide).toHaveAttribute('aria-pressed', 'true');
    const secret = (await page.getByTestId('inbound-secret').textContent()) ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    await checkScreen(app, 'email-replies-revealed', problems);
    await press(page, hide);
    await expect(page.getByText(secret)).toHaveCount(0);
    await press(page, page.getByRole('button', { name: 'Copy the signing secret' }));
    await expect(page.getByRole('status').filter({ hasText: 'Copied the signing secret.' })).toBeVisible();

    // The question: focus inside, Escape keeps the secret.
    await press(page, page.getByRole('button', { name: 'Rotate secret…' }));
    const dialog = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await expect(dialog.getByText(/The current secret stops working at once/)).toBeVisible();
    await checkScreen(app, 'email-replies-rotate', problems);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('button', { name: 'Rotate secret…' })).toBeFocused();

    // Rotated for real: a new secret, said in the status line.
    await press(page, page.getByRole('button', { name: 'Rotate secret…' }));
    await press(page, dialog.getByRole('button', { name: 'Rotate secret', exact: true }));
    await expect(page.getByRole('status').filter({ hasText: 'Secret rotated: give your mail provider the new secret now.' })).toBeVisible({ timeout: 20_000 });
    await press(page, page.getByRole('button', { name: 'Reveal' }));
    const rotated = (await page.getByTestId('inbound-secret').textContent()) ?? '';
    expect(rotated).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(rotated).not.toBe(secret);
    expect(problems).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
});
