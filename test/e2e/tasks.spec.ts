import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_USERS } from '../../src/cloud/seed';
import { ARTIFACTS_DIR, expect, test } from './fixtures';
import { checkScreen, cloudAsAdmin, eventually, press, sandboxApi } from './support';

/**
 * Issue [manual-actions] in the browser host (embedded cloud + Twilio sandbox): three tasks handed
 * to Jordan through the API the workflows use (a call, a text, a call) → Let's Start → the first
 * call dials a sandbox callee, its wrap-up (key 3, Follow Up) completes the task → the text is
 * edited and sent (seen at the sandbox) → the last call is skipped with a reason → the queue is
 * empty. Keyboard only; axe on the Tasks tab at 400 and 1920 px, light and dark; screenshots in
 * test/e2e/artifacts/tasks-*.png.
 *
 * Then the workflow path: a published workflow fired by the Follow Up disposition hands the
 * contact's owner a call, a text and a call, one after another; the first call is answered, the
 * text is sent as the workflow wrote it, the last call rings out and its wrap-up's N logs No
 * answer; the run completes, History shows the outcome, and the execution log is kept as
 * test/e2e/artifacts/tasks-workflow-log.json.
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
    // The skip reaches the cloud with the desk's next push: under a loaded machine's admission control
    // (a refused push comes back after its Retry-After) that can take a while. Once the status bar says
    // Saved, nothing waits: the cloud has it.
    await expect(page.getByTestId('sync-status')).toHaveText('Saved', { timeout: 60_000 });
    const skipped = await eventually(async () => {
      const t = await cloud.get<CloudTask>(`/v1/tasks/${lastCall}`);
      return t.status === 'skipped' ? t : undefined;
    }, 'the skipped task in the cloud');
    expect(skipped.callId).toBeNull();
    await app.screenshot('tasks-empty');

    expect(problems).toEqual([]);
    expect(app.externalRequests).toEqual([]);
  });

  test('a published workflow fired by a disposition hands over a call, a text and a call; the unanswered call ends as No answer from the wrap-up; the run completes and History shows the outcome', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded sandbox of the browser host');
    test.setTimeout(240_000);
    const { page } = app;
    const sandbox = sandboxApi(app);
    const cloud = await cloudAsAdmin(app);
    const caller = '+14155550621';
    const mainLine = '+13105550100';
    await cloud.send('POST', '/v1/contacts', { name: 'Dana Whitfield', phone: caller, assignedUserId: DEMO_USERS.receptionist.id });
    const followUp = (await cloud.get<Array<{ id: string; label: string }>>('/v1/dispositions')).find((d) => d.label === 'Follow Up')!;
    // Manual steps assign to the contact's owner (Jordan); each waits for its task before the next.
    const workflow = await cloud.send<{ id: string }>('POST', '/v1/workflows', {
      name: 'Follow-up after a call',
      draft: {
        trigger: { type: 'call_details', filters: { dispositionIds: [followUp.id] } },
        steps: [
          { id: 'check-in', name: 'Check-in call', type: 'manual_call', config: {} },
          { id: 'aftercare', name: 'Aftercare text', type: 'manual_sms', config: { message: 'Hi Dana, here is your aftercare sheet.' } },
          { id: 'rebook', name: 'Rebook call', type: 'manual_call', config: {} },
        ],
      },
    });
    await cloud.send('POST', `/v1/workflows/${workflow.id}/publish`);

    // Dana calls; Jordan answers and logs Follow Up: the disposition fires the workflow.
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });
    const inbound = await sandbox.placeInboundCall(caller, mainLine);
    await expect(page.getByTestId('incoming-panel')).toBeVisible({ timeout: 30_000 });
    await page.keyboard.press('a');
    await expect(page.getByTestId('call-timer')).toHaveText(/^0:0\d$/, { timeout: 20_000 });
    await sandbox.hangUp(inbound.callSid);
    const wrapUp = page.getByTestId('wrap-up');
    await expect(wrapUp).toBeVisible({ timeout: 30_000 });
    await press(page, wrapUp, '3');
    await expect(page.getByText('Logged “Follow Up”.')).toBeVisible({ timeout: 20_000 });

    // The workflow's first task reaches the Tasks tab (after the undo window, the run, the pull).
    const tab = page.getByRole('tab', { name: /^Tasks/ });
    await expect(tab).toHaveText(/^Tasks1 open$/, { timeout: 90_000 });
    await press(page, tab);
    const work = page.getByRole('region', { name: /^Working:/ });
    const letsStart = page.getByRole('button', { name: 'Let’s Start' });
    // Each step's task comes when the previous one is finished: the queue may have ended meanwhile
    // (nothing was open), and then Let's Start picks the new one up.
    const workOn = (title: string) =>
      eventually(async () => {
        if (await work.getByRole('heading').filter({ hasText: title }).isVisible()) return true;
        if ((await letsStart.isEnabled()) && (await page.getByRole('row').filter({ hasText: title }).isVisible())) await press(page, letsStart);
        return false;
      }, `working on “${title}”`, 90_000);
    await workOn('Check-in call');
    await expect(work.getByRole('heading')).toContainText('Call Dana Whitfield');

    // The check-in call is answered; key 1 logs the first disposition, Booked (not Follow Up: that would fire the workflow again).
    await sandbox.setBehaviour(caller, { answerAfterMs: 300 });
    await press(page, work, 'd');
    const dial = page.getByLabel('Number or name to call');
    await expect(dial).toHaveValue('(415) 555-0621');
    await press(page, dial);
    await eventually(async () => (await sandbox.calls()).find((c) => c.to === caller && c.parentCallSid !== null && c.status === 'in-progress'), 'Dana answers');
    await press(page, page.getByTestId('in-call-panel'), 'e');
    await expect(wrapUp).toBeVisible({ timeout: 30_000 });
    await press(page, wrapUp, '1');
    // Its own confirmation, after the undo window (the Follow Up one went when this wrap-up began).
    await expect(page.getByText('Logged “Booked”.')).toBeVisible({ timeout: 20_000 });

    // The run moves on to the text: sent as the workflow wrote it.
    await press(page, tab);
    await workOn('Aftercare text');
    await expect(work.getByRole('heading')).toContainText('Text Dana Whitfield');
    await press(page, work, 'c');
    await eventually(async () => (await sandbox.messages(caller)).find((m) => m.body === 'Hi Dana, here is your aftercare sheet.'), 'the aftercare text at the sandbox', 30_000);

    // The rebook call rings out unanswered: Jordan hangs up and the wrap-up's N logs No answer for the task.
    await workOn('Rebook call');
    await sandbox.setBehaviour(caller, { answer: 'never' });
    await press(page, work, 'd');
    await expect(dial).toHaveValue('(415) 555-0621');
    await press(page, dial);
    await eventually(async () => (await sandbox.calls()).filter((c) => c.to === caller && c.parentCallSid !== null).find((c) => c.status === 'ringing'), 'the rebook call rings at Dana’s');
    await press(page, page.getByTestId('in-call-panel'), 'e');
    await expect(wrapUp).toBeVisible({ timeout: 30_000 });
    await press(page, wrapUp, 'n');

    // The run has advanced through all three tasks and completed; the outcomes are in History.
    const runs = await eventually(async () => {
      const list = await cloud.get<Array<{ status: string }>>(`/v1/workflows/${workflow.id}/runs`);
      return list.length === 1 && list[0]!.status === 'completed' ? list : undefined;
    }, 'the run completed', 60_000);
    expect(runs).toHaveLength(1);
    const tasks = await cloud.get<CloudTask[]>(`/v1/tasks?scope=all&status=finished&workflowId=${workflow.id}`);
    expect(tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'completed']);
    expect(tasks.filter((t) => t.callOutcome === 'no_answer')).toHaveLength(1);
    // A task's life in the execution log: each manual step waited for its task and completed with it (kept as an artifact).
    const log = await cloud.get<Array<{ name: string; status: string; output: unknown; reason: string | null; startedAt: string | null; finishedAt: string | null }>>(`/v1/workflow-logs?workflowId=${workflow.id}`);
    expect(log.map((e) => [e.name, e.status]).reverse()).toEqual([
      ['Check-in call', 'completed'],
      ['Aftercare text', 'completed'],
      ['Rebook call', 'completed'],
    ]);
    await writeFile(join(ARTIFACTS_DIR, 'tasks-workflow-log.json'), JSON.stringify(log, null, 2));
    await press(page, page.getByRole('tab', { name: 'History' }));
    await expect(page.getByText('No answer').first()).toBeVisible({ timeout: 30_000 });
    await app.screenshot('tasks-workflow-history');
    expect(app.externalRequests).toEqual([]);
  });
});
