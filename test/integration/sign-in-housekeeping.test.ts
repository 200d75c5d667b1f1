import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUSEKEEPING_CRON, HOUSEKEEPING_QUEUE, purgeDeadSignIns } from '../../src/cloud/auth/housekeeping-job';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

/**
 * Sign-in rows that can never be used again are deleted (auth/housekeeping-job.ts): refresh tokens a
 * day past expiry, sessions left with no token, old sign-in attempts. What can still be used, or
 * still tells reuse from a stranger's guess, is kept.
 */
describe.each(backends)('sign-in housekeeping on %s', (backend) => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud(backend);
  }, 120_000);
  afterAll(async () => t?.stop());

  const log = pino({ level: 'silent' });
  const purge = () => purgeDeadSignIns({ db: t.cloud.db, log });
  const tokensOf = async (sessionId: string) =>
    (await t.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM refresh_tokens WHERE session_id = $1`, [sessionId]))[0]!.n;
  const sessionExists = async (sessionId: string) => (await t.cloud.db.query(`SELECT 1 FROM sessions WHERE id = $1`, [sessionId])).length === 1;
  /** Moves a session's start and all its tokens' expiry into the past, as if it were `days` old and its tokens long expired. */
  const age = async (sessionId: string, days: number) => {
    await t.cloud.db.query(`UPDATE sessions SET created_at = now() - make_interval(days => $2), last_used_at = now() - make_interval(days => $2) WHERE id = $1`, [sessionId, days]);
    await t.cloud.db.query(`UPDATE refresh_tokens SET expires_at = now() - make_interval(days => 2) WHERE session_id = $1`, [sessionId]);
  };

  it('a live session keeps its unexpired tokens, spent ones too (reuse is still caught), and only loses those past expiry', async () => {
    const first = await t.login('receptionist2');
    const second = await t.rotate(first.refreshToken);
    const third = await t.rotate(second.refreshToken);
    expect((await t.api(third.accessToken, 'GET', '/v1/me')).status).toBe(200);
    // The first token, long expired; the second is spent but within its lifetime.
    await t.cloud.db.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '2 days' WHERE session_id = $1 AND token_hash = (
         SELECT token_hash FROM refresh_tokens WHERE session_id = $1 ORDER BY created_at, expires_at LIMIT 1)`,
      [first.sessionId],
    );
    const before = await tokensOf(first.sessionId);
    expect(before).toBe(3);

    const purged = await purge();
    expect(purged.refreshTokens).toBeGreaterThanOrEqual(1);
    expect(await tokensOf(first.sessionId)).toBe(2);
    expect(await sessionExists(first.sessionId)).toBe(true);
    // The session goes on…
    const fourth = await t.rotate(third.refreshToken);
    expect((await t.api(fourth.accessToken, 'GET', '/v1/me')).status).toBe(200);
    // …and a kept spent token coming back is still reuse: the session ends.
    expect((await t.refresh(second.refreshToken)).body.code).toBe('REFRESH_TOKEN_REUSED');
    expect((await t.api(fourth.accessToken, 'GET', '/v1/me')).body.code).toBe('SESSION_REVOKED');
  });

  it('a session whose tokens have all expired goes, with its realtime tickets; a signed-out one goes only once its tokens have expired', async () => {
    const dead = await t.login('receptionist2');
    await t.cloud.db.query(`INSERT INTO realtime_tickets (ticket_hash, session_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [`housekeeping-${backend}`, dead.sessionId]);
    await age(dead.sessionId, 40);
    const signedOut = await t.login('receptionist2');
    expect((await t.api(signedOut.accessToken, 'POST', '/v1/auth/logout')).status).toBe(204);

    await purge();
    expect(await sessionExists(dead.sessionId)).toBe(false);
    expect(await tokensOf(dead.sessionId)).toBe(0);
    expect(await t.cloud.db.query(`SELECT 1 FROM realtime_tickets WHERE session_id = $1`, [dead.sessionId])).toEqual([]);
    // Signed out today: its token has not expired, so it stays (a desktop presenting it is told it was signed out).
    expect(await sessionExists(signedOut.sessionId)).toBe(true);
    expect((await t.refresh(signedOut.refreshToken)).body.code).toBe('SESSION_REVOKED');
    // Its expired token deleted, the purged session is a stranger's token: refused, nothing else.
    expect((await t.refresh(dead.refreshToken)).body.code).toBe('REFRESH_TOKEN_INVALID');

    await age(signedOut.sessionId, 31);
    await purge();
    expect(await sessionExists(signedOut.sessionId)).toBe(false);
  });

  it('a session begun in the last day is never taken for one with no tokens', async () => {
    const users = await t.cloud.db.query<{ id: string }>(`SELECT id FROM users WHERE deleted_at IS NULL LIMIT 1`);
    const id = `ses_housekeeping_${backend}`;
    // As a sign-in's transaction would have it for an instant: the session before its first token.
    await t.cloud.db.query(`INSERT INTO sessions (id, user_id, device_name) VALUES ($1, $2, 'Front desk')`, [id, users[0]!.id]);
    await purge();
    expect(await sessionExists(id)).toBe(true);
    await t.cloud.db.query(`UPDATE sessions SET created_at = now() - interval '2 days' WHERE id = $1`, [id]);
    await purge();
    expect(await sessionExists(id)).toBe(false);
  });

  it('sign-in attempts are kept 90 days; a second run finds nothing more to delete', async () => {
    const failed = await t.api(undefined, 'POST', '/v1/auth/login', { email: 'nobody@glowmedspa.example', password: 'not-the-password', deviceName: 'test' });
    expect(failed.status).toBe(401);
    const email = 'nobody@glowmedspa.example';
    await t.cloud.db.query(`INSERT INTO login_attempts (email, ip, succeeded, at) VALUES ($1, '127.0.0.1', false, now() - interval '91 days')`, [email]);
    const attempts = () => t.cloud.db.query<{ old: boolean }>(`SELECT at < now() - interval '90 days' AS old FROM login_attempts WHERE email = $1 ORDER BY at`, [email]);
    expect((await attempts()).map((a) => a.old)).toEqual([true, false]);

    expect((await purge()).loginAttempts).toBe(1);
    expect((await attempts()).map((a) => a.old)).toEqual([false]);
    expect(await purge()).toEqual({ refreshTokens: 0, sessions: 0, loginAttempts: 0 });
  });
});

describe('sign-in housekeeping runs by itself', () => {
  it('is scheduled daily on the cloud’s pg-boss (PGlite)', async () => {
    const t = await startTestCloud('pglite', {}, { automation: {} });
    try {
      const boss = t.cloud.automation!.engine.boss;
      expect((await boss.getSchedules(HOUSEKEEPING_QUEUE)).map((s) => [s.name, s.cron])).toEqual([[HOUSEKEEPING_QUEUE, HOUSEKEEPING_CRON]]);
    } finally {
      await t.stop();
    }
  }, 120_000);
});
