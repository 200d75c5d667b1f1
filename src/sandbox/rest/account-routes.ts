// Applications (TwiML apps), Recordings (fetch, WAV media) and Messages (create, status callbacks).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { encodeWavPcm16Mono8k } from '../media/wav';
import { newSid } from '../sids';
import { createApplication } from '../state/resources';
import type { Message, MessageStatus } from '../state/store';
import { notFound, TwilioRestError } from './errors';
import { httpMethod, list, parseForm, type RawForm } from './form';
import { authenticate, sidOf, type RestDeps } from './rest-deps';
import { applicationJson, messageJson, page, recordingJson } from './serialize';

const appFields = {
  FriendlyName: z.string().max(64).optional(),
  VoiceUrl: z.union([z.url(), z.literal('')]).optional(),
  VoiceMethod: httpMethod,
  StatusCallback: z.union([z.url(), z.literal('')]).optional(),
  StatusCallbackMethod: httpMethod,
};

const messageSchema = z.object({
  To: z.string().min(1, "A 'To' phone number is required."),
  From: z.string().min(1, "A 'From' phone number is required."),
  Body: z.string().max(1600).optional(),
  StatusCallback: z.url().optional(),
});

export function registerAccountRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { ctx } = deps;
  const base = '/2010-04-01/Accounts/:AccountSid';

  // ---- Applications ----
  app.post(base + '/Applications.json', async (req, reply) => {
    authenticate(deps, req);
    const form = parseForm(z.object(appFields), req.body);
    const created = createApplication(ctx.store, ctx.settings.accountSid, {
      ...(form.FriendlyName ? { friendlyName: form.FriendlyName } : {}),
      ...(form.VoiceUrl ? { voiceUrl: form.VoiceUrl } : {}),
      ...(form.VoiceMethod ? { voiceMethod: form.VoiceMethod } : {}),
      ...(form.StatusCallback ? { statusCallback: form.StatusCallback } : {}),
      ...(form.StatusCallbackMethod ? { statusCallbackMethod: form.StatusCallbackMethod } : {}),
    });
    return reply.code(201).send(applicationJson(created));
  });
  app.get(base + '/Applications.json', async (req) => {
    authenticate(deps, req);
    const q = req.query as Record<string, string | undefined>;
    const apps = [...ctx.store.applications.values()].filter((a) => !q.FriendlyName || a.friendlyName === q.FriendlyName);
    return page('applications', req.url, apps.map(applicationJson), Number(q.PageSize ?? 50));
  });
  app.get(base + '/Applications/:Sid', async (req) => {
    authenticate(deps, req);
    const a = ctx.store.applications.get(sidOf((req.params as { Sid: string }).Sid));
    if (!a) throw notFound(req.url);
    return applicationJson(a);
  });
  app.post(base + '/Applications/:Sid', async (req) => {
    authenticate(deps, req);
    const a = ctx.store.applications.get(sidOf((req.params as { Sid: string }).Sid));
    if (!a) throw notFound(req.url);
    const form = parseForm(z.object(appFields), req.body);
    if (form.FriendlyName !== undefined) a.friendlyName = form.FriendlyName;
    if (form.VoiceUrl !== undefined) a.voiceUrl = form.VoiceUrl;
    if (form.VoiceMethod) a.voiceMethod = form.VoiceMethod;
    if (form.StatusCallback !== undefined) a.statusCallback = form.StatusCallback;
    if (form.StatusCallbackMethod) a.statusCallbackMethod = form.StatusCallbackMethod;
    a.dateUpdated = new Date();
    return applicationJson(a);
  });
  app.delete(base + '/Applications/:Sid', async (req, reply) => {
    authenticate(deps, req);
    if (!ctx.store.applications.delete(sidOf((req.params as { Sid: string }).Sid))) throw notFound(req.url);
    return reply.code(204).send();
  });

  // ---- Recordings ----
  app.get(base + '/Recordings.json', async (req) => {
    authenticate(deps, req);
    const q = req.query as Record<string, string | undefined>;
    const recs = [...ctx.store.recordings.values()].filter((r) => !q.CallSid || r.callSid === q.CallSid);
    return page('recordings', req.url, recs.map(recordingJson), Number(q.PageSize ?? 50));
  });
  app.get(base + '/Recordings/:Sid', async (req, reply) => {
    const raw = (req.params as { Sid: string }).Sid;
    const sid = raw.replace(/\.(json|wav|mp3)$/, '');
    const r = ctx.store.recordings.get(sid) ?? deps.liveRecordings.view(sid);
    // Media is fetched by URL (with or without .wav) like Twilio's media_url; metadata needs auth.
    if (raw.endsWith('.json')) {
      authenticate(deps, req);
      if (!r) throw notFound(req.url);
      return recordingJson(r);
    }
    authenticate(deps, req);
    if (!r || r.status !== 'completed') throw notFound(req.url);
    if (raw.endsWith('.mp3')) throw new TwilioRestError(415, 20415, 'The sandbox serves recordings as WAV only');
    return reply.header('content-type', 'audio/x-wav').send(encodeWavPcm16Mono8k(r.samples));
  });

  // ---- Messages ----
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
