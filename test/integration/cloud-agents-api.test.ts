import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundHttp, SANDBOX_TWILIO_CREDENTIALS, webhookPaths, type ResolveHost } from '../../src/cloud/index';
import { DEMO_ACCOUNT_ID, DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { agentOptionsSchema, agentSchema, type Agent } from '../../src/shared/cloud/agents';
import { problemSchema } from '../../src/shared/cloud/problem';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

const HOURS = { timeZone: 'America/Los_Angeles', days: [1, 2, 3, 4, 5], opens: '09:00', closes: '18:00' };
const sms = (n: number) => ({ name: `Text ${n}`, config: { type: 'send_sms', message: 'Thanks for calling {{contact.first_name}}!' } });
const field = (n: number) => ({ name: `Field ${n}`, config: { type: 'update_contact_field', field: `custom_fields.f${n}`, instruction: 'What they said' } });

describe.each(backends)('AI agents API on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  const expectProblem = (res: { status: number; body: unknown }, status: number, code: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(problemSchema.parse(res.body).code).toBe(code);
  };

  beforeAll(async () => {
    t = await startTestCloud(backend);
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
    // The practice's custom contact fields are the keys its contacts carry: f0…f29 on one contact.
    const keys = Object.fromEntries(Array.from({ length: 30 }, (_, n) => [`f${n}`, 'x']));
    await t.cloud.db.query(`UPDATE contacts SET custom_fields = $1::jsonb WHERE id = (SELECT id FROM contacts WHERE account_id = $2 ORDER BY id LIMIT 1)`, [JSON.stringify(keys), DEMO_ACCOUNT_ID]);
  });
  afterAll(async () => t?.stop());

  it('admins create and edit agents; receptionists may not; lines are the practice’s and answered by one agent', async () => {
    expectProblem(await t.api(jordan, 'GET', '/v1/agents'), 403, 'FORBIDDEN');
    // With no AI service configured (AI_BRAIN none), Write with AI says so instead of writing canned text.
    expectProblem(await t.api(admin, 'POST', '/v1/ai/write', { channel: 'sms', prompt: 'A reminder' }), 409, 'AI_NOT_CONFIGURED');
    expect((await t.api(admin, 'GET', '/v1/ai/write')).body).toEqual({ available: false, reason: expect.stringMatching(/no AI service is configured/) });
    const created = await t.api(admin, 'POST', '/v1/agents', { name: 'Night desk', lineIds: [DEMO_NUMBERS.beverlyHillsMain.id], answerWhen: 'after_hours', businessHours: HOURS, greeting: 'Thanks for calling Glow Med Spa. How can I help?', goals: 'Book treatments; pass urgent questions to a person.' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const agent = agentSchema.parse(created.body);
    expect(agent).toMatchObject({ name: 'Night desk', answerWhen: 'after_hours', actions: [], brain: 'none', enabled: true });

    expectProblem(await t.api(admin, 'POST', '/v1/agents', { name: 'night DESK', answerWhen: 'always', businessHours: HOURS, greeting: 'Hi' }), 409, 'CONFLICT');
    expectProblem(await t.api(admin, 'POST', '/v1/agents', { name: 'Other', lineIds: [DEMO_NUMBERS.beverlyHillsMain.id], answerWhen: 'always', businessHours: HOURS, greeting: 'Hi' }), 409, 'CONFLICT');
    expectProblem(await t.api(admin, 'POST', '/v1/agents', { name: 'Other', lineIds: ['num_elsewhere'], answerWhen: 'always', businessHours: HOURS, greeting: 'Hi' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(admin, 'POST', '/v1/agents', { name: 'Other', answerWhen: 'always', businessHours: { ...HOURS, timeZone: 'Mars/Olympus' }, greeting: 'Hi' }), 400, 'VALIDATION_FAILED');

    const edited = await t.api(admin, 'PATCH', `/v1/agents/${agent.id}`, { greeting: 'Hello from Glow!', answerWhen: 'always' });
    expect(edited.body).toMatchObject({ greeting: 'Hello from Glow!', answerWhen: 'always' });
    const audit = await t.api(admin, 'GET', '/v1/audit?limit=5');
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['agent.create', 'agent.update']));
  });

  it('action cards land under their tab; the limits answer 409 with a clear message; concurrent saves cannot pass them', async () => {
    const agent = agentSchema.parse((await t.api(admin, 'POST', '/v1/agents', { name: 'Limits', answerWhen: 'always', businessHours: HOURS, greeting: 'Hi' })).body);
    const add = (body: unknown) => t.api(admin, 'POST', `/v1/agents/${agent.id}/actions`, body);

    const booking = await add({ name: 'Book a facial', config: { type: 'book_appointment', providerId: DEMO_USERS.admin.id, durations: [30, 60], leadTimeMinutes: 120 } });
    expect(booking.status, JSON.stringify(booking.body)).toBe(201);
    expect((booking.body as Agent).actions).toEqual([expect.objectContaining({ phase: 'during', name: 'Book a facial' })]);
    const second = await add({ name: 'Another booking', config: { type: 'book_appointment', providerId: DEMO_USERS.admin.id, durations: [30] } });
    expectProblem(second, 409, 'AGENT_ACTION_LIMIT_REACHED');
    expect(problemSchema.parse(second.body).detail).toMatch(/only 1 Book Appointment/);

    // 14 more in parallel to reach 15, and 3 racing for the 16th slot: exactly 15 stand.
    const results = await Promise.all(Array.from({ length: 17 }, (_, n) => add(sms(n))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(14);
    for (const r of results.filter((r) => r.status !== 201)) expectProblem(r, 409, 'AGENT_ACTION_LIMIT_REACHED');
    const full = agentSchema.parse((await t.api(admin, 'GET', `/v1/agents/${agent.id}`)).body);
    expect(full.actions.filter((a) => a.phase === 'during')).toHaveLength(15);

    // Editing a card of a full tab is fine; changing an SMS into a second booking is not.
    const anSms = full.actions.find((a) => a.config.type === 'send_sms')!;
    const renamed = await t.api(admin, 'PATCH', `/v1/agents/${agent.id}/actions/${anSms.id}`, { name: 'Directions text', config: { type: 'send_sms', message: 'We are at 123 Rodeo Dr.' } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expectProblem(await t.api(admin, 'PATCH', `/v1/agents/${agent.id}/actions/${anSms.id}`, { config: { type: 'book_appointment', providerId: DEMO_USERS.admin.id, durations: [30] } }), 409, 'AGENT_ACTION_LIMIT_REACHED');

    // Field updates are counted apart: 25, then 409.
    for (let n = 0; n < 25; n++) expect((await add(field(n))).status).toBe(201);
    const over = await add(field(25));
    expectProblem(over, 409, 'AGENT_ACTION_LIMIT_REACHED');
    expect(problemSchema.parse(over.body).detail).toMatch(/at most 25 contact-field updates/);

    // Deleting a card frees its slot.
    const afterDelete = await t.api(admin, 'DELETE', `/v1/agents/${agent.id}/actions/${anSms.id}`);
    expect(afterDelete.status).toBe(200);
    expect((await add(sms(99))).status).toBe(201);
  });

  it('offers the brain and the practice’s contact fields before any agent; a custom field the practice lacks is refused in words', async () => {
    expectProblem(await t.api(jordan, 'GET', '/v1/agents/options'), 403, 'FORBIDDEN');
    const options = agentOptionsSchema.parse((await t.api(admin, 'GET', '/v1/agents/options')).body);
    expect(options.brain).toBe('none');
    expect(options.contactFields.slice(0, 2)).toEqual([{ field: 'name', label: 'Name' }, { field: 'email', label: 'Email' }]);
    expect(options.contactFields).toContainEqual({ field: 'custom_fields.f12', label: 'f12' });
    const agent = agentSchema.parse((await t.api(admin, 'POST', '/v1/agents', { name: 'Fields', answerWhen: 'always', businessHours: HOURS, greeting: 'Hi' })).body);
    const refused = await t.api(admin, 'POST', `/v1/agents/${agent.id}/actions`, { name: 'Skin', config: { type: 'update_contact_field', field: 'custom_fields.skin_typ', instruction: 'Their skin type' } });
    expectProblem(refused, 400, 'VALIDATION_FAILED');
    expect(problemSchema.parse(refused.body).detail).toMatch(/^Your practice has no custom contact field “skin_typ”\. Pick name, email, or one of its custom fields \(f0, f1, f10/);
    expect((await t.api(admin, 'POST', `/v1/agents/${agent.id}/actions`, field(3))).status).toBe(201);
  });

  it('refuses cards naming another practice’s or unknown ids, and bad webhooks', async () => {
    const agent = agentSchema.parse((await t.api(admin, 'POST', '/v1/agents', { name: 'Ids', answerWhen: 'always', businessHours: HOURS, greeting: 'Hi' })).body);
    const add = (config: unknown) => t.api(admin, 'POST', `/v1/agents/${agent.id}/actions`, { name: 'x', config });
    expectProblem(await add({ type: 'call_transfer', target: { kind: 'user', userId: 'usr_nope' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await add({ type: 'call_transfer', target: { kind: 'team', teamId: 'team_nope' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await add({ type: 'trigger_workflow', workflowId: 'wf_nope' }), 400, 'VALIDATION_FAILED');
    expectProblem(await add({ type: 'custom_action', url: 'http://example.com/hook', method: 'POST', responseInstruction: 'Say it' }), 400, 'VALIDATION_FAILED');
    expect((await add({ type: 'call_transfer', target: { kind: 'team', teamId: 'team_demo_front_desk' }, condition: 'caller asks for a person' })).status).toBe(201);
    // A number obeys the call policy like the dialer: +1 876 is Jamaica, not the US (toll fraud).
    const jamaica = await add({ type: 'call_transfer', target: { kind: 'number', number: '+18765550123' } });
    expectProblem(jamaica, 403, 'CALL_DESTINATION_NOT_ALLOWED');
    expect(JSON.stringify(jamaica.body)).toContain('Calls to Jamaica (JM) are not allowed for your practice.');
    expect((await add({ type: 'call_transfer', target: { kind: 'number', number: '+13105550199' }, condition: 'caller asks for the nurse line' })).status).toBe(201);
    expectProblem(await t.api(admin, 'PATCH', `/v1/agents/${agent.id}/actions/act_nope`, { name: 'y' }), 404, 'NOT_FOUND');
    expect((await t.api(admin, 'DELETE', `/v1/agents/${agent.id}`)).body).toEqual({ id: agent.id, deleted: true });
    expectProblem(await t.api(admin, 'GET', `/v1/agents/${agent.id}`), 404, 'NOT_FOUND');
  });

  it('with no brain configured, an agent’s line rings as usual and the admin screen is told', async () => {
    const r = await t.api(admin, 'POST', '/v1/agents', { name: 'Idle', lineIds: [DEMO_NUMBERS.santaMonicaMain.id], answerWhen: 'always', businessHours: HOURS, greeting: 'Hi' });
    expect(r.body.brain).toBe('none');
    const answer = await t.webhook(webhookPaths.inbound, { CallSid: `CA${'1'.repeat(32)}`, AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: '+15125550150', To: DEMO_NUMBERS.santaMonicaMain.number, CallStatus: 'ringing', Direction: 'inbound' });
    expect(answer.text).toContain('<Client');
    expect(answer.text).not.toContain('ConversationRelay');
  });
});

describe.each(backends)('Custom Action webhooks must lead to the public internet, on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  // Production's rule (loopback refused, as outside sandbox mode), with this test's DNS.
  const dns: ResolveHost = async (hostname) => {
    const table: Record<string, string> = { 'kubernetes.default.svc': '10.96.0.1', 'intranet.glowmedspa.example': '192.168.1.20', 'hooks.shop.example': '93.184.215.14' };
    if (!table[hostname]) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return [{ address: table[hostname], family: 4 }];
  };
  beforeAll(async () => {
    t = await startTestCloud(backend, {}, { outbound: new OutboundHttp({ allowLoopback: false, resolve: dns }) });
    admin = (await t.login('admin')).accessToken;
  });
  afterAll(async () => t?.stop());

  const PRIVATE = 'This address is on a private network; the webhook must be reachable on the public internet.';
  const card = (url: string) => ({ name: 'Order status', config: { type: 'custom_action', url, method: 'GET', responseInstruction: 'Result: {{response.secret}}', condition: 'always' } });

  it('a card aimed at the server’s own host, a private network or a metadata address is refused on save, saying why', async () => {
    const agent = agentSchema.parse((await t.api(admin, 'POST', '/v1/agents', { name: 'Probe', answerWhen: 'always', businessHours: HOURS, greeting: 'Hi' })).body);
    for (const url of [
      'https://0.0.0.0:43321/latest/meta-data',
      'https://[::ffff:127.0.0.1]:43321/admin',
      'https://[::]:43321/internal',
      'https://127.0.0.1/x',
      'https://10.0.0.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://kubernetes.default.svc/api',
      'https://intranet.glowmedspa.example/prices',
    ]) {
      const refused = await t.api(admin, 'POST', `/v1/agents/${agent.id}/actions`, card(url));
      expect(refused.status, url).toBe(400);
      expect(problemSchema.parse(refused.body)).toMatchObject({ code: 'VALIDATION_FAILED', detail: PRIVATE, errors: [{ path: 'config.url', message: PRIVATE }] });
    }
    expect(agentSchema.parse((await t.api(admin, 'GET', `/v1/agents/${agent.id}`)).body).actions).toEqual([]);

    // A public server is saved; editing it to point inside is refused the same way and leaves it as it was.
    const saved = await t.api(admin, 'POST', `/v1/agents/${agent.id}/actions`, card('https://hooks.shop.example/orders'));
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const action = agentSchema.parse(saved.body).actions[0]!;
    const edited = await t.api(admin, 'PATCH', `/v1/agents/${agent.id}/actions/${action.id}`, card('https://kubernetes.default.svc/api'));
    expect(edited.status).toBe(400);
    expect(problemSchema.parse(edited.body).detail).toBe(PRIVATE);
    expect(agentSchema.parse((await t.api(admin, 'GET', `/v1/agents/${agent.id}`)).body).actions[0]!.config).toMatchObject({ url: 'https://hooks.shop.example/orders' });
  });
});
