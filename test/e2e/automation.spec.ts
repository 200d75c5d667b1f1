import { DEMO_USERS } from '../../src/cloud/seed';
import { expect, test } from './fixtures';
import { cloudAsAdmin, eventually, press, sandboxApi } from './support';

/**
 * The seed's spam example, end to end: an admin's workflow (Call Details, Custom Disposition "Spam
 * call" → Enable DND, inbound, all channels) in the embedded cloud; the receptionist answers an
 * unknown caller and logs "Spam call" with its key; the workflow turns on inbound DND for the
 * caller; the caller's next call rings no one.
 */
const SPAMMER = '+12135550199'; // not a demo contact
const MAIN_LINE = '+13105550100';

test.describe('automation', () => {
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');

  test('a receptionist logs “Spam call”; the workflow turns on inbound DND; the next call from that number does not ring', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded cloud and sandbox of the browser host');
    test.setTimeout(180_000);
    const { page } = app;
    const sandbox = sandboxApi(app);
    const cloud = await cloudAsAdmin(app);
    const spam = (await cloud.get<Array<{ id: string; label: string }>>('/v1/dispositions')).find((d) => d.label === 'Spam call')!;
    const workflow = await cloud.send<{ id: string }>('POST', '/v1/workflows', {
      name: 'Block spam callers',
      draft: {
        trigger: { type: 'call_details', filters: { dispositionIds: [spam.id] } },
        steps: [{ id: 'dnd', name: 'Turn on inbound DND', type: 'dnd', config: { action: 'enable', direction: 'inbound', channels: [] } }],
      },
    });
    await cloud.send('POST', `/v1/workflows/${workflow.id}/publish`);

    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 30_000 });
    const first = await sandbox.placeInboundCall(SPAMMER, MAIN_LINE);
    await expect(page.getByTestId('incoming-panel'))
      .toBeVisible({ timeout: 30_000 })
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\nthe sandbox's view of the call: ${JSON.stringify(await sandbox.report(first.callSid))}`);
      });
    await page.keyboard.press('a');
    await expect(page.getByTestId('call-timer')).toHaveText(/^0:0\d$/, { timeout: 15_000 });
    await sandbox.hangUp(first.callSid);
    await expect(page.getByTestId('wrap-up')).toBeVisible({ timeout: 30_000 }); // the hang-up travels sandbox → SDK; slow on a loaded machine
    await page.keyboard.press('6');
    await expect(page.getByText('Logged “Spam call”.')).toBeVisible({ timeout: 10_000 });

    // After the undo window the disposition syncs; the workflow runs and turns on inbound DND.
    const contact = await eventually(async () => {
      const found = await cloud.get<Array<{ phone: string | null; dnd: { call: { inbound: boolean } } }>>(`/v1/contacts?search=${encodeURIComponent(SPAMMER)}`);
      return found.find((c) => c.phone === SPAMMER && c.dnd.call.inbound);
    }, 'inbound DND on the caller', 60_000);
    expect(contact.dnd.call.inbound).toBe(true);
    const runs = await cloud.get<Array<{ status: string }>>(`/v1/workflows/${workflow.id}/runs`);
    expect(runs.map((r) => r.status)).toEqual(['completed']);

    const second = await sandbox.placeInboundCall(SPAMMER, MAIN_LINE);
    const report = await eventually(async () => {
      const r = await sandbox.report(second.callSid);
      return r.status === 'in-progress' || r.status === 'ringing' || r.status === 'queued' ? null : r;
    }, 'the second call to be refused');
    expect(report.status).toBe('busy'); // the cloud answers <Reject reason="busy">: declined without ringing anyone
    expect(report.children ?? []).toEqual([]);
    await page.waitForTimeout(1500);
    await expect(page.getByTestId('incoming-panel')).toBeHidden();
    await app.screenshot('automation-spam-blocked');
  });

  test('a workflow’s Call rings the assigned receptionist’s softphone, says whom it is about; answered and a key pressed, the contact is bridged; History marks it Workflow', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded cloud and sandbox of the browser host');
    test.setTimeout(180_000);
    const { page } = app;
    const sandbox = sandboxApi(app);
    const cloud = await cloudAsAdmin(app);
    const lead = '+14155550733'; // not a demo contact
    await sandbox.setBehaviour(lead, { answerAfterMs: 200, helloMs: 200, hangupAfterMs: 4000 });
    const contact = await cloud.send<{ id: string }>('POST', '/v1/contacts', { name: 'Maya Lead', phone: lead, assignedUserId: DEMO_USERS.receptionist.id });
    const workflow = await cloud.send<{ id: string }>('POST', '/v1/workflows', {
      name: 'Call new leads',
      draft: {
        trigger: { type: 'manual', filters: {} },
        // Defaults: ring the assigned user's softphone; connect after a keypress; voicemail detection on.
        steps: [{ id: 'call', name: 'Call the lead', type: 'call', config: { timeoutSeconds: 30, whisper: 'New lead {{contact.name}}. Press any key to connect.' } }],
      },
    });
    await cloud.send('POST', `/v1/workflows/${workflow.id}/publish`);
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 30_000 });
    await cloud.send('POST', `/v1/workflows/${workflow.id}/enrol`, { contactId: contact.id });

    // The ringing panel says what it is — not just the practice's own number, which is the caller ID.
    const incoming = page.getByTestId('incoming-panel');
    await expect(incoming).toBeVisible({ timeout: 30_000 });
    await expect(incoming.getByText('Workflow call', { exact: true })).toBeVisible();
    await expect(incoming.getByRole('heading', { name: 'Maya Lead' })).toBeVisible();
    await expect(incoming.getByTestId('workflow-whisper')).toHaveText('New lead Maya Lead. Press any key to connect.');
    await app.screenshot('automation-workflow-call-ringing');
    await press(page, incoming.getByRole('button', { name: /^Answer/ }), 'a');
    const inCall = page.getByTestId('in-call-panel');
    await expect(page.getByTestId('call-timer')).toHaveText(/^0:\d\d$/, { timeout: 20_000 });
    await expect(inCall.getByRole('heading', { name: 'Workflow call: Maya Lead' })).toBeVisible();
    // The whisper plays; once it is heard, the receptionist opens the keypad (K) and presses 1: the
    // cloud dials the lead. A key pressed before the Gather starts is dropped, as on Twilio, and
    // under load the sandbox fetches the whisper's TwiML seconds after the answer.
    await eventually(
      async () => (await sandbox.calls()).find((c) => c.partyKind === 'device' && (c.heard?.say ?? []).some((s) => s.startsWith('New lead Maya Lead'))),
      'Jordan to hear the whisper',
      30_000,
    );
    await press(page, inCall, 'k');
    await press(page, inCall, '1');
    const bridged = await eventually(
      async () => (await sandbox.calls()).find((c) => c.to === lead && c.parentCallSid !== null && (c.status === 'in-progress' || c.status === 'completed')),
      'the lead’s leg to be answered and bridged',
      30_000,
    );
    expect(bridged.parentCallSid).toBeTruthy();

    // The lead hangs up after a few seconds; the run records the connected call.
    const run = await eventually(async () => {
      const runs = await cloud.get<Array<{ status: string }>>(`/v1/workflows/${workflow.id}/runs`);
      return runs[0]?.status === 'completed' ? runs[0] : undefined;
    }, 'the run completed', 60_000);
    expect(run.status).toBe('completed');
    const log = await cloud.get<Array<{ name: string; status: string; reason: string | null; output: { contactLeg?: string } | null }>>(`/v1/workflow-logs?workflowId=${workflow.id}`);
    expect(log.map((e) => [e.name, e.status, e.output?.contactLeg])).toEqual([['Call the lead', 'completed', 'human']]);
    expect(log[0]!.reason).toMatch(/^Connected Jordan Lee’s softphone/);

    // The call may ask for a wrap-up like any other; skip it, then History shows the call marked Workflow.
    const wrapUp = page.getByTestId('wrap-up');
    if (await wrapUp.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) await press(page, wrapUp.getByRole('button', { name: /^Skip/ }));
    await press(page, page.getByRole('tab', { name: 'History' }));
    await expect(page.getByText('Workflow', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
    await app.screenshot('automation-workflow-call-history');
  });
});
