import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { DEMO_PASSWORD, DEMO_USERS, sandboxConfig, startCloud, totpCodeAt, type OutgoingEmail, type OutgoingSms, type RunningCloud } from '../../src/cloud/index';
import type { CloudConfig } from '../../src/cloud/config';
import {
  startResultSchema,
  totpBeginResultSchema,
  totpConfirmResultSchema,
  twoFactorPaths,
  verificationStatusSchema,
  verifyResultSchema,
  type StartChallengeRequest,
} from '../../src/shared/cloud/twofa';
import { fastArgon, testPostgres, type Backend } from './cloud-harness';
import { testSchemaTemplate } from './schema-template';

export type Who = keyof typeof DEMO_USERS;

/** A manual clock: every rule that depends on time is tested by moving it, never by sleeping. */
export class ManualClock {
  constructor(public ms = Date.parse('2025-03-03T09:00:00.000Z')) {}
  now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** Delivery adapters that record what would have been sent (and can be told to fail). */
export class RecordingOutbox {
  readonly emails: OutgoingEmail[] = [];
  readonly sms: OutgoingSms[] = [];
  failEmail = false;
  failSms = false;
  readonly emailSender = {
    send: async (mail: OutgoingEmail) => {
      if (this.failEmail) throw new Error('SMTP down');
      this.emails.push(mail);
    },
  };
  readonly smsSender = {
    send: async (sms: OutgoingSms) => {
      if (this.failSms) throw new Error('Twilio down');
      this.sms.push(sms);
    },
  };
  /** Everything addressed to `to`, email or SMS. */
  to(to: string): { body: string }[] {
    return [...this.emails.filter((m) => m.to === to).map((m) => ({ body: m.text })), ...this.sms.filter((m) => m.to === to)];
  }
  /** The 6-digit code of the newest message to `to`. */
  lastCode(to: string): string {
    const all = this.to(to);
    const body = all[all.length - 1]?.body ?? '';
    const match = /\b(\d{6})\b/.exec(body);
    if (!match) throw new Error(`no code sent to ${to}; sent: ${JSON.stringify(all)}`);
    return match[1]!;
  }
  get count(): number {
    return this.emails.length + this.sms.length;
  }
}

export interface TwoFactorCloud {
  cloud: RunningCloud;
  clock: ManualClock;
  outbox: RecordingOutbox;
  token(who: Who): Promise<string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  status(who: Who, member?: Who): Promise<z.infer<typeof verificationStatusSchema>>;
  start(who: Who, request: StartChallengeRequest): Promise<z.infer<typeof startResultSchema>>;
  resend(who: Who, id: string): Promise<z.infer<typeof startResultSchema>>;
  verify(who: Who, id: string, code: string): Promise<z.infer<typeof verifyResultSchema>>;
  /** Begins the first authenticator with the password re-entered (the demo password unless given). */
  totpBegin(who: Who, password?: string): Promise<z.infer<typeof totpBeginResultSchema>>;
  totpConfirm(who: Who, code: string): Promise<z.infer<typeof totpConfirmResultSchema>>;
  /** Enrols an authenticator for a user with no channel; returns the secret and backup codes. Phone changes it approves in the next 24 h are held. */
  enrolTotp(who: Who): Promise<{ secret: string; backupCodes: string[] }>;
  totpCode(secret: string, offsetSteps?: number): string;
  /** Verifies the user's email through the real flow. */
  verifyEmail(who: Who): Promise<void>;
  /** Audit actions about a user, oldest first. */
  audit(userId: string): Promise<string[]>;
  /** Forget all 2FA state of every user (property tests reuse one cloud). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const email = (who: Who): string => DEMO_USERS[who].email;
export const userId = (who: Who): string => DEMO_USERS[who].id;

export async function startTwoFactorCloud(backend: Backend, overrides: Partial<CloudConfig> = {}): Promise<TwoFactorCloud> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aesthetix-2fa-'));
  const databaseUrl = backend === 'postgres' ? await (await testPostgres()).createSchemaDatabase('twofa') : undefined;
  const clock = new ManualClock();
  const outbox = new RecordingOutbox();
  const config = { ...sandboxConfig({ dataDir: backend === 'pglite' ? 'memory://' : dataDir, logLevel: 'silent', argon2: fastArgon, databaseUrl }), ...overrides, databaseUrl };
  const cloud = await startCloud({ config, seed: true, pgliteTemplate: testSchemaTemplate, twoFactor: { now: clock.now, email: outbox.emailSender, sms: outbox.smsSender } });
  const tokens = new Map<Who, string>();

  const api: TwoFactorCloud['api'] = async (token, method, path, body) => {
    const response = await fetch(cloud.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const token = async (who: Who): Promise<string> => {
    const cached = tokens.get(who);
    if (cached) return cached;
    const response = await fetch(cloud.url + '/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_USERS[who].email, password: DEMO_PASSWORD, deviceName: 'twofa-test' }),
    });
    const body = (await response.json()) as { accessToken: string };
    tokens.set(who, body.accessToken);
    return body.accessToken;
  };
  const call = async <S extends z.ZodType>(who: Who, method: string, path: string, body: unknown, schema: S): Promise<z.output<S>> => {
    const res = await api(await token(who), method, path, body);
    if (res.status !== 200) throw Object.assign(new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`), { status: res.status, body: res.body });
    return schema.parse(res.body);
  };

  const t: TwoFactorCloud = {
    cloud,
    clock,
    outbox,
    token,
    api,
    status: (who, member) => call(who, 'GET', member ? twoFactorPaths.memberStatus(userId(member)) : twoFactorPaths.status, undefined, verificationStatusSchema),
    start: (who, request) => call(who, 'POST', twoFactorPaths.challenges, request, startResultSchema),
    resend: (who, id) => call(who, 'POST', twoFactorPaths.resend(id), undefined, startResultSchema),
    verify: (who, id, code) => call(who, 'POST', twoFactorPaths.verify(id), { code }, verifyResultSchema),
    totpBegin: (who, password = DEMO_PASSWORD) => call(who, 'POST', twoFactorPaths.totpBegin, { password }, totpBeginResultSchema),
    totpConfirm: (who, code) => call(who, 'POST', twoFactorPaths.totpConfirm, { code }, totpConfirmResultSchema),
    totpCode: (secret, offsetSteps = 0) => totpCodeAt(secret, clock.ms + offsetSteps * 30_000),
    async enrolTotp(who) {
      const begun = await t.totpBegin(who);
      if (begun.status !== 'pending') throw new Error(`totp begin refused: ${begun.message}`);
      const confirmed = await t.totpConfirm(who, t.totpCode(begun.enrolment.secret));
      if (confirmed.status !== 'enabled') throw new Error(`totp confirm refused: ${confirmed.message}`);
      // The confirming code's step is spent: move to the next step so tests start clean.
      clock.advance(30);
      return { secret: begun.enrolment.secret, backupCodes: confirmed.backupCodes };
    },
    async verifyEmail(who) {
      const started = await t.start(who, { purpose: 'verify_email' });
      if (started.status !== 'started') throw new Error(`verify_email refused: ${started.message}`);
      const result = await t.verify(who, started.challenge.id, outbox.lastCode(email(who)));
      if (result.status !== 'verified') throw new Error(`verify_email failed: ${result.message}`);
    },
    async audit(id) {
      const rows = await cloud.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 OR entity_id IN (SELECT id FROM two_factor_challenges WHERE user_id = $1) ORDER BY id`, [id]);
      return rows.map((r) => r.action);
    },
    async reset() {
      for (const table of ['held_phone_changes', 'two_factor_failures', 'two_factor_challenges', 'user_backup_codes', 'user_totp', 'user_verified_channels']) {
        await cloud.db.query(`DELETE FROM ${table}`);
      }
      await cloud.db.query(`UPDATE users SET phone = NULL`);
      // The call policy back to its default (the practice's own country): it decides where codes may be texted.
      await cloud.db.query(`UPDATE accounts SET call_countries = NULL`);
      outbox.emails.length = 0;
      outbox.sms.length = 0;
    },
    async stop() {
      await cloud.stop();
      await rm(dataDir, { recursive: true, force: true });
      // Sandbox mode keeps its generated server keys beside the data folder.
      await rm(`${dataDir}.keys.json`, { force: true });
    },
  };
  return t;
}
