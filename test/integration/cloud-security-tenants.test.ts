/**
 * Issue [security] #8, tenant leaks, on both backends. Two practices: A (the demo practice, with
 * data of every kind) and B (a second practice with its own admin, location, contact, call,
 * disposition and number). Practice B's admin then tries EVERY signed-in route of the API — the
 * list comes from the route table (GET /v1/openapi.json is generated from it), so a new route is
 * covered without touching this file — with practice A's ids in the path, in the query and in the
 * body. Every answer must be a 4xx (never 2xx, never 5xx), lists must not show A's data, and A's
 * data must be exactly as it was afterwards. Sync push: one bad mutation never fails the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/cloud/ids';
import { hashPassword } from '../../src/cloud/auth/passwords';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { backends, fastArgon, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { upload } from '../support/comms';
import { verifiedSendingDomain } from '../support/sending-domains';

afterAll(stopTestPostgres);

type OpenApi = { paths: Record<string, Record<string, { 'x-access': string; parameters: { name: string; in: string }[]; requestBody?: unknown }>> };

/** The table each path segment's ids live in (the segment before `{param}`). */
const KIND_TABLE: Record<string, string> = {
  calls: 'calls', contacts: 'contacts', dispositions: 'dispositions', notifications: 'notifications', users: 'users',
  numbers: 'phone_numbers', requests: 'number_requests', templates: 'message_templates', workflows: 'workflows',
  runs: 'workflow_runs', media: 'media_files', slack: 'slack_connections', challenges: 'two_factor_challenges',
  held: 'held_phone_changes', locations: 'locations', teams: 'teams', appointments: 'appointments', tasks: 'tasks',
  agents: 'agents', actions: 'agent_actions', 'trigger-links': 'trigger_links', 'sending-domains': 'sending_domains',
  // Not in a path: A's unconfirmed purchase, which B's GET /v1/numbers/purchases/unconfirmed must not list.
  purchases: 'number_purchase_intents',
};

const AGENT_HOURS = { timeZone: 'America/Los_Angeles', days: [1, 2, 3, 4, 5], opens: '09:00', closes: '18:00' };
const TOMORROW = new Date(Date.now() + 86_400_000).toISOString();

/** A manual workflow of one step, as the builder saves it. */
const oneStepDraft = (type: string, config: Record<string, unknown>) => ({ trigger: { type: 'manual', filters: {} }, steps: [{ id: 's1', name: 'Step', type, config }] });

/**
 * A body for each write route that takes one: valid in shape, so the refusal comes from the id
 * check, never from validation; every id in it is practice A's. A route that takes a body and is
 * missing here fails the test (add it).
 */
const bodies = (a: Record<string, string>): Record<string, unknown> => ({
  'POST /v1/2fa/challenges': { purpose: 'phone_change', newPhone: '+13105550177', channel: 'email', targetUserId: a.users },
  'POST /v1/2fa/challenges/{id}/verify': { code: '123456' },
  'POST /v1/2fa/totp/begin': { password: 'nope' },
  'POST /v1/2fa/totp/confirm': { code: '123456' },
  'PUT /v1/calls/{id}/disposition': { dispositionId: a.dispositions },
  'POST /v1/calls/{id}/recording': { action: 'pause' },
  'POST /v1/calls/{id}/transfer': { toUserId: a.users },
  'POST /v1/calls/{id}/voicemail': {},
  'POST /v1/contacts': { name: 'Tenant probe', locationId: a.locations },
  'PATCH /v1/contacts/{id}': { name: 'Renamed by B' },
  'POST /v1/dispositions': { label: 'Probe' },
  'PATCH /v1/dispositions/{id}': { label: 'Renamed by B' },
  'PUT /v1/dispositions/order': { orderedIds: [a.dispositions] },
  'PATCH /v1/numbers/{id}': { name: 'Renamed by B' },
  'PUT /v1/users/{id}/inbound-number': { numberId: a.numbers },
  'PATCH /v1/templates/{id}': { name: 'Renamed by B' },
  'PATCH /v1/trigger-links/{id}': { name: 'Renamed by B', url: 'https://b-spa.example/book' },
  'POST /v1/workflows': { name: 'Probe', draft: { trigger: { type: 'call_details', filters: { dispositionIds: [a.dispositions] } }, steps: [] } },
  'PATCH /v1/workflows/{id}': { name: 'Renamed by B' },
  'POST /v1/workflows/{id}/enrol': { contactId: a.contacts },
  'POST /v1/workflows/{id}/delete': { inProgress: 'cancel' },
  'POST /v1/workflow-tests/sms': { to: '+13105559911', message: 'Probe', fromNumberId: a.numbers },
  'POST /v1/workflows/{id}/dry-run': { draft: { trigger: { type: 'call_details', filters: { dispositionIds: [a.dispositions] } }, steps: [] } },
  'POST /v1/integrations/slack/{id}/test-message': { channelId: 'C123' },
  'POST /v1/numbers/{id}/delete': { confirmation: 'Delete', release: false },
  'POST /v1/numbers/{id}/release': { releaseConfirmation: 'Release' },
  'POST /v1/numbers/purchases': { country: 'US', numberType: 'local', phoneNumbers: ['+14155550123'], locationId: a.locations },
  'PATCH /v1/teams/{id}': { name: 'Renamed by B' },
  'PUT /v1/teams/{id}/members': { memberIds: [a.users] },
  'POST /v1/teams': { name: 'B team', memberIds: [a.users] },
  'PATCH /v1/appointments/{id}': { notes: 'Changed by B' },
  'POST /v1/appointments': { contactId: a.contacts, startsAt: TOMORROW, durationMinutes: 30 },
  'POST /v1/tasks/{id}/finish': { outcome: 'completed' },
  'POST /v1/tasks/{id}/text': { message: 'Probe' },
  'POST /v1/tasks': { type: 'call', contactId: a.contacts, title: 'Probe', fromNumberId: a.numbers, assignToUserId: a.users },
  'POST /v1/agents': { name: 'B agent', lineIds: [a.numbers], answerWhen: 'always', businessHours: AGENT_HOURS, greeting: 'Hi' },
  'PATCH /v1/agents/{id}': { name: 'Renamed by B' },
  'POST /v1/agents/{id}/actions': { name: 'Probe', config: { type: 'send_sms', message: 'Hi' } },
  'PATCH /v1/agents/{id}/actions/{actionId}': { name: 'Renamed by B' },
  'PUT /v1/whatsapp/sender': { phoneNumberId: a.numbers },
  'POST /v1/sync/push': { mutations: [{ type: 'contact.update', idempotencyKey: 'probe-0001', payload: { contactId: a.contacts, name: 'Renamed by B' } }] },
});

/** Writes a practice B may make with no id of A's in them (its own things): they are allowed, not probes. */
const OWN_WRITES = new Set(['POST /v1/dispositions', 'POST /v1/realtime/tickets', 'POST /v1/twilio/token', 'POST /v1/auth/logout', 'POST /v1/notifications/read-all',
  'POST /v1/2fa/totp/begin', 'POST /v1/2fa/totp/confirm', 'PATCH /v1/automation/settings', 'POST /v1/integrations/slack/connect', 'POST /v1/media', 'POST /v1/templates', 'POST /v1/trigger-links', 'POST /v1/numbers/requests', 'PUT /v1/call-policy', 'PATCH /v1/reputation/settings', 'POST /v1/workflow-tests/email',
  'POST /v1/whatsapp/templates/refresh', 'POST /v1/ai/write', 'POST /v1/sending-domains', 'POST /v1/email/inbound/rotate']);

describe.each(backends)('#8 tenant isolation on %s', (backend) => {
  let t: TestCloud;
  let b: { accountId: string; adminId: string; token: string; locationId: string; contactId: string; callId: string; numberId: string; agentId: string };
  const a: Record<string, string> = {};

  /** Everything of practice A's that a probe could change, as JSON. */
  const snapshotA = async (): Promise<string> => {
    const parts: unknown[] = [];
    for (const table of ['contacts', 'calls', 'dispositions', 'phone_numbers', 'users', 'notifications', 'message_templates', 'trigger_links', 'workflows', 'media_files', 'locations', 'appointments', 'teams', 'tasks', 'agents', 'agent_actions', 'sending_domains']) {
      const rows = await t.cloud.db.query(`SELECT * FROM ${table} WHERE account_id = $1 ORDER BY id`, [DEMO_ACCOUNT_ID]);
      parts.push(rows.map((row) => ({ ...row, seq: undefined, last_login_at: undefined })));
    }
    return JSON.stringify(parts);
  };

  beforeAll(async () => {
    t = await startTestCloud(backend);
    const adminA = (await t.login('admin')).accessToken;
    // Practice A has something of every kind the API names by id.
    expect((await t.api(adminA, 'POST', '/v1/templates', { channel: 'sms', name: 'Reminder', body: 'See you soon' })).status).toBeLessThan(300);
    expect((await t.api(adminA, 'POST', '/v1/workflows', { name: 'A workflow' })).status).toBeLessThan(300);
    expect((await t.api(adminA, 'POST', '/v1/trigger-links', { name: 'A booking', url: 'https://a-spa.example/book' })).status).toBe(201);
    const contactA = (await t.cloud.db.query<{ id: string }>(`SELECT id FROM contacts WHERE account_id = $1 ORDER BY id LIMIT 1`, [DEMO_ACCOUNT_ID]))[0]!.id;
    expect((await t.api(adminA, 'POST', '/v1/appointments', { contactId: contactA, startsAt: TOMORROW, durationMinutes: 30 })).status).toBeLessThan(300);
    expect((await t.api(adminA, 'POST', '/v1/teams', { name: 'A team' })).status).toBeLessThan(300);
    // A custom contact field only practice A has.
    await t.cloud.db.query(`UPDATE contacts SET custom_fields = custom_fields || '{"a_only":"x"}'::jsonb WHERE id = $1`, [contactA]);
    const agentA = await t.api(adminA, 'POST', '/v1/agents', { name: 'A agent', answerWhen: 'always', businessHours: AGENT_HOURS, greeting: 'Hi' });
    expect(agentA.status).toBeLessThan(300);
    expect((await t.api(adminA, 'POST', `/v1/agents/${agentA.body.id}/actions`, { name: 'A text', config: { type: 'send_sms', message: 'Hi' } })).status).toBeLessThan(300);
    expect((await upload(t, adminA, 'greeting.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf')).status).toBe(201);
    // A connected Slack workspace (the OAuth dance is cloud-slack.test.ts's; here only its row matters).
    await t.cloud.db.query(`INSERT INTO slack_connections (id, account_id, team_id, team_name, bot_token_enc) VALUES ($1, $2, 'TA', 'A workspace', 'v1:x')`, [newId('slk'), DEMO_ACCOUNT_ID]);
    // A purchase of A's that Twilio never confirmed (its id and number must stay A's).
    await t.cloud.db.query(
      `INSERT INTO number_purchase_intents (id, account_id, phone_number, status, resolved_at, unconfirmed_at) VALUES ($1, $2, '+14245550188', 'unconfirmed', now(), now())`,
      [newId('npi'), DEMO_ACCOUNT_ID],
    );
    // A verified sending domain: B may neither verify nor remove it, nor send From it.
    await verifiedSendingDomain(t, DEMO_ACCOUNT_ID, 'a-spa.example');
    for (const [kind, table] of Object.entries(KIND_TABLE)) {
      const rows = await t.cloud.db.query<{ id: string }>(`SELECT id::text AS id FROM ${table} WHERE ${table === 'users' ? 'account_id' : 'account_id'} = $1 ORDER BY id LIMIT 1`, [DEMO_ACCOUNT_ID]).catch(() => []);
      a[kind] = rows[0]?.id ?? `${kind.slice(0, 3)}_not_in_a`;
    }

    // Practice B: an admin, a location, a contact, a number and a call of its own.
    const accountId = newId('acc');
    const adminId = newId('usr');
    const email = `${adminId}@b-spa.example`;
    await t.cloud.db.query(`INSERT INTO accounts (id, name) VALUES ($1, 'B Spa')`, [accountId]);
    await t.cloud.db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ($1, $2, $3, 'B Admin', 'admin', $4)`, [adminId, accountId, email, await hashPassword('b-spa-password', fastArgon)]);
    const locationId = newId('loc');
    await t.cloud.db.query(`INSERT INTO locations (id, account_id, name) VALUES ($1, $2, 'B main')`, [locationId, accountId]);
    const login = await t.api(undefined, 'POST', '/v1/auth/login', { email, password: 'b-spa-password', deviceName: 'b' });
    const token = login.body.accessToken as string;
    const contact = await t.api(token, 'POST', '/v1/contacts', { name: 'B client', phone: '+14155550100', locationId });
    expect(contact.status).toBe(201);
    const numberId = newId('num');
    await t.cloud.db.query(`INSERT INTO phone_numbers (id, account_id, number, name) VALUES ($1, $2, '+14155550999', 'B line')`, [numberId, accountId]);
    const callId = newId('cal');
    await t.cloud.db.query(
      `INSERT INTO calls (id, account_id, twilio_call_sid, direction, from_number, to_number, status, user_id, started_at) VALUES ($1, $2, $3, 'inbound', '+14155550100', '+14155550999', 'completed', $4, now())`,
      [callId, accountId, `CA${'b'.repeat(32)}`, adminId],
    );
    const agentB = await t.api(token, 'POST', '/v1/agents', { name: 'B agent', answerWhen: 'always', businessHours: AGENT_HOURS, greeting: 'Hi' });
    expect(agentB.status).toBe(201);
    b = { accountId, adminId, token, locationId, contactId: contact.body.id, callId, numberId, agentId: agentB.body.id };
  });
  afterAll(async () => t?.stop());

  it('every signed-in route, with practice A’s ids in its path: 4xx, never 2xx or 5xx, and A’s data untouched', async () => {
    const doc = (await t.api(undefined, 'GET', '/v1/openapi.json')).body as OpenApi;
    const sample = bodies(a);
    const before = await snapshotA();
    const failures: string[] = [];
    let probed = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (op['x-access'] === 'public') continue;
        const pathParams = op.parameters.filter((p) => p.in === 'path');
        if (pathParams.length === 0) continue;
        const route = `${method.toUpperCase()} ${path}`;
        const segments = path.split('/');
        const url = segments
          .map((segment, i) => {
            const param = /^\{(.+)\}$/.exec(segment)?.[1];
            if (!param) return segment;
            if (param === 'version') return '1';
            // Not ids of a table: a step of the workflow before them, and a statistic's name.
            if (param === 'stepId') return 's1';
            if (param === 'metric') return 'delivered';
            const kind = segments[i - 1]!;
            if (!(kind in KIND_TABLE)) failures.push(`${route}: say which table {${param}} (after "${kind}") names, in KIND_TABLE`);
            return encodeURIComponent(a[kind] ?? 'x');
          })
          .join('/');
        if (op.requestBody && !(route in sample)) failures.push(`${route}: add a body to bodies()`);
        const res = await t.api(b.token, method.toUpperCase(), url, op.requestBody ? sample[route] : undefined);
        probed++;
        if (res.status < 400 || res.status >= 500) failures.push(`${route} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(probed).toBeGreaterThan(40);
    expect(await snapshotA()).toBe(before);
  });

  it('every write route without ids in its path, with practice A’s ids in its body: 4xx, nothing of A changed or linked', async () => {
    const doc = (await t.api(undefined, 'GET', '/v1/openapi.json')).body as OpenApi;
    const sample = bodies(a);
    const before = await snapshotA();
    const failures: string[] = [];
    // Secrets derived outside the database (not in snapshotA): B's own writes (rotating B's reply secret) must leave A's as they were.
    const adminA = (await t.login('admin')).accessToken;
    const inboundA = (await t.api(adminA, 'GET', '/v1/email/inbound')).body;
    expect((await t.api(b.token, 'POST', '/v1/email/inbound/rotate')).status).toBe(200);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const route = `${method.toUpperCase()} ${path}`;
        if (op['x-access'] === 'public' || method === 'get' || op.parameters.some((p) => p.in === 'path') || OWN_WRITES.has(route)) continue;
        if (op.requestBody && !(route in sample)) {
          failures.push(`${route}: add a body to bodies() (or to OWN_WRITES if it names no id)`);
          continue;
        }
        const res = await t.api(b.token, method.toUpperCase(), path, sample[route]);
        const refusedInside = route === 'POST /v1/sync/push' && res.status === 200 && res.body.results.every((r: { status: string }) => r.status === 'rejected');
        if (!refusedInside && (res.status < 400 || res.status >= 500)) failures.push(`${route} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshotA()).toBe(before);
    expect((await t.api(adminA, 'GET', '/v1/email/inbound')).body).toEqual(inboundA);
    expect(await t.cloud.db.query(`SELECT id FROM contacts WHERE account_id = $1 AND location_id IN (SELECT id FROM locations WHERE account_id <> $1)`, [b.accountId])).toEqual([]);
  });

  it('B’s own things with A’s ids in the body: every foreign key is checked against the caller’s practice (4xx, never 500)', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/v1/contacts', { name: 'x', locationId: a.locations }],
      ['POST', '/v1/contacts', { name: 'x', locationId: 'loc_does_not_exist' }],
      ['POST', '/v1/contacts', { name: 'x', assignedUserId: a.users }],
      ['PATCH', `/v1/contacts/${b.contactId}`, { assignedUserId: a.users }],
      ['PUT', `/v1/calls/${b.callId}/disposition`, { dispositionId: a.dispositions }],
      ['POST', `/v1/calls/${b.callId}/transfer`, { toUserId: a.users }],
      ['PATCH', `/v1/numbers/${b.numberId}`, { assignedUserId: a.users }],
      ['PATCH', `/v1/numbers/${b.numberId}`, { ringAllUserIds: [a.users] }],
      ['PUT', `/v1/users/${b.adminId}/inbound-number`, { numberId: a.numbers }],
      ['PUT', '/v1/dispositions/order', { orderedIds: [a.dispositions] }],
      ['POST', '/v1/workflows', { name: 'x', draft: { trigger: { type: 'call_details', filters: { dispositionIds: [a.dispositions] } }, steps: [] } }],
      ['POST', '/v1/workflows', { name: 'x', draft: { trigger: { type: 'call_details', filters: { phoneNumberIds: [a.numbers] } }, steps: [] } }],
      ['POST', '/v1/workflows', { name: 'x', draft: oneStepDraft('send_sms', { templateId: a.templates, message: 'Hi' }) }],
      // Trigger links are named by key in a text: practice A's key is no link of B's.
      ['POST', '/v1/workflows', { name: 'x', draft: oneStepDraft('send_sms', { message: 'Book: {{trigger_link.a_booking}}' }) }],
      ['POST', '/v1/workflow-tests/sms', { to: '+13105559911', message: 'Book: {{trigger_link.a_booking}}' }],
      ['POST', '/v1/workflows', { name: 'x', draft: oneStepDraft('voicemail_drop', { audioMediaId: a.media, audioUrl: 'https://example.com/a.mp3' }) }],
      ['POST', '/v1/workflows', { name: 'x', draft: oneStepDraft('slack', { connectionId: a.slack, event: 'public_channel', channelId: 'C1', message: 'x' }) }],
      // A's verified sending domain is not B's to send From.
      ['POST', '/v1/workflows', { name: 'x', draft: oneStepDraft('send_email', { fromName: 'x', fromEmail: 'desk@a-spa.example', subject: 's', body: 'b' }) }],
      ['POST', '/v1/workflow-tests/email', { to: 'me@b-spa.example', fromName: 'x', fromEmail: 'desk@a-spa.example', subject: 's', body: 'b' }],
      ['POST', '/v1/appointments', { contactId: b.contactId, startsAt: TOMORROW, durationMinutes: 30, providerId: a.users }],
      ['POST', '/v1/appointments', { contactId: b.contactId, startsAt: TOMORROW, durationMinutes: 30, locationId: a.locations }],
      ['POST', '/v1/teams', { name: 'B team 2', leadUserId: a.users }],
      ['POST', `/v1/agents/${b.agentId}/actions`, { name: 'x', config: { type: 'call_transfer', target: { kind: 'user', userId: a.users } } }],
      ['POST', `/v1/agents/${b.agentId}/actions`, { name: 'x', config: { type: 'call_transfer', target: { kind: 'team', teamId: a.teams } } }],
      ['POST', `/v1/agents/${b.agentId}/actions`, { name: 'x', config: { type: 'trigger_workflow', workflowId: a.workflows } }],
      ['POST', `/v1/agents/${b.agentId}/actions`, { name: 'x', config: { type: 'book_appointment', providerId: a.users, durations: [30] } }],
      ['POST', `/v1/agents/${b.agentId}/actions`, { name: 'x', config: { type: 'book_appointment', providerId: b.adminId, locationId: a.locations, durations: [30] } }],
      ['PATCH', `/v1/agents/${b.agentId}`, { lineIds: [a.numbers] }],
      ['POST', `/v1/agents/${b.agentId}/actions`, { name: 'x', config: { type: 'update_contact_field', field: 'custom_fields.a_only', instruction: 'x' } }],
      ['POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: ['+14155550123'], locationId: a.locations }],
    ];
    const failures: string[] = [];
    for (const [method, path, body] of cases) {
      const res = await t.api(b.token, method, path, body);
      if (res.status < 400 || res.status >= 500) failures.push(`${method} ${path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    // B's builder is offered B's contact fields only, never A's custom field.
    const options = await t.api(b.token, 'GET', '/v1/agents/options');
    expect(options.status).toBe(200);
    expect(options.body.contactFields.map((f: { field: string }) => f.field)).not.toContain('custom_fields.a_only');
  });

  it('a workflow step naming A’s template, media file or Slack workspace is not saved, nor published from a draft stored before the check', async () => {
    // Only A's real rows make this a tenant test (a made-up id would prove less).
    for (const kind of ['templates', 'media', 'slack']) expect(a[kind], kind).not.toMatch(/_not_in_a$/);
    const draft = (ids: { template: string; media: string; slack: string }) => ({
      trigger: { type: 'manual', filters: {} },
      steps: [
        { id: 'text', name: 'Text', type: 'send_sms', config: { templateId: ids.template, message: 'Hi' } },
        { id: 'drop', name: 'Drop', type: 'voicemail_drop', config: { audioMediaId: ids.media, audioUrl: 'https://example.com/a.mp3' } },
        { id: 'tell', name: 'Tell', type: 'slack', config: { connectionId: ids.slack, event: 'public_channel', channelId: 'C1', message: 'x' } },
      ],
    });
    const ofA = { template: a.templates!, media: a.media!, slack: a.slack! };
    const refused = await t.api(b.token, 'POST', '/v1/workflows', { name: 'B probe', draft: draft(ofA) });
    expect(refused).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(refused.body.errors).toEqual([
      { path: 'draft.steps[text].config.templateId', message: `No message template ${a.templates} in this account` },
      { path: 'draft.steps[drop].config.audioMediaId', message: `No media file ${a.media} in this account` },
      { path: 'draft.steps[tell].config.connectionId', message: `No Slack workspace ${a.slack} in this account` },
    ]);
    // B's own template, media file and Slack workspace are fine.
    const ofB = {
      template: (await t.api(b.token, 'POST', '/v1/templates', { channel: 'sms', name: 'B reminder', body: 'See you' })).body.id as string,
      media: (await upload(t, b.token, 'b.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf')).body.id as string,
      slack: newId('slk'),
    };
    await t.cloud.db.query(`INSERT INTO slack_connections (id, account_id, team_id, team_name, bot_token_enc) VALUES ($1, $2, 'TB', 'B workspace', 'v1:x')`, [ofB.slack, b.accountId]);
    const own = await t.api(b.token, 'POST', '/v1/workflows', { name: 'B own', draft: draft(ofB) });
    expect(own.status).toBe(201);
    // A draft stored before save checked these ids (B's ids swapped for A's underneath) is refused at publish, and the dry run says why.
    const ownDraft = JSON.stringify((await t.cloud.db.query<{ draft: unknown }>(`SELECT draft FROM workflows WHERE id = $1`, [own.body.id]))[0]!.draft);
    let planted = ownDraft;
    for (const key of ['template', 'media', 'slack'] as const) planted = planted.replace(ofB[key], ofA[key]);
    await t.cloud.db.query(`UPDATE workflows SET draft = $2::jsonb WHERE id = $1`, [own.body.id, planted]);
    try {
      expect(await t.api(b.token, 'POST', `/v1/workflows/${own.body.id}/publish`)).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      expect(await t.cloud.db.query(`SELECT 1 FROM workflow_versions WHERE workflow_id = $1`, [own.body.id])).toEqual([]);
      const dry = await t.api(b.token, 'POST', `/v1/workflows/${own.body.id}/dry-run`, {});
      expect(dry.status).toBe(200);
      expect(dry.body.canPublish).toBe(false);
      expect(dry.body.problems.map((p: { path: string }) => p.path)).toEqual(['draft.steps[text].config.templateId', 'draft.steps[drop].config.audioMediaId', 'draft.steps[tell].config.connectionId']);
    } finally {
      // The lists test after this one must not find A's ids in B's workflows.
      await t.cloud.db.query(`UPDATE workflows SET draft = $2::jsonb WHERE id = $1`, [own.body.id, ownDraft]);
    }
  });

  it('lists: A’s ids as filters or cursors neither show A’s data nor change B’s page; cursors are opaque and scoped', async () => {
    const doc = (await t.api(undefined, 'GET', '/v1/openapi.json')).body as OpenApi;
    const aIds = Object.values(a).filter((id) => !id.endsWith('_not_in_a'));
    const failures: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      const op = methods.get;
      if (!op || op['x-access'] === 'public' || op.parameters.some((p) => p.in === 'path')) continue;
      const own = await t.api(b.token, 'GET', path);
      for (const param of op.parameters.filter((p) => p.in === 'query' && /Id$|^before$|^cursor$/.test(p.name))) {
        const kind = param.name === 'before' || param.name === 'cursor' ? 'calls' : `${param.name.replace(/Id$/, '')}s`;
        const value = a[kind] ?? a.calls!;
        const res = await t.api(b.token, 'GET', `${path}?${param.name}=${encodeURIComponent(value)}`);
        if (res.status >= 500) failures.push(`GET ${path}?${param.name}=A's → ${res.status}`);
        else if (res.status < 400) {
          const text = JSON.stringify(res.body);
          for (const id of aIds) if (id !== value && text.includes(id)) failures.push(`GET ${path}?${param.name}=A's shows A's ${id}`);
        }
      }
      if (own.status === 200) {
        const text = JSON.stringify(own.body);
        for (const id of aIds) if (text.includes(id)) failures.push(`GET ${path} shows A's ${id}`);
      }
    }
    expect(failures).toEqual([]);

    // The calls cursor: A's call id and A's own cursor are both refused for B; B's own cursor pages B's calls.
    const adminA = (await t.login('admin')).accessToken;
    const pageA = await t.api(adminA, 'GET', '/v1/calls?limit=2');
    const cursorA = pageA.headers.get('x-next-cursor');
    expect(cursorA).toMatch(/^[A-Za-z0-9_.-]{20,}$/);
    expect(cursorA).not.toContain(pageA.body[1].id);
    expect((await t.api(b.token, 'GET', `/v1/calls?before=${a.calls}`)).status).toBe(400);
    expect((await t.api(b.token, 'GET', `/v1/calls?before=${cursorA}`)).status).toBe(400);
    expect((await t.api(adminA, 'GET', `/v1/calls?limit=2&before=${cursorA}`)).body[0].id).not.toBe(pageA.body[0].id);
    const auditA = await t.api(adminA, 'GET', '/v1/audit?limit=1');
    const auditCursor = auditA.headers.get('x-next-cursor');
    expect(auditCursor).toBeTruthy();
    expect((await t.api(b.token, 'GET', `/v1/audit?before=${auditCursor}`)).status).toBe(400);
    expect((await t.api(b.token, 'GET', `/v1/audit?before=12`)).status).toBe(400);
  });

  it('sync push: one bad mutation (another practice’s id, an id that does not exist) never fails the rest of the batch', async () => {
    const res = await t.api(b.token, 'POST', '/v1/sync/push', {
      mutations: [
        { type: 'contact.create', idempotencyKey: 'b-push-0001', payload: { name: 'Good one' } },
        { type: 'contact.create', idempotencyKey: 'b-push-0002', payload: { name: 'A location', locationId: a.locations } },
        { type: 'contact.create', idempotencyKey: 'b-push-0003', payload: { name: 'No location', locationId: 'loc_does_not_exist' } },
        { type: 'call.setDisposition', idempotencyKey: 'b-push-0004', payload: { callId: a.calls, dispositionId: null } },
        { type: 'notification.markRead', idempotencyKey: 'b-push-0005', payload: { notificationId: a.notifications } },
        { type: 'contact.update', idempotencyKey: 'b-push-0006', payload: { contactId: b.contactId, assignedUserId: a.users } },
        { type: 'contact.create', idempotencyKey: 'b-push-0007', payload: { name: 'Good two', locationId: b.locationId } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'applied']);
    // The refusals do not tell which ids exist elsewhere: another practice's and a made-up one read the same.
    const [, otherPractice, madeUp] = res.body.results as { code: string; message: string }[];
    expect(otherPractice!.code).toBe(madeUp!.code);
    expect(otherPractice!.message).toBe(madeUp!.message);
    const names = await t.cloud.db.query<{ name: string }>(`SELECT name FROM contacts WHERE account_id = $1 ORDER BY name`, [b.accountId]);
    expect(names.map((n) => n.name)).toEqual(['B client', 'Good one', 'Good two']);
  });
});
