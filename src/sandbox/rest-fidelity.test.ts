// Twilio's REST API as documented, through the official `twilio` client: account and API keys,
// paging, phone-number subresources and countries, the documented purchase errors, Contains
// wildcards, call and recording status semantics, and the geographic webhook parameters.
import { request } from 'node:https';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxTwilioClient, SandboxHttpClient, startSandbox, type Sandbox } from './index';
import { WebhookApp } from './testing/webhook-app';

let sandbox: Sandbox;
let client: twilio.Twilio;
let hooks: WebhookApp;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.05, sayMsPerChar: 5, callbackRetryBaseMs: 10 });
  hooks = await WebhookApp.start(sandbox.authToken);
  client = createSandboxTwilioClient(sandbox);
});

afterAll(async () => {
  expect(hooks.hits.filter((h) => !h.signatureValid)).toEqual([]);
  await hooks?.close();
  await sandbox?.stop();
});

/** A raw authenticated request, to see Twilio's JSON exactly as sent. */
function raw(method: string, path: string, auth = `${sandbox.accountSid}:${sandbox.authToken}`, form?: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const req = request(new URL(path, sandbox.restBaseUrl), { method, ca: sandbox.caPem, auth, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const clientWithKey = (sid: string, secret: string): twilio.Twilio =>
  twilio(sid, secret, { accountSid: sandbox.accountSid, httpClient: new SandboxHttpClient(sandbox) as never });

describe('account and API keys', () => {
  it('fetches the account', async () => {
    const account = await client.api.v2010.accounts(sandbox.accountSid).fetch();
    expect(account).toMatchObject({ sid: sandbox.accountSid, status: 'active', type: 'Full', ownerAccountSid: sandbox.accountSid });
    expect(account.subresourceUris).toMatchObject({ calls: `/2010-04-01/Accounts/${sandbox.accountSid}/Calls.json` });
    const listed = await client.api.v2010.accounts.list();
    expect(listed.map((a) => a.sid)).toEqual([sandbox.accountSid]);
    await expect(client.api.v2010.accounts('AC00000000000000000000000000000000').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('creates an API key whose secret then authenticates REST calls and signs access tokens the edge accepts', async () => {
    const key = await client.newKeys.create({ friendlyName: 'cloud api' });
    expect(key.sid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(key.secret).toMatch(/^[0-9a-f]{32}$/);
    const viaKey = clientWithKey(key.sid, key.secret);
    expect(Array.isArray(await viaKey.calls.list({ limit: 5 }))).toBe(true);
    // Standard keys cannot manage keys or the account.
    await expect(viaKey.newKeys.create({ friendlyName: 'nope' })).rejects.toMatchObject({ status: 403 });
    const listed = await client.keys.list();
    expect(listed.map((k) => k.sid)).toContain(key.sid);
    expect(listed.find((k) => k.sid === key.sid)).toMatchObject({ friendlyName: 'cloud api' });
    expect(await client.keys(key.sid).update({ friendlyName: 'renamed' })).toMatchObject({ friendlyName: 'renamed' });
    const token = new twilio.jwt.AccessToken(sandbox.accountSid, key.sid, key.secret, { identity: 'keyed', ttl: 600 });
    token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ incomingAllow: true }));
    expect(await edgeAccepts(token.toJwt())).toEqual({ type: 'connected', identity: 'keyed' });
    await client.keys(key.sid).remove();
    await expect(viaKey.calls.list({ limit: 1 })).rejects.toMatchObject({ status: 401, code: 20003 });
    expect(await edgeAccepts(token.toJwt())).toEqual({ type: 'error', code: 31201 });
  });
});

/** Opens the signaling socket with a token and reports the edge's first answer. */
async function edgeAccepts(jwt: string): Promise<{ type: string; identity?: string; code?: number }> {
  const { WebSocket } = await import('ws');
  const ws = new WebSocket(`wss://${sandbox.edgeHost}/signal`, { ca: sandbox.caPem });
  return new Promise((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ type: 'listen', version: '1.6', payload: { token: jwt } })));
    ws.on('error', reject);
    ws.on('message', (data) => {
      const text = String(data);
      if (text === '\n') return;
      const m = JSON.parse(text) as { type: string; payload: { token?: { identity: string }; error?: { code: number } } };
      ws.close();
      resolve(m.type === 'connected' ? { type: m.type, identity: m.payload.token!.identity } : { type: m.type, code: m.payload.error!.code });
    });
  });
}

describe('paging', () => {
  it('pages exactly as Twilio: page, page_size, first/next/previous_page_uri with PageToken; list() walks every page', async () => {
    for (let i = 0; i < 7; i++) await client.applications.create({ friendlyName: `pager-${i}`, voiceUrl: hooks.url('/voice') });
    const all = await client.applications.list({ pageSize: 3 });
    expect(all.filter((a) => a.friendlyName.startsWith('pager-'))).toHaveLength(7);
    const first = await client.applications.page({ pageSize: 3 });
    expect(first.instances).toHaveLength(3);
    const second = await first.nextPage();
    expect(second?.instances).toHaveLength(3);
    expect(second?.instances.map((a) => a.sid)).not.toContain(first.instances[0]!.sid);

    const base = `/2010-04-01/Accounts/${sandbox.accountSid}/Applications.json`;
    const p0 = (await raw('GET', `${base}?PageSize=3`)).json;
    expect(p0).toMatchObject({ page: 0, page_size: 3, start: 0, end: 2, previous_page_uri: null, first_page_uri: `${base}?PageSize=3&Page=0`, uri: `${base}?PageSize=3&Page=0` });
    const items0 = p0.applications as Array<{ sid: string }>;
    expect(p0.next_page_uri).toBe(`${base}?PageSize=3&Page=1&PageToken=PA${items0[2]!.sid}`);
    const p1 = (await raw('GET', p0.next_page_uri as string)).json;
    expect(p1).toMatchObject({ page: 1, start: 3, end: 5 });
    expect(p1.previous_page_uri).toBe(`${base}?PageSize=3&Page=0&PageToken=PB${(p1.applications as Array<{ sid: string }>)[0]!.sid}`);
    const back = (await raw('GET', p1.previous_page_uri as string)).json;
    expect((back.applications as Array<{ sid: string }>).map((a) => a.sid)).toEqual(items0.map((a) => a.sid));
    const last = (await raw('GET', `${base}?PageSize=3&Page=2&PageToken=PA${(p1.applications as Array<{ sid: string }>)[2]!.sid}`)).json;
    expect(last.next_page_uri).toBeNull();
    // Filters ride along on every page link.
    const filtered = (await raw('GET', `${base}?FriendlyName=pager-1&PageSize=1`)).json;
    expect(filtered.first_page_uri).toBe(`${base}?FriendlyName=pager-1&PageSize=1&Page=0`);
    expect((await raw('GET', `${base}?PageSize=abc`)).status).toBe(400);
  });
});

describe('phone numbers', () => {
  it('lists the countries and searches the UK, Canada and Australia by type', async () => {
    const countries = await client.availablePhoneNumbers.list();
    expect(countries.map((c) => c.countryCode).sort()).toEqual(['AU', 'CA', 'GB', 'US']);
    const gb = await client.availablePhoneNumbers('GB').fetch();
    expect(Object.keys(gb.subresourceUris).sort()).toEqual(['local', 'mobile', 'toll_free']);
    const us = await client.availablePhoneNumbers('US').fetch();
    expect(Object.keys(us.subresourceUris).sort()).toEqual(['local', 'toll_free']);
    const london = await client.availablePhoneNumbers('GB').local.list({ contains: '+4420', limit: 5 });
    expect(london.length).toBe(5);
    expect(london.every((n) => n.phoneNumber.startsWith('+4420') && n.isoCountry === 'GB' && n.region === null)).toBe(true);
    const ukMobiles = await client.availablePhoneNumbers('GB').mobile.list({ smsEnabled: true, limit: 3 });
    expect(ukMobiles.every((n) => n.phoneNumber.startsWith('+447'))).toBe(true);
    expect(await client.availablePhoneNumbers('GB').local.list({ smsEnabled: true })).toEqual([]);
    const toronto = await client.availablePhoneNumbers('CA').local.list({ areaCode: 416, limit: 3 });
    expect(toronto.every((n) => n.phoneNumber.startsWith('+1416') && n.region === 'ON')).toBe(true);
    expect((await client.availablePhoneNumbers('AU').tollFree.list({ limit: 2 })).every((n) => n.phoneNumber.startsWith('+611800'))).toBe(true);
    await expect(client.availablePhoneNumbers('US').mobile.list()).rejects.toMatchObject({ status: 404 });
    await expect(client.availablePhoneNumbers('FR').local.list()).rejects.toMatchObject({ status: 404 });
  });

  it('searches with the documented Contains wildcards, near a place, and 21451 for an invalid area code', async () => {
    const starts = await client.availablePhoneNumbers('US').local.list({ contains: '+1512%', limit: 20 });
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((n) => n.phoneNumber.startsWith('+1512'))).toBe(true);
    const sample = starts[0]!.phoneNumber;
    const ends = await client.availablePhoneNumbers('US').local.list({ contains: `${sample.slice(-4)}$`, limit: 1000 });
    expect(ends.map((n) => n.phoneNumber)).toContain(sample);
    expect(ends.every((n) => n.phoneNumber.endsWith(sample.slice(-4)))).toBe(true);
    await expect(client.availablePhoneNumbers('US').local.list({ contains: '5*5' })).rejects.toMatchObject({ status: 400 });
    const near = await client.availablePhoneNumbers('US').local.list({ nearLatLong: '34.07,-118.4', distance: 10, limit: 1000 });
    const codes = new Set(near.map((n) => n.phoneNumber.slice(2, 5)));
    expect(codes).toContain('424'); // 310's overlay, for a sold-out 310
    expect(codes).not.toContain('512');
    expect(near.every((n) => Math.hypot(Number(n.latitude) - 34.07, (Number(n.longitude) + 118.4) * 0.83) * 69 <= 10.5)).toBe(true);
    await expect(client.availablePhoneNumbers('US').local.list({ areaCode: 999 })).rejects.toMatchObject({ status: 400, code: 21451 });
    expect(await client.availablePhoneNumbers('US').local.list({ areaCode: 310 })).toEqual([]);
    // Twilio's available-number capabilities carry SMS/MMS in capitals.
    const [one] = await client.availablePhoneNumbers('US').local.list({ areaCode: 424, limit: 1 });
    expect(Object.keys(one!.capabilities as object).sort()).toEqual(['MMS', 'SMS', 'fax', 'voice']);
  });

  it('buys through Local, TollFree and Mobile and lists each type', async () => {
    const [local] = await client.availablePhoneNumbers('US').local.list({ areaCode: 424, limit: 1 });
    const [tollFree] = await client.availablePhoneNumbers('US').tollFree.list({ areaCode: 888, limit: 1 });
    const [mobile] = await client.availablePhoneNumbers('GB').mobile.list({ limit: 1 });
    const boughtLocal = await client.incomingPhoneNumbers.local.create({ phoneNumber: local!.phoneNumber, friendlyName: 'Overlay line' });
    const boughtTollFree = await client.incomingPhoneNumbers.tollFree.create({ phoneNumber: tollFree!.phoneNumber });
    const boughtMobile = await client.incomingPhoneNumbers.mobile.create({ phoneNumber: mobile!.phoneNumber });
    expect(boughtLocal).toMatchObject({ phoneNumber: local!.phoneNumber, friendlyName: 'Overlay line', status: 'in-use', addressRequirements: 'none' });
    expect(boughtMobile.capabilities).toMatchObject({ sms: true, mms: false });
    expect((await client.incomingPhoneNumbers.local.list()).map((n) => n.sid)).toContain(boughtLocal.sid);
    expect((await client.incomingPhoneNumbers.local.list()).map((n) => n.sid)).not.toContain(boughtTollFree.sid);
    expect((await client.incomingPhoneNumbers.tollFree.list()).map((n) => n.sid)).toEqual([boughtTollFree.sid]);
    expect((await client.incomingPhoneNumbers.mobile.list()).map((n) => n.sid)).toEqual([boughtMobile.sid]);
    expect((await client.incomingPhoneNumbers.list({ phoneNumber: local!.phoneNumber.slice(-7) })).map((n) => n.sid)).toEqual([boughtLocal.sid]);
    // A toll-free number is not for sale through Local; AreaCode is refused on a typed subresource.
    const [otherTollFree] = await client.availablePhoneNumbers('US').tollFree.list({ limit: 1 });
    await expect(client.incomingPhoneNumbers.local.create({ phoneNumber: otherTollFree!.phoneNumber })).rejects.toMatchObject({ code: 21422 });
    const viaAreaCode = await raw('POST', `/2010-04-01/Accounts/${sandbox.accountSid}/IncomingPhoneNumbers/Local.json`, undefined, { AreaCode: '424' });
    expect(viaAreaCode).toMatchObject({ status: 400, json: { code: 21457 } });
  });

  it('fails purchases with the documented codes: no stock 21452, invalid area code 21451, unavailable number 21422, invalid number 21421', async () => {
    for (const code of ['212', '310', '415']) await expect(client.incomingPhoneNumbers.create({ areaCode: code })).rejects.toMatchObject({ status: 400, code: 21452 });
    await expect(client.incomingPhoneNumbers.create({ areaCode: '999' })).rejects.toMatchObject({ status: 400, code: 21451 });
    await expect(client.incomingPhoneNumbers.create({ phoneNumber: '+12125550199' })).rejects.toMatchObject({ status: 400, code: 21422 });
    await expect(client.incomingPhoneNumbers.create({ phoneNumber: '12345' })).rejects.toMatchObject({ status: 400, code: 21421 });
    const viaOverlay = await client.incomingPhoneNumbers.create({ areaCode: '628' });
    expect(viaOverlay.phoneNumber.startsWith('+1628')).toBe(true);
    const tollFree = await client.incomingPhoneNumbers.create({ areaCode: '877' });
    expect(tollFree.phoneNumber.startsWith('+1877')).toBe(true);
  });

  it('a purchase racing another buyer fails with 21422; the control API plays the other buyer', async () => {
    const [a, b] = await client.availablePhoneNumbers('US').local.list({ areaCode: 720, limit: 2 });
    sandbox.control.inventory.loseNextPurchaseOf(a!.phoneNumber);
    await expect(client.incomingPhoneNumbers.create({ phoneNumber: a!.phoneNumber })).rejects.toMatchObject({ status: 400, code: 21422 });
    expect(sandbox.control.inventory.availability(a!.phoneNumber)).toMatchObject({ forSale: false, claimedByOthers: true, ownedByAccount: false });
    // Over HTTP, as the cloud's tests in another process would.
    const auth = `${sandbox.accountSid}:${sandbox.authToken}`;
    const race = await controlPost('/sandbox/inventory/races', { phoneNumber: b!.phoneNumber }, auth);
    expect(race.status).toBe(200);
    await expect(client.incomingPhoneNumbers.create({ phoneNumber: b!.phoneNumber })).rejects.toMatchObject({ code: 21422 });
    expect((await controlPost('/sandbox/inventory/races', { phoneNumber: 'bad' }, auth)).status).toBe(400);
    expect((await controlPost('/sandbox/inventory/races', { phoneNumber: b!.phoneNumber }, 'wrong:creds')).status).toBe(401);
  });

  it('the control API puts a specific (vanity) number on sale for search tests', async () => {
    const auth = `${sandbox.accountSid}:${sandbox.authToken}`;
    const added = await controlPost('/sandbox/inventory/numbers', { phoneNumber: '+15127724242', capabilities: { mms: false } }, auth);
    expect(added).toMatchObject({ status: 200, json: { phoneNumber: '+15127724242', type: 'local', region: 'TX', capabilities: { mms: false } } });
    const spa = await client.availablePhoneNumbers('US').local.list({ areaCode: 512, contains: 'SPA', limit: 1000 });
    expect(spa.map((n) => n.phoneNumber)).toContain('+15127724242');
    expect((await controlPost('/sandbox/inventory/numbers', { phoneNumber: '+33142685300' }, auth)).status).toBe(400);
  });

  it('VoiceFallbackUrl and VoiceFallbackMethod round-trip on numbers and applications; 21405 without a voice URL', async () => {
    const [first, second] = await client.availablePhoneNumbers('US').local.list({ areaCode: 512, limit: 2 });
    const bought = await client.incomingPhoneNumbers.create({ phoneNumber: first!.phoneNumber, voiceUrl: hooks.url('/voice'), voiceFallbackUrl: hooks.url('/fallback'), voiceFallbackMethod: 'GET' });
    expect(bought).toMatchObject({ voiceUrl: hooks.url('/voice'), voiceFallbackUrl: hooks.url('/fallback'), voiceFallbackMethod: 'GET' });
    const updated = await client.incomingPhoneNumbers(bought.sid).update({ voiceFallbackUrl: hooks.url('/fallback2'), voiceFallbackMethod: 'POST' });
    expect(updated).toMatchObject({ voiceFallbackUrl: hooks.url('/fallback2'), voiceFallbackMethod: 'POST' });
    const fetched = await raw('GET', `/2010-04-01/Accounts/${sandbox.accountSid}/IncomingPhoneNumbers/${bought.sid}.json`);
    expect(fetched.json).toMatchObject({ voice_url: hooks.url('/voice'), voice_fallback_url: hooks.url('/fallback2'), voice_fallback_method: 'POST' });

    // 21405: judged on the number as it would end up; a refused change or purchase changes nothing.
    await expect(client.incomingPhoneNumbers(bought.sid).update({ voiceUrl: '' })).rejects.toMatchObject({ status: 400, code: 21405 });
    expect((await client.incomingPhoneNumbers(bought.sid).fetch()).voiceUrl).toBe(hooks.url('/voice'));
    expect((await client.incomingPhoneNumbers(bought.sid).update({ voiceUrl: '', voiceFallbackUrl: '' })).voiceFallbackUrl).toBe('');
    await expect(client.incomingPhoneNumbers(bought.sid).update({ voiceFallbackUrl: hooks.url('/fallback') })).rejects.toMatchObject({ status: 400, code: 21405 });
    await expect(client.incomingPhoneNumbers.create({ phoneNumber: second!.phoneNumber, voiceFallbackUrl: hooks.url('/fallback') })).rejects.toMatchObject({ status: 400, code: 21405 });
    expect(sandbox.control.inventory.availability(second!.phoneNumber)).toMatchObject({ forSale: true, ownedByAccount: false });

    const app = await client.applications.create({ voiceUrl: hooks.url('/voice'), voiceFallbackUrl: hooks.url('/app-fallback'), voiceFallbackMethod: 'GET' });
    expect(app).toMatchObject({ voiceFallbackUrl: hooks.url('/app-fallback'), voiceFallbackMethod: 'GET' });
    expect(await client.applications(app.sid).update({ voiceFallbackMethod: 'POST' })).toMatchObject({ voiceFallbackUrl: hooks.url('/app-fallback'), voiceFallbackMethod: 'POST' });
    expect((await client.applications(app.sid).fetch()).voiceFallbackUrl).toBe(hooks.url('/app-fallback'));
    // As on Twilio, an application's unset fallback reads null.
    expect((await client.applications.create({ voiceUrl: hooks.url('/voice') })).voiceFallbackUrl).toBeNull();
  });

  it('a released number goes back on sale: re-buying it restores it, unless someone claimed it meanwhile', async () => {
    const [first, second] = await client.availablePhoneNumbers('US').local.list({ areaCode: 617, limit: 2 });
    const kept = await client.incomingPhoneNumbers.create({ phoneNumber: first!.phoneNumber });
    const lost = await client.incomingPhoneNumbers.create({ phoneNumber: second!.phoneNumber });
    await client.incomingPhoneNumbers(kept.sid).remove();
    await client.incomingPhoneNumbers(lost.sid).remove();
    expect(sandbox.control.inventory.availability(first!.phoneNumber)).toMatchObject({ forSale: true, ownedByAccount: false });
    const restored = await client.incomingPhoneNumbers.create({ phoneNumber: first!.phoneNumber });
    expect(restored).toMatchObject({ phoneNumber: first!.phoneNumber, capabilities: kept.capabilities });
    expect(restored.sid).not.toBe(kept.sid);
    const claim = await controlPost('/sandbox/inventory/claims', { phoneNumber: second!.phoneNumber }, `${sandbox.accountSid}:${sandbox.authToken}`);
    expect(claim.json).toEqual({ claimed: true });
    await expect(client.incomingPhoneNumbers.create({ phoneNumber: second!.phoneNumber })).rejects.toMatchObject({ code: 21422 });
    expect(sandbox.control.inventory.releaseClaim(second!.phoneNumber)).toEqual({ released: true });
    expect((await client.incomingPhoneNumbers.create({ phoneNumber: second!.phoneNumber })).phoneNumber).toBe(second!.phoneNumber);
  });
});

function controlPost(path: string, body: unknown, auth: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, sandbox.restBaseUrl), { method: 'POST', ca: sandbox.caPem, auth, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('calls', () => {
  let owned: string;
  beforeAll(async () => {
    owned = (await client.incomingPhoneNumbers.create({ areaCode: '512', voiceUrl: hooks.url('/voice') })).phoneNumber;
    hooks.route('/voice', '<Response><Pause length="60"/></Response>');
  });

  it('a created call starts queued', async () => {
    sandbox.control.setPartyBehaviour('+15550003001', { answer: 'answer', answerAfterMs: 50 });
    const call = await client.calls.create({ to: '+15550003001', from: owned, twiml: '<Response><Pause length="60"/></Response>' });
    expect(call.status).toBe('queued');
    await sandbox.control.waitForCallStatus(call.sid, 'in-progress');
    await client.calls(call.sid).update({ status: 'completed' });
    expect((await client.calls(call.sid).fetch()).status).toBe('completed');
  });

  it('status=canceled ends a ringing call but leaves an answered call up; completed hangs it up', async () => {
    sandbox.control.setPartyBehaviour('+15550003002', { answer: 'never' });
    const ringing = await client.calls.create({ to: '+15550003002', from: owned, twiml: '<Response><Pause length="60"/></Response>' });
    await sandbox.control.waitForCallStatus(ringing.sid, 'ringing');
    expect((await client.calls(ringing.sid).update({ status: 'canceled' })).status).toBe('canceled');

    sandbox.control.setPartyBehaviour('+15550003003', { answer: 'answer', answerAfterMs: 20 });
    const answered = await client.calls.create({ to: '+15550003003', from: owned, twiml: '<Response><Pause length="60"/></Response>' });
    await sandbox.control.waitForCallStatus(answered.sid, 'in-progress');
    expect((await client.calls(answered.sid).update({ status: 'canceled' })).status).toBe('in-progress');
    expect((await client.calls(answered.sid).fetch()).status).toBe('in-progress');
    expect((await client.calls(answered.sid).update({ status: 'completed' })).status).toBe('completed');
  });

  it('voice webhooks carry the geographic parameters of both numbers', async () => {
    const inbound = sandbox.control.placeInboundCall({ from: '+12125550142', to: owned });
    const hit = await hooks.waitForHit((h) => h.path === '/voice' && h.params.CallSid === inbound);
    expect(hit.params).toMatchObject({
      FromCity: 'NEW YORK', FromState: 'NY', FromZip: '10001', FromCountry: 'US',
      CallerCity: 'NEW YORK', CallerState: 'NY', CallerZip: '10001', CallerCountry: 'US',
      ToCity: 'AUSTIN', ToState: 'TX', ToZip: '78701', ToCountry: 'US',
      CalledCity: 'AUSTIN', CalledState: 'TX', CalledZip: '78701', CalledCountry: 'US',
    });
    sandbox.control.hangup(inbound);
    const fromLondon = sandbox.control.placeInboundCall({ from: '+442079460123', to: owned });
    const londonHit = await hooks.waitForHit((h) => h.path === '/voice' && h.params.CallSid === fromLondon);
    expect(londonHit.params).toMatchObject({ FromCountry: 'GB', FromCity: '', FromState: '', ToCountry: 'US' });
    sandbox.control.hangup(fromLondon);
  });
});
