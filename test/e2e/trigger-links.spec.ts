import { expect, test } from './fixtures';
import { cloudAsAdmin, eventually, press, sandboxApi, signInAs, typeInto } from './support';

/**
 * Trigger links (seed 002: a text "supports custom values and trigger links"), in the browser host
 * with the embedded cloud (engine workers on) and the Twilio sandbox, by keyboard: an admin makes a
 * trigger link under Automation → Trigger links, builds "Contact Created → Send SMS" putting the
 * link in the message from the tag icon, sees Send Test SMS carry it as a working short link,
 * publishes; a new contact gets a text with a short link of their own, which redirects to the
 * destination; the Trigger links screen then counts the click and names who clicked.
 */

const DESTINATION = 'https://glowmedspa.example/book-consultation';
const SHORT_LINK = /http:\/\/127\.0\.0\.1:\d+\/l\/[\w-]{16}/;

test.describe('trigger links', () => {
  test.describe.configure({ timeout: 420_000 });
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');

  test('a trigger link in a Send SMS: picked from the tag icon, tested, sent to a new contact as their own short link, the click counted', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded cloud and sandbox of the browser host');
    const { page } = app;
    const sandbox = sandboxApi(app);
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    await signInAs(page, 'admin');

    // Automation → Trigger links: a new link, by keyboard.
    await press(page, page.getByRole('tab', { name: 'Automation' }));
    const nav = page.getByRole('navigation', { name: 'Automation' });
    await press(page, nav.getByRole('button', { name: 'Trigger links' }));
    await expect(page.getByRole('heading', { name: 'Trigger links', level: 2 })).toBeVisible();
    await press(page, page.getByRole('button', { name: '+ New trigger link' }));
    await typeInto(page, page.getByRole('textbox', { name: 'Name' }), 'Book a consultation');
    await typeInto(page, page.getByRole('textbox', { name: 'Destination link' }), DESTINATION);
    await press(page, page.getByRole('button', { name: 'Save trigger link' }));
    await expect(page.getByText('Saved the trigger link Book a consultation: use it as {{trigger_link.book_a_consultation}}.')).toBeVisible({ timeout: 20_000 });

    // Contact Created → Send SMS, the link put in from the tag icon.
    await press(page, nav.getByRole('button', { name: 'Workflows' }));
    await typeInto(page, page.getByLabel('New workflow name'), 'Consultation follow-up');
    await page.keyboard.press('Enter');
    const when = page.getByLabel('When');
    await expect(when).toBeVisible({ timeout: 20_000 });
    await when.focus();
    await when.selectOption('contact_created');
    await press(page, page.getByRole('button', { name: 'Add the first action' }));
    const panel = page.getByRole('dialog');
    await press(page, panel.getByRole('button', { name: 'Send SMS', exact: true }));
    const message = panel.getByRole('textbox', { name: 'Message' });
    await typeInto(page, message, 'Hi, book your consultation here: ');
    await press(page, panel.getByRole('button', { name: 'Custom values for Message' }));
    const links = panel.getByRole('group', { name: 'Custom values for Message' }).getByRole('group', { name: 'Trigger links' });
    await press(page, links.getByRole('button', { name: /Book a consultation/ }));
    await expect(message).toBeFocused({ timeout: 10_000 });
    await expect(message).toHaveValue('Hi, book your consultation here: {{trigger_link.book_a_consultation}}');

    // Send Test SMS: the text as it went, with a working short link (a test: counted nowhere).
    await typeInto(page, panel.getByRole('textbox', { name: 'Test Phone Number (with country code)' }), '+13105559911');
    await press(page, panel.getByRole('button', { name: 'Send Test SMS' }));
    const sentBody = panel.getByTestId('test-send-body');
    await expect(sentBody).toHaveText(/^\[Test\] Hi, book your consultation here: http:\/\/127\.0\.0\.1:\d+\/l\/[\w-]{16}$/, { timeout: 20_000 });
    const testLink = SHORT_LINK.exec((await sentBody.textContent())!)![0];
    const testClick = await fetch(testLink, { redirect: 'manual' });
    expect([testClick.status, testClick.headers.get('location')]).toEqual([302, DESTINATION]);

    await press(page, panel.getByRole('button', { name: 'Save Action' }));
    await expect(page.getByRole('article', { name: /Step 1: Send SMS/ })).toBeVisible();
    await press(page, page.getByRole('button', { name: 'Dry run (last 30 days)' }));
    const publish = page.getByRole('button', { name: 'Publish' });
    await expect(publish).toBeEnabled({ timeout: 30_000 });
    await press(page, publish);
    await expect(page.getByText(/Published Consultation follow-up \(version 1\)/).first()).toBeVisible({ timeout: 20_000 });

    // A new contact: their text carries a short link of their own, which leads to the destination.
    const cloud = await cloudAsAdmin(app);
    const phone = '+13105557731';
    await cloud.send('POST', '/v1/contacts', { name: 'Nadia Trigger', phone });
    const text = await eventually(async () => (await sandbox.messages(phone)).find((m) => SHORT_LINK.test(m.body)), 'the workflow’s text to the new contact', 60_000);
    expect(text.body).toMatch(/^Hi, book your consultation here: http:\/\/127\.0\.0\.1:\d+\/l\/[\w-]{16}$/);
    const contactLink = SHORT_LINK.exec(text.body)![0];
    expect(contactLink).not.toBe(testLink);
    const click = await fetch(contactLink, { redirect: 'manual' });
    expect([click.status, click.headers.get('location')]).toEqual([302, DESTINATION]);

    // The Trigger links screen counts it: sent once, one click by one contact, and names her.
    await press(page, page.getByRole('button', { name: '← All workflows' }));
    await press(page, nav.getByRole('button', { name: 'Trigger links' }));
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Book a consultation/ }) });
    await expect(row.getByRole('cell').nth(1)).toHaveText('1', { timeout: 20_000 });
    await expect(row.getByRole('cell').nth(2)).toHaveText('1 (1 contact)');
    await press(page, row.getByRole('button', { name: 'Who clicked Book a consultation' }));
    await expect(page.getByRole('region', { name: 'Who clicked Book a consultation' }).getByText('Nadia Trigger')).toBeVisible({ timeout: 20_000 });
    expect(app.consoleErrors).toEqual([]);
  });
});
