/**
 * The attacks of issue [security] against the cloud, each replayed on both backends. Which test
 * covers which numbered item is said in each describe's name.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
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

describe.each(backends)('#5 no credential in any log line, on %s', (backend) => {
  const lines: string[] = [];
  const logStream = { write: (line: string) => void lines.push(line) };
  const emails: { to: string; text: string }[] = [];
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud(backend, { logLevel: 'trace' }, { logStream, twoFactor: { email: { send: async (m) => void emails.push(m) }, sms: null } });
  });
  afterAll(async () => t?.stop());

  it('a whole session — sign-in, refresh, API calls, Voice token, realtime by header and by ticket, a token put in a URL, 2FA, webhooks, sign-out — leaves no token in the log', async () => {
    const issued: string[] = [DEMO_PASSWORD, 'wrong-password-guess'];
    expect((await login(t, DEMO_USERS.receptionist.email, 'wrong-password-guess')).status).toBe(401);
    const signIn = await t.login('receptionist');
    issued.push(signIn.accessToken, signIn.refreshToken);
    expect((await t.api(signIn.accessToken, 'GET', '/v1/me')).status).toBe(200);
    const refreshed = await t.api(undefined, 'POST', '/v1/auth/refresh', { refreshToken: signIn.refreshToken });
    expect(refreshed.status).toBe(200);
    const token = refreshed.body.accessToken as string;
    issued.push(token, refreshed.body.refreshToken);
    expect((await t.api(token, 'GET', '/v1/calls?limit=5&before=abc')).status).toBeLessThan(500);
    const voice = await t.api(token, 'POST', '/v1/twilio/token');
    issued.push(voice.body.token);

    const socket = await t.socket(token);
    await socket.next('hello');
    socket.close();
    const ticket = await t.api(token, 'POST', '/v1/realtime/tickets');
    expect(ticket.status).toBe(201);
    issued.push(ticket.body.ticket);
    const wsBase = t.cloud.url.replace('http', 'ws') + '/v1/realtime';
    expect(await openSocket(`${wsBase}?ticket=${ticket.body.ticket}`)).toBe('open');
    // One socket per ticket, and the old ?access_token= is refused — and neither shows up in the log.
    expect(await openSocket(`${wsBase}?ticket=${ticket.body.ticket}`)).toBe(401);
    expect(await openSocket(`${wsBase}?access_token=${token}`)).toBe(401);
    expect((await t.api(`${token}x`, 'GET', '/v1/me')).status).toBe(401);

    const started = await t.api(token, 'POST', '/v1/2fa/challenges', { purpose: 'verify_email' });
    expect(started.body.status).toBe('started');
    const code = /\b(\d{6})\b/.exec(emails.at(-1)!.text)![1]!;
    issued.push(code);
    expect((await t.api(token, 'POST', `/v1/2fa/challenges/${started.body.challenge.id}/verify`, { code })).body.status).toBe('verified');

    expect((await t.webhook('/twilio/voice/inbound', { CallSid: 'CA'.padEnd(34, '1'), AccountSid: t.cloud.config.twilio.accountSid, From: '+13105552000', To: '+13105550100' })).status).toBe(200);
    expect((await t.webhook('/twilio/voice/inbound', { CallSid: 'CA'.padEnd(34, '2'), AccountSid: t.cloud.config.twilio.accountSid, From: '+1', To: '+1' }, 'forged')).status).toBe(403);
    issued.push(t.cloud.config.twilio.authToken);
    expect((await t.api(token, 'POST', '/v1/auth/logout')).status).toBe(204);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(25);
    expect(log).toContain('incoming request');
    expect(log).toContain('/v1/realtime?ticket=[redacted]');
    expect(log).toContain('/v1/realtime?access_token=[redacted]');
    for (const secret of issued) {
      expect(secret.length).toBeGreaterThan(5);
      expect(log.includes(secret), `a credential (${secret.slice(0, 6)}…) is in the log`).toBe(false);
    }
    // JWTs are long: no recognisable third of one either (the signature part).
    for (const jwt of [signIn.accessToken, token, voice.body.token as string]) expect(log.includes(jwt.split('.')[2]!)).toBe(false);
  });
});

function openSocket(url: string): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}
