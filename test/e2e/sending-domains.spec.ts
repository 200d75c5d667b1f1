import { expect, test } from './fixtures';
import { checkScreen, newWorkflowWithTrigger, press, signInAs, typeInto } from './support';

/**
 * A verified sending domain for From Email (the Send Email action: "Use a verified sending address
 * on your connected domain"), in the browser host with the embedded cloud, by keyboard: an admin
 * connects a domain under Settings → Email sending and sees the two TXT records to publish; Verify
 * before publishing fails with DNS's answer (NXDOMAIN); "Publish in the demo DNS" plays the DNS
 * provider's part and Verify then finds them over DNS. In the builder, a From Email on that domain is
 * accepted, one on another domain is named beside the field and under Publish, with a way to the
 * settings page. Each screen passes axe in light and dark at 400 and 1920 px.
 */

test.describe('sending domains', () => {
  test.describe.configure({ timeout: 360_000 });
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');

  test('connect, verify through the demo DNS, and From Email in the Send Email step follows it; by keyboard, axe', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded cloud of the browser host');
    const { page } = app;
    const problems: string[] = [];
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    await signInAs(page, 'admin');

    await press(page, page.getByRole('tab', { name: 'Settings' }));
    await press(page, page.getByRole('navigation', { name: 'Settings pages' }).getByRole('button', { name: 'Email sending' }));
    await expect(page.getByRole('heading', { name: 'Email sending', level: 2 })).toBeVisible();
    await expect(page.getByText(/No sending domain is connected/)).toBeVisible({ timeout: 20_000 });

    // An address is refused at the field, saying what to type instead.
    const field = page.getByRole('textbox', { name: 'Domain to send from' });
    await typeInto(page, field, 'frontdesk@glow-demo.example');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Enter the domain only (glow-demo.example), not an email address')).toBeVisible({ timeout: 20_000 });
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await field.fill('');
    await page.keyboard.type('Glow-Demo.example');
    await page.keyboard.press('Enter');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^glow-demo\.example/ }) });
    await expect(card).toBeVisible({ timeout: 20_000 });
    await expect(card.getByText('_aesthetix-verification.glow-demo.example', { exact: true })).toBeVisible();
    await expect(card.getByText(/^aesthetix-verification=[A-Za-z0-9_-]{43}$/)).toBeVisible();
    await expect(card.getByText(/^v=DKIM1; k=rsa; p=/)).toBeVisible();

    // Verify before the records are published: DNS's answer, in words.
    await press(page, card.getByRole('button', { name: 'Verify glow-demo.example' }));
    await expect(card.getByText(/^Not verified: No record named _aesthetix-verification\.glow-demo\.example exists \(NXDOMAIN\)/)).toBeVisible({ timeout: 30_000 });
    await checkScreen(app, 'email-sending-failed', problems);

    // The demo DNS plays the DNS provider; Verify then finds both records.
    await press(page, card.getByRole('button', { name: 'Publish in the demo DNS' }));
    await expect(page.getByRole('status').filter({ hasText: 'Published glow-demo.example' })).toBeVisible();
    await press(page, card.getByRole('button', { name: 'Verify glow-demo.example' }));
    await expect(card.getByText(/^Verified since .*: email steps can send From any address at glow-demo\.example or its subdomains \(signed with its DKIM key\)\./)).toBeVisible({ timeout: 30_000 });
    await expect(card.getByText('The verification record was found.')).toBeVisible();
    await expect(card.getByText('The DKIM record was found.')).toBeVisible();
    await checkScreen(app, 'email-sending-verified', problems);

    // The Send Email step: its From Email is judged against the practice's domains.
    await press(page, page.getByRole('tab', { name: 'Automation' }));
    const chooser = await newWorkflowWithTrigger(page, 'Booking email', 'appointment_booked');
    await press(page, chooser.getByRole('button', { name: 'Send Email', exact: true }));
    const panel = page.getByRole('dialog', { name: 'Send Email' });
    const fromEmail = panel.getByRole('textbox', { name: 'From Email', exact: true });
    await typeInto(page, fromEmail, 'frontdesk@glow-demo.example');
    await expect(panel.getByText('glow-demo.example is a verified sending domain of the practice.')).toBeVisible({ timeout: 20_000 });
    await fromEmail.fill('');
    await page.keyboard.type('frontdesk@unverified-demo.example');
    const warning = panel.getByText('frontdesk@unverified-demo.example is not on a sending domain of this practice: connect and verify unverified-demo.example under Settings → Email sending.');
    await expect(warning).toBeVisible();
    await expect(fromEmail).toHaveAttribute('aria-describedby', new RegExp(`\\b${await warning.getAttribute('id')}\\b`));
    await typeInto(page, panel.getByRole('textbox', { name: 'Subject', exact: true }), 'See you soon');
    await checkScreen(app, 'email-sending-step-warning', problems);
    // Send Test Mail refuses it with the same words.
    await typeInto(page, panel.getByRole('textbox', { name: 'Test email address' }), 'me@glow-demo.example');
    await press(page, panel.getByRole('button', { name: 'Send Test Mail' }));
    await expect(panel.getByRole('status').filter({ hasText: /connect and verify unverified-demo\.example under Settings → Email sending/ })).toBeVisible({ timeout: 20_000 });
    await press(page, panel.getByRole('button', { name: 'Save Action' }));
    await expect(page.getByRole('article', { name: /Step 1: Send Email/ })).toBeVisible();

    // The builder names the step, holds Publish, refuses the save in the same words, and leads to the page.
    await expect(page.getByText('“Send Email”: frontdesk@unverified-demo.example is not on a sending domain of this practice: connect and verify unverified-demo.example under Settings → Email sending.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Publish' })).toBeDisabled();
    await press(page, page.getByRole('button', { name: 'Save draft' }));
    await expect(page.getByRole('alert').filter({ hasText: /not on a sending domain of this practice/ })).toBeVisible({ timeout: 20_000 });
    await checkScreen(app, 'email-sending-builder', problems);
    await press(page, page.getByRole('button', { name: 'Open Settings → Email sending' }));
    await expect(page.getByRole('heading', { name: 'Email sending', level: 2 })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true');

    expect(problems).toEqual([]);
    expect(app.externalRequests).toEqual([]);
  });
});
