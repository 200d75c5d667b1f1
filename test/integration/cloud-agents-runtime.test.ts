import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TWILIO_CREDENTIALS, webhookPaths } from '../../src/cloud/index';
import { DEMO_ACCOUNT_ID, DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { createTwilioRest } from '../../src/cloud/telephony/rest';
import { agentSchema } from '../../src/shared/cloud/agents';
import { pullResponseSchema } from '../../src/shared/cloud/sync';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { SignalingDevice } from '../support/signaling-device';

afterAll(stopTestPostgres);

/**
 * An AI agent answers a line after hours through ConversationRelay on the Twilio sandbox, with the
 * scripted brain: the caller books (a clash is refused), gets a text, asks the practice's system
 * through the custom webhook, gives details, asks for a person and is transferred — the
 * receptionist's softphone rings with the agent's summary — and after the call the transcript and
 * summary are on the call and the contact's fields are updated, each change audited.
 */
describe.each(backends)('AI agent at work on %s', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  let admin: string;
  let jordan: SignalingDevice;
  let hook: Server;
  const hookRequests: { method: string; body: string; auth: string | undefined }[] = [];
  let hookMode: 'ok' | 'fail' = 'ok';

  beforeAll(async () => {
    sandbox = await startSandbox({ ...SANDBOX_TWILIO_CREDENTIALS, callbackRetryBaseMs: 50, timeScale: 0.2, sayMsPerChar: 10 });
    t = await startTestCloud(backend, {
      twilio: { ...SANDBOX_TWILIO_CREDENTIALS, restBaseUrl: sandbox.restBaseUrl, restCaPem: sandbox.caPem, accessTokenTtlSeconds: 3600 },
      ai: { brain: 'scripted', timeoutMs: 20_000 },
    });
    // The Calls API for real (the harness records by default).
    const rest = createTwilioRest(t.cloud.config);
    t.rest.updateCall = (sid, update) => rest.updateCall(sid, update);
    for (const n of Object.values(DEMO_NUMBERS)) sandbox.control.addNumber({ phoneNumber: n.number, voiceUrl: t.cloud.publicUrl + webhookPaths.inbound, statusCallback: t.cloud.publicUrl + webhookPaths.status });
    admin = (await t.login('admin')).accessToken;
    const session = await t.login('receptionist');
    jordan = await SignalingDevice.connect(sandbox, DEMO_USERS.receptionist.id, (await t.api(session.accessToken, 'POST', '/v1/twilio/token')).body.token as string);
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hookRequests.push({ method: req.method ?? '', body, auth: req.headers.authorization });
        if (hookMode === 'fail') res.writeHead(500).end('{"error":"down"}');
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"order":{"status":"ready for pickup"}}');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    jordan?.close();
    await t?.stop();
    await sandbox?.stop();
    await new Promise((resolve) => hook?.close(resolve));
  });

  /** Creates an agent on the line, after deleting one a failed earlier try left on it (a line has one agent: 409 otherwise). */
  const createAgentOn = async (body: { lineIds: string[] } & Record<string, unknown>) => {
    const listed = await t.api(admin, 'GET', '/v1/agents');
    for (const left of agentSchema.array().parse(listed.body)) {
      if (left.lineIds.some((id) => body.lineIds.includes(id))) expect((await t.api(admin, 'DELETE', `/v1/agents/${left.id}`)).status).toBe(200);
    }
    const created = await t.api(admin, 'POST', '/v1/agents', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return agentSchema.parse(created.body);
  };

  const until = async <T>(read: () => Promise<T | null | undefined>, what: string, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('books, texts, calls the webhook, transfers with the summary, and updates the contact after the call', async () => {
    // Closed every day: always after hours.
    const agent = await createAgentOn({
      name: 'Night desk', lineIds: [DEMO_NUMBERS.beverlyHillsMain.id], answerWhen: 'after_hours',
      businessHours: { timeZone: 'America/Los_Angeles', days: [], opens: '09:00', closes: '18:00' },
      greeting: 'Thanks for calling Glow Med Spa, this is the after-hours assistant. How can I help?', goals: 'Book treatments and pass people on to the front desk.',
    });
    const add = async (name: string, config: unknown) => {
      const r = await t.api(admin, 'POST', `/v1/agents/${agent.id}/actions`, { name, config });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    };
    await add('Book a treatment', { type: 'book_appointment', providerId: DEMO_USERS.receptionist2.id, durations: [60], leadTimeMinutes: 60, calendar: 'Treatments' });
    await add('Directions', { type: 'send_sms', message: 'Hi {{contact.first_name}}, Glow Med Spa is at 9600 Wilshire Blvd.', condition: 'caller asks for directions' });
    await add('Order status', { type: 'custom_action', url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/orders`, method: 'POST', headers: [{ name: 'Authorization', value: 'Bearer shop-key' }], body: '{"phone":"{{caller.number}}","asked":"{{args.details}}"}', responseInstruction: 'Your order is {{response.order.status}}.', condition: 'caller asks about their order' });
    await add('Front desk', { type: 'call_transfer', target: { kind: 'user', userId: DEMO_USERS.receptionist.id }, condition: 'caller asks for a person' });
    await add('Email', { type: 'update_contact_field', field: 'email', instruction: 'The caller’s email address' });
    // skin_type is one of the practice's custom contact fields (a contact already has it).
    await t.cloud.db.query(`UPDATE contacts SET custom_fields = custom_fields || '{"skin_type":"dry"}'::jsonb WHERE id = (SELECT id FROM contacts WHERE account_id = $1 ORDER BY id LIMIT 1)`, [DEMO_ACCOUNT_ID]);
    await add('Skin type', { type: 'update_contact_field', field: 'custom_fields.skin_type', instruction: 'The caller’s skin type' });
    await add('Name', { type: 'update_contact_field', field: 'name', instruction: 'The caller’s name' });

    const socket = await t.socket((await t.login('receptionist')).accessToken);
    const CALLER = '+15125550142';
    const pop = socket.next('incoming-call', (m) => m.call.from === CALLER, 60_000);
    const sid = sandbox.control.placeInboundCall({ from: CALLER, to: DEMO_NUMBERS.beverlyHillsMain.number, hangupAfterMs: 120_000, script: [
      { waitFor: 'reply', say: 'Hi, my name is Ana Ruiz and I would like to book a facial' },
      { waitFor: 'reply', say: 'Tuesday at ten works' },
      { waitFor: 'reply', say: 'Can you text me the directions?' },
      { waitFor: 'reply', say: 'Is my order ready?' },
      { waitFor: 'reply', say: 'My email is ana.ruiz@example.com and my skin type is combination' },
      { waitFor: 'reply', say: 'Can I talk to a person please?' },
    ] });
    const invite = await jordan.nextInvite(60_000);
    expect((await pop).call.whisperMessage).toMatch(/^AI agent: Ana Ruiz — Can I talk to a person please\? Booked facial/);
    expect((await pop).call.whisperMessage).toMatch(/Booked facial/);
    jordan.send('reject', { callsid: invite.callsid });

    const call = await until(async () => (await t.cloud.db.query<{ id: string; contact_id: string; agent_summary: string | null; agent_transcript: { role: string; text: string }[]; agent_actions: { type: string; status: string; detail: string }[] }>(
      `SELECT id, contact_id, agent_summary, agent_transcript, agent_actions FROM calls WHERE twilio_call_sid = $1 AND agent_summary IS NOT NULL`, [sid]))[0], 'the after-call work');
    sandbox.control.partyHangsUp(sid);

    const relay = sandbox.control.relay(sid);
    const heard = relay.transcript.filter((l) => l.role === 'agent').map((l) => l.text).join(' | ');
    expect(heard).toMatch(/You're booked for facial on Tuesday, December \d+ at 10:00 AM/);
    expect(heard).toContain("I've just sent you a text.");
    expect(heard).toContain('Your order is ready for pickup.');
    expect(heard).toContain('Let me connect you with someone now.');
    expect(call.agent_actions.map((a) => [a.type, a.status])).toEqual([['book_appointment', 'done'], ['send_sms', 'done'], ['custom_action', 'done'], ['call_transfer', 'done']]);
    expect(call.agent_transcript.filter((l) => l.role === 'caller')).toHaveLength(6);
    expect(call.agent_summary).toMatch(/Ana Ruiz called/);

    // The booking, the text and the webhook really happened.
    const appointments = await t.cloud.db.query<{ title: string; provider_id: string; contact_id: string }>(`SELECT title, provider_id, contact_id FROM appointments WHERE contact_id = $1`, [call.contact_id]);
    expect(appointments).toEqual([{ title: 'facial', provider_id: DEMO_USERS.receptionist2.id, contact_id: call.contact_id }]);
    expect(sandbox.control.messaging.list({ to: CALLER }).map((m) => [m.from, m.body])).toEqual([[DEMO_NUMBERS.beverlyHillsMain.number, 'Hi Ana, Glow Med Spa is at 9600 Wilshire Blvd.']]);
    expect(hookRequests).toEqual([{ method: 'POST', body: `{"phone":"${CALLER}","asked":"Is my order ready?"}`, auth: 'Bearer shop-key' }]);

    // After the call: the contact's fields, each change audited.
    const contact = (await t.cloud.db.query<{ name: string; email: string; custom_fields: Record<string, string> }>(`SELECT name, email, custom_fields FROM contacts WHERE id = $1`, [call.contact_id]))[0]!;
    expect(contact).toEqual({ name: 'Ana Ruiz', email: 'ana.ruiz@example.com', custom_fields: { skin_type: 'combination' } });
    const audit = await t.cloud.db.query<{ details: { field: string; to: string; by: string } }>(`SELECT details FROM audit_log WHERE entity_id = $1 AND action = 'contact.update' ORDER BY id`, [call.contact_id]);
    expect(audit.map((a) => [a.details.field, a.details.to, a.details.by]).sort()).toEqual([['custom_fields.skin_type', 'combination', 'ai_agent'], ['email', 'ana.ruiz@example.com', 'ai_agent'], ['name', 'Ana Ruiz', 'ai_agent']]);
    // The receptionists' desktops get the agent's record with the call (History's call details).
    // A pull sends only committed changes up to the cursor it read first: a row stamped again meanwhile (the
    // hang-up's status) comes with the next pull, so pull from just before the row's current number until it comes.
    const pullWith = (table: 'calls' | 'contacts', id: string) => until(async () => {
      const [{ seq }] = (await t.cloud.db.query<{ seq: string }>(`SELECT seq FROM ${table} WHERE id = $1`, [id])) as [{ seq: string }];
      const body = (await t.api(admin, 'GET', `/v1/sync/pull?cursor=${Number(seq) - 1}&limit=50`)).body as { changes: Record<string, Array<{ id: string }>> };
      return body.changes[table]?.some((row) => row.id === id) ? body : undefined;
    }, `a pull with ${id}`);
    const pulledBody = await pullWith('calls', call.id);
    expect(pullResponseSchema.safeParse(pulledBody).error).toBeUndefined();
    // The desktops' own check of a page with the contact the agent created: a whole contact (DND and all).
    const contactPage = pullResponseSchema.parse(await pullWith('contacts', call.contact_id));
    expect(contactPage.changes.contacts.find((c) => c.id === call.contact_id)?.dnd.call).toEqual({ inbound: false, outbound: false });
    const pulled = pulledBody as unknown as { changes: { calls: Array<{ id: string; agent?: { summary: string; transcript: unknown[]; actions: Array<Record<string, unknown>> } }> } };
    const synced = pulled.changes.calls.find((c) => c.id === call.id)?.agent;
    expect(synced?.summary).toBe(call.agent_summary);
    expect(synced?.transcript).toHaveLength(call.agent_transcript.length);
    expect(synced?.actions.map((a) => Object.keys(a).sort())).toEqual(Array(4).fill(['at', 'detail', 'name', 'status', 'type']));
    socket.close();

    // A second caller wants the same slot: refused, and the webhook failing is told politely.
    hookMode = 'fail';
    const sid2 = sandbox.control.placeInboundCall({ from: '+15125550143', to: DEMO_NUMBERS.beverlyHillsMain.number, hangupAfterMs: 120_000, script: [
      { waitFor: 'reply', say: 'I want to book a facial on Tuesday at ten' },
      { waitFor: 'reply', say: 'Is my order ready?' },
      { waitFor: 'reply', hangup: true },
    ] });
    const second = await until(async () => (await t.cloud.db.query<{ agent_actions: { type: string; status: string }[] }>(`SELECT agent_actions FROM calls WHERE twilio_call_sid = $1 AND agent_summary IS NOT NULL`, [sid2]))[0], 'the second call’s after-call work');
    expect(second.agent_actions.map((a) => [a.type, a.status])).toEqual([['book_appointment', 'refused'], ['custom_action', 'refused']]);
    const heard2 = sandbox.control.relay(sid2).transcript.filter((l) => l.role === 'agent').map((l) => l.text).join(' | ');
    expect(heard2).toMatch(/is already taken\. Could another time work\?/);
    expect(heard2).toContain("I'm sorry, I couldn't check that right now.");
  });

  it('transfers to a number the call policy allows, refuses politely once the policy no longer allows it, and starts a workflow with the call’s data', async () => {
    const NURSE = '+13105550199';
    const agent = await createAgentOn({
      name: 'Nurse line', lineIds: [DEMO_NUMBERS.santaMonicaMain.id], answerWhen: 'always',
      businessHours: { timeZone: 'America/Los_Angeles', days: [], opens: '09:00', closes: '18:00' }, greeting: 'Glow Med Spa, how can I help?',
    });
    const card = await t.api(admin, 'POST', `/v1/agents/${agent.id}/actions`, { name: 'Nurse', config: { type: 'call_transfer', target: { kind: 'number', number: NURSE }, condition: 'caller asks for a person' } });
    expect(card.status, JSON.stringify(card.body)).toBe(201);
    const askForAPerson = (from: string) => sandbox.control.placeInboundCall({ from, to: DEMO_NUMBERS.santaMonicaMain.number, hangupAfterMs: 60_000, script: [{ waitFor: 'reply', say: 'Can I talk to a person please?' }] });
    const actionsOf = (sid: string) => until(async () => (await t.cloud.db.query<{ agent_actions: { type: string; status: string; detail: string }[] }>(`SELECT agent_actions FROM calls WHERE twilio_call_sid = $1 AND agent_summary IS NOT NULL`, [sid]))[0]?.agent_actions, 'the after-call work');

    const sid = askForAPerson('+15125550144');
    expect((await actionsOf(sid)).map((a) => [a.type, a.status, a.detail])).toEqual([['call_transfer', 'done', `Transferred the caller to ${NURSE}.`]]);
    await until(async () => sandbox.control.childrenOf(sid).find((leg) => leg.to === NURSE), 'the dial to the nurse line');
    sandbox.control.partyHangsUp(sid);

    // The practice narrows its policy to Canada after the card was saved: the agent refuses at the call.
    const before = (await t.cloud.db.query<{ call_countries: unknown }>(`SELECT call_countries FROM accounts WHERE id = $1`, [DEMO_ACCOUNT_ID]))[0]!.call_countries;
    await t.cloud.db.query(`UPDATE accounts SET call_countries = '["CA"]'::jsonb WHERE id = $1`, [DEMO_ACCOUNT_ID]);
    try {
      const sid2 = askForAPerson('+15125550145');
      const apology = "I'm sorry, I can't put you through to that number. Can I help with anything else?";
      // The relay session opens once the sandbox has fetched the agent's TwiML.
      const heardApology = () => sandbox.control.relaySessions().some((r) => r.callSid === sid2 && r.transcript.some((l) => l.role === 'agent' && l.text === apology));
      await until(async () => heardApology(), 'the agent’s apology');
      sandbox.control.partyHangsUp(sid2);
      expect((await actionsOf(sid2)).map((a) => [a.type, a.status])).toEqual([['call_transfer', 'refused']]);
      expect(sandbox.control.childrenOf(sid2).filter((leg) => leg.to === NURSE)).toEqual([]);
    } finally {
      await t.cloud.db.query(`UPDATE accounts SET call_countries = $2::jsonb WHERE id = $1`, [DEMO_ACCOUNT_ID, before === null ? null : JSON.stringify(before)]);
    }

    // Trigger Workflow during a live call: the caller is enrolled with the call's data as custom values.
    const workflow = await t.api(admin, 'POST', '/v1/workflows', { name: 'Call-back request' });
    expect(workflow.status, JSON.stringify(workflow.body)).toBe(201);
    const workflowId = (workflow.body as { id: string }).id;
    await t.cloud.db.query(`UPDATE workflows SET status = 'published' WHERE id = $1`, [workflowId]);
    const wfCard = await t.api(admin, 'POST', `/v1/agents/${agent.id}/actions`, { name: 'Call back', config: { type: 'trigger_workflow', workflowId, condition: 'caller wants a call back tomorrow' } });
    expect(wfCard.status, JSON.stringify(wfCard.body)).toBe(201);
    const CALLER3 = '+15125550146';
    const sid3 = sandbox.control.placeInboundCall({ from: CALLER3, to: DEMO_NUMBERS.santaMonicaMain.number, hangupAfterMs: 60_000, script: [{ waitFor: 'reply', say: 'Please call me back tomorrow about my peel' }] });
    const confirmed = () => sandbox.control.relaySessions().some((r) => r.callSid === sid3 && r.transcript.some((l) => l.role === 'agent' && l.text === "Done — you'll hear from us shortly."));
    await until(async () => confirmed(), 'the workflow confirmation');
    sandbox.control.partyHangsUp(sid3);
    expect((await actionsOf(sid3)).map((a) => [a.type, a.status])).toEqual([['trigger_workflow', 'done']]);
    const enrolled = await t.cloud.db.query<{ payload: { workflowId: string; customValues: Record<string, string> } }>(
      `SELECT payload FROM domain_events WHERE type = 'workflow.manual_enrolment' AND payload->>'workflowId' = $1`, [workflowId]);
    expect(enrolled.map((e) => e.payload.customValues)).toEqual([expect.objectContaining({ callerNumber: CALLER3, agentName: 'Nurse line', request: 'Please call me back tomorrow about my peel' })]);
  });
});
