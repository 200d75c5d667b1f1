/**
 * Settings → Email replies on both backends: what `GET /v1/email/inbound` tells an admin (URL,
 * secret, how to sign, whether the URL is only this computer's, when a message last arrived) and
 * `POST /v1/email/inbound/rotate` (the old secret stops at once, audited, rate-limited, the
 * practice's own only, admins only, the secret never logged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { write } from '../../src/cloud/db/unit-of-work';
import { newId } from '../../src/cloud/ids';
import { ROTATE_LIMIT, noteReceived } from '../../src/cloud/messaging/inbound-email-settings';
import { signInboundEmail } from '../../src/cloud/messaging/inbound-email-signature';
import { inboundEmailSettingsSchema, type InboundEmailSettings } from '../../src/shared/cloud';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { otherPracticeAdmin } from '../support/comms';

afterAll(stopTestPostgres);

const message = (messageId: string, inReplyTo?: string): Buffer =>
  Buffer.from([`From: bea@example.com`, 'To: hello@glowmedspa.example', 'Subject: Re: hi', `Message-ID: ${messageId}`, ...(inReplyTo ? [`In-Reply-To: ${inReplyTo}`] : []), '', 'Thanks', ''].join('\r\n'));

describe.each(backends)('Settings → Email replies on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  const lines: string[] = [];

  const settings = async (token: string): Promise<InboundEmailSettings> => {
    const res = await t.api(token, 'GET', '/v1/email/inbound');
    expect(res.status).toBe(200);
    return inboundEmailSettingsSchema.parse(res.body);
  };
  const post = (accountId: string, body: Buffer, secret: string) =>
    fetch(`${t.cloud.url}/hooks/email/inbound/${accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-aesthetix-signature': signInboundEmail(secret, body) },
      body,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  beforeAll(async () => {
    t = await startTestCloud(backend, { logLevel: 'trace' }, { logStream: { write: (line: string) => void lines.push(line) } });
    admin = (await t.login('admin')).accessToken;
  });
  afterAll(async () => t?.stop());

  it('shows the URL, the secret and how to sign; says the URL is this computer’s own; nothing received yet, then the last arrival and the last matched reply', async () => {
    const first = await settings(admin);
    expect(first).toMatchObject({
      url: `${t.cloud.publicUrl}/hooks/email/inbound/${DEMO_ACCOUNT_ID}`,
      signatureHeader: 'X-Aesthetix-Signature',
      signatureFormat: 't=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>',
      contentType: 'message/rfc822',
      toleranceSeconds: 300,
      loopback: true,
      lastReceivedAt: null,
      lastMatchedAt: null,
      rotatedAt: null,
    });

    expect((await post(DEMO_ACCOUNT_ID, message('<unmatched-1@mail.example>'), first.secret)).body).toMatchObject({ matched: false });
    const afterUnmatched = await settings(admin);
    expect(Date.now() - Date.parse(afterUnmatched.lastReceivedAt!)).toBeLessThan(60_000);
    expect(afterUnmatched.lastMatchedAt).toBeNull();

    // A reply to an email the practice sent: the last matched time too.
    await t.cloud.db.query(
      `INSERT INTO outbound_messages (id, account_id, channel, purpose, to_address, body, email_message_id) VALUES ($1, $2, 'email', 'contact', 'bea@example.com', 'b', '<sent-1@glowmedspa.example>')`,
      [newId('msg'), DEMO_ACCOUNT_ID],
    );
    expect((await post(DEMO_ACCOUNT_ID, message('<reply-1@mail.example>', '<sent-1@glowmedspa.example>'), first.secret)).body).toMatchObject({ matched: true, duplicate: false });
    const afterReply = await settings(admin);
    expect(afterReply.lastMatchedAt).not.toBeNull();
    expect(afterReply.secret).toBe(first.secret);
  });

  it('Rotate secret: a new secret at once, the old one refused, the demo inbox signs with the new one; audited without the secret; the secret never logged', async () => {
    const before = await settings(admin);
    const rotated = await t.api(admin, 'POST', '/v1/email/inbound/rotate');
    expect(rotated.status).toBe(200);
    const after = inboundEmailSettingsSchema.parse(rotated.body);
    expect(after.secret).not.toBe(before.secret);
    expect(after.url).toBe(before.url);
    expect(after.rotatedAt).not.toBeNull();
    expect(after.lastReceivedAt).toBe(before.lastReceivedAt);
    expect((await settings(admin)).secret).toBe(after.secret);

    const old = await post(DEMO_ACCOUNT_ID, message('<after-rotate-old@mail.example>'), before.secret);
    expect(old).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await t.cloud.db.query(`SELECT 1 FROM inbound_emails WHERE message_key = '<after-rotate-old@mail.example>'`)).toEqual([]);
    expect((await post(DEMO_ACCOUNT_ID, message('<after-rotate-new@mail.example>'), after.secret)).status).toBe(200);
    const door = await t.cloud.inboundEmailInProcess(DEMO_ACCOUNT_ID);
    const demo = message('<demo@demo-inbox.invalid>');
    expect((await fetch(door.url, { method: 'POST', headers: { 'content-type': 'message/rfc822', 'x-aesthetix-signature': door.sign(demo) }, body: demo })).status).toBe(200);

    // A second rotation: the first rotated secret stops too.
    const again = inboundEmailSettingsSchema.parse((await t.api(admin, 'POST', '/v1/email/inbound/rotate')).body);
    expect(again.secret).not.toBe(after.secret);
    expect((await post(DEMO_ACCOUNT_ID, message('<after-second@mail.example>'), after.secret)).status).toBe(403);

    const audit = await t.cloud.db.query<{ action: string; entity_id: string; details: unknown }>(
      `SELECT action, entity_id, details FROM audit_log WHERE account_id = $1 AND action = 'email.inbound_secret_rotated' ORDER BY id`,
      [DEMO_ACCOUNT_ID],
    );
    expect(audit.map((a) => a.entity_id)).toEqual([DEMO_ACCOUNT_ID, DEMO_ACCOUNT_ID]);
    expect(JSON.stringify(audit)).not.toContain(after.secret);
    const log = lines.join('');
    for (const secret of [before.secret, after.secret, again.secret]) expect(log).not.toContain(secret);
    // Only the generation is stored, never the secret.
    expect(JSON.stringify(await t.cloud.db.query(`SELECT * FROM inbound_email_settings`))).not.toContain(again.secret);
  });

  it('a message whose signature was checked just before a rotation committed is refused in its transaction (nothing recorded)', async () => {
    const other = await otherPracticeAdmin(t);
    // Checked against generation 0; a rotation lands; the write re-checks under the row's lock.
    expect((await t.api(other.token, 'POST', '/v1/email/inbound/rotate')).status).toBe(200);
    await expect(write(t.cloud.db, other.accountId, (uow) => noteReceived(uow, 0))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await settings(other.token)).lastReceivedAt).toBeNull();
  });

  it('scoped to the caller’s practice: another practice’s rotation leaves this one’s secret working; admins only', async () => {
    const mine = await settings(admin);
    const other = await otherPracticeAdmin(t);
    const theirs = await settings(other.token);
    const rotated = inboundEmailSettingsSchema.parse((await t.api(other.token, 'POST', '/v1/email/inbound/rotate')).body);
    expect(rotated.url).toBe(theirs.url);
    expect(rotated.secret).not.toBe(theirs.secret);
    expect((await settings(admin)).secret).toBe(mine.secret);
    expect((await post(DEMO_ACCOUNT_ID, message('<still-mine@mail.example>'), mine.secret)).status).toBe(200);
    // Their new secret signs nothing for this practice's URL.
    expect((await post(DEMO_ACCOUNT_ID, message('<theirs@mail.example>'), rotated.secret)).status).toBe(403);

    const receptionist = (await t.login('receptionist')).accessToken;
    expect((await t.api(receptionist, 'GET', '/v1/email/inbound')).status).toBe(403);
    expect((await t.api(receptionist, 'POST', '/v1/email/inbound/rotate')).status).toBe(403);
    expect((await t.api(undefined, 'POST', '/v1/email/inbound/rotate')).status).toBe(401);
    expect((await settings(admin)).secret).toBe(mine.secret);
  });

  it(`rate-limited: past ${ROTATE_LIMIT} rotations an hour, 429 with Retry-After and the secret unchanged; another practice is not held up`, async () => {
    const other = await otherPracticeAdmin(t);
    for (let i = 0; i < ROTATE_LIMIT; i++) expect((await t.api(other.token, 'POST', '/v1/email/inbound/rotate')).status).toBe(200);
    const kept = await settings(other.token);
    const refused = await t.api(other.token, 'POST', '/v1/email/inbound/rotate');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(refused.body.detail).toMatch(/rotated 10 times in the last hour; try again in \d+ min/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await settings(other.token)).secret).toBe(kept.secret);
    expect((await t.api(admin, 'POST', '/v1/email/inbound/rotate')).status).toBe(200);
  });
});
