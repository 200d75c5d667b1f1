// Messages: create, list, fetch; queued → sending → sent → delivered/undelivered/failed with
// signed status callbacks.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { newSid } from '../sids';
import type { Message, MessageStatus } from '../state/store';
import { notFound, TwilioRestError } from './errors';
import { list, parseForm, type RawForm } from './form';
import { authenticate, sidOf, type RestDeps } from './rest-deps';
import { date, page } from './serialize';

const API = '2010-04-01';

const messageSchema = z.object({
  To: z.string().min(1, "A 'To' phone number is required."),
  From: z.string().min(1, "A 'From' phone number is required."),
  Body: z.string().max(1600).optional(),
  StatusCallback: z.url().optional(),
});

export function registerMessageRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { ctx } = deps;
  const base = '/2010-04-01/Accounts/:AccountSid';

  app.post(base + '/Messages.json', async (req, reply) => {
    authenticate(deps, req);
    const form = parseForm(messageSchema, req.body);
    const mediaUrls = list(req.body as RawForm, 'MediaUrl');
    if (!form.Body && mediaUrls.length === 0) throw new TwilioRestError(400, 21602, 'Message body is required.');
    const from = ctx.store.numberByPhone(form.From);
    if (!from) throw new TwilioRestError(400, 21606, `The From phone number ${form.From} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    if (!/^\+[1-9]\d{6,14}$/.test(form.To)) throw new TwilioRestError(400, 21211, `The 'To' number ${form.To} is not a valid phone number.`);
    const now = new Date();
    const message: Message = {
      sid: newSid('SM'),
      accountSid: ctx.settings.accountSid,
      from: form.From,
      to: form.To,
      body: form.Body ?? '',
      mediaUrls,
      status: 'queued',
      direction: 'outbound-api',
      statusCallback: form.StatusCallback ?? null,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
    };
    ctx.store.messages.set(message.sid, message);
    ctx.events.emitEvent('message.created', { messageSid: message.sid, from: message.from, to: message.to, body: message.body });
    void deliver(deps, message);
    return reply.code(201).send(messageJson(message));
  });
  app.get(base + '/Messages.json', async (req) => {
    authenticate(deps, req);
    const q = req.query as Record<string, string | undefined>;
    const msgs = [...ctx.store.messages.values()].filter((m) => (!q.To || m.to === q.To) && (!q.From || m.from === q.From)).reverse();
    return page('messages', req.url, msgs.map(messageJson), Number(q.PageSize ?? 50));
  });
  app.get(base + '/Messages/:Sid', async (req) => {
    authenticate(deps, req);
    const m = ctx.store.messages.get(sidOf((req.params as { Sid: string }).Sid));
    if (!m) throw notFound(req.url);
    return messageJson(m);
  });
}

/** queued → sending → sent → delivered (or undelivered/failed), each with a signed callback. */
async function deliver(deps: RestDeps, m: Message): Promise<void> {
  const outcome = deps.messageOutcomes.get(m.to) ?? 'delivered';
  const steps: MessageStatus[] = outcome === 'failed' ? ['failed'] : ['sending', 'sent', outcome];
  for (const status of steps) {
    await new Promise((r) => setTimeout(r, 20));
    m.status = status;
    m.dateUpdated = new Date();
    if (status === 'sent') m.dateSent = m.dateUpdated;
    deps.ctx.events.emitEvent('message.status', { messageSid: m.sid, status });
    if (m.statusCallback && status !== 'sending') {
      await deps.ctx.webhooks.callback(m.statusCallback, 'POST', {
        AccountSid: m.accountSid,
        ApiVersion: '2010-04-01',
        From: m.from,
        To: m.to,
        MessageSid: m.sid,
        SmsSid: m.sid,
        MessageStatus: status,
        SmsStatus: status,
        ...(status === 'undelivered' || status === 'failed' ? { ErrorCode: '30003' } : {}),
      });
    }
  }
}

export function messageJson(m: Message): Record<string, unknown> {
  return {
    sid: m.sid,
    account_sid: m.accountSid,
    from: m.from,
    to: m.to,
    body: m.body,
    num_media: String(m.mediaUrls.length),
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 160))),
    status: m.status,
    direction: m.direction,
    api_version: API,
    price: null,
    price_unit: 'USD',
    error_code: m.status === 'undelivered' || m.status === 'failed' ? 30003 : null,
    error_message: null,
    messaging_service_sid: null,
    date_created: date(m.dateCreated),
    date_updated: date(m.dateUpdated),
    date_sent: date(m.dateSent),
    uri: `/${API}/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
    subresource_uris: { media: `/${API}/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
  };
}
