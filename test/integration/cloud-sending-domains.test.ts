/**
 * Settings → Email sending on both backends: connecting a domain issues its TXT records, Verify
 * looks them up in DNS — node:dns's Resolver pointed at a DNS stand-in on loopback, so every
 * lookup really goes over the wire — and the status follows what DNS said: found, nothing there
 * (NXDOMAIN), another value, no answer (timeout). The periodic re-check does the same by itself.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { recheckDueDomains } from '../../src/cloud/sending-domains/recheck-job';
import { startDnsStandIn, type DnsStandIn } from '../../src/sandbox/dns/index';
import { sendingDomainSchema, type SendingDomain } from '../../src/shared/cloud/sending-domains';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { otherPracticeAdmin } from '../support/comms';
import { publishRecords } from '../support/sending-domains';

afterAll(stopTestPostgres);

const SLOW = 300_000;

describe.each(backends)('sending domains on %s (DNS over loopback)', (backend) => {
  let t: TestCloud;
  let dns: DnsStandIn;
  let admin: string;
  beforeAll(async () => {
    dns = await startDnsStandIn();
    // A short timeout: the "no answer" case waits it out once per record.
    t = await startTestCloud(backend, { dns: { servers: [dns.server], timeoutMs: 400, tries: 1 } });
    admin = (await t.login('admin')).accessToken;
  }, SLOW);
  afterAll(async () => {
    await t?.stop();
    await dns?.stop();
  });

  const add = async (domain: string): Promise<SendingDomain> => {
    const res = await t.api(admin, 'POST', '/v1/sending-domains', { domain });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return sendingDomainSchema.parse(res.body);
  };
  const verify = async (id: string): Promise<SendingDomain> => {
    const res = await t.api(admin, 'POST', `/v1/sending-domains/${id}/verify`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return sendingDomainSchema.parse(res.body);
  };
  const outcomes = (d: SendingDomain) => d.records.map((r) => r.check?.outcome ?? null);

  it('connecting issues a verification record with an unguessable token and a DKIM key; the domain is normalised or refused saying why', async () => {
    const domain = await add('  Glow-Verify.Example. ');
    expect(domain).toMatchObject({ domain: 'glow-verify.example', status: 'pending', failure: null, lastCheckedAt: null, verifiedAt: null });
    const [verification, dkim] = domain.records;
    expect(verification).toMatchObject({ purpose: 'verification', type: 'TXT', name: '_aesthetix-verification.glow-verify.example', check: null });
    expect(verification!.value).toMatch(/^aesthetix-verification=[A-Za-z0-9_-]{43}$/);
    expect(dkim!.name).toMatch(/^ax[0-9a-f]{10}\._domainkey\.glow-verify\.example$/);
    expect(dkim!.value).toMatch(/^v=DKIM1; k=rsa; p=MIIBIjAN[A-Za-z0-9+/=]{380,}$/);

    expect((await add('bücher-glow.example')).domain).toBe('xn--bcher-glow-9db.example');
    const refused = await t.api(admin, 'POST', '/v1/sending-domains', { domain: 'desk@glow-verify.example' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'Enter the domain only (glow-verify.example), not an email address' });
    expect((await t.api(admin, 'POST', '/v1/sending-domains', { domain: 'GLOW-VERIFY.example' })).body).toMatchObject({ code: 'CONFLICT', detail: expect.stringContaining('already connected') });

    // Another practice connecting the same domain gets its own token and key: our record never verifies it.
    const other = await otherPracticeAdmin(t);
    const theirs = await t.api(other.token, 'POST', '/v1/sending-domains', { domain: 'glow-verify.example' });
    expect(theirs.status).toBe(201);
    expect(theirs.body.records[0].value).not.toBe(verification!.value);
    expect(theirs.body.records[1].name).not.toBe(dkim!.name);
    expect((await t.api(other.token, 'GET', '/v1/sending-domains')).body.map((d: SendingDomain) => d.id)).toEqual([theirs.body.id]);
    for (const [method, path] of [['POST', `/v1/sending-domains/${domain.id}/verify`], ['DELETE', `/v1/sending-domains/${domain.id}`]] as const) {
      expect((await t.api(other.token, method, path)).status).toBe(404);
    }
    // The private key never leaves the cloud, and is not in the database in the clear.
    const [row] = await t.cloud.db.query<{ dkim_private_key_enc: string }>(`SELECT dkim_private_key_enc FROM sending_domains WHERE id = $1`, [domain.id]);
    expect(row!.dkim_private_key_enc).toMatch(/^v1:/);
    expect(JSON.stringify(await t.api(admin, 'GET', '/v1/sending-domains'))).not.toContain('PRIVATE KEY');
  }, SLOW);

  it('Verify: nothing published (NXDOMAIN) → failed; a wrong value → failed; both records → verified; the DKIM record missing → failed', async () => {
    const domain = await add('glow-flow.example');
    const none = await verify(domain.id);
    expect(none).toMatchObject({ status: 'failed', failure: expect.stringContaining('(NXDOMAIN)') });
    expect(outcomes(none)).toEqual(['nxdomain', 'nxdomain']);
    expect(Date.parse(none.lastCheckedAt!)).toBeGreaterThan(Date.now() - 60_000);

    dns.zone.setTxt(domain.records[0]!.name, ['aesthetix-verification=not-the-issued-token', 'v=spf1 -all']);
    const wrong = await verify(domain.id);
    expect(wrong).toMatchObject({ status: 'failed', failure: expect.stringContaining('none has the value issued here') });
    expect(outcomes(wrong)).toEqual(['mismatch', 'nxdomain']);

    dns.zone.addTxt(domain.records[0]!.name, domain.records[0]!.value);
    expect(outcomes(await verify(domain.id))).toEqual(['found', 'nxdomain']);
    dns.zone.setTxt(domain.records[1]!.name, [domain.records[1]!.value]);
    const verified = await verify(domain.id);
    expect(verified).toMatchObject({ status: 'verified', failure: null, lastCheckNote: null });
    expect(outcomes(verified)).toEqual(['found', 'found']);
    expect(verified.verifiedAt).not.toBeNull();
    // The DKIM key published under another selector's name, or removed: failed, naming the DKIM record.
    dns.zone.remove(domain.records[1]!.name);
    dns.zone.setTxt(`other._domainkey.glow-flow.example`, ['v=DKIM1; k=rsa; p=MIIB']);
    const dkimGone = await verify(domain.id);
    expect(dkimGone).toMatchObject({ status: 'failed', failure: expect.stringMatching(/^No record named ax[0-9a-f]{10}\._domainkey\.glow-flow\.example exists \(NXDOMAIN\): add the DKIM record/) });
    expect(outcomes(dkimGone)).toEqual(['found', 'nxdomain']);

    const audit = await t.cloud.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [domain.id]);
    expect(audit.map((a) => a.action)).toEqual(['sending_domain.add', 'sending_domain.failed', 'sending_domain.verified', 'sending_domain.failed']);
  }, SLOW);

  it('Verify when DNS does not answer (timeout): a new domain fails saying so; a verified one stays verified with a note', async () => {
    const domain = await add('glow-slow.example');
    publishRecords(dns, domain);
    dns.zone.silence(domain.records[0]!.name);
    const timedOut = await verify(domain.id);
    expect(timedOut).toMatchObject({ status: 'failed', failure: expect.stringContaining('did not answer in time') });
    expect(outcomes(timedOut)).toEqual(['timeout', 'found']);
    dns.zone.silence(domain.records[0]!.name, false);
    expect((await verify(domain.id)).status).toBe('verified');
    dns.zone.silence(domain.records[1]!.name);
    const kept = await verify(domain.id);
    expect(kept).toMatchObject({ status: 'verified', failure: null, lastCheckNote: expect.stringMatching(/^Still verified: the last check could not reach DNS\. .*\(timeout\)/) });
    dns.zone.silence(domain.records[1]!.name, false);
  }, SLOW);

  it('the periodic re-check verifies a pending domain once its records appear, and fails a verified one whose records were removed', async () => {
    const appearing = await add('glow-later.example');
    const leaving = await add('glow-leaving.example');
    publishRecords(dns, leaving);
    expect((await verify(leaving.id)).status).toBe('verified');
    publishRecords(dns, appearing);
    for (const record of leaving.records) dns.zone.remove(record.name);
    // The verified one is due 12 hours after its last check.
    await t.cloud.db.query(`UPDATE sending_domains SET last_checked_at = now() - interval '13 hours' WHERE id = $1`, [leaving.id]);
    await t.cloud.db.query(`UPDATE sending_domains SET last_checked_at = now() WHERE account_id = $1 AND id <> ALL($2::text[])`, [DEMO_ACCOUNT_ID, [appearing.id, leaving.id]]);
    const ran = await recheckDueDomains({ db: t.cloud.db, config: t.cloud.config, log: pino({ level: 'silent' }) });
    expect(ran.failed).toBe(0);
    const list = sendingDomainSchema.array().parse((await t.api(admin, 'GET', '/v1/sending-domains')).body);
    expect(list.find((d) => d.id === appearing.id)).toMatchObject({ status: 'verified' });
    expect(list.find((d) => d.id === leaving.id)).toMatchObject({ status: 'failed', failure: expect.stringContaining('NXDOMAIN') });
  }, SLOW);

  it('remove: gone from the list and from Verify; connecting it again issues new records; admins only', async () => {
    const domain = await add('glow-remove.example');
    expect((await t.api(admin, 'DELETE', `/v1/sending-domains/${domain.id}`)).status).toBe(204);
    expect((await t.api(admin, 'POST', `/v1/sending-domains/${domain.id}/verify`)).status).toBe(404);
    expect((await t.api(admin, 'DELETE', `/v1/sending-domains/${domain.id}`)).status).toBe(404);
    const again = await add('glow-remove.example');
    expect(again.records[0]!.value).not.toBe(domain.records[0]!.value);
    const receptionist = (await t.login('receptionist')).accessToken;
    expect((await t.api(receptionist, 'GET', '/v1/sending-domains')).status).toBe(403);
    expect((await t.api(receptionist, 'POST', '/v1/sending-domains', { domain: 'x.example' })).status).toBe(403);
    expect((await t.api(receptionist, 'POST', `/v1/sending-domains/${again.id}/verify`)).status).toBe(403);
  }, SLOW);
});
