import type { Locator, Page } from '@playwright/test';
import { formatDateTime } from '../../src/cloud/automation/merge-data';
import type { RunStep, Workflow } from '../../src/shared/cloud/workflows';
import { expect, test } from './fixtures';
import { checkScreen, cloudAsAdmin, eventually, newWorkflowWithTrigger, press, sandboxApi, signInAs, typeInto, verifyDemoSendingDomain } from './support';

/**
 * Issue [workflow-builder] in the browser host with the embedded cloud (engine workers on) and the
 * Twilio sandbox: an admin builds "Spam call → inbound DND" from an empty screen by keyboard,
 * publishes after a dry run that counts the one spam caller of the past, logs "Spam call" on a new
 * simulated call, sees the run in the execution log, and the next call from that number rings no
 * one. Then the booking-confirmation email: Appointment Booked → Send Email with merge fields put in
 * through the custom-value picker by keyboard, an appointment booked through the cloud API as an
 * integration would, and the email the workflow sent caught by the embedded mail catcher (the Demo
 * inbox) with the fields filled in. Every builder screen passes axe (light and dark); screenshots
 * go to test/e2e/artifacts/.
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

/**
 * Opens the custom-value picker beside `field` by keyboard, picks `{{name}}` and waits until focus is
 * back in the field (where the next keys must go).
 */
async function pickCustomValue(page: Page, panel: Locator, field: Locator, label: string, name: string): Promise<void> {
  await press(page, panel.getByRole('button', { name: `Custom values for ${label}` }));
  const list = panel.getByRole('group', { name: `Custom values for ${label}` });
  await press(page, list.getByRole('button', { name: `{{${name}}}`, exact: true }));
  await expect(list).toBeHidden();
  await expect(field).toBeFocused({ timeout: 10_000 });
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
  test('booking-confirmation email: Appointment Booked → Send Email with merge fields picked by keyboard, dry run, publish; a booking through the API sends it, the caught email has the fields filled, the log shows it Delivered; axe', async ({ app }) => {
    test.skip(app.target !== 'browser', 'reads the embedded mail catcher of the browser host');
    const { page } = app;
    const problems: string[] = [];
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    await signInAs(page, 'admin');
    // Send Email sends only From a verified sending domain (sending-domains.spec.ts does this by its screens).
    await verifyDemoSendingDomain(app, 'glowmedspa.example');

    // The workflow, by keyboard: Appointment Booked → Send Email.
    await press(page, page.getByRole('tab', { name: 'Automation' }));
    await expect(page.getByRole('heading', { name: 'Automation' })).toBeVisible();
    const panel = await newWorkflowWithTrigger(page, 'Booking confirmation', 'appointment_booked');
    await expect(panel.getByRole('heading', { name: 'Communication' })).toBeVisible();
    await press(page, panel.getByRole('button', { name: 'Send Email' }));
    await typeInto(page, panel.getByRole('textbox', { name: 'From Name', exact: true }), 'Glow Med Spa');
    await typeInto(page, panel.getByRole('textbox', { name: 'From Email', exact: true }), 'frontdesk@glowmedspa.example');
    const subject = panel.getByRole('textbox', { name: 'Subject', exact: true });
    await typeInto(page, subject, 'See you soon, ');
    await pickCustomValue(page, panel, subject, 'Subject', 'contact.first_name');
    await page.keyboard.type('!');
    await expect(subject).toHaveValue('See you soon, {{contact.first_name}}!');
    const message = panel.getByRole('textbox', { name: 'Message', exact: true });
    await typeInto(page, message, 'Hi ');
    await pickCustomValue(page, panel, message, 'Message', 'contact.first_name');
    await page.keyboard.type(', your appointment is booked for ');
    await pickCustomValue(page, panel, message, 'Message', 'appointment.start_time');
    await page.keyboard.type('. Reply to this email to change it.');
    await expect(message).toHaveValue('Hi {{contact.first_name}}, your appointment is booked for {{appointment.start_time}}. Reply to this email to change it.');
    // The trigger supplies every field used: no "will be blank" warning.
    await expect(panel.locator('.field-warning')).toHaveCount(0);
    await checkScreen(app, 'workflow-action-panel-email', problems);
    await press(page, panel.getByRole('button', { name: 'Save Action' }));
    await expect(page.getByRole('article', { name: /Step 1: Send Email/ })).toBeVisible();
    await checkScreen(app, 'workflow-builder-email', problems);

    await press(page, page.getByRole('button', { name: 'Dry run (last 30 days)' }));
    await expect(page.locator('.dry-run-summary')).toHaveText(/^\d+ contacts? would have entered/, { timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Publish' })).toBeEnabled();
    await checkScreen(app, 'workflow-dry-run-email', problems);
    await press(page, page.getByRole('button', { name: 'Publish' }));
    await expect(page.locator('.automation-message')).toHaveText('Published Booking confirmation (version 1).', { timeout: 20_000 });

    // A booking made through the cloud API, as a scheduling integration would.
    const cloud = await cloudAsAdmin(app);
    const workflow = (await cloud.get<Workflow[]>('/v1/workflows')).find((w) => w.name === 'Booking confirmation');
    expect(workflow?.status).toBe('published');
    const contact = await cloud.send<{ id: string }>('POST', '/v1/contacts', { name: 'Brooke Ramirez', email: 'brooke.ramirez@example.com', phone: '+13105557201' });
    const startsAt = new Date(Date.UTC(2027, 2, 17, 21, 30)).toISOString();
    await cloud.send('POST', '/v1/appointments', { contactId: contact.id, startsAt, durationMinutes: 60, calendar: 'Injectables', title: 'Botox consult' });
    // The demo practice's time zone (the accounts table's default), as the cloud formats the field.
    const startTime = formatDateTime(startsAt, 'America/Los_Angeles');

    // The engine runs the step (its workers may start late on a loaded machine): wait for the step
    // to finish, whatever its outcome, then require it sent.
    const step = await eventually(async () => {
      const log = await cloud.get<RunStep[]>(`/v1/workflow-logs?workflowId=${workflow!.id}&contactId=${contact.id}`);
      return log.find((s) => s.type === 'send_email' && ['completed', 'error', 'skipped'].includes(s.status));
    }, 'the Send Email step to run', 180_000);
    expect(step.reason).toBe('Email sent to brooke.ramirez@example.com');
    expect(step.status).toBe('completed');
    expect(step.blankFields).toEqual([]);

    // The caught email (the embedded mail catcher) in the Demo inbox, merge fields filled in.
    await press(page, page.getByRole('tab', { name: 'Demo inbox' }));
    const email = page.locator('.demo-message').filter({ hasText: 'brooke.ramirez@example.com' });
    await expect(email).toHaveCount(1, { timeout: 30_000 });
    await expect(email.getByRole('heading')).toHaveText('See you soon, Brooke!');
    await expect(email.locator('.demo-message-body')).toContainText(`Hi Brooke, your appointment is booked for ${startTime}. Reply to this email to change it.`);
    await checkScreen(app, 'demo-inbox-booking-email', problems);

    // The run in the execution log: the step completed, Accepted and Delivered counted.
    await press(page, page.getByRole('tab', { name: 'Automation' }));
    await press(page, page.getByRole('button', { name: 'Execution log' }));
    const row = page.locator('.log-table tbody tr').filter({ hasText: 'Email sent to brooke.ramirez@example.com' });
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(row).toHaveCount(1, { timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await expect(row).toContainText('completed');
    const stats = page.locator('.automation-table').filter({ has: page.getByText(/Per-action statistics/) }).getByRole('row', { name: /Send Email/ });
    await expect(stats).toContainText('Accepted 1');
    await expect(stats).toContainText('Delivered 1');
    await checkScreen(app, 'workflow-execution-log-email', problems);

    expect(problems).toEqual([]);
    expect(app.externalRequests).toEqual([]);
  });
});
