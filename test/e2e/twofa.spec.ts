import { tmpdir } from 'node:os';
import type { Page } from '@playwright/test';
import { totpCodeAt } from '../../src/cloud/twofa/totp';
import { caughtMails, codeFromMail, findEmbeddedDir, sandboxMessages } from '../support/twofa-delivery';
import { expect, test } from './fixtures';

/**
 * The whole 2FA-protected phone change in the UI, once per channel, against the embedded default:
 * email codes are read from the SMTP catcher's files, SMS codes from the sandbox's recorded
 * messages, TOTP codes computed with otplib from the secret shown at enrolment.
 */

const JORDAN = 'jordan@glowmedspa.example';
const FIRST = '+13105550177';
const SECOND = '+13105550188';

async function openProfile(page: Page): Promise<string> {
  // Once the app is ready: a click while the header still settles (identity, status) can land where the tab was a moment before (one CI run).
  await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
  const tab = page.getByRole('tab', { name: 'My profile' });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('Personal data')).toBeVisible();
  const info = await page.evaluate(async () => window.softphone!.app.getInfo());
  if (!info.ok) throw new Error('app.getInfo failed');
  const dir = findEmbeddedDir(info.value.cloud.url, tmpdir());
  if (!dir) throw new Error(`no embedded data folder for ${info.value.cloud.url}`);
  return dir;
}

/** The code of the next email caught after `before` messages. */
async function nextMailCode(dir: string, before: number): Promise<string> {
  await expect.poll(() => caughtMails(dir).length).toBeGreaterThan(before);
  const code = codeFromMail(dir, JORDAN);
  if (!code) throw new Error('no code in the caught mail');
  return code;
}

async function nextSmsCode(dir: string, to: string, before: number): Promise<string> {
  await expect.poll(async () => (await sandboxMessages(dir, to)).length).toBeGreaterThan(before);
  const [newest] = await sandboxMessages(dir, to);
  const match = /code: (\d{6})/.exec(newest!.body);
  if (!match) throw new Error(`no code in SMS: ${newest!.body}`);
  return match[1]!;
}

async function enterCode(page: Page, code: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Enter the verification code' });
  await dialog.getByLabel('Verification code').fill(code);
  await dialog.getByRole('button', { name: 'Continue' }).click();
}

async function verifyEmail(page: Page, dir: string): Promise<void> {
  const before = caughtMails(dir).length;
  await page.getByRole('button', { name: 'Verify email' }).click();
  await enterCode(page, await nextMailCode(dir, before));
  await expect(page.getByRole('status').filter({ hasText: 'Email verified.' })).toBeVisible();
}

async function changePhoneByEmail(page: Page, dir: string, phone: string): Promise<void> {
  await page.getByLabel('New phone number').fill(phone);
  await page.getByRole('button', { name: 'Update Profile' }).click();
  const modal = page.getByRole('dialog', { name: 'Choose how to verify' });
  await modal.getByRole('radio', { name: /Email/ }).check();
  const before = caughtMails(dir).length;
  await modal.getByRole('button', { name: 'Continue' }).click();
  await enterCode(page, await nextMailCode(dir, before));
  await expect(page.getByText(`Phone number updated to ${phone}`)).toBeVisible();
}

test.describe('2FA-protected phone change in the UI', () => {
  test('email: told to verify first, then a code from the caught email changes the number', async ({ app }) => {
    const { page } = app;
    const dir = await openProfile(page);
    // No verified channel: told before starting.
    await page.getByLabel('New phone number').fill(FIRST);
    await page.getByRole('button', { name: 'Update Profile' }).click();
    await expect(page.locator('.profile').getByRole('alert')).toHaveText('No verification options available — set up an authenticator app or verify your email first.');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await verifyEmail(page, dir);
    await page.getByRole('button', { name: 'Update Profile' }).click();
    const modal = page.getByRole('dialog', { name: 'Choose how to verify' });
    // Only the available channel is offered; SMS is explained.
    await expect(modal.getByRole('radio')).toHaveCount(1);
    await expect(modal.getByRole('radio', { name: /Email/ })).toBeChecked();
    await expect(modal.getByText("Don't see SMS?")).toBeVisible();
    const before = caughtMails(dir).length;
    await modal.getByRole('button', { name: 'Continue' }).click();
    const code = await nextMailCode(dir, before);
    // The resend timer is visible and holds the button.
    const resend = page.getByRole('button', { name: /Resend code in \d+ s/ });
    await expect(resend).toBeDisabled();
    await enterCode(page, code === '000000' ? '111111' : '000000');
    await expect(page.getByRole('dialog').getByRole('alert')).toContainText('That code is not right');
    await enterCode(page, code);
    await expect(page.getByText(`Phone number updated to ${FIRST}`)).toBeVisible();
    await expect(page.getByTestId('profile-phone')).toHaveText(FIRST);
    // The old channel got a notice; the new number got nothing.
    await expect.poll(() => caughtMails(dir).some((m) => m.includes('Your Aesthetix phone number was changed'))).toBe(true);
    expect(await sandboxMessages(dir, FIRST)).toEqual([]);
    await app.screenshot('twofa-email');
    expect(app.consoleErrors).toEqual([]);
  });

  test('SMS: offered only for the verified current phone, the code goes to the old number, never the new one', async ({ app }) => {
    const { page } = app;
    const dir = await openProfile(page);
    await verifyEmail(page, dir);
    await changePhoneByEmail(page, dir, FIRST);
    // The new number is not verified: SMS is not offered until it is, in its own right.
    await page.getByLabel('New phone number').fill(SECOND);
    await page.getByRole('button', { name: 'Update Profile' }).click();
    await expect(page.getByRole('dialog', { name: 'Choose how to verify' }).getByRole('radio', { name: /Text message/ })).toHaveCount(0);
    await page.getByRole('dialog', { name: 'Choose how to verify' }).getByRole('button', { name: 'Cancel' }).click();

    const beforeVerify = (await sandboxMessages(dir, FIRST)).length;
    await page.getByRole('button', { name: 'Verify phone' }).click();
    await enterCode(page, await nextSmsCode(dir, FIRST, beforeVerify));
    await expect(page.getByRole('status').filter({ hasText: 'Phone verified.' })).toBeVisible();

    await page.getByLabel('New phone number').fill(SECOND);
    await page.getByRole('button', { name: 'Update Profile' }).click();
    const modal = page.getByRole('dialog', { name: 'Choose how to verify' });
    await modal.getByRole('radio', { name: /Text message/ }).check();
    await expect(modal).toContainText('•••• 0177');
    const before = (await sandboxMessages(dir, FIRST)).length;
    await modal.getByRole('button', { name: 'Continue' }).click();
    await enterCode(page, await nextSmsCode(dir, FIRST, before));
    await expect(page.getByText(`Phone number updated to ${SECOND}`)).toBeVisible();
    await expect(page.getByTestId('profile-phone')).toHaveText(SECOND);
    expect(await sandboxMessages(dir, SECOND)).toEqual([]);
    await expect.poll(async () => (await sandboxMessages(dir, FIRST)).some((m) => m.body.includes('was changed'))).toBe(true);
    expect(app.consoleErrors).toEqual([]);
  });

  test('a number abroad (outside the call policy’s countries): refused with the policy’s words before any code is sent', async ({ app }) => {
    const { page } = app;
    const dir = await openProfile(page);
    await verifyEmail(page, dir);
    await page.getByLabel('New phone number').fill('+44 20 7946 0958');
    await page.getByRole('button', { name: 'Update Profile' }).click();
    const modal = page.getByRole('dialog', { name: 'Choose how to verify' });
    await modal.getByRole('radio', { name: /Email/ }).check();
    const before = caughtMails(dir).length;
    await modal.getByRole('button', { name: 'Continue' }).click();
    await expect(modal.getByRole('alert')).toHaveText(
      'That number cannot be verified by text message. Texts to United Kingdom (GB) are not allowed for your practice. An admin can allow more countries under Settings → Call policy.',
    );
    expect(caughtMails(dir)).toHaveLength(before);
    await expect(page.getByTestId('profile-phone')).not.toHaveText('+442079460958');
    expect(app.consoleErrors).toEqual([]);
  });

  test('authenticator app: password re-entered, enrol by QR, keep backup codes; a change it approves at once is held and can be cancelled', async ({ app }) => {
    const { page } = app;
    await openProfile(page);
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    // No verified channel yet: the password re-entered is the proof (a session alone cannot add a channel).
    const confirm = page.getByRole('dialog', { name: 'Confirm your password' });
    await confirm.getByLabel('Password').fill('not-my-password');
    await confirm.getByRole('button', { name: 'Continue' }).click();
    await expect(confirm.getByRole('alert')).toHaveText('That password is not right — enter the password you sign in with.');
    await confirm.getByLabel('Password').fill('glow-demo-2024');
    await confirm.getByRole('button', { name: 'Continue' }).click();
    const setup = page.getByRole('dialog', { name: 'Set up your authenticator app' });
    await expect(setup.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
    const secret = (await setup.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await setup.getByLabel('Code from the app').fill(totpCodeAt(secret, Date.now()));
    await setup.getByRole('button', { name: 'Turn on' }).click();
    const backup = page.getByRole('dialog', { name: 'Your backup codes' });
    await expect(backup.getByTestId('backup-codes').getByRole('listitem')).toHaveCount(10);
    await backup.getByRole('button', { name: 'I saved them' }).click();

    await page.getByLabel('New phone number').fill(FIRST);
    await page.getByRole('button', { name: 'Update Profile' }).click();
    const modal = page.getByRole('dialog', { name: 'Choose how to verify' });
    await expect(modal.getByRole('radio')).toHaveCount(2); // the app, and the lost-access backup code
    await modal.getByRole('radio', { name: 'Use Authenticator App' }).check();
    await modal.getByRole('button', { name: 'Continue' }).click();
    // The enrolment spent the current step; the next step's code is within the ±1 window.
    await enterCode(page, totpCodeAt(secret, Date.now() + 30_000));
    // The app is minutes old: the change waits out the cooling-off period instead of applying.
    await expect(page.getByRole('status').filter({ hasText: `Your new number ${FIRST} takes effect` })).toBeVisible();
    await expect(page.getByTestId('profile-phone')).toHaveText('none');
    await expect(page.getByTestId('held-phone-change')).toContainText(`A change to ${FIRST} is waiting`);
    await app.screenshot('twofa-totp');
    await page.getByTestId('held-phone-change').getByRole('button', { name: 'Cancel this change' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The waiting phone number change was cancelled.' })).toBeVisible();
    await expect(page.getByTestId('held-phone-change')).toHaveCount(0);
    expect(app.consoleErrors).toEqual([]);
  });
});
