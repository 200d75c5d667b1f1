/**
 * The attacks of issue [security] against the cloud, each replayed on both backends. Which test
 * covers which numbered item is said in each describe's name.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/cloud/auth/passwords';
import { backends, DEMO_PASSWORD, DEMO_USERS, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

const login = (t: TestCloud, email: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${t.cloud.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password, deviceName: 'attack' }),
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as { code?: string } }));

describe.each(backends)('security on %s', (backend) => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud(backend, { loginMaxFailures: 5, argon2: { memoryCost: 2048, timeCost: 2 } });
  });
  afterAll(async () => t?.stop());
  beforeEach(async () => {
    await t.cloud.db.query(`DELETE FROM login_throttle`);
  });

  describe('#4 login rate limit: atomic, per account and per address, proxies not trusted by default', () => {
    it('100 concurrent wrong passwords for one account: at most the limit (5) are checked', async () => {
      const email = DEMO_USERS.receptionist2.email;
      const results = await Promise.all(Array.from({ length: 100 }, () => login(t, email, 'wrong-guess')));
      const checked = results.filter((r) => r.body.code === 'INVALID_CREDENTIALS').length;
      expect(checked).toBeLessThanOrEqual(5);
      expect(checked).toBeGreaterThan(0);
      expect(results.filter((r) => r.body.code === 'RATE_LIMITED').length).toBe(100 - checked);
      const failures = await t.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM login_attempts WHERE email = $1 AND NOT succeeded`, [email]);
      expect(failures[0]!.n).toBe(checked);
      // The right password is refused too while the account is limited.
      expect((await login(t, email, DEMO_PASSWORD)).body.code).toBe('RATE_LIMITED');
    });

    it('a changing X-Forwarded-For is not believed: 100 concurrent guesses at different accounts from one address, at most 4× the limit checked', async () => {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => login(t, `nobody${i}@glowmedspa.example`, 'guess', { 'x-forwarded-for': `203.0.113.${i}` })),
      );
      const checked = results.filter((r) => r.body.code === 'INVALID_CREDENTIALS').length;
      expect(checked).toBeLessThanOrEqual(20);
      expect(results.filter((r) => r.body.code === 'RATE_LIMITED').length).toBe(100 - checked);
      const ips = await t.cloud.db.query<{ ip: string }>(`SELECT DISTINCT ip FROM login_attempts WHERE email LIKE 'nobody%'`);
      expect(ips.map((r) => r.ip)).toEqual(['127.0.0.1']);
    });

    it('a successful sign-in restarts the account’s count', async () => {
      const email = DEMO_USERS.admin.email;
      for (let i = 0; i < 4; i++) expect((await login(t, email, 'wrong')).body.code).toBe('INVALID_CREDENTIALS');
      expect((await login(t, email, DEMO_PASSWORD)).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await login(t, email, 'wrong')).body.code).toBe('INVALID_CREDENTIALS');
      expect((await login(t, email, 'wrong')).body.code).toBe('RATE_LIMITED');
    });
  });

  describe('password hashing: argon2id at or above the configured (OWASP) cost, upgraded at the next sign-in', () => {
    it('re-hashes a weaker stored hash once the password is known', async () => {
      const user = DEMO_USERS.receptionist;
      const weak = await hashPassword(DEMO_PASSWORD, { memoryCost: 1024, timeCost: 1 });
      await t.cloud.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [user.id, weak]);
      expect((await login(t, user.email, DEMO_PASSWORD)).status).toBe(200);
      const stored = (await t.cloud.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1`, [user.id]))[0]!.password_hash;
      expect(stored).toMatch(/^\$argon2id\$v=19\$m=2048,p=1,t=2\$/);
      const audit = await t.cloud.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'auth.password_rehashed'`, [user.id]);
      expect(audit).toHaveLength(1);
      expect((await login(t, user.email, DEMO_PASSWORD)).status).toBe(200);
      expect(await t.cloud.db.query(`SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'auth.password_rehashed'`, [user.id])).toHaveLength(1);
    });
  });
});

describe.each(backends)('#4 with TRUST_PROXY set on %s', (backend) => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud(backend, { loginMaxFailures: 2, trustProxy: ['127.0.0.1'] });
  });
  afterAll(async () => t?.stop());

  it('believes X-Forwarded-For from the configured proxy: each client address has its own limit', async () => {
    for (let i = 0; i < 8; i++) expect((await login(t, `a${i}@x.example`, 'guess', { 'x-forwarded-for': '198.51.100.7' })).body.code).toBe('INVALID_CREDENTIALS');
    expect((await login(t, 'a9@x.example', 'guess', { 'x-forwarded-for': '198.51.100.7' })).body.code).toBe('RATE_LIMITED');
    expect((await login(t, 'a9@x.example', 'guess', { 'x-forwarded-for': '198.51.100.8' })).body.code).toBe('INVALID_CREDENTIALS');
    const ips = await t.cloud.db.query<{ ip: string }>(`SELECT DISTINCT ip FROM login_attempts ORDER BY ip`);
    expect(ips.map((r) => r.ip)).toEqual(['198.51.100.7', '198.51.100.8']);
  });
});
