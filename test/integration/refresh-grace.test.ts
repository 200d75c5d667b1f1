import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REFRESH_GRACE_SECONDS } from '../../src/cloud/auth/sessions';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

/**
 * Issue #13 item 5: a crash (or a truncated response) right after the refresh token rotated must
 * not sign the receptionist out. The cloud accepts the immediately previous token for
 * REFRESH_GRACE_SECONDS when its successor was never used; any other replay is still reuse.
 */
describe.each(backends)('refresh-token grace on %s', (backend) => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud(backend);
  }, 120_000);
  afterAll(async () => t?.stop());

  const code = (res: { body: { code?: string } }) => res.body.code;

  it('a lost rotation response: the previous token works once more, and the lost successor is dead', async () => {
    const first = await t.login('receptionist2');
    await t.rotate(first.refreshToken); // the answer never reached the desktop
    const again = await t.rotate(first.refreshToken);
    expect(again.sessionId).toBe(first.sessionId);
    expect((await t.api(again.accessToken, 'GET', '/v1/me')).status).toBe(200);
    // The chain goes on from the pair the desktop kept.
    const next = await t.rotate(again.refreshToken);
    expect((await t.api(next.accessToken, 'GET', '/v1/me')).status).toBe(200);
  });

  it('someone presenting the lost successor afterwards is reuse: the session ends', async () => {
    const first = await t.login('receptionist2');
    const lost = await t.rotate(first.refreshToken);
    const kept = await t.rotate(first.refreshToken);
    expect(code(await t.refresh(lost.refreshToken))).toBe('REFRESH_TOKEN_REUSED');
    expect(code(await t.api(kept.accessToken, 'GET', '/v1/me'))).toBe('SESSION_REVOKED');
  });

  it('no grace once the successor’s access token was used', async () => {
    const first = await t.login('receptionist2');
    const second = await t.rotate(first.refreshToken);
    expect((await t.api(second.accessToken, 'GET', '/v1/me')).status).toBe(200);
    expect(code(await t.refresh(first.refreshToken))).toBe('REFRESH_TOKEN_REUSED');
    expect(code(await t.api(second.accessToken, 'GET', '/v1/me'))).toBe('SESSION_REVOKED');
  });

  it('a new pair\'s first requests, together, mark it used with one write, and the grace ends', async () => {
    const first = await t.login('receptionist2');
    const second = await t.rotate(first.refreshToken);
    const original = t.cloud.db.query.bind(t.cloud.db);
    // The mark's write is held a moment, so the three requests are all past their session check while it is in flight.
    const query = vi.spyOn(t.cloud.db, 'query').mockImplementation(async (sql, params) => {
      if (sql.includes('SET used_at')) await new Promise((resolve) => setTimeout(resolve, 100));
      return original(sql, params);
    });
    try {
      const answers = await Promise.all(['/v1/me', '/v1/me', '/v1/me'].map((path) => t.api(second.accessToken, 'GET', path)));
      expect(answers.map((res) => res.status)).toEqual([200, 200, 200]);
      expect(query.mock.calls.filter(([sql]) => sql.includes('SET used_at')).length).toBe(1);
    } finally {
      query.mockRestore();
    }
    expect(code(await t.refresh(first.refreshToken))).toBe('REFRESH_TOKEN_REUSED');
  });

  it('no grace once the successor itself was refreshed, nor for a token two rotations old', async () => {
    const first = await t.login('receptionist2');
    const second = await t.rotate(first.refreshToken);
    await t.rotate(second.refreshToken);
    expect(code(await t.refresh(first.refreshToken))).toBe('REFRESH_TOKEN_REUSED');
  });

  it(`no grace after ${REFRESH_GRACE_SECONDS} s`, async () => {
    const first = await t.login('receptionist2');
    await t.rotate(first.refreshToken);
    await t.cloud.db.query(
      `UPDATE refresh_tokens SET spent_at = spent_at - make_interval(secs => $2) WHERE session_id = $1 AND spent_at IS NOT NULL`,
      [first.sessionId, REFRESH_GRACE_SECONDS + 1],
    );
    expect(code(await t.refresh(first.refreshToken))).toBe('REFRESH_TOKEN_REUSED');
  });

  it('records the grace in the audit log', async () => {
    const first = await t.login('receptionist2');
    await t.rotate(first.refreshToken);
    await t.rotate(first.refreshToken);
    const rows = await t.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.refresh_grace' AND entity_id = $1`, [first.sessionId]);
    expect(rows[0]!.n).toBe(1);
  });
});
