import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginResponseSchema, tokenPairSchema, twilioTokenResponseSchema } from '../../src/shared/cloud/auth';
import { callSchema, dispositionSchema, phoneNumberSchema, userSchema } from '../../src/shared/cloud/entities';
import { problemSchema } from '../../src/shared/cloud/problem';
import { DEMO_ACCOUNT_ID, DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { newId } from '../../src/cloud/ids';
import { migrations } from '../../src/cloud/db/migrations';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { testSchemaTemplate } from '../support/schema-template';

afterAll(stopTestPostgres);

describe.each(backends)('cloud API on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  beforeAll(async () => {
    t = await startTestCloud(backend, { loginMaxFailures: 3 });
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
  });
  afterAll(async () => t?.stop());

  const expectProblem = (res: { status: number; body: unknown; headers: Headers }, status: number, code: string): void => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problemSchema.parse(res.body).code).toBe(code);
  };

  describe('health', () => {
    it('answers health and readiness', async () => {
      expect((await t.api(undefined, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
      const ready = await t.api(undefined, 'GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', database: backend, schemaVersion: Math.max(...migrations.map((m) => m.version)) });
    });
    it('answers HEAD on the health checks and public links only, not on the API', async () => {
      expect((await t.api(undefined, 'HEAD', '/healthz')).status).toBe(200);
      expect((await t.api(undefined, 'HEAD', '/readyz')).status).toBe(200);
      // A public link (a mail scanner may probe it): the route itself answers, with its page for an unknown link.
      const link = await t.api(undefined, 'HEAD', '/l/not-a-link');
      expect(link.status).toBe(404);
      expect(link.headers.get('content-type')).toMatch(/^text\/html/);
      // The API's GETs have no HEAD twin: the route table stays half the size (issue #21).
      expect((await t.api(admin, 'GET', '/v1/users')).status).toBe(200);
      const api = await t.api(admin, 'HEAD', '/v1/users');
      expect(api.status).toBe(404);
      expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
    it('publishes an OpenAPI document of every route, built from the route table', async () => {
      const res = await t.api(undefined, 'GET', '/v1/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toBe('3.1.0');
      const paths = res.body.paths as Record<string, Record<string, { 'x-access': string; parameters: { name: string; in: string }[] }>>;
      expect(paths['/v1/auth/login']!.post!['x-access']).toBe('public');
      expect(paths['/v1/dispositions/{id}']!.patch!['x-access']).toBe('admin');
      expect(paths['/v1/dispositions/{id}']!.patch!.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })]);
      expect(paths['/v1/calls']!.get!.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['before', 'limit', 'direction']));
      expect(paths['/v1/2fa/challenges']!.post).toBeDefined();
      expect(Object.keys(paths).length).toBeGreaterThanOrEqual(25);
    });
    it('unknown routes are problems', async () => {
      expectProblem(await t.api(undefined, 'GET', '/v1/nope'), 404, 'NOT_FOUND');
    });
  });

  describe('auth', () => {
    it('signs in and returns the profile', async () => {
      const res = await t.api(undefined, 'POST', '/v1/auth/login', { email: 'JORDAN@glowmedspa.example', password: 'glow-demo-2024' });
      expect(res.status).toBe(200);
      const body = loginResponseSchema.parse(res.body);
      expect(body.user).toMatchObject({ id: DEMO_USERS.receptionist.id, role: 'user', inboundNumberId: DEMO_NUMBERS.jordanDirect.id });
      const me = await t.api(body.accessToken, 'GET', '/v1/me');
      expect(userSchema.parse(me.body).email).toBe(DEMO_USERS.receptionist.email);
    });
    it('refuses a wrong password and validates the body', async () => {
      expectProblem(await t.api(undefined, 'POST', '/v1/auth/login', { email: DEMO_USERS.receptionist2.email, password: 'wrong' }), 401, 'INVALID_CREDENTIALS');
      const bad = await t.api(undefined, 'POST', '/v1/auth/login', { email: 'not-an-email' });
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      expect(problemSchema.parse(bad.body).errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['body.email', 'body.password']));
    });
    it('rate-limits failed sign-ins per email', async () => {
      const email = 'nobody@glowmedspa.example';
      for (let i = 0; i < 3; i++) expectProblem(await t.api(undefined, 'POST', '/v1/auth/login', { email, password: 'x' }), 401, 'INVALID_CREDENTIALS');
      const limited = await t.api(undefined, 'POST', '/v1/auth/login', { email, password: 'x' });
      expectProblem(limited, 429, 'RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });
    it('rotates refresh tokens and revokes the session when a spent one is replayed', async () => {
      const first = await t.login('receptionist2');
      const r1 = await t.api(undefined, 'POST', '/v1/auth/refresh', { refreshToken: first.refreshToken });
      expect(r1.status).toBe(200);
      const second = tokenPairSchema.parse(r1.body);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.sessionId).toBe(first.sessionId);
      expect((await t.api(second.accessToken, 'GET', '/v1/me')).status).toBe(200);
      // The spent token comes back: the whole session family is signed out.
      expectProblem(await t.api(undefined, 'POST', '/v1/auth/refresh', { refreshToken: first.refreshToken }), 401, 'REFRESH_TOKEN_REUSED');
      expectProblem(await t.api(second.accessToken, 'GET', '/v1/me'), 401, 'SESSION_REVOKED');
      expectProblem(await t.api(undefined, 'POST', '/v1/auth/refresh', { refreshToken: second.refreshToken }), 401, 'SESSION_REVOKED');
      expectProblem(await t.api(undefined, 'POST', '/v1/auth/refresh', { refreshToken: 'x'.repeat(43) }), 401, 'REFRESH_TOKEN_INVALID');
      const audit = await t.api(admin, 'GET', '/v1/audit');
      expect(audit.body.map((e: { action: string }) => e.action)).toContain('auth.refresh_token_reused');
    });
    it('signs out', async () => {
      const s = await t.login('receptionist2');
      expect((await t.api(s.accessToken, 'POST', '/v1/auth/logout')).status).toBe(204);
      expectProblem(await t.api(s.accessToken, 'GET', '/v1/me'), 401, 'SESSION_REVOKED');
    });
    it('requires a valid access token on every /v1 route', async () => {
      for (const [method, path] of [['GET', '/v1/me'], ['GET', '/v1/sync/pull'], ['POST', '/v1/sync/push'], ['GET', '/v1/calls'], ['GET', '/v1/dispositions'], ['POST', '/v1/twilio/token'], ['GET', '/v1/contacts'], ['GET', '/v1/numbers'], ['GET', '/v1/notifications'], ['GET', '/v1/users'], ['GET', '/v1/audit']] as const) {
        expectProblem(await t.api(undefined, method, path), 401, 'UNAUTHENTICATED');
        expectProblem(await t.api('garbage.token.here', method, path), 401, 'UNAUTHENTICATED');
      }
    });
  });

  describe('dispositions', () => {
    it('starts with the default set in order', async () => {
      const res = await t.api(jordan, 'GET', '/v1/dispositions');
      expect(res.body.map((d: { label: string }) => d.label)).toEqual(['Booked', 'Requested Appointment', 'Follow Up', 'Requested Callback', 'Not Interested', 'Spam call']);
      expect(res.body.map((d: { position: number }) => d.position)).toEqual([0, 1, 2, 3, 4, 5]);
    });
    it('only admins create, rename, delete and reorder', async () => {
      const list = (await t.api(jordan, 'GET', '/v1/dispositions')).body as { id: string }[];
      expectProblem(await t.api(jordan, 'POST', '/v1/dispositions', { label: 'Nope' }), 403, 'FORBIDDEN');
      expectProblem(await t.api(jordan, 'PATCH', `/v1/dispositions/${list[0]!.id}`, { label: 'Nope' }), 403, 'FORBIDDEN');
      expectProblem(await t.api(jordan, 'DELETE', `/v1/dispositions/${list[0]!.id}`), 403, 'FORBIDDEN');
      expectProblem(await t.api(jordan, 'PUT', '/v1/dispositions/order', { orderedIds: list.map((d) => d.id) }), 403, 'FORBIDDEN');
    });
    it('caps the set at 10 and refuses duplicates', async () => {
      for (let i = 0; i < 4; i++) {
        const res = await t.api(admin, 'POST', '/v1/dispositions', { label: `Outcome ${i}` });
        expect(res.status).toBe(201);
        expect(dispositionSchema.parse(res.body).position).toBe(6 + i);
      }
      expectProblem(await t.api(admin, 'POST', '/v1/dispositions', { label: 'Eleventh' }), 409, 'DISPOSITION_LIMIT_REACHED');
      expectProblem(await t.api(admin, 'POST', '/v1/dispositions', { label: '   ' }), 400, 'VALIDATION_FAILED');
    });
    it('rename keeps the id; delete keeps the label on calls; reorder needs every id', async () => {
      const list = (await t.api(admin, 'GET', '/v1/dispositions')).body as { id: string; label: string }[];
      const followUp = list.find((d) => d.label === 'Follow Up')!;
      expectProblem(await t.api(admin, 'PATCH', `/v1/dispositions/${followUp.id}`, { label: 'booked' }), 409, 'CONFLICT');
      const renamed = await t.api(admin, 'PATCH', `/v1/dispositions/${followUp.id}`, { label: 'Follow-up call' });
      expect(renamed.body).toMatchObject({ id: followUp.id, label: 'Follow-up call' });

      const calls = (await t.api(jordan, 'GET', '/v1/calls?limit=1')).body as { id: string }[];
      const callId = calls[0]!.id;
      const set = await t.api(jordan, 'PUT', `/v1/calls/${callId}/disposition`, { dispositionId: followUp.id, note: 'call back Tue' });
      expect(callSchema.parse(set.body)).toMatchObject({ dispositionId: followUp.id, note: 'call back Tue' });

      const deleted = await t.api(admin, 'DELETE', `/v1/dispositions/${followUp.id}`);
      expect(deleted.body.deletedAt).not.toBeNull();
      const active = (await t.api(admin, 'GET', '/v1/dispositions')).body as { id: string; position: number }[];
      expect(active).toHaveLength(9);
      expect(active.map((d) => d.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      const all = (await t.api(jordan, 'GET', '/v1/dispositions?includeDeleted=true')).body as { id: string; label: string }[];
      expect(all.find((d) => d.id === followUp.id)?.label).toBe('Follow-up call');
      expect((await t.api(jordan, 'GET', `/v1/calls/${callId}`)).body.dispositionId).toBe(followUp.id);
      // A deleted disposition can no longer be chosen.
      expectProblem(await t.api(jordan, 'PUT', `/v1/calls/${callId}/disposition`, { dispositionId: followUp.id }), 404, 'NOT_FOUND');

      expectProblem(await t.api(admin, 'PUT', '/v1/dispositions/order', { orderedIds: active.slice(1).map((d) => d.id) }), 409, 'DISPOSITION_ORDER_MISMATCH');
      const reversed = active.map((d) => d.id).reverse();
      const reordered = await t.api(admin, 'PUT', '/v1/dispositions/order', { orderedIds: reversed });
      expect(reordered.body.map((d: { id: string }) => d.id)).toEqual(reversed);
      const audit = (await t.api(admin, 'GET', '/v1/audit')).body as { action: string; actorUserId: string }[];
      expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['disposition.create', 'disposition.rename', 'disposition.delete', 'disposition.reorder', 'call.set_disposition']));
      expectProblem(await t.api(jordan, 'GET', '/v1/audit'), 403, 'FORBIDDEN');
    });

    it('refuses a disposition on a call answered outside the app (forwarded to a personal phone)', async () => {
      const callId = newId('cal');
      await t.cloud.db.query(
        `INSERT INTO calls (id, account_id, twilio_call_sid, direction, from_number, to_number, status, started_at, source)
         VALUES ($1, $2, $3, 'inbound', '+13105550142', '+13105550100', 'completed', now(), 'external')`,
        [callId, DEMO_ACCOUNT_ID, `CA${'e'.repeat(32)}`],
      );
      const [first] = (await t.api(jordan, 'GET', '/v1/dispositions')).body as { id: string }[];
      const refused = await t.api(jordan, 'PUT', `/v1/calls/${callId}/disposition`, { dispositionId: first!.id });
      expectProblem(refused, 409, 'CONFLICT');
      expect(problemSchema.parse(refused.body).detail).toMatch(/only for calls answered in the app/);
      expect((await t.api(jordan, 'GET', `/v1/calls/${callId}`)).body.dispositionId).toBeNull();
      // Nothing reacts: no Call Details event was recorded for it.
      expect(await t.cloud.db.query(`SELECT 1 FROM domain_events WHERE call_id = $1`, [callId])).toHaveLength(0);
      // Clearing (nothing to clear) is still allowed.
      expect((await t.api(jordan, 'PUT', `/v1/calls/${callId}/disposition`, { dispositionId: null })).status).toBe(200);
    });
  });

  describe('calls, contacts, numbers, users, notifications', () => {
    it('lists calls newest first with filters and paging', async () => {
      const first = await t.api(jordan, 'GET', '/v1/calls?limit=10');
      const page1 = first.body as { id: string; startedAt: string }[];
      expect(page1).toHaveLength(10);
      // The next page's cursor is opaque (issue [security] #8): the X-Next-Cursor header, not a call id.
      const cursor = first.headers.get('x-next-cursor')!;
      const page2 = (await t.api(jordan, 'GET', `/v1/calls?limit=10&before=${cursor}`)).body as { id: string; startedAt: string }[];
      expectProblem(await t.api(jordan, 'GET', `/v1/calls?limit=10&before=${page1[9]!.id}`), 400, 'BAD_REQUEST');
      expect(page2[0]!.startedAt <= page1[9]!.startedAt).toBe(true);
      expect(page2.some((c) => page1.some((p) => p.id === c.id))).toBe(false);
      const inbound = (await t.api(jordan, 'GET', '/v1/calls?direction=inbound&limit=100')).body as { direction: string }[];
      expect(inbound.every((c) => c.direction === 'inbound')).toBe(true);
      expectProblem(await t.api(jordan, 'GET', '/v1/calls?limit=0'), 400, 'VALIDATION_FAILED');
      expectProblem(await t.api(jordan, 'GET', '/v1/calls/call_missing'), 404, 'NOT_FOUND');
    });
    it('creates and updates contacts with E.164 phones and DND per channel and direction', async () => {
      expectProblem(await t.api(jordan, 'POST', '/v1/contacts', { name: 'Bad', phone: '310-555-0100' }), 400, 'VALIDATION_FAILED');
      const created = await t.api(jordan, 'POST', '/v1/contacts', { name: 'Test Patient', phone: '+13105557777', tags: ['vip', 'vip'] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ phone: '+13105557777', tags: ['vip'], dnd: { call: { inbound: false, outbound: false } } });
      const dnd = { call: { inbound: true, outbound: false }, sms: { inbound: false, outbound: true }, email: { inbound: false, outbound: false }, whatsapp: { inbound: false, outbound: false } };
      const updated = await t.api(jordan, 'PATCH', `/v1/contacts/${created.body.id}`, { dnd, assignedUserId: DEMO_USERS.receptionist.id });
      expect(updated.body).toMatchObject({ dnd, assignedUserId: DEMO_USERS.receptionist.id });
      expectProblem(await t.api(jordan, 'PATCH', `/v1/contacts/${created.body.id}`, { assignedUserId: 'usr_nobody' }), 400, 'VALIDATION_FAILED');
      const found = (await t.api(jordan, 'GET', '/v1/contacts?search=Test%20Pat')).body as { id: string }[];
      expect(found.map((c) => c.id)).toEqual([created.body.id]);
      expect((await t.api(jordan, 'GET', '/v1/contacts')).body.length).toBe(51);
    });
    it('number settings are admin-only; one inbound number per member', async () => {
      const numbers = (await t.api(jordan, 'GET', '/v1/numbers')).body as unknown[];
      expect(numbers.map((n) => phoneNumberSchema.parse(n).number).sort()).toEqual(Object.values(DEMO_NUMBERS).map((n) => n.number).sort());
      expectProblem(await t.api(jordan, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.santaMonicaMain.id}`, { whisperMessage: 'x' }), 403, 'FORBIDDEN');
      expectProblem(await t.api(admin, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.santaMonicaMain.id}`, { assignedUserId: DEMO_USERS.receptionist.id }), 409, 'NUMBER_ALREADY_ASSIGNED');
      expectProblem(await t.api(admin, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.santaMonicaMain.id}`, { ringTimeoutSeconds: 2 }), 400, 'VALIDATION_FAILED');
      const updated = await t.api(admin, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.santaMonicaMain.id}`, { assignedUserId: DEMO_USERS.receptionist2.id, whisperMessage: 'SM line', ringTimeoutSeconds: 30 });
      expect(updated.body).toMatchObject({ assignedUserId: DEMO_USERS.receptionist2.id, whisperMessage: 'SM line', ringTimeoutSeconds: 30 });
      const users = (await t.api(jordan, 'GET', '/v1/users')).body as { id: string; inboundNumberId: string | null }[];
      expect(users.find((u) => u.id === DEMO_USERS.receptionist2.id)?.inboundNumberId).toBe(DEMO_NUMBERS.santaMonicaMain.id);
      await t.api(admin, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.santaMonicaMain.id}`, { assignedUserId: null });
    });
    it('notifications belong to their user and can be marked read', async () => {
      const mine = (await t.api(jordan, 'GET', '/v1/notifications')).body as { id: string; userId: string; readAt: string | null }[];
      expect(mine.every((n) => n.userId === DEMO_USERS.receptionist.id)).toBe(true);
      const adminOnes = (await t.api(admin, 'GET', '/v1/notifications')).body as { id: string }[];
      if (mine[0]) {
        expectProblem(await t.api(admin, 'POST', `/v1/notifications/${mine[0].id}/read`), 404, 'NOT_FOUND');
        const read = await t.api(jordan, 'POST', `/v1/notifications/${mine[0].id}/read`);
        expect(read.body.readAt).not.toBeNull();
      }
      expect(adminOnes.some((n) => mine.some((m) => m.id === n.id))).toBe(false);
      const all = await t.api(jordan, 'POST', '/v1/notifications/read-all');
      expect(all.status).toBe(200);
      expect((await t.api(jordan, 'GET', '/v1/notifications?unread=true')).body).toEqual([]);
    });
    it('issues a Twilio Voice access token for the user', async () => {
      const res = await t.api(jordan, 'POST', '/v1/twilio/token');
      const body = twilioTokenResponseSchema.parse(res.body);
      expect(body.identity).toBe(DEMO_USERS.receptionist.id);
      const payload = JSON.parse(Buffer.from(body.token.split('.')[1]!, 'base64url').toString()) as { grants: { identity: string; voice: { incoming: { allow: boolean }; outgoing: { application_sid: string } } }; exp: number; iat?: number; nbf?: number };
      expect(payload.grants.identity).toBe(DEMO_USERS.receptionist.id);
      expect(payload.grants.voice.incoming.allow).toBe(true);
      expect(payload.grants.voice.outgoing.application_sid).toBe(t.cloud.config.twilio.twimlAppSid);
      expect(body.ttlSeconds).toBe(t.cloud.config.twilio.accessTokenTtlSeconds);
    });
    it('rejects bodies that are not JSON', async () => {
      const res = await fetch(t.cloud.url + '/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    });
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests, then refuses new ones', async () => {
    const { startCloud, sandboxConfig } = await import('../../src/cloud/index');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const cloud = await startCloud({
      config: sandboxConfig({ dataDir: 'memory://', logLevel: 'silent', argon2: { memoryCost: 1024, timeCost: 1 } }),
      pgliteTemplate: testSchemaTemplate,
      extraRoutes: (app) => {
        app.get('/test/slow', async () => {
          entered();
          await gate;
          return { done: true };
        });
      },
    });
    const inFlight = fetch(cloud.url + '/test/slow').then(async (r) => ({ status: r.status, body: await r.json() }));
    await inside;
    const stopped = cloud.stop();
    const ready = await fetch(cloud.url + '/readyz').then((r) => r.status, () => 'refused');
    expect([503, 'refused']).toContain(ready);
    release();
    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    await stopped;
    await expect(fetch(cloud.url + '/healthz')).rejects.toThrow();
  });
});
