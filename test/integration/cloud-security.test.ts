/**
 * The attacks of issue [security] against the cloud, each replayed on both backends. Which test
 * covers which numbered item is said in each describe's name.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { hashPassword } from '../../src/cloud/auth/passwords';
import type { CloudConfig } from '../../src/cloud/config';
import { DEMO_ACCOUNT_ID, sandboxConfig, startCloud, type RunningCloud } from '../../src/cloud/index';
import { hashCode, normaliseBackupCode, seal } from '../../src/cloud/twofa/codes';
import { totpCodeAt } from '../../src/cloud/twofa/totp';
import { backends, DEMO_PASSWORD, DEMO_USERS, fastArgon, startTestCloud, stopTestPostgres, testPostgres, type TestCloud } from '../support/cloud-harness';
import { testSchemaTemplate } from '../support/schema-template';

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

  describe('a session issued in-process (the embedded default signs its demo receptionist in without a password)', () => {
    it('is a whole session: audited, usable, refreshed and ended like one from the sign-in route; an unknown email gets none', async () => {
      const user = DEMO_USERS.receptionist;
      const attempts = () => t.cloud.db.query(`SELECT 1 FROM login_attempts WHERE email = $1`, [user.email]);
      const attemptsBefore = (await attempts()).length;
      const issued = await t.cloud.signInInProcess({ email: user.email, deviceName: 'front desk' });
      expect(issued.user).toMatchObject({ id: user.id, email: user.email });
      expect((await t.api(issued.accessToken, 'GET', '/v1/me')).body).toMatchObject({ id: user.id });
      const audit = await t.cloud.db.query<{ details: Record<string, unknown> }>(`SELECT details FROM audit_log WHERE entity_id = $1 AND action = 'auth.login'`, [issued.sessionId]);
      expect(audit.map((a) => a.details)).toEqual([{ deviceName: 'front desk', ip: 'in-process', how: 'in-process' }]);
      // No password was tried: the sign-in limit's count is untouched.
      expect(await attempts()).toHaveLength(attemptsBefore);
      const refreshed = await t.api(undefined, 'POST', '/v1/auth/refresh', { refreshToken: issued.refreshToken });
      expect(refreshed.status).toBe(200);
      expect((await t.api(refreshed.body.accessToken, 'POST', '/v1/auth/logout')).status).toBeLessThan(300);
      expect((await t.api(undefined, 'POST', '/v1/auth/refresh', { refreshToken: refreshed.body.refreshToken })).status).toBe(401);
      await expect(t.cloud.signInInProcess({ email: 'nobody@glowmedspa.example', deviceName: 'x' })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
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

  it('a whole session — sign-in, refresh, API calls, Voice token, realtime by header and by ticket, a token put in a URL, 2FA, webhooks, secrets in URL paths, sign-out — leaves no token in the log', async () => {
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

    // Capabilities in a URL's path: a workflow's inbound-webhook secret (also sent with the wrong
    // method and a stray slash, which find no route), a media file's public token.
    const admin = (await t.login('admin')).accessToken;
    const workflow = await t.api(admin, 'POST', '/v1/workflows', { name: 'Inbound hook' });
    const hookSecret = (await t.api(admin, 'POST', `/v1/workflows/${workflow.body.id}/webhook-secret`)).body.secret as string;
    issued.push(hookSecret);
    const hookUrl = `${t.cloud.url}/hooks/workflows/${workflow.body.id}/${hookSecret}`;
    expect((await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })).status).toBe(409);
    expect((await fetch(hookUrl)).status).toBe(404);
    expect((await fetch(`${hookUrl}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const uploaded = await fetch(`${t.cloud.url}/v1/media?name=price-list.pdf`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/pdf' }, body: pdf });
    const mediaPath = new URL(((await uploaded.json()) as { url: string }).url).pathname;
    issued.push(mediaPath.split('/')[2]!);
    expect((await fetch(t.cloud.url + mediaPath)).status).toBe(200);
    // Every route the table marks as carrying a secret in its path (tracked links, open pixels, any
    // new one), requested with a value of its own: none of them reaches the log either.
    const openApi = (await t.api(undefined, 'GET', '/v1/openapi.json')).body as { paths: Record<string, Record<string, { parameters: { name: string; in: string; 'x-secret'?: boolean }[] }>> };
    const secretRoutes: string[] = [];
    for (const [path, operations] of Object.entries(openApi.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const secretNames = operation.parameters.filter((p) => p.in === 'path' && p['x-secret']).map((p) => p.name);
        if (secretNames.length === 0) continue;
        const url = path.replace(/\{(\w+)\}/g, (_all, name: string) => {
          if (!secretNames.includes(name)) return 'x';
          const value = `walk${randomBytes(12).toString('hex')}`;
          issued.push(value);
          return name === 'file' ? `${value}.gif` : value;
        });
        secretRoutes.push(`${method.toUpperCase()} ${path}`);
        expect((await fetch(t.cloud.url + url, { method: method.toUpperCase() })).status).toBeLessThan(500);
      }
    }
    expect(secretRoutes.sort()).toEqual(expect.arrayContaining(['GET /l/{token}', 'GET /media/{token}/{name}', 'GET /o/{file}', 'POST /hooks/workflows/{id}/{secret}']));
    expect((await t.api(token, 'POST', '/v1/auth/logout')).status).toBe(204);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(25);
    expect(log).toContain('incoming request');
    expect(log).toContain('/v1/realtime?ticket=[redacted]');
    expect(log).toContain('/v1/realtime?access_token=[redacted]');
    expect(log).toContain(`/hooks/workflows/${workflow.body.id}/[redacted]`);
    expect(log).toContain('/media/[redacted]/price-list.pdf');
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

describe.each(backends)('#7 server keys outside the database, with rotation, on %s', (backend) => {
  let dir: string;
  let databaseUrl: string | undefined;
  const config = (extra: Partial<CloudConfig> = {}): CloudConfig =>
    ({ ...sandboxConfig({ dataDir: join(dir, 'db'), databaseUrl, logLevel: 'silent', argon2: fastArgon }), ...extra }) as CloudConfig;
  const keysFile = () => `${join(dir, 'db')}.keys.json`;
  const api = async (cloud: RunningCloud, token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(cloud.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  };
  const signIn = async (cloud: RunningCloud): Promise<string> => {
    const res = await fetch(cloud.url + '/v1/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_USERS.receptionist.email, password: DEMO_PASSWORD }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const kidOf = (jwt: string): string => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aesthetix-keys-'));
    databaseUrl = backend === 'postgres' ? await (await testPostgres()).createSchemaDatabase('keys') : undefined;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps no key in the database; keys of an earlier version move out and keep working; rotation keeps old tokens valid while the old key is listed', async () => {
    // A fresh start: keys in a 0600 file beside the data folder, none in the database.
    const first = await startCloud({ config: config(), seed: true, pgliteTemplate: testSchemaTemplate });
    const userId = DEMO_USERS.receptionist.id;
    const legacySecrets = { jwt: randomBytes(48).toString('base64url'), hmac: randomBytes(32), totp: randomBytes(32) };
    const totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const backupCode = 'abcde-fghjk';
    let legacyToken: string;
    try {
      expect(await first.db.query(`SELECT name FROM server_secrets`)).toEqual([]);
      expect((await stat(keysFile())).mode & 0o777).toBe(0o600);
      expect(kidOf(await signIn(first))).toMatch(/^k\d{8}-/);

      // What an earlier version left behind: its keys in server_secrets, data made with them.
      await first.db.query(`INSERT INTO server_secrets (name, value) VALUES ('jwt', $1), ('twofa-hmac', $2), ('twofa-totp', $3)`, [
        legacySecrets.jwt, legacySecrets.hmac.toString('base64url'), legacySecrets.totp.toString('base64url'),
      ]);
      await first.db.query(`INSERT INTO user_totp (user_id, secret_sealed, enabled_at, last_used_step) VALUES ($1, $2, now() - interval '30 days', 0)`, [userId, seal(legacySecrets.totp, totpSecret)]);
      await first.db.query(`INSERT INTO user_backup_codes (user_id, code_hash, created_at) VALUES ($1, $2, now())`, [userId, hashCode(legacySecrets.hmac, userId, normaliseBackupCode(backupCode))]);
      const session = (await first.db.query<{ id: string }>(`SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL LIMIT 1`, [userId]))[0]!.id;
      const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
      const body = Buffer.from(JSON.stringify({ sub: userId, acc: DEMO_ACCOUNT_ID, role: 'user', sid: session, iat: 1, exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
      legacyToken = `${header}.${body}.${createHmac('sha256', legacySecrets.jwt).update(`${header}.${body}`).digest('base64url')}`;
    } finally {
      await first.stop();
    }

    // Started with operator-provided keys (CLOUD_KEYS), it refuses until the old keys are taken out of the database.
    await expect(startCloud({ config: config({ keys: `op1:${randomBytes(32).toString('base64url')}` }) })).rejects.toThrow(/export-legacy/);

    // The sandbox's own key file takes them in (verification only) and the rows go.
    const second = await startCloud({ config: config() });
    let rotatedToken: string;
    try {
      expect(await second.db.query(`SELECT name FROM server_secrets`)).toEqual([]);
      const file = JSON.parse(await readFile(keysFile(), 'utf8')) as { keys: { id: string }[] };
      expect(file.keys.map((k) => k.id).at(-1)).toBe('legacy-db');
      expect((await api(second, legacyToken, 'GET', '/v1/me')).status).toBe(200);
      // The authenticator secret was re-sealed under the current key and still answers; so does the old backup code.
      const sealed = (await second.db.query<{ secret_sealed: string }>(`SELECT secret_sealed FROM user_totp WHERE user_id = $1`, [userId]))[0]!.secret_sealed;
      expect(sealed.startsWith(`${file.keys[0]!.id}.`)).toBe(true);
      const token = await signIn(second);
      const viaTotp = await api(second, token, 'POST', '/v1/2fa/challenges', { purpose: 'phone_change', newPhone: '+13105550177', channel: 'totp' });
      expect(viaTotp.body.status).toBe('started');
      expect((await api(second, token, 'POST', `/v1/2fa/challenges/${viaTotp.body.challenge.id}/verify`, { code: totpCodeAt(totpSecret, Date.now()) })).body.status).toBe('verified');
      const viaBackup = await api(second, token, 'POST', '/v1/2fa/challenges', { purpose: 'phone_change', newPhone: '+13105550188', channel: 'backup_code' });
      expect((await api(second, token, 'POST', `/v1/2fa/challenges/${viaBackup.body.challenge.id}/verify`, { code: backupCode })).body.status).toBe('verified');
      rotatedToken = token;
    } finally {
      await second.stop();
    }

    // Rotation: a new key goes first; tokens of the previous one stay valid while it is listed.
    const previous = JSON.parse(await readFile(keysFile(), 'utf8')) as { keys: { id: string; secret?: string }[] };
    const fresh = { id: 'k-rotated', secret: randomBytes(32).toString('base64url') };
    await writeFile(keysFile(), JSON.stringify({ keys: [fresh, ...previous.keys] }), { mode: 0o600 });
    const third = await startCloud({ config: config() });
    try {
      expect((await api(third, rotatedToken, 'GET', '/v1/me')).status).toBe(200);
      expect(kidOf(await signIn(third))).toBe('k-rotated');
    } finally {
      await third.stop();
    }
    // Once the old key is removed from the ring, what it signed is refused; data it sealed was re-sealed already.
    await writeFile(keysFile(), JSON.stringify({ keys: [fresh] }), { mode: 0o600 });
    const fourth = await startCloud({ config: config() });
    try {
      expect((await api(fourth, rotatedToken, 'GET', '/v1/me')).status).toBe(401);
      const token = await signIn(fourth);
      expect((await api(fourth, token, 'GET', '/v1/2fa/status')).body.totpEnabled).toBe(true);
    } finally {
      await fourth.stop();
    }
  });
});
