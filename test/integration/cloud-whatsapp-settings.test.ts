import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RebasedHttpClient, SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/index';
import { DEMO_NUMBERS } from '../../src/cloud/seed';
import type { Sandbox } from '../../src/sandbox/index';
import { whatsAppSettingsSchema } from '../../src/shared/cloud/whatsapp';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { otherPracticeAdmin, startCommsCloud } from '../support/comms';

afterAll(stopTestPostgres);

/** Settings → WhatsApp: the sender number and templates refreshed from Twilio's Content API (the sandbox's). */
describe.each(backends)('WhatsApp settings on %s', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  let stop: () => Promise<void>;
  let admin: string;
  let jordan: string;
  beforeAll(async () => {
    ({ t, sandbox, stop } = await startCommsCloud(backend, {}, {}));
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
  }, 300_000);
  afterAll(async () => stop?.());

  it('an admin chooses the sender among the practice’s numbers; others are refused', async () => {
    const empty = await t.api(admin, 'GET', '/v1/whatsapp/settings');
    expect(empty.status).toBe(200);
    expect(whatsAppSettingsSchema.parse(empty.body)).toEqual({ sender: null, templates: [], templatesSyncedAt: null });

    const set = await t.api(admin, 'PUT', '/v1/whatsapp/sender', { phoneNumberId: DEMO_NUMBERS.santaMonicaMain.id });
    expect(set.status).toBe(200);
    expect(set.body.sender).toMatchObject({ phoneNumberId: DEMO_NUMBERS.santaMonicaMain.id, number: DEMO_NUMBERS.santaMonicaMain.number });
    expect((await t.api(admin, 'PUT', '/v1/whatsapp/sender', { phoneNumberId: 'pn_not_ours' })).status).toBe(404);
    expect((await t.api(admin, 'PUT', '/v1/whatsapp/sender', { phoneNumberId: 42 })).status).toBe(400);
    expect((await t.api(jordan, 'PUT', '/v1/whatsapp/sender', { phoneNumberId: DEMO_NUMBERS.beverlyHillsMain.id })).status).toBe(403);
    expect((await t.api(jordan, 'GET', '/v1/whatsapp/settings')).status).toBe(403);

    // Another practice neither sees this sender nor can choose this practice's number.
    const other = await otherPracticeAdmin(t);
    expect((await t.api(other.token, 'GET', '/v1/whatsapp/settings')).body.sender).toBeNull();
    expect((await t.api(other.token, 'PUT', '/v1/whatsapp/sender', { phoneNumberId: DEMO_NUMBERS.beverlyHillsMain.id })).status).toBe(404);
    expect((await t.api(admin, 'GET', '/v1/whatsapp/settings')).body.sender.phoneNumberId).toBe(DEMO_NUMBERS.santaMonicaMain.id);

    const cleared = await t.api(admin, 'PUT', '/v1/whatsapp/sender', { phoneNumberId: null });
    expect(cleared.body.sender).toBeNull();
    await t.api(admin, 'PUT', '/v1/whatsapp/sender', { phoneNumberId: DEMO_NUMBERS.santaMonicaMain.id });
  });

  it('refreshing reads templates and their approval from Twilio; a template Twilio no longer has is marked removed', async () => {
    const approved = sandbox.control.messaging.addTemplate({ friendlyName: 'staff_alert', body: 'Staff alert: {{1}}', variables: { '1': 'sample' }, category: 'UTILITY' });
    const pending = sandbox.control.messaging.addTemplate({ friendlyName: 'promo_offer', body: 'Offer: {{1}}', whatsappStatus: 'pending' });
    const first = await t.api(admin, 'POST', '/v1/whatsapp/templates/refresh');
    expect(first.status).toBe(200);
    const settings = whatsAppSettingsSchema.parse(first.body);
    expect(settings.templates.map((x) => [x.contentSid, x.name, x.status])).toEqual([
      [approved.sid, 'staff_alert', 'approved'],
      [pending.sid, 'promo_offer', 'pending'],
    ]);
    expect(settings.templates[0]).toMatchObject({ body: 'Staff alert: {{1}}', variables: { '1': 'sample' }, category: 'UTILITY' });
    expect(settings.templatesSyncedAt).not.toBeNull();

    // Approved meanwhile at Twilio, and the other deleted there.
    sandbox.control.messaging.decideTemplate(pending.sid, 'approved');
    const client = twilio(SANDBOX_TWILIO_CREDENTIALS.accountSid, SANDBOX_TWILIO_CREDENTIALS.authToken, {
      httpClient: new RebasedHttpClient(sandbox.restBaseUrl, sandbox.caPem) as never,
    });
    await client.content.v1.contents(approved.sid).remove();
    const second = whatsAppSettingsSchema.parse((await t.api(admin, 'POST', '/v1/whatsapp/templates/refresh')).body);
    expect(second.templates.map((x) => [x.name, x.status])).toEqual([['promo_offer', 'approved']]);
    const removed = await t.cloud.db.query<{ removed: boolean }>(`SELECT removed_at IS NOT NULL AS removed FROM whatsapp_templates WHERE content_sid = $1`, [approved.sid]);
    expect(removed).toEqual([{ removed: true }]);
    expect((await t.api(jordan, 'POST', '/v1/whatsapp/templates/refresh')).status).toBe(403);
  });
});
