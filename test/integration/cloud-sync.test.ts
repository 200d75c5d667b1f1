import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullResponseSchema, pushResponseSchema, type Mutation, type PullResponse } from '../../src/shared/cloud/sync';
import { startCloud } from '../../src/cloud/index';
import { DEMO_ACCOUNT_ID, DEMO_USERS } from '../../src/cloud/seed';
import { onCommitted } from '../../src/cloud/db/unit-of-work';
import { PUSH_CHUNK } from '../../src/cloud/sync/service';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

let keyCounter = 0;
const key = (): string => `test-${Date.now()}-${keyCounter++}`;

describe.each(backends)('sync on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  beforeAll(async () => {
    t = await startTestCloud(backend);
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
  });
  afterAll(async () => t?.stop());

  const pushAs = async (token: string, mutations: Mutation[]) => {
    const res = await t.api(token, 'POST', '/v1/sync/push', { mutations });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return pushResponseSchema.parse(res.body);
  };
  const pullAll = async (token: string, cursor: number, limit: number): Promise<{ pages: PullResponse[]; cursor: number }> => {
    const pages: PullResponse[] = [];
    for (;;) {
      const res = await t.api(token, 'GET', `/v1/sync/pull?cursor=${cursor}&limit=${limit}`);
      expect(res.status).toBe(200);
      const page = pullResponseSchema.parse(res.body);
      expect(page.cursor).toBeGreaterThanOrEqual(cursor);
      pages.push(page);
      cursor = page.cursor;
      if (!page.hasMore) return { pages, cursor };
    }
  };
  const contactCount = async (): Promise<number> =>
    Number((await t.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM contacts`))[0]!.n);

  it('pulls everything the user may see, in pages that add up to one full pull', async () => {
    const full = (await pullAll(jordan, 0, 5000)).pages[0]!;
    expect(full.changes.contacts).toHaveLength(50);
    expect(full.changes.dispositions).toHaveLength(6);
    expect(full.changes.users).toHaveLength(3);
    expect(full.changes.locations).toHaveLength(2);
    expect(full.changes.phoneNumbers).toHaveLength(3);
    expect(full.changes.calls).toHaveLength(40);
    expect(full.changes.notifications.every((n) => n.userId === DEMO_USERS.receptionist.id)).toBe(true);
    const paged = await pullAll(jordan, 0, 7);
    expect(paged.pages.length).toBeGreaterThan(10);
    expect(paged.cursor).toBe(full.cursor);
    const ids = (p: PullResponse[]) => p.flatMap((page) => Object.values(page.changes).flatMap((rows) => rows.map((r: { id: string | number }) => String(r.id)))).sort();
    expect(ids(paged.pages)).toEqual(ids([full]));
    // Nothing new: an empty page at the same cursor.
    const again = pullResponseSchema.parse((await t.api(jordan, 'GET', `/v1/sync/pull?cursor=${full.cursor}`)).body);
    expect(Object.values(again.changes).every((rows) => rows.length === 0)).toBe(true);
    expect(again).toMatchObject({ cursor: full.cursor, hasMore: false });
    expect((await t.api(jordan, 'GET', '/v1/sync/pull?cursor=-1')).status).toBe(400);
  });

  it('ends a last page at the account\'s committed cursor, and sends no change numbered past it until that is committed', async () => {
    const committed = async () => Number((await t.cloud.db.query<{ c: string }>(`SELECT change_seq AS c FROM accounts WHERE id = $1`, [DEMO_ACCOUNT_ID]))[0]!.c);
    const pullFrom = async (cursor: number) => pullResponseSchema.parse((await t.api(jordan, 'GET', `/v1/sync/pull?cursor=${cursor}`)).body);
    const start = (await pullAll(jordan, 0, 5000)).cursor;
    expect(start).toBe(await committed());
    // The newest change is someone else's notification: nothing for Jordan, yet the cursor moves to it.
    const bumped = await t.cloud.db.query<{ id: string }>(
      `WITH bump AS (UPDATE accounts SET change_seq = change_seq + 1 WHERE id = $1 RETURNING change_seq)
       INSERT INTO notifications (id, account_id, user_id, title, message, redirect, seq)
       SELECT 'ntf_cursor_test', $1, $2, 'For the admin', 'Not Jordan''s', NULL, bump.change_seq FROM bump RETURNING id`,
      [DEMO_ACCOUNT_ID, DEMO_USERS.admin.id],
    );
    expect(bumped).toHaveLength(1);
    const quiet = await pullFrom(start);
    expect(Object.values(quiet.changes).every((rows) => rows.length === 0)).toBe(true);
    expect(quiet).toMatchObject({ cursor: await committed(), hasMore: false });
    expect(quiet.cursor).toBe(start + 1);
    // A contact numbered past the committed cursor (its transaction still committing, as a table's
    // query may see it): not sent, and the cursor does not pass it.
    const [contact] = await t.cloud.db.query<{ id: string }>(
      `UPDATE contacts SET seq = (SELECT change_seq + 2 FROM accounts WHERE id = $1) WHERE id = (SELECT id FROM contacts WHERE account_id = $1 ORDER BY id LIMIT 1) RETURNING id`,
      [DEMO_ACCOUNT_ID],
    );
    const early = await pullFrom(quiet.cursor);
    expect(early.changes.contacts).toEqual([]);
    expect(early.cursor).toBe(quiet.cursor);
    // Its commit moves the account's cursor past it: now it is sent.
    await t.cloud.db.query(`UPDATE accounts SET change_seq = change_seq + 2 WHERE id = $1`, [DEMO_ACCOUNT_ID]);
    const late = await pullFrom(early.cursor);
    expect(late.changes.contacts.map((c) => c.id)).toEqual([contact!.id]);
    expect(late.cursor).toBe(await committed());
  });

  it('applies a pushed mutation exactly once however often the batch is retried', async () => {
    const start = (await t.api(jordan, 'GET', '/v1/sync/pull?limit=5000')).body as PullResponse;
    const call = start.changes.calls[0]!;
    const disposition = start.changes.dispositions[0]!;
    const mutation: Mutation = { type: 'call.setDisposition', idempotencyKey: key(), payload: { callId: call.id, dispositionId: disposition.id, note: 'booked for Fri' } };
    const first = await pushAs(jordan, [mutation]);
    expect(first.results[0]).toMatchObject({ status: 'applied', replayed: false, entity: 'calls', entityId: call.id });
    const delta = pullResponseSchema.parse((await t.api(jordan, 'GET', `/v1/sync/pull?cursor=${start.cursor}`)).body);
    expect(delta.changes.calls).toEqual([expect.objectContaining({ id: call.id, dispositionId: disposition.id, note: 'booked for Fri' })]);
    for (let i = 0; i < 3; i++) {
      const retry = await pushAs(jordan, [mutation]);
      expect(retry.results[0]).toMatchObject({ status: 'applied', replayed: true, entityId: call.id });
    }
    const afterRetries = pullResponseSchema.parse((await t.api(jordan, 'GET', `/v1/sync/pull?cursor=${delta.cursor}`)).body);
    expect(afterRetries.changes.calls).toEqual([]);
    const audits = await t.cloud.db.query(`SELECT 1 FROM audit_log WHERE action = 'call.set_disposition' AND entity_id = $1`, [call.id]);
    expect(audits).toHaveLength(1);
  });

  it('concurrent duplicate pushes create each row once', async () => {
    const before = await contactCount();
    const batch: Mutation[] = Array.from({ length: 5 }, (_, i) => ({ type: 'contact.create', idempotencyKey: key(), payload: { name: `Concurrent ${i}`, phone: `+1310555${7100 + i}` } }));
    const responses = await Promise.all(Array.from({ length: 8 }, () => pushAs(jordan, batch)));
    expect(await contactCount()).toBe(before + 5);
    for (const [i, m] of batch.entries()) {
      const ids = new Set(responses.map((r) => { const res = r.results[i]!; return res.status === 'applied' ? res.entityId : 'rejected'; }));
      expect(ids.size, `mutation ${m.idempotencyKey}`).toBe(1);
      expect(responses.filter((r) => r.results[i]!.replayed === false)).toHaveLength(1);
    }
  });

  it('applies a 100-mutation push in a few transactions, a refusal in the middle alone (#13 item 6: the push after an outage)', async () => {
    const start = pullResponseSchema.parse((await t.api(jordan, 'GET', '/v1/sync/pull?limit=5000')).body);
    const before = await contactCount();
    const batch: Mutation[] = Array.from({ length: 100 }, (_, i) =>
      i === 50
        ? { type: 'contact.update', idempotencyKey: key(), payload: { contactId: 'con_missing', name: 'x' } }
        : { type: 'contact.create', idempotencyKey: key(), payload: { name: `Batch ${i}`, phone: `+1310555${(8000 + i).toString()}` } },
    );
    let commits = 0;
    const stop = onCommitted(t.cloud.db, (event) => void (event.a === DEMO_ACCOUNT_ID && (commits += 1)));
    const pushed = await pushAs(jordan, batch).finally(stop);
    // Before: one transaction (and one sequence bump, one NOTIFY) per mutation — 99 commits.
    expect(commits).toBeLessThanOrEqual(Math.ceil(100 / PUSH_CHUNK));
    expect(pushed.results.filter((r) => r.status === 'applied')).toHaveLength(99);
    expect(pushed.results[50]).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' });
    expect(await contactCount()).toBe(before + 99);
    // Every created contact got its own sequence number: a pull from before sees each once.
    const { pages } = await pullAll(jordan, start.cursor, 5000);
    const created = pages.flatMap((p) => p.changes.contacts).filter((c) => c.name.startsWith('Batch '));
    expect(new Set(created.map((c) => c.id)).size).toBe(99);
    const again = await pushAs(jordan, batch);
    expect(again.results.every((r, i) => r.replayed && r.status === pushed.results[i]!.status)).toBe(true);
    expect(await contactCount()).toBe(before + 99);
  });

  it('answers a key repeated inside one chunk as its first use, and undoes only the refused mutation of a chunk', async () => {
    const before = await contactCount();
    const repeated: Mutation = { type: 'contact.create', idempotencyKey: key(), payload: { name: 'Repeated once', phone: null } };
    const batch: Mutation[] = [
      repeated,
      { type: 'contact.create', idempotencyKey: key(), payload: { name: 'Chunk neighbour', phone: null } },
      repeated,
      { ...repeated, payload: { name: 'Same key, other payload', phone: null } },
      // The last of the chunk refused: the chunk is applied again with a savepoint for it alone.
      { type: 'contact.update', idempotencyKey: key(), payload: { contactId: 'con_missing', name: 'x' } },
    ];
    const pushed = await pushAs(jordan, batch);
    expect(pushed.results.map((r) => [r.status, r.replayed])).toEqual([['applied', false], ['applied', false], ['applied', true], ['rejected', false], ['rejected', false]]);
    expect(pushed.results[2]).toMatchObject({ entityId: (pushed.results[0] as { entityId: string }).entityId });
    expect(pushed.results[3]).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(pushed.results[4]).toMatchObject({ code: 'NOT_FOUND' });
    expect(await contactCount()).toBe(before + 2);
    const names = await t.cloud.db.query<{ name: string }>(`SELECT name FROM contacts WHERE name IN ('Repeated once', 'Chunk neighbour', 'Same key, other payload') ORDER BY name`);
    expect(names.map((r) => r.name)).toEqual(['Chunk neighbour', 'Repeated once']);
    const events = await t.cloud.db.query(`SELECT 1 FROM domain_events WHERE type = 'contact.created' AND contact_id = $1`, [(pushed.results[0] as { entityId: string }).entityId]);
    expect(events).toHaveLength(1);
    // The whole push again: every result replayed as stored, nothing new.
    const again = await pushAs(jordan, batch);
    expect(again.results.map((r) => r.status)).toEqual(pushed.results.map((r) => r.status));
    expect(again.results.filter((r) => r.status === 'applied').every((r) => r.replayed)).toBe(true);
    expect(await contactCount()).toBe(before + 2);
  });

  it('stores refusals as results, refuses a reused key with another payload, validates the batch', async () => {
    const forbidden: Mutation = { type: 'disposition.create', idempotencyKey: key(), payload: { label: 'Receptionist idea' } };
    const r1 = await pushAs(jordan, [forbidden]);
    expect(r1.results[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN', replayed: false });
    const r2 = await pushAs(jordan, [forbidden]);
    expect(r2.results[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN', replayed: true });
    expect(await t.cloud.db.query(`SELECT 1 FROM dispositions WHERE label = 'Receptionist idea'`)).toHaveLength(0);

    const reused = await pushAs(jordan, [{ ...forbidden, payload: { label: 'Other' } }]);
    expect(reused.results[0]).toMatchObject({ status: 'rejected', code: 'IDEMPOTENCY_KEY_REUSED' });

    // A batch mixing applied and refused mutations: each gets its own result, in order.
    const contacts = (await t.api(jordan, 'GET', '/v1/contacts?limit=1')).body as { id: string }[];
    const mixed = await pushAs(admin, [
      { type: 'disposition.create', idempotencyKey: key(), payload: { label: 'Consult booked' } },
      { type: 'contact.update', idempotencyKey: key(), payload: { contactId: 'con_missing', name: 'x' } },
      { type: 'contact.update', idempotencyKey: key(), payload: { contactId: contacts[0]!.id, tags: ['vip'] } },
    ]);
    expect(mixed.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(mixed.results[1]).toMatchObject({ code: 'NOT_FOUND' });

    const bad = await t.api(jordan, 'POST', '/v1/sync/push', { mutations: [{ type: 'call.explode', idempotencyKey: key(), payload: {} }] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect((await t.api(jordan, 'POST', '/v1/sync/push', { mutations: [] })).status).toBe(400);
  });

  it('pokes connected sockets when something they can see changes, and only them for private things', async () => {
    const jordanSocket = await t.socket(jordan);
    const hello = await jordanSocket.next('hello');
    expect(hello.userId).toBe(DEMO_USERS.receptionist.id);
    const averySocket = await t.socket((await t.login('receptionist2')).accessToken);
    const averyHello = await averySocket.next('hello');

    const list = (await t.api(admin, 'GET', '/v1/dispositions')).body as { id: string }[];
    await t.api(admin, 'PATCH', `/v1/dispositions/${list[0]!.id}`, { label: 'Booked (paid)' });
    // This change's poke is the one past the hello's cursor: a poke for a change the hello already
    // covered (the previous test's, its notification late on a busy machine) may come first, and
    // costs a client nothing (it skips a pull its cursor covers).
    const poke = await jordanSocket.next('changed', (m) => m.entities.includes('dispositions') && m.cursor > hello.cursor);
    await averySocket.next('changed', (m) => m.entities.includes('dispositions') && m.cursor > averyHello.cursor);

    // Marking one's own notification read concerns only that user.
    const notes = (await t.api(jordan, 'GET', '/v1/notifications')).body as { id: string }[];
    const targetCursor = (await t.api(jordan, 'POST', `/v1/notifications/${notes[0]!.id}/read`)).status;
    expect(targetCursor).toBe(200);
    await jordanSocket.next('changed', (m) => m.entities.includes('notifications'));
    // Avery's next poke (a shared change) must not have carried Jordan's notification change.
    await t.api(admin, 'PATCH', `/v1/dispositions/${list[0]!.id}`, { label: 'Booked' });
    await averySocket.next('changed', (m) => m.cursor > poke.cursor && m.entities.includes('dispositions'));
    expect(averySocket.messages.some((m) => m.type === 'changed' && m.entities.includes('notifications'))).toBe(false);

    jordanSocket.ws.send(JSON.stringify({ type: 'ping' }));
    await jordanSocket.next('pong');
    jordanSocket.close();
    averySocket.close();
  });

  it('refuses a socket without a valid token and closes it when the session is signed out', async () => {
    await expect(t.socket('not.a.token')).rejects.toThrow(/websocket refused: 401/);
    const session = await t.login('receptionist2');
    const socket = await t.socket(session.accessToken);
    await socket.next('hello');
    const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));
    await t.api(session.accessToken, 'POST', '/v1/auth/logout');
    await socket.next('session-revoked');
    expect(await closed).toBe(4001);
  });

  it('shares pokes between API instances through LISTEN/NOTIFY', async () => {
    // A second instance on the same database: PostgreSQL through its URL; PGlite (one process) shares the handle.
    const second = await startCloud({
      config: { ...t.cloud.config, port: 0 },
      ...(backend === 'pglite' ? { db: t.cloud.db } : {}),
    });
    try {
      const socket = await t.socket(jordan); // on instance one
      await socket.next('hello');
      const adminOnSecond = await fetch(second.url + '/v1/auth/login', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_USERS.admin.email, password: 'glow-demo-2024' }),
      }).then((r) => r.json() as Promise<{ accessToken: string }>);
      const created = await fetch(second.url + '/v1/dispositions', {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminOnSecond.accessToken}` },
        body: JSON.stringify({ label: 'From instance two' }),
      });
      expect(created.status).toBe(201);
      const poke = await socket.next('changed', (m) => m.entities.includes('dispositions') && m.cursor > 0);
      const delta = pullResponseSchema.parse((await t.api(jordan, 'GET', `/v1/sync/pull?cursor=${poke.cursor - 1}`)).body);
      expect(delta.changes.dispositions.map((d) => d.label)).toContain('From instance two');
      socket.close();
    } finally {
      await second.stop();
    }
  });
});
