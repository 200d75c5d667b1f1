import { DEMO_USERS } from '../../src/cloud/seed';
import { expect, test } from './fixtures';
import { checkScreen, cloudAsAdmin, eventually, press, sandboxApi } from './support';

/**
 * Issue [manual-actions] in the browser host (embedded cloud + Twilio sandbox): three tasks handed
 * to Jordan through the API the workflows use (a call, a text, a call) → Let's Start → the first
 * call dials a sandbox callee, its wrap-up (key 3, Follow Up) completes the task → the text is
 * edited and sent (seen at the sandbox) → the last call is skipped with a reason → the queue is
 * empty. Keyboard only; axe on the Tasks tab at 400 and 1920 px, light and dark; screenshots in
 * test/e2e/artifacts/tasks-*.png.
 */

interface CloudTask { id: string; status: string; callOutcome: string | null; dispositionId: string | null; callId: string | null; message: string | null; reason?: string | null }

test.describe('manual actions queue', () => {
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');

  test('Let’s Start: a call through the sandbox completed by its wrap-up, a text edited and sent, a call skipped with a reason; axe', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded sandbox of the browser host');
    test.setTimeout(180_000);
    const { page } = app;
    const sandbox = sandboxApi(app);
    const problems: string[] = [];
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });

    // The three tasks, oldest first, as Manual Call / Manual SMS steps queue them (POST /v1/tasks is their API).
    const cloud = await cloudAsAdmin(app);
    const contact = async (name: string, phone: string) =>
      (await cloud.send<{ id: string }>('POST', '/v1/contacts', { name, phone, assignedUserId: DEMO_USERS.receptionist.id })).id;
    const callee = '+14155550611';
    const texted = '+14155550612';
    await sandbox.setBehaviour(callee, { answerAfterMs: 300 });
    const queue = async (body: Record<string, unknown>) => (await cloud.send<CloudTask>('POST', '/v1/tasks', { assignToUserId: DEMO_USERS.receptionist.id, ...body })).id;
    const firstCall = await queue({ type: 'call', contactId: await contact('Avery Quinn', callee), title: 'Post-treatment check-in' });
    const text = await queue({ type: 'sms', contactId: await contact('Blake Rivera', texted), title: 'Results text', message: 'Hi Blake, your results are in.' });
    const lastCall = await queue({ type: 'call', contactId: await contact('Casey Moreno', '+14155550613'), title: 'Rebook consult' });

    // The tab's badge counts them (pulled by the realtime poke); the list shows all three.
    const tab = page.getByRole('tab', { name: /^Tasks/ });
    await expect(tab).toHaveText(/^Tasks3 open$/, { timeout: 30_000 });
    await press(page, tab);
    const rows = page.locator('.task-table tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText('Avery Quinn');
    await expect(rows.nth(1)).toContainText('Text');
    await checkScreen(app, 'tasks-queue', problems);

    // Let's Start opens the oldest: the call. D opens the dialer on the contact's number.
    await press(page, page.getByRole('button', { name: 'Let’s Start' }));
    const work = page.getByRole('region', { name: /^Working:/ });
    await expect(work.getByRole('heading')).toContainText('Call Avery Quinn');
    await expect(work.getByRole('button', { name: 'Call (415) 555-0611' })).toBeVisible();
    await checkScreen(app, 'tasks-call', problems);
    await press(page, work, 'd');
    // The dialer has the number (and nothing typed after it) and the focus: Enter calls.
    const dial = page.getByLabel('Number or name to call');
    await expect(dial).toHaveValue('(415) 555-0611');
    await press(page, dial);
    await expect(page.getByTestId('call-timer')).toHaveText(/^0:0\d$/, { timeout: 20_000 });
    await eventually(async () => (await sandbox.calls()).find((c) => c.to === callee && c.parentCallSid !== null && c.status === 'in-progress'), 'the callee answers');
    await press(page, page.getByTestId('in-call-panel'), 'e');
    // The call's wrap-up is the task's outcome: key 3 logs Follow Up and completes the task.
    const wrapUp = page.getByTestId('wrap-up');
    await expect(wrapUp).toBeVisible();
    await press(page, wrapUp, '3');
    await expect(page.getByText('Logged “Follow Up”.')).toBeVisible({ timeout: 20_000 });
    const followUp = (await cloud.get<Array<{ id: string; label: string }>>('/v1/dispositions')).find((d) => d.label === 'Follow Up')!;
    const called = await eventually(async () => {
      const t = await cloud.get<CloudTask>(`/v1/tasks/${firstCall}`);
      return t.status === 'completed' ? t : undefined;
    }, 'the call task completed in the cloud', 30_000);
    expect(called).toMatchObject({ callOutcome: 'disposition', dispositionId: followUp.id });
    expect(called.callId).not.toBeNull();

    // Back on the Tasks tab the queue has moved on to the text: edit it, send it (Ctrl+Enter).
    await press(page, tab);
    await expect(work.getByRole('heading')).toContainText('Text Blake Rivera', { timeout: 20_000 });
    const message = work.getByLabel(/^Message to/);
    await expect(message).toHaveValue('Hi Blake, your results are in.');
    await message.fill('Hi Blake, your results are in. Call us to go over them.');
    await checkScreen(app, 'tasks-text', problems);
    await press(page, message, 'Control+Enter');
    const sent = await eventually(async () => (await sandbox.messages(texted)).at(0), 'the text at the sandbox', 30_000);
    expect(sent).toMatchObject({ body: 'Hi Blake, your results are in. Call us to go over them.' });
    await eventually(async () => (await cloud.get<CloudTask>(`/v1/tasks/${text}`)).status === 'completed', 'the text task completed');

    // The last call: S asks why, the reason is typed, Enter skips it. The queue is then empty.
    await expect(work.getByRole('heading')).toContainText('Call Casey Moreno', { timeout: 20_000 });
    await press(page, work, 's');
    const why = page.getByLabel('Why skip it?');
    await expect(why).toBeFocused();
    await page.keyboard.type('Casey asked us to email instead');
    await page.keyboard.press('Enter');
    await expect(work).toBeHidden({ timeout: 20_000 });
    await expect(page.getByText('No tasks here.')).toBeVisible();
    await expect(tab).toHaveText('Tasks');
    const skipped = await eventually(async () => {
      const t = await cloud.get<CloudTask>(`/v1/tasks/${lastCall}`);
      return t.status === 'skipped' ? t : undefined;
    }, 'the skipped task in the cloud');
    expect(skipped.callId).toBeNull();
    await app.screenshot('tasks-empty');

    expect(problems).toEqual([]);
    expect(app.externalRequests).toEqual([]);
  });
});
