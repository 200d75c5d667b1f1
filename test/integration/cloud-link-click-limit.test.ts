/**
 * The public tracked-link route `/l/<token>` (tracked links in sent messages, contacts' trigger
 * links) is limited per client address (LINK_CLICK_LIMIT in LINK_CLICK_WINDOW_SECONDS), on both
 * backends: of N concurrent requests from one address exactly the limit are answered, the rest get
 * 429 + Retry-After and a small page like the 404's; a refused request counts no click; the limit
 * behaves the same for known and unknown tokens; X-Forwarded-For counts only from a TRUST_PROXY proxy.
 * Every request goes to the test cloud on loopback.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pruneThrottle } from '../../src/cloud/http/throttle';
import { DEMO_ACCOUNT_ID, DEMO_TRIGGER_LINKS } from '../../src/cloud/seed';
import { mintTriggerLinks } from '../../src/cloud/trigger-links/tokens';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

const LIMIT = 10;
const WINDOW_SECONDS = 600;

interface Answer {
  status: number;
  location: string | null;
  retryAfter: string | null;
  contentType: string | null;
  body: string;
}

const open = async (t: TestCloud, path: string, headers: Record<string, string> = {}): Promise<Answer> => {
  const res = await fetch(t.cloud.url + path, { redirect: 'manual', headers });
  return { status: res.status, location: res.headers.get('location'), retryAfter: res.headers.get('retry-after'), contentType: res.headers.get('content-type'), body: await res.text() };
};

/** A demo contact's own short link to the seeded booking link, and its path. */
async function contactLink(t: TestCloud): Promise<{ path: string; token: string }> {
  const [contact] = await t.cloud.db.query<{ id: string; phone: string }>(`SELECT id, phone FROM contacts WHERE account_id = $1 ORDER BY id LIMIT 1`, [DEMO_ACCOUNT_ID]);
  const minted = await t.cloud.db.transaction((q) =>
    mintTriggerLinks(q, { accountId: DEMO_ACCOUNT_ID, keys: [DEMO_TRIGGER_LINKS.booking.key], contactId: contact!.id, recipient: contact!.phone }, t.cloud.url),
  );
  if (!minted.ok) throw new Error(`no seeded link: ${minted.missing.join(', ')}`);
  const path = new URL(minted.links[DEMO_TRIGGER_LINKS.booking.key]!).pathname;
  return { path, token: path.slice('/l/'.length) };
}

const clicksOf = async (t: TestCloud, token: string): Promise<number> =>
  (await t.cloud.db.query<{ clicks: number }>(`SELECT clicks FROM trigger_link_tokens WHERE token = $1`, [token]))[0]!.clicks;

const countBy = (answers: readonly Answer[]): Record<number, number> => {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
};

describe.each(backends)('tracked-link clicks limited per client address on %s', (backend) => {
  let t: TestCloud;
  let link: { path: string; token: string };
  beforeAll(async () => {
    t = await startTestCloud(backend, { linkClickLimit: LIMIT, linkClickWindowSeconds: WINDOW_SECONDS });
    link = await contactLink(t);
  });
  afterAll(async () => t?.stop());
  beforeEach(async () => {
    await t.cloud.db.query(`DELETE FROM login_throttle`);
  });

  it('40 concurrent opens from one address: exactly the limit redirected and counted; the rest 429 + Retry-After with a small page', async () => {
    const before = await clicksOf(t, link.token);
    const answers = await Promise.all(Array.from({ length: 40 }, () => open(t, link.path)));
    expect(countBy(answers)).toEqual({ 302: LIMIT, 429: 40 - LIMIT });
    expect(answers.filter((a) => a.status === 302).every((a) => a.location === DEMO_TRIGGER_LINKS.booking.url)).toBe(true);
    // Refused opens count no click.
    expect(await clicksOf(t, link.token)).toBe(before + LIMIT);
    const refused = answers.find((a) => a.status === 429)!;
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(refused.contentType).toBe('text/html; charset=utf-8');
    expect(refused.body).toMatch(/<title>Too many requests<\/title>/);
    expect(refused.body).toMatch(/Please wait a little, then open the link again/);
    // Still refused after the burst, and still not counted.
    expect((await open(t, link.path)).status).toBe(429);
    expect(await clicksOf(t, link.token)).toBe(before + LIMIT);
  });

  it('says nothing about which tokens exist: unknown tokens use up the same slots, and a refusal reads the same for a known and an unknown token', async () => {
    const unknown = '/l/AAAAAAAAAAAAAAAA';
    const before = await clicksOf(t, link.token);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => open(t, i % 2 === 0 ? link.path : unknown)));
    const admitted = answers.filter((a) => a.status !== 429);
    expect(admitted).toHaveLength(LIMIT);
    expect(admitted.every((a) => a.status === 302 || a.status === 404)).toBe(true);
    expect(await clicksOf(t, link.token)).toBe(before + admitted.filter((a) => a.status === 302).length);
    const [known, other] = [await open(t, link.path), await open(t, unknown)];
    expect([known.status, known.contentType, known.body]).toEqual([other.status, other.contentType, other.body]);
    expect(known.status).toBe(429);
  });

  it('believes no X-Forwarded-For by default (no TRUST_PROXY): a changing header is still one address', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => open(t, link.path, { 'x-forwarded-for': `203.0.113.${i + 1}` })));
    expect(countBy(answers)).toEqual({ 302: LIMIT, 429: 20 - LIMIT });
  });

  it('starts again once the window has passed', async () => {
    await Promise.all(Array.from({ length: LIMIT + 1 }, () => open(t, link.path)));
    expect((await open(t, link.path)).status).toBe(429);
    await t.cloud.db.query(`UPDATE login_throttle SET window_start = now() - make_interval(secs => $1) WHERE key LIKE 'link-click:%'`, [WINDOW_SECONDS]);
    expect((await open(t, link.path)).status).toBe(302);
  });

  it('drops counters whose window has ended (the per-minute sweep): one row per address never piles up', async () => {
    await open(t, link.path);
    await t.cloud.db.query(`INSERT INTO login_throttle (key, window_start, attempts) VALUES ('link-click:192.0.2.1', now() - interval '2 hours', 4)`);
    expect(await pruneThrottle(t.cloud.db, 3600)).toBe(1);
    expect((await t.cloud.db.query<{ key: string }>(`SELECT key FROM login_throttle`)).map((r) => r.key)).toEqual(['link-click:127.0.0.1']);
  });
});

describe.each(backends)('tracked-link clicks behind a trusted proxy (TRUST_PROXY) on %s', (backend) => {
  let t: TestCloud;
  let link: { path: string; token: string };
  beforeAll(async () => {
    t = await startTestCloud(backend, { linkClickLimit: 3, linkClickWindowSeconds: WINDOW_SECONDS, trustProxy: ['127.0.0.1'] });
    link = await contactLink(t);
  });
  afterAll(async () => t?.stop());

  it('each forwarded client address has its own limit; addresses in one IPv6 /64 share one', async () => {
    const clients = ['198.51.100.7', '198.51.100.8', '2001:db8:1:2::a', '2001:db8:1:2:ffff::b', '2001:db8:1:3::a'];
    const answers = await Promise.all(
      clients.flatMap((client) => Array.from({ length: 8 }, async () => ({ client, answer: await open(t, link.path, { 'x-forwarded-for': client }) }))),
    );
    const admitted = (client: string) => answers.filter((a) => a.client === client && a.answer.status === 302).length;
    expect(admitted('198.51.100.7')).toBe(3);
    expect(admitted('198.51.100.8')).toBe(3);
    expect(admitted('2001:db8:1:2::a') + admitted('2001:db8:1:2:ffff::b')).toBe(3);
    expect(admitted('2001:db8:1:3::a')).toBe(3);
    expect(answers.filter((a) => a.answer.status === 429)).toHaveLength(40 - 12);
  });
});
