import { expect, test } from './fixtures';

test.describe('the softphone shell', () => {
  test('loads with no console errors and no request to a non-loopback address', async ({ app }) => {
    const { page } = app;
    await expect(page.getByRole('tablist', { name: 'Softphone sections' })).toBeVisible();
    // The shell has reached main through the bridge: the cloud mode comes from app.getInfo.
    await expect(page.getByTestId('cloud-mode')).toContainText(/Demo practice|\./);
    await expect(page.getByRole('tab', { name: 'Phone', exact: true })).toHaveAttribute('aria-selected', 'true');

    // Keyboard only: arrow keys move between sections (Phone → the next tab, Tasks).
    await page.getByRole('tab', { name: 'Phone', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    const next = page.getByRole('tablist', { name: 'Softphone sections' }).getByRole('tab').nth(1);
    await expect(next).toHaveText(/^Tasks/);
    await expect(next).toHaveAttribute('aria-selected', 'true');
    await expect(next).toBeFocused();

    await app.screenshot('shell');
    expect(app.consoleErrors).toEqual([]);
    expect(app.externalRequests).toEqual([]);
  });

  test('the bridge secret leaves the address bar and survives a reload', async ({ app }) => {
    test.skip(app.target !== 'browser', 'browser host only');
    const { page } = app;
    await expect(page.getByTestId('cloud-mode')).toBeVisible();
    expect(page.url()).not.toContain('bridge=');
    await page.reload();
    await expect(page.getByTestId('cloud-mode')).toBeVisible();
    expect(app.consoleErrors).toEqual([]);
  });

  test('the page runs under a strict CSP', async ({ app }) => {
    const { page } = app;
    const blocked = await page.evaluate(async () => {
      try {
        await fetch('http://127.0.0.2:9/never');
        return false;
      } catch {
        return true;
      }
    });
    expect(blocked).toBe(true);
    // An injected inline script must not run.
    await page.addScriptTag({ content: 'window.__inlineRan = true;' }).catch(() => undefined);
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    // The CSP refusals above are expected console errors; nothing else may appear.
    expect(app.consoleErrors.filter((m) => !/Content Security Policy/i.test(m))).toEqual([]);
  });
});
