import { DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { expect, test } from './fixtures';
import { cloudAsAdmin, eventually, press, sandboxApi } from './support';

/**
 * Issue [ai-actions], the call flow end to end: the browser host (real Voice SDK) against the
 * embedded cloud (scripted brain) and the Twilio sandbox's ConversationRelay. A scripted caller
 * rings the main line after hours, the AI agent answers, books a facial, and on "a person please"
 * transfers to the front desk: Jordan's softphone rings with the agent's summary in the ringing
 * panel, Jordan answers, and after the call History's details show the agent's record and the
 * contact's email was set from the conversation.
 */

const CALLER = '+15125550190'; // not a demo contact: the agent creates one

test.describe('AI agent on a call', () => {
  test.skip(({ browserName }) => browserName !== 'chromium', 'Chromium only');
  test.describe.configure({ timeout: 180_000 });

  test('after hours the agent answers, books, transfers with its summary; the receptionist answers; History shows the agent record', async ({ app }) => {
    test.skip(app.target !== 'browser', 'drives the embedded sandbox of the browser host');
    const { page } = app;
    const sandbox = sandboxApi(app);
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(page.getByTestId('phone-status')).toHaveText('Ready for calls', { timeout: 60_000 });

    // The agent on the main line, closed every day (always after hours, whatever day the test runs).
    const cloud = await cloudAsAdmin(app);
    const agent = await cloud.send<{ id: string }>('POST', '/v1/agents', {
      name: 'Night desk', lineIds: [DEMO_NUMBERS.beverlyHillsMain.id], answerWhen: 'after_hours',
      businessHours: { timeZone: 'America/Los_Angeles', days: [], opens: '09:00', closes: '18:00' },
      greeting: 'Glow Med Spa after hours. How can I help?', goals: 'Book treatments; put callers who ask for a person through.',
    });
    const card = (name: string, config: unknown) => cloud.send('POST', `/v1/agents/${agent.id}/actions`, { name, config });
    await card('Book a treatment', { type: 'book_appointment', providerId: DEMO_USERS.receptionist2.id, durations: [60], leadTimeMinutes: 60, calendar: 'Treatments' });
    await card('Front desk', { type: 'call_transfer', target: { kind: 'user', userId: DEMO_USERS.receptionist.id }, condition: 'caller asks for a person' });
    await card('Email', { type: 'update_contact_field', field: 'email', instruction: 'The caller’s email address' });
    await card('Name', { type: 'update_contact_field', field: 'name', instruction: 'The caller’s name' });

    const { callSid } = await sandbox.placeInboundCall(CALLER, DEMO_NUMBERS.beverlyHillsMain.number, {
      hangupAfterMs: 150_000,
      script: [
        { waitFor: 'reply', say: 'Hi, my name is Ana Ruiz and I would like to book a facial' },
        { waitFor: 'reply', say: 'Tuesday at ten works' },
        { waitFor: 'reply', say: 'My email is ana.ruiz@example.com' },
        { waitFor: 'reply', say: 'Can I talk to a person please?' },
      ],
    });

    // The transfer rings Jordan's softphone; the ringing panel carries the agent's summary.
    const incoming = page.getByTestId('incoming-panel');
    await expect(incoming).toBeVisible({ timeout: 90_000 });
    await expect(incoming).toContainText(/AI agent: Ana Ruiz — Can I talk to a person please\? Booked facial for Tuesday/);
    await expect(incoming.getByTestId('line-name')).toHaveText('Beverly Hills main line');
    await app.screenshot('agent-call-ringing');
    const heard = (await sandbox.relay(callSid)).transcript.filter((l) => l.role === 'agent').map((l) => l.text);
    expect(heard[0]).toBe('Glow Med Spa after hours. How can I help?');
    expect(heard.join(' | ')).toMatch(/You're booked for facial on Tuesday, \w+ \d+ at 10:00 AM/);
    expect(heard.at(-1)).toContain('Let me connect you with someone now.');

    // Jordan answers by keyboard; the caller hangs up after a moment of talk.
    await press(page, incoming.getByRole('button', { name: /Answer/ }));
    await expect(page.getByTestId('call-timer')).toHaveText(/^0:0\d$/, { timeout: 15_000 });
    await sandbox.hangUp(callSid);
    await expect(page.getByTestId('wrap-up')).toBeVisible({ timeout: 15_000 });
    await page.keyboard.press('3');
    await expect(page.getByText('Logged “Follow Up”.')).toBeVisible({ timeout: 15_000 });

    // History: the call's details show what the agent did and said.
    await press(page, page.getByRole('tab', { name: 'History' }));
    const row = page.getByTestId('history-list').getByRole('listitem').filter({ hasText: /Ana Ruiz|\(512\) 555-0190/ }).first();
    await expect(row).toContainText('Follow Up', { timeout: 20_000 });
    await press(page, row.getByRole('button', { name: /^Details of the call/ }));
    const record = page.getByTestId('call-details').getByTestId('agent-record');
    await expect(record).toContainText('Answered by the AI agent', { timeout: 20_000 });
    await expect(record).toContainText(/Ana Ruiz called/);
    await expect(record).toContainText(/Done:\s*Booked facial for Tuesday/);
    await expect(record).toContainText(/Done:\s*Transferred the caller to the front desk \(1 person rung\)/);
    await press(page, record.getByText(/^Transcript \(\d+ lines\)$/));
    await expect(record.getByRole('listitem').filter({ hasText: 'Caller: Tuesday at ten works' })).toBeVisible();
    await app.screenshot('agent-call-history');

    // After the call the contact's name and email came from the conversation.
    const contact = await eventually(async () => {
      const [found] = await cloud.get<Array<{ name: string; email: string | null }>>(`/v1/contacts?search=${encodeURIComponent(CALLER)}`);
      return found?.email ? found : undefined;
    }, 'the contact’s fields from the conversation', 20_000);
    expect(contact).toMatchObject({ name: 'Ana Ruiz', email: 'ana.ruiz@example.com' });

    expect(app.consoleErrors).toEqual([]);
    expect(app.externalRequests).toEqual([]);
  });
});
