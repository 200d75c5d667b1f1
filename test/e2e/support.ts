import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/cloud/seed';
import { sandboxHttp } from '../support/sandbox-http';
import type { SoftphoneApp } from './fixtures';

export type { SandboxCallReport } from '../support/sandbox-http';

/**
 * Test-side access to what the browser host runs in the embedded default: the Twilio sandbox's
 * control API and the cloud API.
 */
export function sandboxApi(app: SoftphoneApp) {
  if (!app.embedded) throw new Error('the host did not report its embedded sandbox');
  return sandboxHttp(app.embedded.sandboxHost);
}

/** The cloud API as the demo admin sees it. */
export async function cloudAsAdmin(app: SoftphoneApp) {
  if (!app.embedded) throw new Error('the host did not report its embedded cloud');
  const base = app.embedded.cloudUrl;
  const login = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: DEMO_USERS.admin.email, password: DEMO_PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return {
    get: async <T>(path: string): Promise<T> => {
      const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${accessToken}` } });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
      return (await res.json()) as T;
    },
    send: async <T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { Authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

/**
 * Makes `domain` a verified sending domain of the demo practice as an admin would, without the
 * screens (specs about something else send From it): connected through the cloud API, its records
 * published in the demo DNS through the page's bridge, and verified — the cloud really looks them up.
 */
export async function verifyDemoSendingDomain(app: SoftphoneApp, domain: string): Promise<void> {
  const cloud = await cloudAsAdmin(app);
  const added = await cloud.send<{ id: string; records: { name: string; value: string }[] }>('POST', '/v1/sending-domains', { domain });
  const records = added.records.map(({ name, value }) => ({ name, value }));
  const published = await app.page.evaluate((r) => window.softphone!.demo.publishDnsRecords({ records: r }), records);
  expect(published.ok).toBe(true);
  const verified = await cloud.send<{ status: string; failure: string | null }>('POST', `/v1/sending-domains/${added.id}/verify`);
  expect(verified.status, verified.failure ?? '').toBe('verified');
}

/** Polls until `check` returns a value (for state that lives outside the page). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, label: string, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${label}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The axe rules whose outcome can change with the colour scheme. The dark theme
 * (src/renderer/styles.css, `prefers-color-scheme: dark`) changes colours only, never layout or
 * visibility, so in dark mode only these can find something light mode's full run did not; each axe
 * run costs seconds of CPU on a loaded machine, so dark runs check these and nothing else.
 */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * An axe run for one colour scheme: every rule (or those tagged `tags`) in light mode, the colour
 * rules in dark mode (see COLOUR_RULES). `include` scopes it to the region under test.
 * Legacy mode runs axe.run in the page itself: the default opens, loads axe into and closes an extra
 * blank page on every run (for cross-origin frames, which the app has none of).
 */
export function axeFor(page: Page, scheme: 'light' | 'dark', { include, tags }: { include?: string; tags?: string[] } = {}): AxeBuilder {
  let builder = new AxeBuilder({ page }).setLegacyMode(true);
  if (include) builder = builder.include(include);
  if (scheme === 'dark') return builder.withRules(COLOUR_RULES);
  return tags ? builder.withTags(tags) : builder;
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Serious and critical axe violations (WCAG 2.1 A/AA) on the page as it is now, in `scheme` (see axeFor). */
export async function seriousViolations(page: Page, scheme: 'light' | 'dark'): Promise<string[]> {
  const result = await axeFor(page, scheme, { tags: WCAG_TAGS }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

/**
 * One screen at 400 and 1920 px, each in light and dark: axe (serious/critical; dark runs the colour
 * rules, see axeFor) and a screenshot (test/e2e/artifacts/<name>-<width>-<scheme>.png); no sideways
 * scroll at 400 px. Problems are collected, not thrown, so one run reports every screen. The
 * viewport is restored to 1280 × 900.
 */
export async function checkScreen(app: SoftphoneApp, name: string, problems: string[]): Promise<void> {
  const { page } = app;
  for (const width of [400, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const v of await seriousViolations(page, scheme)) problems.push(`${name} ${width} px (${scheme}): ${v}`);
      await app.screenshot(`${name}-${width}-${scheme}`);
    }
    if (width === 400) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) problems.push(`${name} at 400 px scrolls sideways by ${overflow} px`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Keyboard only: focus, check focus really arrived (a lost press must fail fast, not hang), then the key. */
export async function press(page: Page, target: Locator, key = 'Enter'): Promise<void> {
  await target.focus({ timeout: 10_000 });
  await expect(target).toBeFocused({ timeout: 5_000 });
  await page.keyboard.press(key);
}

/** Keyboard only: focus (checked), then type. */
export async function typeInto(page: Page, target: Locator, text: string): Promise<void> {
  await target.focus({ timeout: 10_000 });
  await expect(target).toBeFocused({ timeout: 5_000 });
  await page.keyboard.type(text);
}

/**
 * Keyboard only, from the Automation tab's list: a new workflow named `name` with its trigger chosen
 * (`When`), then the first action's chooser opened; returns that dialog.
 */
export async function newWorkflowWithTrigger(page: Page, name: string, trigger: string): Promise<Locator> {
  await typeInto(page, page.getByLabel('New workflow name'), name);
  await page.keyboard.press('Enter');
  const when = page.getByLabel('When');
  await expect(when).toBeVisible({ timeout: 20_000 });
  await when.focus();
  await when.selectOption(trigger);
  await press(page, page.getByRole('button', { name: 'Add the first action' }));
  return page.getByRole('dialog');
}

/** Signs out whoever is signed in and signs in as a demo user, until the phone is ready. */
export async function signInAs(page: Page, who: keyof typeof DEMO_USERS): Promise<void> {
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Work email').fill(DEMO_USERS[who].email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 30_000 });
}
