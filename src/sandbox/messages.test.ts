// Messaging through the official twilio client: SMS status callbacks and scripted outcomes, the
// sender checks (21606 …), Messaging Services with a sender pool, WhatsApp (senders, the 24-hour
// window, approved Content templates), contacts texting in (webhook, TwiML replies, STOP/START),
// scripted contact replies. Every webhook is checked with twilio.validateRequest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type twilio from 'twilio';
import { createSandboxTwilioClient, startSandbox, type Sandbox } from './index';
import { WebhookApp, type WebhookHit } from './testing/webhook-app';

let sandbox: Sandbox;
let client: twilio.Twilio;
let hooks: WebhookApp;
let frontDesk: string;
let n = 0;
const contact = (): string => `+1512555${String(2000 + ++n)}`;
const statusesOf = (sid: string): string[] => hooks.hits.filter((h) => h.path === '/sms-status' && h.params.MessageSid === sid).map((h) => h.params.MessageStatus!);
const finalStatus = (sid: string): Promise<WebhookHit> =>
  hooks.waitForHit((h) => h.path === '/sms-status' && h.params.MessageSid === sid && ['delivered', 'undelivered', 'failed', 'read'].includes(h.params.MessageStatus!));

beforeAll(async () => {
  sandbox = await startSandbox({ callbackRetryBaseMs: 10 });
  hooks = await WebhookApp.start(sandbox.authToken);
  client = createSandboxTwilioClient(sandbox);
  frontDesk = sandbox.control.addNumber({ phoneNumber: '+15125550100', smsUrl: hooks.url('/sms-in') }).phoneNumber;
});

afterAll(async () => {
  expect(hooks.hits.filter((h) => !h.signatureValid)).toEqual([]);
  await hooks?.close();
  await sandbox?.stop();
});

describe('SMS', () => {
  it('queued → sent → delivered, each with a signed status callback; fetch and list', async () => {
    const to = contact();
    const m = await client.messages.create({ to, from: frontDesk, body: 'Your appointment is tomorrow at 3pm', statusCallback: hooks.url('/sms-status') });
    expect(m).toMatchObject({ status: 'queued', from: frontDesk, to, numSegments: '1', direction: 'outbound-api' });
    const done = await finalStatus(m.sid);
    expect(done.params).toMatchObject({ MessageStatus: 'delivered', SmsStatus: 'delivered', From: frontDesk, To: to, AccountSid: sandbox.accountSid });
    expect(statusesOf(m.sid)).toEqual(['queued', 'sent', 'delivered']);
    expect((await client.messages(m.sid).fetch()).status).toBe('delivered');
    expect((await client.messages.list({ to })).map((x) => x.sid)).toEqual([m.sid]);
    expect(sandbox.control.messaging.list({ to })).toEqual([expect.objectContaining({ sid: m.sid, body: 'Your appointment is tomorrow at 3pm', status: 'delivered' })]);
  });

  it('a destination can be made undelivered or failed, with Twilio error codes', async () => {
    const landline = contact();
    const broken = contact();
    sandbox.control.messaging.setOutcome(landline, { status: 'undelivered', errorCode: 30006 });
    sandbox.control.messaging.setOutcome(broken, 'failed');
    const a = await client.messages.create({ to: landline, from: frontDesk, body: 'hi', statusCallback: hooks.url('/sms-status') });
    const b = await client.messages.create({ to: broken, from: frontDesk, body: 'hi', statusCallback: hooks.url('/sms-status') });
    expect((await finalStatus(a.sid)).params).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30006' });
    expect((await finalStatus(b.sid)).params).toMatchObject({ MessageStatus: 'failed', ErrorCode: '30008' });
    expect(statusesOf(b.sid)).toEqual(['queued', 'failed']);
    expect(await client.messages(a.sid).fetch()).toMatchObject({ status: 'undelivered', errorCode: 30006 });
  });

  it('rejects what Twilio rejects: 21606 (no SMS capability / not owned), 21211, 21603, 21602, 21617', async () => {
    const voiceOnly = sandbox.control.addNumber({ phoneNumber: '+15125550199', capabilities: { voice: true, sms: false, mms: false, fax: false } }).phoneNumber;
    const to = contact();
    await expect(client.messages.create({ to, from: voiceOnly, body: 'x' })).rejects.toMatchObject({ status: 400, code: 21606 });
    await expect(client.messages.create({ to, from: '+15559999999', body: 'x' })).rejects.toMatchObject({ code: 21606 });
    await expect(client.messages.create({ to: '12345', from: frontDesk, body: 'x' })).rejects.toMatchObject({ code: 21211 });
    await expect(client.messages.create({ to, body: 'x' } as never)).rejects.toMatchObject({ code: 21603 });
    await expect(client.messages.create({ to, from: frontDesk })).rejects.toMatchObject({ code: 21602 });
    await expect(client.messages.create({ to, from: frontDesk, body: 'x'.repeat(1601) })).rejects.toMatchObject({ code: 21617 });
  });
});

describe('Messaging Services', () => {
  it('a service with a sender pool: accepted without a From, sticky sender, area-code match, service status callback', async () => {
    const austin = sandbox.control.addNumber({ phoneNumber: '+15125550301' });
    const boston = sandbox.control.addNumber({ phoneNumber: '+16175550302' });
    const service = await client.messaging.v1.services.create({ friendlyName: 'Reminders', statusCallback: hooks.url('/sms-status') });
    expect(service.sid).toMatch(/^MG[0-9a-f]{32}$/);
    await client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid: boston.sid });
    await client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid: austin.sid });
    expect((await client.messaging.v1.services(service.sid).phoneNumbers.list()).map((p) => p.phoneNumber)).toEqual([boston.phoneNumber, austin.phoneNumber]);

    const bostonContact = '+16175552001';
    const first = await client.messages.create({ to: bostonContact, messagingServiceSid: service.sid, body: 'Hello from the spa' });
    expect(first).toMatchObject({ status: 'accepted', from: null, messagingServiceSid: service.sid });
    await finalStatus(first.sid);
    expect((await client.messages(first.sid).fetch()).from).toBe(boston.phoneNumber);
    const austinContact = contact();
    const a1 = await client.messages.create({ to: austinContact, messagingServiceSid: service.sid, body: 'one' });
    const a2 = await client.messages.create({ to: austinContact, messagingServiceSid: service.sid, body: 'two' });
    await Promise.all([finalStatus(a1.sid), finalStatus(a2.sid)]);
    expect((await client.messages(a1.sid).fetch()).from).toBe(austin.phoneNumber);
    expect((await client.messages(a2.sid).fetch()).from).toBe(austin.phoneNumber);
    expect(statusesOf(a2.sid)).toEqual(['queued', 'sent', 'delivered']);
  });

  it('pool rules: one service per number (21712), SMS capability (21715), bad sids (21421, 21701, 21705)', async () => {
    const n1 = sandbox.control.addNumber({ phoneNumber: '+15125550401' });
    const faxOnly = sandbox.control.addNumber({ phoneNumber: '+15125550402', capabilities: { voice: true, sms: false, mms: false, fax: true } });
    const s1 = await client.messaging.v1.services.create({ friendlyName: 'One' });
    const s2 = await client.messaging.v1.services.create({ friendlyName: 'Two' });
    await client.messaging.v1.services(s1.sid).phoneNumbers.create({ phoneNumberSid: n1.sid });
    await expect(client.messaging.v1.services(s2.sid).phoneNumbers.create({ phoneNumberSid: n1.sid })).rejects.toMatchObject({ code: 21712 });
    await expect(client.messaging.v1.services(s2.sid).phoneNumbers.create({ phoneNumberSid: faxOnly.sid })).rejects.toMatchObject({ code: 21715 });
    await expect(client.messaging.v1.services(s2.sid).phoneNumbers.create({ phoneNumberSid: 'PNnope' })).rejects.toMatchObject({ code: 21421 });
    await expect(client.messages.create({ to: contact(), messagingServiceSid: 'MG00000000000000000000000000000000', body: 'x' })).rejects.toMatchObject({ code: 21701 });
    await expect(client.messages.create({ to: contact(), messagingServiceSid: 'nope', body: 'x' })).rejects.toMatchObject({ code: 21705 });
    await expect(client.messages.create({ to: contact(), messagingServiceSid: s2.sid, body: 'x' })).rejects.toMatchObject({ code: 21704 });
    await client.messaging.v1.services(s1.sid).phoneNumbers(n1.sid).remove();
    await client.messaging.v1.services(s2.sid).phoneNumbers.create({ phoneNumberSid: n1.sid });
    expect((await client.messaging.v1.services.list()).map((s) => s.friendlyName)).toEqual(expect.arrayContaining(['One', 'Two']));
  });
});

describe('WhatsApp', () => {
  let sender: string;
  beforeAll(() => {
    sender = sandbox.control.addNumber({ phoneNumber: '+15125550500', smsUrl: hooks.url('/wa-in'), whatsapp: true }).phoneNumber;
  });

  it('a freeform message outside the 24-hour window fails with 63016; inside it (after the contact wrote) it is delivered', async () => {
    const to = `whatsapp:${contact()}`;
    const cold = await client.messages.create({ to, from: `whatsapp:${sender}`, body: 'New lead: Jane Doe', statusCallback: hooks.url('/sms-status') });
    expect((await finalStatus(cold.sid)).params).toMatchObject({ MessageStatus: 'failed', ErrorCode: '63016', ChannelPrefix: 'whatsapp' });
    const inbound = await sandbox.control.messaging.receive({ from: to, to: `whatsapp:${sender}`, body: 'Hi!', profileName: 'Jane' });
    const hit = await hooks.waitForHit((h) => h.path === '/wa-in' && h.params.MessageSid === inbound.messageSid);
    expect(hit.params).toMatchObject({ From: to, To: `whatsapp:${sender}`, Body: 'Hi!', ProfileName: 'Jane', WaId: to.slice('whatsapp:+'.length) });
    const warm = await client.messages.create({ to, from: `whatsapp:${sender}`, body: 'Thanks for writing', statusCallback: hooks.url('/sms-status') });
    expect((await finalStatus(warm.sid)).params.MessageStatus).toBe('delivered');
  });

  it('an approved Content template reaches a new contact, its variables filled; unapproved ones do not', async () => {
    const content = await client.content.v1.contents.create({ friendly_name: 'new_lead_alert', language: 'en', variables: { '1': 'name' }, types: { 'twilio/text': { body: 'New lead: {{1}}. Open the app to call back.' } } } as never);
    expect(content.sid).toMatch(/^HX[0-9a-f]{32}$/);
    await client.content.v1.contents(content.sid).approvalCreate.create({ name: 'new_lead_alert', category: 'UTILITY' });
    const listed = await client.content.v1.contentAndApprovals.list();
    expect(listed.find((c) => c.sid === content.sid)?.approvalRequests).toMatchObject({ status: 'approved', name: 'new_lead_alert' });
    const to = `whatsapp:${contact()}`;
    const m = await client.messages.create({ to, from: `whatsapp:${sender}`, contentSid: content.sid, contentVariables: JSON.stringify({ 1: 'Jane Doe' }), statusCallback: hooks.url('/sms-status') });
    expect(m.body).toBe('New lead: Jane Doe. Open the app to call back.');
    expect((await finalStatus(m.sid)).params.MessageStatus).toBe('delivered');
    const pending = sandbox.control.messaging.addTemplate({ friendlyName: 'promo', body: 'Spring special!', whatsappStatus: 'pending' });
    const p = await client.messages.create({ to: `whatsapp:${contact()}`, from: `whatsapp:${sender}`, contentSid: pending.sid, statusCallback: hooks.url('/sms-status') });
    expect((await finalStatus(p.sid)).params.ErrorCode).toBe('63016');
    await expect(client.messages.create({ to, from: `whatsapp:${sender}`, contentSid: 'HXnope' })).rejects.toMatchObject({ code: 21655 });
  });

  it('rejects a sender that is not on WhatsApp (63007) and mixed channels (21910)', async () => {
    await expect(client.messages.create({ to: `whatsapp:${contact()}`, from: `whatsapp:${frontDesk}`, body: 'x' })).rejects.toMatchObject({ code: 63007 });
    await expect(client.messages.create({ to: `whatsapp:${contact()}`, from: sender, body: 'x' })).rejects.toMatchObject({ code: 21910 });
  });
});

describe('contacts who text', () => {
  it('an inbound SMS reaches the number webhook, signed, and a TwiML <Message> is sent back', async () => {
    hooks.route('/sms-in', (hit) => (hit.params.Body === 'What time?' ? '<Response><Message>3pm tomorrow. Reply C to confirm.</Message></Response>' : '<Response/>'));
    const from = contact();
    const result = await sandbox.control.messaging.receive({ from, to: frontDesk, body: 'What time?' });
    const hit = hooks.hits.find((h) => h.path === '/sms-in' && h.params.MessageSid === result.messageSid)!;
    expect(hit.params).toMatchObject({ From: from, To: frontDesk, Body: 'What time?', SmsStatus: 'received', NumMedia: '0', ToCountry: 'US', AccountSid: sandbox.accountSid });
    expect(result.replySids).toHaveLength(1);
    await sandbox.control.waitFor((e) => e.type === 'message.status' && e.messageSid === result.replySids[0] && e.status === 'delivered');
    expect(sandbox.control.messaging.list({ to: from })).toEqual([expect.objectContaining({ direction: 'outbound-reply', from: frontDesk, body: '3pm tomorrow. Reply C to confirm.' })]);
  });

  it("a number in a Messaging Service posts incoming texts to the service's InboundRequestUrl", async () => {
    hooks.route('/service-in', '<Response/>');
    const pooled = sandbox.control.addNumber({ phoneNumber: '+15125550600', smsUrl: hooks.url('/number-in') });
    const service = sandbox.control.messaging.createService({ friendlyName: 'Inbound', inboundRequestUrl: hooks.url('/service-in'), senders: [pooled.phoneNumber] });
    const result = await sandbox.control.messaging.receive({ from: contact(), to: pooled.phoneNumber, body: 'Hi' });
    const hit = hooks.hits.find((h) => h.params.MessageSid === result.messageSid)!;
    expect(hit).toMatchObject({ path: '/service-in', params: { MessagingServiceSid: service.sid } });
    await client.messaging.v1.services(service.sid).update({ useInboundWebhookOnNumber: true });
    const again = await sandbox.control.messaging.receive({ from: contact(), to: pooled.phoneNumber, body: 'Hi again' });
    expect(hooks.hits.find((h) => h.params.MessageSid === again.messageSid)?.path).toBe('/number-in');
  });

  it('STOP opts the contact out (21610 after), with the standard reply; START opts back in', async () => {
    const from = contact();
    const stop = await sandbox.control.messaging.receive({ from, to: frontDesk, body: ' stop ' });
    expect(hooks.hits.find((h) => h.params.MessageSid === stop.messageSid)?.params.OptOutType).toBe('STOP');
    expect(sandbox.control.messaging.list({ to: from })[0]?.body).toMatch(/unsubscribed/);
    expect(sandbox.control.messaging.isOptedOut(frontDesk, from)).toBe(true);
    await expect(client.messages.create({ to: from, from: frontDesk, body: 'Promo' })).rejects.toMatchObject({ code: 21610 });
    await sandbox.control.messaging.receive({ from, to: frontDesk, body: 'START' });
    expect((await client.messages.create({ to: from, from: frontDesk, body: 'Welcome back' })).status).toBe('queued');
  });

  it('a scripted contact replies to a delivered message (what Stop on Response listens for)', async () => {
    const to = contact();
    sandbox.control.messaging.scriptContact(to, { replies: [{ body: 'Yes I will be there', afterMs: 30 }] });
    const m = await client.messages.create({ to, from: frontDesk, body: 'Can you confirm tomorrow 3pm?' });
    const reply = await hooks.waitForHit((h) => h.path === '/sms-in' && h.params.From === to);
    expect(reply.params).toMatchObject({ Body: 'Yes I will be there', To: frontDesk });
    expect(sandbox.control.messaging.list({ from: to }).map((x) => x.direction)).toEqual(['inbound']);
    expect((await client.messages(m.sid).fetch()).status).toBe('delivered');
  });
});
